//! `photolink eye`: simulates a transmitter + fiber + receiver (from flags or a link file), or reads
//! a measured waveform, and reports the eye metrics and TDECQ; `--plot` draws the eye diagram.

use super::{OutputArgs, emit, schema};
use crate::channel::fiber::WAVELENGTH_M;
use crate::error::{Error, Result, check_range};
use crate::input::short_number;
use crate::math::prbs::Pattern;
use crate::metrics::{Eye, EyeReport};
use crate::output::{Table, fmt_sig};
use crate::plot::{eye::EyeChart, render};
use crate::signal::filters::BANDWIDTH_HZ;
use crate::signal::waveform::{Capture, IMPORT_SAMPLES_PER_UI, SampleUnit, UnitSource};
use crate::signal::{Modulation, SYMBOL_RATE_BAUD, Waveform};
use crate::sim::{FIBER_LENGTH_M, LinkConfig, Simulator};
use crate::tx::ModulatorKind;
use crate::units::{Quantity, parse, parse_power_dbm};
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `photolink eye`.
#[derive(Debug, Args)]
pub struct EyeArgs {
    /// A link file (TOML) with any of the sections signal, driver, laser, modulator, mzm, eam, ring,
    /// vcsel, dml, fiber, receiver, analysis; flags override it.
    #[arg(value_name = "LINK.toml")]
    link: Option<PathBuf>,
    /// Modulator: mzm, eam (eml), ring, vcsel, dml.
    #[arg(allow_hyphen_values = true, long)]
    modulator: Option<String>,
    /// Symbol rate, e.g. 53.125GBd.
    #[arg(long, allow_hyphen_values = true)]
    rate: Option<String>,
    /// nrz or pam4.
    #[arg(allow_hyphen_values = true, long)]
    modulation: Option<String>,
    /// prbs7, prbs9, prbs13, prbs15, prbs31, prbs13q, prbs31q or ssprq.
    #[arg(allow_hyphen_values = true, long)]
    pattern: Option<String>,
    /// Fiber: none, smf, mmf-om3, mmf-om4, mmf-om5.
    #[arg(allow_hyphen_values = true, long)]
    fiber: Option<String>,
    /// Fiber length, e.g. 2km.
    #[arg(long, allow_hyphen_values = true)]
    length: Option<String>,
    /// Laser wavelength, e.g. 1311nm.
    #[arg(allow_hyphen_values = true, long)]
    wavelength: Option<String>,
    /// Fiber dispersion, ps/(nm km) (default: G.652 worst case at the wavelength).
    #[arg(long, allow_hyphen_values = true)]
    dispersion: Option<f64>,
    /// CW laser power, e.g. 10dBm.
    #[arg(long, allow_hyphen_values = true)]
    laser_power: Option<String>,
    /// Driver swing, e.g. 1.5V.
    #[arg(allow_hyphen_values = true, long)]
    swing: Option<String>,
    /// Driver 3 dB bandwidth, e.g. 40GHz.
    #[arg(allow_hyphen_values = true, long)]
    driver_bandwidth: Option<String>,
    /// Receiver 3 dB bandwidth (default 0.5 x baud, the reference receiver).
    #[arg(allow_hyphen_values = true, long)]
    rx_bandwidth: Option<String>,
    /// Samples per UI (>= 4).
    #[arg(long, allow_hyphen_values = true)]
    samples_per_ui: Option<i64>,
    /// Seed of the noise and jitter.
    #[arg(allow_hyphen_values = true, long)]
    seed: Option<u64>,
    /// Any model parameter as section.field=value, e.g. mzm.vpi_v=2.5 (repeatable).
    #[arg(allow_hyphen_values = true, long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// A measured waveform instead of a simulation: CSV time,value (or value with --sample-rate).
    #[arg(long, value_name = "FILE.csv")]
    waveform: Option<PathBuf>,
    /// Sample rate of a one-column waveform, e.g. 256GHz (at least 2 samples per UI).
    #[arg(allow_hyphen_values = true, long)]
    sample_rate: Option<String>,
    /// Unit of the waveform's values: W, mW, uW, nW (optical power) or V, mV, uV (electrical: levels
    /// and eye heights in mV, no dBm, ER or TDECQ) [default: the header's, else W].
    #[arg(allow_hyphen_values = true, long)]
    unit: Option<String>,
    /// Filter the imported waveform with the reference receiver (BT4 at 0.5 x baud) first.
    #[arg(long)]
    apply_reference_receiver: bool,
    /// Skip TDECQ.
    #[arg(long)]
    no_tdecq: bool,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    source: String,
    symbol_rate_baud: f64,
    modulation: Modulation,
    /// What was read from an imported waveform (absent for a simulation).
    #[serde(skip_serializing_if = "Option::is_none")]
    capture: Option<CaptureInfo>,
    units: Units,
    #[serde(flatten)]
    report: Report,
}

