//! Sampled waveforms and their import from CSV (a scope capture or an external simulation): the
//! time column fitted to a uniform grid, the unit of the values read from the header, the sample
//! rate and the length checked against what the eye analysis can use. The format and its limits
//! are described in `docs/waveform-import.md`.

use crate::error::{Error, Result};
use crate::input::Columns;
use crate::input::short_number;
use serde::Serialize;
use std::path::Path;

/// A uniformly sampled waveform (electrical or optical power).
#[derive(Debug, Clone, PartialEq)]
pub struct Waveform {
    /// Samples (W for optical power, V for a voltage).
    pub samples: Vec<f64>,
    /// Sample rate, Hz.
    pub sample_rate_hz: f64,
    /// Symbol rate, Bd.
    pub symbol_rate_baud: f64,
}

/// Fewest unit intervals an imported waveform must span for eye metrics and TDECQ.
pub const MIN_IMPORT_UI: f64 = 1000.0;
/// Samples per UI an imported waveform is resampled to.
pub const IMPORT_SAMPLES_PER_UI: usize = 32;
/// Most unit intervals an imported waveform may span: 2^19 UI (8 periods of SSPRQ, 9.9 µs at
/// 53.125 GBd). Resampled to [`IMPORT_SAMPLES_PER_UI`] it is 128 MiB of samples; the eye analysis
/// of it peaks at about 0.7 GB with the reference receiver (whose full-length FFT takes about four
/// times the waveform) and 0.2 GB without (measured, `docs/waveform-import.md`).
pub const MAX_IMPORT_UI: usize = 1 << 19;
/// Most data rows read from a waveform CSV: 2^24 (16 Mi samples, 128 MiB a column), enough for
/// [`MAX_IMPORT_UI`] at 32 samples/UI; reading stops at the next row, so no file (nor a `.gz` that
/// expands to [`crate::input::MAX_INPUT_BYTES`]) takes more than about 0.4 GB to refuse.
pub const MAX_IMPORT_SAMPLES: usize = 1 << 24;
/// Fewest samples per UI of an imported waveform: two samples a symbol. Below it the eye cannot be
/// drawn, and a rate typed in MHz for GHz would be taken for a very long capture.
pub const MIN_SAMPLES_PER_UI: f64 = 2.0;
/// Highest sample rate of an imported waveform, Hz (100 THz, beyond any real-time scope).
pub const MAX_SAMPLE_RATE_HZ: f64 = 1e14;

/// The unit of a capture's values: optical power (W, mW, uW, nW) or voltage (V, mV, uV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SampleUnit {
    /// Watt.
    #[serde(rename = "W")]
    W,
    /// Milliwatt.
    #[serde(rename = "mW")]
    MilliW,
    /// Microwatt.
    #[serde(rename = "uW")]
    MicroW,
    /// Nanowatt.
    #[serde(rename = "nW")]
    NanoW,
    /// Volt.
    #[serde(rename = "V")]
    V,
    /// Millivolt.
    #[serde(rename = "mV")]
    MilliV,
    /// Microvolt.
    #[serde(rename = "uV")]
    MicroV,
}

/// Every unit with its name and its size in W or V.
const SAMPLE_UNITS: [(SampleUnit, &str, f64); 7] = [
    (SampleUnit::W, "W", 1.0),
    (SampleUnit::MilliW, "mW", 1e-3),
    (SampleUnit::MicroW, "uW", 1e-6),
    (SampleUnit::NanoW, "nW", 1e-9),
    (SampleUnit::V, "V", 1.0),
    (SampleUnit::MilliV, "mV", 1e-3),
    (SampleUnit::MicroV, "uV", 1e-6),
];

impl SampleUnit {
    fn entry(self) -> (SampleUnit, &'static str, f64) {
        SAMPLE_UNITS.into_iter().find(|e| e.0 == self).unwrap_or(SAMPLE_UNITS[0])
    }

    /// Its symbol: W, mW, uW, nW, V, mV or uV.
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// One of it in W (optical) or V (electrical).
    pub fn si_scale(self) -> f64 {
        self.entry().2
    }

    /// Whether it is an optical power (else a voltage).
    pub fn is_optical(self) -> bool {
        !matches!(self, SampleUnit::V | SampleUnit::MilliV | SampleUnit::MicroV)
    }

