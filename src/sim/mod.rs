//! The optical link simulator: the waveform of a lane through pattern → driver → modulator →
//! fiber → receiver.
//!
//! The pattern is periodic, so the whole chain is simulated over one period with circular (FFT)
//! filtering: no start-up transient, and every filter is one multiplication in the frequency domain.
//! Stages:
//! 1. Gray-mapped levels, Tx FFE, sample-and-hold at `samples_per_ui` with RJ/DJ edge jitter.
//! 2. Driver low-pass × modulator electrical response (the held waveform's low bins from its
//!    polyphase components, [`HeldSpectrum`], then one real inverse FFT at the optical rate).
//! 3. Static electro-optic transfer to power, laser RIN `σ_P² = RIN·P²·fs/2` per sample.
//! 4. SMF: field `E = √P·e^{j(α_H/2)·ln P}`, chromatic dispersion on the field
//!    `H(ω) = exp(j·β2·ω²·L/2)`, `β2 = −D·λ²/(2πc)` (OptiCommPy `linearFiberChannel` \[P\]), then
//!    square-law detection (power fading), attenuation. MMF: Gaussian `2^{−(f/B)²}` (`docs/models.md` §3).
//! 5. Photocurrent, shot + TIA noise, receiver filter (default BT4 at 0.5 × baud), referred back to
//!    received optical power `P = (I − M·I_d)/(M·R)` so eye metrics read in W / dBm.
//!
//! Plan once, run many: a [`Simulator`] holds the FFT plans, filter responses and buffers, so a
//! sweep over seeds (or a bench) only computes. A configuration comes from code, a TOML text
//! ([`LinkConfig::from_toml`], or a file with [`LinkConfig::read`]) or `section.field=value`
//! assignments ([`LinkConfig::set`]).
//! ```
//! use photolink::math::prbs::Pattern;
//! use photolink::sim::{LinkConfig, Simulator};
//!
//! let cfg = LinkConfig::from_toml("modulator = \"eam\"\n[signal]\npattern = \"prbs13q\"\n", "inline")?
//!     .set("fiber.medium=smf")?
//!     .set("fiber.length_m=500")?;
//! assert_eq!(cfg.signal.pattern, Pattern::Prbs13q);
//! let mut sim = Simulator::new(&cfg)?; // validated and planned once
//! let first = sim.run();
//! let again = sim.run(); // same seed: the same waveform
//! assert_eq!(first.waveform.samples, again.waveform.samples);
//! assert_eq!(first.symbols.len(), 8191);
//! let mean_w = first.waveform.samples.iter().sum::<f64>() / first.waveform.samples.len() as f64;
//! assert!(mean_w > 1e-4 && mean_w < 1e-2); // received average power, W
//! # Ok::<(), photolink::Error>(())
//! ```

use crate::channel::fiber::{MmfGrade, MultiModeFiber, SingleModeFiber};
use crate::error::{Bounds, Error, Result, check_range};
use crate::math::fft::{RealFft, fft_freqs_hz, rfft_freqs_hz};
use crate::math::prbs::Pattern;
use crate::math::rng::{SplitMix64, Xoshiro256pp};
use crate::math::roots::bisect_boundary;
use crate::rx::Receiver;
use crate::signal::mapping::{HeldSpectrum, amplitude, fir_periodic, hold};
use crate::signal::{Modulation, SYMBOL_RATE_BAUD, Waveform};
use crate::tx::{DirectLaser, Driver, Eam, Laser, Microring, Modulator, ModulatorKind, Mzm};
use crate::units::{Quantity, SPEED_OF_LIGHT_M_PER_S, parse};
use num_complex::{Complex32, Complex64};
use rustfft::{Fft, FftPlanner};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;
use std::sync::Arc;

/// The value of a `--set KEY=RAW` assignment (of `eye` and `power`): `raw` in TOML syntax (`2.5`,
/// `true`, `[1.0, -0.1]`); else, for a field whose name ends with an SI base unit or dB
/// (`mzm.bandwidth_hz`, [`crate::error::unit_in_name`]), a quantity with its unit (`45GHz`), read
/// in that unit; else a bare word, as a string (`smf`).
pub fn set_value(key: &str, raw: &str) -> Result<toml::Value> {
    let raw = raw.trim();
    if let Some(value) = toml::from_str::<toml::Table>(&format!("v = {raw}")).ok().and_then(|mut t| t.remove("v")) {
        return Ok(value);
    }
    let quantity = match crate::error::unit_in_name(key.rsplit('.').next().unwrap_or_default()).as_deref() {
        Some("Hz") => Quantity::Frequency,
        Some("Bd") => Quantity::SymbolRate,
        Some("m") => Quantity::Length,
        Some("s") => Quantity::Time,
        Some("V") => Quantity::Voltage,
        Some("A") => Quantity::Current,
        Some("W") => Quantity::Power,
        Some("dB") => Quantity::Decibel,
        _ => return Ok(toml::Value::String(raw.to_string())),
    };
    parse(raw, &format!("--set {key}"), quantity).map(toml::Value::Float)
}

/// Pattern, rate and sampling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignalConfig {
    /// Symbol rate, Bd. Default 53.125 GBd (100G PAM4 lane).
    pub symbol_rate_baud: f64,
    /// NRZ or PAM4.
    pub modulation: Modulation,
    /// Test pattern. Default SSPRQ.
    pub pattern: Pattern,
    /// Samples per UI (≥ 4). Default 32.
    pub samples_per_ui: usize,
    /// Seed of every random process (jitter, RIN, receiver noise).
    pub seed: u64,
}

impl Default for SignalConfig {
    fn default() -> Self {
        SignalConfig {
            symbol_rate_baud: 53.125e9,
            modulation: Modulation::Pam4,
            pattern: Pattern::Ssprq,
            samples_per_ui: 32,
            seed: 1,
        }
    }
}

