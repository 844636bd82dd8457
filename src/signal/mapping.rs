//! Symbol mapping and oversampling: level indices → normalised amplitudes (NRZ ±1, Gray PAM4
//! −1, −⅓, ⅓, 1 for 00, 01, 11, 10: `docs/models.md` §1), transmitter FFE on the symbol sequence, the
//! sample-and-hold waveform with per-edge jitter, and the low bins of its spectrum.

use super::Modulation;
use num_complex::{Complex32, Complex64};
use rustfft::{Fft, FftPlanner};
use std::f64::consts::PI;
use std::sync::Arc;

/// Normalised amplitude of level index `level` (0 = lowest) of `modulation`: equally spaced in [−1, 1].
pub fn amplitude(modulation: Modulation, level: u8) -> f64 {
    let m = (1u32 << modulation.bits_per_symbol()) as f64;
    2.0 * level as f64 / (m - 1.0) - 1.0
}

/// T-spaced FIR on a periodic symbol sequence: `y[n] = Σ_k c_k·x[n − k + main]` (tap `main` is the
/// cursor, earlier taps are pre-cursors). Used for Tx pre-emphasis and the TDECQ reference FFE.
pub fn fir_periodic(x: &[f64], taps: &[f64], main: usize) -> Vec<f64> {
    let n = x.len() as isize;
    (0..n)
        .map(|i| {
            taps.iter().enumerate().map(|(k, &c)| c * x[(i - k as isize + main as isize).rem_euclid(n) as usize]).sum()
        })
        .collect()
}

/// Oversamples a periodic symbol sequence at `samples_per_ui` with sample-and-hold; edge k (the start
/// of symbol k) moves by `edge_shift_ui[k]` (|shift| < 0.5 UI). Sample i covers the interval
/// `[i − ½, i + ½]` (in samples); a sample an edge cuts gets the area-weighted mix of the two symbols,
/// so sub-sample jitter is represented.
pub fn hold(values: &[f64], samples_per_ui: usize, edge_shift_ui: Option<&[f64]>, out: &mut Vec<f64>) {
    let n_sym = values.len();
    let n = n_sym * samples_per_ui;
    out.clear();
    out.extend(values.iter().flat_map(|&v| std::iter::repeat_n(v, samples_per_ui)));
    let spui = samples_per_ui as f64;
    for k in 0..n_sym {
        let prev = values[(k + n_sym - 1) % n_sym];
        let next = values[k];
        let shift = edge_shift_ui.map_or(0.0, |s| s[k]) * spui;
        if prev == next && shift == 0.0 {
            continue;
        }
        let edge = (k * samples_per_ui) as f64 + shift;
        let first = (edge.min((k * samples_per_ui) as f64) - 1.0).floor() as isize;
        let last = (edge.max((k * samples_per_ui) as f64) + 1.0).ceil() as isize;
        for i in first..=last {
            out[i.rem_euclid(n as isize) as usize] = edge_sample(prev, next, edge, i as f64);
        }
    }
}

/// Sample `i` of a held waveform near an edge at `edge` (both in samples) from `prev` to `next`:
/// the parts of the sample's interval `[i − ½, i + ½]` before and after the edge, weighted.
#[inline]
fn edge_sample(prev: f64, next: f64, edge: f64, i: f64) -> f64 {
    let before = (edge - (i - 0.5)).clamp(0.0, 1.0);
    before * prev + (1.0 - before) * next
}

/// Samples on each side of an edge whose value [`hold`] sets for these edge shifts, beyond the
/// edge sample itself: those between the nominal and the shifted edge and the one the shifted edge
/// cuts, `⌈max|shift| + ½⌉ − 1` (in samples); any farther keeps its symbol's value.
pub fn hold_reach(samples_per_ui: usize, edge_shift_ui: Option<&[f64]>) -> usize {
    let max_ui = edge_shift_ui.map_or(0.0, |s| s.iter().fold(0.0, |m: f64, v| m.max(v.abs())));
    ((max_ui * samples_per_ui as f64 + 0.5).ceil() as usize).saturating_sub(1)
}