    /// The unit a header word names, case-insensitive (`mw`, `MW` and `mW` are all milliwatt: no
    /// capture is in megawatt), with `µ` or `μ` for `u` and `watt(s)`, `volt(s)` spelled out.
    pub fn from_word(word: &str) -> Option<SampleUnit> {
        let word = word.trim().to_lowercase().replace(['µ', 'μ'], "u");
        let word = match word.as_str() {
            "watt" | "watts" => "w",
            "volt" | "volts" => "v",
            other => other,
        };
        SAMPLE_UNITS.into_iter().find(|e| e.1.eq_ignore_ascii_case(word)).map(|e| e.0)
    }

    /// The unit named by the header over `column` of `table`: `None` without a header or when
    /// its word is no unit. A logarithmic unit (dBm) is an error at the header's line (samples
    /// must be linear to be averaged and filtered), and so is a prefixed watt or volt that is not
    /// one of these (`pW`, `kV`): taken for no unit it would be read as W or V, wrong by its prefix.
    pub fn in_header(table: &Columns, column: usize) -> Result<Option<SampleUnit>> {
        let Some(word) = table.header_unit(column) else { return Ok(None) };
        if word.to_ascii_lowercase().starts_with("db") {
            return Err(table.header_error(format!("values in {word}: expected a linear unit ({})", unit_list())));
        }
        match SampleUnit::from_word(word) {
            None if is_prefixed_watt_or_volt(word) => {
                Err(table.header_error(format!("values in {word}: expected {} (or give --unit)", unit_list())))
            }
            unit => Ok(unit),
        }
    }
}

/// Whether a header word is an SI-prefixed watt or volt symbol (`pW`, `kV`, `µV`), known or not.
fn is_prefixed_watt_or_volt(word: &str) -> bool {
    let word = word.trim().to_lowercase().replace(['µ', 'μ'], "u");
    match word.as_bytes() {
        [b'w' | b'v'] => true,
        [prefix, b'w' | b'v'] => b"pnumkg".contains(prefix),
        _ => false,
    }
}

/// Half-width of the Lanczos kernel of [`Waveform::resampled`], samples: 8 (16 taps); a tone at
/// 0.3 of the sample rate is rebuilt within 1e-3 of its amplitude (unit test).
pub const LANCZOS_A: usize = 8;

/// `x` at the fractional index `t ≥ 0` ([`Waveform::resampled`]). The kernel's two sines come from
/// one `sin_cos` each: `sin(π(f + m)) = (−1)^m·sin(πf)`, and `sin(π(f + m)/a)` by rotating one step
/// `π/a` per tap.
fn lanczos_at(x: &[f64], t: f64) -> f64 {
    use std::f64::consts::PI;
    let j = t.floor() as usize;
    let f = t - j as f64;
    let last = x.len() - 1;
    if f < 1e-12 {
        return x[j.min(last)];
    }
    let a = LANCZOS_A as f64;
    let sin_pf = (PI * f).sin();
    let (mut sin_w, mut cos_w) = (PI * (f - a) / a).sin_cos();
    let (sin_d, cos_d) = (PI / a).sin_cos();
    let (mut sum, mut weights) = (0.0, 0.0);
    // m = j − k runs from −a (k = j + a) to a − 1 (k = j − a + 1); x = t − k = f + m.
    for m in -(LANCZOS_A as isize)..LANCZOS_A as isize {
        let xm = f + m as f64;
        let sign = if m % 2 == 0 { 1.0 } else { -1.0 };
        let w = a * sign * sin_pf * sin_w / (PI * PI * xm * xm);
        let k = (j as isize - m).clamp(0, last as isize) as usize;
        sum += w * x[k];
        weights += w;
        (sin_w, cos_w) = (sin_w * cos_d + cos_w * sin_d, cos_w * cos_d - sin_w * sin_d);
    }
    sum / weights
}

/// "W, mW, uW, nW, V, mV or uV".
fn unit_list() -> String {
    let names: Vec<&str> = SAMPLE_UNITS.iter().map(|e| e.1).collect();
    format!("{} or {}", names[..names.len() - 1].join(", "), names[names.len() - 1])
}

impl std::str::FromStr for SampleUnit {
    type Err = Error;

