//! Analytic SER and BER of NRZ and Gray-coded PAM-M in Gaussian noise.
//!
//! **Equally spaced levels** (derived \[D\], `docs/models.md` §6): spacing `d`, noise `σ`, half eye over sigma
//! `x = d/(2σ) = sqrt(3·SNR/(M² − 1))` with `SNR = E_s/σ²`, `E_s = (M² − 1)d²/12`.
//! * `SER = 2(M − 1)/M · Q(x)` (exact, midpoint thresholds).
//! * Gray BER, exact: `BER = 1/(M·log2 M) · Σ_{d=1}^{M−1} c_d · Q((2d − 1)x)`. Derivation: for a
//!   sent level `i`, the probability of landing beyond threshold `k` (between levels `k` and
//!   `k + 1`) is `Q((2|k − i| + 1)x)` above, `Q((2|i − k| − 1)x)` below; by Abel summation the bit
//!   errors of detecting `j` are charged to the thresholds crossed, each with the increment of the
//!   Hamming distance `H(gray i, gray j)` it causes. `c_d` sums those increments over all `(i, k)`
//!   at distance `d` ([`gray_tail_weights`]). PAM4: `c = (6, 4, −2)`, i.e.
//!   `BER = ¼[3Q(x) + 2Q(3x) − Q(5x)]`; NRZ: `BER = Q(x)`.
//! * Approximation, named as such: [`ber_approx_ser_over_bits`] `BER ≈ SER/log2 M` (one bit per
//!   symbol error, valid at high SNR).
//! * `E_b/N0 = SNR/(2·log2 M)` with `N0 = 2σ²` (as in the OptiCommPy examples; PAM4
//!   `E_b/N0[dB] = SNR[dB] − 6.02`).
//!
//! **Unequal levels and per-level noise** ([`LevelModel`], e.g. RLM < 1, signal-dependent optical
//! noise): `P(y > t | level i) = Q((t − μ_i)/σ_i)`; SER and Gray BER summed exactly over all
//! (sent, detected) pairs with [`DecisionRates`]. The optimal threshold between adjacent levels is
//! the equal-density point of their two Gaussians, which minimises the pair's error
//! `Q((t − μ_a)/σ_a) + Q((μ_b − t)/σ_b)` (equiprobable symbols): it solves
//! `((t − μ_a)/σ_a)² − ((μ_b − t)/σ_b)² = 2·ln(σ_b/σ_a)`. For equal σ it is the midpoint; the
//! familiar Q-matching threshold `(σ_b·μ_a + σ_a·μ_b)/(σ_a + σ_b)` (NRZ textbook form \[T\]) drops the
//! log term.

// Reference values are quoted with the digits mpmath printed; f64 rounds them.
#![allow(clippy::excessive_precision)]

use crate::error::{Bounds, check_range};
use crate::math::{bisect, q};
use crate::{Error, Result};
use serde::Serialize;

/// Pulse-amplitude modulation with `M = 2^b` levels and Gray mapping (NRZ is PAM2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pam {
    levels: usize,
}

impl Pam {
    /// NRZ (two levels).
    pub const NRZ: Pam = Pam { levels: 2 };
    /// PAM4, Gray coded 00, 01, 11, 10 from the lowest level to the highest.
    pub const PAM4: Pam = Pam { levels: 4 };

    /// PAM with `levels` = 2, 4, 8, …, 64.
    pub fn new(levels: usize) -> Result<Pam> {
        if levels.is_power_of_two() && (2..=64).contains(&levels) {
            Ok(Pam { levels })
        } else {
            Err(Error::invalid("modulation levels", levels, "expected a power of two in 2 ..= 64 (NRZ = 2, PAM4 = 4)"))
        }
    }

    /// Number of levels `M`.
    pub fn levels(self) -> usize {
        self.levels
    }

    /// Bits per symbol `log2 M`.
    pub fn bits_per_symbol(self) -> u32 {
        self.levels.trailing_zeros()
    }

    /// `"nrz"`, `"pam4"`, `"pam8"`, …
    pub fn name(self) -> String {
        if self.levels == 2 { "nrz".into() } else { format!("pam{}", self.levels) }
    }

