//! Units: dB conversions, logarithmic newtypes and parsing of quantities with units.
//!
//! Inside the library every quantity is an `f64` in SI base units (Hz, s, m, W, V, A, Bd, b/s) whose
//! name carries the unit (`freq_hz`, `length_m`). Logarithmic quantities are explicit:
//! "dB" of a **power** ratio is `10·log10`, of a **voltage/amplitude** ratio `20·log10`; loss is a
//! positive dB number. [`Db`] and [`Dbm`] mark dB values at API edges.
//!
//! ```
//! use photolink::units::{parse, Quantity};
//! assert_eq!(parse("26.5625GHz", "--freq", Quantity::Frequency)?, 26.5625e9);
//! assert_eq!(parse("10km", "--length", Quantity::Length)?, 10_000.0);
//! # Ok::<(), photolink::Error>(())
//! ```

use crate::error::{Error, Result};
use serde::Serialize;

/// dB per neper: `20/ln 10` (1 Np of amplitude attenuation = 8.686 dB).
pub const DB_PER_NEPER: f64 = 8.685_889_638_065_035;

/// Speed of light in vacuum, m/s (exact, SI).
pub const SPEED_OF_LIGHT_M_PER_S: f64 = 299_792_458.0;

/// Power ratio to dB: `10·log10(ratio)`.
pub fn power_ratio_to_db(ratio: f64) -> f64 {
    10.0 * ratio.log10()
}

/// dB to power ratio: `10^(db/10)`.
pub fn db_to_power_ratio(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

/// Amplitude (voltage, field, |S21|) ratio to dB: `20·log10(ratio)`.
pub fn amplitude_ratio_to_db(ratio: f64) -> f64 {
    20.0 * ratio.log10()
}

/// dB to amplitude ratio: `10^(db/20)`.
pub fn db_to_amplitude_ratio(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// A power ratio in dB (gain when positive; losses are stored as positive numbers named `loss_db`).
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Db(pub f64);

/// An absolute power in dBm (dB relative to 1 mW).
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Dbm(pub f64);

impl Dbm {
    /// From watts: `10·log10(P / 1 mW)`.
    pub fn from_watts(power_w: f64) -> Self {
        Dbm(power_ratio_to_db(power_w / 1e-3))
    }
    /// To watts: `1 mW · 10^(dBm/10)`.
    pub fn to_watts(self) -> f64 {
        1e-3 * db_to_power_ratio(self.0)
    }
}

impl std::ops::Sub<Db> for Dbm {
    type Output = Dbm;
    /// A power reduced by a loss.
    fn sub(self, loss: Db) -> Dbm {
        Dbm(self.0 - loss.0)
    }
}

impl std::ops::Add<Db> for Dbm {
    type Output = Dbm;
    fn add(self, gain: Db) -> Dbm {
        Dbm(self.0 + gain.0)
    }
}

impl std::ops::Sub for Dbm {
    type Output = Db;
    /// The ratio of two powers (there is deliberately no `Dbm + Dbm`).
    fn sub(self, other: Dbm) -> Db {
        Db(self.0 - other.0)
    }
}

/// The kind of quantity a text names, which fixes the accepted unit symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Metres: `m` with SI prefixes (`km`, `mm`, `um`, `nm`), `in`, `mil`, `ft`.
    Length,
    /// Hertz: `Hz`, `kHz`, `MHz`, `GHz`, `THz`.
    Frequency,
    /// Symbols per second: `Bd`, `kBd`, `MBd`, `GBd` (also `Baud`).
    SymbolRate,
    /// Bits per second: `bps`, `b/s`, with prefixes (`Gbps`, `Gb/s`), or a bare prefix (`800G`).
    BitRate,
    /// Seconds: `s`, `ms`, `us`, `ns`, `ps`, `fs`.
    Time,
    /// Volts: `V`, `mV`, `uV`.
    Voltage,
    /// Amperes: `A`, `mA`, `uA`, `nA`, `pA`.
    Current,
    /// Watts: `W`, `mW`, `uW`, `nW` (for dBm see [`parse_power_dbm`]).
    Power,
    /// Decibels: `dB` or a bare number, no prefixes (`18dB`, `-3`).
    Decibel,
}

impl Quantity {
    fn symbols(self) -> &'static [&'static str] {
        match self {
            Quantity::Length => &["m"],
            Quantity::Frequency => &["Hz"],
            Quantity::SymbolRate => &["Bd", "Baud", "baud"],
            Quantity::BitRate => &["bps", "b/s", ""],
            Quantity::Time => &["s"],
            Quantity::Voltage => &["V"],
            Quantity::Current => &["A"],
            Quantity::Power => &["W"],
            Quantity::Decibel => &["dB", "db"],
        }
    }

    fn example(self) -> &'static str {
        match self {
            Quantity::Length => "a length such as 2m, 500m, 10km, 1311nm",
            Quantity::Frequency => "a frequency such as 26.5625GHz or 500MHz",
            Quantity::SymbolRate => "a symbol rate such as 53.125GBd",
            Quantity::BitRate => "a bit rate such as 106.25Gbps, 212.5Gb/s or 800G",
            Quantity::Time => "a time such as 10ps",
            Quantity::Voltage => "a voltage such as 1mV or 0.8V",
            Quantity::Current => "a current such as 2uA",
            Quantity::Power => "a power such as 1mW",
            Quantity::Decibel => "a value in dB such as 18dB or 18",
        }
    }
}

