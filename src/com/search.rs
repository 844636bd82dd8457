//! The equalizer search of 93A.1.6: every Tx FFE × g_DC × g_DC2 point is scored by its figure
//! of merit (93A-36) with the DFE of (93A-26/27), the best one kept.
//!
//! The Tx FFE is applied in time (a whole-UI FIR on the CTLE pulse, the inverse transform of
//! (93A-21)), so each CTLE setting costs one inverse FFT per channel and each Tx point only
//! multiply-adds; CTLE settings run in parallel (rayon), each with its own scratch.

use super::params::{ComParams, FomIsi};
use super::response::{Grid, Kind, pulse_into};
use crate::eq::filters::{Ctle, Span};
use crate::math::fft::RealFft;
use num_complex::Complex64;
use rayon::prelude::*;
use rustfft::FftPlanner;
use serde::Serialize;

/// Index of the main tap in the 7-tap Tx FFE `[c(−3) … c(3)]`.
pub const TX_MAIN: usize = 3;

/// One channel ready for the search: its kind and `H_t·H21·H_r` on the grid.
#[derive(Debug, Clone)]
pub struct PathOnGrid {
    /// Thru, FEXT or NEXT.
    pub kind: Kind,
    /// `H_t·H21·H_r` on the grid, k = 0 … n/2.
    pub h: Vec<Complex64>,
}

/// The noise and interference terms of the FOM (93A-30 to 93A-35), V (RMS).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sigmas {
    /// Transmitter noise `σ_TX` (93A-30).
    pub sigma_tx_v: f64,
    /// Residual ISI after the DFE `σ_ISI` (93A-31).
    pub sigma_isi_v: f64,
    /// Jitter `σ_J` (93A-32).
    pub sigma_j_v: f64,
    /// Crosstalk `σ_XT` (93A-34).
    pub sigma_xt_v: f64,
    /// Receiver noise `σ_N` (93A-35).
    pub sigma_n_v: f64,
}

/// The best equalizer point of the search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EqPoint {
    /// Tx FFE `[c(−3), c(−2), c(−1), c(0), c(1), c(2), c(3)]`.
    pub tx_taps: [f64; 7],
    /// CTLE DC gain, dB.
    pub g_dc_db: f64,
    /// CTLE low-frequency gain, dB.
    pub g_dc2_db: f64,
    /// Figure of merit (93A-36), dB.
    pub fom_db: f64,
    /// Cursor sample index in the pulse record.
    pub cursor_index: usize,
    /// The FOM's noise terms at this point.
    pub sigmas: Sigmas,
}

/// Every Tx FFE setting of the parameter set with `c(0) = 1 − Σ|c(k)| ≥ c0_min` (93A-21), in
/// grid order (the first tap varying slowest, as MATLAB COM and PyChOpMarg visit them).
pub fn tx_settings(p: &ComParams) -> Vec<[f64; 7]> {
    let axes: Vec<Vec<f64>> =
        (0..6).map(|k| Span::new(p.tx_taps_min[k], p.tx_taps_max[k], p.tx_taps_step[k]).values()).collect();
    let mut out = Vec::new();
    let mut idx = [0usize; 6];
    loop {
        let side: Vec<f64> = (0..6).map(|k| axes[k][idx[k]]).collect();
        let c0 = 1.0 - side.iter().map(|c| c.abs()).sum::<f64>();
        if c0 >= p.c0_min - 1e-12 {
            out.push([side[0], side[1], side[2], c0, side[3], side[4], side[5]]);
        }
        let mut k = 5;
        loop {
            idx[k] += 1;
            if idx[k] < axes[k].len() {
                break;
            }
            idx[k] = 0;
            if k == 0 {
                return out;
            }
            k -= 1;
        }
    }
}

/// The CTLE of the parameter set at `(g_DC, g_DC2)` (93A-22 with the 802.3ck/dj low-frequency
/// pair; the photolink [`Ctle`]).
pub fn ctle(p: &ComParams, g_dc_db: f64, g_dc2_db: f64) -> Ctle {
    Ctle {
        g_dc_db,
        g_dc2_db,
        f_z_hz: p.f_z_ghz * 1e9,
        f_p1_hz: p.f_p1_ghz * 1e9,
        f_p2_hz: p.f_p2_ghz * 1e9,
        f_lf_hz: p.f_lf_ghz * 1e9,
    }
}

