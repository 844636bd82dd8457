//! The noise-and-interference distribution at the chosen equalizer point and `A_ni`
//! (93A.1.7): Gaussian noise (Tx, random jitter, receiver) ⊗ dual-Dirac jitter ⊗ residual ISI
//! ⊗ crosstalk at each aggressor's worst phase, `A_ni` where the CDF reaches `DER_0`.

use super::params::ComParams;
use super::response::Grid;
use super::response::Kind;
use super::search::{
    EqPoint, PathOnGrid, apply_tx_ffe, ctle, ctle_pulses, jitter_slopes, noise_variance, residual_isi, symbol_variance,
    worst_phase_energy,
};
use crate::error::{Error, Result};
use crate::math::fft::RealFft;
use num_complex::Complex64;
use rustfft::FftPlanner;
use serde::Serialize;

/// The outcome of one package case at its equalizer point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Margin {
    /// Available signal `A_s = R_LM·h(0)/(L − 1)`, V.
    pub a_s_v: f64,
    /// Noise and interference amplitude at `DER_0`, V.
    pub a_ni_v: f64,
    /// `COM = 20·log10(A_s/A_ni)`, dB.
    pub com_db: f64,
    /// DFE taps `b(n)` (normalised to the cursor, clipped to their limits).
    pub dfe_taps: Vec<f64>,
    /// RMS of the crosstalk distribution, V.
    pub sigma_xt_pdf_v: f64,
}

/// Drops samples at or below `floor` in magnitude (Note 2 of 93A.1.7.1).
fn significant(samples: &[f64], floor: f64) -> Vec<f64> {
    samples.iter().copied().filter(|x| x.abs() > floor).collect()
}

/// The PMF of `Σ h_n·x_n` with `x_n` equiprobable on the `L` levels `2i/(L − 1) − 1` (93A-39,
/// 93A-40), on a voltage grid of `npts` bins of `ystep` centred on 0 (each sample shifts the
/// running PMF by its `L` rounded level offsets).
pub fn delta_pmf(samples: &[f64], l: usize, ystep: f64, npts: usize) -> Result<Vec<f64>> {
    let mid = npts / 2;
    let mut pmf = vec![0.0; npts];
    pmf[mid] = 1.0;
    let mut next = vec![0.0; npts];
    let (mut lo, mut hi) = (mid, mid + 1);
    let weight = 1.0 / l as f64;
    let mut shifts = vec![0isize; l];
    for &h in samples {
        for (i, s) in shifts.iter_mut().enumerate() {
            let level = 2.0 * i as f64 / (l as f64 - 1.0) - 1.0;
            *s = (h * level / ystep).round() as isize;
        }
        if shifts.iter().all(|&s| s == 0) {
            continue;
        }
        let (smin, smax) = (*shifts.iter().min().unwrap_or(&0), *shifts.iter().max().unwrap_or(&0));
        let new_lo = lo as isize + smin.min(0);
        let new_hi = hi as isize + smax.max(0);
        if new_lo < 0 || new_hi > npts as isize {
            return Err(Error::Numerical { what: "COM PMF support exceeds the voltage grid".into() });
        }
        let (new_lo, new_hi) = (new_lo as usize, new_hi as usize);
        next[new_lo..new_hi].iter_mut().for_each(|x| *x = 0.0);
        for &s in &shifts {
            let to = (lo as isize + s) as usize;
            for (d, v) in next[to..to + (hi - lo)].iter_mut().zip(&pmf[lo..hi]) {
                *d += weight * v;
            }
        }
        pmf[new_lo..new_hi].copy_from_slice(&next[new_lo..new_hi]);
        (lo, hi) = (new_lo, new_hi);
    }
    Ok(pmf)
}

/// The convolution of two PMFs on the same zero-centred grid, cut to that grid (the central
/// part), negative round-off clipped and renormalised (93A-43, 93A-45). f64 FFT.
pub fn convolve_pmfs(a: &[f64], b: &[f64]) -> Vec<f64> {
    let n = a.len();
    let len = (2 * n - 1).next_power_of_two();
    let mut planner = FftPlanner::<f64>::new();
    let (fwd, inv) = (planner.plan_fft_forward(len), planner.plan_fft_inverse(len));
    let pad = |x: &[f64]| {
        let mut v: Vec<Complex64> = x.iter().map(|&r| Complex64::new(r, 0.0)).collect();
        v.resize(len, Complex64::ZERO);
        v
    };
    let (mut fa, mut fb) = (pad(a), pad(b));
    fwd.process(&mut fa);
    fwd.process(&mut fb);
    fa.iter_mut().zip(&fb).for_each(|(x, y)| *x *= y);
    inv.process(&mut fa);
    let start = (n - 1) / 2;
    let out: Vec<f64> = fa[start..start + n].iter().map(|z| (z.re / len as f64).max(0.0)).collect();
    let total: f64 = out.iter().sum();
    out.into_iter().map(|x| x / total).collect()
}