#[derive(Serialize)]
struct Units {
    eye_heights: &'static str,
}

/// An imported waveform: the unit of its values and its sample rate, with where each came from.
#[derive(Serialize)]
struct CaptureInfo {
    /// `optical` (W, mW, uW, nW) or `electrical` (V, mV, uV).
    signal: &'static str,
    /// The unit of the file's values.
    unit: SampleUnit,
    /// `header`, `--unit`, or `assumed` (W: no header, or no unit in it).
    unit_from: &'static str,
    /// Sample rate, Hz.
    sample_rate_hz: f64,
    /// `time column` (fitted) or `--sample-rate`.
    sample_rate_from: &'static str,
    /// Whole unit intervals analysed.
    unit_intervals: usize,
}

/// The metrics: an optical eye ([`EyeReport`]), or an electrical one.
#[derive(Serialize)]
#[serde(untagged)]
enum Report {
    Optical(EyeReport),
    Electrical(ElectricalReport),
}

/// The eye of an electrical (V) capture, in mV: the same levels, openings, RLM and VEC as an
/// optical eye ([`crate::metrics::EyeMetrics`], on volts), without the optical quantities (average
/// power and OMA in dBm, extinction ratio, TDECQ), which have no meaning for a voltage that may
/// swing about zero.
#[derive(Serialize)]
struct ElectricalReport {
    /// Outer amplitude `V_{M−1} − V_0` of the long runs (802.3 121.8.4's OMA method on a voltage), mV.
    amplitude_outer_mv: f64,
    /// Mean of the waveform (offset or common mode), mV.
    average_mv: f64,
    /// Level mismatch ratio.
    rlm: f64,
    /// Outer levels `[V_0, V_{M−1}]` over the central 2 UI of the long runs, mV.
    outer_levels_mv: [f64; 2],
    /// Whether the outer levels come from long runs (else from the eye centre).
    outer_levels_from_runs: bool,
    /// Levels at the eye centre, mV, lowest first.
    center_levels_mv: Vec<f64>,
    /// Eye heights on the SER contour at the centre, mV.
    eye_heights: Vec<f64>,
    /// Eye widths on the SER contour, UI.
    eye_widths_ui: Vec<f64>,
    /// Vertical eye closure, dB.
    vec_db: f64,
}

impl ElectricalReport {
    /// The metrics line of the chart.
    fn caption(&self) -> String {
        format!(
            "Amplitude {:.1} mV, mean {:.1} mV, RLM {:.3}, VEC {:.2} dB",
            self.amplitude_outer_mv, self.average_mv, self.rlm, self.vec_db
        )
    }

    /// The report of an eye whose samples are volts.
    fn measure(eye: &Eye) -> ElectricalReport {
        let m = &eye.metrics;
        let mv = |v: &[f64]| v.iter().map(|x| x * 1e3).collect::<Vec<_>>();
        ElectricalReport {
            amplitude_outer_mv: m.oma_outer_w * 1e3,
            average_mv: m.average_power_w * 1e3,
            rlm: m.rlm,
            outer_levels_mv: m.outer_levels_w.map(|v| v * 1e3),
            outer_levels_from_runs: m.outer_levels_from_runs,
            center_levels_mv: mv(&m.center_levels_w),
            eye_heights: mv(&m.eye_heights_w),
            eye_widths_ui: m.eye_widths_ui.clone(),
            vec_db: m.vec_db,
        }
    }
}

