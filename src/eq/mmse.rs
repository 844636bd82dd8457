//! Rx FFE + DFE tap solutions on a T-spaced pulse: joint MMSE with noise, and zero forcing.
//!
//! **Model.** At the slicer's sampling phase the Rx FFE input is `x_n = Σ_m h_m·a_{n−m} + ν_n`:
//! `h` the T-spaced pulse (main cursor `h_c`), `a` iid zero-mean symbols of variance `σ_X²`
//! (PAM4 with outer levels ±1: 5/9; NRZ: 1; derived, `docs/models.md` §8), `ν` Gaussian noise with
//! autocorrelation `r_ν(l)`. The FFE has `N = n_pre + 1 + n_post` T-spaced taps `w`, main tap
//! `d = n_pre`; the combined response is `f_m = Σ_j w_j·h_{c+d+m−j}`. A DFE with `K` taps
//! subtracts `b_k·â_{n−k}`, `k = 1…K`, with correct past decisions.
//!
//! **MMSE** (biased, joint FFE + DFE): minimise `E[(y_n − Σ b_k a_{n−k} − a_n)²]`. The optimal
//! DFE cancels its cursors (`b_k = f_k`), which leaves the normal equations in `w`
//! `(σ_X²·(T − Σ_{k=1}^{K} u_k u_kᵀ) + R_ν)·w = σ_X²·u_0`,
//! where `T_ij = Σ_n h_{n−i}h_{n−j}` is the Toeplitz autocorrelation of the pulse, `u_m` the
//! rows of the convolution matrix (`u_m[j] = h_{c+d+m−j}`) and `R_ν` the Toeplitz noise
//! correlation. The matrix is symmetric positive definite (Toeplitz minus the rank-K DFE part,
//! plus noise): it is solved by **nalgebra's Cholesky** factorisation (`LLᵀ`), after adding a
//! ridge of 1e-12 of the diagonal so that noise-free zero forcing stays solvable.
//!
//! **DFE limits** (per tap, in units of the main cursor `f_0`, as COM's `b_min/b_max`): a tap
//! whose optimum falls outside its limits is fixed at the limit `λ_k·f_0` and the FFE re-solved
//! with the residual `f_k − λ_k f_0` in the error (row `u_k − λ_k u_0`, target 0); repeated until
//! no tap moves (an active-set method; at most `K + 1` solves).
//!
//! **Zero forcing** is the same least-squares problem without noise: minimise
//! `Σ_{m ∉ DFE} (f_m − δ_m)²` (least-squares ZF over the whole pulse, not only the FFE span).
//!
//! **SNR at the slicer** (`docs/models.md` §1: signal power over noise variance, with decisions scaled
//! by `f_0`): `SNR = σ_X² f_0² / (σ_X² Σ_{m≠0} (f_m − b_m)² + wᵀR_ν w)`. The biased-MMSE `w`
//! maximises it (the unbiased SNR is the MMSE SNR minus one), so more taps never lower it.

use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector, linalg::Cholesky};
use serde::Serialize;
use std::str::FromStr;

/// Rx FFE span: T-spaced taps before and after the main tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RxFfeShape {
    /// Pre-cursor taps.
    pub n_pre: usize,
    /// Post-cursor taps.
    pub n_post: usize,
}

impl RxFfeShape {
    /// Total taps `n_pre + 1 + n_post`.
    pub fn taps(&self) -> usize {
        self.n_pre + 1 + self.n_post
    }

    /// A single unit tap (no Rx FFE).
    pub const NONE: RxFfeShape = RxFfeShape { n_pre: 0, n_post: 0 };
}

impl FromStr for RxFfeShape {
    type Err = Error;

