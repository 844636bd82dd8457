//! Uncorrectable-codeword rates and link flaps for a fleet of links.
//!
//! * Codeword rate `R_cw = line rate / (n·m)` of the interface the FEC covers (derived \[D\]):
//!   850 Gb/s (800GbE) / 5440 → 156.25 M CW/s; a 106.25 Gb/s lane alone → 19.53 M CW/s.
//! * Uncorrectable codewords per link form a Poisson process of rate `λ = CER·R_cw`
//!   (independent codewords); mean time between them `MTBU = 1/λ`; events per day for `N` links
//!   `N·86400·λ`.
//! * A **flap** is a stated model: a link flaps when `k` uncorrectable codewords fall within `W`
//!   seconds ([`FlapDefinition`]). Two readings:
//!   - [`FlapWindow::Sliding`]: the count in the trailing window `(t − W, t]` reaches `k`. An
//!     arriving event sees the previous `W` seconds hold `Poisson(λW)` events (PASTA), and the count
//!     reaches `k` exactly when that was `k − 1`: flap rate `λ·P(N_{λW} = k − 1)`.
//!   - [`FlapWindow::Tumbling`]: consecutive, non-overlapping windows of `W` (a monitor polling
//!     counters every `W`): flap rate `P(N_{λW} ≥ k)/W`.
//!
//!   For `k = 1` both tend to `λ` when `λW ≪ 1` (every uncorrectable codeword is a flap); for
//!   `k > 1` the sliding rate is larger (windows at every alignment). Neither models recovery time,
//!   and both assume independent codewords (bursts across codewords would raise `k > 1` rates).

use crate::error::check_range;
use crate::math::discrete::Poisson;
use crate::metrics::fec::{FecResult, ReedSolomon};
use crate::{Error, Result};
use serde::Serialize;

/// Seconds per day.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// How the flap window is placed in time (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlapWindow {
    /// The trailing window at every instant: flap when its count reaches `k`.
    Sliding,
    /// Consecutive non-overlapping windows: flap when one holds `k` or more.
    Tumbling,
}

/// A link flaps when `uncorrectable_count` uncorrectable codewords fall within `window_s`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FlapDefinition {
    /// `k ≥ 1`.
    pub uncorrectable_count: u32,
    /// `W` in seconds, > 0.
    pub window_s: f64,
    /// Window placement.
    pub window: FlapWindow,
}

impl Default for FlapDefinition {
    /// One uncorrectable codeword within 1 s, sliding window.
    fn default() -> Self {
        Self { uncorrectable_count: 1, window_s: 1.0, window: FlapWindow::Sliding }
    }
}

impl FlapDefinition {
    /// Flaps per second of one link whose uncorrectable codewords arrive at `rate_per_s`.
    pub fn flap_rate_per_s(&self, rate_per_s: f64) -> Result<f64> {
        let k = self.uncorrectable_count;
        if k == 0 {
            return Err(Error::invalid("flap uncorrectable_count", 0, "expected at least 1"));
        }
        let w = check_range("flap window_s", self.window_s, 1e-12, 1e12, "s")?;
        let lambda = check_range("uncorrectable rate", rate_per_s, 0.0, 1e15, "1/s")?;
        let n_in_window = Poisson::new(lambda * w)?;
        Ok(match self.window {
            FlapWindow::Sliding => lambda * n_in_window.ln_pmf(u64::from(k) - 1).exp(),
            FlapWindow::Tumbling => n_in_window.sf(u64::from(k)) / w,
        })
    }
}

/// Codewords per second, `line_rate_bps / (n·m)`.
pub fn codeword_rate_per_s(code: &ReedSolomon, line_rate_bps: f64) -> Result<f64> {
    let r = check_range("line_rate_bps", line_rate_bps, 1.0, 1e15, "b/s")?;
    Ok(r / code.codeword_bits())
}

/// FEC figures plus fleet-level rates for `links` links.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LinkReport {
    /// Code figures at the pre-FEC BER.
    #[serde(flatten)]
    pub fec: FecResult,
    /// Rate of the interface the FEC covers, b/s.
    pub line_rate_bps: f64,
    /// Codewords per second per link.
    pub codeword_rate_per_s: f64,
    /// Mean time between uncorrectable codewords on one link, s (∞ when CER = 0).
    pub mean_time_between_uncorrectable_s: f64,
    /// Number of links.
    pub links: u64,
    /// Expected uncorrectable codewords per day over all links.
    pub uncorrectable_per_day: f64,
    /// The flap definition used.
    pub flap_definition: FlapDefinition,
    /// Expected flaps per day over all links.
    pub flaps_per_day: f64,
}

