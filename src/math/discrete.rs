//! Tails of discrete distributions, accurate deep into the tail (down to ~1e-300).
//!
//! Tails are summed as series of term ratios, in scaled form (every term relative to the first),
//! so nothing underflows before the final `exp`; only the one starting term uses log-gamma. The
//! side of the distribution that is summed is always the small one: `P(X ≥ k)` is summed upward
//! when `k` lies above the mode, otherwise `1 − P(X < k)` is formed from the lower tail (which is
//! then ≤ ~½, so the subtraction loses nothing).
//!
//! * Binomial: `P(i+1)/P(i) = (n − i)/(i + 1) · p/(1 − p)`; `ln P(k)` from `ln Γ` and `ln(1 − p)`
//!   via `ln_1p`. Partial mean `Σ_{i≥k} i·P(i) = n·p·P(Y ≥ k − 1)`, `Y ~ Bin(n − 1, p)`.
//! * Poisson: `P(i+1)/P(i) = μ/(i + 1)`; partial mean `Σ_{i≥k} i·P(i) = μ·P(N ≥ k − 1)`.
//! * Compound Poisson (Poisson number of events, i.i.d. integer event sizes): Panjer recursion
//!   `f_s = (λ/s)·Σ_j j·c_j·f_{s−j}`, `f_0 = e^{−λ}` (Panjer, ASTIN Bulletin 12, 1981).

// Reference values are quoted with the digits mpmath printed; f64 rounds them.
#![allow(clippy::excessive_precision)]

use crate::{Error, Result};
use statrs::function::gamma::ln_gamma;

/// Relative size of the last term at which a tail series stops.
const SERIES_EPS: f64 = 1e-18;

/// `ln Σ_{j≥0} Π_{l<j} r(l)`: the log of a series whose consecutive-term ratios are `r(0), r(1), …`,
/// relative to its first term. Stops when the ratios have fallen below 1 and the geometric bound on
/// the remainder is negligible, when a ratio is 0, or after `max_terms` terms.
fn ln_ratio_series(mut ratio: impl FnMut(u64) -> f64, max_terms: u64) -> f64 {
    let (mut sum, mut term) = (1.0f64, 1.0f64);
    for l in 0..max_terms {
        let r = ratio(l);
        term *= r;
        sum += term;
        if term == 0.0 || (r < 1.0 && term * r / (1.0 - r) < SERIES_EPS * sum) {
            break;
        }
    }
    sum.ln()
}

/// `P(X ≥ k)` from the pmf's log at the boundary and its up/down term ratios: sums the upper tail
/// when `k > mode`, else `1 − lower tail`.
fn tail_from_ratios(
    k: u64,
    mode: u64,
    ln_pmf: impl Fn(u64) -> f64,
    up: impl Fn(u64) -> f64,
    down: impl Fn(u64) -> f64,
    max_terms: u64,
) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > mode {
        (ln_pmf(k) + ln_ratio_series(|l| up(k + l), max_terms)).exp()
    } else {
        // Lower tail Σ_{i<k} P(i), summed downward from k − 1.
        let steps = k - 1;
        let ln_lower = ln_pmf(k - 1) + ln_ratio_series(|l| down(k - 1 - l), steps);
        -ln_lower.exp_m1()
    }
}

/// Binomial distribution `Bin(n, p)`.
#[derive(Debug, Clone, Copy)]
pub struct Binomial {
    n: u64,
    p: f64,
}

impl Binomial {
    /// `n` trials with success probability `p` in [0, 1].
    pub fn new(n: u64, p: f64) -> Result<Self> {
        crate::error::check_range("probability", p, 0.0, 1.0, "")?;
        Ok(Self { n, p })
    }

    /// `ln P(X = i)`.
    pub fn ln_pmf(&self, i: u64) -> f64 {
        let (n, p) = (self.n as f64, self.p);
        if i > self.n {
            return f64::NEG_INFINITY;
        }
        let i_f = i as f64;
        let ln_choose = ln_gamma(n + 1.0) - ln_gamma(i_f + 1.0) - ln_gamma(n - i_f + 1.0);
        let ln_success = if i == 0 { 0.0 } else { i_f * p.ln() };
        let ln_failure = if i == self.n { 0.0 } else { (n - i_f) * (-p).ln_1p() };
        ln_choose + ln_success + ln_failure
    }