/// The fiber between transmitter and receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FiberConfig {
    /// `none`, `smf`, `mmf-om3`, `mmf-om4` or `mmf-om5`.
    pub medium: String,
    /// Length, m.
    pub length_m: f64,
    /// Dispersion, ps/(nm·km); `None` is the G.652 worst case at the laser wavelength
    /// (λ0 1300–1324 nm, S0 0.093: the IEEE 802.3 tables).
    pub dispersion_ps_per_nm_km: Option<f64>,
    /// Attenuation, dB/km; `None` is the catalogue value at the wavelength (0.4 dB/km @1310 SMF,
    /// 3.5 dB/km @850 MMF).
    pub attenuation_db_per_km: Option<f64>,
}

impl Default for FiberConfig {
    fn default() -> Self {
        FiberConfig { medium: "none".into(), length_m: 0.0, dispersion_ps_per_nm_km: None, attenuation_db_per_km: None }
    }
}

/// Fiber lengths the simulator accepts: 0 m (back to back) to 100 km.
pub const FIBER_LENGTH_M: Bounds = Bounds::new(0.0, 100e3, "m");

/// Eye-analysis settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalysisConfig {
    /// Symbol error ratio of the eye-height and eye-width contours. Default 4.8e-4 (the TDECQ
    /// target, [`crate::metrics::tdecq::TARGET_SER`]).
    pub contour_ser: f64,
    /// Compute TDECQ (PAM4 only).
    pub tdecq: bool,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig { contour_ser: crate::metrics::tdecq::TARGET_SER, tdecq: true }
    }
}

/// A whole link: every model parameter, as in a link file (`photolink eye link.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkConfig {
    /// Pattern, rate, sampling, seed.
    pub signal: SignalConfig,
    /// Which modulator: mzm, eam, ring, vcsel, dml.
    pub modulator: ModulatorKind,
    /// Electrical driver.
    pub driver: Driver,
    /// CW laser (external modulators) and RIN (all sources).
    pub laser: Laser,
    /// MZM parameters.
    pub mzm: Mzm,
    /// EAM parameters.
    pub eam: Eam,
    /// Microring parameters.
    pub ring: Microring,
    /// VCSEL parameters.
    pub vcsel: DirectLaser,
    /// DML parameters.
    pub dml: DirectLaser,
    /// Fiber.
    pub fiber: FiberConfig,
    /// Receiver.
    pub receiver: Receiver,
    /// Eye analysis.
    pub analysis: AnalysisConfig,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            signal: SignalConfig::default(),
            modulator: ModulatorKind::Mzm,
            driver: Driver::default(),
            laser: Laser::default(),
            mzm: Mzm::default(),
            eam: Eam::default(),
            ring: Microring::default(),
            vcsel: DirectLaser::vcsel(),
            dml: DirectLaser::dml(),
            fiber: FiberConfig::default(),
            receiver: Receiver::default(),
            analysis: AnalysisConfig::default(),
        }
    }
}

/// Fiber model resolved from [`FiberConfig`].
enum Fiber {
    None,
    Smf(SingleModeFiber),
    Mmf(MultiModeFiber),
}

fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

impl LinkConfig {
    /// Parses a link file (TOML): unknown fields are errors; missing fields keep the defaults of their
    /// section (so a partial `[dml]` table keeps the DML defaults, not the VCSEL ones). `file` labels
    /// errors. The result is not yet validated.
    pub fn from_toml(text: &str, file: &str) -> Result<LinkConfig> {
        // First pass: unknown fields and wrong types, with the user's line numbers.
        crate::error::parse_toml::<LinkConfig>(text, file)?;
        let user: toml::Value = crate::error::parse_toml(text, file)?;
        LinkConfig::default().with_overrides(user, file)
    }

    /// Reads and validates the link file at `path`; a value out of range is reported at the line
    /// that sets it ([`crate::error::locate`]).
    pub fn read(path: &std::path::Path) -> Result<LinkConfig> {
        let text = crate::input::read_toml_text(path)?;
        let file = path.display().to_string();
        let cfg = LinkConfig::from_toml(&text, &file)?;
        cfg.validate().map_err(|e| crate::error::locate(e, &text, &file))?;
        Ok(cfg)
    }

    /// This configuration with the fields of `over` (a TOML table shaped like a link file) replaced.
    pub fn with_overrides(&self, over: toml::Value, file: &str) -> Result<LinkConfig> {
        let mut base = toml::Value::try_from(self)
            .map_err(|e| Error::Numerical { what: format!("serialising the link configuration: {e}") })?;
        merge(&mut base, over);
        base.try_into().map_err(|e: toml::de::Error| Error::Parse {
            file: file.into(),
            line: 0,
            message: e.message().into(),
        })
    }

    /// Sets one field from `section.field=value` ([`set_value`]: TOML syntax, a
    /// quantity with its unit for a field named with an SI unit, `mzm.bandwidth_hz=45GHz`, or a
    /// bare word as a string).
    pub fn set(&self, assignment: &str) -> Result<LinkConfig> {
        let bad =
            || Error::invalid("--set", format!("'{assignment}'"), "expected section.field=value, e.g. mzm.vpi_v=2.5");
        let (path, value) = assignment.split_once('=').ok_or_else(bad)?;
        let path = path.trim();
        let mut over = set_value(path, value)?;
        for key in path.rsplit('.') {
            if key.is_empty() {
                return Err(bad());
            }
            let mut t = toml::Table::new();
            t.insert(key.to_string(), over);
            over = toml::Value::Table(t);
        }
        // Unknown names and wrong types, with the same check (and message) as a file.
        let text = toml::to_string(&over).map_err(|_| bad())?;
        crate::error::parse_toml::<LinkConfig>(&text, "--set").map_err(|e| match e {
            Error::Parse { message, .. } => {
                let message = message.strip_prefix(&format!("{path}: ")).unwrap_or(&message);
                Error::invalid(format!("--set {path}"), value.trim(), message)
            }
            e => e,
        })?;
        self.with_overrides(over, "--set")
    }