    /// `PRE,POST` tap counts, each `0 ..= MAX_FFE_SIDE_TAPS` (e.g. `3,12`), or `off` (`none`).
    fn from_str(text: &str) -> Result<RxFfeShape> {
        if matches!(text.trim().to_ascii_lowercase().as_str(), "off" | "none") {
            return Ok(RxFfeShape::NONE);
        }
        let bad = || {
            Error::invalid(
                "rx_ffe",
                format!("'{text}'"),
                format!("expected off or PRE,POST tap counts, each 0 ..= {MAX_FFE_SIDE_TAPS}"),
            )
        };
        let parts: Vec<&str> = text.split(',').collect();
        let [pre, post] = parts[..] else { return Err(bad()) };
        let n = |s: &str| s.trim().parse::<usize>().ok().filter(|&v| v <= MAX_FFE_SIDE_TAPS).ok_or_else(bad);
        Ok(RxFfeShape { n_pre: n(pre)?, n_post: n(post)? })
    }
}

/// Largest Rx FFE span on either side of the main tap.
pub const MAX_FFE_SIDE_TAPS: usize = 64;
/// Largest DFE.
pub const MAX_DFE_TAPS: usize = 32;

/// A DFE: one `(min, max)` limit per tap, in units of the main cursor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DfeConfig {
    /// Per-tap limits `(b_min, b_max)` relative to the main cursor.
    pub limits: Vec<(f64, f64)>,
}

/// 802.3ck KR DFE `b_max` (MATLAB COM 3.70 sheet as transcribed by serdeskit): 0.85, 0.3, 0.2 × 5,
/// 0.1 × 5. Taps beyond 12 get 0.1.
const COM_B_MAX: [f64; 12] = [0.85, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1];

impl DfeConfig {
    /// `taps` DFE taps with the 802.3ck KR `b_max` per tap (same sheet) and `b_min = −b_max`
    /// (an **estimate**: the transcribed `b_min` row of the sheet is not self-consistent).
    pub fn com(taps: usize) -> DfeConfig {
        DfeConfig { limits: (0..taps).map(|k| COM_B_MAX.get(k).copied().unwrap_or(0.1)).map(|b| (-b, b)).collect() }
    }

    /// `taps` DFE taps without limits.
    pub fn unconstrained(taps: usize) -> DfeConfig {
        DfeConfig { limits: vec![(f64::NEG_INFINITY, f64::INFINITY); taps] }
    }

    /// Number of taps.
    pub fn taps(&self) -> usize {
        self.limits.len()
    }
}

impl FromStr for DfeConfig {
    type Err = Error;

    /// A tap count `0 ..= MAX_DFE_TAPS` with the COM limits ([`DfeConfig::com`]).
    fn from_str(text: &str) -> Result<DfeConfig> {
        let taps = text.trim().parse::<usize>().ok().filter(|&v| v <= MAX_DFE_TAPS).ok_or_else(|| {
            Error::invalid("dfe", format!("'{text}'"), format!("expected a tap count in 0 ..= {MAX_DFE_TAPS}"))
        })?;
        Ok(DfeConfig::com(taps))
    }
}

/// Which tap solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    /// Minimum mean-square error with noise.
    #[default]
    Mmse,
    /// Least-squares zero forcing (no noise term).
    ZeroForcing,
}

/// One equalization problem at a fixed sampling phase.
#[derive(Debug, Clone, Copy)]
pub struct Problem<'a> {
    /// T-spaced pulse, V per unit symbol: the whole pulse, or (with `pulse_acf`) at least the
    /// samples `cursor − n_post ..= cursor + n_pre + K` that the FFE and DFE rows touch.
    pub pulse: &'a [f64],
    /// Index of the main cursor in `pulse`.
    pub cursor: usize,
    /// Autocorrelation `Σ_n h_n h_{n+l}` of the **whole** pulse at lags `0 … N−1`, when the
    /// caller has it (the search computes it from per-phase tables); `None`: from `pulse`.
    pub pulse_acf: Option<&'a [f64]>,
    /// Noise autocorrelation at T-spaced lags `0, 1, …` (V²); at least as many lags as FFE taps.
    pub noise_acf: &'a [f64],
    /// Symbol variance `σ_X²`.
    pub symbol_var: f64,
}

