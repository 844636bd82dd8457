//! The linear blocks of the equalized link: Tx FFE, CTLE, and COM's reference Tx edge and Rx filter.
//!
//! Every transfer function is written with `f` in Hz; the equations are those of IEEE 802.3
//! Annex 93A (IEEE 802.3-2022; 93A-20, 93A-21, 93A-22, 93A-46).

use crate::error::{Bounds, Error, Result};
use num_complex::Complex64;
use serde::Serialize;
use std::f64::consts::PI;

/// Transmitter FIR feed-forward equalizer (802.3 "Tx FFE", T-spaced).
///
/// `y(t) = Σ_k c_k·x(t − k·T)` with `k = −main_index ..` ; the taps satisfy `Σ|c_k| = 1` as
/// 802.3 transmitters do (the peak swing is fixed, so de-emphasis lowers the low-frequency level),
/// and the main tap `c_0 = 1 − Σ_{k≠0}|c_k|` (93A-21).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TxFfe {
    /// Tap weights, earliest (largest pre-cursor) first.
    pub taps: Vec<f64>,
    /// Index of the main tap `c_0` in `taps`.
    pub main_index: usize,
}

impl TxFfe {
    /// The pass-through transmitter `[1]`.
    pub fn identity() -> TxFfe {
        TxFfe { taps: vec![1.0], main_index: 0 }
    }

    /// Taps as given (main tap at `main_index`), checked: `Σ|c| = 1` within 1e-3 and `c_0 > 0`.
    pub fn new(taps: Vec<f64>, main_index: usize) -> Result<TxFfe> {
        if taps.is_empty() || main_index >= taps.len() || taps.len() > MAX_TX_TAPS {
            return Err(Error::invalid(
                "taps",
                format!("{} taps, main at {main_index}", taps.len()),
                format!("expected 1 ..= {MAX_TX_TAPS} taps with the main tap among them"),
            ));
        }
        let sum: f64 = taps.iter().map(|c| c.abs()).sum();
        if !sum.is_finite() || (sum - 1.0).abs() > 1e-3 || !(taps[main_index] > 0.0) {
            return Err(Error::invalid(
                "taps",
                format!("{taps:?}"),
                "expected taps with sum |c| = 1 (802.3 Tx FFE, 93A-21) and a positive main tap",
            ));
        }
        Ok(TxFfe { taps, main_index })
    }

    /// From the non-main taps, ordered `[c(−p) … c(−1), c(1) … c(q)]` with `pre` pre-cursor taps:
    /// `c_0 = 1 − Σ|c_k|` (93A-21). `None` when `c_0 < c0_min`.
    pub fn from_side_taps(side: &[f64], pre: usize, c0_min: f64) -> Option<TxFfe> {
        let c0 = 1.0 - side.iter().map(|c| c.abs()).sum::<f64>();
        if c0 < c0_min - 1e-12 {
            return None;
        }
        let mut taps = side[..pre].to_vec();
        taps.push(c0);
        taps.extend_from_slice(&side[pre..]);
        Some(TxFfe { taps, main_index: pre })
    }

    /// The main tap `c_0`.
    pub fn main(&self) -> f64 {
        self.taps[self.main_index]
    }

    /// Transfer function `Σ c_k·e^{−j2πf·k·T}` at `freq_hz` for unit interval `ui_s`.
    pub fn transfer(&self, freq_hz: f64, ui_s: f64) -> Complex64 {
        fir_transfer(&self.taps, self.main_index, freq_hz, ui_s)
    }

    /// Applies the FIR to a pulse sampled `samples_per_ui` times per UI, keeping its length and
    /// alignment (the main tap does not move the pulse); samples shifted outside are dropped.
    pub fn apply_oversampled(&self, pulse: &[f64], samples_per_ui: usize) -> Vec<f64> {
        fir_oversampled(&self.taps, self.main_index, pulse, samples_per_ui)
    }
}

/// Largest Tx FFE accepted.
pub const MAX_TX_TAPS: usize = 16;

/// `Σ_k w_k·e^{−j2πf(k − main)T}`: the transfer of a T-spaced FIR whose tap `main` is time zero.
pub fn fir_transfer(taps: &[f64], main: usize, freq_hz: f64, ui_s: f64) -> Complex64 {
    taps.iter()
        .enumerate()
        .map(|(k, &c)| c * Complex64::from_polar(1.0, -2.0 * PI * freq_hz * (k as f64 - main as f64) * ui_s))
        .sum()
}

