//! Analog low-pass responses used for drivers, modulators and reference receivers, as complex
//! transfer functions of frequency (applied to periodic waveforms in the frequency domain).
//!
//! * Gaussian: `H(f) = exp(−(ln 2/2)·(f/f3)²)` (|H|² = ½ at f3; zero phase) \[T\].
//! * First-order RC: `H(f) = 1/(1 + j·f/f3)` \[T\].
//! * 4th-order Bessel–Thomson (the 802.3 reference receiver): `H(y) = 105/(105 + 105y + 45y² + 10y³ + y⁴)`,
//!   `y = 2.114·j·f/f_r`, −3.01 dB at f_r (\[T\]; the 802.3 form \[U\]; `docs/models.md` §5).

use crate::error::{Bounds, Error, Result};
use num_complex::Complex64;
use serde::{Deserialize, Serialize};

/// The shape of a low-pass response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FilterKind {
    /// Gaussian magnitude, zero phase.
    Gaussian,
    /// First-order RC.
    Rc,
    /// 4th-order Bessel–Thomson.
    BesselThomson,
    /// No bandwidth limit.
    None,
}

impl FilterKind {
    /// Parses `gaussian`, `rc`, `bessel-thomson` (or `bt4`), `none`.
    pub fn parse(text: &str, field: &str) -> Result<FilterKind> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "gaussian" => FilterKind::Gaussian,
            "rc" => FilterKind::Rc,
            "bessel-thomson" | "bt4" => FilterKind::BesselThomson,
            "none" => FilterKind::None,
            _ => {
                return Err(Error::invalid(
                    field,
                    format!("'{text}'"),
                    "expected gaussian, rc, bessel-thomson or none",
                ));
            }
        })
    }
}

/// A low-pass filter: shape and 3 dB frequency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LowPass {
    /// Shape.
    pub kind: FilterKind,
    /// 3 dB frequency, Hz.
    pub f3db_hz: f64,
}

/// 3 dB frequencies a filter may have: 1 MHz to 10 THz.
pub const BANDWIDTH_HZ: Bounds = Bounds::new(1e6, 1e13, "Hz");

/// 4th-order Bessel–Thomson frequency scaling so that |H| = −3.01 dB at f_r.
const BT4_SCALE: f64 = 2.114;

impl LowPass {
    /// A filter of this shape and bandwidth.
    pub fn new(kind: FilterKind, f3db_hz: f64) -> LowPass {
        LowPass { kind, f3db_hz }
    }

    /// The 802.3 reference receiver: 4th-order Bessel–Thomson at `f3db_hz`.
    pub fn bessel_thomson(f3db_hz: f64) -> LowPass {
        LowPass::new(FilterKind::BesselThomson, f3db_hz)
    }

    /// `H(f)`; `f` may be negative (the conjugate symmetric value is returned).
    pub fn response(&self, freq_hz: f64) -> Complex64 {
        let x = freq_hz.abs() / self.f3db_hz;
        let h = match self.kind {
            FilterKind::None => Complex64::new(1.0, 0.0),
            FilterKind::Gaussian => Complex64::new((-0.5 * std::f64::consts::LN_2 * x * x).exp(), 0.0),
            FilterKind::Rc => Complex64::new(1.0, 0.0) / Complex64::new(1.0, x),
            FilterKind::BesselThomson => {
                let y = Complex64::new(0.0, BT4_SCALE * x);
                let y2 = y * y;
                105.0 / (105.0 + 105.0 * y + 45.0 * y2 + 10.0 * y2 * y + y2 * y2)
            }
        };
        if freq_hz < 0.0 { h.conj() } else { h }
    }

    /// Checks the 3 dB frequency (1 MHz–10 THz) unless the filter is `None`.
    pub fn validate(&self, field: &str) -> Result<()> {
        if self.kind != FilterKind::None {
            BANDWIDTH_HZ.check(field, self.f3db_hz)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(h: Complex64) -> f64 {
        20.0 * h.norm().log10()
    }

    #[test]
    fn three_db_points_and_bt4_vectors() {
        for kind in [FilterKind::Gaussian, FilterKind::Rc, FilterKind::BesselThomson] {
            let f = LowPass::new(kind, 26.5625e9);
            assert!((db(f.response(26.5625e9)) + 3.01).abs() < 0.02, "{kind:?}");
            assert!((f.response(0.0).re - 1.0).abs() < 1e-12);
        }
        // Derived (`docs/models.md` §5): BT4 −0.71 dB at 0.5·f3dB, −7.42 dB at 1.5·f3dB.
        let bt = LowPass::bessel_thomson(1.0e9);
        assert!((db(bt.response(0.5e9)) + 0.71).abs() < 0.02);
        assert!((db(bt.response(1.5e9)) + 7.42).abs() < 0.03);
        assert_eq!(bt.response(-0.3e9), bt.response(0.3e9).conj());
    }

    #[test]
    fn bt4_noise_bandwidth_is_1_047_f3db() {
        let bt = LowPass::bessel_thomson(1.0);
        let df = 1e-4;
        let enbw: f64 = (0..200_000).map(|i| bt.response((i as f64 + 0.5) * df).norm_sqr() * df).sum();
        assert!((enbw - 1.047).abs() < 0.005, "{enbw}");
    }
}
