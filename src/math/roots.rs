//! Bisection: the one bracketing loop behind every monotone search of photolink (BER and SNR
//! inversions, FEC targets, optimal thresholds, fiber bandwidth limits, drive-level
//! pre-distortion, the reach of 802.3 and NRZ link budgets).
//!
//! [`try_bisect_boundary`] is the loop: where a monotone predicate stops holding, to a tolerance,
//! with evaluations that may fail. [`bisect_boundary`] is the same for a predicate that cannot
//! fail, [`bisect`] the sign change of a monotone function.
//! TDECQ's noise search (`metrics::tdecq`) uses the Illinois method instead: its function is
//! smooth and costly, and regula falsi needs a third of the evaluations.

use std::convert::Infallible;

/// Most halvings of a bracket. Every search stops earlier, at its tolerance or where the midpoint
/// no longer lies strictly inside the bracket (adjacent floats: machine precision).
pub const MAX_HALVINGS: usize = 200;

/// Where the monotone predicate `holds` stops holding in `[lo, hi]`, by bisection.
///
/// `holds(lo)` must be true and `holds(hi)` false; the caller checks the bracket (so it can name
/// the offending input). The bracket is halved until it is no wider than `tol` (`0` for machine
/// precision) or after [`MAX_HALVINGS`], and returned: `lo` is the last point known to hold, `hi`
/// the first known to fail. An error of `holds` ends the search.
pub fn try_bisect_boundary<E>(
    mut holds: impl FnMut(f64) -> Result<bool, E>,
    mut lo: f64,
    mut hi: f64,
    tol: f64,
) -> Result<(f64, f64), E> {
    for _ in 0..MAX_HALVINGS {
        let mid = 0.5 * (lo + hi);
        if hi - lo <= tol || mid <= lo || mid >= hi {
            break;
        }
        if holds(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok((lo, hi))
}

/// [`try_bisect_boundary`] for a predicate that cannot fail.
pub fn bisect_boundary(mut holds: impl FnMut(f64) -> bool, lo: f64, hi: f64, tol: f64) -> (f64, f64) {
    let Ok(bracket) = try_bisect_boundary(|x| Ok::<_, Infallible>(holds(x)), lo, hi, tol);
    bracket
}

/// Root of a monotone function by bisection: the `x` in `[lo, hi]` where `f` changes sign, to
/// machine precision (at most [`MAX_HALVINGS`] halvings). `f(lo)` and `f(hi)` must have opposite
/// signs; the caller checks the bracket (so it can name the offending input).
pub fn bisect(mut f: impl FnMut(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let f_lo_negative = f(lo) < 0.0;
    let (lo, hi) = bisect_boundary(|x| (f(x) < 0.0) == f_lo_negative, lo, hi, 0.0);
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_sign_change_to_machine_precision() {
        let r = bisect(|x| x * x - 2.0, 0.0, 2.0);
        assert!((r - std::f64::consts::SQRT_2).abs() <= 2.0 * f64::EPSILON, "{r}");
        // Decreasing functions too.
        assert!((bisect(|x| 1.0 - x, 0.0, 3.0) - 1.0).abs() <= f64::EPSILON);
    }

    #[test]
    fn stops_at_the_tolerance_with_the_last_point_that_holds() {
        let mut calls = 0;
        let (lo, hi) = bisect_boundary(
            |x| {
                calls += 1;
                x <= 0.3
            },
            0.0,
            1.0,
            1e-3,
        );
        assert!(lo <= 0.3 && hi > 0.3 && hi - lo <= 1e-3, "{lo} {hi}");
        assert_eq!(calls, 10, "2^-10 < 1e-3 < 2^-9");
    }

    #[test]
    fn an_error_of_the_predicate_ends_the_search() {
        let r = try_bisect_boundary(|x| if x < 0.6 { Ok(true) } else { Err(x) }, 0.0, 1.0, 0.0);
        assert_eq!(r, Err(0.75));
    }
}
