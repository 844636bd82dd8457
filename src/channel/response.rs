//! [`FrequencyResponse`]: a linear transfer function sampled on a frequency grid.

use crate::error::{Error, Result};
use crate::units::amplitude_ratio_to_db;
use num_complex::Complex64;
use std::f64::consts::PI;

/// A linear (voltage or photocurrent) transfer function `H(f)` on an increasing frequency grid.
///
/// Loss is `−20·log10|H|` in dB (positive for a lossy channel). For an IM/DD optical link `H` is the
/// electrical-domain response (photocurrent out per drive in), so its dB are electrical dB.
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyResponse {
    /// Frequencies in Hz, strictly increasing, all >= 0.
    pub freq_hz: Vec<f64>,
    /// Complex transfer at each frequency.
    pub h: Vec<Complex64>,
}

impl FrequencyResponse {
    /// Builds a response, checking that the grid is non-empty, finite, non-negative and strictly
    /// increasing and that there is one value per frequency.
    pub fn new(freq_hz: Vec<f64>, h: Vec<Complex64>) -> Result<Self> {
        if freq_hz.is_empty() || freq_hz.len() != h.len() {
            return Err(Error::invalid(
                "frequency response",
                format!("{} frequencies, {} values", freq_hz.len(), h.len()),
                "expected at least one frequency and one value per frequency",
            ));
        }
        if let Some(w) = freq_hz.windows(2).position(|w| !(w[1] > w[0])) {
            return Err(Error::invalid(
                "frequency grid",
                format!("{} Hz followed by {} Hz", freq_hz[w], freq_hz[w + 1]),
                "expected strictly increasing frequencies",
            ));
        }
        if !(freq_hz[0] >= 0.0) || !freq_hz[freq_hz.len() - 1].is_finite() {
            return Err(Error::invalid("frequency grid", freq_hz[0], "expected finite frequencies >= 0 Hz"));
        }
        Ok(FrequencyResponse { freq_hz, h })
    }

    /// Lowest and highest frequency of the grid, Hz.
    pub fn range_hz(&self) -> (f64, f64) {
        (self.freq_hz[0], self.freq_hz[self.freq_hz.len() - 1])
    }

    /// Insertion loss `−20·log10|H|` in dB at each grid frequency.
    pub fn loss_db(&self) -> Vec<f64> {
        self.h.iter().map(|h| -amplitude_ratio_to_db(h.norm())).collect()
    }

    /// The response interpolated onto `grid_hz` (strictly increasing).
    ///
    /// Interpolation is linear in log-magnitude and in unwrapped phase between neighbouring
    /// samples (polar interpolation, as COM tools do, so a delay line stays a delay line).
    /// A frequency outside the data range (beyond a relative tolerance of 1e-9) is an error that
    /// names the frequency and the valid range: extrapolating a measured channel is never silent.
    pub fn interpolate(&self, grid_hz: &[f64]) -> Result<FrequencyResponse> {
        let (lo, hi) = self.range_hz();
        let tol = 1e-9 * hi.abs().max(1.0);
        let log_mag: Vec<f64> = self.h.iter().map(|h| h.norm().max(1e-300).ln()).collect();
        let phase = unwrap_phase(&self.h);
        let mut h = Vec::with_capacity(grid_hz.len());
        for &f in grid_hz {
            if !(f >= lo - tol && f <= hi + tol) {
                return Err(Error::invalid(
                    "frequency",
                    format!("{:.6} GHz", f / 1e9),
                    format!("the data cover {:.6} GHz ..= {:.6} GHz", lo / 1e9, hi / 1e9),
                ));
            }
            let f = f.clamp(lo, hi);
            let i = self.freq_hz.partition_point(|&x| x <= f).clamp(1, self.freq_hz.len().max(2) - 1);
            let (m, p) = if self.freq_hz.len() == 1 {
                (log_mag[0], phase[0])
            } else {
                let (f0, f1) = (self.freq_hz[i - 1], self.freq_hz[i]);
                let t = (f - f0) / (f1 - f0);
                (log_mag[i - 1] + t * (log_mag[i] - log_mag[i - 1]), phase[i - 1] + t * (phase[i] - phase[i - 1]))
            };
            h.push(Complex64::from_polar(m.exp(), p));
        }
        FrequencyResponse::new(grid_hz.to_vec(), h)
    }

    /// Insertion loss in dB at one frequency, interpolated.
    pub fn loss_db_at(&self, freq_hz: f64) -> Result<f64> {
        Ok(-amplitude_ratio_to_db(self.interpolate(&[freq_hz])?.h[0].norm()))
    }
}

/// Phase of each value, unwrapped so that successive samples differ by less than π.
pub fn unwrap_phase(h: &[Complex64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(h.len());
    let mut offset = 0.0;
    let mut prev = 0.0;
    for (i, z) in h.iter().enumerate() {
        let p = z.arg();
        if i > 0 {
            let d = p + offset - prev;
            offset -= 2.0 * PI * (d / (2.0 * PI)).round();
        }
        prev = p + offset;
        out.push(prev);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delay_line(delay_s: f64, loss_db_per_ghz: f64, freq_hz: &[f64]) -> FrequencyResponse {
        let h = freq_hz
            .iter()
            .map(|&f| {
                let mag = 10f64.powf(-loss_db_per_ghz * f / 1e9 / 20.0);
                Complex64::from_polar(mag, -2.0 * PI * f * delay_s)
            })
            .collect();
        FrequencyResponse::new(freq_hz.to_vec(), h).unwrap()
    }

    #[test]
    fn polar_interpolation_is_exact_for_delay_with_db_linear_loss() {
        let grid: Vec<f64> = (0..=400).map(|i| i as f64 * 100e6).collect();
        let r = delay_line(1e-9, 0.5, &grid);
        let fine: Vec<f64> = (0..1000).map(|i| 37e6 + i as f64 * 39.1e6).collect();
        let exact = delay_line(1e-9, 0.5, &fine);
        let got = r.interpolate(&fine).unwrap();
        for (a, b) in got.h.iter().zip(&exact.h) {
            assert!((a - b).norm() < 1e-9, "{a} vs {b}");
        }
    }

    #[test]
    fn out_of_range_names_frequency_and_range() {
        let r = delay_line(0.0, 1.0, &[1e9, 2e9, 3e9]);
        let e = r.interpolate(&[5e9]).unwrap_err().to_string();
        assert!(e.contains("5.000000 GHz") && e.contains("1.000000 GHz ..= 3.000000 GHz"), "{e}");
        assert!((r.loss_db_at(2e9).unwrap() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_grids() {
        assert!(FrequencyResponse::new(vec![2.0, 1.0], vec![Complex64::new(1.0, 0.0); 2]).is_err());
        assert!(FrequencyResponse::new(vec![], vec![]).is_err());
        assert!(FrequencyResponse::new(vec![1.0], vec![]).is_err());
    }
}