    /// Gray label of level `i` (0 = lowest): `i XOR (i >> 1)`.
    pub fn gray(self, level: usize) -> usize {
        level ^ (level >> 1)
    }

    /// Bit errors when level `sent` is detected as `detected`: Hamming distance of the Gray labels.
    pub fn bit_errors(self, sent: usize, detected: usize) -> u32 {
        (self.gray(sent) ^ self.gray(detected)).count_ones()
    }

    /// Zero-mean symbol value of level `i` with the outer levels at ±1: `(2i − (M − 1))/(M − 1)`.
    pub fn symbol_value(self, level: usize) -> f64 {
        let m1 = (self.levels - 1) as f64;
        (2.0 * level as f64 - m1) / m1
    }

    /// `x = d/(2σ) = sqrt(3·SNR/(M² − 1))` for a linear SNR.
    pub fn half_eye_over_sigma(self, snr_linear: f64) -> f64 {
        (3.0 * snr_linear / self.m2_minus_1()).sqrt()
    }

    /// Linear SNR for a half eye over sigma `x`: `x²(M² − 1)/3`.
    pub fn snr_linear(self, half_eye_over_sigma: f64) -> f64 {
        half_eye_over_sigma.powi(2) * self.m2_minus_1() / 3.0
    }

    /// `E_b/N0` in dB for an SNR in dB: `SNR − 10·log10(2·log2 M)`.
    pub fn ebn0_db_from_snr_db(self, snr_db: f64) -> f64 {
        snr_db - 10.0 * (2.0 * f64::from(self.bits_per_symbol())).log10()
    }

    fn m2_minus_1(self) -> f64 {
        (self.levels * self.levels - 1) as f64
    }
}

impl std::str::FromStr for Pam {
    type Err = Error;

    /// The inverse of [`Pam::name`]: `nrz` (or `pam2`), `pam4`, `pam8`, … (case-insensitive).
    fn from_str(text: &str) -> Result<Pam> {
        let t = text.trim().to_ascii_lowercase();
        let levels = if t == "nrz" { Some(2) } else { t.strip_prefix("pam").and_then(|n| n.parse().ok()) };
        levels.and_then(|l| Pam::new(l).ok()).ok_or_else(|| {
            Error::invalid("modulation", format!("'{text}'"), "expected nrz or pamM, M a power of two in 2 ..= 64")
        })
    }
}

impl<'de> serde::Deserialize<'de> for Pam {
    /// From the text of [`Pam::name`] (`"pam4"`).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        crate::input::deserialize_text(deserializer)
    }
}

impl From<crate::signal::Modulation> for Pam {
    fn from(m: crate::signal::Modulation) -> Pam {
        match m {
            crate::signal::Modulation::Nrz => Pam::NRZ,
            crate::signal::Modulation::Pam4 => Pam::PAM4,
        }
    }
}

/// SNRs (and `E_b/N0`) an AWGN point may have: −100 to 200 dB.
pub const SNR_DB: Bounds = Bounds::new(-100.0, 200.0, "dB");
/// Levels and thresholds of a [`LevelModel`]: ±1 MV, far beyond any signal.
pub const LEVEL_V: Bounds = Bounds::new(-1e6, 1e6, "V");

/// Where on the AWGN curve to evaluate: the three usual abscissae.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OperatingPoint {
    /// Electrical SNR in dB (mean signal power / noise variance).
    SnrDb(f64),
    /// `E_b/N0` in dB with `N0 = 2σ²`.
    EbN0Db(f64),
    /// Eye half-opening over noise sigma, `x = d/(2σ)` (linear).
    HalfEyeOverSigma(f64),
}

impl OperatingPoint {
    /// The SNR in dB this point stands for, after range checks.
    pub fn snr_db(self, pam: Pam) -> Result<f64> {
        let shift = 10.0 * (2.0 * f64::from(pam.bits_per_symbol())).log10();
        match self {
            OperatingPoint::SnrDb(v) => SNR_DB.check("snr_db", v),
            OperatingPoint::EbN0Db(v) => Ok(SNR_DB.check("ebn0_db", v)? + shift),
            OperatingPoint::HalfEyeOverSigma(x) => {
                check_range("half_eye_over_sigma", x, 1e-12, 1e6, "")?;
                Ok(10.0 * pam.snr_linear(x).log10())
            }
        }
    }
}

