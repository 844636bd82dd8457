//! The power section of the review report.

use crate::error::Result;
use crate::output::Format;
use crate::output::tables::{architectures, cluster};
use crate::plot::power::write_charts;
use crate::power::{Architecture, ClusterSpec, PortSpec, PowerParams, cluster_power, evaluate_all};
use crate::signal::Modulation;
use std::path::{Path, PathBuf};

/// Accelerators of the review's cluster example (the 100 000-GPU case).
pub const REPORT_CLUSTER_ACCELERATORS: f64 = 100_000.0;
/// Bandwidth per accelerator of the review's cluster example, b/s (7.2 Tb/s).
pub const REPORT_CLUSTER_BPS: f64 = 7.2e12;

/// The review section: both charts at an 800G port with the default parameters, and the table.
pub fn section(dir: &Path, written: &mut Vec<PathBuf>) -> Result<String> {
    let port = PortSpec::new(800e9, 8, Modulation::Pam4)?;
    let results = evaluate_all(&Architecture::ALL, &port, &PowerParams::default())?;
    write_charts(dir, &results, written)?;
    let find = |a: Architecture| results.iter().find(|r| r.name == a.name());
    let get = |a: Architecture| find(a).map_or(0.0, |r| r.module_watts);
    let pj = |a: Architecture| find(a).map_or(0.0, |r| r.pj_per_bit);
    let spec = ClusterSpec::new(REPORT_CLUSTER_ACCELERATORS, REPORT_CLUSTER_BPS)?;
    let optics = [Architecture::Lpo, Architecture::Cpo];
    let cl = cluster_power(&spec, &port, Architecture::Dac, &optics, &PowerParams::default())?;
    let md = format!(
        "## Power: copper, pluggables, LPO and CPO\n\n![power breakdown](power_breakdown.png)\n\n\
         Energy per bit of one end of an 800G port (8 lanes of 106.25 Gb/s PAM4), built bottom-up: host SerDes by \
         reach class, DSP per lane (7 nm, equalizer taps), traveling-wave MZM drivers (V^2/R from V_pi and the \
         target OMA) or ring drivers (C V^2 with PAM4 level statistics), lasers from the optical budget and the \
         wall-plug efficiency, TIAs, ring heaters, control and DC-DC loss. Module figures without the host SerDes \
         are calibrated to the published ones (docs/references.md; the DSP core, ring front end and module control \
         terms were set to land there, the other lines are bottom-up): DSP pluggable {dsp:.1} W (NVIDIA 16 W typ), LPO {lpo:.1} W \
         (8-9 W), LRO {lro:.1} W (10-14 W estimate), AEC {aec:.1} W, ACC {acc:.1} W, passive DAC {dac:.2} W per end. \
         The host SerDes is the price of linear and passive links: the ASIC must drive the whole channel (LR class), \
         which is why LPO saves less at system level than at module level, and why CPO (XSR to an engine in the \
         package) wins twice.\n\n![pJ/bit vs reach](power_vs_reach.png)\n\n\
         The same ends against reach: copper is cheapest but stops at metres; CPO reaches the DR distances for \
         {cpo_share:.0} % of the energy per bit of a DSP pluggable.\n\n{}\n\
         At cluster scale ({n:.0} accelerators of {bw:.1} Tb/s each, {cu:.0} % of the bandwidth on in-rack passive \
         copper, the rest over {tiers} optical tiers; every link has two ends) the interconnect draws:\n\n{}\n",
        architectures(&results).render(Format::Markdown),
        cluster(&cl).render(Format::Markdown),
        cpo_share = 100.0 * pj(Architecture::Cpo) / pj(Architecture::DspPluggable),
        n = REPORT_CLUSTER_ACCELERATORS,
        bw = REPORT_CLUSTER_BPS / 1e12,
        cu = 100.0 * cl.copper_fraction,
        tiers = cl.optical_tiers,
        dsp = get(Architecture::DspPluggable),
        lpo = get(Architecture::Lpo),
        lro = get(Architecture::Lro),
        aec = get(Architecture::Aec),
        acc = get(Architecture::Acc),
        dac = get(Architecture::Dac),
    );
    Ok(md)
}