fn si_prefix(c: char) -> Option<f64> {
    Some(match c {
        'f' => 1e-15,
        'p' => 1e-12,
        'n' => 1e-9,
        'u' | 'µ' => 1e-6,
        'm' => 1e-3,
        'c' => 1e-2,
        'k' => 1e3,
        'M' => 1e6,
        'G' => 1e9,
        'T' => 1e12,
        _ => return None,
    })
}

/// Splits `"26.5625GHz"` into `(26.5625, "GHz")`. The number may carry a sign and an exponent.
fn split_number(text: &str) -> Option<(f64, &str)> {
    let t = text.trim();
    let bytes = t.as_bytes();
    let mut end = 0;
    let mut seen_e = false;
    while end < bytes.len() {
        let c = bytes[end] as char;
        let is_exp = (c == 'e' || c == 'E')
            && !seen_e
            && end > 0
            && bytes.get(end + 1).is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+');
        let is_sign_after_exp = (c == '-' || c == '+') && end > 0 && matches!(bytes[end - 1], b'e' | b'E');
        if c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && end == 0) || is_sign_after_exp {
            end += 1;
        } else if is_exp {
            seen_e = true;
            end += 1;
        } else {
            break;
        }
    }
    let value: f64 = t[..end].parse().ok()?;
    Some((value, t[end..].trim()))
}

fn unit_factor(unit: &str, kind: Quantity) -> Option<f64> {
    if kind == Quantity::Length {
        match unit {
            "in" | "inch" => return Some(0.0254),
            "mil" => return Some(25.4e-6),
            "ft" => return Some(0.3048),
            _ => {}
        }
    }
    for sym in kind.symbols() {
        if unit == *sym && !sym.is_empty() {
            return Some(1.0);
        }
        if let Some(prefix) = unit.strip_suffix(sym) {
            let mut chars = prefix.chars();
            // One prefix letter; "c" (centi) only makes sense for centimetres.
            if let (Some(c), None) = (chars.next(), chars.next())
                && kind != Quantity::Decibel
                && (c != 'c' || kind == Quantity::Length)
                && let Some(f) = si_prefix(c)
            {
                return Some(f);
            }
        }
    }
    None
}

/// Parses a quantity with its unit into SI base units (`"10km"` → 10000.0 m).
///
/// A bare number is taken in the SI base unit (`"2"` as a length is 2 m). `field` names the option or
/// file field in the error, which lists the accepted form.
pub fn parse(text: &str, field: &str, kind: Quantity) -> Result<f64> {
    let bad = || Error::invalid(field, format!("'{text}'"), format!("expected {}", kind.example()));
    let (value, unit) = split_number(text).ok_or_else(bad)?;
    let factor = if unit.is_empty() { 1.0 } else { unit_factor(unit, kind).ok_or_else(bad)? };
    let si = value * factor;
    if si.is_finite() { Ok(si) } else { Err(bad()) }
}

/// Parses an optical or electrical power: `"-3dBm"`, `"0.5mW"` or `"1W"`. A bare number is dBm.
pub fn parse_power_dbm(text: &str, field: &str) -> Result<Dbm> {
    let bad = || {
        Error::invalid(field, format!("'{text}'"), "expected a power such as -3dBm or 0.5mW (a positive power in W)")
    };
    let (value, unit) = split_number(text).ok_or_else(bad)?;
    match unit {
        "" | "dBm" | "dbm" => Ok(Dbm(value)),
        _ => {
            let watts = value * unit_factor(unit, Quantity::Power).ok_or_else(bad)?;
            if watts > 0.0 && watts.is_finite() { Ok(Dbm::from_watts(watts)) } else { Err(bad()) }
        }
    }
}

/// Parses a dB value: `"28dB"` or `"28"`.
pub fn parse_db(text: &str, field: &str) -> Result<f64> {
    parse(text, field, Quantity::Decibel)
}

/// Largest number of points a range may expand to (protects against `1Hz:1THz:1Hz`).
pub const MAX_RANGE_POINTS: usize = 1_000_000;

