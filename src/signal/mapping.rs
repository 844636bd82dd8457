//! Symbol mapping and oversampling: level indices → normalised amplitudes (NRZ ±1, Gray PAM4
//! −1, −⅓, ⅓, 1 for 00, 01, 11, 10: design.md §2), transmitter FFE on the symbol sequence, and the
//! sample-and-hold waveform with per-edge jitter.

use super::Modulation;

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
            let before = (edge - (i as f64 - 0.5)).clamp(0.0, 1.0);
            out[i.rem_euclid(n as isize) as usize] = before * prev + (1.0 - before) * next;
        }
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
