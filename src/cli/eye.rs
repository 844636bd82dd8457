//! `photolink eye`: simulates a transmitter + fiber + receiver (from flags or a link file), or reads
//! a measured waveform, and reports the eye metrics and TDECQ; `--plot` draws the eye diagram.

use super::{OutputArgs, emit, schema};
use crate::channel::fiber::WAVELENGTH_M;
use crate::error::{Error, Result, check_range};
use crate::math::prbs::Pattern;
use crate::metrics::{Eye, EyeReport};
use crate::output::{Table, fmt_sig};
use crate::plot::{eye::EyeChart, render};
use crate::signal::filters::BANDWIDTH_HZ;
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
    /// Sample rate of a one-column waveform, e.g. 256GHz.
    #[arg(allow_hyphen_values = true, long)]
    sample_rate: Option<String>,
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
    units: Units,
    #[serde(flatten)]
    report: EyeReport,
}

#[derive(Serialize)]
struct Units {
    eye_heights: &'static str,
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

/// An imported waveform resampled to 32 samples/UI, optionally through the reference receiver.
fn imported(args: &EyeArgs, path: &Path) -> Result<(Waveform, Modulation)> {
    let rate = args
        .rate
        .as_deref()
        .ok_or_else(|| Error::invalid("--rate", "none", "expected the symbol rate of the waveform"))?;
    let baud = SYMBOL_RATE_BAUD.check("--rate", parse(rate, "--rate", Quantity::SymbolRate)?)?;
    let fs = args.sample_rate.as_deref().map(|s| parse(s, "--sample-rate", Quantity::Frequency)).transpose()?;
    let modulation = args.modulation.as_deref().map(Modulation::parse).transpose()?.unwrap_or(Modulation::Pam4);
    let mut wf = Waveform::read_csv(path, baud, fs)?.resampled(crate::signal::waveform::IMPORT_SAMPLES_PER_UI);
    if args.apply_reference_receiver {
        crate::rx::apply_reference_receiver(&mut wf);
    }
    Ok((wf, modulation))
}

fn table(doc: &Document) -> Table {
    let r = &doc.report;
    let mut t = Table::new(&["metric", "value"]);
    let list = |v: &[f64]| v.iter().map(|x| fmt_sig(*x, 4)).collect::<Vec<_>>().join(" ");
    let rows = [
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
    ];
    for (k, v) in rows {
        t.push(vec![k.into(), v]);
    }
    t
}

pub(super) fn run(args: EyeArgs) -> Result<ExitCode> {
    // The simulation's model parameters, and for a capture the [analysis] settings (contour SER).
    let cfg = config(&args)?;
    let (wf, spui, modulation, source, title, with_tdecq) = match &args.waveform {
        Some(path) => {
            let (wf, m) = imported(&args, path)?;
            (
                wf,
                crate::signal::waveform::IMPORT_SAMPLES_PER_UI,
                m,
                path.display().to_string(),
                "Imported waveform".to_string(),
                !args.no_tdecq,
            )
        }
        None => {
            let sim = Simulator::new(&cfg)?.run();
            let title = format!(
                "{} {} {} GBd, fiber {} {} m",
                cfg.modulator.name().to_uppercase(),
                cfg.signal.modulation.name().to_uppercase(),
                cfg.signal.symbol_rate_baud / 1e9,
                cfg.fiber.medium,
                cfg.fiber.length_m
            );
            (
                sim.waveform,
                sim.samples_per_ui,
                cfg.signal.modulation,
                "simulation".into(),
                title,
                cfg.analysis.tdecq && !args.no_tdecq,
            )
        }
    };
    let levels = 1usize << modulation.bits_per_symbol();
    let eye = Eye::analyze(&wf.samples, spui, levels, cfg.analysis.contour_ser)?;
    let report = EyeReport::measure(&eye, with_tdecq)?;
    if let Some(path) = &args.out.plot {
        render(path, &EyeChart::new(&eye, title, report.caption()))?;
    }
    let doc = Document {
        schema: schema("eye"),
        source,
        symbol_rate_baud: wf.symbol_rate_baud,
        modulation,
        units: Units { eye_heights: "mW" },
        report,
    };
    emit(args.out.format, &doc, &table(&doc))?;
    Ok(ExitCode::SUCCESS)
}
