//! Eye diagram and eye metrics of a sampled optical waveform (simulated or imported).
//!
//! The waveform is folded on the UI (`samples_per_ui` columns). Symbols are decided at the eye
//! centre with thresholds refined from the level means (a 1-D k-means), so no knowledge of the
//! transmitted pattern is needed and a scope capture is analysed like a simulation.
//!
//! * Eye-centre levels: mean of the samples decided as level k at the eye centre (RLM, VEC).
//! * Outer levels `P_0`, `P_{M−1}` per IEEE 802.3-2022 121.8.4 (and the later PAM4 clauses): the
//!   mean power over the central 2 UI of the pattern's long runs of the lowest and highest symbol
//!   (SSPRQ and PRBS13Q hold a run of seven 3s and one of six 0s), so ISI does not lower them.
//!   Every run of at least [`OUTER_RUN_UI`] symbols counts (a capture of one period holds one
//!   standard run; a simulation's noise averages over all of them); a waveform without such runs
//!   falls back to the eye-centre levels and says so ([`EyeMetrics::outer_levels_from_runs`]).
//! * `OMA_outer = P_{M−1} − P_0`, `P_avg` = mean of all samples, outer `ER = P_{M−1}/P_0`
//!   (derived \[D\], `docs/models.md` §6).
//! * RLM (PAM4, 802.3 120D.3.1.2 \[U\]): `V_mid = (V0 + V3)/2`, `ES1 = (V1 − V_mid)/(V0 − V_mid)`,
//!   `ES2 = (V2 − V_mid)/(V3 − V_mid)`, `RLM = min(3·ES1, 3·ES2, 2 − 3·ES1, 2 − 3·ES2)`.
//! * Eye height at the centre on the SER contour: the `SER` quantile of the upper level minus the
//!   `1 − SER` quantile of the lower level (empirical, from 1024-bin histograms per phase and level,
//!   so ISI-shaped distributions are measured as they are), clipped at 0.
//! * Eye width: the span of phases around the centre where that height stays positive, UI.
//! * Vertical eye closure `VEC = 20·log10(OMA_outer / ((M − 1)·min EH))` \[U\] (0 dB for an ideal eye).

use crate::error::{Error, Result};
use serde::Serialize;

/// Per-level statistics of one column (phase) of the eye.
#[derive(Debug, Clone, Copy, Default)]
struct LevelStats {
    n: usize,
    /// First value seen: sums are taken about it, so the variance of a tight level keeps its digits.
    shift: f64,
    sum: f64,
    sum2: f64,
}

impl LevelStats {
    fn push(&mut self, v: f64) {
        if self.n == 0 {
            self.shift = v;
        }
        let d = v - self.shift;
        self.n += 1;
        self.sum += d;
        self.sum2 += d * d;
    }

    fn mean(&self) -> f64 {
        self.shift + self.sum / self.n.max(1) as f64
    }

    fn std(&self) -> f64 {
        let n = self.n.max(1) as f64;
        let m = self.sum / n;
        (self.sum2 / n - m * m).max(0.0).sqrt()
    }
}

/// Index of the decision region of `v` (number of thresholds below it).
#[inline]
pub fn decide(v: f64, thresholds: &[f64]) -> usize {
    thresholds.iter().filter(|&&t| v > t).count()
}

/// Shortest runs of the lowest and of the highest symbol whose central 2 UI set the outer levels:
/// the six 0s and seven 3s of SSPRQ and PRBS13Q (IEEE 802.3-2022 121.8.4).
pub const OUTER_RUN_UI: [usize; 2] = [6, 7];

