//! Numerical building blocks shared by the models: special functions (erfc, Q, inverse Q),
//! discrete-distribution tails (binomial, Poisson, compound Poisson) accurate deep into the tail,
//! Gauss–Hermite quadrature and a small seeded random-number generator.
//!
//! Everything here is deterministic: the generator takes an explicit seed (`docs/models.md` §1).

pub mod discrete;
pub mod fft;
pub mod prbs;
pub mod quadrature;
pub mod rng;
pub mod special;

pub use special::{erfc, q, q_inv};

/// Root of a monotone function by bisection: the `x` in `[lo, hi]` where `f` changes sign, to
/// machine precision (at most 200 halvings). `f(lo)` and `f(hi)` must have opposite signs; the
/// caller checks the bracket (so it can name the offending input).
pub fn bisect(mut f: impl FnMut(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let f_lo_negative = f(lo) < 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if (f(mid) < 0.0) == f_lo_negative {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}
