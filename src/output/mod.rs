//! Renderers for command output (table, JSON, CSV, Markdown) and atomic file writes. No
//! command-line types: the CLI and the Python bindings both render through here.

pub mod tables;

use crate::error::{Error, Result};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Version tag of every JSON document photolink writes; bump on breaking changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Output format of a computing command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned plain-text table.
    #[default]
    Table,
    /// A JSON document with a `schema` field and unit-suffixed keys (one per link when `budget` is
    /// given several: a stream of documents).
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// A GitHub-flavoured Markdown table.
    Markdown,
}

impl Format {
    /// The names `FromStr` accepts, in the order a help text lists them.
    pub const NAMES: [&'static str; 4] = ["table", "json", "csv", "markdown"];
}

impl std::str::FromStr for Format {
    type Err = Error;

    /// Parses `table`, `json`, `csv` or `markdown` (case-insensitive).
    fn from_str(text: &str) -> Result<Format> {
        match text.to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "markdown" => Ok(Format::Markdown),
            _ => Err(Error::invalid("format", format!("'{text}'"), "expected table, json, csv or markdown")),
        }
    }
}

/// A rectangular table of already formatted cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column headers, with units (`loss_db`).
    pub headers: Vec<String>,
    /// Rows of cells, one per header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers and no rows.
    pub fn new(headers: &[&str]) -> Table {
        Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
    }

    /// Renders as aligned text, CSV or Markdown. (JSON is rendered from the result struct.)
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => self.render_csv(),
            Format::Markdown => self.render_markdown(),
            Format::Table | Format::Json => self.render_text(),
        }
    }

    fn widths(&self) -> Vec<usize> {
        (0..self.headers.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([self.headers[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn render_text(&self) -> String {
        let w = self.widths();
        let line = |cells: &[String]| {
            cells.iter().zip(&w).map(|(c, w)| format!("{c:>w$}")).collect::<Vec<_>>().join("  ").trim_end().to_string()
                + "\n"
        };
        let mut out = line(&self.headers);
        out += &(w.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  ") + "\n");
        for r in &self.rows {
            out += &line(r);
        }
        out
    }

    fn render_csv(&self) -> String {
        let esc = |c: &String| {
            if c.contains([',', '"', '\n']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() }
        };
        std::iter::once(&self.headers)
            .chain(&self.rows)
            .map(|r| r.iter().map(esc).collect::<Vec<_>>().join(",") + "\n")
            .collect()
    }

    fn render_markdown(&self) -> String {
        let row = |cells: &[String]| format!("| {} |\n", cells.join(" | ").replace('\n', " "));
        let mut out = row(&self.headers);
        out += &format!("|{}\n", "---|".repeat(self.headers.len()));
        for r in &self.rows {
            out += &row(r);
        }
        out
    }
}

/// `value` as a JSON tree (what [`csv_from_json`] reads).
pub fn to_json_value<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Numerical { what: format!("JSON encoding: {e}") })
}

/// Pretty JSON of `value` with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Numerical { what: format!("JSON encoding: {e}") })
}

/// CSV of a serialised result at full precision (numbers as JSON writes them: the shortest text
/// that reads back to the same `f64`), built from the document, not from the rounded table.
///
/// Rows are the objects of the innermost arrays of objects, each carrying the fields of the
/// objects around it; nested objects become dotted columns (`budget.margin_db`); arrays of
/// numbers or strings fill one cell, space-separated. Where one object holds several arrays of
/// objects (e.g. media and links), their rows are stacked with a `record` column naming the array.
/// The top-level `schema` tag is left out. Columns appear in the order first met.
pub fn csv_from_json(document: &serde_json::Value) -> String {
    let mut rows = Vec::new();
    flatten_rows(document, "", &Vec::new(), &mut rows);
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        for (key, _) in row {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let mut table = Table { headers: columns.clone(), rows: Vec::with_capacity(rows.len()) };
    for row in rows {
        let cell = |c: &String| row.iter().find(|(k, _)| k == c).map(|(_, v)| v.clone()).unwrap_or_default();
        table.rows.push(columns.iter().map(cell).collect());
    }
    table.render_csv()
}

/// One CSV row: (column, cell) pairs in order.
type CsvRow = Vec<(String, String)>;

/// Appends to `rows` the rows under `value`, each starting with the inherited cells `base`.
fn flatten_rows(value: &serde_json::Value, prefix: &str, base: &CsvRow, rows: &mut Vec<CsvRow>) {
    use serde_json::Value;
    let mut own = base.clone();
    let mut tables: Vec<(String, &Vec<Value>)> = Vec::new();
    collect_cells(value, prefix, &mut own, &mut tables);
    match tables.len() {
        0 => rows.push(own),
        n => {
            for (key, items) in tables {
                let mut inherited = own.clone();
                if n > 1 {
                    inherited.push(("record".into(), key.clone()));
                }
                for item in items {
                    // Fields of a row keep their own names unless they would hide an inherited one.
                    let child_prefix = match item {
                        Value::Object(map) if map.keys().any(|k| inherited.iter().any(|(c, _)| c == k)) => key.as_str(),
                        _ => "",
                    };
                    flatten_rows(item, child_prefix, &inherited, rows);
                }
            }
        }
    }
}

/// The scalar cells of `value` (nested objects dotted), and its arrays of objects set aside.
fn collect_cells<'a>(
    value: &'a serde_json::Value,
    prefix: &str,
    cells: &mut CsvRow,
    tables: &mut Vec<(String, &'a Vec<serde_json::Value>)>,
) {
    use serde_json::Value;
    let join = |key: &str| if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if prefix.is_empty() && key == "schema" && cells.is_empty() {
                    continue;
                }
                match v {
                    Value::Array(items) if items.iter().any(Value::is_object) => tables.push((join(key), items)),
                    Value::Object(_) => collect_cells(v, &join(key), cells, tables),
                    _ => cells.push((join(key), csv_cell(v))),
                }
            }
        }
        other => cells.push((if prefix.is_empty() { "value".into() } else { prefix.to_string() }, csv_cell(other))),
    }
}