/// Eye metrics (power in W; the CLI reports dBm and mW).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EyeMetrics {
    /// Mean level at the eye centre, lowest first, W (ISI lowers the outer ones; OMA and ER use
    /// [`EyeMetrics::outer_levels_w`]).
    pub center_levels_w: Vec<f64>,
    /// Outer levels `[P_0, P_{M−1}]` over the central 2 UI of the long runs, W (802.3 121.8.4).
    pub outer_levels_w: [f64; 2],
    /// Whether the outer levels come from long runs (`false`: no run of [`OUTER_RUN_UI`] symbols
    /// was found and the eye-centre levels stand in).
    pub outer_levels_from_runs: bool,
    /// RMS spread of each level at the eye centre, W.
    pub level_sigma_w: Vec<f64>,
    /// Outer OMA `P_{M−1} − P_0` from the outer levels, W.
    pub oma_outer_w: f64,
    /// Average power, W.
    pub average_power_w: f64,
    /// Outer extinction ratio, dB (infinite when the lowest level is ≤ 0).
    pub extinction_ratio_db: f64,
    /// Level mismatch ratio (1 for NRZ).
    pub rlm: f64,
    /// Eye heights at the centre on the SER contour, W, lowest eye first.
    pub eye_heights_w: Vec<f64>,
    /// Eye widths on the SER contour, UI.
    pub eye_widths_ui: Vec<f64>,
    /// Vertical eye closure, dB (infinite for a closed eye).
    pub vec_db: f64,
    /// Decision thresholds at the centre, W.
    pub thresholds_w: Vec<f64>,
    /// Eye centre: sample column within the UI.
    pub center_column: usize,
    /// Eye centre in samples from the start of the UI (half a UI from the mean crossing).
    pub center_phase: f64,
}

/// A waveform folded on the UI, with its decisions: the input of eye metrics, TDECQ and the plot.
#[derive(Debug, Clone)]
pub struct Eye<'a> {
    /// Samples (W), a whole number of UIs.
    pub samples: &'a [f64],
    /// Samples per UI.
    pub samples_per_ui: usize,
    /// Number of levels (2 or 4).
    pub levels: usize,
    /// Metrics.
    pub metrics: EyeMetrics,
}