/// The `fec` command's numbers for one code, pre-FEC BER, line rate and fleet size.
pub fn link_report(
    code: &ReedSolomon,
    pre_fec_ber: f64,
    line_rate_bps: f64,
    links: u64,
    flap: FlapDefinition,
) -> Result<LinkReport> {
    let fec = code.evaluate(pre_fec_ber)?;
    let cw_rate = codeword_rate_per_s(code, line_rate_bps)?;
    let uncorrectable_rate = fec.codeword_error_ratio * cw_rate;
    let fleet_days = links as f64 * SECONDS_PER_DAY;
    Ok(LinkReport {
        fec,
        line_rate_bps,
        codeword_rate_per_s: cw_rate,
        mean_time_between_uncorrectable_s: 1.0 / uncorrectable_rate,
        links,
        uncorrectable_per_day: fleet_days * uncorrectable_rate,
        flap_definition: flap,
        flaps_per_day: fleet_days * flap.flap_rate_per_s(uncorrectable_rate)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::rng::Xoshiro256pp;
    use crate::test_support::rel;

    #[test]
    fn codeword_rates_from_physics() {
        let r = codeword_rate_per_s(&ReedSolomon::KP4, 850e9).unwrap();
        assert!(rel(r, 156.25e6) < 1e-15);
        assert!(rel(codeword_rate_per_s(&ReedSolomon::KP4, 1700e9).unwrap(), 312.5e6) < 1e-15);
    }

    #[test]
    fn mtbu_table() {
        // Derived RS(544,514) table of `docs/models.md` §7: MTBU 800G / 1.6T.
        let hour = 3600.0;
        let year = 365.25 * 86400.0;
        for (ber, rate, want_s, tol) in [
            (2.4e-4, 850e9, 2.18 * hour, 5e-3),
            (2.4e-4, 1700e9, 1.09 * hour, 5e-3),
            (2e-4, 850e9, 33.0 * hour, 1e-2),
            (1e-4, 850e9, 149.0 * year, 1e-2),
            (4.85e-4, 850e9, 0.35, 1.5e-2),
            (1e-3, 1700e9, 21e-6, 3e-2),
        ] {
            let r = link_report(&ReedSolomon::KP4, ber, rate, 1, FlapDefinition::default()).unwrap();
            assert!(
                rel(r.mean_time_between_uncorrectable_s, want_s) < tol,
                "{ber:e} {rate:e}: {}",
                r.mean_time_between_uncorrectable_s
            );
        }
    }

    #[test]
    fn fleet_events_per_day() {
        let r = link_report(&ReedSolomon::KP4, 2.4e-4, 106.25e9, 100_000, FlapDefinition::default()).unwrap();
        let lambda = r.fec.codeword_error_ratio * 106.25e9 / 5440.0;
        assert!(rel(r.uncorrectable_per_day, 1e5 * 86400.0 * lambda) < 1e-12);
        // k = 1, λW ≪ 1: every uncorrectable codeword is a flap.
        assert!(rel(r.flaps_per_day, r.uncorrectable_per_day) < 1e-3);
    }

    #[test]
    fn k1_flap_rate_equals_uncorrectable_rate_in_small_probability_limit() {
        for window in [FlapWindow::Sliding, FlapWindow::Tumbling] {
            let def = FlapDefinition { uncorrectable_count: 1, window_s: 1.0, window };
            let lambda = 1e-6;
            assert!(rel(def.flap_rate_per_s(lambda).unwrap(), lambda) < 2e-6, "{window:?}");
        }
    }

    /// Simulates a Poisson stream (seeded) and counts the moments the trailing-window count
    /// reaches k; compares with `λ·P(N_{λW} = k − 1)` within 5 standard deviations.
    #[test]
    fn sliding_window_rate_matches_simulation() {
        let (lambda, w, k) = (1.0, 2.0, 3u32);
        let def = FlapDefinition { uncorrectable_count: k, window_s: w, window: FlapWindow::Sliding };
        let mut rng = Xoshiro256pp::seed_from_u64(11);
        let horizon = 200_000.0;
        let (mut t, mut flaps) = (0.0, 0u64);
        let mut recent = std::collections::VecDeque::new();
        while t < horizon {
            t += -(1.0 - rng.uniform()).ln() / lambda;
            while recent.front().is_some_and(|&s| s <= t - w) {
                recent.pop_front();
            }
            recent.push_back(t);
            flaps += u64::from(recent.len() == k as usize);
        }
        let want = def.flap_rate_per_s(lambda).unwrap() * horizon;
        assert!((flaps as f64 - want).abs() < 5.0 * want.sqrt(), "{flaps} vs {want}");
        // The tumbling reading is a different, smaller number here: the test can tell them apart.
        let tumbling = FlapDefinition { window: FlapWindow::Tumbling, ..def };
        assert!(tumbling.flap_rate_per_s(lambda).unwrap() * horizon < want - 10.0 * want.sqrt());
    }

    #[test]
    fn bad_flap_inputs() {
        let def = FlapDefinition { uncorrectable_count: 0, ..FlapDefinition::default() };
        assert!(def.flap_rate_per_s(1.0).unwrap_err().to_string().contains("uncorrectable_count"));
        let def = FlapDefinition { window_s: -1.0, ..FlapDefinition::default() };
        assert!(def.flap_rate_per_s(1.0).unwrap_err().to_string().contains("window_s"));
        assert!(codeword_rate_per_s(&ReedSolomon::KP4, f64::NAN).unwrap_err().to_string().contains("line_rate_bps"));
    }
}