/// SNR and its parts for a set of taps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SlicerMetrics {
    /// Main cursor after equalization `f_0`, V.
    pub cursor_v: f64,
    /// Residual ISI variance `σ_X² Σ (f_m − b_m)²`, V².
    pub isi_var_v2: f64,
    /// Noise variance after the FFE `wᵀR_ν w`, V².
    pub noise_var_v2: f64,
    /// Linear SNR.
    pub snr: f64,
}

impl SlicerMetrics {
    /// SNR in dB.
    pub fn snr_db(&self) -> f64 {
        10.0 * self.snr.log10()
    }
}

/// Reusable workspace and result of the MMSE/ZF solver (no allocation per solve once sized).
#[derive(Debug, Clone)]
pub struct Solver {
    shape: RxFfeShape,
    dfe: DfeConfig,
    criterion: Criterion,
    matrix: Option<DMatrix<f64>>,
    rhs: DVector<f64>,
    acf: Vec<f64>,
    clamped: Vec<Option<f64>>,
    /// FFE taps of the last solve.
    pub ffe: Vec<f64>,
    /// DFE taps of the last solve, V (absolute, `b_k`).
    pub dfe_v: Vec<f64>,
}

impl Solver {
    /// A solver for one FFE shape and DFE.
    pub fn new(shape: RxFfeShape, dfe: DfeConfig, criterion: Criterion) -> Result<Solver> {
        if shape.n_pre > MAX_FFE_SIDE_TAPS || shape.n_post > MAX_FFE_SIDE_TAPS {
            return Err(Error::invalid(
                "rx_ffe",
                format!("{},{}", shape.n_pre, shape.n_post),
                format!("expected pre,post taps each in 0 ..= {MAX_FFE_SIDE_TAPS}"),
            ));
        }
        if dfe.taps() > MAX_DFE_TAPS {
            return Err(Error::invalid("dfe", dfe.taps(), format!("expected 0 ..= {MAX_DFE_TAPS} taps")));
        }
        if let Some((k, l)) = dfe.limits.iter().enumerate().find(|(_, l)| !(l.0 <= l.1) || l.0.is_nan()) {
            return Err(Error::invalid(format!("DFE limit {}", k + 1), format!("{l:?}"), "expected min <= max"));
        }
        let n = shape.taps();
        Ok(Solver {
            shape,
            clamped: vec![None; dfe.taps()],
            dfe_v: vec![0.0; dfe.taps()],
            dfe,
            criterion,
            matrix: Some(DMatrix::zeros(n, n)),
            rhs: DVector::zeros(n),
            acf: vec![0.0; n],
            ffe: vec![0.0; n],
        })
    }

    /// The FFE shape.
    pub fn shape(&self) -> RxFfeShape {
        self.shape
    }

    /// The DFE configuration.
    pub fn dfe(&self) -> &DfeConfig {
        &self.dfe
    }

    /// Solves for the taps (module docs) and returns the slicer metrics; taps in
    /// [`Solver::ffe`] and [`Solver::dfe_v`].
    pub fn solve(&mut self, p: &Problem<'_>) -> Result<SlicerMetrics> {
        let n = self.shape.taps();
        if p.cursor >= p.pulse.len() || p.noise_acf.len() < n || !(p.symbol_var > 0.0) {
            return Err(Error::invalid(
                "equalizer problem",
                format!("cursor {} of {} samples, {} noise lags", p.cursor, p.pulse.len(), p.noise_acf.len()),
                format!("expected a cursor inside the pulse and at least {n} noise lags"),
            ));
        }
        match p.pulse_acf {
            Some(acf) if acf.len() >= n => self.acf.copy_from_slice(&acf[..n]),
            Some(acf) => {
                return Err(Error::invalid("pulse autocorrelation", acf.len(), format!("expected {n} lags")));
            }
            None => autocorrelation(p.pulse, &mut self.acf),
        }
        self.clamped.iter_mut().for_each(|c| *c = None);
        for _ in 0..=self.dfe.taps() {
            self.solve_once(p)?;
            let metrics = self.evaluate_current(p);
            if !self.clamp_violations(metrics.cursor_v) {
                return Ok(metrics);
            }
        }
        Ok(self.evaluate_current(p))
    }

