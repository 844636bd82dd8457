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

/// Checks that `value` lies in `min..=max`, naming `field` and the range when it does not.
///
/// `unit` is appended to the bounds in the message (`"m"`, `"Hz"`, or `""`). NaN is rejected.
pub fn check_range(field: &str, value: f64, min: f64, max: f64, unit: &str) -> Result<f64> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(value)
    } else {
        let sep = if unit.is_empty() { "" } else { " " };
        Err(Error::invalid(
            field,
            format!("{value}{sep}{unit}"),
            format!("expected {min}{sep}{unit} ..= {max}{sep}{unit}"),
        ))
    }
}