/// Applies the flags on top of the file (or the defaults).
fn config(args: &EyeArgs) -> Result<LinkConfig> {
    let mut cfg = match &args.link {
        Some(path) => LinkConfig::read(path)?,
        None => LinkConfig::default(),
    };
    if let Some(m) = &args.modulator {
        cfg.modulator = ModulatorKind::parse(m, "--modulator")?;
        if args.wavelength.is_none() && cfg.modulator == ModulatorKind::Vcsel && args.link.is_none() {
            cfg.laser.wavelength_m = 850e-9;
        }
    }
    if let Some(r) = &args.rate {
        cfg.signal.symbol_rate_baud = SYMBOL_RATE_BAUD.check("--rate", parse(r, "--rate", Quantity::SymbolRate)?)?;
    }
    if let Some(m) = &args.modulation {
        cfg.signal.modulation = Modulation::parse(m)?;
        if cfg.signal.modulation == Modulation::Nrz && args.pattern.is_none() && cfg.signal.pattern.is_quaternary() {
            cfg.signal.pattern = Pattern::Prbs15;
        }
    }
    if let Some(p) = &args.pattern {
        cfg.signal.pattern = Pattern::parse(p, "--pattern")?;
    }
    if let Some(f) = &args.fiber {
        cfg.fiber.medium = f.to_ascii_lowercase();
    }
    if let Some(l) = &args.length {
        cfg.fiber.length_m = FIBER_LENGTH_M.check("--length", parse(l, "--length", Quantity::Length)?)?;
    }
    if let Some(w) = &args.wavelength {
        cfg.laser.wavelength_m = WAVELENGTH_M.check("--wavelength", parse(w, "--wavelength", Quantity::Length)?)?;
    }
    if let Some(d) = args.dispersion {
        cfg.fiber.dispersion_ps_per_nm_km = Some(check_range("--dispersion", d, -100.0, 100.0, "ps/(nm km)")?);
    }
    if let Some(p) = &args.laser_power {
        cfg.laser.power_dbm = check_range("--laser-power", parse_power_dbm(p, "--laser-power")?.0, -30.0, 30.0, "dBm")?;
    }
    if let Some(s) = &args.swing {
        cfg.driver.swing_v = check_range("--swing", parse(s, "--swing", Quantity::Voltage)?, 1e-3, 20.0, "V")?;
    }
    if let Some(b) = &args.driver_bandwidth {
        cfg.driver.bandwidth_hz =
            BANDWIDTH_HZ.check("--driver-bandwidth", parse(b, "--driver-bandwidth", Quantity::Frequency)?)?;
    }
    if let Some(b) = &args.rx_bandwidth {
        cfg.receiver.bandwidth_hz =
            Some(BANDWIDTH_HZ.check("--rx-bandwidth", parse(b, "--rx-bandwidth", Quantity::Frequency)?)?);
    }
    if let Some(n) = args.samples_per_ui {
        if !(4..=256).contains(&n) {
            return Err(Error::invalid("--samples-per-ui", n, "expected 4 ..= 256"));
        }
        cfg.signal.samples_per_ui = n as usize;
    }
    if let Some(s) = args.seed {
        cfg.signal.seed = s;
    }
    for s in &args.sets {
        cfg = cfg.set(s)?;
    }
    cfg.validate()?;
    Ok(cfg)
}

/// The signal an eye is measured on, from a simulation or a capture.
struct Source {
    waveform: Waveform,
    samples_per_ui: usize,
    modulation: Modulation,
    name: String,
    title: String,
    with_tdecq: bool,
    /// A capture in V or mV, measured as an [`ElectricalReport`].
    electrical: bool,
    capture: Option<CaptureInfo>,
}

/// An imported waveform resampled to 32 samples/UI, optionally through the reference receiver.
fn imported(args: &EyeArgs, path: &Path) -> Result<Source> {
    let rate = args
        .rate
        .as_deref()
        .ok_or_else(|| Error::invalid("--rate", "none", "expected the symbol rate of the waveform"))?;
    let baud = SYMBOL_RATE_BAUD.check("--rate", parse(rate, "--rate", Quantity::SymbolRate)?)?;
    let fs = args.sample_rate.as_deref().map(|s| parse(s, "--sample-rate", Quantity::Frequency)).transpose()?;
    let unit = args.unit.as_deref().map(str::parse::<SampleUnit>).transpose()?;
    let modulation = args.modulation.as_deref().map(Modulation::parse).transpose()?.unwrap_or(Modulation::Pam4);
    let Capture { waveform: original, unit, unit_from, rate_from_time_column } =
        Waveform::read_csv(path, baud, fs, unit)?;
    let mut waveform = original.resampled(IMPORT_SAMPLES_PER_UI);
    let sample_rate_hz = original.sample_rate_hz;
    // The capture can be as large as its resampled copy: freed before the filter's FFT buffers.
    drop(original);
    if args.apply_reference_receiver {
        crate::rx::apply_reference_receiver(&mut waveform);
    }
    let optical = unit.is_optical();
    let info = CaptureInfo {
        signal: if optical { "optical" } else { "electrical" },
        unit,
        unit_from: match unit_from {
            UnitSource::Header => "header",
            UnitSource::Given => "--unit",
            UnitSource::Assumed => "assumed",
        },
        sample_rate_hz,
        sample_rate_from: if rate_from_time_column { "time column" } else { "--sample-rate" },
        unit_intervals: waveform.n_ui(),
    };
    Ok(Source {
        waveform,
        samples_per_ui: IMPORT_SAMPLES_PER_UI,
        modulation,
        name: path.display().to_string(),
        title: "Imported waveform".into(),
        with_tdecq: optical && !args.no_tdecq,
        electrical: !optical,
        capture: Some(info),
    })
}

