//! TDECQ (transmitter and dispersion eye closure, quaternary) per IEEE 802.3 121.8.5.3 and the
//! later PAM4 clauses, and SECQ (the same measurement on a stressed-receiver test signal).
//!
//! **`TDECQ = 10·log10( OMA_outer / (6·Q_t·sqrt(σ_G² + σ_S²)) )`**, `Q_t = 3.414` ⇔ SER 4.8e-4
//! (IEEE 802.3bs-2017 121.8.5.3 \[P\]). Procedure implemented here:
//! * the waveform is taken as seen through the reference receiver (4th-order Bessel–Thomson at
//!   0.5 × baud; the simulator applies it, an imported capture is assumed to include it);
//! * a 5-tap T-spaced reference FFE, taps summing to 1, cursor in the middle, is chosen to minimise
//!   TDECQ: a constrained MMSE start (decision-directed) refined by a pattern search on TDECQ itself;
//! * two histogram windows 0.04 UI wide centred 0.05 UI either side of the eye centre (0.45 and
//!   0.55 UI, FlexDCA/VPI defaults \[P\]); the window pair may move by up to ±0.04 UI (sampling-phase
//!   optimisation);
//! * thresholds at `P_avg` and `P_avg ± OMA_outer/3` \[U\];
//! * the SER of a window for added noise σ at the slicer is
//!   `(1/N)·Σ_y n(y)·[Q((t_up − y)/σ) + Q((y − t_low)/σ)]` over its histogram, with `t_up`, `t_low` the
//!   thresholds bounding the region of `y` \[U: exact bookkeeping\];
//! * σ_G is the largest noise **at the equaliser input** (so the FFE's noise gain `C_eq = ‖c‖₂` counts)
//!   for which both windows stay ≤ the target, found by the Illinois method (regula falsi on
//!   `ln SER`); σ_S (scope noise) defaults to 0.
//!
//! An ideal eye gives 0 dB; Gaussian noise σ alone gives `−10·log10(sqrt(1 − (6·Q_t·σ/OMA)²))`.
//!
//! ```
//! use photolink::metrics::{Eye, TdecqConfig, tdecq};
//! use photolink::math::prbs::Pattern;
//! use photolink::sim::{LinkConfig, simulate};
//!
//! // The default lane (MZM, 53.125 GBd PAM4) on the short PRBS13Q pattern over 2 km of SMF.
//! let mut cfg = LinkConfig::default();
//! cfg.signal.pattern = Pattern::Prbs13q;
//! cfg.fiber.medium = "smf".into();
//! cfg.fiber.length_m = 2000.0;
//! let sim = simulate(&cfg)?;
//! let eye = Eye::analyze(&sim.waveform.samples, sim.samples_per_ui, 4, cfg.analysis.contour_ser)?;
//! let t = tdecq(&eye, &TdecqConfig::default())?;
//! assert!(t.tdecq_db > 0.0 && t.tdecq_db < 3.4); // under the 400GBASE-DR4 limit
//! # Ok::<(), photolink::Error>(())
//! ```

use super::eye::{Eye, decide};
use crate::error::{Error, Result};
use crate::math::{q, q_inv};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use std::collections::BTreeMap;

/// The SER at which TDECQ is measured: 4.8e-4, `Q_t = 3.414` (IEEE 802.3bs-2017 121.8.5.3).
pub const TARGET_SER: f64 = 4.8e-4;

/// TDECQ settings (defaults: 802.3 PAM4 optical PMDs).
#[derive(Debug, Clone, PartialEq)]
pub struct TdecqConfig {
    /// Target SER. Default [`TARGET_SER`].
    pub target_ser: f64,
    /// Histogram window width, UI. Default 0.04.
    pub window_ui: f64,
    /// Offset of each window from the eye centre, UI. Default 0.05 (windows at 0.45 and 0.55 UI).
    pub window_offset_ui: f64,
    /// Reference FFE length (odd). Default 5.
    pub ffe_taps: usize,
    /// Scope / O/E noise σ_S, W. Default 0.
    pub scope_noise_w: f64,
    /// Budget of TDECQ evaluations for the tap search after the MMSE start. Default 8.
    pub max_evaluations: usize,
}