/// Parses a single value, a comma list (`"1GHz,2GHz"`) or an inclusive range `"start:stop:step"`
/// (`"1GHz:50GHz:0.5GHz"`), each element with its unit.
pub fn parse_list(text: &str, field: &str, kind: Quantity) -> Result<Vec<f64>> {
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        [single] => single.split(',').map(|p| parse(p, field, kind)).collect(),
        [start, stop, step] => {
            let (a, b, s) = (parse(start, field, kind)?, parse(stop, field, kind)?, parse(step, field, kind)?);
            if !(s > 0.0) || b < a {
                return Err(Error::invalid(
                    field,
                    format!("'{text}'"),
                    "expected start:stop:step with stop >= start and step > 0",
                ));
            }
            // Tolerate rounding so that 1:2:0.1 includes 2. Counted in f64: a step that underflows
            // against the span gives a count beyond any integer, refused rather than wrapped to 0.
            let count = ((b - a) / s * (1.0 + 1e-12)).floor() + 1.0;
            if !(count <= MAX_RANGE_POINTS as f64) {
                return Err(Error::invalid(
                    field,
                    format!("'{text}' ({count:.3e} points)"),
                    format!("expected at most {MAX_RANGE_POINTS} points"),
                ));
            }
            Ok((0..count as usize).map(|i| a + s * i as f64).collect())
        }
        _ => Err(Error::invalid(field, format!("'{text}'"), "expected a value, a comma list or start:stop:step")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_issue_examples() {
        assert_eq!(parse("2m", "f", Quantity::Length).unwrap(), 2.0);
        assert_eq!(parse("10km", "f", Quantity::Length).unwrap(), 10_000.0);
        assert!((parse("1311nm", "f", Quantity::Length).unwrap() - 1.311e-6).abs() < 1e-18);
        assert_eq!(parse("26.5625GHz", "f", Quantity::Frequency).unwrap(), 26.5625e9);
        assert_eq!(parse("53.125GBd", "f", Quantity::SymbolRate).unwrap(), 53.125e9);
        assert_eq!(parse("106.25Gbps", "f", Quantity::BitRate).unwrap(), 106.25e9);
        assert_eq!(parse("212.5Gb/s", "f", Quantity::BitRate).unwrap(), 212.5e9);
        assert_eq!(parse("800G", "f", Quantity::BitRate).unwrap(), 800e9);
        assert_eq!(parse_power_dbm("-3dBm", "f").unwrap(), Dbm(-3.0));
        assert!((parse_power_dbm("1mW", "f").unwrap().0).abs() < 1e-12);
        assert_eq!(parse("1e-3V", "f", Quantity::Voltage).unwrap(), 1e-3);
        assert_eq!(parse("1mV", "f", Quantity::Voltage).unwrap(), 1e-3);
        assert_eq!(parse("12in", "f", Quantity::Length).unwrap(), 12.0 * 0.0254);
    }

    #[test]
    fn rejects_wrong_units_naming_the_field() {
        let e = parse("2GHz", "--length", Quantity::Length).unwrap_err().to_string();
        assert!(e.contains("--length") && e.contains("2GHz") && e.contains("length"), "{e}");
        assert!(parse("2cHz", "f", Quantity::Frequency).is_err());
        assert!(parse("", "f", Quantity::Length).is_err());
        assert!(parse("abc", "f", Quantity::Length).is_err());
        assert!(parse_power_dbm("-1mW", "f").is_err());
    }

    #[test]
    fn ranges_are_inclusive_and_bounded() {
        let v = parse_list("1GHz:50GHz:0.5GHz", "f", Quantity::Frequency).unwrap();
        assert_eq!(v.len(), 99);
        assert_eq!(*v.last().unwrap(), 50e9);
        assert_eq!(parse_list("1GHz,2GHz", "f", Quantity::Frequency).unwrap(), vec![1e9, 2e9]);
        assert!(parse_list("1Hz:1THz:1Hz", "f", Quantity::Frequency).is_err());
        assert!(parse_list("5GHz:1GHz:1GHz", "f", Quantity::Frequency).is_err());
        // Issue 14 reproducers: steps that underflow against the span gave an empty list (exit 0).
        for (text, kind) in [("0:1:5e-20", Quantity::Decibel), ("1GHz:2GHz:1e-300GHz", Quantity::Frequency)] {
            let e = parse_list(text, "f", kind).unwrap_err().to_string();
            assert!(e.contains("expected at most 1000000 points"), "{e}");
        }
    }

    #[test]
    fn db_round_trips() {
        assert!((db_to_power_ratio(power_ratio_to_db(3.7)) - 3.7).abs() < 1e-12);
        assert!((amplitude_ratio_to_db(0.5) + 6.020_599_913).abs() < 1e-9);
        assert!((Dbm::from_watts(1e-3).0).abs() < 1e-12);
        assert_eq!(Dbm(0.0) - Dbm(-3.0), Db(3.0));
    }
}