/// The simulated lane of the flags or the link file.
fn simulated(args: &EyeArgs, cfg: &LinkConfig) -> Result<Source> {
    let capture_only = [("--unit", &args.unit), ("--sample-rate", &args.sample_rate)];
    if let Some((flag, Some(value))) = capture_only.into_iter().find(|f| f.1.is_some()) {
        return Err(Error::invalid(flag, value, "expected with --waveform only"));
    }
    if args.apply_reference_receiver {
        // The simulation's receiver is its own ([receiver] in the link file), not the scope's.
        return Err(Error::invalid("--apply-reference-receiver", "set", "expected with --waveform only"));
    }
    let sim = Simulator::new(cfg)?.run();
    let title = format!(
        "{} {} {} GBd, fiber {} {} m",
        cfg.modulator.name().to_uppercase(),
        cfg.signal.modulation.name().to_uppercase(),
        cfg.signal.symbol_rate_baud / 1e9,
        cfg.fiber.medium,
        cfg.fiber.length_m
    );
    Ok(Source {
        waveform: sim.waveform,
        samples_per_ui: sim.samples_per_ui,
        modulation: cfg.signal.modulation,
        name: "simulation".into(),
        title,
        with_tdecq: cfg.analysis.tdecq && !args.no_tdecq,
        electrical: false,
        capture: None,
    })
}

fn table(doc: &Document) -> Table {
    let mut t = Table::new(&["metric", "value"]);
    let list = |v: &[f64]| v.iter().map(|x| fmt_sig(*x, 4)).collect::<Vec<_>>().join(" ");
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(c) = &doc.capture {
        let from = if c.unit_from == "assumed" { "assumed: no unit in the header" } else { c.unit_from };
        rows.push(("capture_unit", format!("{} ({from})", c.unit.name())));
        rows.push(("sample_rate_ghz", format!("{} ({})", short_number(c.sample_rate_hz / 1e9, 6), c.sample_rate_from)));
        rows.push(("unit_intervals", c.unit_intervals.to_string()));
    }
    match &doc.report {
        Report::Optical(r) => rows.extend([
            ("oma_outer_dbm", fmt_sig(r.oma_outer_dbm, 4)),
            ("average_power_dbm", fmt_sig(r.average_power_dbm, 4)),
            ("extinction_ratio_db", fmt_sig(r.extinction_ratio_db, 4)),
            ("rlm", fmt_sig(r.rlm, 4)),
            ("outer_levels_mw", list(&r.outer_levels_mw)),
            ("center_levels_mw", list(&r.center_levels_mw)),
            ("eye_heights_mw", list(&r.eye_heights)),
            ("eye_widths_ui", list(&r.eye_widths_ui)),
            ("vec_db", fmt_sig(r.vec_db, 4)),
            ("tdecq_db", r.tdecq_db.map_or("-".into(), |v| fmt_sig(v, 4))),
        ]),
        Report::Electrical(r) => rows.extend([
            ("amplitude_outer_mv", fmt_sig(r.amplitude_outer_mv, 4)),
            ("average_mv", fmt_sig(r.average_mv, 4)),
            ("rlm", fmt_sig(r.rlm, 4)),
            ("outer_levels_mv", list(&r.outer_levels_mv)),
            ("center_levels_mv", list(&r.center_levels_mv)),
            ("eye_heights_mv", list(&r.eye_heights)),
            ("eye_widths_ui", list(&r.eye_widths_ui)),
            ("vec_db", fmt_sig(r.vec_db, 4)),
        ]),
    }
    for (k, v) in rows {
        t.push(vec![k.into(), v]);
    }
    t
}

pub(super) fn run(args: EyeArgs) -> Result<ExitCode> {
    // The simulation's model parameters, and for a capture the [analysis] settings (contour SER).
    let cfg = config(&args)?;
    let src = match &args.waveform {
        Some(path) => imported(&args, path)?,
        None => simulated(&args, &cfg)?,
    };
    let levels = 1usize << src.modulation.bits_per_symbol();
    let eye = Eye::analyze(&src.waveform.samples, src.samples_per_ui, levels, cfg.analysis.contour_ser)?;
    let (report, heights_unit) = if src.electrical {
        let report = ElectricalReport::measure(&eye);
        if let Some(path) = &args.out.plot {
            render(path, &EyeChart::new(&eye, src.title, report.caption()).electrical())?;
        }
        (Report::Electrical(report), "mV")
    } else {
        let report = EyeReport::measure(&eye, src.with_tdecq)?;
        if let Some(path) = &args.out.plot {
            render(path, &EyeChart::new(&eye, src.title, report.caption()))?;
        }
        (Report::Optical(report), "mW")
    };
    let doc = Document {
        schema: schema("eye"),
        source: src.name,
        symbol_rate_baud: src.waveform.symbol_rate_baud,
        modulation: src.modulation,
        capture: src.capture,
        units: Units { eye_heights: heights_unit },
        report,
    };
    emit(args.out.format, &doc, &table(&doc))?;
    Ok(ExitCode::SUCCESS)
}