    /// The configured modulator.
    pub fn modulator(&self) -> Modulator {
        match self.modulator {
            ModulatorKind::Mzm => Modulator::Mzm(self.mzm.clone()),
            ModulatorKind::Eam => Modulator::Eam(self.eam.clone()),
            ModulatorKind::Ring => Modulator::Ring(self.ring.clone()),
            ModulatorKind::Vcsel => Modulator::Direct(self.vcsel.clone(), ModulatorKind::Vcsel),
            ModulatorKind::Dml => Modulator::Direct(self.dml.clone(), ModulatorKind::Dml),
        }
    }

    fn fiber(&self) -> Result<Fiber> {
        Ok(match self.fiber.medium.to_ascii_lowercase().as_str() {
            "none" => Fiber::None,
            "smf" => Fiber::Smf(SingleModeFiber::g652()),
            "mmf-om3" => Fiber::Mmf(MultiModeFiber::new(MmfGrade::Om3)),
            "mmf-om4" => Fiber::Mmf(MultiModeFiber::new(MmfGrade::Om4)),
            "mmf-om5" => Fiber::Mmf(MultiModeFiber::new(MmfGrade::Om5)),
            other => {
                return Err(Error::invalid(
                    "fiber.medium",
                    format!("'{other}'"),
                    "expected none, smf, mmf-om3, mmf-om4 or mmf-om5",
                ));
            }
        })
    }

    /// Dispersion used for SMF, ps/(nm·km).
    pub fn dispersion_ps_per_nm_km(&self) -> f64 {
        self.fiber.dispersion_ps_per_nm_km.unwrap_or_else(|| {
            let (lo, hi) =
                SingleModeFiber::g652().dispersion.range_ps_per_nm_km(self.laser.wavelength_m, self.laser.wavelength_m);
            if lo.abs() >= hi.abs() { lo } else { hi }
        })
    }

    fn attenuation_db(&self, fiber: &Fiber) -> f64 {
        let per_km = self.fiber.attenuation_db_per_km.unwrap_or(match fiber {
            Fiber::None => 0.0,
            Fiber::Smf(f) => f.attenuation_db_per_km(self.laser.wavelength_m),
            Fiber::Mmf(f) => f.attenuation_db_per_km(self.laser.wavelength_m),
        });
        per_km * self.fiber.length_m / 1e3
    }

    /// Checks every parameter; errors name the field (as in a link file), the value and the range.
    pub fn validate(&self) -> Result<()> {
        let s = &self.signal;
        SYMBOL_RATE_BAUD.check("signal.symbol_rate_baud", s.symbol_rate_baud)?;
        if !(4..=256).contains(&s.samples_per_ui) {
            return Err(Error::invalid("signal.samples_per_ui", s.samples_per_ui, "expected 4 ..= 256"));
        }
        s.pattern.symbols(s.modulation.bits_per_symbol()).map_err(|e| e.with_field(|_| "signal.pattern".into()))?;
        self.driver.validate()?;
        self.laser.validate()?;
        self.modulator().validate()?;
        self.fiber()?;
        FIBER_LENGTH_M.check("fiber.length_m", self.fiber.length_m)?;
        if let Some(d) = self.fiber.dispersion_ps_per_nm_km {
            check_range("fiber.dispersion_ps_per_nm_km", d, -100.0, 100.0, "ps/(nm km)")?;
        }
        if let Some(a) = self.fiber.attenuation_db_per_km {
            check_range("fiber.attenuation_db_per_km", a, 0.0, 20.0, "dB/km")?;
        }
        self.receiver.validate()?;
        check_range("analysis.contour_ser", self.analysis.contour_ser, 1e-12, 0.1, "").map(|_| ())
    }
}

/// The result of a simulation: the received waveform and the transmitted symbols.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// Received optical power referred to the photodiode input, W (with receiver noise).
    pub waveform: Waveform,
    /// Level index of each UI (0 = lowest).
    pub symbols: Vec<u8>,
    /// Samples per UI.
    pub samples_per_ui: usize,
}

/// Forward and inverse complex FFT plans with their scratch buffer.
type ComplexPlan = (Arc<dyn Fft<f32>>, Arc<dyn Fft<f32>>, Vec<Complex32>);

/// Samples per UI of the optical stages (modulator, fiber, photodiode and noise) when the drive
/// allows it: ±4 × baud of bandwidth, far above typical driver, modulator and receiver bandwidths
/// (harmonics of the modulator nonlinearity stay below it), so the drive is decimated and the
/// receiver output interpolated spectrally back to the requested rate without loss.
pub const OPTICAL_SAMPLES_PER_UI: usize = 8;

/// Largest drive response `|H_driver·H_modulator|` at 4 × baud (relative to DC) for which the
/// optical stages run at [`OPTICAL_SAMPLES_PER_UI`]. Cutting the drive spectrum there before the
/// nonlinear transfer rings on every edge (Gibbs); at −60 dB the ringing is below 0.1 % of the
/// swing. A drive with no such roll-off (filters off, `rc` driver and modulator) runs at the full
/// rate, so the levels do not depend on `samples_per_ui`.
const DECIMATION_MAX_DRIVE_RESPONSE: f64 = 1e-3;

/// A planned simulation: FFT plans, filter responses and buffers are made once, so repeated runs
/// (sweeps, benches) only compute.
///
/// Two rates: the drive (with sub-sample jitter) and the output use `samples_per_ui`; the optical
/// stages run at [`OPTICAL_SAMPLES_PER_UI`] when that divides it (else at the full rate), decimated
/// and interpolated in the frequency domain.
pub struct Simulator {
    cfg: LinkConfig,
    modulator: Modulator,
    symbols: Vec<u8>,
    spui: usize,
    n: usize,
    n_opt: usize,
    full: RealFft,
    opt: RealFft,
    held: HeldSpectrum,
    cfft: Option<ComplexPlan>,
    h_tx: Vec<Complex64>,
    h_rx: Vec<Complex64>,
    h_cd: Vec<Complex32>,
    attenuation: f64,
    /// The held drive waveform, built only when [`HeldSpectrum`] falls back to the whole waveform.
    x: Vec<f64>,
    /// The drive's spectrum when [`HeldSpectrum`] falls back to the whole waveform (empty until).
    spec_drive: Vec<Complex64>,
    /// The output spectrum: only its first `n_opt/2 + 1` bins are ever written, the rest stay 0.
    spec_full: Vec<Complex64>,
    spec_opt: Vec<Complex64>,
    p_opt: Vec<f64>,
    field: Vec<Complex32>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator").field("n", &self.n).field("n_opt", &self.n_opt).finish()
    }
}

