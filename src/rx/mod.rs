//! Receiver: photodiode (PIN or APD), its noise (shot, dark current, thermal/TIA input noise) and the
//! 802.3 reference receiver (4th-order Bessel–Thomson at 0.5 × baud), which
//! [`apply_reference_receiver`] applies to a measured waveform.
//!
//! Noise is added to the photocurrent sample by sample as white noise over the simulation bandwidth
//! (`σ² = N0·fs/2` per sample), before the receiver filter, so the filter sets the noise bandwidth
//! (BT4 ENBW = 1.047·f3dB, derived; `docs/models.md` §5).

use crate::error::{Result, check_range};
use crate::math::fft::{RealFft, rfft_freqs_hz};
use crate::signal::Waveform;
use crate::signal::filters::{BANDWIDTH_HZ, FilterKind, LowPass};
use num_complex::Complex64;
use serde::{Deserialize, Serialize};

/// Elementary charge, C.
pub const ELEMENTARY_CHARGE_C: f64 = 1.602_176_634e-19;

/// Photodiode type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Photodiode {
    /// PIN: unity gain.
    Pin,
    /// Avalanche photodiode with gain M and excess noise `F(M) = kM + (1 − k)(2 − 1/M)`.
    Apd,
}

/// The receiver front end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Receiver {
    /// PIN or APD.
    pub photodiode: Photodiode,
    /// Responsivity (unity gain), A/W. Default 0.9 A/W (InGaAs PIN at 1310 nm, 0.85–0.95 typical \[S\]).
    pub responsivity_a_per_w: f64,
    /// Dark current (primary, unmultiplied), A. Default 10 nA \[est\].
    pub dark_current_a: f64,
    /// TIA input-referred noise density, A/√Hz. Default 15 pA/√Hz (16–17 pA/√Hz at 100G PAM4,
    /// Patel et al., JSSC 2022, and Zhang et al., SSC-L 2025 \[P\]).
    pub tia_noise_a_per_rthz: f64,
    /// APD gain M. Default 10 \[S\].
    pub apd_gain: f64,
    /// APD ionisation ratio k. Default 0.5 \[est\] (InGaAs/InP).
    pub apd_k: f64,
    /// Receiver filter shape; default the BT4 reference receiver.
    pub filter: FilterKind,
    /// Receiver 3 dB bandwidth, Hz; `None` is 0.5 × baud (the TDECQ reference receiver).
    pub bandwidth_hz: Option<f64>,
}

impl Default for Receiver {
    fn default() -> Self {
        Receiver {
            photodiode: Photodiode::Pin,
            responsivity_a_per_w: 0.9,
            dark_current_a: 10e-9,
            tia_noise_a_per_rthz: 15e-12,
            apd_gain: 10.0,
            apd_k: 0.5,
            filter: FilterKind::BesselThomson,
            bandwidth_hz: None,
        }
    }
}

impl Receiver {
    /// Gain M (1 for a PIN).
    pub fn gain(&self) -> f64 {
        match self.photodiode {
            Photodiode::Pin => 1.0,
            Photodiode::Apd => self.apd_gain,
        }
    }

    /// Excess noise factor F(M) (1 for a PIN).
    pub fn excess_noise(&self) -> f64 {
        let (m, k) = (self.gain(), self.apd_k);
        match self.photodiode {
            Photodiode::Pin => 1.0,
            Photodiode::Apd => k * m + (1.0 - k) * (2.0 - 1.0 / m),
        }
    }

    /// The receiver filter at `symbol_rate_baud`.
    pub fn low_pass(&self, symbol_rate_baud: f64) -> LowPass {
        LowPass::new(self.filter, self.bandwidth_hz.unwrap_or(0.5 * symbol_rate_baud))
    }

    /// Multiplied photocurrent for optical power `p_w`, A (signal plus dark current).
    pub fn current_a(&self, p_w: f64) -> f64 {
        self.gain() * (self.responsivity_a_per_w * p_w + self.dark_current_a)
    }

