//! Every parameter of the power models, with its default, its source and its valid range.
//!
//! Each default names its original source and quality tag (full references in `docs/references.md`,
//! calibration notes in `docs/models.md` §10); "\[est\]" marks an estimate where nothing is
//! published (a tunable parameter, never a constant). A TOML file with the same sections overrides
//! any subset (`deny_unknown_fields`), `--set section.field=value` overrides single values, and
//! [`PowerParams::validate`] range-checks everything, naming the file or flag, the field, the
//! value and the range.

use super::blocks::ReachClass;
use crate::channel::LENGTH_M;
use crate::error::{Error, Result, check_range};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Energy per bit of a host SerDes lane (Tx + Rx) by electrical reach class, pJ/bit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HostSerdes {
    /// XSR (die to optical engine, ≤ 50 mm): 1.0 pJ/bit; Gangasani et al., IEEE SSC-L 2025,
    /// 113G PAM4 XSR in 5 nm < 1.1 pJ/b \[P\].
    pub xsr_pj_per_bit: f64,
    /// VSR (host to module, ≈ 16 dB): 2.5 pJ/bit \[est\], between XSR and MR (no public 100G+
    /// figure was found).
    pub vsr_pj_per_bit: f64,
    /// MR (≈ 20 dB): 4.0 pJ/bit \[est\], interpolated between VSR and LR.
    pub mr_pj_per_bit: f64,
    /// LR (≈ 28 dB, passive copper and linear optics): 6.0 pJ/bit; Ayar Labs "6–10 pJ/b"
    /// for 112G LR electrical I/O (vendor claim \[P\]), low end.
    pub lr_pj_per_bit: f64,
}

impl Default for HostSerdes {
    fn default() -> Self {
        HostSerdes { xsr_pj_per_bit: 1.0, vsr_pj_per_bit: 2.5, mr_pj_per_bit: 4.0, lr_pj_per_bit: 6.0 }
    }
}

/// Reach class of the host SerDes that drives each architecture (`xsr`, `vsr`, `mr`, `lr`).
/// Defaults: [`super::Architecture::default_host_class`] (the channel the host must drive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HostClass {
    /// Passive DAC: `lr`.
    pub dac: ReachClass,
    /// Linear ACC: `lr`.
    pub acc: ReachClass,
    /// AEC: `vsr`.
    pub aec: ReachClass,
    /// DSP pluggable: `vsr`.
    pub dsp_pluggable: ReachClass,
    /// LRO: `mr`.
    pub lro: ReachClass,
    /// LPO: `lr`.
    pub lpo: ReachClass,
    /// NPO: `vsr`.
    pub npo: ReachClass,
    /// CPO: `xsr`.
    pub cpo: ReachClass,
}

impl Default for HostClass {
    fn default() -> Self {
        use super::Architecture as A;
        HostClass {
            dac: A::Dac.default_host_class(),
            acc: A::Acc.default_host_class(),
            aec: A::Aec.default_host_class(),
            dsp_pluggable: A::DspPluggable.default_host_class(),
            lro: A::Lro.default_host_class(),
            lpo: A::Lpo.default_host_class(),
            npo: A::Npo.default_host_class(),
            cpo: A::Cpo.default_host_class(),
        }
    }
}

impl HostClass {
    /// The class configured for `arch`.
    pub fn of(&self, arch: super::Architecture) -> ReachClass {
        use super::Architecture as A;
        match arch {
            A::Dac => self.dac,
            A::Acc => self.acc,
            A::Aec => self.aec,
            A::DspPluggable => self.dsp_pluggable,
            A::Lro => self.lro,
            A::Lpo => self.lpo,
            A::Npo => self.npo,
            A::Cpo => self.cpo,
        }
    }
}