    /// Builds and solves the normal equations with the current clamped set.
    fn solve_once(&mut self, p: &Problem<'_>) -> Result<()> {
        let n = self.shape.taps();
        let (sx, noise) = match self.criterion {
            Criterion::Mmse => (p.symbol_var, 1.0),
            Criterion::ZeroForcing => (1.0, 0.0),
        };
        let mut a = self.matrix.take().unwrap_or_else(|| DMatrix::zeros(n, n));
        let t0 = p.cursor + self.shape.n_pre;
        let u = |m: isize, j: usize| -> f64 {
            let t = t0 as isize + m - j as isize;
            if t >= 0 && (t as usize) < p.pulse.len() { p.pulse[t as usize] } else { 0.0 }
        };
        for i in 0..n {
            for j in 0..=i {
                let l = i - j;
                let mut v = sx * self.acf[l] + noise * p.noise_acf[l];
                for (k, clamp) in self.clamped.iter().enumerate() {
                    let m = k as isize + 1;
                    let (ui, uj) = (u(m, i), u(m, j));
                    v -= sx * ui * uj;
                    if let Some(lambda) = clamp {
                        v += sx * (ui - lambda * u(0, i)) * (uj - lambda * u(0, j));
                    }
                }
                a[(i, j)] = v;
                a[(j, i)] = v;
            }
            self.rhs[i] = sx * u(0, i);
        }
        let ridge = 1e-12 * (0..n).map(|i| a[(i, i)]).fold(0.0, f64::max).max(1e-300);
        for i in 0..n {
            a[(i, i)] += ridge;
        }
        let chol = Cholesky::new(a).ok_or_else(|| Error::Numerical {
            what: "equalizer normal matrix is not positive definite (pulse of zeros?)".into(),
        })?;
        chol.solve_mut(&mut self.rhs);
        self.matrix = Some(chol.unpack());
        self.ffe.copy_from_slice(self.rhs.as_slice());
        Ok(())
    }

    /// Metrics of the current FFE taps with optimal (clamped) DFE taps; sets `dfe_v`.
    fn evaluate_current(&mut self, p: &Problem<'_>) -> SlicerMetrics {
        let f0 = combined_at(p, self.shape.n_pre, &self.ffe, 0);
        for (k, b) in self.dfe_v.iter_mut().enumerate() {
            *b = match self.clamped[k] {
                Some(lambda) => lambda * f0,
                None => combined_at(p, self.shape.n_pre, &self.ffe, k as isize + 1),
            };
        }
        metrics_with_acf(p, self.shape.n_pre, &self.acf, &self.ffe, &self.dfe_v)
    }

    /// Clamps DFE taps whose ratio to the cursor leaves its limits; true when any moved.
    fn clamp_violations(&mut self, f0: f64) -> bool {
        let mut moved = false;
        for (k, &(lo, hi)) in self.dfe.limits.iter().enumerate() {
            if self.clamped[k].is_some() || f0 == 0.0 {
                continue;
            }
            let r = self.dfe_v[k] / f0;
            if r > hi || r < lo {
                self.clamped[k] = Some(r.clamp(lo, hi));
                moved = true;
            }
        }
        moved
    }
}

/// The combined response `f_m = Σ_j w_j·h_{c+d+m−j}` at one offset `m` from the cursor.
fn combined_at(p: &Problem<'_>, n_pre: usize, w: &[f64], m: isize) -> f64 {
    let t0 = (p.cursor + n_pre) as isize + m;
    w.iter()
        .enumerate()
        .filter_map(|(j, wj)| {
            let t = t0 - j as isize;
            (t >= 0 && (t as usize) < p.pulse.len()).then(|| wj * p.pulse[t as usize])
        })
        .sum()
}

