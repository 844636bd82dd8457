//! Energy models of the building blocks: modulator drivers, ring tuning, lasers, TIAs, host SerDes,
//! DSPs and retimers. Each function states its equation and source; inputs are SI (F, V, Ω, W,
//! b/s, Bd) and outputs are watts per lane unless the name says otherwise.
//!
//! Clock and data recovery has no block of its own: it sits inside the DSP (DSP pluggable), the
//! retimer channel (AEC ends, LRO transmitters; the Point2 retimer figure includes it) or the host
//! SerDes (linear and passive links), and is counted there.

use crate::signal::Modulation;
use crate::units::Dbm;
use serde::{Deserialize, Serialize};

/// Switching energy per bit of a lumped capacitive load (ring, EAM) driven rail to rail, as a
/// fraction of `C·V²`.
///
/// * NRZ: random data charges C on ¼ of the bits (0→1 transitions), **`E_bit = C·V²/4`**
///   (Miller, Opt. Express 2012 \[P\]).
/// * PAM4, uniform levels, full swing V from one rail: a rising step of Δ (fraction of the swing)
///   draws `C·V²·Δ` from the rail; the mean rising step over the 16 equiprobable level pairs is
///   5/24 per symbol, so **`E_bit = (5/48)·C·V²`** per bit \[D\].
pub fn lumped_energy_factor(modulation: Modulation) -> f64 {
    match modulation {
        Modulation::Nrz => 0.25,
        Modulation::Pam4 => 5.0 / 48.0,
    }
}

/// Energy per bit, J, of charging a lumped modulator of capacitance `capacitance_f` with swing
/// `swing_v`: `E_bit = k·C·V²`, k from [`lumped_energy_factor`] (50 fF, 1 V, NRZ → 12.5 fJ/bit).
pub fn lumped_energy_per_bit_j(capacitance_f: f64, swing_v: f64, modulation: Modulation) -> f64 {
    lumped_energy_factor(modulation) * capacitance_f * swing_v * swing_v
}

/// Mean power, as a fraction of `V_pp²/R`, that a random signal of peak-to-peak swing `V_pp`
/// dissipates in a matched termination R (traveling-wave MZM load).
///
/// * NRZ: ±V_pp/2 all the time, **`V_pp²/(4R)`**.
/// * PAM4, equiprobable levels ±V_pp/2, ±V_pp/6: mean square `(V_pp²/4 + V_pp²/36)/2 = 5·V_pp²/36`,
///   **`P = 5·V_pp²/(36R)`** (\[D\]; 2 V, 50 Ω → 20 mW NRZ, 11.1 mW PAM4).
pub fn termination_power_factor(modulation: Modulation) -> f64 {
    match modulation {
        Modulation::Nrz => 0.25,
        Modulation::Pam4 => 5.0 / 36.0,
    }
}

/// Power, W, dissipated by a drive of peak-to-peak `swing_v` in the termination `termination_ohm`,
/// doubled when the driver is back-terminated (the source resistor burns as much as the load):
/// `P = k·V_pp²/R·(1 + back_terminated)`, k from [`termination_power_factor`].
pub fn termination_power_w(swing_v: f64, termination_ohm: f64, back_terminated: bool, modulation: Modulation) -> f64 {
    let load = termination_power_factor(modulation) * swing_v * swing_v / termination_ohm;
    if back_terminated { 2.0 * load } else { load }
}

/// Drive swing V_pp a Mach–Zehnder modulator needs for a modulation depth `OMA/P_max`.
///
/// Large signal at quadrature, `OMA = P_max·sin(π·V_pp/(2·V_π))` (\[D\], `docs/models.md` §4, infinite
/// extinction), so **`V_pp = (2·V_π/π)·asin(OMA/P_max)`**. `depth` must be in (0, 1].
pub fn mzm_swing_v(v_pi: f64, depth: f64) -> f64 {
    2.0 * v_pi / std::f64::consts::PI * depth.asin()
}

/// Supply power of a driver stage from the power it delivers to its load.
///
/// `P_supply = (P_load/η + E_front·R_b)·(1 + overhead)`: `η` is the output-stage efficiency (load
/// power over stage supply power), `E_front` the energy per bit of the linear input stage (CTLE,
/// VGA, pre-drivers), `overhead` the regulator/supply loss of the driver rail as a fraction.
pub fn driver_supply_w(
    load_w: f64,
    efficiency: f64,
    front_end_j_per_bit: f64,
    bit_rate_bps: f64,
    overhead: f64,
) -> f64 {
    (load_w / efficiency + front_end_j_per_bit * bit_rate_bps) * (1.0 + overhead)
}

