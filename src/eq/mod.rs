//! Equalization: Tx FFE, CTLE, Rx FFE and DFE, their optimal taps, and the search that picks
//! the transmitter and CTLE settings.
//!
//! The chain follows IEEE 802.3-2022 Annex 93A (COM) and P802.3dj Annex 178A:
//! `H = H_ffe,tx · H_t · H_ch · H_r · H_ctle`, then the T-spaced Rx FFE and the DFE at the slicer.
//! * [`pulse`]: the pulse response of a channel (IFFT with DC extension, band-edge window and a
//!   peak-centred cut for causality), cursor by peak or Mueller–Müller.
//! * [`filters`]: Tx FFE (Σ|c| = 1), COM CTLE with the g_DC2 low-frequency pair, COM's Gaussian Tx
//!   edge (93A-46) and 4th-order Butterworth Rx filter (93A-20).
//! * [`mmse`]: joint MMSE Rx FFE + DFE with noise (nalgebra Cholesky), zero forcing, per-tap DFE
//!   limits, slicer SNR.
//! * [`lms`]: LMS and sign-sign LMS adaptation on a seeded waveform.
//! * [`search`]: CTLE × Tx FFE search maximising the slicer SNR, final metrics and BER.
//!
//! Time is in UI inside this module (`docs/models.md` §1); voltages are V for the Tx amplitude `A_v`.
//!
//! Every choice of an [`EqConfig`] parses from the text the command line takes (`FromStr`) and
//! deserializes from the same text, so a configuration can come from TOML ([`EqConfig::from_toml`]).
//!
//! ```
//! use photolink::channel::Medium;
//! use photolink::eq::{ChannelSpectrum, EqConfig, PulseConfig, equalize};
//! use photolink::metrics::Pam;
//!
//! let cfg = PulseConfig::com(53.125e9);
//! let grid: Vec<f64> = (0..=400).map(|i| i as f64 * 0.1e9).collect();
//! let cable = Medium::named("twinax-30awg")?.response(&grid, 2.0)?;
//! let spectrum = ChannelSpectrum::from_response(&cable, cfg)?;
//! let r = equalize(&spectrum, &EqConfig::new(Pam::PAM4, 1e-3))?;
//! assert!(r.snr_after_db > r.snr_before_db);
//! # Ok::<(), photolink::Error>(())
//! ```

pub mod filters;
pub mod lms;
pub mod mmse;
pub mod pulse;
pub mod search;

pub use filters::{Ctle, CtleGrid, Span, TxFfe, TxFfeGrid};
pub use lms::{Adaptation, AdaptedTaps, LmsConfig, Waveform, adapt, synthesize};
pub use mmse::{Criterion, DfeConfig, Problem, RxFfeShape, SlicerMetrics, Solver};
pub use pulse::{ChannelSpectrum, CursorRule, PulseConfig, PulseResponse, pulse_response};
pub use search::{CtleChoice, EqConfig, EqResult, EqTraces, Method, TxChoice, equalize, symbol_variance};

/// `Deserialize` of each equalizer choice from its `FromStr` text ([`crate::input::deserialize_text`]).
macro_rules! deserialize_from_text {
    ($($t:ty),*) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                crate::input::deserialize_text(deserializer)
            }
        }
    )*};
}