/// `σ_X² = (L² − 1)/(3(L − 1)²)` (93A-29) for symbols scaled to ±1.
pub fn symbol_variance(l: usize) -> f64 {
    let l = l as f64;
    (l * l - 1.0) / (3.0 * (l - 1.0) * (l - 1.0))
}

/// Receiver noise variance at the slicer (93A-35): `σ_N² = η_0 ∫|H_r·H_ctf|² df`, the sum over
/// the grid from the first bin (as MATLAB COM), V².
pub fn noise_variance(p: &ComParams, grid: &Grid, ctle: &[Complex64]) -> f64 {
    let fr = p.f_r_fb * p.fb_gbd * 1e9;
    let sum: f64 = grid
        .freq_hz
        .iter()
        .zip(ctle)
        .skip(1)
        .map(|(&f, c)| (crate::eq::filters::rx_butterworth_transfer(f, fr) * c).norm_sqr())
        .sum();
    p.eta_0_v2_per_ghz * 1e-9 * sum * grid.df_hz()
}

/// Applies a 7-tap, UI-spaced Tx FFE (main tap [`TX_MAIN`]) to an `m`-samples-per-UI pulse:
/// `out[i] = Σ c_k·pulse[i − (k − 3)·m]`, zero outside the record.
pub fn apply_tx_ffe(taps: &[f64; 7], pulse: &[f64], m: usize, out: &mut [f64]) {
    out.iter_mut().for_each(|o| *o = 0.0);
    let n = pulse.len();
    for (k, &c) in taps.iter().enumerate().filter(|(_, c)| **c != 0.0) {
        let shift = (k as isize - TX_MAIN as isize) * m as isize;
        let (from, to) = if shift >= 0 { (0, shift as usize) } else { ((-shift) as usize, 0) };
        let len = n - from.max(to);
        for (o, x) in out[to..to + len].iter_mut().zip(&pulse[from..from + len]) {
            *o += c * x;
        }
    }
}

/// The cursor by the Mueller–Müller rule with DFE anticipation (93A-25, 93A-26), searched
/// within one UI of the peak: the sample `h0 > 0` minimising
/// `|h(−1) − (h(1) − b(1)·h0)|`, `b(1) = clamp(h(1)/h0, b_min(1), b_max(1))`; a residual below
/// 1 mV counts as exact, and the last exact one at or before the peak wins (the standard's
/// tie-break, as MATLAB COM 3.70 and PyChOpMarg apply it). `None` for a degenerate pulse.
pub fn locate_cursor(pulse: &[f64], m: usize, b1_min: f64, b1_max: f64) -> Option<usize> {
    let peak = crate::eq::pulse::argmax(pulse);
    let lo = m.max(peak.saturating_sub(m));
    let hi = (pulse.len().saturating_sub(m)).min(peak + m);
    let (mut best, mut best_res, mut exact_before, mut exact_after) = (None, f64::INFINITY, None, None);
    for ix in lo..hi {
        let h0 = pulse[ix];
        if h0 <= 0.0 {
            continue;
        }
        let b1 = (pulse[ix + m] / h0).clamp(b1_min, b1_max);
        let res = (pulse[ix - m] - (pulse[ix + m] - b1 * h0)).abs();
        if res < 1e-3 {
            if ix <= peak {
                exact_before = Some(ix);
            } else if exact_after.is_none() {
                exact_after = Some(ix);
            }
        } else if res < best_res {
            best = Some(ix);
            best_res = res;
        }
    }
    exact_before.or(exact_after).or(best)
}

/// Residual ISI at the cursor's phase, every UI of the record (pre-cursors included, 93A-31 and
/// MATLAB COM's `get_pdf`), after the DFE of (93A-26/27) with taps clipped to `[b_min, b_max]`;
/// the cursor itself is 0. Writes the residual into `out` (one per UI) and the DFE taps used
/// into `taps`.
pub fn residual_isi(p: &ComParams, pulse: &[f64], m: usize, cursor: usize, out: &mut Vec<f64>, taps: &mut Vec<f64>) {
    out.clear();
    out.extend(pulse[cursor % m..].iter().step_by(m));
    let c = cursor / m;
    let h0 = pulse[cursor];
    out[c] = 0.0;
    taps.clear();
    for (n, (lo, hi)) in p.dfe_min.iter().zip(&p.dfe_max).enumerate() {
        if let Some(h) = out.get_mut(c + 1 + n) {
            let b = (*h / h0).clamp(*lo, *hi);
            *h -= b * h0;
            taps.push(b);
        }
    }
}