impl Simulator {
    /// Validates `cfg` and plans the simulation.
    pub fn new(cfg: &LinkConfig) -> Result<Simulator> {
        cfg.validate()?;
        let s = &cfg.signal;
        let mut symbols = s.pattern.symbols(s.modulation.bits_per_symbol())?;
        let spui = s.samples_per_ui;
        let modulator = cfg.modulator();
        let spui_opt = optical_samples_per_ui(cfg, &modulator);
        if (symbols.len() * spui_opt) % 2 == 1 {
            symbols.extend_from_slice(&symbols.clone());
        }
        let (n, n_opt) = (symbols.len() * spui, symbols.len() * spui_opt);
        let fs_opt = s.symbol_rate_baud * spui_opt as f64;
        let mut planner = FftPlanner::new();
        let full = RealFft::new(n, &mut planner);
        let opt = RealFft::new(n_opt, &mut planner);
        let held = HeldSpectrum::new(symbols.len(), spui, n_opt / 2 + 1, &mut planner);
        let lambda = cfg.laser.wavelength_m;
        let driver = cfg.driver.low_pass();
        let decimation = n_opt as f64 / n as f64;
        let h_tx = rfft_freqs_hz(n_opt, fs_opt)
            .enumerate()
            .map(|(k, f)| {
                let keep = if k == n_opt / 2 && n_opt < n { 0.0 } else { decimation };
                driver.response(f) * modulator.electrical_response(f, lambda) * keep
            })
            .collect();
        let fiber = cfg.fiber()?;
        let rx = cfg.receiver.low_pass(s.symbol_rate_baud);
        let length = cfg.fiber.length_m;
        // The receiver filter also refers the photocurrent back to optical power (÷ M·R); the dark
        // current's offset comes off the DC bin in `run`.
        let per_amp = 1.0 / (cfg.receiver.gain() * cfg.receiver.responsivity_a_per_w);
        let h_rx = rfft_freqs_hz(n_opt, fs_opt)
            .enumerate()
            .map(|(k, f)| {
                let keep = if k == n_opt / 2 && n_opt < n { 0.0 } else { per_amp / decimation };
                let h = match &fiber {
                    Fiber::Mmf(m) => rx.response(f) * m.transfer(f, lambda, length),
                    _ => rx.response(f),
                };
                h * keep
            })
            .collect();
        let d = cfg.dispersion_ps_per_nm_km();
        let with_cd = matches!(fiber, Fiber::Smf(_)) && length > 0.0 && d != 0.0;
        let (cfft, h_cd) = if with_cd {
            let fwd = planner.plan_fft_forward(n_opt);
            let inv = planner.plan_fft_inverse(n_opt);
            let scratch = vec![Complex32::default(); fwd.get_inplace_scratch_len().max(inv.get_inplace_scratch_len())];
            let beta2 = -d * 1e-6 * lambda * lambda / (2.0 * PI * SPEED_OF_LIGHT_M_PER_S);
            let h = fft_freqs_hz(n_opt, fs_opt)
                .map(|f| {
                    let w = 2.0 * PI * f;
                    let h = Complex64::from_polar(1.0 / n_opt as f64, beta2 * w * w * length / 2.0);
                    Complex32::new(h.re as f32, h.im as f32)
                })
                .collect();
            (Some((fwd, inv, scratch)), h)
        } else {
            (None, Vec::new())
        };
        let attenuation = 10f64.powf(-cfg.attenuation_db(&fiber) / 10.0);
        Ok(Simulator {
            cfg: cfg.clone(),
            modulator,
            symbols,
            spui,
            n,
            n_opt,
            full,
            opt,
            held,
            field: if cfft.is_some() { vec![Complex32::default(); n_opt] } else { Vec::new() },
            cfft,
            h_tx,
            h_rx,
            h_cd,
            attenuation,
            x: Vec::new(),
            spec_drive: Vec::new(),
            spec_full: vec![Complex64::default(); n / 2 + 1],
            spec_opt: vec![Complex64::default(); n_opt / 2 + 1],
            p_opt: vec![0.0; n_opt],
        })
    }

    /// Output sample rate, Hz.
    pub fn sample_rate_hz(&self) -> f64 {
        self.cfg.signal.symbol_rate_baud * self.spui as f64
    }

    /// Sample rate of the optical stages, Hz.
    fn optical_rate_hz(&self) -> f64 {
        self.sample_rate_hz() * self.n_opt as f64 / self.n as f64
    }

    /// Edge shifts (UI) of RJ (Gaussian) and DJ (dual-Dirac ±DJ/2), or `None` without jitter.
    fn jitter(&self, rng: &mut Xoshiro256pp) -> Option<Vec<f64>> {
        let d = &self.cfg.driver;
        if d.rj_rms_ui == 0.0 && d.dj_pp_ui == 0.0 {
            return None;
        }
        let shifts = (0..self.symbols.len())
            .map(|_| {
                let dj = if rng.next_u64() & 1 == 1 { 0.5 } else { -0.5 } * d.dj_pp_ui;
                (d.rj_rms_ui * rng.normal() + dj).clamp(-0.45, 0.45)
            })
            .collect();
        Some(shifts)
    }

