//! Reading input: CSV tables of numbers (sampled pulse responses, captured waveforms) and the
//! text forms of settings in TOML files. One reader serves every command, so all accept the same
//! layout.

use crate::error::{Error, Result};
use std::path::Path;

/// Largest input file read, bytes (after decompression for `.gz`): Touchstone, CSV and TOML files
/// beyond it are refused before they are held whole, so `/dev/zero` or a multi-gigabyte export
/// cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// The bytes of `path`, at most [`MAX_INPUT_BYTES`]; a `.gz` file (any case) is decompressed, with
/// the same bound on what it expands to.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let gzip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let reader: Box<dyn Read> = if gzip { Box::new(flate2::read::MultiGzDecoder::new(file)) } else { Box::new(file) };
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| {
        let what = if gzip { format!("not a readable gzip file: {e}") } else { e.to_string() };
        Error::Parse { file: path.display().to_string(), line: 0, message: what }
    })?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::invalid(
            path.display().to_string(),
            format!("more than {MAX_INPUT_BYTES} bytes"),
            format!("expected an input file of at most {} MiB", MAX_INPUT_BYTES >> 20),
        ));
    }
    Ok(bytes)
}

/// The text of `path` ([`read_bytes`]); bytes that are not UTF-8 are an error naming the file.
pub fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read_bytes(path)?).map_err(|e| Error::Parse {
        file: path.display().to_string(),
        line: 0,
        message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
    })
}

/// A data row: its 1-based line number and its numbers.
pub type NumericRow = (usize, Vec<f64>);

/// Reads a CSV table of numbers (see [`parse_rows`]).
pub fn read_rows(path: &Path) -> Result<Vec<NumericRow>> {
    let text = crate::input::read_text(path)?;
    parse_rows(&text, &path.display().to_string())
}

/// The numeric rows of CSV text: cells split on `,`, `;` or tab; blank lines and lines starting
/// with `#` skipped; a first data line that is not all numbers is a header. Every other row must
/// hold as many finite numbers as the first; an error names `file`, the line and what was found.
pub fn parse_rows(text: &str, file: &str) -> Result<Vec<NumericRow>> {
    let parse_err = |line: usize, message: String| Error::Parse { file: file.to_string(), line, message };
    let mut rows: Vec<NumericRow> = Vec::new();
    let mut first_data_line = true;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let may_be_header = std::mem::replace(&mut first_data_line, false);
        let cells: std::result::Result<Vec<f64>, _> = line.split([',', ';', '\t']).map(|c| c.trim().parse()).collect();
        match cells {
            Ok(v) if v.iter().all(|x| x.is_finite()) => match rows.first() {
                Some((_, first)) if first.len() != v.len() => {
                    return Err(parse_err(
                        i + 1,
                        format!("expected {} columns, found {} in '{line}'", first.len(), v.len()),
                    ));
                }
                _ => rows.push((i + 1, v)),
            },
            _ if may_be_header => {}
            _ => return Err(parse_err(i + 1, format!("expected finite numbers, found '{line}'"))),
        }
    }
    if rows.is_empty() {
        return Err(parse_err(0, "no numeric rows".into()));
    }
    Ok(rows)
}

/// Deserializes `T` from the text its `FromStr` parses (the form the command line takes), so a
/// setting reads the same in a TOML file: a number is taken as its text (`dfe = 2` is `"2"`), and
/// a parse error becomes the deserializer's error (with the file and line, [`crate::error::parse_toml`]).
pub fn deserialize_text<'de, D, T>(deserializer: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr<Err = Error>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Written {
        Text(String),
        Integer(i64),
        Float(f64),
    }
    let text = match <Written as serde::Deserialize>::deserialize(deserializer)? {
        Written::Text(s) => s,
        Written::Integer(i) => i.to_string(),
        Written::Float(x) => x.to_string(),
    };
    text.parse().map_err(serde::de::Error::custom)
}

/// Reads a one-column CSV of numbers (a sampled pulse response, V per unit symbol).
pub fn read_samples(path: &Path) -> Result<Vec<f64>> {
    let text = crate::input::read_text(path)?;
    parse_samples(&text, &path.display().to_string())
}

/// [`read_samples`] on text already in memory; `file` names the source in errors.
pub fn parse_samples(text: &str, file: &str) -> Result<Vec<f64>> {
    let rows = parse_rows(text, file)?;
    match rows.first() {
        Some((line, first)) if first.len() != 1 => Err(Error::Parse {
            file: file.to_string(),
            line: *line,
            message: format!("expected one column of numbers, found {}", first.len()),
        }),
        _ => Ok(rows.into_iter().map(|(_, v)| v[0]).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_files_are_bounded_and_gzip_is_transparent() {
        // Issue 14 reproducer: /dev/zero as a Touchstone file grew to 16 GB; now refused at the bound
        // (every reader, Touchstone included, goes through read_bytes).
        #[cfg(unix)]
        {
            let e = read_bytes(Path::new("/dev/zero")).unwrap_err().to_string();
            assert!(e.contains("/dev/zero") && e.contains("at most 256 MiB"), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("p.csv");
        std::fs::write(&plain, "0.5\n").unwrap();
        let gz = dir.path().join("p.csv.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut enc, b"0.5\n").unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        assert_eq!(read_text(&plain).unwrap(), read_text(&gz).unwrap());
        std::fs::write(&gz, b"not gzip").unwrap();
        assert!(read_text(&gz).unwrap_err().to_string().contains("not a readable gzip file"));
        std::fs::write(&plain, [0xff, 0xfe, b'1']).unwrap();
        assert!(read_text(&plain).unwrap_err().to_string().contains("not UTF-8"));
    }

    #[test]
    fn reads_a_column_with_header_comments_and_blank_lines() {
        let s = parse_samples("# pulse\nvolts\n0.0\n\n0.5\n-1e-3\n", "p.csv").unwrap();
        assert_eq!(s, vec![0.0, 0.5, -1e-3]);
    }

    #[test]
    fn rejects_bad_rows_with_their_line() {
        let e = parse_samples("0.1\nabc\n", "p.csv").unwrap_err().to_string();
        assert!(e.contains("p.csv:2") && e.contains("abc"), "{e}");
        assert!(parse_samples("0.1,0.2\n", "p.csv").is_err());
        assert!(parse_samples("0.1\nNaN\n", "p.csv").is_err());
    }

    #[test]
    fn rejects_an_empty_file_or_a_header_alone() {
        assert!(parse_samples("", "p.csv").is_err());
        assert!(parse_samples("volts\n", "p.csv").is_err());
    }

    #[test]
    fn rows_keep_their_lines_and_width() {
        let rows = parse_rows("t;v\n# x\n1;2\n3\t4\n", "t.csv").unwrap();
        assert_eq!(rows, vec![(3, vec![1.0, 2.0]), (4, vec![3.0, 4.0])]);
        let e = parse_rows("1,2\n3\n", "t.csv").unwrap_err().to_string();
        assert!(e.starts_with("t.csv:2:") && e.contains("expected 2 columns"), "{e}");
        // Only the first data line may be a header.
        assert!(parse_rows("1,2\nt,v\n", "t.csv").is_err());
    }
}