deserialize_from_text!(CtleChoice, TxChoice, Method, RxFfeShape, DfeConfig, CursorRule);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::{FrequencyResponse, Network};
    use crate::metrics::Pam;
    use num_complex::Complex64;

    use crate::test_support::channel_path as channel;

    #[test]
    fn every_thru_channel_gains_snr_within_declared_ranges() {
        // 40 GHz files at 53.125 GBd PAM4; the 15 GHz files at 25.78125 GBd NRZ (Nyquist 12.9 GHz).
        let cases = [
            ("example2_THRU.s4p", 53.125e9, Pam::PAM4),
            ("TEC_Whisper42p8in_Meg6_THRU_C8C9.s4p", 53.125e9, Pam::PAM4),
            ("TEC_Whisper42p8in_Nelco6_THRU_C8C9.s4p", 53.125e9, Pam::PAM4),
            ("peters_01_0605_B1_thru.s4p", 25.78125e9, Pam::NRZ),
            ("peters_01_0605_B12_thru.s4p", 25.78125e9, Pam::NRZ),
            ("peters_01_0605_T20_thru.s4p", 25.78125e9, Pam::NRZ),
            ("Case4_FM_13SI_20_T_D13_L6.s4p", 25.78125e9, Pam::NRZ),
        ];
        for (name, rate, pam) in cases {
            let net = Network::read(&channel(name)).unwrap();
            let (thru, _) = net.thru_response(None).unwrap();
            let spectrum = ChannelSpectrum::from_response(&thru, PulseConfig::com(rate)).unwrap();
            let cfg = EqConfig::new(pam, 1e-3);
            let r = equalize(&spectrum, &cfg).unwrap();
            assert!(r.snr_after_db > r.snr_before_db + 1.0, "{name}: {} -> {}", r.snr_before_db, r.snr_after_db);
            let ctle = r.ctle.unwrap();
            assert!(CtleGrid::default().contains(&ctle), "{name}: {ctle:?}");
            let tx = TxFfe { taps: r.tx_ffe_taps.clone(), main_index: r.tx_ffe_main_index };
            assert!(TxFfeGrid::default().contains(&tx), "{name}: {tx:?}");
            for (b, (lo, hi)) in r.dfe_taps.iter().zip(&cfg.dfe.limits) {
                assert!(*b >= lo - 1e-9 && *b <= hi + 1e-9, "{name}: DFE {b}");
            }
            assert!(r.search.combinations >= 1000);
            assert!(r.ber >= 0.0 && r.ber < 0.5);
        }
    }

    #[test]
    fn pure_delay_channel_gives_identity_taps_end_to_end() {
        let f: Vec<f64> = (0..=40_000).map(|i| i as f64 * 25e6).collect();
        let h = f.iter().map(|&f| Complex64::from_polar(1.0, -2.0 * std::f64::consts::PI * f * 2.1e-9)).collect();
        let delay = FrequencyResponse::new(f, h).unwrap();
        let mut pc = PulseConfig::com(25e9);
        (pc.tx_rise_time_s, pc.rx_bandwidth_hz) = (0.0, 0.0);
        let spectrum = ChannelSpectrum::from_response(&delay, pc).unwrap();
        let mut cfg = EqConfig::new(Pam::PAM4, 1e-3);
        (cfg.ctle, cfg.tx) = (CtleChoice::Off, TxChoice::Off);
        for method in [Method::Mmse, Method::ZeroForcing] {
            cfg.method = method;
            let r = equalize(&spectrum, &cfg).unwrap();
            for (j, w) in r.rx_ffe_taps.iter().enumerate() {
                let want = if j == r.rx_ffe_main_index { 1.0 } else { 0.0 };
                assert!((w - want).abs() < 1e-6, "{method:?} tap {j}: {w}");
            }
            assert!(r.dfe_taps[0].abs() < 1e-6 && r.residual_isi_rms < 1e-6, "{r:?}");
            assert!((r.snr_after_db - r.snr_before_db).abs() < 1e-6);
        }
    }

    #[test]
    fn final_tap_methods_rank_as_expected() {
        let net = Network::read(&channel("example2_THRU.s4p")).unwrap();
        let (thru, _) = net.thru_response(None).unwrap();
        let spectrum = ChannelSpectrum::from_response(&thru, PulseConfig::com(26.5625e9)).unwrap();
        let mut cfg = EqConfig::new(Pam::PAM4, 2e-3);
        cfg.tx = TxChoice::Off;
        let snr = |cfg: &EqConfig| equalize(&spectrum, cfg).unwrap().snr_after_db;
        let mmse = snr(&cfg);
        for (method, slack_db) in [(Method::ZeroForcing, 10.0), (Method::Lms, 0.5), (Method::SignSignLms, 1.5)] {
            cfg.method = method;
            let v = snr(&cfg);
            assert!(v <= mmse + 1e-9 && v > mmse - slack_db, "{method:?}: {v} vs MMSE {mmse}");
        }
        cfg.method = Method::Mmse;
        cfg.cursor = CursorRule::MuellerMuller;
        assert!(snr(&cfg) > mmse - 3.0);
    }
}