/// Slicer metrics from the pulse autocorrelation: `Σ_m f_m² = wᵀTw`, so the residual ISI is
/// `σ_X²·(wᵀTw − f_0² − Σ_k (f_k² − (f_k − b_k)²))` without forming the whole `f`.
fn metrics_with_acf(p: &Problem<'_>, n_pre: usize, acf: &[f64], w: &[f64], b: &[f64]) -> SlicerMetrics {
    let f0 = combined_at(p, n_pre, w, 0);
    let mut isi2 = quadratic_toeplitz(w, acf) - f0 * f0;
    for (k, bk) in b.iter().enumerate() {
        let fk = combined_at(p, n_pre, w, k as isize + 1);
        isi2 -= fk * fk - (fk - bk) * (fk - bk);
    }
    let isi_var = p.symbol_var * isi2.max(0.0);
    let noise = quadratic_toeplitz(w, p.noise_acf);
    SlicerMetrics {
        cursor_v: f0,
        isi_var_v2: isi_var,
        noise_var_v2: noise,
        snr: p.symbol_var * f0 * f0 / (isi_var + noise).max(1e-300),
    }
}

/// Slicer metrics of FFE taps `w` (main at `n_pre`) and DFE taps `b` (V) on a whole T-spaced
/// pulse (module docs).
pub fn evaluate(p: &Problem<'_>, n_pre: usize, w: &[f64], b: &[f64]) -> SlicerMetrics {
    let mut acf = vec![0.0; w.len()];
    autocorrelation(p.pulse, &mut acf);
    metrics_with_acf(p, n_pre, &acf, w, b)
}

/// The residual cursors at the slicer, `(offset m from the cursor, f_m − b_m)` for every `m`
/// (cursor included as `f_0`), with `f` the FFE output on the whole pulse.
pub fn residual_cursors(p: &Problem<'_>, n_pre: usize, w: &[f64], b: &[f64]) -> Vec<(isize, f64)> {
    let mut f = Vec::new();
    convolve(p.pulse, w, &mut f);
    let t0 = (p.cursor + n_pre) as isize;
    f.iter()
        .enumerate()
        .map(|(t, &v)| {
            let m = t as isize - t0;
            let dfe = if m >= 1 { b.get(m as usize - 1).copied().unwrap_or(0.0) } else { 0.0 };
            (m, v - dfe)
        })
        .collect()
}

/// `wᵀ R w` for the symmetric Toeplitz `R_ij = r(|i − j|)`.
pub fn quadratic_toeplitz(w: &[f64], r: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, &wi) in w.iter().enumerate() {
        s += wi * wi * r[0];
        for (j, &wj) in w.iter().enumerate().take(i) {
            s += 2.0 * wi * wj * r[i - j];
        }
    }
    s
}

/// `acf[l] = Σ_n h_n h_{n+l}` for `l < acf.len()`.
fn autocorrelation(h: &[f64], acf: &mut [f64]) {
    for (l, a) in acf.iter_mut().enumerate() {
        *a = h.iter().zip(h.iter().skip(l)).map(|(x, y)| x * y).sum();
    }
}