    /// Per-sample noise variance for multiplied current `i_a`, over one-sided bandwidth `b_hz`:
    /// shot `2q·M·F·I·B` (I already multiplied by M: `2q·M²F·I_primary·B`) + TIA `IRND²·B`
    /// (textbook forms \[T\]).
    pub fn noise_variance_a2(&self, i_a: f64, b_hz: f64) -> f64 {
        let shot = 2.0 * ELEMENTARY_CHARGE_C * self.gain() * self.excess_noise() * i_a.max(0.0) * b_hz;
        shot + self.tia_noise_a_per_rthz.powi(2) * b_hz
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_range("receiver.responsivity_a_per_w", self.responsivity_a_per_w, 0.01, 2.0, "A/W")?;
        check_range("receiver.dark_current_a", self.dark_current_a, 0.0, 1e-3, "A")?;
        check_range("receiver.tia_noise_a_per_rthz", self.tia_noise_a_per_rthz, 0.0, 1e-9, "A/sqrt(Hz)")?;
        check_range("receiver.apd_gain", self.apd_gain, 1.0, 1000.0, "")?;
        check_range("receiver.apd_k", self.apd_k, 0.0, 1.0, "")?;
        if let Some(b) = self.bandwidth_hz {
            BANDWIDTH_HZ.check("receiver.bandwidth_hz", b)?;
        }
        Ok(())
    }
}

/// Filters `wf` with the reference receiver of the 802.3 PAM4 optical PMDs' TDECQ test, a
/// 4th-order Bessel–Thomson low-pass at 0.5 × the symbol rate ([`LowPass::bessel_thomson`]).
/// The filtering is circular (one real FFT each way): the waveform is taken as one period of a
/// repeating pattern, as a captured PRBS or SSPRQ period is. An odd number of samples loses its
/// last sample (the real FFT takes an even length).
pub fn apply_reference_receiver(wf: &mut Waveform) {
    let mut samples = std::mem::take(&mut wf.samples);
    if samples.len() % 2 == 1 {
        samples.pop();
    }
    let n = samples.len();
    let mut fft = RealFft::new(n, &mut rustfft::FftPlanner::new());
    let mut spec = vec![Complex64::default(); n / 2 + 1];
    fft.forward(&samples, &mut spec);
    let bt = LowPass::bessel_thomson(0.5 * wf.symbol_rate_baud);
    for (s, f) in spec.iter_mut().zip(rfft_freqs_hz(n, wf.sample_rate_hz)) {
        *s *= bt.response(f);
    }
    fft.inverse(&spec, &mut samples);
    wf.samples = samples;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_and_apd_noise() {
        let pin = Receiver::default();
        // Derived example (`docs/models.md` §5): IRND 15 pA/√Hz over 0.75 × 26.5625 GHz → σ = 2.12 µA.
        let zero_light = Receiver { dark_current_a: 0.0, ..pin.clone() };
        let s = zero_light.noise_variance_a2(0.0, 0.75 * 26.5625e9).sqrt();
        assert!((s - 2.12e-6).abs() < 0.01e-6, "{s}");
        let apd = Receiver { photodiode: Photodiode::Apd, ..pin };
        // F(10) with k = 0.5: 5 + 0.5·1.9 = 5.95.
        assert!((apd.excess_noise() - 5.95).abs() < 1e-12);
        assert!((apd.current_a(1e-3) - 10.0 * (0.9e-3 + 10e-9)).abs() < 1e-15);
    }

    #[test]
    fn reference_receiver_keeps_dc_and_removes_what_lies_far_above_the_baud() {
        // 16 samples per UI at 1 GBd: 0.3 V DC plus a tone at 4 GHz (8 × the 0.5 GHz bandwidth).
        let n = 1024;
        let fs = 16e9;
        let tone = |i: usize| (2.0 * std::f64::consts::PI * 4e9 * i as f64 / fs).sin();
        let samples = (0..n + 1).map(|i| 0.3 + tone(i)).collect();
        let mut wf = Waveform { samples, sample_rate_hz: fs, symbol_rate_baud: 1e9 };
        apply_reference_receiver(&mut wf);
        assert_eq!(wf.samples.len(), n, "the odd sample is dropped");
        let mean = wf.samples.iter().sum::<f64>() / n as f64;
        assert!((mean - 0.3).abs() < 1e-6, "{mean}");
        let ripple = wf.samples.iter().map(|v| (v - 0.3).abs()).fold(0.0, f64::max);
        // BT4 at 8 × f3dB attenuates by more than 50 dB.
        assert!(ripple < 3e-3, "{ripple}");
    }
}