/// The PAM4 DSP of a pluggable module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Dsp {
    /// Process node, nm: 7 (the generation of the 16 W NVIDIA 800G parts; FiberMall reports the Marvell
    /// 400G DSP at 7 nm and the 5 nm 800G DSP as the next step) \[est\].
    pub process_nm: u32,
    /// Energy per bit of everything but the equalizer taps at 5 nm: 4.85 pJ/bit \[calc\], chosen so a
    /// 100G lane with the default taps draws 0.6 W (DSP per 100G lane at 5 nm,
    /// 0.5–0.75 W \[est\] from module power shares, `docs/models.md` §10).
    pub core_pj_per_bit_5nm: f64,
    /// FFE taps per lane: 15 \[est\] (a typical line-side receive FFE).
    pub ffe_taps: u32,
    /// DFE taps per lane: 1 \[est\].
    pub dfe_taps: u32,
    /// Energy of one tap per symbol at 5 nm: 0.1 pJ \[est\] (16 taps at 53 GBd ≈ 85 mW per lane).
    pub tap_pj_per_symbol_5nm: f64,
    /// Power ratio per node step: 0.75; ×0.7–0.8 per node step \[est\].
    pub node_step_factor: f64,
}

impl Default for Dsp {
    fn default() -> Self {
        Dsp {
            process_nm: 7,
            core_pj_per_bit_5nm: 4.85,
            ffe_taps: 15,
            dfe_taps: 1,
            tap_pj_per_symbol_5nm: 0.1,
            node_step_factor: 0.75,
        }
    }
}

/// A retimer channel (CDR + FFE + output driver, one direction): AEC cable ends, LRO transmitters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retimer {
    /// 3.35 pJ/bit per unidirectional channel; Point2 P1B121 112G retimer, 8 channels,
    /// 3 W (Electronic Design \[S\]): 3 W / 8 / 112 Gb/s \[calc\].
    pub pj_per_bit: f64,
}

impl Default for Retimer {
    fn default() -> Self {
        Retimer { pj_per_bit: 3.35 }
    }
}

/// Traveling-wave MZM driver of the pluggable modules (DSP, LPO, LRO).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MzmDriver {
    /// RF half-wave voltage at speed: 5.5 V \[est\] from Si depletion V_π·L 1.5–3 V·cm at ≈ 3 mm
    /// (\[S\]; V_π rises with frequency, Sutili JLT 2016 \[P\]).
    pub v_pi_v: f64,
    /// Target modulation depth OMA/P_max: 0.6 \[est\]; sets the swing (and the laser power).
    pub modulation_depth: f64,
    /// Termination resistance: 50 Ω.
    pub termination_ohm: f64,
    /// Back-terminated driver (doubles the dissipation): true.
    pub back_terminated: bool,
    /// Output-stage efficiency, load power / stage supply power: 0.1 \[calc\]: a class-A linear
    /// stage from 3.3 V with tail current ≈ 2·V_pp/50 Ω draws ≈ 0.3 W for ≈ 28 mW in the
    /// terminations (the supply draws several times the load power, `docs/models.md` §10).
    pub efficiency: f64,
    /// Linear input stage (CTLE/VGA/pre-driver) per bit: 1.0 pJ/bit \[est\].
    pub front_end_pj_per_bit: f64,
    /// Supply/regulator overhead of the driver rail, fraction: 0.1 \[est\].
    pub supply_overhead: f64,
}

impl Default for MzmDriver {
    fn default() -> Self {
        MzmDriver {
            v_pi_v: 5.5,
            modulation_depth: 0.6,
            termination_ohm: 50.0,
            back_terminated: true,
            efficiency: 0.1,
            front_end_pj_per_bit: 1.0,
            supply_overhead: 0.1,
        }
    }
}

/// Lumped microring driver of the co-packaged and near-packaged engines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RingDriver {
    /// Load capacitance (ring + pad): 50 fF, range 10–100 fF (Miller
    /// model; Dubé-Demers et al., Optica 2016: < 7 fJ/bit \[P\]).
    pub capacitance_ff: f64,
    /// Drive swing: 1 V (Miller model).
    pub swing_v: f64,
    /// Modulation depth OMA/P_max of the ring: 0.5 \[est\]; sets the laser power.
    pub modulation_depth: f64,
    /// Output-stage efficiency: 0.5 \[est\] (the C·V² forms are the supply energy of an ideal
    /// CMOS stage; pre-driver taper and clocking roughly double it).
    pub efficiency: f64,
    /// Linear electrical front end of the engine's driver IC (receives the host's XSR signal:
    /// CTLE/VGA, pre-drivers): 2.0 pJ/bit \[est\]; no public per-block figure was found: set so a
    /// 1.6T CPO port lands near NVIDIA's ~9 W per port and 3.5× gain over pluggables \[S\].
    pub front_end_pj_per_bit: f64,
    /// Supply/regulator overhead of the driver rail, fraction: 0.1 \[est\].
    pub supply_overhead: f64,
}