    /// Survival `P(X ≥ k)`, full relative accuracy in the far tail.
    pub fn sf(&self, k: u64) -> f64 {
        let (n, p) = (self.n, self.p);
        if k > n || p == 0.0 {
            return if k == 0 { 1.0 } else { 0.0 };
        }
        if p == 1.0 {
            return 1.0;
        }
        let odds = p / (1.0 - p);
        let mode = (((n + 1) as f64) * p).floor() as u64;
        tail_from_ratios(
            k,
            mode.min(n),
            |i| self.ln_pmf(i),
            |i| {
                if i >= n { 0.0 } else { (n - i) as f64 / (i + 1) as f64 * odds }
            },
            |i| {
                if i == 0 { 0.0 } else { i as f64 / (n - i + 1) as f64 / odds }
            },
            n + 1,
        )
    }

    /// Partial mean `E[X·1{X ≥ k}] = Σ_{i≥k} i·P(X = i)`.
    pub fn partial_mean_at_least(&self, k: u64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let y = Binomial { n: self.n - 1, p: self.p };
        self.n as f64 * self.p * y.sf(k.saturating_sub(1))
    }
}

/// Poisson distribution with mean `μ`.
#[derive(Debug, Clone, Copy)]
pub struct Poisson {
    mean: f64,
}

impl Poisson {
    /// Poisson with mean `mean ≥ 0` (finite).
    pub fn new(mean: f64) -> Result<Self> {
        crate::error::check_range("poisson mean", mean, 0.0, f64::MAX, "")?;
        Ok(Self { mean })
    }

    /// `ln P(N = i)`.
    pub fn ln_pmf(&self, i: u64) -> f64 {
        let mu = self.mean;
        if mu == 0.0 {
            return if i == 0 { 0.0 } else { f64::NEG_INFINITY };
        }
        -mu + i as f64 * mu.ln() - ln_gamma(i as f64 + 1.0)
    }

    /// Survival `P(N ≥ k)`.
    pub fn sf(&self, k: u64) -> f64 {
        let mu = self.mean;
        if mu == 0.0 {
            return if k == 0 { 1.0 } else { 0.0 };
        }
        tail_from_ratios(k, mu.floor() as u64, |i| self.ln_pmf(i), |i| mu / (i + 1) as f64, |i| i as f64 / mu, u64::MAX)
    }
}