/// The pulse slope at the cursor's phase every UI (93A-32 with MATLAB COM's `h_J`):
/// `h_J(n) = (h(t_n + Δ) − h(t_n − Δ))/(2Δ)` in V/UI, `Δ = UI/M`, zero beyond the record.
pub fn jitter_slopes(pulse: &[f64], m: usize, cursor: usize, out: &mut Vec<f64>) {
    out.clear();
    let at = |i: usize| pulse.get(i).copied().unwrap_or(0.0);
    let phase = cursor % m;
    for j in 0..pulse.len() / m {
        let i = phase + j * m;
        let before = if i == 0 { 0.0 } else { at(i - 1) };
        out.push((at(i + 1) - before) * m as f64 / 2.0);
    }
}

/// Sum of squares of the samples of `pulse` at phase `phase` whose magnitude exceeds `floor`
/// (Note 2 of 93A.1.7.1: samples below 0.1 % of `A_s` are dropped).
fn phase_energy(pulse: &[f64], m: usize, phase: usize, floor: f64) -> f64 {
    pulse[phase..].iter().step_by(m).filter(|x| x.abs() > floor).map(|x| x * x).sum()
}

/// Crosstalk energy of one aggressor at its worst sampling phase (93A-33).
pub fn worst_phase_energy(pulse: &[f64], m: usize, floor: f64) -> (usize, f64) {
    (0..m).map(|ph| (ph, phase_energy(pulse, m, ph, floor))).fold((0, -1.0), |a, b| if b.1 > a.1 { b } else { a })
}

/// Threshold of [`active_windows`], relative to the victim's peak.
const WINDOW_REL: f64 = 1e-5;

/// The samples of each CTLE pulse that matter: from 4 UI before its first to 4 UI after its last
/// sample above [`WINDOW_REL`] of the victim's peak, the start on a UI boundary so that sampling
/// phases keep their index; `(lo, hi)` per path into `out`, and the threshold returned. Outside
/// its window a Tx FFE (Σ|c| = 1) keeps every sample below the threshold: crosstalk samples
/// there are dropped whenever 0.1 % of `A_s` exceeds it (checked per point), and the victim's
/// ISI there is below 10⁻¹⁰ of its peak squared per UI.
fn active_windows(pulses: &[Vec<f64>], m: usize, out: &mut Vec<(usize, usize)>) -> f64 {
    let thr = WINDOW_REL * pulses[0].iter().fold(0.0f64, |a, x| a.max(x.abs()));
    out.clear();
    for p in pulses {
        let n = p.len();
        out.push(match (p.iter().position(|x| x.abs() > thr), p.iter().rposition(|x| x.abs() > thr)) {
            (Some(first), Some(last)) => (first.saturating_sub(4 * m) / m * m, (last + 4 * m + 1).min(n)),
            _ => (0, n),
        });
    }
    thr
}

/// Reusable buffers of one search worker.
struct Scratch {
    fft: RealFft,
    spec: Vec<Complex64>,
    ctle: Vec<Complex64>,
    pulses: Vec<Vec<f64>>,
    eq: Vec<f64>,
    isi: Vec<f64>,
    dfe: Vec<f64>,
    slopes: Vec<f64>,
    var_n: f64,
    windows: Vec<(usize, usize)>,
}

/// Amplitude of a channel kind (`A_v`, `A_fe`, `A_ne`).
pub fn amplitude_v(p: &ComParams, kind: Kind) -> f64 {
    match kind {
        Kind::Thru => p.a_v_v,
        Kind::Fext => p.a_fe_v,
        Kind::Next => p.a_ne_v,
    }
}