impl Default for RingDriver {
    fn default() -> Self {
        RingDriver {
            capacitance_ff: 50.0,
            swing_v: 1.0,
            modulation_depth: 0.5,
            efficiency: 0.5,
            front_end_pj_per_bit: 2.0,
            supply_overhead: 0.1,
        }
    }
}

/// Thermal tuning of the microrings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tuning {
    /// Rings per lane: 1 (the Tx modulator of a parallel-fibre DR-type engine; add the Rx filter
    /// rings of a WDM engine).
    pub rings_per_lane: u32,
    /// Mean resonance shift the heater holds: 2 nm \[est\] (fabrication + temperature spread).
    pub range_nm: f64,
    /// Heater efficiency: 0.25 nm/mW \[est\] (doped-Si heaters; undercut heaters do better).
    pub heater_nm_per_mw: f64,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning { rings_per_lane: 1, range_nm: 2.0, heater_nm_per_mw: 0.25 }
    }
}

/// The optical budget the laser must close, per lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Optics {
    /// Receiver sensitivity OMA_outer: −5.3 dBm = SRS − SECQ of 400GBASE-DR4 (−1.9 − 3.4), the
    /// reference the 3.5 dB allocation for penalties is defined against (IEEE 802.3bs-2017 Tables 124-6/124-7 \[P\],
    /// `docs/models.md` §9); with it the launch OMA is the standard's 1.2 dBm at TDECQ_max.
    pub rx_sensitivity_oma_dbm: f64,
    /// Channel insertion loss: 3.0 dB; DR4 500 m channel (IEEE 802.3bs-2017 clause 124, recalled-unverified).
    pub channel_loss_db: f64,
    /// Margin for penalties: 3.5 dB; DR4 allocation for penalties (from IEEE 802.3bs-2017 Tables 124-6/124-7 \[calc\]).
    pub margin_db: f64,
    /// Laser-to-fibre loss of a pluggable SiPh MZM transmitter (couplers, MZM insertion loss):
    /// 9 dB \[est\].
    pub pluggable_tx_loss_db: f64,
    /// Laser-to-fibre loss of a ring engine fed by an external laser source (ELS connector, PM
    /// fibre, couplers, ring insertion loss): 6 dB \[est\].
    pub engine_tx_loss_db: f64,
}

impl Default for Optics {
    fn default() -> Self {
        Optics {
            rx_sensitivity_oma_dbm: -5.3,
            channel_loss_db: 3.0,
            margin_db: 3.5,
            pluggable_tx_loss_db: 9.0,
            engine_tx_loss_db: 6.0,
        }
    }
}

/// Lasers and their sharing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Laser {
    /// Wall-plug efficiency at module level incl. TEC and drivers: 0.15; 10–25 % \[est\] (no WPE was
    /// found for a 1310 nm DFB external laser source).
    pub wpe: f64,
    /// Lanes fed by one laser in a pluggable: 4 \[est\] (a SiPh DR4 half of a twin-port module).
    pub pluggable_lanes_per_laser: u32,
    /// Lanes fed by one external-laser-source laser: 16 \[est\] (NVIDIA CPO uses 25 % of the
    /// pluggable's lasers \[S\]: 4× the sharing of the pluggable default); capped at the
    /// port's lane count.
    pub els_lanes_per_laser: u32,
    /// Excess loss of the laser splitter beyond the ideal 1:N split: 1.0 dB \[est\].
    pub split_excess_db: f64,
}

impl Default for Laser {
    fn default() -> Self {
        Laser { wpe: 0.15, pluggable_lanes_per_laser: 4, els_lanes_per_laser: 16, split_excess_db: 1.0 }
    }
}

