//! Architectures as compositions of the blocks: per-end power of one port, its pJ/bit and the
//! breakdown that sums to it.
//!
//! **Scope.** Every figure is for **one end** of a link (one module, cable end or engine port),
//! carrying `rate` in each direction, and includes the **host SerDes** lanes that drive it (the
//! reach class the architecture needs). `module_watts` excludes the host SerDes: it is the number
//! a datasheet lists and what the published module figures are compared with. Energy per bit is
//! `W ÷ (Gb/s) × 1000` on the data rate (the convention of `docs/models.md` §1: module power ÷
//! one-direction rate, equal to the link energy per transported bit with full-duplex traffic).
//!
//! **Compositions** (per end; `N` lanes per direction at line rate `R_l`, `P_x` from [`super::blocks`]):
//!
//! | architecture | host SerDes | module lines |
//! |---|---|---|
//! | `dac` | LR | management (0.1 W) |
//! | `acc` | LR | `2N` redriver channels + management |
//! | `aec` | VSR | `2N` retimer channels + management |
//! | `dsp-pluggable` | VSR | `N·P_dsp + N·P_mzm + P_laser + N·P_tia + control`, ÷η |
//! | `lro` | MR | as LPO + `N` Tx retimer channels, ÷η |
//! | `lpo` | LR | `N·P_mzm + P_laser + N·P_tia + control`, ÷η |
//! | `npo` | VSR | `N·P_ring + N·P_heater + P_els + N·P_tia,cp + control`, ÷η |
//! | `cpo` | XSR | as NPO |
//!
//! with `P_mzm` the traveling-wave driver (swing from V_π and the modulation depth, `k·V²/R` in
//! the terminations, ÷ stage efficiency, + front end), `P_ring` the lumped driver (`k·C·V²·R_l`),
//! `P_laser` the laser plan from the optical budget (÷ WPE), `η` the module's DC-DC efficiency.
//!
//! Module lines (DSP, driver, laser, TIA, tuning, control) are at the module's input: each
//! includes its share of the module's DC-DC conversion loss (÷ η), so changing one block moves
//! only its own line. Cable ends are powered directly (published per-end figures).

use super::blocks::{
    LaserPlan, ReachClass, driver_supply_w, dsp_lane_power_w, heater_power_w, lane_power_w, laser_plan,
    laser_power_per_lane, lumped_energy_per_bit_j, mzm_swing_v, node_scale, termination_power_w,
};
use super::params::PowerParams;
use crate::error::{Error, Result, check_range};
use crate::signal::Modulation;
use crate::units::Dbm;
use serde::Serialize;

/// An interconnect architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Architecture {
    /// Passive direct-attach copper: the host SerDes drives the whole cable.
    Dac,
    /// Linear active copper: a linear redriver (CTLE + amplifier) in each cable end.
    Acc,
    /// Active electrical cable: a retimer per lane and direction in each cable end.
    Aec,
    /// Pluggable optics with a PAM4 DSP (retimes both directions).
    DspPluggable,
    /// Linear-receive optics: DSP/retimer on the transmit side only.
    Lro,
    /// Linear pluggable optics: no DSP; the host SerDes equalizes the whole link.
    Lpo,
    /// Near-packaged optics: the engine on the board beside the ASIC (VSR host channel).
    Npo,
    /// Co-packaged optics: ring-modulator engines in the ASIC package, external laser source.
    Cpo,
}

impl Architecture {
    /// Every architecture, copper first, in order of reach.
    pub const ALL: [Architecture; 8] = [
        Architecture::Dac,
        Architecture::Acc,
        Architecture::Aec,
        Architecture::Cpo,
        Architecture::Npo,
        Architecture::Lpo,
        Architecture::Lro,
        Architecture::DspPluggable,
    ];