/// The low DFT bins of a held waveform from its polyphase components, planned once.
///
/// A waveform of `M` symbols at `S` samples per UI has the polyphase components
/// `x_j[k] = x[k·S + j]`, and its DFT (length `N = M·S`) is
/// `X[f] = Σ_j W_N^{f·j}·X_j[f mod M]`, `X_j` the M-point DFT of `x_j`, `W_N = e^{−2πi/N}`
/// (decimation in time \[T: Oppenheim & Schafer §9.3\]). Away from the edges a held waveform equals
/// the symbol value, so every component `reach < j < S − reach` is the symbol sequence `v` itself
/// and they sum to `G(f)·V[f mod M]` with the geometric series
/// `G(f) = Σ_{j=reach+1}^{S−reach−1} W_N^{f·j}`. Only `2·reach + 2` real M-point transforms remain
/// (paired into complex ones), and the edge samples come straight from the symbols and shifts as
/// [`hold`] computes them: with the default jitter (reach 1 or 2 at 16–32 samples/UI), 2 or 3
/// transforms of 65,535 points instead of a 2,097,120-sample waveform and its transform.
pub struct HeldSpectrum {
    symbols: usize,
    samples_per_ui: usize,
    fft: Arc<dyn Fft<f32>>,
    scratch: Vec<Complex32>,
    /// One M-point buffer per pair of real sequences.
    packed: Vec<Vec<Complex32>>,
    /// The spectra of the real sequences at one bin.
    at_bin: Vec<Complex64>,
    /// `W_N^f` for each output bin f.
    w_n: Vec<Complex64>,
    /// `W_M^r`, r = 0..M.
    w_m: Vec<Complex64>,
}

impl std::fmt::Debug for HeldSpectrum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldSpectrum").field("symbols", &self.symbols).field("bins", &self.w_n.len()).finish()
    }
}

impl HeldSpectrum {
    /// Plans the first `bins` bins of the spectrum of `symbols` UIs at `samples_per_ui`.
    pub fn new(symbols: usize, samples_per_ui: usize, bins: usize, planner: &mut FftPlanner<f32>) -> HeldSpectrum {
        let n = (symbols * samples_per_ui) as f64;
        let fft = planner.plan_fft_forward(symbols);
        HeldSpectrum {
            symbols,
            samples_per_ui,
            scratch: vec![Complex32::default(); fft.get_inplace_scratch_len()],
            fft,
            packed: Vec::new(),
            at_bin: Vec::new(),
            w_n: (0..bins).map(|f| Complex64::from_polar(1.0, -2.0 * PI * f as f64 / n)).collect(),
            w_m: (0..symbols).map(|r| Complex64::from_polar(1.0, -2.0 * PI * r as f64 / symbols as f64)).collect(),
        }
    }