/// Transimpedance amplifiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tia {
    /// Pluggable linear PAM4 TIA: 0.96 pJ/bit; "A 112 Gb/s PAM4 linear TIA with 0.96 pJ/bit" (28 nm, 2018),
    /// 107 mW at 112 Gb/s \[P\].
    pub pluggable_pj_per_bit: f64,
    /// Co-packaged TIA with co-packaged PD: 0.42 pJ/bit; Patel, Sharif-Bakhtiar, Chan
    /// Carusone, JSSC 2022, 47 mW at 112 Gb/s \[P\].
    pub copackaged_pj_per_bit: f64,
}

impl Default for Tia {
    fn default() -> Self {
        Tia { pluggable_pj_per_bit: 0.96, copackaged_pj_per_bit: 0.42 }
    }
}

/// Module (or engine) housekeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Module {
    /// Fixed power of a pluggable module: MCU, CMIS management, monitoring, TEC control: 2.0 W
    /// \[est\]; no public split was found; set so the LPO default lands at 8–9 W (Axiom,
    /// journalnewsinfo \[S\]). Everything else in the DSP and LRO totals is bottom-up.
    pub pluggable_control_watts: f64,
    /// Fixed power per port of a co-packaged or near-packaged engine (control, monitoring):
    /// 0.25 W \[est\].
    pub engine_control_watts: f64,
    /// Efficiency of the module's DC-DC conversion: 0.9 \[est\] (typical point-of-load converters).
    pub conversion_efficiency: f64,
}

impl Default for Module {
    fn default() -> Self {
        Module { pluggable_control_watts: 2.0, engine_control_watts: 0.25, conversion_efficiency: 0.9 }
    }
}

/// Copper cable ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cable {
    /// Management (EEPROM, CMIS) per cable end: 0.1 W; NVIDIA LinkX passive DAC
    /// "< 0.1 W per end" \[P\].
    pub management_watts: f64,
    /// Linear redriver per unidirectional channel: 0.82 pJ/bit \[calc\]: NVIDIA LinkX ACC 1.5 W per
    /// 800G end \[P\] less 0.1 W management, over 16 channels of 106.25 Gb/s.
    pub redriver_pj_per_bit: f64,
}

impl Default for Cable {
    fn default() -> Self {
        Cable { management_watts: 0.1, redriver_pj_per_bit: 0.82 }
    }
}

/// Published reach of each architecture, m.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReachM {
    /// Passive DAC at ≤ 100G per lane: 2 m; NVIDIA 30 AWG / straight 800G 0.5–2 m \[P\].
    pub dac_100g: f64,
    /// Passive DAC at 200G per lane: 1 m; P802.3dj objective \[U\] (NVIDIA offers none \[P\]).
    pub dac_200g: f64,
    /// Linear ACC: 5 m; NVIDIA LinkX LACC \[P\].
    pub acc: f64,
    /// Retimed AEC: 7 m; Credo / industry \[S\].
    pub aec: f64,
    /// DSP pluggable: 2000 m; "100 m–2 km by SKU" (NVIDIA MMS4X00 \[P\]), the DR8-2/FR reach.
    pub dsp_pluggable: f64,
    /// LPO: 500 m; 100G-DR-LPO ≤ 500 m (LPO MSA \[P\] arch.).
    pub lpo: f64,
    /// LRO: 500 m; DR optics \[est\].
    pub lro: f64,
    /// NPO: 500 m \[est\] (DR optics).
    pub npo: f64,
    /// CPO: 500 m; DR (SMF) for NVIDIA/Broadcom CPO \[S\].
    pub cpo: f64,
}

impl Default for ReachM {
    fn default() -> Self {
        ReachM {
            dac_100g: 2.0,
            dac_200g: 1.0,
            acc: 5.0,
            aec: 7.0,
            dsp_pluggable: 2000.0,
            lpo: 500.0,
            lro: 500.0,
            npo: 500.0,
            cpo: 500.0,
        }
    }
}

/// The port's framing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Port {
    /// Line rate over data rate: 1.0625 (RS(544,514) + transcoding: 106.25 Gb/s per 100G lane,
    /// IEEE 802.3ck/df).
    pub line_rate_factor: f64,
}