/// Survival `P(S ≥ k)` of a compound Poisson sum `S = Σ_{e=1}^{N} X_e`, `N ~ Poisson(rate)`,
/// `P(X_e = j) = size_pmf[j]` for `j ≥ 1` (`size_pmf[0]` must be 0: every event costs ≥ 1).
///
/// Panjer recursion in scaled form (terms relative to `f_0`, rescaled to avoid overflow); the lower
/// tail `Σ_{s<k} f_s` is formed first, and when it is ≥ ½ the upper tail is summed explicitly so a
/// tail of 1e-300 keeps its relative accuracy.
pub fn compound_poisson_sf(rate: f64, size_pmf: &[f64], k: usize) -> Result<f64> {
    crate::error::check_range("event rate", rate, 0.0, 1e6, "")?;
    if size_pmf.first().is_some_and(|&c| c != 0.0) {
        return Err(Error::invalid(
            "event size pmf[0]",
            size_pmf[0],
            "expected 0: every event must cost at least one unit",
        ));
    }
    if rate == 0.0 || k == 0 {
        return Ok(if k == 0 { 1.0 } else { 0.0 });
    }
    let mut f: Vec<f64> = vec![1.0];
    let mut ln_scale = -rate;
    let next = |f: &[f64]| {
        let s = f.len();
        let sum: f64 = (1..size_pmf.len().min(s + 1)).map(|j| j as f64 * size_pmf[j] * f[s - j]).sum();
        rate / s as f64 * sum
    };
    let rescale = |f: &mut Vec<f64>, ln_scale: &mut f64| {
        let big = f.iter().fold(0.0f64, |a, &b| a.max(b));
        if big > 1e250 {
            f.iter_mut().for_each(|v| *v /= big);
            *ln_scale += big.ln();
        }
    };
    while f.len() < k {
        let v = next(&f);
        f.push(v);
        rescale(&mut f, &mut ln_scale);
    }
    let ln_lower = ln_scale + f.iter().sum::<f64>().ln();
    if ln_lower < -std::f64::consts::LN_2 {
        return Ok(-ln_lower.exp_m1());
    }
    // Upper tail: the mode lies below k, so the terms from k on decay; sum them until negligible.
    let mut tail = 0.0;
    let limit = k + 1_000_000;
    while f.len() < limit {
        let v = next(&f);
        f.push(v);
        tail += v;
        let prev = f[f.len() - 2];
        if v == 0.0 || (v < prev && v < SERIES_EPS * tail) {
            return Ok((ln_scale + tail.ln()).exp());
        }
    }
    Err(Error::Numerical { what: format!("compound Poisson tail did not converge (rate {rate}, k {k})") })
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // 17-digit mpmath reference values, kept as printed
mod tests {
    use super::*;
    use crate::test_support::rel;

    /// `P(X ≥ 16)` for `Bin(544, p_s)`, `p_s = 1 − (1 − BER)^10`, computed with mpmath 1.4.1 at
    /// 50 digits by direct summation of the exact terms: (BER, CER).
    const KP4_REF: [(f64, f64); 5] = [
        (1e-3, 0.000_153_025_859_280_604_6),
        (2.4e-4, 8.151_573_399_330_457e-13),
        (1e-5, 2.1396697743076241e-34),
        (1e-12, 2.2502952534243795e-146),
        (1e-20, 2.2502952647690444e-274),
    ];

    #[test]
    fn binomial_tail_matches_mpmath_deep_in_the_tail() {
        for (ber, want) in KP4_REF {
            let ps = -(10.0 * (-ber).ln_1p()).exp_m1();
            let got = Binomial::new(544, ps).unwrap().sf(16);
            assert!(rel(got, want) < 1e-9, "BER {ber:e}: {got:e} vs {want:e}");
        }
    }

    #[test]
    fn binomial_tail_by_brute_force_on_small_n() {
        let b = Binomial::new(20, 0.3).unwrap();
        for k in 0..=21 {
            let brute: f64 = (k..=20).map(|i| b.ln_pmf(i).exp()).sum();
            let got = b.sf(k);
            assert!((got - brute).abs() <= 1e-13 * brute, "k {k}: {got} vs {brute}");
        }
        let mean_brute: f64 = (7..=20).map(|i| i as f64 * b.ln_pmf(i).exp()).sum();
        assert!(rel(b.partial_mean_at_least(7), mean_brute) < 1e-13);
    }

    #[test]
    fn poisson_tail_by_brute_force() {
        for mu in [1e-6, 0.3, 2.0, 40.0] {
            let p = Poisson::new(mu).unwrap();
            for k in [0u64, 1, 2, 5, 30, 60] {
                let brute: f64 = (k..k + 400).map(|i| p.ln_pmf(i).exp()).sum();
                if brute < 1e-290 {
                    continue; // below the f64 range of the brute-force terms
                }
                let got = p.sf(k);
                assert!(rel(got, brute) < 1e-12, "μ {mu} k {k}: {got:e} vs {brute:e}");
            }
        }
    }

    #[test]
    fn compound_poisson_with_unit_events_is_poisson() {
        for (rate, k) in [(1.3, 16), (0.01, 3), (50.0, 20), (50.0, 90)] {
            let got = compound_poisson_sf(rate, &[0.0, 1.0], k).unwrap();
            let want = Poisson::new(rate).unwrap().sf(k as u64);
            assert!(rel(got, want) < 1e-12, "rate {rate} k {k}: {got:e} vs {want:e}");
        }
    }

    #[test]
    fn compound_poisson_two_sizes_by_enumeration() {
        // Events of size 1 (p = 0.6) or 2 (0.4), rate 0.8: P(S ≥ 4) by summing over event counts.
        let (rate, k) = (0.8, 4usize);
        let pois = Poisson::new(rate).unwrap();
        let mut want = 0.0;
        for n in 0..60u64 {
            let b = Binomial::new(n, 0.4).unwrap(); // number of size-2 events
            let p_s: f64 = (0..=n).filter(|&d| n + d >= k as u64).map(|d| b.ln_pmf(d).exp()).sum();
            want += pois.ln_pmf(n).exp() * p_s;
        }
        let got = compound_poisson_sf(rate, &[0.0, 0.6, 0.4], k).unwrap();
        assert!(rel(got, want) < 1e-12, "{got} vs {want}");
    }

    #[test]
    fn rejects_bad_size_pmf() {
        assert!(compound_poisson_sf(1.0, &[0.5, 0.5], 3).is_err());
        assert!(compound_poisson_sf(f64::NAN, &[0.0, 1.0], 3).is_err());
    }
}