impl<'a> Eye<'a> {
    /// Folds and measures `samples` (periodic or not; a whole number of UIs is used) with `levels`
    /// levels; `contour_ser` sets the eye-height and eye-width contour.
    pub fn analyze(samples: &'a [f64], samples_per_ui: usize, levels: usize, contour_ser: f64) -> Result<Eye<'a>> {
        let n_ui = samples.len() / samples_per_ui.max(1);
        if samples_per_ui < 4 || n_ui < 16 || !(levels == 2 || levels == 4) {
            return Err(Error::invalid(
                "eye",
                format!("{n_ui} UI at {samples_per_ui} samples/UI, {levels} levels"),
                "expected ≥ 16 UI, ≥ 4 samples/UI and 2 or 4 levels",
            ));
        }
        let samples = &samples[..n_ui * samples_per_ui];
        if !(contour_ser > 0.0 && contour_ser < 0.5) {
            return Err(Error::invalid("contour_ser", contour_ser, "expected 0 < SER < 0.5"));
        }
        let (lo, hi) = robust_range(samples);
        if !(hi > lo) {
            return Err(Error::invalid("waveform", "constant", "expected a modulated signal"));
        }
        let mut thresholds: Vec<f64> = (1..levels).map(|k| lo + (hi - lo) * k as f64 / levels as f64).collect();
        let center_phase = center_phase(samples, samples_per_ui);
        let center = (center_phase.round() as usize) % samples_per_ui;
        for _ in 0..4 {
            let st = column_stats(samples, samples_per_ui, center, &thresholds, levels);
            if st.iter().any(|s| s.n == 0) {
                break;
            }
            thresholds = st.windows(2).map(|w| 0.5 * (w[0].mean() + w[1].mean())).collect();
        }
        let phases = Phases::new(samples, samples_per_ui, center, &thresholds, levels);
        let mut metrics = metrics(samples, samples_per_ui, center, thresholds, &phases, contour_ser);
        metrics.center_phase = center_phase;
        Ok(Eye { samples, samples_per_ui, levels, metrics })
    }

    /// Number of whole UIs.
    pub fn n_ui(&self) -> usize {
        self.samples.len() / self.samples_per_ui
    }

    /// 2-D histogram (time × power) of two UIs with the eye centres at 0.5 and 1.5 UI: `sub` columns
    /// per sample (linear interpolation between samples, so `2·spui·sub` columns), `power_bins` over
    /// the range of the samples ±5 %. One sequential pass over the waveform.
    pub fn histogram(&self, sub: usize, power_bins: usize) -> EyeHistogram {
        let spui = self.samples_per_ui;
        let (sub, power_bins) = (sub.max(1), power_bins.max(1));
        let n = self.samples.len();
        let (lo, hi) = self.samples.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let pad = 0.05 * (hi - lo).max(f64::MIN_POSITIVE);
        let (p0, p1) = (lo - pad, hi + pad);
        let time_bins = 2 * spui * sub;
        let mut counts = vec![0u32; time_bins * power_bins];
        let start = (self.metrics.center_column as isize - (spui / 2) as isize).rem_euclid(n as isize) as usize;
        let scale = (power_bins as f64 - 1e-9) / (p1 - p0);
        let steps: Vec<f64> = (0..sub).map(|j| j as f64 / sub as f64).collect();
        let (mut k, mut col) = (start, 0);
        let top = power_bins - 1;
        for _ in 0..n {
            let next = if k + 1 == n { 0 } else { k + 1 };
            let (v0, v1) = (self.samples[k], self.samples[next]);
            let mut row = col * sub * power_bins;
            for a in &steps {
                let v = v0 + a * (v1 - v0);
                counts[row + (((v - p0) * scale) as usize).min(top)] += 1;
                row += power_bins;
            }
            k = next;
            col = if col + 1 == 2 * spui { 0 } else { col + 1 };
        }
        EyeHistogram { time_bins, power_bins, counts, power_range_w: (p0, p1) }
    }
}

/// A folded 2-UI eye as counts on a time × power grid.
#[derive(Debug, Clone, PartialEq)]
pub struct EyeHistogram {
    /// Columns across 2 UI.
    pub time_bins: usize,
    /// Rows across `power_range_w`.
    pub power_bins: usize,
    /// Counts, column-major: `counts[t·power_bins + p]`.
    pub counts: Vec<u32>,
    /// Power axis range, W.
    pub power_range_w: (f64, f64),
}

/// 0.1 % and 99.9 % points of the samples (a 4096-bin histogram of every 7th sample), so rare spikes
/// do not set the initial thresholds.
fn robust_range(all: &[f64]) -> (f64, f64) {
    let samples: Vec<f64> = all.iter().step_by(7).copied().collect();
    let (lo, hi) = samples.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !(hi > lo) {
        return (lo, hi);
    }
    const BINS: usize = 4096;
    let mut h = vec![0usize; BINS];
    let scale = (BINS as f64 - 1e-9) / (hi - lo);
    samples.iter().for_each(|&v| h[((v - lo) * scale) as usize] += 1);
    let tail = samples.len() / 1000;
    let edge = |order: &mut dyn Iterator<Item = usize>| {
        let mut acc = 0;
        for i in order {
            acc += h[i];
            if acc > tail {
                return i;
            }
        }
        0
    };
    let a = edge(&mut (0..BINS));
    let b = edge(&mut (0..BINS).rev());
    (lo + a as f64 / scale, lo + (b + 1) as f64 / scale)
}

fn column_stats(samples: &[f64], spui: usize, column: usize, thresholds: &[f64], levels: usize) -> Vec<LevelStats> {
    let mut st = vec![LevelStats::default(); levels];
    samples.iter().skip(column).step_by(spui).for_each(|&v| st[decide(v, thresholds)].push(v));
    st
}

/// Eye centre phase (samples): half a UI away from the crossing, taken as the circular mean of
/// the sample-to-sample activity `Σ|s[k+1] − s[k]|` per column gap (transitions concentrate there).
fn center_phase(samples: &[f64], spui: usize) -> f64 {
    let n = samples.len();
    let mut activity = vec![0.0; spui];
    for (u, ui) in samples.chunks_exact(spui).enumerate() {
        for (c, w) in ui.windows(2).enumerate() {
            activity[c] += (w[1] - w[0]).abs();
        }
        activity[spui - 1] += (samples[((u + 1) * spui) % n] - ui[spui - 1]).abs();
    }
    let (mut c, mut s) = (0.0, 0.0);
    for (i, a) in activity.iter().enumerate() {
        let angle = 2.0 * std::f64::consts::PI * (i as f64 + 0.5) / spui as f64;
        c += a * angle.cos();
        s += a * angle.sin();
    }
    let crossing = s.atan2(c) / (2.0 * std::f64::consts::PI) * spui as f64;
    (crossing + 0.5 * spui as f64).rem_euclid(spui as f64)
}

/// Bins of the per-phase, per-level histograms behind the eye contours.
const CONTOUR_BINS: usize = 1024;

/// Level statistics and histograms at every phase of the UI, grouped by the symbol decided at the
/// centre of that UI. Phase `p` is `p − spui/2` samples from the centre.
struct Phases {
    stats: Vec<Vec<LevelStats>>,
    /// `hist[(p·levels + l)·CONTOUR_BINS + b]`.
    hist: Vec<u32>,
    levels: usize,
    lo: f64,
    bin_w: f64,
}

impl Phases {
    fn new(samples: &[f64], spui: usize, center: usize, thresholds: &[f64], levels: usize) -> Phases {
        let n = samples.len();
        let (lo, hi) = samples.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let bin_w = (hi - lo).max(f64::MIN_POSITIVE) / (CONTOUR_BINS as f64 - 1e-6);
        let inv_w = 1.0 / bin_w;
        let mut stats = vec![vec![LevelStats::default(); levels]; spui];
        let mut hist = vec![0u32; spui * levels * CONTOUR_BINS];
        let half = (spui / 2) as isize;
        for u in 0..n / spui {
            let c = u * spui + center;
            let d = decide(samples[c], thresholds);
            let first = c as isize - half;
            let contiguous = first >= 0 && first as usize + spui <= n;
            for (p, st) in stats.iter_mut().enumerate() {
                let k =
                    if contiguous { first as usize + p } else { (first + p as isize).rem_euclid(n as isize) as usize };
                let v = samples[k];
                st[d].push(v);
                hist[(p * levels + d) * CONTOUR_BINS + (((v - lo) * inv_w) as usize).min(CONTOUR_BINS - 1)] += 1;
            }
        }
        Phases { stats, hist, levels, lo, bin_w }
    }