/// One point of an AWGN SER/BER curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AwgnPoint {
    /// Electrical SNR, dB.
    pub snr_db: f64,
    /// `E_b/N0`, dB (`N0 = 2σ²`).
    pub ebn0_db: f64,
    /// Eye half-opening over sigma `x = d/(2σ)`.
    pub half_eye_over_sigma: f64,
    /// Exact symbol error ratio.
    pub ser: f64,
    /// Exact Gray-coded bit error ratio.
    pub ber: f64,
}

impl AwgnPoint {
    /// Noise RMS of this point when the outer levels of `pam` are at ±1 V: the level spacing is
    /// `2/(M − 1)`, so `σ = 1/((M − 1)·x)`.
    pub fn sigma_for_unit_outer(&self, pam: Pam) -> f64 {
        1.0 / ((pam.levels - 1) as f64 * self.half_eye_over_sigma)
    }

    /// SER and BER at this point's noise when the levels are not equally spaced or the noise
    /// differs from level to level, decided at optimal thresholds ([`LevelModel::optimal_rates`]):
    /// the outer levels at ±1 V, PAM4's inner levels at ±`rlm`/3 ([`LevelModel::pam4_rlm`]; `rlm`
    /// must be 1 for any other modulation), and the noise of level `i` (lowest first)
    /// `relative_noise[i]` times [`AwgnPoint::sigma_for_unit_outer`]. The SNR stays that of the
    /// equally spaced signal.
    pub fn unequal_level_rates(&self, pam: Pam, rlm: f64, relative_noise: &[f64]) -> Result<DecisionRates> {
        let sigma_v = self.sigma_for_unit_outer(pam);
        let noise: Vec<f64> = relative_noise.iter().map(|r| r * sigma_v).collect();
        let model = if pam == Pam::PAM4 {
            LevelModel::pam4_rlm(rlm, 1.0, noise)?
        } else if rlm == 1.0 {
            LevelModel::new((0..pam.levels).map(|l| pam.symbol_value(l)).collect(), noise)?
        } else {
            return Err(Error::invalid("rlm", rlm, "expected 1 (the level mismatch ratio is a PAM4 measure)"));
        };
        model.optimal_rates()
    }
}

/// Exact SER and Gray BER at one operating point.
pub fn awgn(pam: Pam, point: OperatingPoint) -> Result<AwgnPoint> {
    let snr_db = point.snr_db(pam)?;
    let x = pam.half_eye_over_sigma(10f64.powf(snr_db / 10.0));
    Ok(AwgnPoint {
        snr_db,
        ebn0_db: pam.ebn0_db_from_snr_db(snr_db),
        half_eye_over_sigma: x,
        ser: ser_awgn(pam, x),
        ber: ber_awgn(pam, x),
    })
}

/// Exact SER with midpoint thresholds: `2(M − 1)/M · Q(x)`.
pub fn ser_awgn(pam: Pam, half_eye_over_sigma: f64) -> f64 {
    let m = pam.levels as f64;
    2.0 * (m - 1.0) / m * q(half_eye_over_sigma)
}

/// Exact Gray BER `1/(M·log2 M) · Σ_d c_d·Q((2d − 1)x)` (module docs).
pub fn ber_awgn(pam: Pam, half_eye_over_sigma: f64) -> f64 {
    let x = half_eye_over_sigma;
    let sum: f64 = gray_tail_weights(pam).iter().enumerate().map(|(d, &c)| c * q((2 * d + 1) as f64 * x)).sum();
    sum / (pam.levels as f64 * f64::from(pam.bits_per_symbol()))
}

/// Approximation `BER ≈ SER/log2 M` (every symbol error costs one bit: adjacent-level errors with
/// Gray coding). Within 1e-11 relative of the exact PAM4 value above SNR = 15 dB (derived).
pub fn ber_approx_ser_over_bits(pam: Pam, half_eye_over_sigma: f64) -> f64 {
    ser_awgn(pam, half_eye_over_sigma) / f64::from(pam.bits_per_symbol())
}

