//! Cluster scale: interconnect power of N accelerators.
//!
//! Each accelerator moves `B` b/s per direction. A fraction `f` rides on copper inside the rack
//! (one link), the rest crosses `T` optical link tiers (accelerator→leaf→spine…). Every link has
//! two ends, and an end's power is `pJ/bit × rate` ([`super::ArchPower::pj_per_bit`], host
//! SerDes included), so
//!
//! **`P = N·B·[f·2·e_copper + (1 − f)·T·2·e_optics]`**
//!
//! with `e` in J/bit per end. Savings are against the same cluster on DSP pluggables.

use super::arch::{ArchPower, Architecture, PortSpec, evaluate};
use super::params::PowerParams;
use crate::error::{Result, check_range};
use serde::Serialize;

/// The cluster being sized.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClusterSpec {
    /// Number of accelerators.
    pub accelerators: f64,
    /// Bandwidth per accelerator per direction, b/s.
    pub bandwidth_per_accelerator_bps: f64,
}

impl ClusterSpec {
    /// 1 to 10⁸ accelerators of 1 Gb/s to 1 Pb/s each.
    pub fn new(accelerators: f64, bandwidth_per_accelerator_bps: f64) -> Result<ClusterSpec> {
        check_range("accelerators", accelerators, 1.0, 1e8, "")?;
        check_range("bandwidth_per_accelerator_bps", bandwidth_per_accelerator_bps, 1e9, 1e15, "b/s")?;
        Ok(ClusterSpec { accelerators, bandwidth_per_accelerator_bps })
    }
}

/// One optical choice for the whole cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterScenario {
    /// Optical architecture between racks.
    pub optics: &'static str,
    /// Power of the optical links, W.
    pub optical_watts: f64,
    /// Copper + optical, W.
    pub total_watts: f64,
    /// Total, kW.
    pub total_kw: f64,
    /// Total, MW.
    pub total_mw: f64,
    /// Saving against DSP pluggables, W (positive = less power).
    pub saving_vs_dsp_pluggable_watts: f64,
    /// Saving as a fraction of the DSP-pluggable cluster.
    pub saving_vs_dsp_pluggable_fraction: f64,
}

/// Cluster totals for each optical choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterPower {
    /// Accelerators.
    pub accelerators: f64,
    /// Bandwidth per accelerator per direction, b/s.
    pub bandwidth_per_accelerator_bps: f64,
    /// Fraction of the bandwidth on in-rack copper.
    pub copper_fraction: f64,
    /// Optical link tiers.
    pub optical_tiers: u32,
    /// Copper architecture inside the rack.
    pub copper: &'static str,
    /// Power of the copper links, W.
    pub copper_watts: f64,
    /// One entry per optical architecture (DSP pluggable first: the baseline).
    pub scenarios: Vec<ClusterScenario>,
}

/// Power of `links_bps` of traffic over links of two ends at `per_end` (pJ/bit per end), W.
fn links_watts(links_bps: f64, per_end: &ArchPower) -> f64 {
    links_bps * 2.0 * per_end.pj_per_bit * 1e-12
}

/// Sizes the cluster: `copper` inside the rack, each of `optics` between racks (the DSP
/// pluggable baseline is always evaluated).
pub fn cluster_power(
    spec: &ClusterSpec,
    port: &PortSpec,
    copper: Architecture,
    optics: &[Architecture],
    p: &PowerParams,
) -> Result<ClusterPower> {
    let c = &p.cluster;
    let total_bps = spec.accelerators * spec.bandwidth_per_accelerator_bps;
    let copper_watts = links_watts(total_bps * c.copper_fraction, &evaluate(copper, port, p)?);
    let optical_bps = total_bps * (1.0 - c.copper_fraction) * c.optical_tiers as f64;
    let mut choices = vec![Architecture::DspPluggable];
    choices.extend(optics.iter().copied().filter(|a| !a.is_copper() && *a != Architecture::DspPluggable));
    let mut scenarios: Vec<ClusterScenario> = Vec::with_capacity(choices.len());
    for arch in choices {
        let optical_watts = links_watts(optical_bps, &evaluate(arch, port, p)?);
        let total_watts = copper_watts + optical_watts;
        let baseline = scenarios.first().map_or(total_watts, |s| s.total_watts);
        scenarios.push(ClusterScenario {
            optics: arch.name(),
            optical_watts,
            total_watts,
            total_kw: total_watts / 1e3,
            total_mw: total_watts / 1e6,
            saving_vs_dsp_pluggable_watts: baseline - total_watts,
            saving_vs_dsp_pluggable_fraction: if baseline > 0.0 { (baseline - total_watts) / baseline } else { 0.0 },
        });
    }
    Ok(ClusterPower {
        accelerators: spec.accelerators,
        bandwidth_per_accelerator_bps: spec.bandwidth_per_accelerator_bps,
        copper_fraction: c.copper_fraction,
        optical_tiers: c.optical_tiers,
        copper: copper.name(),
        copper_watts,
        scenarios,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::Modulation;
    use approx::assert_relative_eq;

    #[test]
    fn totals_follow_the_closed_form_and_cpo_saves() {
        let p = PowerParams::default();
        let port = PortSpec::new(800e9, 8, Modulation::Pam4).unwrap();
        let spec = ClusterSpec::new(100_000.0, 7.2e12).unwrap();
        let c = cluster_power(&spec, &port, Architecture::Dac, &[Architecture::Lpo, Architecture::Cpo], &p).unwrap();
        assert_eq!(c.scenarios.iter().map(|s| s.optics).collect::<Vec<_>>(), ["dsp-pluggable", "lpo", "cpo"]);
        let e = |a| evaluate(a, &port, &p).unwrap().pj_per_bit * 1e-12;
        let nb = 100_000.0 * 7.2e12;
        let copper = nb * 0.5 * 2.0 * e(Architecture::Dac);
        assert_relative_eq!(c.copper_watts, copper, max_relative = 1e-12);
        let dsp = copper + nb * 0.5 * 2.0 * 2.0 * e(Architecture::DspPluggable);
        assert_relative_eq!(c.scenarios[0].total_watts, dsp, max_relative = 1e-12);
        assert_relative_eq!(c.scenarios[0].total_mw * 1e6, dsp, max_relative = 1e-12);
        assert_eq!(c.scenarios[0].saving_vs_dsp_pluggable_watts, 0.0);
        assert!(c.scenarios[2].saving_vs_dsp_pluggable_fraction > c.scenarios[1].saving_vs_dsp_pluggable_fraction);
        assert!(c.scenarios[2].saving_vs_dsp_pluggable_fraction > 0.3);
        assert!(ClusterSpec::new(0.0, 7.2e12).is_err());
    }
}