    /// Writes the planned bins of the DFT of the waveform [`hold`] makes of `values` and
    /// `edge_shift_ui` into `out`. Returns false, writing nothing, when the shifts reach so far
    /// from the edges that this would not beat holding and transforming the whole waveform.
    pub fn bins(&mut self, values: &[f64], edge_shift_ui: Option<&[f64]>, out: &mut [Complex64]) -> bool {
        let (m, s) = (self.symbols, self.samples_per_ui);
        debug_assert!(values.len() == m && out.len() == self.w_n.len());
        let reach = hold_reach(s, edge_shift_ui);
        if 2 * reach + 1 > s / 2 {
            return false;
        }
        // Sample `offset` of edge k (from values[k − 1] to values[k]), as `hold` writes it.
        let near_edge = |k: usize, offset: isize| {
            let shift = edge_shift_ui.map_or(0.0, |v| v[k]) * s as f64;
            edge_sample(values[(k + m - 1) % m], values[k], shift, offset as f64)
        };
        // Sequence 0 is the symbol values, 1..=reach+1 the phases 0..=reach after edge k, and
        // 2·reach + 2 − t the phase S − t, t samples before edge k + 1.
        let count = 2 * reach + 2;
        let sequence = |q: usize, k: usize| match q {
            0 => values[k],
            q if q <= reach + 1 => near_edge(k, q as isize - 1),
            q => near_edge((k + 1) % m, q as isize - count as isize),
        };
        self.packed.resize_with(count / 2, || vec![Complex32::default(); m]);
        for (p, buffer) in self.packed.iter_mut().enumerate() {
            for (k, z) in buffer.iter_mut().enumerate() {
                *z = Complex32::new(sequence(2 * p, k) as f32, sequence(2 * p + 1, k) as f32);
            }
            self.fft.process_with_scratch(buffer, &mut self.scratch);
        }
        self.at_bin.resize(count, Complex64::default());
        let middle = (s - 2 * reach - 1) as f64;
        for r in 0..m {
            // Unpack the pairs: Z = A + iB with A, B real gives A = (Z[r] + conj Z[−r])/2,
            // B = (Z[r] − conj Z[−r])/(2i).
            for (p, z) in self.packed.iter().enumerate() {
                let (a, b) = (z[r], z[(m - r) % m].conj());
                let (a, b) = (Complex64::new(a.re.into(), a.im.into()), Complex64::new(b.re.into(), b.im.into()));
                self.at_bin[2 * p] = (a + b) * 0.5;
                self.at_bin[2 * p + 1] = (a - b) * Complex64::new(0.0, -0.5);
            }
            for f in (r..out.len()).step_by(m) {
                let w = self.w_n[f];
                let mut power = Complex64::new(1.0, 0.0);
                let mut sum = Complex64::default();
                for x in &self.at_bin[1..=reach + 1] {
                    sum += power * x;
                    power *= w;
                }
                let first_middle = power;
                // W_N^{f·S} = W_M^f, so W_N^{f·(S−t)} = W_M^f·conj(w)^t.
                let mut power = self.w_m[r];
                for x in self.at_bin[reach + 2..].iter().rev() {
                    power *= w.conj();
                    sum += power * x;
                }
                // `power` is now w^{S−reach}, one past the last middle phase.
                let g = if f == 0 { Complex64::new(middle, 0.0) } else { (first_middle - power) / (1.0 - w) };
                out[f] = sum + g * self.at_bin[0];
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gray_pam4_amplitudes_are_equally_spaced() {
        for (level, want) in [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0].into_iter().enumerate() {
            assert!((amplitude(Modulation::Pam4, level as u8) - want).abs() < 1e-15);
        }
        assert_eq!([amplitude(Modulation::Nrz, 0), amplitude(Modulation::Nrz, 1)], [-1.0, 1.0]);
    }

    #[test]
    fn held_spectrum_equals_the_dft_of_the_whole_waveform() {
        // (symbols, samples per UI, largest shift in UI, bins): odd and even symbol counts, bins up
        // to 4× baud (the optical rate) or the whole half spectrum (no decimation, odd S).
        for (m, spui, max_shift, bins) in
            [(63, 32, 0.1, 4 * 63 + 1), (64, 12, 0.05, 64 * 6 + 1), (31, 9, 0.02, 31 * 9 / 2 + 1)]
        {
            let mut rng = crate::math::rng::Xoshiro256pp::seed_from_u64(5);
            let values: Vec<f64> = (0..m).map(|_| amplitude(Modulation::Pam4, (rng.next_u64() % 4) as u8)).collect();
            let shifts: Vec<f64> = (0..m).map(|_| max_shift * (2.0 * rng.uniform() - 1.0)).collect();
            let n = m * spui;
            let mut held = HeldSpectrum::new(m, spui, bins, &mut FftPlanner::new());
            for shifts in [Some(&shifts[..]), None] {
                let mut x = Vec::new();
                hold(&values, spui, shifts, &mut x);
                let naive: Vec<Complex64> = (0..bins)
                    .map(|f| {
                        let w = |i: usize| Complex64::from_polar(1.0, -2.0 * PI * ((f * i) % n) as f64 / n as f64);
                        x.iter().enumerate().map(|(i, &v)| v * w(i)).sum()
                    })
                    .collect();
                let scale = naive.iter().map(|z| z.norm()).fold(0.0, f64::max);
                let mut out = vec![Complex64::default(); bins];
                assert!(held.bins(&values, shifts, &mut out), "{m} x {spui}");
                for f in 0..bins {
                    let err = (out[f] - naive[f]).norm();
                    assert!(err < 1e-6 * scale, "{m} x {spui}, bin {f}: {} vs {}", out[f], naive[f]);
                }
            }
        }
        // Shifts reaching a quarter UI from the edges are left to the whole transform.
        assert_eq!(hold_reach(32, Some(&[0.1, -0.02])), 3);
        assert_eq!(hold_reach(32, None), 0);
        let mut held = HeldSpectrum::new(4, 32, 9, &mut FftPlanner::new());
        let wide = [0.25, 0.0, -0.1, 0.0];
        assert!(!held.bins(&[1.0, -1.0, 1.0, -1.0], Some(&wide), &mut [Complex64::default(); 9]));
    }

    #[test]
    fn fir_and_hold_with_jitter() {
        let y = fir_periodic(&[0.0, 1.0, 0.0, 0.0], &[-0.1, 0.8, -0.1], 1);
        assert_eq!(y, [-0.1, 0.8, -0.1, 0.0]);
        let mut out = Vec::new();
        hold(&[-1.0, 1.0], 4, None, &mut out);
        assert_eq!(out, [0.0, -1.0, -1.0, -1.0, 0.0, 1.0, 1.0, 1.0]);
        // Edge 1 a quarter UI late: sample 5 is now half-and-half.
        hold(&[-1.0, 1.0], 4, Some(&[0.0, 0.25]), &mut out);
        assert_eq!(out, [0.0, -1.0, -1.0, -1.0, -1.0, 0.0, 1.0, 1.0]);
        // The mean is unchanged by jitter that moves both edges by the same amount.
        hold(&[-1.0, 1.0], 4, Some(&[0.1, 0.1]), &mut out);
        assert!(out.iter().sum::<f64>().abs() < 1e-12);
    }
}