/// Integer weights `c_d`, `d = 1 … M − 1` (index `d − 1`), of `Q((2d − 1)x)` in `M·log2 M·BER`.
pub fn gray_tail_weights(pam: Pam) -> Vec<f64> {
    let m = pam.levels;
    let mut c = vec![0.0; m - 1];
    for sent in 0..m {
        for threshold in 0..m - 1 {
            let (d, w) = crossing_weight(pam, sent, threshold);
            c[d - 1] += w;
        }
    }
    c
}

/// For a sent level and a threshold (between levels `k` and `k + 1`): the distance index `d` (the
/// threshold sits `(2d − 1)` half-spacings away) and the Hamming-distance increment charged to
/// crossing it.
fn crossing_weight(pam: Pam, sent: usize, threshold: usize) -> (usize, f64) {
    let h = |j: usize| f64::from(pam.bit_errors(sent, j));
    if threshold >= sent {
        (threshold - sent + 1, h(threshold + 1) - h(threshold))
    } else {
        (sent - threshold, h(threshold) - h(threshold + 1))
    }
}

/// SNR in dB at which the exact SER equals `ser`: `x = Q⁻¹(ser·M/(2(M − 1)))`.
pub fn snr_db_for_ser(pam: Pam, ser: f64) -> Result<f64> {
    let m = pam.levels as f64;
    let max = 2.0 * (m - 1.0) / m * 0.5;
    check_range("ser", ser, f64::MIN_POSITIVE, max, "")?;
    let x = crate::math::special::q_inv_named("ser", ser * m / (2.0 * (m - 1.0)))?;
    Ok(10.0 * pam.snr_linear(x).log10())
}

/// SNR in dB at which the exact Gray BER equals `ber` (bisection on `ln BER(x)`, machine precision).
pub fn snr_db_for_ber(pam: Pam, ber: f64) -> Result<f64> {
    if !(ber > 1e-300 && ber < 0.5) {
        return Err(Error::invalid("ber", ber, "expected a target BER in 1e-300 .. 0.5 (exclusive)"));
    }
    let target = ber.ln();
    let x = bisect(|x| target - ber_awgn(pam, x).ln(), 0.0, 40.0);
    Ok(10.0 * pam.snr_linear(x).log10())
}

/// Symbol and bit error ratios of one decision model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRates {
    /// Symbol error ratio.
    pub ser: f64,
    /// Gray-coded bit error ratio.
    pub ber: f64,
    /// Decision thresholds used, ascending, V.
    pub threshold_v: Vec<f64>,
}

impl DecisionRates {
    /// Exact SER and Gray BER from threshold-crossing probabilities (any noise distribution).
    ///
    /// `crossing(i, k)` is, for sent level `i` and threshold `k` (between levels `k` and `k + 1`),
    /// `P(y > t_k | i)` when `k ≥ i` and `P(y < t_k | i)` when `k < i`: always a tail away from
    /// the sent level, so deep tails keep their precision. With ascending thresholds
    /// `SER = 1/M · Σ_i [crossing(i, i) + crossing(i, i − 1)]` and
    /// `BER = 1/(M log2 M) · Σ_{i,k} crossing(i, k)·ΔH(i, k)` (module docs).
    pub fn from_crossings(pam: Pam, threshold_v: Vec<f64>, crossing: impl Fn(usize, usize) -> f64) -> Self {
        let m = pam.levels;
        let (mut ser, mut ber) = (0.0, 0.0);
        for sent in 0..m {
            for k in 0..m - 1 {
                let p = crossing(sent, k);
                if k == sent || k + 1 == sent {
                    ser += p;
                }
                ber += p * crossing_weight(pam, sent, k).1;
            }
        }
        let m_f = m as f64;
        DecisionRates { ser: ser / m_f, ber: ber / (m_f * f64::from(pam.bits_per_symbol())), threshold_v }
    }
}

/// Gaussian levels with arbitrary spacing and per-level noise, equiprobable symbols, Gray mapping
/// by level index (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct LevelModel {
    pam: Pam,
    levels_v: Vec<f64>,
    noise_rms_v: Vec<f64>,
}

