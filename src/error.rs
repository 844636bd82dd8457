//! The one public error type of photolink.
//!
//! Every fallible library call returns [`Result`]. Errors name what was wrong (the field or the file
//! and line), the value seen and what would have been valid, so a command-line user or a CAD script
//! can fix the input without reading the source.

use std::ops::Range;
use std::path::Path;
use toml::de::{DeTable, DeValue};

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

    /// This error with the field of an [`Error::InvalidParameter`] renamed by `rename` (a model's
    /// field to its path in a file, `laser.rin_db_per_hz` to `simulation.laser.rin_db_per_hz`);
    /// other errors unchanged.
    pub fn with_field(self, rename: impl FnOnce(&str) -> String) -> Self {
        match self {
            Error::InvalidParameter { field, value, expected } => {
                Error::InvalidParameter { field: rename(&field), value, expected }
            }
            e => e,
        }
    }

    /// An [`Error::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.display().to_string(), source }
    }
}

/// Parses TOML `text` into `T`; a syntax error, an unknown field or a wrong type becomes an
/// [`Error::Parse`] naming `file`, the line of the offending span and, for an error inside the
/// document, the dotted path of the field (`channel.1.count: invalid type: ...`).
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| toml_error(&e, text, file))
}

/// The [`Error::Parse`] of a TOML error `e` raised on `text` (see [`parse_toml`]).
pub fn toml_error(e: &toml::de::Error, text: &str, file: &str) -> Error {
    let start = e.span().map(|s| s.start.min(text.len()));
    let field = start.and_then(|at| field_at(text, at));
    let mut message = plain_expectation(e.message());
    if let Some(field) = &field {
        let unit = unit_in_name(field.rsplit('.').next().unwrap_or_default());
        if let (Some(unit), Some(head)) = (unit, message.strip_suffix("expected a number")) {
            message = format!("{head}expected a plain number in {unit} (the unit is in the field's name)");
        }
        message = format!("{field}: {message}");
    }
    Error::Parse { file: file.to_string(), line: start.map_or(0, |at| line_at(text, at)), message }
}

/// Units that end a field's name (`bandwidth_hz`, `rin_db_per_hz`, `process_nm`): the name's
/// last word and how a message writes the unit.
const NAME_UNITS: &[(&str, &str)] = &[
    ("a", "A"),
    ("baud", "Bd"),
    ("bit", "bit"),
    ("db", "dB"),
    ("dbm", "dBm"),
    ("ff", "fF"),
    ("hz", "Hz"),
    ("km", "km"),
    ("m", "m"),
    ("mw", "mW"),
    ("nm", "nm"),
    ("ns", "ns"),
    ("ohm", "ohm"),
    ("pj", "pJ"),
    ("pm", "pm"),
    ("ps", "ps"),
    ("rthz", "sqrt(Hz)"),
    ("s", "s"),
    ("ui", "UI"),
    ("v", "V"),
    ("w", "W"),
    ("watts", "W"),
];

/// The unit a field's `key` ends with, as a message writes it: `Hz` for `bandwidth_hz`, `dB/Hz`
/// for `rin_db_per_hz`; `None` for a name without one.
pub fn unit_in_name(key: &str) -> Option<String> {
    let unit = |word: &str| NAME_UNITS.iter().find(|(w, _)| *w == word).map(|(_, unit)| *unit);
    let words: Vec<&str> = key.rsplit('_').collect();
    let last = unit(words.first()?)?;
    match words.get(1..3) {
        Some(["per", numerator]) => unit(numerator).map(|n| format!("{n}/{last}")),
        _ => Some(last.to_string()),
    }
}

/// Rust's names of serde's primitive types, as a message says them.
const PLAIN_TYPES: &[(&str, &str)] = &[
    ("f64", "a number"),
    ("f32", "a number"),
    ("u8", "a whole number >= 0"),
    ("u16", "a whole number >= 0"),
    ("u32", "a whole number >= 0"),
    ("u64", "a whole number >= 0"),
    ("usize", "a whole number >= 0"),
    ("i32", "a whole number"),
    ("i64", "a whole number"),
];

/// `message` with a trailing `expected u32` (serde's type name) said in words, and toml's
/// `wanted string or table` (a name given another type) said as serde says it.
fn plain_expectation(message: &str) -> String {
    let message = message.trim_end();
    if message == "wanted string or table" {
        return "invalid type, expected a name (a string)".into();
    }
    PLAIN_TYPES
        .iter()
        .find_map(|(rust, plain)| {
            message.strip_suffix(rust).filter(|head| head.ends_with("expected ")).map(|head| format!("{head}{plain}"))
        })
        .unwrap_or_else(|| message.to_string())
}

/// Puts a field error back into the TOML file it came from (the one file-error locator of
/// photolink): an [`Error::InvalidParameter`] whose field, a dotted path such as `length_km`,
/// `mzm.vpi_v` or `channel.1.loss_db`, is set in `text` becomes an [`Error::Parse`] at the line
/// of that key in `file`. Other errors, and fields `text` does not set (defaults, values from a
/// preset, checks of several fields at once), pass through unchanged.
pub fn locate(err: Error, text: &str, file: &str) -> Error {
    let Error::InvalidParameter { field, .. } = &err else { return err };
    match line_of(text, field) {
        Some(line) => Error::Parse { file: file.into(), line, message: err.to_string() },
        None => err,
    }
}