/// `y(t) = Σ_k w_k·x(t − (k − main)·T)` on an oversampled pulse, same length and alignment.
pub fn fir_oversampled(taps: &[f64], main: usize, pulse: &[f64], samples_per_ui: usize) -> Vec<f64> {
    let n = pulse.len() as isize;
    let mut out = vec![0.0; pulse.len()];
    for (k, &c) in taps.iter().enumerate() {
        let shift = (k as isize - main as isize) * samples_per_ui as isize;
        for (i, o) in out.iter_mut().enumerate() {
            let src = i as isize - shift;
            if (0..n).contains(&src) {
                *o += c * pulse[src as usize];
            }
        }
    }
    out
}

/// An inclusive range of values `min, min + step, …, max` (a search axis).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Span {
    /// First value.
    pub min: f64,
    /// Last value (included when on the step grid).
    pub max: f64,
    /// Increment (> 0; ignored when `min == max`).
    pub step: f64,
}

impl Span {
    /// A span from its three numbers.
    pub const fn new(min: f64, max: f64, step: f64) -> Span {
        Span { min, max, step }
    }

    /// The single value `v`.
    pub const fn fixed(v: f64) -> Span {
        Span { min: v, max: v, step: 1.0 }
    }

    /// The values of the span.
    pub fn values(&self) -> Vec<f64> {
        if self.max <= self.min || !(self.step > 0.0) {
            return vec![self.min];
        }
        let n = ((self.max - self.min) / self.step + 1e-9).floor() as usize;
        // Rounded to 1e-12 so that e.g. −0.3 + 6·0.05 is 0, not 5.6e-17.
        (0..=n).map(|i| ((self.min + i as f64 * self.step) * 1e12).round() / 1e12).collect()
    }

    /// Whether `v` lies inside the span (with a rounding tolerance).
    pub fn contains(&self, v: f64) -> bool {
        v >= self.min - 1e-9 && v <= self.max + 1e-9
    }
}

/// The Tx FFE search space: three side taps `c(−2), c(−1), c(1)` and a floor on `c_0`.
///
/// The ranges are those of the 802.3ck KR COM sheet (MATLAB COM 3.70 as transcribed by serdeskit:
/// c(−2) 0…0.12, c(−1) −0.34…0, c(1) −0.2…0, c0 ≥ 0.54); the default steps (0.06, 0.05, 0.1 over
/// c(−2) 0…0.12, c(−1) −0.3…0, c(1) −0.2…0) are coarser than the sheet's 0.02 (an **estimate**,
/// chosen so that the 147-setting CTLE grid × Tx presets stays near 8000 points and the whole
/// search runs in well under 200 ms on one core). c(−3) is 0 as in 802.3dj D3.3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TxFfeGrid {
    /// Second pre-cursor tap c(−2).
    pub pre2: Span,
    /// First pre-cursor tap c(−1).
    pub pre1: Span,
    /// First post-cursor tap c(1).
    pub post1: Span,
    /// Lowest main tap accepted.
    pub c0_min: f64,
}

impl Default for TxFfeGrid {
    fn default() -> Self {
        TxFfeGrid {
            pre2: Span::new(0.0, 0.12, 0.06),
            pre1: Span::new(-0.3, 0.0, 0.05),
            post1: Span::new(-0.2, 0.0, 0.1),
            c0_min: 0.54,
        }
    }
}

impl TxFfeGrid {
    /// Every setting of the grid with `c_0 ≥ c0_min`, as 4-tap FFEs `[c(−2), c(−1), c_0, c(1)]`.
    pub fn presets(&self) -> Vec<TxFfe> {
        let mut out = Vec::new();
        for &a in &self.pre2.values() {
            for &b in &self.pre1.values() {
                for &c in &self.post1.values() {
                    out.extend(TxFfe::from_side_taps(&[a, b, c], 2, self.c0_min));
                }
            }
        }
        out
    }

    /// Whether `tx` is a setting of this grid's ranges.
    pub fn contains(&self, tx: &TxFfe) -> bool {
        tx.taps.len() == 4
            && tx.main_index == 2
            && self.pre2.contains(tx.taps[0])
            && self.pre1.contains(tx.taps[1])
            && self.post1.contains(tx.taps[3])
            && tx.main() >= self.c0_min - 1e-9
    }
}