    /// Value below which a fraction `f` of level `l` at phase `p` lies (linear within a bin).
    fn quantile(&self, p: usize, l: usize, f: f64) -> f64 {
        let h = &self.hist[(p * self.levels + l) * CONTOUR_BINS..][..CONTOUR_BINS];
        let target = f * self.stats[p][l].n as f64;
        let mut acc = 0.0;
        for (b, &c) in h.iter().enumerate() {
            let next = acc + c as f64;
            if next >= target && c > 0 {
                let a = ((target - acc) / c as f64).clamp(0.0, 1.0);
                return self.lo + (b as f64 + a) * self.bin_w;
            }
            acc = next;
        }
        self.lo + CONTOUR_BINS as f64 * self.bin_w
    }

    /// Contour height of eye `e` at phase `p`: SER quantile of the upper level minus the 1 − SER
    /// quantile of the lower one.
    fn height(&self, p: usize, e: usize, ser: f64) -> f64 {
        if self.stats[p][e].n == 0 || self.stats[p][e + 1].n == 0 {
            return 0.0;
        }
        self.quantile(p, e + 1, ser) - self.quantile(p, e, 1.0 - ser)
    }
}

fn metrics(samples: &[f64], spui: usize, center: usize, thresholds: Vec<f64>, phases: &Phases, ser: f64) -> EyeMetrics {
    let c = spui / 2;
    let at_center = &phases.stats[c];
    let center_levels_w: Vec<f64> = at_center.iter().map(LevelStats::mean).collect();
    let m = center_levels_w.len();
    let runs = outer_levels(samples, spui, center, &thresholds);
    let [p0, p_top] = runs.unwrap_or([center_levels_w[0], center_levels_w[m - 1]]);
    let oma = p_top - p0;
    let avg = samples.iter().sum::<f64>() / samples.len() as f64;
    let er_db = if p0 > 0.0 { 10.0 * (p_top / p0).log10() } else { f64::INFINITY };
    let eye_heights_w: Vec<f64> = (0..m - 1).map(|e| phases.height(c, e, ser).max(0.0)).collect();
    let eye_widths_ui = (0..m - 1)
        .map(|e| eye_width(&(0..spui).map(|p| phases.height(p, e, ser)).collect::<Vec<_>>()) / spui as f64)
        .collect();
    let min_eh = eye_heights_w.iter().copied().fold(f64::INFINITY, f64::min);
    let vec_db = if min_eh > 0.0 { 20.0 * (oma / ((m - 1) as f64 * min_eh)).log10() } else { f64::INFINITY };
    EyeMetrics {
        level_sigma_w: at_center.iter().map(LevelStats::std).collect(),
        rlm: rlm(&center_levels_w),
        center_levels_w,
        outer_levels_w: [p0, p_top],
        outer_levels_from_runs: runs.is_some(),
        oma_outer_w: oma,
        average_power_w: avg,
        extinction_ratio_db: er_db,
        eye_heights_w,
        eye_widths_ui,
        vec_db,
        thresholds_w: thresholds,
        center_column: center,
        center_phase: center as f64,
    }
}

/// `[P_0, P_{M−1}]`: the mean of the samples over the central 2 UI of every run of at least
/// [`OUTER_RUN_UI`] lowest (highest) symbols decided at the eye centre column `center`. Runs that
/// touch either end of the waveform may be cut and are skipped. `None` when a level has no run.
fn outer_levels(samples: &[f64], spui: usize, center: usize, thresholds: &[f64]) -> Option<[f64; 2]> {
    let n_ui = samples.len() / spui;
    let top = thresholds.len();
    let decided = |u: usize| decide(samples[u * spui + center], thresholds);
    let mut sums = [(0.0, 0usize); 2];
    let mut start = 0;
    while start < n_ui {
        let symbol = decided(start);
        let mut end = start + 1;
        while end < n_ui && decided(end) == symbol {
            end += 1;
        }
        let which = match symbol {
            0 => Some(0),
            s if s == top => Some(1),
            _ => None,
        };
        if let Some(k) = which
            && start > 0
            && end < n_ui
            && end - start >= OUTER_RUN_UI[k]
        {
            // UI u spans samples [u·spui + center − spui/2, (u + 1)·spui + center − spui/2).
            let mid = start * spui + center + (end - start - 1) * spui / 2;
            let window = &samples[mid - spui..mid + spui];
            sums[k].0 += window.iter().sum::<f64>();
            sums[k].1 += window.len();
        }
        start = end;
    }
    (sums[0].1 > 0 && sums[1].1 > 0).then(|| [sums[0].0 / sums[0].1 as f64, sums[1].0 / sums[1].1 as f64])
}

/// Open span (samples) around the centre of a height-vs-phase curve, linear at the edges.
fn eye_width(h: &[f64]) -> f64 {
    let c = h.len() / 2;
    if h[c] <= 0.0 {
        return 0.0;
    }
    let edge = |dir: isize| {
        let mut p = c as isize;
        loop {
            let next = p + dir;
            if next < 0 || next as usize >= h.len() {
                return (p - c as isize).abs() as f64 + 0.5;
            }
            let (a, b) = (h[p as usize], h[next as usize]);
            if b <= 0.0 {
                return (p - c as isize).abs() as f64 + a / (a - b);
            }
            p = next;
        }
    };
    edge(-1) + edge(1)
}

/// RLM of PAM4 levels (802.3 120D.3.1.2 \[U\]); 1 for other level counts.
pub fn rlm(levels: &[f64]) -> f64 {
    if levels.len() != 4 {
        return 1.0;
    }
    let mid = 0.5 * (levels[0] + levels[3]);
    let es1 = (levels[1] - mid) / (levels[0] - mid);
    let es2 = (levels[2] - mid) / (levels[3] - mid);
    [3.0 * es1, 3.0 * es2, 2.0 - 3.0 * es1, 2.0 - 3.0 * es2].into_iter().fold(f64::INFINITY, f64::min)
}

/// `OMA = 2·P_avg·(ER − 1)/(ER + 1)` (derived \[D\], `docs/models.md` §6), W, ER as a ratio.
pub fn oma_from_average(average_power_w: f64, extinction_ratio: f64) -> f64 {
    2.0 * average_power_w * (extinction_ratio - 1.0) / (extinction_ratio + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ideal PAM4 waveform with rectangular PRBS13Q symbols at `p` W per level.
    fn ideal(p: [f64; 4], spui: usize, n_ui: usize) -> Vec<f64> {
        let s = crate::math::prbs::Pattern::Prbs13q.symbols(2).unwrap();
        (0..n_ui).flat_map(|u| std::iter::repeat_n(p[s[u % s.len()] as usize], spui)).collect()
    }

    #[test]
    fn outer_levels_come_from_long_runs_so_isi_does_not_lower_oma() {
        // PRBS13Q (one run of seven 3s, one of six 0s per period) with 5 % of each neighbour UI
        // added (an open eye): the eye-centre means of the outer levels move inwards, the settled
        // long runs do not.
        let (spui, p) = (16, [1e-4, 4e-4, 7e-4, 1e-3]);
        let w = ideal(p, spui, 3 * 8191);
        let n = w.len();
        let isi: Vec<f64> = (0..n).map(|i| 0.9 * w[i] + 0.05 * (w[(i + n - spui) % n] + w[(i + spui) % n])).collect();
        let m = Eye::analyze(&isi, spui, 4, 4.8e-4).unwrap().metrics;
        assert!(m.outer_levels_from_runs);
        assert!((m.outer_levels_w[0] - p[0]).abs() < 1e-15 && (m.outer_levels_w[1] - p[3]).abs() < 1e-15);
        assert!((m.oma_outer_w - (p[3] - p[0])).abs() < 1e-15);
        assert!((m.extinction_ratio_db - 10.0).abs() < 1e-9);
        let centre_oma = m.center_levels_w[3] - m.center_levels_w[0];
        assert!(centre_oma < 0.95 * m.oma_outer_w, "ISI lowers the eye-centre levels: {centre_oma}");

        // No run of six 0s or seven 3s (a repeated 0 1 2 3 staircase): the eye-centre levels stand in.
        let stairs: Vec<f64> = (0..4000).flat_map(|u| std::iter::repeat_n(p[u % 4], spui)).collect();
        let m = Eye::analyze(&stairs, spui, 4, 4.8e-4).unwrap().metrics;
        assert!(!m.outer_levels_from_runs);
        assert_eq!(m.outer_levels_w, [m.center_levels_w[0], m.center_levels_w[3]]);
    }

    #[test]
    fn ideal_eye_metrics_match_formulas() {
        // ER 5 dB outer, equally spaced levels, P_avg 1 mW.
        let er: f64 = 10f64.powf(0.5);
        let (p0, p3) = (2e-3 / (1.0 + er), 2e-3 * er / (1.0 + er));
        let d = (p3 - p0) / 3.0;
        let w = ideal([p0, p0 + d, p0 + 2.0 * d, p3], 16, 8191);
        let eye = Eye::analyze(&w, 16, 4, 4.8e-4).unwrap();
        let m = &eye.metrics;
        assert!((m.average_power_w / 1e-3 - 1.0).abs() < 2e-4);
        assert!((m.oma_outer_w - oma_from_average(1e-3, er)).abs() < 1e-12);
        assert!((m.extinction_ratio_db - 5.0).abs() < 1e-9);
        assert!((m.rlm - 1.0).abs() < 1e-9);
        // Contour heights come from 1024-bin histograms: within two bins (0.6 % of d here).
        for h in &m.eye_heights_w {
            assert!((h - d).abs() < 0.01 * d, "{h} vs {d}");
        }
        assert!(m.vec_db.abs() < 0.1, "{}", m.vec_db);
        // A rectangular eye is open across the whole UI.
        assert!(m.eye_widths_ui.iter().all(|&w| w > 0.9), "{:?}", m.eye_widths_ui);
        // Derived (`docs/models.md` §6): OMA − P_avg at ER 5 dB is +0.166 dB.
        assert!((10.0 * (m.oma_outer_w / 1e-3).log10() - 0.166).abs() < 1e-3);
    }

    #[test]
    fn rlm_of_compressed_levels() {
        // Inner levels pushed out by 10 % of the inner spacing: ES1 = ES2 = 0.3667 → RLM = 0.9.
        let levels = [0.0, 0.5 - 1.1 / 6.0, 0.5 + 1.1 / 6.0, 1.0];
        assert!((rlm(&levels) - 0.9).abs() < 1e-9);
        assert_eq!(rlm(&[0.0, 1.0]), 1.0);
    }

    #[test]
    fn histogram_counts_every_sample_pair() {
        let w = ideal([0.0, 1.0, 2.0, 3.0], 8, 100);
        let eye = Eye::analyze(&w, 8, 4, 1e-3).unwrap();
        let h = eye.histogram(2, 50);
        assert_eq!(h.time_bins, 32);
        let total: u32 = h.counts.iter().sum();
        assert_eq!(total as usize, 800 * 2);
        assert!(Eye::analyze(&w[..40], 8, 4, 1e-3).is_err());
    }
}

/// Eye metrics with TDECQ in the units photolink reports (dBm, mW): the `eye` command's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EyeReport {
    /// Outer OMA, dBm.
    pub oma_outer_dbm: f64,
    /// Average power, dBm.
    pub average_power_dbm: f64,
    /// Outer extinction ratio, dB.
    pub extinction_ratio_db: f64,
    /// Level mismatch ratio.
    pub rlm: f64,
    /// Outer levels `[P_0, P_{M−1}]` over the central 2 UI of the long runs, mW (802.3 121.8.4).
    pub outer_levels_mw: [f64; 2],
    /// Whether the outer levels come from long runs (else from the eye centre).
    pub outer_levels_from_runs: bool,
    /// Levels at the eye centre, mW, lowest first.
    pub center_levels_mw: Vec<f64>,
    /// Eye heights on the SER contour at the centre, mW.
    pub eye_heights: Vec<f64>,
    /// Eye widths on the SER contour, UI.
    pub eye_widths_ui: Vec<f64>,
    /// Vertical eye closure, dB.
    pub vec_db: f64,
    /// TDECQ, dB (PAM4; `None` when not computed; infinite, written as null, for a closed eye).
    pub tdecq_db: Option<f64>,
    /// TDECQ details (reference FFE, σ_G, C_eq).
    pub tdecq: Option<super::tdecq::Tdecq>,
}

fn dbm(w: f64) -> f64 {
    10.0 * (w / 1e-3).log10()
}

impl EyeReport {
    /// Measures an eye (and TDECQ when `with_tdecq` and PAM4).
    pub fn measure(eye: &Eye, with_tdecq: bool) -> Result<EyeReport> {
        let m = &eye.metrics;
        let tdecq = if with_tdecq && eye.levels == 4 {
            Some(super::tdecq::tdecq(eye, &super::tdecq::TdecqConfig::default())?)
        } else {
            None
        };
        Ok(EyeReport {
            oma_outer_dbm: dbm(m.oma_outer_w),
            average_power_dbm: dbm(m.average_power_w),
            extinction_ratio_db: m.extinction_ratio_db,
            rlm: m.rlm,
            outer_levels_mw: m.outer_levels_w.map(|w| w * 1e3),
            outer_levels_from_runs: m.outer_levels_from_runs,
            center_levels_mw: m.center_levels_w.iter().map(|w| w * 1e3).collect(),
            eye_heights: m.eye_heights_w.iter().map(|w| w * 1e3).collect(),
            eye_widths_ui: m.eye_widths_ui.clone(),
            vec_db: m.vec_db,
            tdecq_db: tdecq.as_ref().map(|t| t.tdecq_db),
            tdecq,
        })
    }

    /// One-line summary for chart captions.
    pub fn caption(&self) -> String {
        let tdecq = self.tdecq_db.map_or(String::new(), |t| format!(", TDECQ {t:.2} dB"));
        format!(
            "OMA {:.2} dBm, Pavg {:.2} dBm, ER {:.2} dB, RLM {:.3}{tdecq}",
            self.oma_outer_dbm, self.average_power_dbm, self.extinction_ratio_db, self.rlm
        )
    }
}
