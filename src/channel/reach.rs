//! Reach: the longest length of a medium that meets a loss budget at a lane's Nyquist frequency.
//!
//! * Copper: `L = (budget − lumped losses)/loss_per_m(f_N)` (loss of a matched line is linear in
//!   length).
//! * SMF: the attenuation limit `(budget − lumped)/α(λ)` in optical dB, and the dispersion limit:
//!   the length at which chirp-free IM/DD power fading reaches 3 dB electrical at Nyquist,
//!   `L = c/(4·λ²·|D|·f_N²)` with the worst-case |D| of the λ0 range (derived from the power-fading
//!   transfer, `docs/models.md` §3).
//! * MMF: the attenuation limit and the bandwidth limit: the electrical 3 dB bandwidth of the
//!   combined modal + chromatic Gaussian response falls to Nyquist (10GEPBud bandwidths; `docs/models.md` §3).
//!
//! The binding limit is named in [`Reach::limited_by`]. The 3 dB-at-Nyquist criterion for
//! dispersion and bandwidth is photolink's choice (a channel whose own bandwidth is below Nyquist
//! needs equalization the budget does not account for); the budget and the criterion are inputs.

use super::fiber::dispersion_limited_length_m;
use super::fit::LumpedLoss;
use super::medium::{Medium, Model};
use crate::error::{Bounds, Result};
use crate::signal::{Lane, Modulation};
use serde::Serialize;

/// What limits the reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Insertion or attenuation loss reaches the budget.
    Loss,
    /// Chromatic-dispersion power fading reaches 3 dB electrical at Nyquist (SMF).
    Dispersion,
    /// Modal + chromatic bandwidth falls to Nyquist (MMF).
    Bandwidth,
}

/// Reach of one medium for one lane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    /// Medium name.
    pub medium: String,
    /// Lane bit rate, b/s.
    pub lane_rate_bps: f64,
    /// Nyquist frequency, Hz.
    pub nyquist_hz: f64,
    /// Loss budget, dB (electrical for copper, optical for fiber).
    pub budget_db: f64,
    /// Lumped losses at Nyquist, dB.
    pub lumped_loss_db: f64,
    /// Loss per metre at Nyquist, dB/m.
    pub loss_db_per_m: f64,
    /// The reach, m (the smallest of the limits).
    pub reach_m: f64,
    /// The binding limit.
    pub limited_by: Limit,
    /// Length allowed by loss alone, m.
    pub loss_limit_m: f64,
    /// Length allowed by dispersion or bandwidth alone (fiber), m.
    pub dispersion_limit_m: Option<f64>,
}

/// Valid loss budgets at Nyquist.
pub const BUDGET_DB: Bounds = Bounds::new(0.0, 200.0, "dB");

/// The reach of `medium` for `lane` within `budget_db`, after `lumped` losses.
pub fn reach(medium: &Medium, lane: &Lane, budget_db: f64, lumped: &[LumpedLoss]) -> Result<Reach> {
    BUDGET_DB.check("budget_db", budget_db)?;
    let f_n = lane.nyquist_hz();
    let lumped_loss_db: f64 = lumped.iter().map(|l| l.loss_db_at(f_n)).sum();
    let loss_db_per_m = medium.loss_db_per_m(f_n);
    let loss_limit_m = ((budget_db - lumped_loss_db) / loss_db_per_m).max(0.0);
    let lambda = medium.wavelength_m.unwrap_or(1311e-9);
    let (dispersion_limit_m, kind) = match &medium.model {
        Model::Copper(_) => (None, Limit::Loss),
        Model::Smf(f) => {
            let d = f.dispersion.worst_abs_ps_per_nm_km(lambda, lambda);
            (Some(dispersion_limited_length_m(f_n, lambda, d)), Limit::Dispersion)
        }
        Model::Mmf(f) => (Some(f.bandwidth_limited_length_m(f_n, lambda)), Limit::Bandwidth),
    };
    let (reach_m, limited_by) = match dispersion_limit_m {
        Some(d) if d < loss_limit_m => (d, kind),
        _ => (loss_limit_m, Limit::Loss),
    };
    Ok(Reach {
        medium: medium.name.clone(),
        lane_rate_bps: lane.bit_rate_bps,
        nyquist_hz: f_n,
        budget_db,
        lumped_loss_db,
        loss_db_per_m,
        reach_m,
        limited_by,
        loss_limit_m,
        dispersion_limit_m,
    })
}