/// The pulse responses of every path for one CTLE setting into `pulses` (no Tx FFE yet).
pub fn ctle_pulses(
    p: &ComParams,
    grid: &Grid,
    paths: &[PathOnGrid],
    ctle_h: &[Complex64],
    fft: &mut RealFft,
    spec: &mut [Complex64],
    pulses: &mut [Vec<f64>],
) {
    for (path, out) in paths.iter().zip(pulses.iter_mut()) {
        pulse_into(grid, fft, &path.h, ctle_h, amplitude_v(p, path.kind), spec, out);
    }
}

/// Searches Tx FFE × g_DC × g_DC2 for the largest FOM (93A.1.6). `paths[0]` is the thru.
/// Returns `None` when no point has a valid cursor.
pub fn search(p: &ComParams, grid: &Grid, paths: &[PathOnGrid]) -> Option<EqPoint> {
    let tx = tx_settings(p);
    let ctles: Vec<(f64, f64)> = p.g_dc_db.iter().flat_map(|&g1| p.g_dc2_db.iter().map(move |&g2| (g1, g2))).collect();
    let n = grid.n;
    let best_per_ctle: Vec<Option<EqPoint>> = ctles
        .par_iter()
        .map_init(
            || Scratch {
                fft: RealFft::new(n, &mut FftPlanner::new()),
                spec: vec![Complex64::ZERO; n / 2 + 1],
                ctle: vec![Complex64::ZERO; n / 2 + 1],
                pulses: vec![vec![0.0; n]; paths.len()],
                eq: vec![0.0; n],
                isi: Vec::with_capacity(n / grid.m + 1),
                dfe: Vec::with_capacity(p.dfe_max.len()),
                slopes: Vec::with_capacity(n / grid.m + 1),
                var_n: 0.0,
                windows: Vec::with_capacity(paths.len()),
            },
            |s, &(g1, g2)| best_for_ctle(p, grid, paths, &tx, g1, g2, s),
        )
        .collect();
    best_per_ctle.into_iter().flatten().fold(None, |best: Option<EqPoint>, cand| match best {
        Some(b) if b.fom_db >= cand.fom_db => Some(b),
        _ => Some(cand),
    })
}

/// FOM of one Tx FFE on the CTLE pulses in `s.pulses`, each over its window `s.windows` when
/// `windowed`, else over the whole record (93A.1.6 steps b to i): `(FOM dB, absolute cursor index, A_s, (σ_TX², σ_ISI², σ_J², σ_XT²))`, the receiver
/// noise (93A-35) added from `s.var_n`. NEXT aggressors carry no Tx FFE, FEXT ones the victim's.
type Score = (f64, usize, f64, (f64, f64, f64, f64));

fn score(
    p: &ComParams,
    paths: &[PathOnGrid],
    s: &mut Scratch,
    taps: &[f64; 7],
    m: usize,
    windowed: bool,
) -> Option<Score> {
    let n = s.eq.len();
    let (lo, hi) = if windowed { s.windows[0] } else { (0, n) };
    let len = hi - lo;
    let var_x = symbol_variance(p.l);
    let eq = &mut s.eq[..len];
    apply_tx_ffe(taps, &s.pulses[0][lo..hi], m, eq);
    let b1 = (p.dfe_min.first().copied().unwrap_or(0.0), p.dfe_max.first().copied().unwrap_or(0.0));
    let cursor = locate_cursor(eq, m, b1.0, b1.1)?;
    let h0 = eq[cursor];
    let a_s = p.rlm * h0 / (p.l as f64 - 1.0);
    let var_tx = h0 * h0 * 10f64.powf(-p.snr_tx_db / 10.0); // (93A-30)
    residual_isi(p, eq, m, cursor, &mut s.isi, &mut s.dfe);
    let first = match p.fom_isi {
        FomIsi::AllPrecursors => 0,
        FomIsi::FromCursor => cursor / m,
    };
    let var_isi = var_x * s.isi[first..].iter().map(|x| x * x).sum::<f64>(); // (93A-31)
    jitter_slopes(eq, m, cursor, &mut s.slopes);
    let var_j = (p.a_dd_ui.powi(2) + p.sigma_rj_ui.powi(2)) * var_x * s.slopes.iter().map(|x| x * x).sum::<f64>(); // (93A-32)
    let floor = 1e-3 * a_s;
    let mut var_xt = 0.0;
    for (i, (path, pulse)) in paths.iter().zip(&s.pulses).enumerate().skip(1) {
        let (lo, hi) = if windowed { s.windows[i] } else { (0, n) };
        var_xt += if path.kind == Kind::Fext {
            apply_tx_ffe(taps, &pulse[lo..hi], m, &mut s.eq[..hi - lo]);
            worst_phase_energy(&s.eq[..hi - lo], m, floor).1
        } else {
            worst_phase_energy(&pulse[lo..hi], m, floor).1
        };
    }
    var_xt *= var_x; // (93A-34)
    let total = var_tx + var_isi + var_j + var_xt + s.var_n;
    let fom_db = 10.0 * (a_s * a_s / total).log10(); // (93A-36)
    Some((fom_db, lo + cursor, a_s, (var_tx, var_isi, var_j, var_xt)))
}