    /// The command-line name (`dsp-pluggable`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Architecture::Dac => "dac",
            Architecture::Acc => "acc",
            Architecture::Aec => "aec",
            Architecture::DspPluggable => "dsp-pluggable",
            Architecture::Lro => "lro",
            Architecture::Lpo => "lpo",
            Architecture::Npo => "npo",
            Architecture::Cpo => "cpo",
        }
    }

    /// One line on what it is.
    pub fn description(self) -> &'static str {
        match self {
            Architecture::Dac => "passive direct-attach copper cable; host LR SerDes drives the cable",
            Architecture::Acc => "linear active copper cable: linear redrivers in each end; host LR SerDes",
            Architecture::Aec => "active electrical cable: retimers in each end; host VSR SerDes",
            Architecture::DspPluggable => "pluggable SiPh MZM optics with a PAM4 DSP; host VSR SerDes",
            Architecture::Lro => "linear-receive optics: Tx retimed, Rx linear; host MR SerDes",
            Architecture::Lpo => "linear pluggable optics, no DSP; host LR SerDes equalizes the link",
            Architecture::Npo => "near-packaged ring engine with external laser; host VSR SerDes",
            Architecture::Cpo => "co-packaged ring engine with external laser source; host XSR SerDes",
        }
    }

    /// Parses a name (case-insensitive; `dsp` and `pluggable` are accepted for `dsp-pluggable`).
    pub fn parse(text: &str) -> Result<Architecture> {
        let t = text.trim().to_ascii_lowercase();
        let alias = match t.as_str() {
            "dsp" | "pluggable" | "dsp_pluggable" => "dsp-pluggable",
            other => other,
        };
        Architecture::ALL.into_iter().find(|a| a.name() == alias).ok_or_else(|| {
            let names: Vec<&str> = Architecture::ALL.iter().map(|a| a.name()).collect();
            Error::invalid("architecture", format!("'{text}'"), format!("expected one of {}", names.join(", ")))
        })
    }

    /// Copper (electrical) rather than optical.
    pub fn is_copper(self) -> bool {
        matches!(self, Architecture::Dac | Architecture::Acc | Architecture::Aec)
    }

    /// Default reach class of the host SerDes that drives this architecture: the whole cable or linear
    /// optical link (LR), a host-to-module channel (VSR), the mean of the two for LRO (MR: the
    /// host Tx sees a module retimer, the host Rx the whole link), a package trace (XSR).
    pub fn default_host_class(self) -> ReachClass {
        match self {
            Architecture::Dac | Architecture::Acc | Architecture::Lpo => ReachClass::Lr,
            Architecture::Aec | Architecture::DspPluggable | Architecture::Npo => ReachClass::Vsr,
            Architecture::Lro => ReachClass::Mr,
            Architecture::Cpo => ReachClass::Xsr,
        }
    }
}

/// A port: aggregate data rate per direction, lanes and modulation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PortSpec {
    /// Data rate per direction, b/s (800G → 8e11).
    pub rate_bps: f64,
    /// Electrical/optical lanes per direction.
    pub lanes: u32,
    /// Lane modulation.
    pub modulation: Modulation,
}

impl PortSpec {
    /// A port of 1 Gb/s to 100 Tb/s over 1 to 64 lanes of at most 1 Tb/s.
    pub fn new(rate_bps: f64, lanes: u32, modulation: Modulation) -> Result<PortSpec> {
        check_range("rate_bps", rate_bps, 1e9, 1e14, "b/s")?;
        check_range("lanes", lanes as f64, 1.0, 64.0, "")?;
        check_range("rate_bps / lanes", rate_bps / lanes as f64, 1e9, 1e12, "b/s per lane")?;
        Ok(PortSpec { rate_bps, lanes, modulation })
    }

    /// Data rate per lane, b/s.
    pub fn lane_rate_bps(&self) -> f64 {
        self.rate_bps / self.lanes as f64
    }
}