impl LevelModel {
    /// Levels (strictly ascending, V) with one noise RMS per level, or one shared by all.
    pub fn new(levels_v: Vec<f64>, noise_rms_v: Vec<f64>) -> Result<Self> {
        let pam = Pam::new(levels_v.len())?;
        for (i, &v) in levels_v.iter().enumerate() {
            LEVEL_V.check(&format!("levels_v[{i}]"), v)?;
        }
        if levels_v.windows(2).any(|w| w[1] <= w[0]) {
            return Err(Error::invalid("levels_v", format!("{levels_v:?}"), "expected strictly ascending levels"));
        }
        let noise_rms_v = match noise_rms_v.len() {
            1 => vec![noise_rms_v[0]; levels_v.len()],
            n if n == levels_v.len() => noise_rms_v,
            n => {
                return Err(Error::invalid(
                    "noise_rms_v",
                    format!("{n} values"),
                    format!("expected 1 or {} values (one per level)", levels_v.len()),
                ));
            }
        };
        for (i, &s) in noise_rms_v.iter().enumerate() {
            check_range(&format!("noise_rms_v[{i}]"), s, 1e-300, 1e6, "V")?;
        }
        Ok(Self { pam, levels_v, noise_rms_v })
    }

    /// PAM4 with outer levels `±outer_v` and the inner levels compressed symmetrically to
    /// `±outer_v·RLM/3`, so the level-mismatch ratio of 802.3 120D.3.1.2 \[U\] (`min(3·ES1, 3·ES2, …)`)
    /// equals `rlm` (1 = equally spaced).
    pub fn pam4_rlm(rlm: f64, outer_v: f64, noise_rms_v: Vec<f64>) -> Result<Self> {
        let rlm = check_range("rlm", rlm, 0.01, 1.0, "")?;
        let a = check_range("outer_v", outer_v, 1e-300, 1e6, "V")?;
        Self::new(vec![-a, -a * rlm / 3.0, a * rlm / 3.0, a], noise_rms_v)
    }

    /// The modulation (from the number of levels).
    pub fn pam(&self) -> Pam {
        self.pam
    }

    /// Midpoints between adjacent levels.
    pub fn midpoint_thresholds(&self) -> Vec<f64> {
        self.levels_v.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect()
    }

    /// Minimum-error thresholds: the equal-density point of each adjacent pair of Gaussians
    /// (module docs), found by bisection on the normalised position `u = (t − μ_a)/(μ_b − μ_a)`
    /// where `f(u) = (u·D/σ_a)² − ((1 − u)·D/σ_b)² − 2·ln(σ_b/σ_a)` increases monotonically. When
    /// no equal-density point lies between the levels (noise far larger than the spacing), the
    /// Q-matching threshold is used.
    pub fn optimal_thresholds(&self) -> Vec<f64> {
        (0..self.levels_v.len() - 1)
            .map(|k| {
                let (ma, mb) = (self.levels_v[k], self.levels_v[k + 1]);
                let (sa, sb) = (self.noise_rms_v[k], self.noise_rms_v[k + 1]);
                let (ra, rb, ln_ratio) = ((mb - ma) / sa, (mb - ma) / sb, (sb / sa).ln());
                let f = |u: f64| (u * ra).powi(2) - ((1.0 - u) * rb).powi(2) - 2.0 * ln_ratio;
                if f(0.0) < 0.0 && f(1.0) > 0.0 {
                    ma + (mb - ma) * bisect(f, 0.0, 1.0)
                } else {
                    (sb * ma + sa * mb) / (sa + sb)
                }
            })
            .collect()
    }

    /// Exact SER and Gray BER with the given thresholds (ascending, one fewer than the levels).
    pub fn rates(&self, threshold_v: &[f64]) -> Result<DecisionRates> {
        validate_thresholds(threshold_v, self.levels_v.len())?;
        Ok(DecisionRates::from_crossings(self.pam, threshold_v.to_vec(), |i, k| {
            let z = (threshold_v[k] - self.levels_v[i]) / self.noise_rms_v[i];
            if k >= i { q(z) } else { q(-z) }
        }))
    }

    /// SER and BER at the minimum-error thresholds.
    pub fn optimal_rates(&self) -> Result<DecisionRates> {
        self.rates(&self.optimal_thresholds())
    }
}