fn best_for_ctle(
    p: &ComParams,
    grid: &Grid,
    paths: &[PathOnGrid],
    tx: &[[f64; 7]],
    g_dc_db: f64,
    g_dc2_db: f64,
    s: &mut Scratch,
) -> Option<EqPoint> {
    ctle(p, g_dc_db, g_dc2_db).transfer_into(&grid.freq_hz, &mut s.ctle);
    let var_n = noise_variance(p, grid, &s.ctle);
    s.var_n = var_n;
    ctle_pulses(p, grid, paths, &s.ctle, &mut s.fft, &mut s.spec, &mut s.pulses);
    let m = grid.m;
    let thr = active_windows(&s.pulses, m, &mut s.windows);
    let mut best: Option<EqPoint> = None;
    for taps in tx {
        let mut point = score(p, paths, s, taps, m, true);
        if let Some((_, _, a_s, _)) = point
            && 1e-3 * a_s <= thr
        {
            point = score(p, paths, s, taps, m, false);
        }
        let Some((fom_db, cursor_index, _, (var_tx, var_isi, var_j, var_xt))) = point else {
            continue;
        };
        if best.as_ref().is_none_or(|b| fom_db > b.fom_db) {
            best = Some(EqPoint {
                tx_taps: *taps,
                g_dc_db,
                g_dc2_db,
                fom_db,
                cursor_index,
                sigmas: Sigmas {
                    sigma_tx_v: var_tx.sqrt(),
                    sigma_isi_v: var_isi.sqrt(),
                    sigma_j_v: var_j.sqrt(),
                    sigma_xt_v: var_xt.sqrt(),
                    sigma_n_v: var_n.sqrt(),
                },
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tx_grid_of_8023by() {
        let p = ComParams::ieee_8023by();
        let tx = tx_settings(&p);
        // c(−1) 10 values × c(1) 20 values with |c(−1)| + |c(1)| ≤ 0.38.
        let expected = (0..10).flat_map(|a| (0..20).map(move |b| (a, b))).filter(|(a, b)| a + b <= 19).count();
        assert_eq!(tx.len(), expected);
        assert!(
            tx.iter().all(|t| (t.iter().map(|c| c.abs()).sum::<f64>() - 1.0).abs() < 1e-12 && t[3] >= 0.62 - 1e-12)
        );
        assert_eq!(tx[0], [0.0, 0.0, -0.18, 0.62, -0.2, 0.0, 0.0]);
    }

    #[test]
    fn ffe_shifts_whole_uis() {
        let pulse = [0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let mut out = [0.0; 6];
        apply_tx_ffe(&[0.0, 0.0, -0.25, 0.75, 0.0, 0.0, 0.0], &pulse, 2, &mut out);
        assert_eq!(out, [-0.25, 0.0, 0.75, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn mueller_muller_cursor_balances_the_neighbours() {
        // A symmetric triangle sampled 4 per UI: h(−1) = h(+1) at the peak with no DFE.
        let pulse: Vec<f64> = (0..40).map(|i| (1.0 - (i as f64 - 20.0).abs() / 6.0).max(0.0)).collect();
        assert_eq!(locate_cursor(&pulse, 4, 0.0, 0.0), Some(20));
        assert_eq!(symbol_variance(2), 1.0);
        assert!((symbol_variance(4) - 5.0 / 9.0).abs() < 1e-15);
    }
}