impl Default for Port {
    fn default() -> Self {
        Port { line_rate_factor: 1.0625 }
    }
}

/// Cluster topology.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cluster {
    /// Fraction of each accelerator's bandwidth carried on copper inside the rack (scale-up):
    /// 0.5 \[est\].
    pub copper_fraction: f64,
    /// Optical link tiers the rest crosses (accelerator→leaf→spine: 2) \[est\].
    pub optical_tiers: u32,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster { copper_fraction: 0.5, optical_tiers: 2 }
    }
}

/// All parameters of the power models. `Default` is the documented set of published values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PowerParams {
    /// Host SerDes energy by reach class.
    pub host_serdes: HostSerdes,
    /// Host SerDes reach class per architecture.
    pub host_class: HostClass,
    /// Pluggable DSP.
    pub dsp: Dsp,
    /// Retimer channel.
    pub retimer: Retimer,
    /// Traveling-wave MZM driver (pluggables).
    pub mzm_driver: MzmDriver,
    /// Lumped ring driver (engines).
    pub ring_driver: RingDriver,
    /// Ring thermal tuning.
    pub tuning: Tuning,
    /// Optical budget.
    pub optics: Optics,
    /// Lasers.
    pub laser: Laser,
    /// TIAs.
    pub tia: Tia,
    /// Module housekeeping.
    pub module: Module,
    /// Copper cable ends.
    pub cable: Cable,
    /// Reach per architecture.
    pub reach_m: ReachM,
    /// Port framing.
    pub port: Port,
    /// Cluster topology.
    pub cluster: Cluster,
}

/// Where the parameters came from, for error messages: the keys set on the command line (a
/// value from a file is placed at its line by [`PowerParams::resolve`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    /// Keys set on the command line (`section.field`).
    pub overridden: Vec<String>,
}

impl Origin {
    /// How to name `key` in an error: `--set key` or `key`.
    pub fn label(&self, key: &str) -> String {
        if self.overridden.iter().any(|k| k == key) { format!("--set {key}") } else { key.to_string() }
    }
}

/// Largest energy per bit any block may have, pJ/bit.
const MAX_PJ_PER_BIT: f64 = 1000.0;