/// A scalar as JSON writes it (strings unquoted, null empty); an array's items space-separated,
/// the rows of an array of arrays separated by `;`.
fn csv_cell(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let separator = if items.iter().any(Value::is_array) { ";" } else { " " };
            items.iter().map(csv_cell).collect::<Vec<_>>().join(separator)
        }
        other => other.to_string(),
    }
}

/// Formats a number for a table cell with `sig` significant digits (plain or scientific).
pub fn fmt_sig(value: f64, sig: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == 0.0 {
        return "0".into();
    }
    let exp = value.abs().log10().floor() as i32;
    if (-3..6).contains(&exp) {
        let decimals = (sig as i32 - 1 - exp).max(0) as usize;
        format!("{value:.decimals$}")
    } else {
        format!("{value:.*e}", sig.saturating_sub(1))
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then a rename,
/// so a failed run never leaves a half-written file. Creates the parent directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_path_for(path)?;
    remove_stale_temps(path);
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// The directory `path` goes into (`.` for a bare file name).
fn parent_dir(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// The temporary name of `path` while this process writes it: `.NAME.tmp-PID.EXT` beside it.
/// The directory must exist: an output path is never created silently (the report creates its
/// own folder).
fn temp_path_for(path: &Path) -> Result<std::path::PathBuf> {
    let dir = parent_dir(path);
    if !dir.is_dir() {
        return Err(Error::invalid(
            "path",
            path.display(),
            format!("expected a file in an existing directory ({} is not one)", dir.display()),
        ));
    }
    let name = path.file_name().ok_or_else(|| Error::invalid("path", path.display(), "expected a file name"))?;
    Ok(dir.join(format!(".{}.tmp-{}{}", name.to_string_lossy(), std::process::id(), temp_suffix(path))))
}

/// The extension kept by temporary names (`.png`), or nothing.
fn temp_suffix(path: &Path) -> String {
    path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default()
}

/// Removes temporary files of `path` left by runs that were killed mid-write: `.NAME.tmp-PID.EXT`
/// whose process is gone (checked in `/proc`; elsewhere nothing is removed).
fn remove_stale_temps(path: &Path) {
    let (Some(name), Ok(entries)) = (path.file_name(), std::fs::read_dir(parent_dir(path))) else { return };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let suffix = temp_suffix(path);
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid =
            file.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(&suffix)).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["medium", "loss_db"]);
        t.push(vec!["twinax-26awg".into(), "4.70".into()]);
        t.push(vec!["a,b".into(), "1".into()]);
        t
    }

    #[test]
    fn renders_three_text_formats() {
        let t = sample();
        assert_eq!(t.render(Format::Csv), "medium,loss_db\ntwinax-26awg,4.70\n\"a,b\",1\n");
        assert_eq!(
            t.render(Format::Markdown),
            "| medium | loss_db |\n|---|---|\n| twinax-26awg | 4.70 |\n| a,b | 1 |\n"
        );
        assert_eq!(
            t.render(Format::Table),
            "      medium  loss_db\n------------  -------\ntwinax-26awg     4.70\n         a,b        1\n"
        );
    }

    #[test]
    fn csv_from_json_keeps_full_precision_and_nests_rows() {
        let doc = serde_json::json!({
            "schema": "photolink.loss.v1",
            "curves": [
                {"medium": "smf", "length_m": 2.0, "points": [
                    {"freq_hz": 1e9, "loss_db": 0.1 + 0.2},
                    {"freq_hz": 2e9, "loss_db": 1.0 / 3.0}]},
                {"medium": "a,b", "length_m": null, "points": [{"freq_hz": 3e9, "loss_db": 4.0}]}
            ]
        });
        assert_eq!(
            csv_from_json(&doc),
            "medium,length_m,freq_hz,loss_db\n\
             smf,2.0,1000000000.0,0.30000000000000004\n\
             smf,2.0,2000000000.0,0.3333333333333333\n\
             \"a,b\",,3000000000.0,4.0\n"
        );
    }

    #[test]
    fn csv_from_json_stacks_sibling_arrays_and_dots_objects() {
        let doc = serde_json::json!({
            "summary": {"pass": true, "margin_db": -0.5},
            "media": [{"name": "smf"}],
            "links": [{"name": "dr4", "levels": [1.5, 2.5]}]
        });
        assert_eq!(
            csv_from_json(&doc),
            "summary.pass,summary.margin_db,record,name,levels\n\
             true,-0.5,media,smf,\n\
             true,-0.5,links,dr4,1.5 2.5\n"
        );
    }

    #[test]
    fn significant_digits() {
        assert_eq!(fmt_sig(4.7123, 3), "4.71");
        assert_eq!(fmt_sig(123.456, 4), "123.5");
        assert_eq!(fmt_sig(2.4e-4, 3), "2.40e-4");
        assert_eq!(fmt_sig(26.5625e9, 4), "2.656e10");
        assert_eq!(fmt_sig(0.0, 3), "0");
    }

    #[test]
    fn atomic_write_needs_the_directory_and_clears_temps_of_killed_runs() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nodir/x.png");
        let e = write_atomic(&missing, b"x").unwrap_err().to_string();
        assert!(e.contains("existing directory") && !missing.parent().unwrap().exists(), "{e}");
        // A run killed mid-write (a PID that cannot be alive: above the kernel's pid_max).
        let stale = dir.path().join(".out.png.tmp-4294967294.png");
        let other = dir.path().join(".other.png.tmp-4294967294.png");
        std::fs::write(&stale, b"half").unwrap();
        std::fs::write(&other, b"half").unwrap();
        write_atomic(&dir.path().join("out.png"), b"whole").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists(), "the stale temporary of out.png is removed");
        }
        assert!(other.exists(), "another file's temporary is left alone");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let p = dir.path().join("sub/out.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path().join("sub")).unwrap().count(), 1);
    }
}