/// Watts by block; the fields sum to the total.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Breakdown {
    /// Host SerDes lanes that drive the port (in the ASIC).
    pub host_serdes: f64,
    /// PAM4 DSP.
    pub dsp: f64,
    /// Retimers (CDR + FFE + driver per channel).
    pub retimer: f64,
    /// Linear redrivers (ACC).
    pub redriver: f64,
    /// Modulator drivers.
    pub driver: f64,
    /// Lasers (electrical).
    pub laser: f64,
    /// TIAs.
    pub tia: f64,
    /// Ring thermal tuning.
    pub tuning: f64,
    /// Management, control, monitoring.
    pub other: f64,
}

impl Breakdown {
    /// Names of the lines, in display order.
    pub const NAMES: [&'static str; 9] =
        ["host_serdes", "dsp", "retimer", "redriver", "driver", "laser", "tia", "tuning", "other"];

    /// The lines in the order of [`Breakdown::NAMES`].
    pub fn values(&self) -> [f64; 9] {
        [
            self.host_serdes,
            self.dsp,
            self.retimer,
            self.redriver,
            self.driver,
            self.laser,
            self.tia,
            self.tuning,
            self.other,
        ]
    }

    /// Sum of the lines.
    pub fn total(&self) -> f64 {
        self.values().iter().sum()
    }

    /// Every line multiplied by `factor` (W → pJ/bit).
    pub fn scaled(&self, factor: f64) -> Breakdown {
        let v = self.values().map(|x| x * factor);
        Breakdown {
            host_serdes: v[0],
            dsp: v[1],
            retimer: v[2],
            redriver: v[3],
            driver: v[4],
            laser: v[5],
            tia: v[6],
            tuning: v[7],
            other: v[8],
        }
    }
}

/// The power of one architecture at one port.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArchPower {
    /// Architecture name.
    pub name: &'static str,
    /// What it is.
    pub description: &'static str,
    /// Data rate per direction, b/s.
    pub rate_bps: f64,
    /// Lanes per direction.
    pub lanes: u32,
    /// Line rate per lane (with FEC overhead), b/s.
    pub line_rate_bps: f64,
    /// Host SerDes reach class.
    pub host_serdes_class: ReachClass,
    /// Power of one end including the host SerDes, W (the breakdown's sum).
    pub watts_per_port: f64,
    /// `watts_per_port / lanes`, W.
    pub watts_per_lane: f64,
    /// `watts_per_port` per data bit, pJ/bit.
    pub pj_per_bit: f64,
    /// Power without the host SerDes (the datasheet figure), W.
    pub module_watts: f64,
    /// `module_watts` per data bit, pJ/bit.
    pub module_pj_per_bit: f64,
    /// Reach, m.
    pub reach_m: f64,
    /// Watts by block.
    pub breakdown: Breakdown,
    /// pJ/bit by block.
    pub breakdown_pj_per_bit: Breakdown,
    /// Lasers (optical architectures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lasers: Option<LaserPlan>,
}

/// `W → pJ/bit` at `rate_bps`: `pJ/bit = W / (Gb/s) × 1000`.
pub fn pj_per_bit(watts: f64, rate_bps: f64) -> f64 {
    watts / rate_bps * 1e12
}

/// The per-lane quantities every composition uses.
struct Lane {
    lanes: f64,
    line_bps: f64,
    baud: f64,
    modulation: Modulation,
}

fn host_serdes_w(p: &PowerParams, class: ReachClass, lane: &Lane) -> f64 {
    let h = &p.host_serdes;
    let pj = match class {
        ReachClass::Xsr => h.xsr_pj_per_bit,
        ReachClass::Vsr => h.vsr_pj_per_bit,
        ReachClass::Mr => h.mr_pj_per_bit,
        ReachClass::Lr => h.lr_pj_per_bit,
    };
    lane.lanes * lane_power_w(pj, lane.line_bps)
}

