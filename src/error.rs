//! The one public error type of photolink.
//!
//! Every fallible library call returns [`Result`]. Errors name what was wrong (the field or the file
//! and line), the value seen and what would have been valid, so a command-line user or a CAD script
//! can fix the input without reading the source.

use std::path::Path;

/// Everything that can go wrong in photolink.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A parameter is outside its valid range or has the wrong form.
    #[error("invalid {field} = {value}: {expected}")]
    InvalidParameter {
        /// The parameter, as the user names it (`--length`, `fiber.length_m`, ...).
        field: String,
        /// The value that was given.
        value: String,
        /// What would have been valid, e.g. `expected a length in 0 m ..= 100 km`.
        expected: String,
    },
    /// An input file is malformed.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The file (or a label for in-memory text).
        file: String,
        /// 1-based line number; 0 when the problem is with the file as a whole.
        line: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: String,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A numerical procedure did not produce a usable answer.
    #[error("numerical failure: {what}")]
    Numerical {
        /// What failed and why.
        what: String,
    },
    /// Drawing a chart failed.
    #[error("plot {path}: {message}")]
    Plot {
        /// The chart being written.
        path: String,
        /// The backend's message.
        message: String,
    },
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An [`Error::InvalidParameter`] from its three parts.
    pub fn invalid(field: impl Into<String>, value: impl std::fmt::Display, expected: impl Into<String>) -> Self {
        Error::InvalidParameter { field: field.into(), value: value.to_string(), expected: expected.into() }
    }

    /// An [`Error::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.display().to_string(), source }
    }
}

/// Parses TOML `text` into `T`; a syntax error, an unknown field or a wrong type becomes an
/// [`Error::Parse`] naming `file` and the line of the offending span.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        Error::Parse { file: file.to_string(), line, message: e.message().to_string() }
    })
}

/// Puts a field error back into the TOML file it came from (the one file-error locator of
/// photolink): an [`Error::InvalidParameter`] whose field, a dotted path such as `length_km`,
/// `mzm.vpi_v` or `channel.1.loss_db`, is set on a line of `text` becomes an [`Error::Parse`] at
/// that line of `file`. Other errors, and fields `text` does not set (defaults, values from a
/// preset, checks of several fields at once), pass through unchanged.
pub fn locate(err: Error, text: &str, file: &str) -> Error {
    let Error::InvalidParameter { field, .. } = &err else { return err };
    match toml_line_of(text, field) {
        Some(line) => Error::Parse { file: file.into(), line, message: err.to_string() },
        None => err,
    }
}

/// 1-based line where the dotted `path` is set in the TOML `text`: `key` before the first table,
/// `a.b.key` under `[a.b]`, `a.n.key` under the n-th (from 0) `[[a]]`.
fn toml_line_of(text: &str, path: &str) -> Option<usize> {
    let parts: Vec<&str> = path.split('.').collect();
    let (key, tables) = parts.split_last()?;
    // Lines without their comments (a `#` inside a quoted string is rare in input files).
    let lines: Vec<&str> = text.lines().map(|l| l.split('#').next().unwrap_or_default().trim()).collect();
    let start = match tables {
        [] => None,
        [array @ .., n] if !array.is_empty() && n.parse::<usize>().is_ok() => {
            let header = format!("[[{}]]", array.join("."));
            Some(lines.iter().enumerate().filter(|(_, l)| **l == header).nth(n.parse().ok()?)?.0)
        }
        _ => Some(lines.iter().position(|l| *l == format!("[{}]", tables.join(".")))?),
    };
    let from = start.map_or(0, |s| s + 1);
    let end = lines[from..].iter().position(|l| l.starts_with('[')).map_or(lines.len(), |p| p + from);
    let is_key = |l: &&str| l.split('=').next().is_some_and(|k| k.trim() == *key);
    lines[from..end].iter().position(is_key).map(|i| i + from + 1)
}

/// The valid range `min ..= max` of a quantity, with its unit: named once, as a constant of the
/// module that owns the quantity, and checked with [`Bounds::check`] wherever a value comes in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Smallest valid value.
    pub min: f64,
    /// Largest valid value.
    pub max: f64,
    /// Unit of the bounds in messages (`"m"`, `"Hz"`, or `""`).
    pub unit: &'static str,
}

impl Bounds {
    /// The range `min ..= max` in `unit`.
    pub const fn new(min: f64, max: f64, unit: &'static str) -> Bounds {
        Bounds { min, max, unit }
    }

    /// `value` when it lies in the range ([`check_range`], naming `field`).
    pub fn check(&self, field: &str, value: f64) -> Result<f64> {
        check_range(field, value, self.min, self.max, self.unit)
    }
}

/// Checks that `value` lies in `min..=max`, naming `field` and the range when it does not.
///
/// `unit` is appended to the bounds in the message (`"m"`, `"Hz"`, or `""`). NaN is rejected.
pub fn check_range(field: &str, value: f64, min: f64, max: f64, unit: &str) -> Result<f64> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(value)
    } else {
        let sep = if unit.is_empty() { "" } else { " " };
        let (value, min, max) = (readable(value), readable(min), readable(max));
        Err(Error::invalid(
            field,
            format!("{value}{sep}{unit}"),
            format!("expected {min}{sep}{unit} ..= {max}{sep}{unit}"),
        ))
    }
}

/// `v` as a message shows it: plain decimals in 1e-6 ..< 1e16, else scientific (1e308 would
/// print 309 digits).
fn readable(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e16).contains(&v.abs()) { format!("{v:e}") } else { format!("{v}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_tiny_values_read_in_scientific_notation() {
        let e = check_range("--fiber-budget-db", 1e308, 0.0, 200.0, "dB").unwrap_err().to_string();
        assert_eq!(e, "invalid --fiber-budget-db = 1e308 dB: expected 0 dB ..= 200 dB");
        let e = check_range("x", -1e-9, 0.0, 5e12, "Hz").unwrap_err().to_string();
        assert_eq!(e, "invalid x = -1e-9 Hz: expected 0 Hz ..= 5000000000000 Hz");
    }

    #[test]
    fn locate_finds_top_level_keys_tables_and_arrays_of_tables() {
        let text =
            "length_km = -1\n# a comment\n[mzm]\nvpi_v = -2 # V\n[[channel]]\nloss_db = 1\n[[channel]]\nloss_db = 99\n";
        let at = |field: &str| locate(Error::invalid(field, "v", "range"), text, "f.toml").to_string();
        assert_eq!(at("length_km"), "f.toml:1: invalid length_km = v: range");
        assert!(at("mzm.vpi_v").starts_with("f.toml:4:"), "{}", at("mzm.vpi_v"));
        assert!(at("channel.1.loss_db").starts_with("f.toml:8:"), "{}", at("channel.1.loss_db"));
        // Keys of a table are not top-level keys; fields the text does not set pass unchanged.
        assert_eq!(at("vpi_v"), "invalid vpi_v = v: range");
        assert_eq!(at("channel.2.loss_db"), "invalid channel.2.loss_db = v: range");
        let io = Error::Numerical { what: "x".into() };
        assert!(matches!(locate(io, text, "f.toml"), Error::Numerical { .. }));
    }

    #[test]
    fn bounds_check_like_check_range() {
        const B: Bounds = Bounds::new(0.0, 1e6, "m");
        assert_eq!(B.check("length_m", 5.0).unwrap(), 5.0);
        let e = B.check("length_m", -3.0).unwrap_err().to_string();
        assert_eq!(e, "invalid length_m = -3 m: expected 0 m ..= 1000000 m");
        assert!(B.check("length_m", f64::NAN).is_err());
    }
}
