//! Adaptive equalization on a waveform, as a SerDes does it: LMS and sign-sign LMS adaptation of
//! the Rx FFE and DFE taps, on a seeded synthetic T-spaced waveform.
//!
//! **Waveform**: `x_n = Σ_m h_{c+m}·a_{n−m} + ν_n`, iid equiprobable PAM-M symbols (levels
//! `±1, ±1/3` for PAM4, `docs/models.md` §1), Gaussian noise `ν` with a given autocorrelation (white, or
//! the CTLE-shaped noise of the search, see [`synthesize`]); seeded
//! ([`crate::math::rng::Xoshiro256pp`]), so the same inputs give the same taps.
//!
//! **Adaptation** (data-aided, the training phase of a real receiver; Haykin, *Adaptive Filter
//! Theory*, ch. 5–6): error `e_n = y_n − a_n` with `y_n = Σ_j w_j x_{n+d−j} − Σ_k b_k a_{n−k}`;
//! * LMS: `w_j ← w_j − μ·e_n·x_{n+d−j}`, `b_k ← b_k + μ·e_n·a_{n−k}`;
//! * sign-sign LMS: the same with `sgn(e_n)` and `sgn(x)`, `sgn(a)` (what most SerDes build,
//!   since it needs only comparators).
//!
//! The step is normalised by the input power (`μ = μ0/(N·P_x)` for LMS) and divided by 4 at
//! each quarter of the run (gear shifting); the taps returned are the average over the last
//! quarter, which removes most of the gradient noise (misadjustment) of the final step.

use crate::error::{Error, Result, check_range};
use crate::math::rng::Xoshiro256pp;
use crate::metrics::Pam;
use serde::Serialize;

/// A T-spaced received waveform and the symbols that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Waveform {
    /// Received samples at the slicer phase, V.
    pub samples_v: Vec<f64>,
    /// Transmitted symbol values.
    pub symbols: Vec<f64>,
}

/// Synthesizes `n_symbols` of a PAM waveform through the T-spaced pulse `h` (cursor `c`) with
/// Gaussian noise of autocorrelation `noise_acf` (V², lags 0, 1, …; one lag = white), seeded
/// (module docs). Coloured noise is an autoregressive process fitted by Levinson–Durbin, which
/// reproduces the given lags exactly (Yule–Walker), so an FFE no longer than the lags sees the
/// same second-order statistics as the MMSE solution.
pub fn synthesize(h: &[f64], cursor: usize, pam: Pam, n_symbols: usize, noise_acf: &[f64], seed: u64) -> Waveform {
    let mut rng = Xoshiro256pp::seed_from_u64(seed);
    let levels = pam.levels();
    let symbols: Vec<f64> =
        (0..n_symbols).map(|_| pam.symbol_value((rng.next_u64() % levels as u64) as usize)).collect();
    let (ar, innovation_var) = levinson_durbin(noise_acf);
    let sigma_e = innovation_var.max(0.0).sqrt();
    let warm_up = 64 * ar.len();
    let mut past = vec![0.0; ar.len()];
    let mut noise = Vec::with_capacity(n_symbols);
    for i in 0..n_symbols + warm_up {
        // ν_n = −Σ a_k ν_{n−k} + e_n; `past` holds ν_{n−1}, ν_{n−2}, … (newest first).
        let v = sigma_e * rng.normal() - ar.iter().zip(&past).map(|(a, p)| a * p).sum::<f64>();
        if !past.is_empty() {
            past.rotate_right(1);
            past[0] = v;
        }
        if i >= warm_up {
            noise.push(v);
        }
    }
    let samples_v = (0..n_symbols)
        .map(|n| {
            let isi: f64 = h
                .iter()
                .enumerate()
                .filter_map(|(i, &hi)| {
                    let k = n as isize - (i as isize - cursor as isize);
                    (k >= 0 && (k as usize) < n_symbols).then(|| hi * symbols[k as usize])
                })
                .sum();
            isi + noise[n]
        })
        .collect();
    Waveform { samples_v, symbols }
}