/// 1-based line of byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The TOML `text` as a tree with the spans of its keys and values (`None` if it does not parse).
fn spanned(text: &str) -> Option<DeValue<'_>> {
    DeTable::parse(text).ok().map(|doc| DeValue::Table(doc.into_inner()))
}

/// One key of a table (or item of an array, keyed by its index): the key's span, the value's
/// span and the value.
type Child<'v, 'i> = (String, Range<usize>, Range<usize>, &'v DeValue<'i>);

/// The keys of a table, or the items of an array, with their spans.
fn children<'v, 'i>(value: &'v DeValue<'i>) -> Vec<Child<'v, 'i>> {
    match value {
        DeValue::Table(t) => {
            t.iter().map(|(k, v)| (k.get_ref().to_string(), k.span(), v.span(), v.get_ref())).collect()
        }
        DeValue::Array(a) => {
            a.iter().enumerate().map(|(i, v)| (i.to_string(), v.span(), v.span(), v.get_ref())).collect()
        }
        _ => Vec::new(),
    }
}

/// 1-based line where the dotted `path` is set in the TOML `text`: the line of its last key, or
/// for an array item (`channel.1`) of the item (a `[[channel]]` header). Keys may be written in
/// any TOML form: under `[a.b]`, as dotted keys, in inline tables.
fn line_of(text: &str, path: &str) -> Option<usize> {
    let root = spanned(text)?;
    let (mut value, mut span) = (&root, 0..0);
    for key in path.split('.') {
        (span, value) = children(value).into_iter().find(|(k, ..)| k == key).map(|(_, s, _, v)| (s, v))?;
    }
    Some(line_at(text, span.start))
}

/// The dotted path of the deepest key (or array item) of the TOML `text` whose key or value
/// spans byte `offset`; a `[table]` counts by its header.
fn field_at(text: &str, offset: usize) -> Option<String> {
    fn search(value: &DeValue<'_>, offset: usize, path: &mut Vec<String>) -> bool {
        for (key, key_span, value_span, child) in children(value) {
            path.push(key);
            if search(child, offset, path) || key_span.contains(&offset) || value_span.contains(&offset) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    search(&spanned(text)?, offset, &mut path).then(|| path.join("."))
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
        // Dotted keys, inline tables and spaced headers are found as well.
        let text = "signal.samples_per_ui = 3\nmzm = { vpi_v = 0 }\n[ fiber ]\nlength_m = -1\n";
        let at = |field: &str| locate(Error::invalid(field, "v", "range"), text, "f.toml").to_string();
        assert!(at("signal.samples_per_ui").starts_with("f.toml:1:"), "{}", at("signal.samples_per_ui"));
        assert!(at("mzm.vpi_v").starts_with("f.toml:2:"));
        assert!(at("fiber.length_m").starts_with("f.toml:4:"));
    }

    #[test]
    fn toml_errors_name_the_field_by_its_dotted_path() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Item {
            count: Option<u32>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Doc {
            #[serde(default)]
            item: Vec<Item>,
            sub: Option<std::collections::BTreeMap<String, f64>>,
        }
        let doc = parse_toml::<Doc>("[[item]]\ncount = 2\n[sub]\nx = 1.5\n", "d.toml").unwrap();
        assert_eq!((doc.item[0].count, doc.sub.unwrap()["x"]), (Some(2), 1.5));
        let err = |text: &str| parse_toml::<Doc>(text, "d.toml").unwrap_err().to_string();
        assert_eq!(
            err("[[item]]\n[[item]]\ncount = 2.5\n"),
            "d.toml:3: item.1.count: invalid type: floating point `2.5`, expected a whole number >= 0"
        );
        assert_eq!(
            err("item = [{}, { count = -1 }]\n"),
            "d.toml:1: item.1.count: invalid value: integer `-1`, expected a whole number >= 0"
        );
        assert_eq!(err("[sub]\nx = \"1\"\n"), "d.toml:2: sub.x: invalid type: string \"1\", expected a number");
        assert!(err("[[item]]\ncolour = 1\n").starts_with("d.toml:2: item.0.colour: unknown field `colour`"));
        // A syntax error has a line but no field.
        assert!(err("[sub\n").starts_with("d.toml:1: "), "{}", err("[sub\n"));
    }

    #[test]
    fn names_carry_their_units() {
        assert_eq!(unit_in_name("bandwidth_hz").as_deref(), Some("Hz"));
        assert_eq!(unit_in_name("rin_db_per_hz").as_deref(), Some("dB/Hz"));
        assert_eq!(unit_in_name("xsr_pj_per_bit").as_deref(), Some("pJ/bit"));
        assert_eq!(unit_in_name("rj_rms_ui").as_deref(), Some("UI"));
        assert_eq!(unit_in_name("d_factor_ghz_per_sqrt_ma"), None);
        assert_eq!(unit_in_name("medium"), None);
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