    /// A unit as [`SampleUnit::from_word`] reads it.
    fn from_str(text: &str) -> Result<SampleUnit> {
        SampleUnit::from_word(text)
            .ok_or_else(|| Error::invalid("sample_unit", format!("'{text}'"), format!("expected {}", unit_list())))
    }
}

/// Where the unit of a capture's values came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitSource {
    /// The header over the value column.
    Header,
    /// Given by the caller (the command line's `--unit`), over the header.
    Given,
    /// Neither: no header, or no unit in it; W is assumed.
    Assumed,
}

/// A waveform read from a CSV capture, with where its scale came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    /// The waveform, in W (optical) or V (electrical): the file's values times the unit's size.
    pub waveform: Waveform,
    /// The unit of the file's values.
    pub unit: SampleUnit,
    /// Where that unit came from.
    pub unit_from: UnitSource,
    /// Whether the sample rate was fitted to a time column (else it was given).
    pub rate_from_time_column: bool,
}

/// `x` Hz (or Bd) in GHz (GBd) for a message, to 6 digits.
fn ghz(x: f64) -> String {
    short_number(x / 1e9, 6)
}

/// What a sample rate `rate_hz` should have been at `symbol_rate_baud`, when it is outside
/// [`MIN_SAMPLES_PER_UI`] × the symbol rate ..= [`MAX_SAMPLE_RATE_HZ`].
fn sample_rate_fault(rate_hz: f64, symbol_rate_baud: f64) -> Option<String> {
    let min = MIN_SAMPLES_PER_UI * symbol_rate_baud;
    (!(min..=MAX_SAMPLE_RATE_HZ).contains(&rate_hz)).then(|| {
        format!(
            "expected {} GHz ..= {} GHz: at least {MIN_SAMPLES_PER_UI} samples per UI at {} GBd",
            ghz(min),
            ghz(MAX_SAMPLE_RATE_HZ),
            ghz(symbol_rate_baud)
        )
    })
}

impl Waveform {
    /// Samples per unit interval (may be fractional for imported data).
    pub fn samples_per_ui(&self) -> f64 {
        self.sample_rate_hz / self.symbol_rate_baud
    }

    /// Whole unit intervals spanned.
    pub fn n_ui(&self) -> usize {
        (self.samples.len() as f64 / self.samples_per_ui()).floor() as usize
    }

    /// The same signal on a grid of exactly `samples_per_ui` per UI, trimmed to whole UIs, by
    /// band-limited (Lanczos) interpolation: `y(t) = Σ_k x_k·L(t − k) / Σ_k L(t − k)` over the
    /// [`LANCZOS_A`]·2 nearest samples, `L(x) = sinc(x)·sinc(x/a)` (Duchon, J. Appl. Meteor. 18,
    /// 1979). A capture at 2 to 4 samples/UI keeps its edges' shape, where straight lines between
    /// samples would make triangles of them; the normalisation keeps a constant exact, and samples
    /// beyond the ends repeat the end values.
    pub fn resampled(&self, samples_per_ui: usize) -> Waveform {
        let step = self.samples_per_ui() / samples_per_ui as f64;
        let n = self.n_ui() * samples_per_ui;
        let samples = (0..n).map(|i| lanczos_at(&self.samples, i as f64 * step)).collect();
        Waveform {
            samples,
            sample_rate_hz: self.symbol_rate_baud * samples_per_ui as f64,
            symbol_rate_baud: self.symbol_rate_baud,
        }
    }

    /// Reads a CSV capture: two columns `time, value` (the sample rate fitted to the time column,
    /// [`Columns::sample_period_s`]) or one column `value` with `sample_rate_hz` given. The values'
    /// unit is `unit` when given, else the one the header names ([`SampleUnit::in_header`]), else
    /// W. The file is read as a stream of numbers ([`crate::input::read_columns`], `.gz` too), at
    /// most [`MAX_IMPORT_SAMPLES`] rows; the sample rate must be at least [`MIN_SAMPLES_PER_UI`] ×
    /// the symbol rate (a given one is checked before the file is read) and the capture must span
    /// [`MIN_IMPORT_UI`] ..= [`MAX_IMPORT_UI`] UI.
    pub fn read_csv(
        path: &Path,
        symbol_rate_baud: f64,
        sample_rate_hz: Option<f64>,
        unit: Option<SampleUnit>,
    ) -> Result<Capture> {
        check_rates(symbol_rate_baud, sample_rate_hz)?;
        let table = crate::input::read_columns(path, MAX_IMPORT_SAMPLES)?;
        Self::from_columns(table, symbol_rate_baud, sample_rate_hz, unit)
    }