/// DSP power of all lanes, W ([`dsp_lane_power_w`] at the configured node).
fn dsp_w(p: &PowerParams, lane: &Lane) -> Result<f64> {
    let d = &p.dsp;
    let scale = node_scale(d.process_nm, d.node_step_factor)
        .ok_or_else(|| Error::invalid("dsp.process_nm", d.process_nm, "expected a known node"))?;
    let taps = d.ffe_taps + d.dfe_taps;
    Ok(lane.lanes
        * dsp_lane_power_w(d.core_pj_per_bit_5nm, taps, d.tap_pj_per_symbol_5nm, lane.line_bps, lane.baud, scale))
}

/// Traveling-wave MZM driver of all lanes, W: swing from V_π and the depth, V²/R load, supply.
fn mzm_driver_w(p: &PowerParams, lane: &Lane) -> f64 {
    let m = &p.mzm_driver;
    let swing = mzm_swing_v(m.v_pi_v, m.modulation_depth);
    let load = termination_power_w(swing, m.termination_ohm, m.back_terminated, lane.modulation);
    lane.lanes * driver_supply_w(load, m.efficiency, m.front_end_pj_per_bit * 1e-12, lane.line_bps, m.supply_overhead)
}

/// Lumped ring driver of all lanes, W: `k·C·V²·R_b` load, supply.
fn ring_driver_w(p: &PowerParams, lane: &Lane) -> f64 {
    let r = &p.ring_driver;
    let load = lumped_energy_per_bit_j(r.capacitance_ff * 1e-15, r.swing_v, lane.modulation) * lane.line_bps;
    lane.lanes * driver_supply_w(load, r.efficiency, r.front_end_pj_per_bit * 1e-12, lane.line_bps, r.supply_overhead)
}

fn tuning_w(p: &PowerParams, lane: &Lane) -> f64 {
    let t = &p.tuning;
    lane.lanes * t.rings_per_lane as f64 * heater_power_w(t.range_nm * 1e-9, t.heater_nm_per_mw * 1e-9 / 1e-3)
}

/// Lasers of a pluggable (internal, `pluggable_lanes_per_laser`) or an engine (external source).
/// Highest output of one laser: 26 dBm, the top ELSFP class (OIF ELSFP implementation agreement \[S\]).
pub const MAX_LASER_OUTPUT_DBM: f64 = 26.0;

fn lasers(p: &PowerParams, lane: &Lane, engine: bool) -> Result<LaserPlan> {
    let o = &p.optics;
    let (tx_loss, depth, sharing) = if engine {
        (o.engine_tx_loss_db, p.ring_driver.modulation_depth, p.laser.els_lanes_per_laser)
    } else {
        (o.pluggable_tx_loss_db, p.mzm_driver.modulation_depth, p.laser.pluggable_lanes_per_laser)
    };
    let per_lane = laser_power_per_lane(Dbm(o.rx_sensitivity_oma_dbm), o.channel_loss_db, o.margin_db, tx_loss, depth);
    // A laser serves fewer lanes when sharing would take it past its maximum output.
    let fits = |n: u32| laser_plan(per_lane, lane.lanes as u32, n, p.laser.split_excess_db, p.laser.wpe);
    let plan = (1..=sharing.max(1)).rev().map(fits).find(|plan| plan.power_per_laser_dbm <= MAX_LASER_OUTPUT_DBM);
    let Some(plan) = plan else {
        return Err(crate::Error::invalid(
            "optics (laser output per lane)",
            format!("{:.1} dBm", fits(1).power_per_laser_dbm),
            format!("expected at most {MAX_LASER_OUTPUT_DBM} dBm: lower the losses or the margin"),
        ));
    };
    Ok(plan)
}