    /// Normalised drive amplitude of each level index: equally spaced, or with
    /// `driver.level_predistortion` the amplitudes `u_k` solving
    /// `P(u_k) = P(−1) + k/(M−1)·(P(1) − P(−1))` on the static transfer `P` (bisection keeping the
    /// sign change: `P` is continuous and the outer levels bracket every target, so a root exists;
    /// on a transfer that is not monotonic over the swing, an MZM driven past its null, it is one
    /// of several and the drive levels may come out of order).
    fn drive_levels(&self, modulation: Modulation) -> Vec<f64> {
        let m = 1u8 << modulation.bits_per_symbol();
        let equal: Vec<f64> = (0..m).map(|l| amplitude(modulation, l)).collect();
        if !self.cfg.driver.level_predistortion {
            return equal;
        }
        let (swing, laser_w, lambda) = (self.cfg.driver.swing_v, self.cfg.laser.power_w(), self.cfg.laser.wavelength_m);
        let power = |u: f64| self.modulator.power_w(u, swing, laser_w, lambda);
        let (p_lo, p_hi) = (power(-1.0), power(1.0));
        equal
            .iter()
            .map(|&u| {
                if u.abs() == 1.0 {
                    return u;
                }
                let target = p_lo + (u + 1.0) / 2.0 * (p_hi - p_lo);
                let below = |v: f64| (power(v) - target) * (p_hi - p_lo) < 0.0;
                let (a, b) = bisect_boundary(below, -1.0, 1.0, 0.0);
                0.5 * (a + b)
            })
            .collect()
    }

    /// Drive at full rate (jittered hold), filtered by driver and modulator, decimated into `p_opt`.
    fn drive(&mut self, rng: &mut Xoshiro256pp) {
        let m = self.cfg.signal.modulation;
        let d = &self.cfg.driver;
        let levels = self.drive_levels(m);
        let symbols: Vec<f64> = self.symbols.iter().map(|&l| levels[l as usize]).collect();
        let values = fir_periodic(&symbols, &d.ffe_taps, d.ffe_main);
        let shifts = self.jitter(rng);
        if !self.held.bins(&values, shifts.as_deref(), &mut self.spec_opt) {
            hold(&values, self.spui, shifts.as_deref(), &mut self.x);
            self.spec_drive.resize(self.n / 2 + 1, Complex64::default());
            self.full.forward(&self.x, &mut self.spec_drive);
            let bins = self.spec_opt.len();
            self.spec_opt.copy_from_slice(&self.spec_drive[..bins]);
        }
        for (o, h) in self.spec_opt.iter_mut().zip(&self.h_tx) {
            *o *= h;
        }
        self.opt.inverse(&self.spec_opt, &mut self.p_opt);
    }

    /// Chromatic dispersion on the field, square-law detection back into `p_opt`.
    fn disperse(&mut self) {
        let Some((fwd, inv, scratch)) = self.cfft.as_mut() else { return };
        let half_alpha = 0.5 * self.modulator.chirp_alpha();
        for (e, &pw) in self.field.iter_mut().zip(self.p_opt.iter()) {
            let amp = pw.max(0.0).sqrt();
            *e = if half_alpha == 0.0 || pw <= 0.0 {
                Complex32::new(amp as f32, 0.0)
            } else {
                let (s, c) = (half_alpha * pw.ln()).sin_cos();
                Complex32::new((amp * c) as f32, (amp * s) as f32)
            };
        }
        fwd.process_with_scratch(&mut self.field, scratch);
        self.field.iter_mut().zip(&self.h_cd).for_each(|(e, h)| *e *= h);
        inv.process_with_scratch(&mut self.field, scratch);
        self.p_opt.iter_mut().zip(&self.field).for_each(|(p, e)| *p = e.norm_sqr() as f64);
    }

    /// Runs the chain once (deterministic for a given seed).
    pub fn run(&mut self) -> Simulation {
        let mut seeds = SplitMix64::new(self.cfg.signal.seed);
        let mut rng_jitter = Xoshiro256pp::seed_from_u64(seeds.next_u64());
        let mut rng_rin = Xoshiro256pp::seed_from_u64(seeds.next_u64());
        let mut rng_rx = Xoshiro256pp::seed_from_u64(seeds.next_u64());
        self.drive(&mut rng_jitter);
        let fs = self.optical_rate_hz();
        let (swing, laser_w, lambda) = (self.cfg.driver.swing_v, self.cfg.laser.power_w(), self.cfg.laser.wavelength_m);
        let rin_sigma = (10f64.powf(self.cfg.laser.rin_db_per_hz / 10.0) * fs / 2.0).sqrt();
        let transfer = TransferTable::new(&self.p_opt, |u| self.modulator.power_w(u, swing, laser_w, lambda));
        for v in self.p_opt.iter_mut() {
            *v = (transfer.eval(*v) * (1.0 + rin_sigma * rng_rin.normal())).max(0.0);
        }
        self.disperse();
        let rx = &self.cfg.receiver;
        let att = self.attenuation;
        // The noise variance is affine in the current: σ² = shot·max(I, 0) + TIA.
        let (tia, shot) = (rx.noise_variance_a2(0.0, fs / 2.0), rx.noise_variance_a2(1.0, fs / 2.0));
        let shot = shot - tia;
        for v in self.p_opt.iter_mut() {
            let i = rx.current_a(*v * att);
            *v = i + (shot * i.max(0.0) + tia).sqrt() * rng_rx.normal();
        }
        self.opt.forward(&self.p_opt, &mut self.spec_opt);
        for ((o, s), h) in self.spec_full.iter_mut().zip(&self.spec_opt).zip(&self.h_rx) {
            *o = s * h;
        }
        // P = (I/M − I_d)/R: h_rx carries the 1/(M·R); the constant I_d/R is N·I_d/R at DC.
        self.spec_full[0] -= self.n as f64 * rx.dark_current_a / rx.responsivity_a_per_w;
        let mut out = vec![0.0; self.n];
        self.full.inverse(&self.spec_full, &mut out);
        let waveform = Waveform {
            samples: out,
            sample_rate_hz: self.sample_rate_hz(),
            symbol_rate_baud: self.cfg.signal.symbol_rate_baud,
        };
        Simulation { waveform, symbols: self.symbols.clone(), samples_per_ui: self.spui }
    }
}