    /// [`Waveform::read_csv`] on text already in memory; `file` labels errors.
    pub fn parse_csv(
        text: &str,
        file: &str,
        symbol_rate_baud: f64,
        sample_rate_hz: Option<f64>,
        unit: Option<SampleUnit>,
    ) -> Result<Capture> {
        let table = crate::input::parse_columns(text, file, MAX_IMPORT_SAMPLES)?;
        Self::from_columns(table, symbol_rate_baud, sample_rate_hz, unit)
    }

    /// The capture in a table already read (see [`Waveform::read_csv`]).
    fn from_columns(
        mut table: Columns,
        symbol_rate_baud: f64,
        sample_rate_hz: Option<f64>,
        unit: Option<SampleUnit>,
    ) -> Result<Capture> {
        check_rates(symbol_rate_baud, sample_rate_hz)?;
        table.expect_width(&[1, 2], "one column `value` (with a sample rate) or two `time,value`")?;
        let value_column = table.columns.len() - 1;
        let (unit, unit_from) = match unit {
            Some(u) => (u, UnitSource::Given),
            None => match SampleUnit::in_header(&table, value_column)? {
                Some(u) => (u, UnitSource::Header),
                None => (SampleUnit::W, UnitSource::Assumed),
            },
        };
        let rate = match (value_column, sample_rate_hz) {
            (1, None) => {
                let dt = table.sample_period_s(0)?;
                if let Some(expected) = sample_rate_fault(1.0 / dt, symbol_rate_baud) {
                    let message = format!(
                        "the time column gives a sample rate of {} GHz (step {} s): {expected}",
                        ghz(1.0 / dt),
                        short_number(dt, 6)
                    );
                    return Err(Error::Parse { file: table.file, line: 0, message });
                }
                1.0 / dt
            }
            (1, Some(fs)) => {
                let expected = "expected no sample rate with a time column: the rate is fitted to the time stamps";
                return Err(Error::invalid("sample_rate_hz", format!("{} GHz", ghz(fs)), expected));
            }
            (_, Some(fs)) => fs,
            (_, None) => {
                let expected = "expected a sample rate for a one-column waveform";
                return Err(Error::invalid("sample_rate_hz", "none", expected));
            }
        };
        let span_ui = table.rows() as f64 * symbol_rate_baud / rate;
        // Whole UIs are analysed, and a fitted rate is a hair off the true one: neither exactly
        // 1000 UI nor 2^19 UI is refused for it.
        if !(span_ui * (1.0 + 1e-6) >= MIN_IMPORT_UI && span_ui.floor() <= MAX_IMPORT_UI as f64) {
            let message = format!(
                "waveform length {span_ui:.1} UI: expected {MIN_IMPORT_UI} ..= {MAX_IMPORT_UI} UI at {} GBd",
                ghz(symbol_rate_baud)
            );
            return Err(Error::Parse { file: table.file, line: 0, message });
        }
        let mut samples = table.take_column(value_column);
        let scale = unit.si_scale();
        if scale != 1.0 {
            samples.iter_mut().for_each(|x| *x *= scale);
        }
        let waveform = Waveform { samples, sample_rate_hz: rate, symbol_rate_baud };
        Ok(Capture { waveform, unit, unit_from, rate_from_time_column: value_column == 1 })
    }
}

