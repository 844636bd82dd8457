//! Transmitter: the electrical driver, the laser and the modulators that turn a drive signal into
//! optical power (MZM, EAM/EML, silicon microring, VCSEL/DML).
//!
//! Every model states its equation and source; defaults are published typical values (sources in
//! `docs/references.md`) or marked \[est\] (estimate, a parameter to set).

pub mod modulator;

pub use modulator::{DirectLaser, Eam, Microring, Modulator, ModulatorKind, Mzm};

use crate::channel::fiber::WAVELENGTH_M;
use crate::error::{Result, check_range};
use crate::signal::filters::{FilterKind, LowPass};
use serde::{Deserialize, Serialize};

/// The electrical driver: swing, bandwidth, Tx FFE (pre-emphasis) and jitter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Driver {
    /// Peak-to-peak output swing, V (normalised drive ±1 ↔ ±swing/2). Default 1.5 V \[est\].
    pub swing_v: f64,
    /// Bandwidth shape: gaussian, rc, bessel-thomson or none.
    pub filter: FilterKind,
    /// 3 dB bandwidth, Hz. Default 45 GHz \[est\] (a 53 GBd-class driver).
    pub bandwidth_hz: f64,
    /// Tx FFE taps on the symbol sequence, cursor at `ffe_main`; default `[1]` (off).
    pub ffe_taps: Vec<f64>,
    /// Index of the cursor in `ffe_taps`.
    pub ffe_main: usize,
    /// Random jitter, RMS, UI (Gaussian per edge). Default 0.005 UI \[est\].
    pub rj_rms_ui: f64,
    /// Deterministic jitter, peak-to-peak, UI (dual-Dirac ±DJ/2 per edge). Default 0.02 UI \[est\].
    pub dj_pp_ui: f64,
    /// Level pre-distortion, as a DSP transmitter applies it: the inner PAM4 drive levels are moved
    /// so the modulator's static transfer gives equally spaced optical levels between the outer
    /// ones (RLM 1 before bandwidth effects; 802.3 PAM4 optics require RLM ≥ 0.95). Default off.
    pub level_predistortion: bool,
}

impl Default for Driver {
    fn default() -> Self {
        Driver {
            swing_v: 1.5,
            filter: FilterKind::Gaussian,
            bandwidth_hz: 45e9,
            ffe_taps: vec![1.0],
            ffe_main: 0,
            rj_rms_ui: 0.005,
            dj_pp_ui: 0.02,
            level_predistortion: false,
        }
    }
}

impl Driver {
    /// The driver's low-pass response.
    pub fn low_pass(&self) -> LowPass {
        LowPass::new(self.filter, self.bandwidth_hz)
    }

    /// Checks the parameters (field names as in a link file).
    pub fn validate(&self) -> Result<()> {
        check_range("driver.swing_v", self.swing_v, 1e-3, 20.0, "V")?;
        self.low_pass().validate("driver.bandwidth_hz")?;
        check_range("driver.rj_rms_ui", self.rj_rms_ui, 0.0, 0.1, "UI")?;
        check_range("driver.dj_pp_ui", self.dj_pp_ui, 0.0, 0.5, "UI")?;
        if self.ffe_taps.is_empty() || self.ffe_taps.len() > 16 || self.ffe_main >= self.ffe_taps.len() {
            return Err(crate::Error::invalid(
                "driver.ffe_taps",
                match self.ffe_taps.len() {
                    n @ 17.. => format!("{n} taps (main {})", self.ffe_main),
                    _ => format!("{:?} (main {})", self.ffe_taps, self.ffe_main),
                },
                "expected 1..=16 taps with driver.ffe_main indexing one of them",
            ));
        }
        for &c in &self.ffe_taps {
            check_range("driver.ffe_taps", c, -1.0, 1.0, "")?;
        }
        Ok(())
    }
}

/// The CW laser feeding an external modulator (and the RIN of any source).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Laser {
    /// Output power, dBm. Default 10 dBm \[est\] (a DR/FR-class DFB or CW source).
    pub power_dbm: f64,
    /// Relative intensity noise, dB/Hz. Default −145 dB/Hz \[est\]; 802.3 bounds RIN21.4OMA at
    /// −136 dB/Hz (IEEE 802.3bs-2017 Table 124-6) and VCSELs reach ≈ −130 (28 GBd VCSELs \[S\]).
    pub rin_db_per_hz: f64,
    /// Wavelength, m. Default 1311 nm (DR4 lane, IEEE 802.3bs-2017 clause 124).
    pub wavelength_m: f64,
}

impl Default for Laser {
    fn default() -> Self {
        Laser { power_dbm: 10.0, rin_db_per_hz: -145.0, wavelength_m: 1311e-9 }
    }
}

impl Laser {
    /// Output power, W.
    pub fn power_w(&self) -> f64 {
        1e-3 * 10f64.powf(self.power_dbm / 10.0)
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_range("laser.power_dbm", self.power_dbm, -30.0, 30.0, "dBm")?;
        check_range("laser.rin_db_per_hz", self.rin_db_per_hz, -200.0, -100.0, "dB/Hz")?;
        WAVELENGTH_M.check("laser.wavelength_m", self.wavelength_m).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_tap_list_is_refused_by_its_length_not_printed_whole() {
        let driver = Driver { ffe_taps: vec![0.0; 100_000], ..Driver::default() };
        let e = driver.validate().unwrap_err().to_string();
        assert!(e.starts_with("invalid driver.ffe_taps = 100000 taps (main 0): expected 1..=16 taps"), "{e}");
        let driver = Driver { ffe_taps: vec![0.1, 0.8], ffe_main: 2, ..Driver::default() };
        assert!(driver.validate().unwrap_err().to_string().contains("[0.1, 0.8] (main 2)"));
    }
}