/// Samples per UI of the optical stages: [`OPTICAL_SAMPLES_PER_UI`] when it divides the requested
/// rate and the drive has rolled off by [`DECIMATION_MAX_DRIVE_RESPONSE`] at 4 × baud, else the
/// requested rate. The filters are low-pass and monotonic, so the response at the new band edge
/// bounds what decimation cuts.
fn optical_samples_per_ui(cfg: &LinkConfig, modulator: &Modulator) -> usize {
    let spui = cfg.signal.samples_per_ui;
    let drive =
        |f: f64| (cfg.driver.low_pass().response(f) * modulator.electrical_response(f, cfg.laser.wavelength_m)).norm();
    let edge_hz = 0.5 * OPTICAL_SAMPLES_PER_UI as f64 * cfg.signal.symbol_rate_baud;
    let rolled_off = drive(edge_hz) <= DECIMATION_MAX_DRIVE_RESPONSE * drive(0.0);
    if spui > OPTICAL_SAMPLES_PER_UI && spui.is_multiple_of(OPTICAL_SAMPLES_PER_UI) && rolled_off {
        OPTICAL_SAMPLES_PER_UI
    } else {
        spui
    }
}

/// The static electro-optic transfer tabulated over the drive range (4097 points, linear
/// interpolation): one table build per run instead of a `cos`/`pow`/`ln` per sample. The transfers are
/// smooth, so the interpolation error is below 1e-7 of full scale (a clipping kink costs one cell).
struct TransferTable {
    lo: f64,
    scale: f64,
    table: Vec<f64>,
}

impl TransferTable {
    const POINTS: usize = 4097;

    fn new(drive: &[f64], f: impl Fn(f64) -> f64) -> TransferTable {
        let (lo, hi) = drive.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, lo + 1.0) };
        let step = (hi - lo) / (Self::POINTS - 1) as f64;
        let table = (0..Self::POINTS).map(|i| f(lo + i as f64 * step)).collect();
        TransferTable { lo, scale: 1.0 / step, table }
    }

    #[inline]
    fn eval(&self, u: f64) -> f64 {
        let x = ((u - self.lo) * self.scale).clamp(0.0, (Self::POINTS - 1) as f64);
        let i = (x as usize).min(Self::POINTS - 2);
        let a = x - i as f64;
        self.table[i] + a * (self.table[i + 1] - self.table[i])
    }
}