impl Default for TdecqConfig {
    fn default() -> Self {
        TdecqConfig {
            target_ser: TARGET_SER,
            window_ui: 0.04,
            window_offset_ui: 0.05,
            ffe_taps: 5,
            scope_noise_w: 0.0,
            max_evaluations: 8,
        }
    }
}

/// The result of a TDECQ (or SECQ) measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tdecq {
    /// TDECQ, dB (infinite when the equalised eye is closed).
    pub tdecq_db: f64,
    /// Largest added noise at the equaliser input meeting the target, W.
    pub sigma_g_w: f64,
    /// Reference FFE taps (sum 1).
    pub ffe_taps: Vec<f64>,
    /// `10·log10(C_eq)`, `C_eq = ‖c‖₂` (noise gain of the FFE) \[U: FlexDCA Ceq\], dB.
    pub ceq_db: f64,
    /// SER of the left and right windows at σ_G.
    pub ser_windows: [f64; 2],
    /// Offset of the window pair from the eye centre chosen by the phase search, UI.
    pub phase_offset_ui: f64,
    /// OMA_outer used, W.
    pub oma_outer_w: f64,
}

/// Window-pair shifts of the phase search, UI; the first is the pair as centred.
const PHASES_UI: [f64; 5] = [0.0, -0.04, -0.02, 0.02, 0.04];

/// Histogram bins per window.
const BINS: usize = 192;
/// Number of Q_t: σ_ideal = OMA/(6·Q_t).
const PAM4_EYES: f64 = 6.0;

/// Evaluates TDECQ candidates on a fixed eye: window sample vectors and buffers are kept between
/// evaluations.
struct Evaluator<'a> {
    eye: &'a Eye<'a>,
    cfg: &'a TdecqConfig,
    thresholds: [f64; 3],
    /// The sample columns (one sample per UI, wrapped for the FFE by [`Evaluator::padded`]) at
    /// each integer position any window of the phase search covers, gathered in one pass.
    columns: BTreeMap<i64, Vec<f64>>,
    /// The positions in `columns` of each window's columns at the current phase.
    windows: [Vec<i64>; 2],
    y: Vec<f64>,
    sigma_ideal: f64,
}