/// Heater power per ring, W, to hold a resonance shifted by `tuning_range_m` with a heater of
/// efficiency `m_per_w` (resonance shift per heater watt): **`P = Δλ/(dλ/dP)`** (linear thermal
/// tuning; the heater is often the largest ring term \[S-low\]).
pub fn heater_power_w(tuning_range_m: f64, m_per_w: f64) -> f64 {
    tuning_range_m / m_per_w
}

/// Optical power per lane a transmitter's laser must deliver, from the receiver back.
///
/// **`P_laser = S_rx,OMA + L_channel + M + L_tx − 10·log10(depth)`** (dBm): receiver sensitivity
/// (OMA) plus channel loss plus margin gives the OMA at the Tx output; `L_tx` is the optical loss
/// from laser to fibre (couplers, modulator insertion loss, connectors); dividing by the modulation
/// depth `OMA/P_max` converts OMA to the CW power in the modulator.
pub fn laser_power_per_lane(
    rx_sensitivity: Dbm,
    channel_loss_db: f64,
    margin_db: f64,
    tx_loss_db: f64,
    depth: f64,
) -> Dbm {
    Dbm(rx_sensitivity.0 + channel_loss_db + margin_db + tx_loss_db - 10.0 * depth.log10())
}

/// Lasers and their electrical power for `lanes` lanes fed `lanes_per_laser` at a time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LaserPlan {
    /// Number of lasers (ceil of lanes / lanes per laser).
    pub lasers: u32,
    /// Optical output of each laser, dBm (compare with the ELSFP classes, 11–26 dBm per fibre).
    pub power_per_laser_dbm: f64,
    /// Total optical output, W.
    pub optical_watts: f64,
    /// Electrical input, W: `P_opt/η_WPE`.
    pub electrical_watts: f64,
}

/// Laser electrical power, **`P_elec = P_opt/η_WPE`** (wall-plug efficiency, RP Photonics \[S\]), for `lanes` lanes of
/// `per_lane` optical power each, shared `lanes_per_laser` to a laser through a splitter with
/// `split_excess_db` excess loss (external laser source sharing: fewer, brighter lasers; the
/// total optical power only grows by the excess loss).
pub fn laser_plan(per_lane: Dbm, lanes: u32, lanes_per_laser: u32, split_excess_db: f64, wpe: f64) -> LaserPlan {
    let sharing = lanes_per_laser.clamp(1, lanes.max(1));
    let lasers = lanes.div_ceil(sharing);
    let excess = if sharing > 1 { split_excess_db } else { 0.0 };
    let per_laser = Dbm(per_lane.0 + 10.0 * (sharing as f64).log10() + excess);
    let optical_watts = lasers as f64 * per_laser.to_watts();
    LaserPlan { lasers, power_per_laser_dbm: per_laser.0, optical_watts, electrical_watts: optical_watts / wpe }
}

/// Electrical reach class of a host SerDes (OIF CEI naming; the classes in `docs/references.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReachClass {
    /// Extra-short reach: die to die or die to optical engine, ≤ 50 mm (CPO).
    Xsr,
    /// Very-short reach: host to module, ≈ 16 dB (pluggables, retimed cables).
    Vsr,
    /// Medium reach: ≤ 500 mm PCB and a connector, ≈ 20 dB.
    Mr,
    /// Long reach: backplanes and passive cables, ≈ 28 dB.
    Lr,
}

impl ReachClass {
    /// Upper-case name (`XSR`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ReachClass::Xsr => "XSR",
            ReachClass::Vsr => "VSR",
            ReachClass::Mr => "MR",
            ReachClass::Lr => "LR",
        }
    }
}

/// Power of one serial lane at a constant energy per bit: **`P = E_bit·R_b`** (host SerDes per
/// reach class, TIAs, retimers; the pJ/bit figures of the papers and datasheets in `docs/references.md`).
pub fn lane_power_w(pj_per_bit: f64, bit_rate_bps: f64) -> f64 {
    pj_per_bit * 1e-12 * bit_rate_bps
}

/// Process nodes the DSP model knows, newest first; one index step is one node step.
pub const PROCESS_NODES_NM: [u32; 6] = [3, 5, 7, 12, 16, 28];