/// Validates `cfg`, plans and runs the simulation once.
pub fn simulate(cfg: &LinkConfig) -> Result<Simulation> {
    Ok(Simulator::new(cfg)?.run())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::filters::FilterKind;

    fn quiet(mut cfg: LinkConfig) -> LinkConfig {
        cfg.driver.rj_rms_ui = 0.0;
        cfg.driver.dj_pp_ui = 0.0;
        cfg.laser.rin_db_per_hz = -200.0;
        cfg.receiver.tia_noise_a_per_rthz = 0.0;
        cfg.receiver.dark_current_a = 0.0;
        cfg.signal.pattern = Pattern::Prbs13q;
        cfg
    }

    #[test]
    fn level_predistortion_equalises_the_optical_levels() {
        for kind in [ModulatorKind::Eam, ModulatorKind::Mzm] {
            let mut cfg = quiet(LinkConfig { modulator: kind, ..LinkConfig::default() });
            cfg.driver.level_predistortion = true;
            let sim = Simulator::new(&cfg).unwrap();
            let u = sim.drive_levels(Modulation::Pam4);
            let (swing, laser, lambda) = (cfg.driver.swing_v, cfg.laser.power_w(), cfg.laser.wavelength_m);
            let p: Vec<f64> = u.iter().map(|&u| sim.modulator.power_w(u, swing, laser, lambda)).collect();
            let step = (p[3] - p[0]) / 3.0;
            for k in 1..3 {
                assert!((p[k] - p[k - 1] - step).abs() < 1e-9 * p[3], "{kind:?}: {p:?}");
            }
            assert_eq!((u[0], u[3]), (-1.0, 1.0));
            // Without it, the EAM table and the MZM cosine leave the levels unequal.
            cfg.driver.level_predistortion = false;
            let plain = Simulator::new(&cfg).unwrap().drive_levels(Modulation::Pam4);
            let q: Vec<f64> = plain.iter().map(|&u| sim.modulator.power_w(u, swing, laser, lambda)).collect();
            assert!(((q[2] - q[1]) - (q[3] - q[0]) / 3.0).abs() > 1e-3 * q[3], "{kind:?}: {q:?}");
        }
    }

    #[test]
    fn transfer_table_matches_the_model() {
        let m = LinkConfig::default().modulator();
        let drive: Vec<f64> = (0..1000).map(|i| -1.3 + 2.6 * i as f64 / 999.0).collect();
        let f = |u: f64| m.power_w(u, 1.5, 1e-2, 1311e-9);
        let t = TransferTable::new(&drive, f);
        for &u in &drive {
            assert!((t.eval(u) - f(u)).abs() < 1e-7 * 1e-2);
        }
    }

    #[test]
    fn mean_power_is_preserved_by_the_filters() {
        let cfg = quiet(LinkConfig::default());
        let sim = simulate(&cfg).unwrap();
        let mean = sim.waveform.samples.iter().sum::<f64>() / sim.waveform.samples.len() as f64;
        // Quadrature MZM with symmetric drive: mean = P_in·IL/2 for equiprobable levels (to within
        // the compression of the cos² on symmetric levels, which keeps the mean).
        let expected = cfg.laser.power_w() * 10f64.powf(-0.4) * 0.5;
        assert!((mean / expected - 1.0).abs() < 2e-3, "{mean} vs {expected}");
        // The waveform is referred back to optical power: a dark current (here 0.1 mA, 2.5 % of the
        // photocurrent) and an APD gain change only the noise, not the mean (shot noise averaged
        // over the waveform: ~1e-5 relative).
        for (dark_a, apd) in [(1e-4, false), (0.0, true)] {
            let mut other = cfg.clone();
            other.receiver.dark_current_a = dark_a;
            if apd {
                other.receiver.photodiode = crate::rx::Photodiode::Apd;
                other.receiver.apd_gain = 8.0;
            }
            let s = simulate(&other).unwrap().waveform.samples;
            let m = s.iter().sum::<f64>() / s.len() as f64;
            assert!((m / mean - 1.0).abs() < 1e-4, "dark {dark_a} A, APD {apd}: {m} vs {mean}");
        }
    }

    #[test]
    fn dispersion_fades_power_on_the_field() {
        // A chirp-free field through CD loses no energy: the mean detected power is unchanged.
        let mut cfg = quiet(LinkConfig::default());
        cfg.fiber = FiberConfig {
            medium: "smf".into(),
            length_m: 10e3,
            dispersion_ps_per_nm_km: Some(17.0),
            attenuation_db_per_km: Some(0.0),
        };
        let a = simulate(&cfg).unwrap().waveform.samples;
        cfg.fiber.length_m = 0.0;
        let b = simulate(&cfg).unwrap().waveform.samples;
        let (ma, mb) = (a.iter().sum::<f64>(), b.iter().sum::<f64>());
        assert!((ma / mb - 1.0).abs() < 1e-3);
        let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m / v.len() as f64).powi(2)).sum::<f64>();
        assert!(var(&a, ma) < 0.9 * var(&b, mb), "dispersion must fade the signal");
    }

    #[test]
    fn link_file_partial_sections_and_unknown_fields() {
        let cfg = LinkConfig::from_toml("modulator = \"dml\"\n[dml]\nbias_a = 0.06\n", "l.toml").unwrap();
        assert_eq!(cfg.dml.bias_a, 0.06);
        assert_eq!(cfg.dml.threshold_a, DirectLaser::dml().threshold_a);
        let e = LinkConfig::from_toml("[mzm]\nvpi = 2\n", "l.toml").unwrap_err().to_string();
        assert!(e.starts_with("l.toml:2") && e.contains("vpi"), "{e}");
        let c = LinkConfig::default().set("mzm.vpi_v=2.5").unwrap();
        assert_eq!(c.mzm.vpi_v, 2.5);
        assert_eq!(LinkConfig::default().set("fiber.medium=smf").unwrap().fiber.medium, "smf");
        assert!(LinkConfig::default().set("mzm.nope=1").is_err());
        let mut bad = LinkConfig::default();
        bad.signal.samples_per_ui = 3;
        assert!(bad.validate().unwrap_err().to_string().contains("signal.samples_per_ui"));
    }

    #[test]
    fn set_values_take_the_unit_of_the_name() {
        assert_eq!(set_value("mzm.bandwidth_hz", " 45GHz ").unwrap(), toml::Value::Float(45e9));
        assert_eq!(set_value("mzm.bandwidth_hz", "45e9").unwrap(), toml::Value::Float(45e9));
        assert_eq!(set_value("fiber.medium", "smf").unwrap(), toml::Value::String("smf".into()));
        // Units scaled from the name's unit (`_nm`, `_dbm`) are not guessed: the text stays text.
        assert_eq!(set_value("tuning.range_nm", "2nm").unwrap(), toml::Value::String("2nm".into()));
        let e = set_value("driver.swing_v", "1Vpp").unwrap_err().to_string();
        assert!(e.starts_with("invalid --set driver.swing_v = '1Vpp'"), "{e}");
    }

    /// Issue 14: `--set mzm.bandwidth_hz=10THz` gave `invalid type: string "10THz", expected f64`,
    /// and a validation error of an eye link file lost its line when the file used a dotted key.
    #[test]
    fn set_takes_units_and_every_error_names_the_field() {
        let c = LinkConfig::default().set("mzm.bandwidth_hz=10THz").unwrap().set("fiber.length_m=2km").unwrap();
        assert_eq!((c.mzm.bandwidth_hz, c.fiber.length_m), (1e13, 2000.0));
        let err = |a: &str| LinkConfig::default().set(a).unwrap_err().to_string();
        assert_eq!(
            err("mzm.bandwidth_hz=10Tz"),
            "invalid --set mzm.bandwidth_hz = '10Tz': expected a frequency such as 26.5625GHz or 500MHz"
        );
        assert_eq!(
            err("signal.samples_per_ui=2.5"),
            "invalid --set signal.samples_per_ui = 2.5: invalid type: floating point `2.5`, expected a whole number >= 0"
        );
        assert!(err("mzm.vpi=2").starts_with("invalid --set mzm.vpi = 2: unknown field `vpi`"));
        // A file takes plain numbers in the unit of the name, and says so.
        let e = LinkConfig::from_toml("[mzm]\nbandwidth_hz = \"10THz\"\n", "eye.toml").unwrap_err().to_string();
        assert_eq!(
            e,
            "eye.toml:2: mzm.bandwidth_hz: invalid type: string \"10THz\", expected a plain number in Hz (the unit is in the field's name)"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("eye.toml");
        std::fs::write(&path, "modulator = \"mzm\"\nsignal.samples_per_ui = 3\n").unwrap();
        let e = LinkConfig::read(&path).unwrap_err().to_string();
        assert!(e.contains("eye.toml:2: invalid signal.samples_per_ui = 3"), "{e}");
    }

    /// Issue 14: with the filters and noise off the levels are the static transfer at the drive
    /// levels whatever `samples_per_ui` (the optical stage used to cut an unfiltered drive at
    /// 4 × baud and ring: 0.15 dB of OMA between 32 and 36 samples/UI). The reference is
    /// OptiCommPy's `mzm`, `P = P_in·cos²(π(V + V_b)/(2Vπ))`, with the MZM's ER set to 60 dB so
    /// the two forms agree to 2e-6.
    #[test]
    fn unfiltered_mzm_levels_do_not_depend_on_samples_per_ui() {
        let mut cfg = quiet(LinkConfig::default());
        cfg.signal.pattern = Pattern::Ssprq;
        cfg.driver.filter = FilterKind::None;
        cfg.receiver.filter = FilterKind::None;
        cfg.mzm.bandwidth_hz = 1e13;
        cfg.mzm.extinction_ratio_db = 60.0;
        let (vpi, swing) = (cfg.mzm.vpi_v, cfg.driver.swing_v);
        let p_in = cfg.laser.power_w() * 10f64.powf(-cfg.mzm.insertion_loss_db / 10.0);
        let opticommpy_mzm = |u: f64| p_in * (PI / (2.0 * vpi) * (0.5 * swing * u - vpi / 2.0)).cos().powi(2);
        let want: Vec<f64> = [-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0].iter().map(|&u| opticommpy_mzm(u)).collect();
        let db = |a: f64, b: f64| (10.0 * (a / b).log10()).abs();
        for spui in [8, 9, 12, 16, 24, 32, 36, 64] {
            cfg.signal.samples_per_ui = spui;
            let sim = simulate(&cfg).unwrap();
            let m = crate::metrics::Eye::analyze(&sim.waveform.samples, spui, 4, 4.8e-4).unwrap().metrics;
            assert!(m.outer_levels_from_runs);
            assert!(
                db(m.outer_levels_w[0], want[0]) < 0.01 && db(m.outer_levels_w[1], want[3]) < 0.01,
                "{spui}: {m:?}"
            );
            for (got, want) in m.center_levels_w.iter().zip(&want) {
                assert!(db(*got, *want) < 0.01, "{spui}: centre level {got} vs {want}");
            }
        }
    }

    #[test]
    fn the_optical_stage_is_decimated_only_behind_a_rolled_off_drive() {
        let cfg = LinkConfig::default();
        assert_eq!(optical_samples_per_ui(&cfg, &cfg.modulator()), OPTICAL_SAMPLES_PER_UI);
        let mut unfiltered = cfg.clone();
        unfiltered.driver.filter = FilterKind::None;
        assert_eq!(optical_samples_per_ui(&unfiltered, &unfiltered.modulator()), 32);
        let mut odd = cfg;
        odd.signal.samples_per_ui = 12;
        assert_eq!(optical_samples_per_ui(&odd, &odd.modulator()), 12);
    }
}