/// Evaluates one architecture at one port with the given parameters.
pub fn evaluate(arch: Architecture, port: &PortSpec, p: &PowerParams) -> Result<ArchPower> {
    let line_bps = port.lane_rate_bps() * p.port.line_rate_factor;
    let lane = Lane {
        lanes: port.lanes as f64,
        line_bps,
        baud: line_bps / port.modulation.bits_per_symbol() as f64,
        modulation: port.modulation,
    };
    let class = p.host_class.of(arch);
    let per_channel = |pj: f64| lane.lanes * lane_power_w(pj, lane.line_bps);
    let conv = 1.0 / p.module.conversion_efficiency;
    let mut b = Breakdown { host_serdes: host_serdes_w(p, class, &lane), ..Breakdown::default() };
    let mut plan = None;
    match arch {
        Architecture::Dac => b.other = p.cable.management_watts,
        Architecture::Acc => {
            b.redriver = 2.0 * per_channel(p.cable.redriver_pj_per_bit);
            b.other = p.cable.management_watts;
        }
        Architecture::Aec => {
            b.retimer = 2.0 * per_channel(p.retimer.pj_per_bit);
            b.other = p.cable.management_watts;
        }
        Architecture::DspPluggable | Architecture::Lro | Architecture::Lpo => {
            let l = lasers(p, &lane, false)?;
            b.dsp = if arch == Architecture::DspPluggable { dsp_w(p, &lane)? * conv } else { 0.0 };
            b.retimer = if arch == Architecture::Lro { per_channel(p.retimer.pj_per_bit) * conv } else { 0.0 };
            b.driver = mzm_driver_w(p, &lane) * conv;
            b.laser = l.electrical_watts * conv;
            b.tia = per_channel(p.tia.pluggable_pj_per_bit) * conv;
            b.other = p.module.pluggable_control_watts * conv;
            plan = Some(l);
        }
        Architecture::Npo | Architecture::Cpo => {
            let l = lasers(p, &lane, true)?;
            b.driver = ring_driver_w(p, &lane) * conv;
            b.tuning = tuning_w(p, &lane) * conv;
            b.laser = l.electrical_watts * conv;
            b.tia = per_channel(p.tia.copackaged_pj_per_bit) * conv;
            b.other = p.module.engine_control_watts * conv;
            plan = Some(l);
        }
    }
    let total = b.total();
    let module: f64 = b.values()[1..].iter().sum(); // every line but host_serdes (index 0)
    Ok(ArchPower {
        name: arch.name(),
        description: arch.description(),
        rate_bps: port.rate_bps,
        lanes: port.lanes,
        line_rate_bps: line_bps,
        host_serdes_class: class,
        watts_per_port: total,
        watts_per_lane: total / lane.lanes,
        pj_per_bit: pj_per_bit(total, port.rate_bps),
        module_watts: module,
        module_pj_per_bit: pj_per_bit(module, port.rate_bps),
        reach_m: reach_m(arch, port, p),
        breakdown: b,
        breakdown_pj_per_bit: b.scaled(1e12 / port.rate_bps),
        lasers: plan,
    })
}

/// Published reach (`docs/models.md` §10): passive DAC 2 m up to 100G per lane, 1 m beyond.
fn reach_m(arch: Architecture, port: &PortSpec, p: &PowerParams) -> f64 {
    let r = &p.reach_m;
    match arch {
        Architecture::Dac if port.lane_rate_bps() <= 100e9 * (1.0 + 1e-9) => r.dac_100g,
        Architecture::Dac => r.dac_200g,
        Architecture::Acc => r.acc,
        Architecture::Aec => r.aec,
        Architecture::DspPluggable => r.dsp_pluggable,
        Architecture::Lro => r.lro,
        Architecture::Lpo => r.lpo,
        Architecture::Npo => r.npo,
        Architecture::Cpo => r.cpo,
    }
}