/// Checks decision thresholds: `levels − 1` finite values in ±1 MV, strictly ascending.
pub(crate) fn validate_thresholds(threshold_v: &[f64], levels: usize) -> Result<()> {
    if threshold_v.len() + 1 != levels {
        return Err(Error::invalid(
            "threshold_v",
            format!("{} values", threshold_v.len()),
            format!("expected {} thresholds", levels - 1),
        ));
    }
    for (i, &t) in threshold_v.iter().enumerate() {
        LEVEL_V.check(&format!("threshold_v[{i}]"), t)?;
    }
    if threshold_v.windows(2).any(|w| w[1] <= w[0]) {
        return Err(Error::invalid("threshold_v", format!("{threshold_v:?}"), "expected ascending thresholds"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // 17-digit mpmath reference values, kept as printed
mod tests {
    use super::*;
    use crate::test_support::rel;

    /// (SNR dB, SER, BER) with mpmath 1.4.1 at 50 digits: `x = sqrt(3·SNR/(M² − 1))`,
    /// `SER = 2(M − 1)/M·Q(x)`, PAM4 `BER = (3Q(x) + 2Q(3x) − Q(5x))/4`, NRZ `BER = Q(x)`.
    const PAM4_REF: [(f64, f64, f64); 12] = [
        (5.0, 0.31984202753643052, 0.16417262916453548),
        (8.0, 0.19596673278424382, 0.098171250809534094),
        (10.0, 0.11797440528771385, 0.058992725267914388),
        (12.0, 0.056259192538388986, 0.028129619356577676),
        (15.0, 0.0089308007216679893, 0.0044654003608453365),
        (17.0, 0.0011590122230676655, 0.00057950611153383277),
        (18.0, 0.00028636166111398975, 0.00014318083055699487),
        (20.0, 5.8081623232830627e-6, 2.9040811616415314e-6),
        (22.0, 1.3509015525943099e-8, 6.7545077629715493e-9),
        (25.0, 1.3685936043942192e-15, 6.8429680219710959e-16),
        (28.0, 2.0940214663601201e-29, 1.0470107331800601e-29),
        (29.5, 8.7608594808573408e-41, 4.3804297404286704e-41),
    ];
    const NRZ_REF: [(f64, f64); 10] = [
        (2.0, 0.10402863708538865),
        (5.0, 0.037678988147463393),
        (8.0, 0.0060043864001635621),
        (10.0, 0.00078270112900127484),
        (12.0, 3.4302623866415328e-5),
        (14.0, 2.6951481173667061e-7),
        (16.0, 1.3990278093976942e-10),
        (18.0, 9.8450024387978951e-16),
        (20.0, 7.6198530241605261e-24),
        (22.4, 5.5281574603207056e-40),
    ];

    #[test]
    fn pam4_matches_mpmath_from_1e_1_to_1e_40() {
        for (snr_db, ser, ber) in PAM4_REF {
            let p = awgn(Pam::PAM4, OperatingPoint::SnrDb(snr_db)).unwrap();
            assert!(rel(p.ser, ser) < 1e-9, "SER @{snr_db} dB: {:e} vs {ser:e}", p.ser);
            assert!(rel(p.ber, ber) < 1e-9, "BER @{snr_db} dB: {:e} vs {ber:e}", p.ber);
        }
    }

    #[test]
    fn nrz_matches_mpmath_from_1e_1_to_1e_40() {
        for (snr_db, ber) in NRZ_REF {
            let p = awgn(Pam::NRZ, OperatingPoint::SnrDb(snr_db)).unwrap();
            assert!(rel(p.ser, ber) < 1e-9 && rel(p.ber, ber) < 1e-9, "@{snr_db} dB: {p:?}");
        }
    }

    #[test]
    fn pam4_ser_vectors() {
        // Derived vectors of `docs/models.md` §6 (4 significant digits).
        for (snr_db, ser) in [(15.0, 8.931e-3), (17.0, 1.159e-3), (18.0, 2.864e-4), (19.0, 5.044e-5), (20.0, 5.808e-6)]
        {
            let p = awgn(Pam::PAM4, OperatingPoint::SnrDb(snr_db)).unwrap();
            assert!(rel(p.ser, ser) < 6e-4, "@{snr_db} dB: {:e}", p.ser);
        }
    }

    #[test]
    fn snr_for_pam4_ber_matches_mpmath() {
        // mpmath findroot on the exact Gray BER; `docs/models.md` §6 rounds to 0.01 dB.
        for (ber, snr_db) in [
            (2.4e-4, 17.655149880955767),
            (1e-4, 18.22531460808077),
            (1e-6, 20.422326957381825),
            (1e-12, 23.884532860184602),
            (1e-15, 24.948386226271723),
        ] {
            let got = snr_db_for_ber(Pam::PAM4, ber).unwrap();
            assert!((got - snr_db).abs() < 1e-9, "BER {ber:e}: {got} dB vs {snr_db}");
        }
        let ser_snr = snr_db_for_ser(Pam::PAM4, 4.8e-4).unwrap();
        assert!((ser_snr - 17.66).abs() < 0.01, "{ser_snr}");
    }

    #[test]
    fn pam4_weights_give_the_physics_formula() {
        assert_eq!(gray_tail_weights(Pam::PAM4), vec![6.0, 4.0, -2.0]);
        assert_eq!(gray_tail_weights(Pam::NRZ), vec![2.0]);
    }

    /// Brute force: for each sent level and each detected level, the Gaussian probability of the
    /// decision interval times the Hamming distance of the Gray labels.
    fn brute_force_ber(pam: Pam, x: f64) -> f64 {
        let m = pam.levels();
        let mut sum = 0.0;
        for i in 0..m {
            for j in 0..m {
                // Interval of detected level j in units of half-spacings from level i.
                let lo = if j == 0 { f64::NEG_INFINITY } else { (2.0 * (j as f64 - i as f64) - 1.0) * x };
                let hi = if j == m - 1 { f64::INFINITY } else { (2.0 * (j as f64 - i as f64) + 1.0) * x };
                let p = if lo >= 0.0 { q(lo) - q(hi) } else { q(-hi) - q(-lo) };
                sum += p * f64::from(pam.bit_errors(i, j));
            }
        }
        sum / (m as f64 * f64::from(pam.bits_per_symbol()))
    }

    #[test]
    fn general_gray_ber_equals_brute_force_counting() {
        for m in [2, 4, 8, 16] {
            let pam = Pam::new(m).unwrap();
            for x in [0.2, 0.7, 1.5, 3.0, 6.0, 11.0] {
                let (got, want) = (ber_awgn(pam, x), brute_force_ber(pam, x));
                assert!(rel(got, want) < 1e-12, "PAM{m} x {x}: {got:e} vs {want:e}");
            }
        }
    }

    #[test]
    fn level_model_with_equal_spacing_equals_closed_form() {
        let pam = Pam::new(8).unwrap();
        let x = 4.0;
        let levels: Vec<f64> = (0..8).map(|i| pam.symbol_value(i)).collect();
        let sigma = (levels[1] - levels[0]) / (2.0 * x);
        let model = LevelModel::new(levels, vec![sigma]).unwrap();
        let r = model.optimal_rates().unwrap();
        assert!(rel(r.ser, ser_awgn(pam, x)) < 1e-12);
        assert!(rel(r.ber, ber_awgn(pam, x)) < 1e-12);
    }

    #[test]
    fn approximation_is_named_and_close_at_high_snr() {
        let x = Pam::PAM4.half_eye_over_sigma(10f64.powf(1.5));
        let exact = ber_awgn(Pam::PAM4, x);
        let approx = ber_approx_ser_over_bits(Pam::PAM4, x);
        assert!(rel(approx, exact) < 1e-11 && approx != exact);
    }

    #[test]
    fn ebn0_and_half_eye_inputs_agree_with_snr() {
        let a = awgn(Pam::PAM4, OperatingPoint::SnrDb(18.0)).unwrap();
        let b = awgn(Pam::PAM4, OperatingPoint::EbN0Db(18.0 - 10.0 * 4f64.log10())).unwrap();
        let c = awgn(Pam::PAM4, OperatingPoint::HalfEyeOverSigma(a.half_eye_over_sigma)).unwrap();
        assert!((a.ebn0_db - (18.0 - 6.0206)).abs() < 1e-4);
        for p in [b, c] {
            assert!(rel(p.ber, a.ber) < 1e-12 && (p.snr_db - 18.0).abs() < 1e-12);
        }
    }

    #[test]
    fn nrz_unequal_noise_q_matching_threshold_gives_q_of_q() {
        // NRZ textbook form [T]: Q = (I1 − I0)/(σ1 + σ0) at t = (σ1·I0 + σ0·I1)/(σ1 + σ0) → BER = Q(Q).
        let (i0, i1, s0, s1) = (0.1, 1.0, 0.05, 0.15);
        let model = LevelModel::new(vec![i0, i1], vec![s0, s1]).unwrap();
        let t = (s1 * i0 + s0 * i1) / (s0 + s1);
        let r = model.rates(&[t]).unwrap();
        assert!(rel(r.ber, q((i1 - i0) / (s0 + s1))) < 1e-12);
        // The equal-density threshold is the true minimum: lower than Q-matching, and no nearby
        // threshold does better.
        let opt = model.optimal_rates().unwrap();
        assert!(opt.ber < r.ber);
        for dt in [-1e-3, 1e-3] {
            assert!(model.rates(&[opt.threshold_v[0] + dt]).unwrap().ber > opt.ber);
        }
    }

    #[test]
    fn rlm_compression_costs_inner_eyes() {
        let ideal = LevelModel::pam4_rlm(1.0, 0.3, vec![0.02]).unwrap().optimal_rates().unwrap();
        let rlm = LevelModel::pam4_rlm(0.9, 0.3, vec![0.02]).unwrap().optimal_rates().unwrap();
        let x = 0.1 / 0.02;
        assert!(rel(ideal.ser, ser_awgn(Pam::PAM4, x)) < 1e-12);
        assert!(rlm.ser > 2.0 * ideal.ser);
    }

    #[test]
    fn bad_inputs_name_the_field_and_range() {
        let msg = |e: Error| e.to_string();
        assert!(msg(Pam::new(3).unwrap_err()).contains("levels"));
        assert!(msg(awgn(Pam::PAM4, OperatingPoint::SnrDb(f64::NAN)).unwrap_err()).contains("snr_db"));
        assert!(
            msg(awgn(Pam::PAM4, OperatingPoint::HalfEyeOverSigma(-1.0)).unwrap_err()).contains("half_eye_over_sigma")
        );
        assert!(msg(snr_db_for_ber(Pam::PAM4, 0.7).unwrap_err()).contains("ber"));
        assert!(msg(LevelModel::new(vec![0.0, 1.0], vec![-0.1]).unwrap_err()).contains("noise_rms_v[0]"));
        assert!(msg(LevelModel::new(vec![1.0, 0.0], vec![0.1]).unwrap_err()).contains("ascending"));
        let m = LevelModel::new(vec![0.0, 1.0], vec![0.1]).unwrap();
        assert!(msg(m.rates(&[0.2, 0.3]).unwrap_err()).contains("threshold_v"));
    }

    #[test]
    fn equal_levels_and_noise_give_the_awgn_rates_back() {
        let point = awgn(Pam::PAM4, OperatingPoint::SnrDb(18.0)).unwrap();
        // Outer levels at ±1 V: spacing 2/3, so d/(2σ) = 1/(3σ).
        assert!(rel(point.sigma_for_unit_outer(Pam::PAM4) * 3.0 * point.half_eye_over_sigma, 1.0) < 1e-15);
        let same = point.unequal_level_rates(Pam::PAM4, 1.0, &[1.0; 4]).unwrap();
        assert!(rel(same.ser, point.ser) < 1e-9 && rel(same.ber, point.ber) < 1e-9, "{same:?} {point:?}");
        let compressed = point.unequal_level_rates(Pam::PAM4, 0.9, &[1.0; 4]).unwrap();
        assert!(compressed.ser > point.ser);
        let nrz = awgn(Pam::NRZ, OperatingPoint::SnrDb(12.0)).unwrap();
        assert!(rel(nrz.unequal_level_rates(Pam::NRZ, 1.0, &[1.0]).unwrap().ber, nrz.ber) < 1e-9);
        let e = nrz.unequal_level_rates(Pam::NRZ, 0.9, &[1.0]).unwrap_err();
        assert!(matches!(&e, Error::InvalidParameter { field, .. } if field == "rlm"), "{e}");
    }
}