/// Levinson–Durbin recursion: AR coefficients `a_1 … a_p` (`p = r.len() − 1`) and the innovation
/// variance of the process whose autocorrelation is `r` at lags `0 … p`.
pub fn levinson_durbin(r: &[f64]) -> (Vec<f64>, f64) {
    let p = r.len().saturating_sub(1);
    let mut a = vec![0.0; p];
    let mut prev = vec![0.0; p];
    let mut err = r.first().copied().unwrap_or(0.0);
    for m in 0..p {
        if err <= 0.0 {
            break;
        }
        let acc = r[m + 1] + (0..m).map(|k| a[k] * r[m - k]).sum::<f64>();
        let kappa = -acc / err;
        prev[..m].copy_from_slice(&a[..m]);
        for k in 0..m {
            a[k] = prev[k] + kappa * prev[m - 1 - k];
        }
        a[m] = kappa;
        err *= 1.0 - kappa * kappa;
    }
    (a, err)
}

/// The adaptation law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Adaptation {
    /// Least mean squares (stochastic gradient of the MSE).
    Lms,
    /// Sign-sign LMS.
    SignSign,
}

/// LMS settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LmsConfig {
    /// FFE taps before the main tap.
    pub n_pre: usize,
    /// FFE taps after the main tap.
    pub n_post: usize,
    /// DFE taps.
    pub dfe_taps: usize,
    /// Normalised step `μ0` (LMS: per unit input power and tap; sign-sign: in units of the
    /// input RMS).
    pub mu: f64,
    /// Adaptation law.
    pub adaptation: Adaptation,
}

/// Adapted taps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdaptedTaps {
    /// FFE taps (main at `n_pre`).
    pub ffe: Vec<f64>,
    /// DFE taps, V.
    pub dfe_v: Vec<f64>,
}

/// Adapts FFE + DFE taps on `wave` (module docs).
pub fn adapt(wave: &Waveform, cfg: &LmsConfig) -> Result<AdaptedTaps> {
    check_range("LMS step", cfg.mu, 1e-9, 1.0, "")?;
    let n = cfg.n_pre + 1 + cfg.n_post;
    let d = cfg.n_pre;
    let len = wave.samples_v.len();
    if len != wave.symbols.len() || len < 4 * (n + cfg.dfe_taps + 16) {
        return Err(Error::invalid(
            "waveform",
            format!("{len} samples"),
            "expected matching symbols and a long record",
        ));
    }
    let power = wave.samples_v.iter().map(|x| x * x).sum::<f64>() / len as f64;
    let rms = power.sqrt();
    let mut w = vec![0.0; n];
    w[d] = 1.0 / rms.max(1e-300);
    let mut b = vec![0.0; cfg.dfe_taps];
    let (mut w_avg, mut b_avg) = (vec![0.0; n], vec![0.0; cfg.dfe_taps]);
    let start = n + cfg.dfe_taps;
    let stop = len - n;
    let quarter = (stop - start) / 4;
    let mut averaged = 0usize;
    for i in start..stop {
        let phase = (i - start) / quarter.max(1);
        let gear = 0.25f64.powi(phase.min(3) as i32);
        // Newest first: x_{i+d−j} pairs with w_j, a_{i−k−1} with b_k.
        let x = &wave.samples_v[i + d + 1 - n..=i + d];
        let past = &wave.symbols[i - cfg.dfe_taps..i];
        let y = dot_rev(&w, x) - dot_rev(&b, past);
        let e = y - wave.symbols[i];
        match cfg.adaptation {
            Adaptation::Lms => {
                let mu = gear * cfg.mu / (n as f64 * power);
                step_rev(&mut w, x, -mu * e, |v| v);
                step_rev(&mut b, past, mu * power * e, |v| v);
            }
            Adaptation::SignSign => {
                let mu = gear * cfg.mu * e.signum();
                step_rev(&mut w, x, -mu / rms, f64::signum);
                step_rev(&mut b, past, mu, f64::signum);
            }
        }
        if phase >= 3 {
            averaged += 1;
            w_avg.iter_mut().zip(&w).for_each(|(a, v)| *a += v);
            b_avg.iter_mut().zip(&b).for_each(|(a, v)| *a += v);
        }
    }
    let norm = 1.0 / averaged.max(1) as f64;
    Ok(AdaptedTaps { ffe: w_avg.iter().map(|v| v * norm).collect(), dfe_v: b_avg.iter().map(|v| v * norm).collect() })
}

