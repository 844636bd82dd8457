//! Sampled waveforms and their import from CSV (a scope capture or an external simulation).

use crate::error::{Error, Result, check_range};
use std::path::Path;

/// A uniformly sampled waveform (electrical or optical power).
#[derive(Debug, Clone, PartialEq)]
pub struct Waveform {
    /// Samples (W for optical power).
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

impl Waveform {
    /// Samples per unit interval (may be fractional for imported data).
    pub fn samples_per_ui(&self) -> f64 {
        self.sample_rate_hz / self.symbol_rate_baud
    }

    /// Whole unit intervals spanned.
    pub fn n_ui(&self) -> usize {
        (self.samples.len() as f64 / self.samples_per_ui()).floor() as usize
    }

    /// The same signal on a grid of exactly `samples_per_ui` per UI (linear interpolation), trimmed to
    /// whole UIs.
    pub fn resampled(&self, samples_per_ui: usize) -> Waveform {
        let step = self.samples_per_ui() / samples_per_ui as f64;
        let n = self.n_ui() * samples_per_ui;
        let last = self.samples.len() - 1;
        let samples = (0..n)
            .map(|i| {
                let t = i as f64 * step;
                let j = (t.floor() as usize).min(last);
                let a = t - j as f64;
                let next = self.samples[(j + 1).min(last)];
                self.samples[j] * (1.0 - a) + next * a
            })
            .collect();
        Waveform {
            samples,
            sample_rate_hz: self.symbol_rate_baud * samples_per_ui as f64,
            symbol_rate_baud: self.symbol_rate_baud,
        }
    }

    /// Reads a CSV waveform: two columns `time, value` (time in s, uniform steps) or one column
    /// `value` with `sample_rate_hz` given. A first row that is not numeric is taken as a header; any
    /// later non-numeric row is an error naming its line. The waveform must span at least 1000 UI.
    pub fn read_csv(path: &Path, symbol_rate_baud: f64, sample_rate_hz: Option<f64>) -> Result<Waveform> {
        let text = crate::input::read_text(path)?;
        Self::parse_csv(&text, &path.display().to_string(), symbol_rate_baud, sample_rate_hz)
    }

    /// [`Waveform::read_csv`] on text already in memory; `file` labels errors.
    pub fn parse_csv(text: &str, file: &str, symbol_rate_baud: f64, sample_rate_hz: Option<f64>) -> Result<Waveform> {
        super::SYMBOL_RATE_BAUD.check("symbol_rate_baud", symbol_rate_baud)?;
        let rows = crate::input::parse_rows(text, file)?;
        let width = rows[0].1.len();
        let (samples, rate) = match (width, sample_rate_hz) {
            (1, Some(fs)) => (rows.iter().map(|r| r.1[0]).collect::<Vec<_>>(), fs),
            (1, None) => {
                return Err(Error::invalid(
                    "sample_rate_hz",
                    "none",
                    "expected a sample rate for a one-column waveform",
                ));
            }
            (2, _) => {
                let times: Vec<f64> = rows.iter().map(|r| r.1[0]).collect();
                (rows.iter().map(|r| r.1[1]).collect(), uniform_rate(&times, file)?)
            }
            (w, _) => {
                let message = format!("expected 1 or 2 columns, found {w}");
                return Err(Error::Parse { file: file.to_string(), line: rows[0].0, message });
            }
        };
        check_range("sample_rate_hz", rate, 1e6, 1e14, "Hz")?;
        let wf = Waveform { samples, sample_rate_hz: rate, symbol_rate_baud };
        let span_ui = wf.samples.len() as f64 / wf.samples_per_ui();
        if span_ui < MIN_IMPORT_UI {
            return Err(Error::invalid(
                "waveform length",
                format!("{span_ui:.1} UI"),
                format!("expected at least {MIN_IMPORT_UI} UI at {symbol_rate_baud} Bd"),
            ));
        }
        Ok(wf)
    }
}

/// Sample rate of a time column; steps must be uniform within 1 %.
fn uniform_rate(times: &[f64], file: &str) -> Result<f64> {
    if times.len() < 2 {
        return Err(Error::Parse { file: file.into(), line: 0, message: "expected at least two samples".into() });
    }
    let dt = (times[times.len() - 1] - times[0]) / (times.len() - 1) as f64;
    let uneven = times.windows(2).position(|w| ((w[1] - w[0]) - dt).abs() > 0.01 * dt.abs());
    match uneven {
        Some(i) => Err(Error::Parse {
            file: file.into(),
            line: 0,
            message: format!("time step at sample {} differs from the mean step {dt:e} s by more than 1 %", i + 1),
        }),
        None if dt > 0.0 => Ok(1.0 / dt),
        None => Err(Error::Parse { file: file.into(), line: 0, message: "time must increase".into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(n: usize, header: bool) -> String {
        let mut s = if header { "time_s,power_w\n".to_string() } else { String::new() };
        for i in 0..n {
            s += &format!("{:e},{}\n", i as f64 * 1e-12, (i % 7) as f64);
        }
        s
    }

    #[test]
    fn reads_two_columns_with_header_and_checks_length() {
        // 1 ps steps at 50 GBd = 20 samples/UI; 20 001 samples = 1000 UI.
        let w = Waveform::parse_csv(&csv(20_001, true), "w.csv", 50e9, None).unwrap();
        assert!((w.sample_rate_hz - 1e12).abs() < 1.0);
        assert_eq!(w.resampled(32).samples.len(), w.n_ui() * 32);
        let short = Waveform::parse_csv(&csv(2_000, false), "w.csv", 50e9, None).unwrap_err().to_string();
        assert!(short.contains("100.0 UI") && short.contains("1000 UI"), "{short}");
        let bad = format!("{}1e-9,abc\n", csv(10, true));
        let e = Waveform::parse_csv(&bad, "w.csv", 50e9, None).unwrap_err().to_string();
        assert!(e.contains("w.csv:12") && e.contains("abc"), "{e}");
    }

    #[test]
    fn one_column_needs_a_sample_rate() {
        let text: String = (0..40_000).map(|i| format!("{}\n", i % 3)).collect();
        assert!(Waveform::parse_csv(&text, "w.csv", 50e9, None).is_err());
        let w = Waveform::parse_csv(&text, "w.csv", 50e9, Some(1e12)).unwrap();
        assert_eq!(w.n_ui(), 2000);
    }
}