/// Continuous-time linear equalizer in the 802.3 COM parameterisation (93A-22 extended with the
/// low-frequency pole/zero pair of 802.3ck/dj COM sheets):
///
/// `H(f) = (g1 + jf/f_z)(g2 + jf/f_LF) / ((1 + jf/f_p1)(1 + jf/f_p2)(1 + jf/f_LF))`,
/// `g1 = 10^{g_DC/20}`, `g2 = 10^{g_DC2/20}`. Its DC gain is `g_DC + g_DC2` dB; with
/// `g_DC2 = 0` it is the classic one-zero two-pole CTLE of 93A-22.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ctle {
    /// DC gain of the high-frequency stage, dB (≤ 0).
    pub g_dc_db: f64,
    /// DC gain of the low-frequency stage, dB (≤ 0).
    pub g_dc2_db: f64,
    /// Zero, Hz.
    pub f_z_hz: f64,
    /// First pole, Hz.
    pub f_p1_hz: f64,
    /// Second pole, Hz.
    pub f_p2_hz: f64,
    /// Low-frequency pole/zero, Hz.
    pub f_lf_hz: f64,
}

impl Ctle {
    /// The COM CTLE for symbol rate `f_b`: `f_z = f_p1 = f_b/2.5`, `f_p2 = f_b`, `f_LF = f_b/80`
    /// (802.3ck KR/C2C sheets of MATLAB COM 3.70 and P802.3dj D3.3 in PyChOpMarg 3.4.0).
    pub fn com(symbol_rate_baud: f64, g_dc_db: f64, g_dc2_db: f64) -> Ctle {
        Ctle {
            g_dc_db,
            g_dc2_db,
            f_z_hz: symbol_rate_baud / 2.5,
            f_p1_hz: symbol_rate_baud / 2.5,
            f_p2_hz: symbol_rate_baud,
            f_lf_hz: symbol_rate_baud / 80.0,
        }
    }

    /// `H(f)` (see the type docs).
    pub fn transfer(&self, freq_hz: f64) -> Complex64 {
        let mut out = [Complex64::ZERO];
        self.transfer_into(&[freq_hz], &mut out);
        out[0]
    }

    /// `H(f)` at each of `freq_hz` into `out` (the gains are computed once).
    pub fn transfer_into(&self, freq_hz: &[f64], out: &mut [Complex64]) {
        let g1 = 10f64.powf(self.g_dc_db / 20.0);
        let g2 = 10f64.powf(self.g_dc2_db / 20.0);
        let (z, lf, p1, p2) = (1.0 / self.f_z_hz, 1.0 / self.f_lf_hz, 1.0 / self.f_p1_hz, 1.0 / self.f_p2_hz);
        for (o, &f) in out.iter_mut().zip(freq_hz) {
            let num = Complex64::new(g1, f * z) * Complex64::new(g2, f * lf);
            let den = Complex64::new(1.0, f * p1) * Complex64::new(1.0, f * p2) * Complex64::new(1.0, f * lf);
            *o = num / den;
        }
    }
}

/// The g_DC range of the 802.3ck and 802.3dj CTLE (KR, cl. 163; D3.3), dB.
pub const G_DC_DB: Bounds = Bounds::new(-20.0, 0.0, "dB");
/// The g_DC2 range of the same CTLE, dB.
pub const G_DC2_DB: Bounds = Bounds::new(-6.0, 0.0, "dB");

/// The CTLE search space: g_DC × g_DC2 with COM poles and zeros.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CtleGrid {
    /// g_DC values, dB.
    pub g_dc_db: Span,
    /// g_DC2 values, dB.
    pub g_dc2_db: Span,
}

impl Default for CtleGrid {
    /// 802.3ck KR (cl. 163) and 802.3dj D3.3: g_DC −20…0 dB, g_DC2 −6…0 dB, 1 dB steps
    /// (the same sheets): 147 settings.
    fn default() -> Self {
        CtleGrid {
            g_dc_db: Span::new(G_DC_DB.min, G_DC_DB.max, 1.0),
            g_dc2_db: Span::new(G_DC2_DB.min, G_DC2_DB.max, 1.0),
        }
    }
}