impl PowerParams {
    /// Reads a TOML file over the defaults (unknown sections or fields are errors).
    pub fn from_toml_file(path: &Path) -> Result<PowerParams> {
        let text = crate::input::read_toml_text(path)?;
        Self::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses TOML text over the defaults; `file` names it in errors (with the line).
    pub fn from_toml_str(text: &str, file: &str) -> Result<PowerParams> {
        crate::error::parse_toml(text, file)
    }

    /// The parameters in force: the defaults, then the TOML `file` (if any), then each
    /// `section.field=value` assignment of `sets` in order ([`PowerParams::set`]), then the range
    /// checks of [`PowerParams::validate`], whose errors name where the value came from (`--set
    /// key` for an assignment, `file:line:` for the file).
    pub fn resolve(file: Option<&Path>, sets: &[String]) -> Result<PowerParams> {
        let text = file.map(crate::input::read_toml_text).transpose()?;
        let label = file.map(|p| p.display().to_string()).unwrap_or_default();
        let mut params = match &text {
            Some(text) => PowerParams::from_toml_str(text, &label)?,
            None => PowerParams::default(),
        };
        let mut origin = Origin { overridden: Vec::new() };
        for s in sets {
            origin.overridden.push(params.set(s)?);
        }
        params.validate(&origin).map_err(|e| match &text {
            Some(text) => crate::error::locate(e, text, &label),
            None => e,
        })?;
        Ok(params)
    }

    /// Applies `section.field=value` (the value in TOML syntax: `0.2`, `7`, `true`; a bare word such
    /// as `vsr` is taken as a string). Returns the key.
    pub fn set(&mut self, assignment: &str) -> Result<String> {
        let bad = |expected: String| Error::invalid("--set", format!("'{assignment}'"), expected);
        let (key, raw) = assignment.split_once('=').ok_or_else(|| bad("expected section.field=value".into()))?;
        let key = key.trim();
        let (section, field) = key.split_once('.').ok_or_else(|| bad("expected section.field=value".into()))?;
        let mut table = toml::Table::try_from(&*self).map_err(|e| bad(e.to_string()))?;
        let sections: Vec<String> = table.keys().cloned().collect();
        let entries = table
            .get_mut(section)
            .and_then(|v| v.as_table_mut())
            .ok_or_else(|| bad(format!("expected one of the sections {}", sections.join(", "))))?;
        if !entries.contains_key(field) {
            let fields: Vec<&str> = entries.keys().map(String::as_str).collect();
            return Err(bad(format!("expected a field of [{section}]: {}", fields.join(", "))));
        }
        entries.insert(field.to_string(), crate::sim::set_value(key, raw)?);
        let text = toml::to_string(&table).map_err(|e| bad(e.to_string()))?;
        *self = crate::error::parse_toml(&text, "--set").map_err(|e| match e {
            Error::Parse { message, .. } => {
                let message = message.strip_prefix(&format!("{key}: ")).unwrap_or(&message);
                Error::invalid(format!("--set {key}"), raw.trim(), message)
            }
            e => e,
        })?;
        Ok(key.to_string())
    }

    /// Range-checks every parameter; errors name the origin, the field, the value and the range.
    pub fn validate(&self, origin: &Origin) -> Result<()> {
        let pj = |key: &str, v: f64| check_range(&origin.label(key), v, 0.0, MAX_PJ_PER_BIT, "pJ/bit").map(|_| ());
        let frac = |key: &str, v: f64, min: f64| check_range(&origin.label(key), v, min, 1.0, "").map(|_| ());
        let range = |key: &str, v: f64, min: f64, max: f64, unit: &str| {
            check_range(&origin.label(key), v, min, max, unit).map(|_| ())
        };
        let count = |key: &str, v: u32, min: u32, max: u32| {
            check_range(&origin.label(key), v as f64, min as f64, max as f64, "").map(|_| ())
        };
        let h = &self.host_serdes;
        pj("host_serdes.xsr_pj_per_bit", h.xsr_pj_per_bit)?;
        pj("host_serdes.vsr_pj_per_bit", h.vsr_pj_per_bit)?;
        pj("host_serdes.mr_pj_per_bit", h.mr_pj_per_bit)?;
        pj("host_serdes.lr_pj_per_bit", h.lr_pj_per_bit)?;
        let d = &self.dsp;
        if super::blocks::node_scale(d.process_nm, 1.0).is_none() {
            return Err(Error::invalid(
                origin.label("dsp.process_nm"),
                d.process_nm,
                format!("expected one of {:?} nm", super::blocks::PROCESS_NODES_NM),
            ));
        }
        pj("dsp.core_pj_per_bit_5nm", d.core_pj_per_bit_5nm)?;
        count("dsp.ffe_taps", d.ffe_taps, 0, 256)?;
        count("dsp.dfe_taps", d.dfe_taps, 0, 64)?;
        pj("dsp.tap_pj_per_symbol_5nm", d.tap_pj_per_symbol_5nm)?;
        frac("dsp.node_step_factor", d.node_step_factor, 0.1)?;
        pj("retimer.pj_per_bit", self.retimer.pj_per_bit)?;
        let m = &self.mzm_driver;
        range("mzm_driver.v_pi_v", m.v_pi_v, 0.1, 50.0, "V")?;
        frac("mzm_driver.modulation_depth", m.modulation_depth, 0.01)?;
        range("mzm_driver.termination_ohm", m.termination_ohm, 1.0, 1000.0, "ohm")?;
        frac("mzm_driver.efficiency", m.efficiency, 0.001)?;
        pj("mzm_driver.front_end_pj_per_bit", m.front_end_pj_per_bit)?;
        range("mzm_driver.supply_overhead", m.supply_overhead, 0.0, 10.0, "")?;
        let r = &self.ring_driver;
        range("ring_driver.capacitance_ff", r.capacitance_ff, 0.0, 10_000.0, "fF")?;
        range("ring_driver.swing_v", r.swing_v, 0.0, 20.0, "V")?;
        frac("ring_driver.modulation_depth", r.modulation_depth, 0.01)?;
        frac("ring_driver.efficiency", r.efficiency, 0.001)?;
        pj("ring_driver.front_end_pj_per_bit", r.front_end_pj_per_bit)?;
        range("ring_driver.supply_overhead", r.supply_overhead, 0.0, 10.0, "")?;
        let t = &self.tuning;
        count("tuning.rings_per_lane", t.rings_per_lane, 0, 64)?;
        range("tuning.range_nm", t.range_nm, 0.0, 100.0, "nm")?;
        range("tuning.heater_nm_per_mw", t.heater_nm_per_mw, 1e-3, 100.0, "nm/mW")?;
        let o = &self.optics;
        range("optics.rx_sensitivity_oma_dbm", o.rx_sensitivity_oma_dbm, -40.0, 20.0, "dBm")?;
        range("optics.channel_loss_db", o.channel_loss_db, 0.0, 60.0, "dB")?;
        range("optics.margin_db", o.margin_db, 0.0, 30.0, "dB")?;
        range("optics.pluggable_tx_loss_db", o.pluggable_tx_loss_db, 0.0, 40.0, "dB")?;
        range("optics.engine_tx_loss_db", o.engine_tx_loss_db, 0.0, 40.0, "dB")?;
        let l = &self.laser;
        frac("laser.wpe", l.wpe, 0.001)?;
        count("laser.pluggable_lanes_per_laser", l.pluggable_lanes_per_laser, 1, 1024)?;
        count("laser.els_lanes_per_laser", l.els_lanes_per_laser, 1, 1024)?;
        range("laser.split_excess_db", l.split_excess_db, 0.0, 20.0, "dB")?;
        pj("tia.pluggable_pj_per_bit", self.tia.pluggable_pj_per_bit)?;
        pj("tia.copackaged_pj_per_bit", self.tia.copackaged_pj_per_bit)?;
        let md = &self.module;
        range("module.pluggable_control_watts", md.pluggable_control_watts, 0.0, 100.0, "W")?;
        range("module.engine_control_watts", md.engine_control_watts, 0.0, 100.0, "W")?;
        frac("module.conversion_efficiency", md.conversion_efficiency, 0.1)?;
        range("cable.management_watts", self.cable.management_watts, 0.0, 10.0, "W")?;
        pj("cable.redriver_pj_per_bit", self.cable.redriver_pj_per_bit)?;
        let rm = &self.reach_m;
        for (key, v) in [
            ("reach_m.dac_100g", rm.dac_100g),
            ("reach_m.dac_200g", rm.dac_200g),
            ("reach_m.acc", rm.acc),
            ("reach_m.aec", rm.aec),
            ("reach_m.dsp_pluggable", rm.dsp_pluggable),
            ("reach_m.lpo", rm.lpo),
            ("reach_m.lro", rm.lro),
            ("reach_m.npo", rm.npo),
            ("reach_m.cpo", rm.cpo),
        ] {
            LENGTH_M.check(&origin.label(key), v)?;
        }
        range("port.line_rate_factor", self.port.line_rate_factor, 1.0, 2.0, "")?;
        range("cluster.copper_fraction", self.cluster.copper_fraction, 0.0, 1.0, "")?;
        count("cluster.optical_tiers", self.cluster.optical_tiers, 1, 8)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip_through_toml() {
        let p = PowerParams::default();
        p.validate(&Origin::default()).unwrap();
        let text = toml::to_string(&p).unwrap();
        assert_eq!(PowerParams::from_toml_str(&text, "x.toml").unwrap(), p);
    }

    #[test]
    fn toml_overrides_a_subset_and_rejects_unknown_fields_with_line() {
        let p = PowerParams::from_toml_str("[laser]\nwpe = 0.2\n", "p.toml").unwrap();
        assert_eq!(p.laser.wpe, 0.2);
        assert_eq!(p.dsp, Dsp::default());
        let e = PowerParams::from_toml_str("[laser]\nwpe = 0.2\nwpee = 1\n", "p.toml").unwrap_err().to_string();
        assert!(e.contains("p.toml:3") && e.contains("wpee"), "{e}");
        let e = PowerParams::from_toml_str("[lasers]\nwpe = 0.2\n", "p.toml").unwrap_err().to_string();
        assert!(e.contains("lasers"), "{e}");
        let e = PowerParams::from_toml_str("[laser]\n\npluggable_lanes_per_laser = \"4\"\n", "p.toml");
        assert_eq!(
            e.unwrap_err().to_string(),
            "p.toml:3: laser.pluggable_lanes_per_laser: invalid type: string \"4\", expected a whole number >= 0"
        );
    }

    #[test]
    fn set_overrides_one_field_and_names_bad_keys() {
        let mut p = PowerParams::default();
        assert_eq!(p.set("laser.wpe=0.25").unwrap(), "laser.wpe");
        assert_eq!(p.laser.wpe, 0.25);
        p.set("dsp.process_nm=5").unwrap();
        assert_eq!(p.dsp.process_nm, 5);
        p.set("laser.wpe=1").unwrap();
        assert_eq!(p.laser.wpe, 1.0);
        p.set("host_class.lpo=vsr").unwrap();
        assert_eq!(p.host_class.lpo, ReachClass::Vsr);
        // A field named with its SI unit takes the unit too; wrong types name the field.
        p.set("mzm_driver.v_pi_v=4500mV").unwrap();
        assert_eq!(p.mzm_driver.v_pi_v, 4.5);
        let e = p.clone().set("dsp.process_nm=7.5").unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid --set dsp.process_nm = 7.5: invalid type: floating point `7.5`, expected a whole number >= 0"
        );
        let e = p.clone().set("ring_driver.swing_v=1Vpp").unwrap_err().to_string();
        assert!(e.starts_with("invalid --set ring_driver.swing_v = '1Vpp': expected a voltage"), "{e}");
        for bad in [
            "laser.wpee=0.2",
            "lasers.wpe=0.2",
            "wpe=0.2",
            "laser.wpe",
            "laser.wpe=abc",
            "dsp.process_nm=7.5",
            "host_class.lpo=sr",
        ] {
            let e = p.clone().set(bad).unwrap_err().to_string();
            assert!(e.contains("--set"), "{bad}: {e}");
        }
    }

    #[test]
    fn resolve_applies_file_then_sets_then_checks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("power.toml");
        std::fs::write(&path, "[laser]\nwpe = 0.2\n[dsp]\nprocess_nm = 5\n").unwrap();
        let p = PowerParams::resolve(Some(&path), &["laser.wpe=0.3".into()]).unwrap();
        assert_eq!((p.laser.wpe, p.dsp.process_nm), (0.3, 5));
        assert_eq!(PowerParams::resolve(None, &[]).unwrap(), PowerParams::default());
        // Issue 14: a value out of range in the file is reported at its line.
        std::fs::write(&path, "# tuned\n[laser]\nwpe = 1.5\n").unwrap();
        let e = PowerParams::resolve(Some(&path), &[]).unwrap_err().to_string();
        assert!(e.contains("power.toml:3: invalid laser.wpe = 1.5"), "{e}");
        let e = PowerParams::resolve(Some(&path), &["laser.wpe=2".into()]).unwrap_err().to_string();
        assert!(e.contains("--set laser.wpe = 2"), "{e}");
    }

    #[test]
    fn validation_names_origin_field_value_and_range() {
        let mut p = PowerParams::default();
        p.laser.wpe = 1.5;
        let e = p.validate(&Origin::default()).unwrap_err().to_string();
        assert!(e.contains("invalid laser.wpe = 1.5") && e.contains("..= 1"), "{e}");
        let origin = Origin { overridden: vec!["laser.wpe".into()] };
        assert!(p.validate(&origin).unwrap_err().to_string().contains("--set laser.wpe"));
        let mut p = PowerParams::default();
        p.cable.management_watts = -0.1;
        assert!(p.validate(&Origin::default()).unwrap_err().to_string().contains("cable.management_watts = -0.1 W"));
        let mut p = PowerParams::default();
        p.dsp.process_nm = 6;
        assert!(p.validate(&Origin::default()).unwrap_err().to_string().contains("dsp.process_nm"));
    }
}
