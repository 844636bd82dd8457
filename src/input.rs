//! Reading numeric input files: sampled pulse responses and other one-column data.

use crate::error::{Error, Result};
use std::path::Path;

/// Reads a one-column CSV of numbers (a sampled pulse response, V per unit symbol).
///
/// Blank lines and lines starting with `#` are skipped; the first data line may be a header (a
/// non-numeric first line is taken as one). A line with more than one column, a non-numeric or
/// non-finite value after the header, or a file without a single number is an error naming the
/// file and line.
pub fn read_samples(path: &Path) -> Result<Vec<f64>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_samples(&text, &path.display().to_string())
}

/// [`read_samples`] on text already in memory; `file` names the source in errors.
pub fn parse_samples(text: &str, file: &str) -> Result<Vec<f64>> {
    let parse_err = |line: usize, message: String| Error::Parse { file: file.to_string(), line, message };
    let mut samples = Vec::new();
    let mut first_data_line = true;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let is_header = std::mem::replace(&mut first_data_line, false);
        if line.contains([',', ';', '\t']) {
            return Err(parse_err(i + 1, format!("'{line}': expected one column of numbers")));
        }
        match line.parse::<f64>() {
            Ok(v) if v.is_finite() => samples.push(v),
            Ok(_) => return Err(parse_err(i + 1, format!("'{line}': expected a finite number"))),
            Err(_) if is_header => {}
            Err(_) => return Err(parse_err(i + 1, format!("'{line}': expected a number"))),
        }
    }
    if samples.is_empty() {
        return Err(parse_err(0, "no samples: expected one column of numbers".into()));
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_column_with_header_comments_and_blank_lines() {
        let s = parse_samples("# pulse\nvolts\n0.0\n\n0.5\n-1e-3\n", "p.csv").unwrap();
        assert_eq!(s, vec![0.0, 0.5, -1e-3]);
    }

    #[test]
    fn rejects_bad_rows_with_their_line() {
        let e = parse_samples("0.1\nabc\n", "p.csv").unwrap_err().to_string();
        assert!(e.contains("p.csv") && e.contains('2') && e.contains("abc"), "{e}");
        assert!(parse_samples("0.1,0.2\n", "p.csv").is_err());
        assert!(parse_samples("0.1\nNaN\n", "p.csv").is_err());
    }

    #[test]
    fn rejects_an_empty_file_or_a_header_alone() {
        assert!(parse_samples("", "p.csv").is_err());
        assert!(parse_samples("volts\n", "p.csv").is_err());
    }
}