#[cfg(test)]
mod tdecq_trends {
    use super::*;
    use crate::metrics::{Eye, TdecqConfig, tdecq};

    /// TDECQ of a noiseless PRBS13Q MZM link at 16 samples/UI after `edit`.
    fn tdecq_of(edit: impl Fn(&mut LinkConfig)) -> f64 {
        let mut cfg = LinkConfig::default();
        cfg.signal.pattern = Pattern::Prbs13q;
        cfg.signal.samples_per_ui = 16;
        cfg.driver.rj_rms_ui = 0.0;
        cfg.driver.dj_pp_ui = 0.0;
        edit(&mut cfg);
        let sim = simulate(&cfg).unwrap();
        let eye = Eye::analyze(&sim.waveform.samples, sim.samples_per_ui, 4, 4.8e-4).unwrap();
        tdecq(&eye, &TdecqConfig::default()).unwrap().tdecq_db
    }

    #[test]
    fn tdecq_grows_as_bandwidth_shrinks() {
        let driver: Vec<f64> = [60e9, 35e9, 25e9].iter().map(|&b| tdecq_of(|c| c.driver.bandwidth_hz = b)).collect();
        assert!(driver[0] < driver[1] && driver[1] < driver[2], "driver {driver:?}");
        let rx: Vec<f64> =
            [30e9, 22e9, 16e9].iter().map(|&b| tdecq_of(|c| c.receiver.bandwidth_hz = Some(b))).collect();
        assert!(rx[0] < rx[1] && rx[1] < rx[2], "rx {rx:?}");
    }

    #[test]
    fn tdecq_grows_with_dispersion() {
        let t: Vec<f64> = [0.0, 40.0, 80.0]
            .iter()
            .map(|&ps_nm| {
                tdecq_of(|c| {
                    c.fiber.medium = "smf".into();
                    c.fiber.length_m = 2000.0;
                    c.fiber.attenuation_db_per_km = Some(0.0);
                    c.fiber.dispersion_ps_per_nm_km = Some(ps_nm / 2.0);
                })
            })
            .collect();
        assert!(t[0] < t[1] && t[1] < t[2], "{t:?}");
    }

    #[test]
    fn every_modulator_gives_an_open_eye_and_oma_matches_levels() {
        for kind in
            [ModulatorKind::Mzm, ModulatorKind::Eam, ModulatorKind::Ring, ModulatorKind::Vcsel, ModulatorKind::Dml]
        {
            let mut cfg = LinkConfig { modulator: kind, ..LinkConfig::default() };
            cfg.signal.pattern = Pattern::Prbs13q;
            cfg.signal.samples_per_ui = 16;
            if kind == ModulatorKind::Vcsel {
                cfg.laser.wavelength_m = 850e-9;
                cfg.signal.symbol_rate_baud = 26.5625e9;
            }
            let sim = simulate(&cfg).unwrap();
            let eye = Eye::analyze(&sim.waveform.samples, 16, 4, 4.8e-4).unwrap();
            let m = &eye.metrics;
            assert!(m.eye_heights_w.iter().all(|&h| h > 0.0), "{kind:?}: {m:?}");
            // OMA and ER from the eye are consistent with the average power (`docs/models.md` §6) to within
            // the level asymmetry of each modulator.
            let er = 10f64.powf(m.extinction_ratio_db / 10.0);
            let oma = crate::metrics::eye::oma_from_average(m.average_power_w, er);
            assert!((m.oma_outer_w / oma - 1.0).abs() < 0.15, "{kind:?}: {} vs {oma}", m.oma_outer_w);
        }
    }
}