/// COM of one package case at the search's best point (93A.1.7): rebuilds the pulses there,
/// then the distributions of (93A-39 to 93A-45) and `A_ni` at `DER_0`.
pub fn margin(p: &ComParams, grid: &Grid, paths: &[PathOnGrid], eq: &EqPoint) -> Result<Margin> {
    let n = grid.n;
    let m = grid.m;
    let mut fft = RealFft::new(n, &mut FftPlanner::new());
    let mut ctle_h = vec![Complex64::ZERO; n / 2 + 1];
    ctle(p, eq.g_dc_db, eq.g_dc2_db).transfer_into(&grid.freq_hz, &mut ctle_h);
    let mut spec = vec![Complex64::ZERO; n / 2 + 1];
    let mut pulses = vec![vec![0.0; n]; paths.len()];
    ctle_pulses(p, grid, paths, &ctle_h, &mut fft, &mut spec, &mut pulses);
    let mut buf = vec![0.0; n];
    for (path, pulse) in paths.iter().zip(pulses.iter_mut()) {
        if path.kind != Kind::Next {
            apply_tx_ffe(&eq.tx_taps, pulse, m, &mut buf);
            pulse.copy_from_slice(&buf);
        }
    }
    let vic = &pulses[0];
    let cursor = eq.cursor_index;
    let h0 = vic[cursor];
    let a_s = p.rlm * h0 / (p.l as f64 - 1.0);
    let var_x = symbol_variance(p.l);
    let var_tx = h0 * h0 * 10f64.powf(-p.snr_tx_db / 10.0); // (93A-30)
    let var_n = noise_variance(p, grid, &ctle_h); // (93A-35)
    let mut slopes = Vec::new();
    jitter_slopes(vic, m, cursor, &mut slopes);
    let floor = 1e-3 * a_s;
    let h_dd: Vec<f64> = significant(&slopes.iter().map(|s| p.a_dd_ui * s).collect::<Vec<_>>(), floor);
    let var_rj = p.sigma_rj_ui.powi(2) * var_x * slopes.iter().map(|s| s * s).sum::<f64>();
    let var_g = var_tx + var_rj + var_n; // (93A-41)
    let (mut isi, mut dfe_taps) = (Vec::new(), Vec::new());
    residual_isi(p, vic, m, cursor, &mut isi, &mut dfe_taps);
    let h_isi = significant(&isi, floor);
    let h_xt: Vec<Vec<f64>> = pulses[1..]
        .iter()
        .map(|pulse| {
            let (phase, _) = worst_phase_energy(pulse, m, 0.0); // (93A-33)
            significant(&pulse[phase..].iter().step_by(m).copied().collect::<Vec<_>>(), floor)
        })
        .collect();
    // Voltage grid: bins of A_s/1000 (at most 10 µV), wide enough for every distribution's
    // whole support plus 10 σ of the Gaussian part (so that A_ni is never capped).
    let ystep = (a_s / 1000.0).min(1e-5);
    let abs_sum = |v: &[f64]| v.iter().map(|x| x.abs()).sum::<f64>();
    let support = abs_sum(&h_isi) + h_xt.iter().map(|h| abs_sum(h)).sum::<f64>() + abs_sum(&h_dd);
    let ymax = (1.1 * a_s).max(support + 10.0 * var_g.sqrt() + 2.0 * ystep);
    let half = (ymax / ystep).ceil() as usize;
    if half > 2_000_000 {
        return Err(Error::Numerical { what: format!("COM voltage grid of {} bins", 2 * half + 1) });
    }
    let npts = 2 * half + 1;
    let y = |i: usize| (i as f64 - half as f64) * ystep;
    let p_j = delta_pmf(&h_dd, p.l, ystep, npts)?; // (93A-40)
    let p_g: Vec<f64> = (0..npts)
        .map(|i| (-y(i).powi(2) / (2.0 * var_g)).exp() / (2.0 * std::f64::consts::PI * var_g).sqrt() * ystep)
        .collect(); // (93A-42)
    let p_n = convolve_pmfs(&p_g, &p_j); // (93A-43)
    let p_isi = delta_pmf(&h_isi, p.l, ystep, npts)?;
    let mut p_xt = vec![0.0; npts];
    p_xt[half] = 1.0;
    for h in &h_xt {
        p_xt = convolve_pmfs(&p_xt, &delta_pmf(h, p.l, ystep, npts)?);
    }
    let sigma_xt_pdf_v = (0..npts).map(|i| y(i).powi(2) * p_xt[i]).sum::<f64>().sqrt();
    let total = convolve_pmfs(&convolve_pmfs(&p_isi, &p_n), &p_xt); // (93A-45)
    let mut cdf = 0.0;
    let mut a_ni = None;
    for (i, v) in total.iter().enumerate() {
        cdf += v;
        if cdf >= p.der_0 {
            a_ni = Some(-y(i));
            break;
        }
    }
    let a_ni = a_ni.ok_or_else(|| Error::Numerical { what: "COM noise CDF never reaches DER_0".into() })?;
    Ok(Margin { a_s_v: a_s, a_ni_v: a_ni, com_db: 20.0 * (a_s / a_ni).log10(), dfe_taps, sigma_xt_pdf_v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nrz_sample_splits_the_pmf_in_two() {
        let p = delta_pmf(&[3e-5], 2, 1e-5, 11).unwrap();
        assert_eq!(p[2], 0.5);
        assert_eq!(p[8], 0.5);
        // PAM4: four equiprobable shifts −h, −h/3, h/3, h.
        let p4 = delta_pmf(&[3e-5], 4, 1e-5, 11).unwrap();
        assert_eq!([p4[2], p4[4], p4[6], p4[8]], [0.25; 4]);
    }

    #[test]
    fn convolution_of_deltas_adds_offsets() {
        let mut a = vec![0.0; 11];
        let mut b = vec![0.0; 11];
        a[7] = 1.0; // +2 bins
        b[4] = 1.0; // −1 bin
        let c = convolve_pmfs(&a, &b);
        assert!((c[6] - 1.0).abs() < 1e-12, "{c:?}");
    }
}
