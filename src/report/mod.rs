//! Renderers for command output (table, JSON, CSV, Markdown), atomic file writes, and the review
//! report written by `photolink report`.

pub mod power;
pub mod review;
mod review_ber;
mod review_budget;
pub mod review_eq;
pub mod review_eye;
pub mod tables;

use crate::error::{Error, Result};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Version tag of every JSON document photolink writes; bump on breaking changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Output format of a computing command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned plain-text table.
    #[default]
    Table,
    /// One JSON document with a `schema` field and unit-suffixed keys.
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// A GitHub-flavoured Markdown table.
    Markdown,
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

/// Pretty JSON of `value` with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Numerical { what: format!("JSON encoding: {e}") })
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
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// A temporary path beside `path` keeping its extension (plot backends choose the encoder by
/// extension). Creates the parent directory.
pub fn temp_path_for(path: &Path) -> Result<std::path::PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let name = path.file_name().ok_or_else(|| Error::invalid("output path", path.display(), "expected a file name"))?;
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    Ok(dir.join(format!(".{}.tmp-{}{ext}", name.to_string_lossy(), std::process::id())))
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
    fn significant_digits() {
        assert_eq!(fmt_sig(4.7123, 3), "4.71");
        assert_eq!(fmt_sig(123.456, 4), "123.5");
        assert_eq!(fmt_sig(2.4e-4, 3), "2.40e-4");
        assert_eq!(fmt_sig(26.5625e9, 4), "2.656e10");
        assert_eq!(fmt_sig(0.0, 3), "0");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path().join("sub")).unwrap().count(), 1);
    }
}