/// Evaluates several architectures.
pub fn evaluate_all(archs: &[Architecture], port: &PortSpec, p: &PowerParams) -> Result<Vec<ArchPower>> {
    archs.iter().map(|&a| evaluate(a, port, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn port(rate: f64) -> PortSpec {
        PortSpec::new(rate, 8, Modulation::Pam4).unwrap()
    }

    fn eval(a: Architecture, rate: f64) -> ArchPower {
        evaluate(a, &port(rate), &PowerParams::default()).unwrap()
    }

    #[test]
    fn breakdown_sums_to_total_and_pj_times_rate_is_watts() {
        for rate in [400e9, 800e9, 1.6e12] {
            for a in Architecture::ALL {
                let r = eval(a, rate);
                assert_relative_eq!(r.breakdown.total(), r.watts_per_port, max_relative = 1e-12);
                assert_relative_eq!(r.breakdown_pj_per_bit.total(), r.pj_per_bit, max_relative = 1e-12);
                // pJ/bit × bit rate = watts.
                assert_relative_eq!(r.pj_per_bit * 1e-12 * rate, r.watts_per_port, max_relative = 1e-12);
                assert_relative_eq!(r.module_pj_per_bit * 1e-12 * rate, r.module_watts, max_relative = 1e-12);
                assert_relative_eq!(r.module_watts + r.breakdown.host_serdes, r.watts_per_port, max_relative = 1e-12);
                assert!(r.breakdown.values().iter().all(|&w| w >= 0.0));
            }
        }
    }

    // Published ranges (sources in `docs/references.md`, calibration in `docs/models.md` §10).

    #[test]
    fn dsp_pluggable_800g_is_14_to_17_w() {
        // NVIDIA MMS4X00-NS 16 W typ / 17 W max [P]; Axiom "~14–16 W" [S].
        let r = eval(Architecture::DspPluggable, 800e9);
        assert!((14.0..=17.0).contains(&r.module_watts), "{}", r.module_watts);
        // With a 5 nm DSP: FiberMall/Marvell "about 13–14 W" [S] (allow 12–17 W: Marvell 12 W [S] to
        // NVIDIA 17 W max [P]).
        let mut p = PowerParams::default();
        p.dsp.process_nm = 5;
        let r5 = evaluate(Architecture::DspPluggable, &port(800e9), &p).unwrap();
        assert!((12.0..=14.5).contains(&r5.module_watts), "{}", r5.module_watts);
    }

    #[test]
    fn lpo_800g_is_7_to_10_w_and_about_half_the_dsp_module() {
        // Axiom / journalnewsinfo "~8–9 W" [S]; 7–10 W allowed around them.
        let lpo = eval(Architecture::Lpo, 800e9);
        assert!((7.0..=10.0).contains(&lpo.module_watts), "{}", lpo.module_watts);
        // DSP pluggable → LPO roughly halves module power (Axiom figures: ≈ 20 → ≈ 10 pJ/bit at 800G [S]).
        let dsp = eval(Architecture::DspPluggable, 800e9);
        assert!((0.4..0.65).contains(&(lpo.module_watts / dsp.module_watts)));
    }

    #[test]
    fn lro_aec_acc_and_1t6_land_in_the_expected_ranges() {
        // LRO 10–14 W [est]; AEC per 800G end 4–10 W [est]; ACC 1–2 W [P NVIDIA] (`docs/models.md` §10).
        assert!((10.0..=14.0).contains(&eval(Architecture::Lro, 800e9).module_watts));
        assert!((4.0..=10.0).contains(&eval(Architecture::Aec, 800e9).module_watts));
        assert!((1.0..=2.0).contains(&eval(Architecture::Acc, 800e9).module_watts));
        // 1.6T DSP pluggable 20–30 W (AICPLIGHT 25 W [S]; NVIDIA ~30 W [S]).
        assert!((20.0..=30.0).contains(&eval(Architecture::DspPluggable, 1.6e12).module_watts));
    }

    #[test]
    fn cpo_is_4_to_7_pj_per_bit() {
        // NVIDIA Spectrum-X/Quantum-X Photonics ~9 W per 1.6T port ≈ 5.6 pJ/bit [S]; Broadcom
        // −70 % vs pluggables ≈ 5–6 pJ/bit [S].
        for rate in [800e9, 1.6e12] {
            let r = eval(Architecture::Cpo, rate);
            assert!((4.0..=7.0).contains(&r.pj_per_bit), "{rate}: {}", r.pj_per_bit);
        }
        // NVIDIA and Broadcom: ≈ 3.5× less per bit than the DSP pluggable (system view at 1.6T).
        let ratio = eval(Architecture::DspPluggable, 1.6e12).pj_per_bit / eval(Architecture::Cpo, 1.6e12).pj_per_bit;
        assert!((2.8..=4.5).contains(&ratio), "{ratio}");
    }

    #[test]
    fn passive_dac_is_under_0_2_w_per_end() {
        // NVIDIA LinkX 100G-PAM4 passive DAC "< 0.1 W per end" [P].
        let r = eval(Architecture::Dac, 800e9);
        assert!(r.module_watts < 0.2, "{}", r.module_watts);
        assert_eq!(r.reach_m, 2.0);
        assert_eq!(eval(Architecture::Dac, 1.6e12).reach_m, 1.0);
    }

    /// Lines that differ between two results.
    fn changed(a: &ArchPower, b: &ArchPower) -> Vec<&'static str> {
        let (va, vb) = (a.breakdown.values(), b.breakdown.values());
        Breakdown::NAMES.iter().zip(va.iter().zip(vb)).filter(|(_, (x, y))| **x != *y).map(|(n, _)| *n).collect()
    }

    #[test]
    fn one_parameter_moves_only_its_line() {
        let cases: [(&str, &[&str]); 7] = [
            ("laser.wpe=0.25", &["laser"]),
            ("optics.margin_db=5", &["laser"]),
            ("dsp.process_nm=5", &["dsp"]),
            ("mzm_driver.v_pi_v=4", &["driver"]),
            ("tia.pluggable_pj_per_bit=0.5", &["tia"]),
            ("host_serdes.vsr_pj_per_bit=3", &["host_serdes"]),
            ("module.pluggable_control_watts=1", &["other"]),
        ];
        let base = eval(Architecture::DspPluggable, 800e9);
        for (set, lines) in cases {
            let mut p = PowerParams::default();
            p.set(set).unwrap();
            let r = evaluate(Architecture::DspPluggable, &port(800e9), &p).unwrap();
            assert_eq!(changed(&base, &r), lines.to_vec(), "{set}");
        }
        let base = eval(Architecture::Cpo, 800e9);
        for (set, lines) in [("tuning.range_nm=4", ["tuning"]), ("ring_driver.capacitance_ff=100", ["driver"])] {
            let mut p = PowerParams::default();
            p.set(set).unwrap();
            let r = evaluate(Architecture::Cpo, &port(800e9), &p).unwrap();
            assert_eq!(changed(&base, &r), lines.to_vec(), "{set}");
        }
    }

    #[test]
    fn host_class_is_a_parameter() {
        let mut p = PowerParams::default();
        p.set("host_class.lpo=vsr").unwrap();
        let r = evaluate(Architecture::Lpo, &port(800e9), &p).unwrap();
        let base = eval(Architecture::Lpo, 800e9);
        assert_eq!(r.host_serdes_class, ReachClass::Vsr);
        assert_eq!(changed(&base, &r), ["host_serdes"]);
        assert_relative_eq!(r.breakdown.host_serdes, 8.0 * 2.5e-12 * 106.25e9, max_relative = 1e-12);
    }

    #[test]
    fn laser_line_is_inverse_in_wpe() {
        let base = eval(Architecture::Lpo, 800e9);
        let mut p = PowerParams::default();
        p.laser.wpe = 0.30;
        let r = evaluate(Architecture::Lpo, &port(800e9), &p).unwrap();
        assert_relative_eq!(r.breakdown.laser * 2.0, base.breakdown.laser, max_relative = 1e-12);
    }

    #[test]
    fn cpo_driver_equals_the_closed_form() {
        // 8 lanes × 106.25 Gb/s; ring 50 fF, 1 V PAM4: 5/48·50 fJ = 5.208 fJ/bit; ÷0.5 efficiency,
        // + 2 pJ/bit front end, ×1.1 supply, ÷0.9 conversion.
        let r = eval(Architecture::Cpo, 800e9);
        let rb = 106.25e9;
        let per_lane = (5.0 / 48.0 * 50e-15 * rb / 0.5 + 2.0e-12 * rb) * 1.1 / 0.9;
        assert_relative_eq!(r.breakdown.driver, 8.0 * per_lane, max_relative = 1e-12);
    }

    #[test]
    fn pluggable_mzm_driver_equals_the_hand_computed_value() {
        // V_pp = (2·5.5/π)·asin(0.6) = 2.2532 V; PAM4 into 50 Ω, back-terminated:
        // 2·5·2.2532²/(36·50) = 28.21 mW; ÷0.1 = 0.2821 W; + 1 pJ/bit·106.25 Gb/s = 0.3883 W;
        // ×1.1 supply = 0.4271 W; ÷0.9 conversion = 0.4746 W per lane; 8 lanes = 3.797 W.
        let r = eval(Architecture::Lpo, 800e9);
        assert!((r.breakdown.driver - 3.797).abs() < 0.002, "{}", r.breakdown.driver);
        // NRZ at the same swing: 1/4 instead of 5/36 of V²/R in the load.
        let nrz =
            evaluate(Architecture::Lpo, &PortSpec::new(800e9, 8, Modulation::Nrz).unwrap(), &PowerParams::default());
        let load_nrz = 2.0 * 0.25 * 2.2532f64.powi(2) / 50.0;
        let expected = 8.0 * (load_nrz / 0.1 + 0.10625) * 1.1 / 0.9;
        assert!((nrz.unwrap().breakdown.driver - expected).abs() < 0.003);
    }

    #[test]
    fn parses_names_and_rejects_unknown() {
        assert_eq!(Architecture::parse("DSP-Pluggable").unwrap(), Architecture::DspPluggable);
        assert_eq!(Architecture::parse("dsp").unwrap(), Architecture::DspPluggable);
        let e = Architecture::parse("vcsel").unwrap_err().to_string();
        assert!(e.contains("invalid architecture = 'vcsel'") && e.contains("cpo"), "{e}");
        assert!(PortSpec::new(-800e9, 8, Modulation::Pam4).is_err());
        assert!(PortSpec::new(800e9, 0, Modulation::Pam4).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// For any port and plausible parameters: lines are non-negative, sum to the total, and
        /// pJ/bit × rate = watts.
        #[test]
        fn invariants_hold_for_any_port(
            lane_gbps in 10f64..400.0, lanes in 1u32..17, nrz in proptest::bool::ANY,
            wpe in 0.05f64..0.6, node in 0usize..6, depth in 0.1f64..1.0, arch in 0usize..8,
        ) {
            let modulation = if nrz { Modulation::Nrz } else { Modulation::Pam4 };
            let port = PortSpec::new(lane_gbps * 1e9 * lanes as f64, lanes, modulation).unwrap();
            let mut p = PowerParams::default();
            p.laser.wpe = wpe;
            p.dsp.process_nm = crate::power::blocks::PROCESS_NODES_NM[node];
            p.mzm_driver.modulation_depth = depth;
            p.ring_driver.modulation_depth = depth;
            let r = evaluate(Architecture::ALL[arch], &port, &p).unwrap();
            proptest::prop_assert!(r.breakdown.values().iter().all(|&w| w >= 0.0 && w.is_finite()));
            proptest::prop_assert!((r.breakdown.total() - r.watts_per_port).abs() <= 1e-12 * r.watts_per_port);
            proptest::prop_assert!((r.pj_per_bit * 1e-12 * port.rate_bps - r.watts_per_port).abs() <= 1e-9 * r.watts_per_port);
            proptest::prop_assert!((r.watts_per_lane * lanes as f64 - r.watts_per_port).abs() <= 1e-9 * r.watts_per_port);
        }
    }
}