/// Power scale of a process node relative to 5 nm: `factor^(steps from 5 nm)`, where `factor` is
/// the power ratio per node step (×0.7–0.8 \[est\], `docs/models.md` §10). `None` for an unknown node.
pub fn node_scale(process_nm: u32, factor_per_step: f64) -> Option<f64> {
    let index = PROCESS_NODES_NM.iter().position(|&n| n == process_nm)?;
    const REFERENCE_INDEX: i32 = 1; // 5 nm
    Some(factor_per_step.powi(REFERENCE_INDEX - index as i32))
}

/// DSP power per lane, W: **`P = s_node·(E_core·R_b + N_taps·E_tap·R_s)`**.
///
/// `E_core` is the energy per bit of everything but the equalizer taps (ADC/DAC, clocking, FEC
/// interface, host-side SerDes of the DSP) and `E_tap` the energy of one FFE/DFE tap per symbol,
/// both at 5 nm; `s_node` scales to other nodes ([`node_scale`]). Calibrated so the default lane
/// (100G, 5 nm) draws 0.6 W, inside 0.5–0.75 W per lane estimated from module power shares
/// (\[est\], `docs/models.md` §10).
pub fn dsp_lane_power_w(
    core_pj_per_bit: f64,
    taps: u32,
    tap_pj_per_symbol: f64,
    bit_rate_bps: f64,
    baud: f64,
    scale: f64,
) -> f64 {
    scale * (core_pj_per_bit * 1e-12 * bit_rate_bps + taps as f64 * tap_pj_per_symbol * 1e-12 * baud)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn lumped_driver_matches_closed_forms() {
        // 50 fF at 1 V NRZ: C·V²/4 = 12.5 fJ/bit, 1.25 mW at 100 Gb/s (Miller 2012).
        let e = lumped_energy_per_bit_j(50e-15, 1.0, Modulation::Nrz);
        assert_relative_eq!(e, 12.5e-15, max_relative = 1e-12);
        assert_relative_eq!(e * 100e9, 1.25e-3, max_relative = 1e-12);
        // 20 fF at 1 V: 5 fJ NRZ, 5/48·20 fJ = 2.0833 fJ PAM4.
        assert_relative_eq!(lumped_energy_per_bit_j(20e-15, 1.0, Modulation::Nrz), 5e-15, max_relative = 1e-12);
        assert_relative_eq!(lumped_energy_per_bit_j(20e-15, 1.0, Modulation::Pam4), 2.083_333e-15, max_relative = 1e-6);
        // Quadratic in swing: 2 V quadruples.
        assert_relative_eq!(lumped_energy_per_bit_j(20e-15, 2.0, Modulation::Pam4), 8.333_333e-15, max_relative = 1e-6);
    }

    #[test]
    fn pam4_lumped_factor_is_the_level_transition_average() {
        // A rising step a→b (fractions of the swing) draws C·V·(b−a)·V from the full-swing rail;
        // falling steps draw nothing. Mean over the 16 equiprobable PAM4 pairs, per bit.
        let levels: [f64; 4] = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];
        let rising: f64 = levels.iter().flat_map(|a| levels.iter().map(move |b| (b - a).max(0.0))).sum();
        assert_relative_eq!(rising / 16.0 / 2.0, lumped_energy_factor(Modulation::Pam4), max_relative = 1e-12);
        let nrz: f64 = [0.0, 1.0f64].iter().flat_map(|a| [0.0, 1.0f64].map(|b| (b - a).max(0.0))).sum();
        assert_relative_eq!(nrz / 4.0, lumped_energy_factor(Modulation::Nrz), max_relative = 1e-12);
    }

    #[test]
    fn traveling_wave_driver_matches_closed_forms() {
        // 2 Vpp into 50 Ω: NRZ 4/(4·50) = 20 mW; PAM4 5·4/(36·50) = 11.11 mW (derived, `docs/models.md` §10).
        assert_relative_eq!(termination_power_w(2.0, 50.0, false, Modulation::Nrz), 0.020, max_relative = 1e-12);
        assert_relative_eq!(termination_power_w(2.0, 50.0, false, Modulation::Pam4), 0.011_111_1, max_relative = 1e-6);
        // 1 and 3 Vpp NRZ: 5 and 45 mW; back termination doubles.
        assert_relative_eq!(termination_power_w(1.0, 50.0, false, Modulation::Nrz), 0.005, max_relative = 1e-12);
        assert_relative_eq!(termination_power_w(3.0, 50.0, true, Modulation::Nrz), 0.090, max_relative = 1e-12);
        // PAM4 mean square of ±1/2, ±1/6 levels: (1/4 + 1/36)/2 = 5/36.
        assert_relative_eq!(
            ((0.25 + 1.0 / 36.0) / 2.0),
            termination_power_factor(Modulation::Pam4),
            max_relative = 1e-12
        );
    }

    #[test]
    fn mzm_swing_inverts_the_sine_transfer() {
        // Full depth needs V_pp = V_π; depth sin(π/6) = 0.5 needs V_π/3.
        assert_relative_eq!(mzm_swing_v(4.0, 1.0), 4.0, max_relative = 1e-12);
        assert_relative_eq!(mzm_swing_v(6.0, 0.5), 2.0, max_relative = 1e-12);
        let v = mzm_swing_v(5.5, 0.6);
        assert_relative_eq!((std::f64::consts::PI * v / (2.0 * 5.5)).sin(), 0.6, max_relative = 1e-12);
    }

    #[test]
    fn driver_supply_and_heater_and_lane_power() {
        // 20 mW load at 10 % efficiency + 1 pJ/bit front end at 100 Gb/s, 10 % overhead:
        // (0.2 + 0.1)·1.1 = 0.33 W.
        assert_relative_eq!(driver_supply_w(0.02, 0.1, 1e-12, 100e9, 0.1), 0.33, max_relative = 1e-12);
        // 2 nm at 0.25 nm/mW → 8 mW.
        assert_relative_eq!(heater_power_w(2e-9, 0.25e-9 / 1e-3), 8e-3, max_relative = 1e-12);
        assert_relative_eq!(lane_power_w(0.96, 112e9), 0.107_52, max_relative = 1e-12);
    }

    #[test]
    fn laser_budget_and_sharing() {
        // −4.4 + 3 + 3.5 + 9 dB, depth 0.5 (+3.01 dB) → 14.11 dBm.
        let p = laser_power_per_lane(Dbm(-4.4), 3.0, 3.5, 9.0, 0.5);
        assert_relative_eq!(p.0, 11.1 + 10.0 * 2f64.log10(), max_relative = 1e-12);
        // 8 lanes of 10 dBm, one laser each at 20 % WPE: 80 mW optical, 0.4 W electrical.
        let solo = laser_plan(Dbm(10.0), 8, 1, 1.0, 0.2);
        assert_eq!(solo.lasers, 8);
        assert_relative_eq!(solo.optical_watts, 0.08, max_relative = 1e-12);
        assert_relative_eq!(solo.electrical_watts, 0.4, max_relative = 1e-12);
        // Shared 8 to 1 with 1 dB excess: one laser at 10 + 9.03 + 1 dBm, total grows by 1 dB.
        let els = laser_plan(Dbm(10.0), 8, 8, 1.0, 0.2);
        assert_eq!(els.lasers, 1);
        assert_relative_eq!(els.optical_watts, 0.08 * 10f64.powf(0.1), max_relative = 1e-12);
        assert_relative_eq!(els.power_per_laser_dbm, 10.0 + 10.0 * 8f64.log10() + 1.0, max_relative = 1e-12);
        // 8 lanes shared 3 to a laser: 3 lasers.
        assert_eq!(laser_plan(Dbm(10.0), 8, 3, 0.0, 0.2).lasers, 3);
    }

    #[test]
    fn dsp_scales_with_node_and_taps() {
        assert_eq!(node_scale(5, 0.75), Some(1.0));
        assert_relative_eq!(node_scale(7, 0.75).unwrap(), 1.0 / 0.75, max_relative = 1e-12);
        assert_relative_eq!(node_scale(3, 0.75).unwrap(), 0.75, max_relative = 1e-12);
        assert_eq!(node_scale(6, 0.75), None);
        // 4.85 pJ/bit · 106.25 Gb/s + 16 taps · 0.1 pJ · 53.125 GBd = 0.5153 + 0.085 = 0.6003 W.
        let p = dsp_lane_power_w(4.85, 16, 0.1, 106.25e9, 53.125e9, 1.0);
        assert_relative_eq!(p, 0.515_312_5 + 0.085, max_relative = 1e-12);
    }
}