/// `Σ_j taps_j·inputs_{len−1−j}` (inputs stored oldest first).
fn dot_rev(taps: &[f64], inputs: &[f64]) -> f64 {
    taps.iter().zip(inputs.iter().rev()).map(|(t, x)| t * x).sum()
}

/// `taps_j += gain·g(inputs_{len−1−j})`.
fn step_rev(taps: &mut [f64], inputs: &[f64], gain: f64, g: impl Fn(f64) -> f64) {
    taps.iter_mut().zip(inputs.iter().rev()).for_each(|(t, &x)| *t += gain * g(x));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eq::mmse::{Criterion, DfeConfig, Problem, RxFfeShape, Solver, evaluate};

    #[test]
    fn lms_converges_to_mmse_within_0p2_db() {
        // A stationary lossy channel: one pre-cursor, decaying post-cursors.
        let h = vec![-0.02, 0.12, 0.6, 0.28, 0.12, 0.05, 0.02];
        let c = 2;
        let sigma = 0.03;
        let wave = synthesize(&h, c, Pam::PAM4, 400_000, &[sigma * sigma], 7);
        let shape = RxFfeShape { n_pre: 2, n_post: 4 };
        let mut noise = vec![0.0; 16];
        noise[0] = sigma * sigma;
        let sx = 5.0 / 9.0;
        let p = Problem { pulse: &h, cursor: c, pulse_acf: None, noise_acf: &noise, symbol_var: sx };
        let mut mmse = Solver::new(shape, DfeConfig::unconstrained(1), Criterion::Mmse).unwrap();
        let best = mmse.solve(&p).unwrap().snr_db();
        let cfg = LmsConfig { n_pre: 2, n_post: 4, dfe_taps: 1, mu: 0.03, adaptation: Adaptation::Lms };
        let taps = adapt(&wave, &cfg).unwrap();
        // The LMS DFE tap is in symbol units of the FFE output: b_k (V) = b_k·1.
        let lms = evaluate(&p, 2, &taps.ffe, &taps.dfe_v).snr_db();
        assert!(best - lms < 0.2 && lms <= best + 1e-9, "MMSE {best} dB, LMS {lms} dB");
        let ss = adapt(&wave, &LmsConfig { adaptation: Adaptation::SignSign, mu: 2e-4, ..cfg }).unwrap();
        let ss_db = evaluate(&p, 2, &ss.ffe, &ss.dfe_v).snr_db();
        let none = evaluate(&p, 0, &[1.0], &[]).snr_db();
        assert!(ss_db > none + 3.0 && best - ss_db < 1.0, "sign-sign {ss_db} dB, MMSE {best}, none {none}");
        // Same seed, same taps.
        assert_eq!(synthesize(&h, c, Pam::PAM4, 1000, &[1e-4], 7), synthesize(&h, c, Pam::PAM4, 1000, &[1e-4], 7));
    }

    #[test]
    fn coloured_noise_has_the_requested_autocorrelation() {
        let r = [1e-4, 0.6e-4, 0.2e-4, -0.1e-4];
        let wave = synthesize(&[0.0], 0, Pam::NRZ, 400_000, &r, 3);
        let x = &wave.samples_v;
        for (l, want) in r.iter().enumerate() {
            let got = x.iter().zip(&x[l..]).map(|(a, b)| a * b).sum::<f64>() / (x.len() - l) as f64;
            assert!((got - want).abs() < 3e-6, "lag {l}: {got} vs {want}");
        }
    }
}