/// Full linear convolution `out = h * w` (length `len h + len w − 1`), reusing `out`.
pub fn convolve(h: &[f64], w: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.resize(h.len() + w.len() - 1, 0.0);
    for (j, &wj) in w.iter().enumerate() {
        if wj == 0.0 {
            continue;
        }
        for (i, &hi) in h.iter().enumerate() {
            out[i + j] += wj * hi;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// On any pulse with a positive cursor, the MMSE taps beat no equalization and zero
        /// forcing (unconstrained DFE: the limits' active set is a heuristic), and with COM
        /// limits the DFE taps stay inside them.
        #[test]
        fn mmse_beats_identity_and_zero_forcing(
            side in proptest::collection::vec(-0.3f64..0.3, 11),
            main in 0.3f64..1.0,
            sigma in 1e-3f64..0.1,
        ) {
            let mut h = side.clone();
            h.insert(3, main);
            let noise = white(sigma, 10);
            let p = Problem { pulse: &h, cursor: 3, pulse_acf: None, noise_acf: &noise, symbol_var: 5.0 / 9.0 };
            let shape = RxFfeShape { n_pre: 2, n_post: 5 };
            let snr = |dfe: DfeConfig, c| Solver::new(shape, dfe, c).unwrap().solve(&p).unwrap().snr;
            let best = snr(DfeConfig::unconstrained(2), Criterion::Mmse);
            let zf = snr(DfeConfig::unconstrained(2), Criterion::ZeroForcing);
            let none = evaluate(&p, 0, &[1.0], &[]).snr;
            prop_assert!(best >= none * (1.0 - 1e-9) && best >= zf * (1.0 - 1e-9), "{best} {zf} {none}");
            let mut limited = Solver::new(shape, DfeConfig::com(2), Criterion::Mmse).unwrap();
            let m = limited.solve(&p).unwrap();
            prop_assert!(m.snr >= none * (1.0 - 1e-9));
            for (b, (lo, hi)) in limited.dfe_v.iter().zip(&DfeConfig::com(2).limits) {
                let r = b / m.cursor_v;
                prop_assert!(r >= lo - 1e-9 && r <= hi + 1e-9);
            }
        }
    }

    /// A lossy pulse with pre- and post-cursors.
    fn pulse() -> (Vec<f64>, usize) {
        (vec![0.01, -0.03, 0.12, 0.55, 0.32, 0.16, 0.09, 0.05, 0.03, 0.02, 0.01, 0.005], 3)
    }

    fn white(sigma: f64, lags: usize) -> Vec<f64> {
        let mut r = vec![0.0; lags];
        r[0] = sigma * sigma;
        r
    }

    /// The dense least-squares problem of the module docs, solved by SVD.
    fn dense_least_squares(h: &[f64], c: usize, noise: &[f64], sx: f64, shape: RxFfeShape, k_dfe: usize) -> Vec<f64> {
        let n = shape.taps();
        let t0 = c + shape.n_pre;
        let rows_len = h.len() + n - 1;
        let mut rows: Vec<Vec<f64>> = Vec::new();
        let mut target = Vec::new();
        for t in 0..rows_len {
            if t > t0 && t <= t0 + k_dfe {
                continue;
            }
            rows.push((0..n).map(|j| if t >= j && t - j < h.len() { sx.sqrt() * h[t - j] } else { 0.0 }).collect());
            target.push(if t == t0 { sx.sqrt() } else { 0.0 });
        }
        // Noise rows: the Cholesky factor of the noise Toeplitz matrix, Lᵀ w → 0.
        let rn = DMatrix::from_fn(n, n, |i, j| noise[i.abs_diff(j)]);
        let l = Cholesky::new(rn).unwrap().unpack();
        for i in 0..n {
            rows.push((0..n).map(|j| l[(j, i)]).collect());
            target.push(0.0);
        }
        let a = DMatrix::from_fn(rows.len(), n, |i, j| rows[i][j]);
        let b = DVector::from_vec(target);
        a.svd(true, true).solve(&b, 1e-14).unwrap().as_slice().to_vec()
    }

    #[test]
    fn mmse_equals_dense_least_squares() {
        let (h, c) = pulse();
        let sx = 5.0 / 9.0;
        let noise = vec![4e-4, 1.5e-4, 0.3e-4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        for (shape, k) in [(RxFfeShape { n_pre: 2, n_post: 5 }, 1), (RxFfeShape { n_pre: 1, n_post: 3 }, 3)] {
            let mut s = Solver::new(shape, DfeConfig::unconstrained(k), Criterion::Mmse).unwrap();
            let p = Problem { pulse: &h, cursor: c, pulse_acf: None, noise_acf: &noise, symbol_var: sx };
            s.solve(&p).unwrap();
            let ls = dense_least_squares(&h, c, &noise, sx, shape, k);
            for (a, b) in s.ffe.iter().zip(&ls) {
                assert!((a - b).abs() < 1e-9 * ls.iter().map(|x| x.abs()).fold(0.0, f64::max), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn more_taps_never_lower_snr() {
        let (h, c) = pulse();
        let noise = white(0.01, 40);
        let p = Problem { pulse: &h, cursor: c, pulse_acf: None, noise_acf: &noise, symbol_var: 5.0 / 9.0 };
        let snr = |pre, post, k| {
            let mut s =
                Solver::new(RxFfeShape { n_pre: pre, n_post: post }, DfeConfig::unconstrained(k), Criterion::Mmse)
                    .unwrap();
            s.solve(&p).unwrap().snr
        };
        let mut last = 0.0;
        for post in 0..8 {
            let v = snr(1, post, 0);
            assert!(v >= last * (1.0 - 1e-12), "post {post}: {v} < {last}");
            last = v;
        }
        for pre in 0..4 {
            assert!(snr(pre + 1, 3, 1) >= snr(pre, 3, 1) * (1.0 - 1e-12));
        }
        for k in 0..4 {
            assert!(snr(2, 3, k + 1) >= snr(2, 3, k) * (1.0 - 1e-12));
        }
    }

    #[test]
    fn pure_delay_gives_identity_taps() {
        let mut h = vec![0.0; 9];
        h[4] = 0.8;
        let noise = white(0.01, 20);
        let p = Problem { pulse: &h, cursor: 4, pulse_acf: None, noise_acf: &noise, symbol_var: 1.0 };
        for crit in [Criterion::Mmse, Criterion::ZeroForcing] {
            let mut s = Solver::new(RxFfeShape { n_pre: 3, n_post: 6 }, DfeConfig::unconstrained(2), crit).unwrap();
            let m = s.solve(&p).unwrap();
            for (j, w) in s.ffe.iter().enumerate() {
                if j != 3 {
                    assert!(w.abs() < 1e-9, "{crit:?} tap {j}: {w}");
                }
            }
            assert!(s.ffe[3] > 0.0 && s.dfe_v.iter().all(|b| b.abs() < 1e-9));
            if crit == Criterion::ZeroForcing {
                assert!((s.ffe[3] - 1.25).abs() < 1e-9);
            }
            assert!((m.snr / (0.64 / 1e-4) - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn dfe_limits_are_respected() {
        let (h, c) = pulse();
        let noise = white(0.01, 20);
        let p = Problem { pulse: &h, cursor: c, pulse_acf: None, noise_acf: &noise, symbol_var: 1.0 };
        let mut s = Solver::new(RxFfeShape::NONE, DfeConfig { limits: vec![(0.0, 0.3)] }, Criterion::Mmse).unwrap();
        let m = s.solve(&p).unwrap();
        assert!((s.dfe_v[0] / m.cursor_v - 0.3).abs() < 1e-12);
        let mut free = Solver::new(RxFfeShape::NONE, DfeConfig::unconstrained(1), Criterion::Mmse).unwrap();
        assert!(free.solve(&p).unwrap().snr > m.snr);
        assert!(Solver::new(RxFfeShape { n_pre: 65, n_post: 0 }, DfeConfig::com(1), Criterion::Mmse).is_err());
    }

    #[test]
    fn zero_forcing_minimises_isi_and_mmse_maximises_snr() {
        let (h, c) = pulse();
        let noise = white(0.05, 40);
        let p = Problem { pulse: &h, cursor: c, pulse_acf: None, noise_acf: &noise, symbol_var: 1.0 };
        let shape = RxFfeShape { n_pre: 3, n_post: 20 };
        let zf = Solver::new(shape, DfeConfig::unconstrained(0), Criterion::ZeroForcing).unwrap().solve(&p).unwrap();
        let mmse = Solver::new(shape, DfeConfig::unconstrained(0), Criterion::Mmse).unwrap().solve(&p).unwrap();
        let none = evaluate(&p, 0, &[1.0], &[]);
        let isi = |m: &SlicerMetrics| m.isi_var_v2 / (m.cursor_v * m.cursor_v);
        assert!(isi(&zf) < isi(&mmse) && isi(&zf) < 0.01 * isi(&none), "{zf:?} {mmse:?}");
        assert!(mmse.snr > zf.snr && zf.noise_var_v2 / zf.cursor_v.powi(2) > mmse.noise_var_v2 / mmse.cursor_v.powi(2));
    }
}