impl CtleGrid {
    /// Every setting for symbol rate `f_b`.
    pub fn settings(&self, symbol_rate_baud: f64) -> Vec<Ctle> {
        let mut out = Vec::new();
        for &g2 in &self.g_dc2_db.values() {
            for &g1 in &self.g_dc_db.values() {
                out.push(Ctle::com(symbol_rate_baud, g1, g2));
            }
        }
        out
    }

    /// Whether `ctle` lies inside the ranges.
    pub fn contains(&self, ctle: &Ctle) -> bool {
        self.g_dc_db.contains(ctle.g_dc_db) && self.g_dc2_db.contains(ctle.g_dc2_db)
    }
}

/// COM's transmitter edge filter (93A-46): `H_t(f) = exp(−2(π·f·T_r/1.6832)²)`, `T_r` the
/// 20–80 % rise time.
pub fn tx_edge_transfer(freq_hz: f64, rise_time_s: f64) -> f64 {
    let x = PI * freq_hz * rise_time_s / 1.6832;
    (-2.0 * x * x).exp()
}

/// COM's receiver noise filter, a 4th-order Butterworth low-pass (93A-20):
/// `H_r = 1/(1 − 3.414214x² + x⁴ + j·2.613126(x − x³))`, `x = f/f_r`.
pub fn rx_butterworth_transfer(freq_hz: f64, f_r_hz: f64) -> Complex64 {
    let x = freq_hz / f_r_hz;
    let x2 = x * x;
    1.0 / Complex64::new(1.0 - 3.414214 * x2 + x2 * x2, 2.613126 * (x - x * x2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::amplitude_ratio_to_db;

    fn db(h: Complex64) -> f64 {
        amplitude_ratio_to_db(h.norm())
    }

    #[test]
    fn ctle_matches_derived_vectors() {
        // Derived CTLE vectors (`docs/models.md` §8): f_b = 53.125 GBd, at f_b/2.
        let fb = 53.125e9;
        let at = |g1, g2| db(Ctle::com(fb, g1, g2).transfer(fb / 2.0));
        assert!((at(0.0, 0.0) + 0.969).abs() < 2e-3, "{}", at(0.0, 0.0));
        assert!((at(-10.0, 0.0) + 2.848).abs() < 2e-3);
        assert!((at(-10.0, 0.0) + 10.0 - 7.15).abs() < 1e-2);
        assert!((at(-10.0, -3.0) + 13.0 - 10.15).abs() < 1e-2);
        assert!((at(-20.0, -6.0) + 26.0 - 22.9).abs() < 5e-2);
        // DC gain equals the setting.
        assert!((db(Ctle::com(fb, -7.0, -2.0).transfer(0.0)) + 9.0).abs() < 1e-9);
    }

    #[test]
    fn reference_filters_match_t8_t9() {
        let fb = 53.125e9;
        assert!((db(rx_butterworth_transfer(1.0, 1.0)) + 3.010).abs() < 1e-3);
        assert!((db(rx_butterworth_transfer(fb / 2.0, 0.75 * fb)) + 0.166).abs() < 1e-3);
        assert!((db(rx_butterworth_transfer(fb / 2.0, 0.58 * fb)) + 1.156).abs() < 1e-3);
        let t = |f: f64, tr: f64| amplitude_ratio_to_db(tx_edge_transfer(f, tr));
        assert!((t(53.125e9, 4e-12) + 2.733).abs() < 1e-3);
        assert!((t(26.5625e9, 7.5e-12) + 2.402).abs() < 1e-3);
    }

    #[test]
    fn tx_grid_respects_c0_floor_and_sum() {
        let grid = TxFfeGrid::default();
        let presets = grid.presets();
        assert!(presets.len() > 50);
        for p in &presets {
            assert!((p.taps.iter().map(|c| c.abs()).sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(p.main() >= 0.54 - 1e-12 && grid.contains(p));
        }
        assert!(TxFfe::new(vec![0.1, 0.7, 0.1], 1).is_err());
        assert!(TxFfe::new(vec![-0.1, 0.7, -0.2], 1).is_ok());
    }

    #[test]
    fn fir_shifts_by_whole_ui() {
        let p = vec![0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let y = fir_oversampled(&[-0.25, 0.75], 1, &p, 2);
        assert_eq!(y, vec![-0.25, 0.0, 0.75, 0.0, 0.0, 0.0]);
    }
}