/// Checks the symbol rate, and a given sample rate against it.
fn check_rates(symbol_rate_baud: f64, sample_rate_hz: Option<f64>) -> Result<()> {
    super::SYMBOL_RATE_BAUD.check("symbol_rate_baud", symbol_rate_baud)?;
    match sample_rate_hz.and_then(|fs| Some((fs, sample_rate_fault(fs, symbol_rate_baud)?))) {
        Some((fs, expected)) => Err(Error::invalid("sample_rate_hz", format!("{} GHz", ghz(fs)), expected)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` samples of `time_s,<value header>` at 1 ps, values 0 ..= 6.
    fn csv(n: usize, header: Option<&str>) -> String {
        let mut s = header.map_or(String::new(), |h| format!("time_s,{h}\n"));
        for i in 0..n {
            s += &format!("{:e},{}\n", i as f64 * 1e-12, (i % 7) as f64);
        }
        s
    }

    #[test]
    fn reads_two_columns_with_header_and_checks_length() {
        // Exactly 1000 UI with rounded stamps, whose fitted rate is a hair off, are enough.
        let ui_s = 1.0 / 26.5625e9;
        let rounded: String = (0..4000).map(|i| format!("{:.5e},{}\n", i as f64 * ui_s / 4.0, i / 4 % 4)).collect();
        assert!(Waveform::parse_csv(&rounded, "w.csv", 26.5625e9, None, None).is_ok());
        // 1 ps steps at 50 GBd = 20 samples/UI; 20 001 samples = 1000 UI.
        let c = Waveform::parse_csv(&csv(20_001, Some("power_w")), "w.csv", 50e9, None, None).unwrap();
        let w = c.waveform;
        assert!((w.sample_rate_hz - 1e12).abs() < 1.0);
        assert!(c.rate_from_time_column);
        assert_eq!(w.resampled(32).samples.len(), w.n_ui() * 32);
        let short = Waveform::parse_csv(&csv(2_000, None), "w.csv", 50e9, None, None).unwrap_err().to_string();
        assert!(short.starts_with("w.csv:0: waveform length 100.0 UI: expected 1000 ..= 524288 UI"), "{short}");
        let bad = format!("{}1e-9,abc\n", csv(10, Some("power_w")));
        let e = Waveform::parse_csv(&bad, "w.csv", 50e9, None, None).unwrap_err().to_string();
        assert!(e.contains("w.csv:12") && e.contains("abc"), "{e}");
        let e = Waveform::parse_csv("1,2,3\n", "w.csv", 50e9, None, None).unwrap_err().to_string();
        assert!(e.starts_with("w.csv:1: expected one column `value`") && e.contains("found 3 columns"), "{e}");
    }

    #[test]
    fn one_column_needs_a_sample_rate_and_a_time_column_none() {
        let text: String = (0..40_000).map(|i| format!("{}\n", i % 3)).collect();
        let e = Waveform::parse_csv(&text, "w.csv", 50e9, None, None).unwrap_err().to_string();
        assert!(e.starts_with("invalid sample_rate_hz = none"), "{e}");
        let c = Waveform::parse_csv(&text, "w.csv", 50e9, Some(1e12), None).unwrap();
        assert_eq!(c.waveform.n_ui(), 2000);
        assert!(!c.rate_from_time_column);
        let e = Waveform::parse_csv(&csv(20_001, None), "w.csv", 50e9, Some(1e12), None).unwrap_err().to_string();
        assert!(e.contains("expected no sample rate with a time column"), "{e}");
    }

    #[test]
    fn a_sample_rate_below_two_samples_per_ui_is_refused() {
        // Issue 14: 850 MHz (typed for GHz) at 53.125 GBd ran for seconds and printed a TDECQ.
        let text: String = (0..40_000).map(|i| format!("{}\n", i % 3)).collect();
        let e = Waveform::parse_csv(&text, "w.csv", 53.125e9, Some(850e6), None).unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid sample_rate_hz = 0.85 GHz: expected 106.25 GHz ..= 100000 GHz: at least 2 samples per UI at \
             53.125 GBd"
        );
        // The file is not read for a bad given rate.
        let e = Waveform::read_csv(Path::new("/nonexistent.csv"), 53.125e9, Some(100e6), None).unwrap_err();
        assert!(e.to_string().starts_with("invalid sample_rate_hz = 0.1 GHz"), "{e}");
        // A fitted one names the file: 1 ps steps are 1 sample per UI at 1 TBd.
        let e = Waveform::parse_csv(&csv(20_001, None), "w.csv", 1e12, None, None).unwrap_err().to_string();
        assert!(e.starts_with("w.csv:0: the time column gives a sample rate of 1000 GHz (step 1"), "{e}");
        assert!(e.ends_with("expected 2000 GHz ..= 100000 GHz: at least 2 samples per UI at 1000 GBd"), "{e}");
    }

    #[test]
    fn a_capture_longer_than_the_analysis_bound_is_refused() {
        // 2 samples per UI: 2^20 + 4 samples are 2 more UI than MAX_IMPORT_UI.
        let text = "0\n1\n".repeat((1 << 19) + 2);
        let e = Waveform::parse_csv(&text, "w.csv", 50e9, Some(100e9), None).unwrap_err().to_string();
        assert!(e.starts_with("w.csv:0: waveform length 524290.0 UI: expected 1000 ..= 524288 UI"), "{e}");
    }

    #[test]
    fn the_values_unit_comes_from_the_flag_the_header_or_is_assumed() {
        let read = |header: Option<&str>, unit: Option<SampleUnit>| {
            Waveform::parse_csv(&csv(20_001, header), "w.csv", 50e9, None, unit)
        };
        // Issue 14: `power_mw` was read as W, an OMA 30 dB too high.
        let c = read(Some("power_mw"), None).unwrap();
        assert_eq!((c.unit, c.unit_from), (SampleUnit::MilliW, UnitSource::Header));
        assert_eq!(c.waveform.samples[6], 6e-3);
        for (header, unit) in
            [("P (uW)", SampleUnit::MicroW), ("Ampl[mV]", SampleUnit::MilliV), ("v nW", SampleUnit::NanoW)]
        {
            assert_eq!(read(Some(header), None).unwrap().unit, unit, "{header}");
        }
        let c = read(Some("power_mw"), Some(SampleUnit::V)).unwrap();
        assert_eq!((c.unit, c.unit_from, c.waveform.samples[6]), (SampleUnit::V, UnitSource::Given, 6.0));
        for header in [None, Some("value"), Some("power_au")] {
            let c = read(header, None).unwrap();
            assert_eq!((c.unit, c.unit_from, c.waveform.samples[6]), (SampleUnit::W, UnitSource::Assumed, 6.0));
        }
        let e = read(Some("power_dbm"), None).unwrap_err().to_string();
        assert_eq!(e, "w.csv:1: values in dbm: expected a linear unit (W, mW, uW, nW, V, mV or uV)");
        // Review finding: a prefixed unit not in the list was taken for no unit, so read as W.
        assert_eq!(read(Some("Voltage (uV)"), None).unwrap().unit, SampleUnit::MicroV);
        for header in ["power_pw", "Ampl (kV)", "p_GW"] {
            let e = read(Some(header), None).unwrap_err().to_string();
            assert!(e.starts_with("w.csv:1: values in ") && e.contains("(or give --unit)"), "{header}: {e}");
        }
    }

    /// Review finding: at 2-4 samples/UI straight lines between samples made triangles of a
    /// band-limited capture. A tone at 0.3 of the source rate comes back within 1e-3 of its
    /// amplitude (linear interpolation: cos(0.3π), 41 % low, midway between samples), and a
    /// constant exactly.
    #[test]
    fn resampling_is_band_limited() {
        let (baud, spui) = (25e9, 2.5);
        let tone = |t_ui: f64| (2.0 * std::f64::consts::PI * 0.3 * spui * t_ui + 0.4).cos();
        let n = (2000.0 * spui) as usize;
        let samples: Vec<f64> = (0..n).map(|k| tone(k as f64 / spui)).collect();
        let w = Waveform { samples, sample_rate_hz: baud * spui, symbol_rate_baud: baud };
        let r = w.resampled(32);
        let worst = r.samples[32 * 20..r.samples.len() - 32 * 20]
            .iter()
            .enumerate()
            .map(|(i, y)| (y - tone((i + 32 * 20) as f64 / 32.0)).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-3, "{worst}");
        let flat = Waveform { samples: vec![0.7; 100], ..w };
        assert!(flat.resampled(32).samples.iter().all(|&y| (y - 0.7).abs() < 1e-15));
    }

    #[test]
    fn units_parse_case_insensitively_and_name_their_scale() {
        for (text, unit) in [("mW", SampleUnit::MilliW), ("MW", SampleUnit::MilliW), ("µW", SampleUnit::MicroW)] {
            assert_eq!(text.parse::<SampleUnit>().unwrap(), unit);
        }
        assert_eq!("volts".parse::<SampleUnit>().unwrap(), SampleUnit::V);
        assert!(!SampleUnit::MilliV.is_optical() && SampleUnit::NanoW.is_optical());
        assert_eq!(SampleUnit::MicroW.si_scale(), 1e-6);
        let e = "dBm".parse::<SampleUnit>().unwrap_err().to_string();
        assert_eq!(e, "invalid sample_unit = 'dBm': expected W, mW, uW, nW, V, mV or uV");
    }
}