impl<'a> Evaluator<'a> {
    fn new(eye: &'a Eye<'a>, cfg: &'a TdecqConfig, oma: f64) -> Evaluator<'a> {
        let avg = eye.metrics.average_power_w;
        let q_t = q_inv(cfg.target_ser / 1.5).unwrap_or(3.414);
        Evaluator {
            eye,
            cfg,
            thresholds: [avg - oma / 3.0, avg, avg + oma / 3.0],
            columns: BTreeMap::new(),
            windows: [Vec::new(), Vec::new()],
            y: Vec::with_capacity(eye.n_ui() * 4),
            sigma_ideal: oma / (PAM4_EYES * q_t),
        }
    }

    /// Samples at a fractional column (periodic linear interpolation), one per UI.
    fn column(&self, pos: f64) -> Vec<f64> {
        let (s, n, spui) = (self.eye.samples, self.eye.samples.len(), self.eye.samples_per_ui);
        let base = pos.floor();
        let a = pos - base;
        (0..self.eye.n_ui())
            .map(|u| {
                let k = (u as isize * spui as isize + base as isize).rem_euclid(n as isize) as usize;
                s[k] * (1.0 - a) + s[(k + 1) % n] * a
            })
            .collect()
    }

    /// Column positions of the window pair shifted by `phase_ui`: every sample column inside a
    /// window, or the nearest column when the window falls between columns (interpolating would
    /// average white noise away).
    fn window_columns(&self, phase_ui: f64) -> [Vec<i64>; 2] {
        let spui = self.eye.samples_per_ui as f64;
        let c = self.eye.metrics.center_phase;
        let half = 0.5 * self.cfg.window_ui * spui;
        [-1.0, 1.0].map(|side| {
            let mid = c + (side * self.cfg.window_offset_ui + phase_ui) * spui;
            let columns: Vec<i64> = ((mid - half).ceil() as i64..=(mid + half).floor() as i64).collect();
            if columns.is_empty() { vec![mid.round() as i64] } else { columns }
        })
    }

    /// Gathers the columns of every window at each of `phases_ui` not yet held, in one pass over
    /// the waveform (column by column would touch a cache line per sample, again for every phase).
    fn gather(&mut self, phases_ui: &[f64]) {
        let positions: std::collections::BTreeSet<i64> = phases_ui
            .iter()
            .flat_map(|&p| self.window_columns(p))
            .flatten()
            .filter(|p| !self.columns.contains_key(p))
            .collect();
        let (s, n, spui, n_ui) =
            (self.eye.samples, self.eye.samples.len() as i64, self.eye.samples_per_ui as i64, self.eye.n_ui());
        let mut gathered: Vec<(i64, Vec<f64>)> = positions.iter().map(|&p| (p, Vec::with_capacity(n_ui))).collect();
        for u in 0..n_ui as i64 {
            for (p, column) in gathered.iter_mut() {
                column.push(s[(u * spui + *p).rem_euclid(n) as usize]);
            }
        }
        let padded: Vec<_> = gathered.into_iter().map(|(p, column)| (p, self.padded(column))).collect();
        self.columns.extend(padded);
    }

    /// Selects the window pair shifted by `phase_ui`, gathering any of its columns not yet held.
    fn place(&mut self, phase_ui: f64) {
        self.gather(&[phase_ui]);
        self.windows = self.window_columns(phase_ui);
    }

    /// Wraps `main` values around each end so the FFE needs no modulo: `pad[i] = v[(i − main) mod n]`.
    fn padded(&self, v: Vec<f64>) -> Vec<f64> {
        let (n, main) = (v.len(), self.cfg.ffe_taps / 2);
        (0..n + 2 * main).map(|i| v[(i + n - main) % n]).collect()
    }

    /// SER of window `w` with taps `c` at slicer noise σ for each σ in `sigmas` (one histogram).
    fn window_histogram(&mut self, w: usize, taps: &[f64]) -> Vec<(f64, f64, f64)> {
        let main = taps.len() / 2;
        let n_ui = self.eye.n_ui();
        self.y.clear();
        for v in self.windows[w].iter().map(|p| &self.columns[p]) {
            // y[u] = Σ_j c_j·v[u + main − j] = Σ_j c_j·pad[u + 2·main − j], one tap per pass (the
            // passes vectorise; the sum runs in the same order as a per-sample dot product).
            let start = self.y.len();
            self.y.resize(start + n_ui, 0.0);
            for (j, &c) in taps.iter().enumerate() {
                let shifted = &v[2 * main - j..][..n_ui];
                self.y[start..].iter_mut().zip(shifted).for_each(|(y, &x)| *y += c * x);
            }
        }
        let (lo, hi) = self.y.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let scale = (BINS as f64 - 1e-9) / (hi - lo).max(f64::MIN_POSITIVE);
        let mut count = [0usize; BINS];
        let mut sum = [0.0f64; BINS];
        for &v in &self.y {
            let b = ((v - lo) * scale) as usize;
            count[b] += 1;
            sum[b] += v;
        }
        let total = self.y.len() as f64;
        let t = self.thresholds;
        (0..BINS)
            .filter(|&b| count[b] > 0)
            .map(|b| {
                let y = sum[b] / count[b] as f64;
                let r = decide(y, &t);
                let up = if r < 3 { t[r] - y } else { f64::INFINITY };
                let down = if r > 0 { y - t[r - 1] } else { f64::INFINITY };
                (count[b] as f64 / total, up, down)
            })
            .collect()
    }

    /// TDECQ (dB) of taps `c` at the current window placement, with σ_G and the window SERs.
    fn evaluate(&mut self, taps: &[f64]) -> (f64, f64, [f64; 2]) {
        let hist: Vec<_> = (0..2).map(|w| self.window_histogram(w, taps)).collect();
        let ser = |h: &[(f64, f64, f64)], sigma: f64| -> f64 {
            h.iter().map(|&(p, up, down)| p * (q(up / sigma) + q(down / sigma))).sum()
        };
        let worst = |sigma: f64| ser(&hist[0], sigma).max(ser(&hist[1], sigma));
        let target = self.cfg.target_ser;
        let (mut lo, mut hi) = (1e-6 * self.sigma_ideal, 1.5 * self.sigma_ideal);
        if worst(lo) > target {
            return (f64::INFINITY, 0.0, [worst(lo); 2]);
        }
        // Illinois (modified regula falsi) on g(x) = ln SER(e^x) − ln target: SER is smooth and
        // monotone in σ, so this converges in ~10 SER evaluations instead of ~30 for bisection.
        let g = |x: f64| worst(x.exp()).max(f64::MIN_POSITIVE).ln() - target.ln();
        let (mut a, mut b) = (lo.ln(), hi.ln());
        let (mut ga, mut gb) = (g(a), g(b));
        let mut side = 0;
        for _ in 0..60 {
            if gb <= 0.0 {
                break; // the whole bracket meets the target
            }
            let x = (a * gb - b * ga) / (gb - ga);
            let gx = g(x);
            if gx <= 0.0 {
                (a, ga) = (x, gx);
                if side == -1 {
                    gb *= 0.5;
                }
                side = -1;
            } else {
                (b, gb) = (x, gx);
                if side == 1 {
                    ga *= 0.5;
                }
                side = 1;
            }
            if b - a < 1e-7 {
                break;
            }
        }
        lo = if gb <= 0.0 { b.exp() } else { a.exp() };
        hi = hi.max(lo);
        debug_assert!(hi >= lo);
        let norm = taps.iter().map(|c| c * c).sum::<f64>().sqrt();
        let sigma_g = lo / norm;
        let total = (sigma_g * sigma_g + self.cfg.scope_noise_w.powi(2)).sqrt();
        let db = 10.0 * (self.sigma_ideal / total).log10();
        (db, sigma_g, [ser(&hist[0], lo), ser(&hist[1], lo)])
    }

    /// Decision-directed MMSE taps with `Σc = 1`, at the eye centre.
    fn mmse_taps(&self, n_taps: usize) -> Vec<f64> {
        let v = self.column(self.eye.metrics.center_phase);
        let n_ui = v.len();
        let main = n_taps / 2;
        let ideal = self.eye.metrics.outer_levels_w[0];
        let step = self.eye.metrics.oma_outer_w / 3.0;
        let thresholds = &self.eye.metrics.thresholds_w;
        let mut r = DMatrix::<f64>::zeros(n_taps + 1, n_taps + 1);
        let mut p = DVector::<f64>::zeros(n_taps + 1);
        let mut x = [0.0; 15];
        for u in 0..n_ui {
            for (j, xj) in x.iter_mut().take(n_taps).enumerate() {
                *xj = v[(u + n_ui + main - j) % n_ui];
            }
            let a = ideal + step * decide(v[u], thresholds) as f64;
            for i in 0..n_taps {
                p[i] += x[i] * a;
                for j in 0..n_taps {
                    r[(i, j)] += x[i] * x[j];
                }
            }
        }
        for i in 0..n_taps {
            r[(i, n_taps)] = 1.0;
            r[(n_taps, i)] = 1.0;
        }
        p[n_taps] = 1.0;
        match r.lu().solve(&p) {
            Some(sol) if sol.iter().all(|x| x.is_finite()) => sol.iter().take(n_taps).copied().collect(),
            _ => (0..n_taps).map(|j| if j == main { 1.0 } else { 0.0 }).collect(),
        }
    }
}

/// TDECQ of a PAM4 eye (see the module documentation). `oma_outer_w` overrides the eye's OMA.
pub fn tdecq(eye: &Eye, cfg: &TdecqConfig) -> Result<Tdecq> {
    if eye.levels != 4 {
        return Err(Error::invalid("modulation", "nrz", "expected pam4 for TDECQ"));
    }
    if cfg.ffe_taps.is_multiple_of(2) || cfg.ffe_taps > 15 {
        return Err(Error::invalid("ffe_taps", cfg.ffe_taps, "expected an odd number ≤ 15"));
    }
    let oma = eye.metrics.oma_outer_w;
    let mut ev = Evaluator::new(eye, cfg, oma);
    ev.gather(&PHASES_UI);
    ev.place(0.0);
    let identity: Vec<f64> = (0..cfg.ffe_taps).map(|j| if j == cfg.ffe_taps / 2 { 1.0 } else { 0.0 }).collect();
    let mut best_taps = identity.clone();
    let mut best = ev.evaluate(&identity);
    let mmse = ev.mmse_taps(cfg.ffe_taps);
    let r = ev.evaluate(&mmse);
    if r.0 < best.0 {
        best = r;
        best_taps = mmse;
    }
    let main = cfg.ffe_taps / 2;
    let mut budget = cfg.max_evaluations;
    for step in [0.02, 0.005] {
        let mut improved = true;
        while improved && budget > 0 {
            improved = false;
            for k in (0..cfg.ffe_taps).filter(|&k| k != main) {
                for sign in [-1.0, 1.0] {
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    let mut c = best_taps.clone();
                    c[k] += sign * step;
                    c[main] -= sign * step;
                    let r = ev.evaluate(&c);
                    if r.0 < best.0 - 1e-6 {
                        best = r;
                        best_taps = c;
                        improved = true;
                    }
                }
            }
        }
    }
    let mut phase = 0.0;
    for &shift in &PHASES_UI[1..] {
        ev.place(shift);
        let r = ev.evaluate(&best_taps);
        if r.0 < best.0 - 1e-6 {
            best = r;
            phase = shift;
        }
    }
    let norm = best_taps.iter().map(|c| c * c).sum::<f64>().sqrt();
    Ok(Tdecq {
        tdecq_db: best.0,
        sigma_g_w: best.1,
        ceq_db: 10.0 * norm.log10(),
        ffe_taps: best_taps,
        ser_windows: best.2,
        phase_offset_ui: phase,
        oma_outer_w: oma,
    })
}

/// SECQ (stressed eye closure, quaternary): the TDECQ measurement applied to the stressed-receiver
/// conformance test signal (802.3 121.8.9 \[P, definition\]); the same algorithm and defaults.
pub fn secq(stressed_eye: &Eye, cfg: &TdecqConfig) -> Result<Tdecq> {
    tdecq(stressed_eye, cfg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::rng::Xoshiro256pp;

    fn pam4_waveform(spui: usize, n_ui: usize, sigma: f64, seed: u64) -> Vec<f64> {
        let symbols = crate::math::prbs::Pattern::Prbs13q.symbols(2).unwrap();
        let mut rng = Xoshiro256pp::seed_from_u64(seed);
        (0..n_ui)
            .flat_map(|u| std::iter::repeat_n(0.2e-3 + 0.4e-3 * symbols[u % symbols.len()] as f64, spui))
            .map(|v| v + sigma * rng.normal())
            .collect()
    }

    #[test]
    fn ideal_eye_has_zero_tdecq() {
        let w = pam4_waveform(16, 16_382, 0.0, 1);
        let eye = Eye::analyze(&w, 16, 4, 4.8e-4).unwrap();
        let t = tdecq(&eye, &TdecqConfig::default()).unwrap();
        assert!(t.tdecq_db.abs() < 0.05, "{t:?}");
        assert!((t.ffe_taps.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn gaussian_noise_matches_closed_form() {
        let oma = 1.2e-3;
        let q_t = q_inv(4.8e-4 / 1.5).unwrap();
        for sigma in [20e-6, 35e-6, 45e-6] {
            let w = pam4_waveform(8, 65_528, sigma, 7);
            let eye = Eye::analyze(&w, 8, 4, 4.8e-4).unwrap();
            let t = tdecq(&eye, &TdecqConfig::default()).unwrap();
            let expected = -10.0 * (1.0 - (6.0 * q_t * sigma / oma).powi(2)).sqrt().log10();
            assert!((t.tdecq_db - expected).abs() < 0.1, "σ {sigma}: {} vs {expected} {t:?}", t.tdecq_db);
        }
    }

    #[test]
    fn nrz_is_rejected() {
        let w: Vec<f64> = (0..4000).map(|i| ((i / 8) % 2) as f64).collect();
        let eye = Eye::analyze(&w, 8, 2, 1e-3).unwrap();
        assert!(tdecq(&eye, &TdecqConfig::default()).is_err());
    }
}