/// Line rates of the 50G, 100G, 200G and 400G per-lane generations (IEEE 802.3cd/ck/dj line
/// rates with RS(544,514) overhead; 425 Gb/s is the projected 400G lane).
pub const LANE_GENERATIONS_BPS: [f64; 4] = [53.125e9, 106.25e9, 212.5e9, 425e9];

/// Loss budgets for a mixed set of media.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Budgets {
    /// Electrical insertion-loss budget at Nyquist for copper, dB.
    pub copper_db: f64,
    /// Optical attenuation budget for fiber, dB.
    pub fiber_db: f64,
}

/// Reach of every medium at every rate, medium-major.
pub fn reach_table(
    media: &[Medium],
    rates_bps: &[f64],
    modulation: Modulation,
    budgets: Budgets,
    lumped: &[LumpedLoss],
) -> Result<Vec<Reach>> {
    let mut out = Vec::with_capacity(media.len() * rates_bps.len());
    for m in media {
        let budget = if m.is_optical() { budgets.fiber_db } else { budgets.copper_db };
        for &r in rates_bps {
            out.push(reach(m, &Lane::new(r, modulation)?, budget, lumped)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pam4(rate: f64) -> Lane {
        Lane::new(rate, Modulation::Pam4).unwrap()
    }

    #[test]
    fn copper_reach_is_budget_over_loss() {
        let m = Medium::named("twinax-26awg").unwrap();
        let lane = pam4(212.5e9);
        let c = LumpedLoss { loss_db: 1.0, at_freq_hz: None };
        let r = reach(&m, &lane, 28.0, &[c, c]).unwrap();
        assert_eq!(r.limited_by, Limit::Loss);
        assert!((r.reach_m * m.loss_db_per_m(53.125e9) + 2.0 - 28.0).abs() < 1e-9);
        // 26 AWG ≈ 7.1 dB/m at 53 GHz: 26 dB → about 3.7 m.
        assert!((r.reach_m - 26.0 / 7.1).abs() < 0.2, "{}", r.reach_m);
    }

    #[test]
    fn smf_o_band_is_attenuation_or_dispersion_limited_as_expected() {
        let smf = Medium::named("smf").unwrap();
        // Small budget: attenuation binds (4 dB / 0.4 dB/km ≈ 10 km > dispersion limit? no: at
        // 26.56 GHz Nyquist the worst |D| ≈ 1.3 ps/nm/km allows ~50 km).
        let r = reach(&smf, &pam4(106.25e9), 4.0, &[]).unwrap();
        assert_eq!(r.limited_by, Limit::Loss);
        assert!((r.reach_m - 4.0 / smf.loss_db_per_m(26.5625e9)).abs() < 1e-6);
        // C band at 200G/lane: dispersion binds well below 1 km.
        let c_band = smf.with_wavelength(1550e-9).unwrap();
        let r = reach(&c_band, &pam4(212.5e9), 10.0, &[]).unwrap();
        assert_eq!(r.limited_by, Limit::Dispersion);
        assert!(r.reach_m < 1000.0 && r.reach_m > 300.0, "{}", r.reach_m);
    }

    #[test]
    fn mmf_is_bandwidth_limited_at_100g_per_lane() {
        let om4 = Medium::named("mmf-om4").unwrap();
        let r = reach(&om4, &pam4(106.25e9), 1.9, &[]).unwrap();
        assert_eq!(r.limited_by, Limit::Bandwidth);
        // Modal-only limit would be EMB/(√2·f_N) = 125 m; the 0.6 nm source pulls it below.
        assert!(r.reach_m < 125.0 && r.reach_m > 40.0, "{}", r.reach_m);
    }

    #[test]
    fn budget_below_lumped_gives_zero_reach() {
        let m = Medium::named("pcb-megtron6").unwrap();
        let big = LumpedLoss { loss_db: 30.0, at_freq_hz: None };
        assert_eq!(reach(&m, &pam4(106.25e9), 20.0, &[big]).unwrap().reach_m, 0.0);
        assert!(reach(&m, &pam4(106.25e9), -1.0, &[]).is_err());
    }
}
