//! `photolink ber`: SER/BER in Gaussian noise (waterfalls), or statistically from a pulse response
//! with ISI, noise and jitter (bathtubs), each optionally cross-checked by a seeded Monte Carlo.

use super::{OutputArgs, emit, schema};
use crate::error::{Error, Result, check_range};
use crate::metrics::ber::SNR_DB;
use crate::metrics::statistical::{DJ_UI, PHASE_UI, RJ_UI};
use crate::metrics::{
    AwgnPoint, JitterModel, MonteCarloConfig, MonteCarloResult, OperatingPoint, Pam, StatisticalBer, StatisticalPoint,
    ber, monte_carlo_awgn, monte_carlo_with_progress,
};
use crate::output::{Table, fmt_sig};
use crate::plot::ber::{BathtubKind, WaterfallAxis, bathtub, waterfall};
use crate::plot::render;
use crate::signal::Modulation;
use crate::units::{Quantity, parse, parse_list};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `photolink ber`.
#[derive(Debug, Args)]
pub struct BerArgs {
    /// Modulation: nrz or pam4 (Gray coded).
    #[arg(allow_hyphen_values = true, long, value_name = "MOD", default_value = "pam4")]
    modulation: String,
    /// Electrical SNR (mean signal power / noise variance) in dB: a value, a comma list or
    /// start:stop:step [default without --ebn0-db or --pulse: 10:30:1].
    #[arg(long = "snr-db", value_name = "DB", allow_hyphen_values = true, conflicts_with_all = ["ebn0_db", "pulse"])]
    snr_db: Option<String>,
    /// Eb/N0 in dB (N0 = 2 sigma^2) instead of the SNR: a value, a comma list or start:stop:step.
    #[arg(long = "ebn0-db", value_name = "DB", allow_hyphen_values = true, conflicts_with = "pulse")]
    ebn0_db: Option<String>,
    /// Level mismatch ratio of PAM4 (1 = equally spaced; inner levels at ±RLM/3 of the outer
    /// ones), decided at optimal thresholds; the SNR stays that of the equally spaced signal.
    #[arg(allow_hyphen_values = true, long, value_name = "RLM", conflicts_with_all = ["pulse", "monte_carlo"])]
    rlm: Option<f64>,
    /// Noise of each level relative to the SNR's sigma, lowest level first (signal-dependent
    /// noise of optical links), e.g. 1,1.2,1.4,1.6; decided at optimal thresholds.
    #[arg(allow_hyphen_values = true, long = "level-noise", value_name = "LIST", conflicts_with_all = ["pulse", "monte_carlo"])]
    level_noise: Option<String>,
    /// A sampled pulse response (one column of volts per unit symbol, optional header row) for the
    /// statistical BER with ISI; needs --samples-per-ui and --noise-rms.
    #[arg(long, value_name = "FILE.csv")]
    pulse: Option<PathBuf>,
    /// Samples per UI of the --pulse file.
    #[arg(long = "samples-per-ui", value_name = "N", allow_hyphen_values = true, requires = "pulse")]
    samples_per_ui: Option<i64>,
    /// Gaussian noise RMS at the slicer, e.g. 1mV (with --pulse).
    #[arg(long = "noise-rms", value_name = "V", allow_hyphen_values = true, requires = "pulse")]
    noise_rms: Option<String>,
    /// Random jitter, RMS, in UI (with --pulse).
    #[arg(long = "rj-ui", value_name = "UI", default_value_t = 0.0, allow_hyphen_values = true, requires = "pulse")]
    rj_ui: f64,
    /// Dual-Dirac deterministic jitter, peak-to-peak, in UI (with --pulse).
    #[arg(long = "dj-ui", value_name = "UI", default_value_t = 0.0, allow_hyphen_values = true, requires = "pulse")]
    dj_ui: f64,
    /// Sampling phase relative to the main cursor, UI (with --pulse).
    #[arg(long = "phase-ui", value_name = "UI", default_value_t = 0.0, allow_hyphen_values = true, requires = "pulse")]
    phase_ui: f64,
    /// Main-cursor sample index in the --pulse file [default: the largest |sample|].
    #[arg(allow_hyphen_values = true, long, value_name = "INDEX", requires = "pulse")]
    cursor: Option<usize>,
    /// Bathtub instead of one phase (with --pulse): time (BER vs phase) or voltage (BER vs the
    /// threshold of --eye).
    #[arg(long, value_enum, value_name = "KIND", num_args = 0..=1, default_missing_value = "time", requires = "pulse")]
    bathtub: Option<Bathtub>,
    /// Points of the bathtub.
    #[arg(
        allow_hyphen_values = true,
        long = "bathtub-points",
        value_name = "N",
        default_value_t = 101,
        requires = "pulse"
    )]
    bathtub_points: usize,
    /// Eye of the voltage bathtub: 0 is the lowest (PAM4: 0, 1, 2).
    #[arg(allow_hyphen_values = true, long, value_name = "N", default_value_t = 0, requires = "pulse")]
    eye: usize,
    /// Also count errors over this many simulated symbols (seeded Monte Carlo, 99% Wilson interval):
    /// at each SNR point, or at --phase-ui of the --pulse model.
    #[arg(allow_hyphen_values = true, long = "monte-carlo", value_name = "SYMBOLS")]
    monte_carlo: Option<u64>,
    /// Seed of the Monte Carlo run.
    #[arg(allow_hyphen_values = true, long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    out: OutputArgs,
}

/// The two bathtub kinds on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Bathtub {
    Time,
    Voltage,
}

/// One AWGN point, with its Monte Carlo count when asked for.
#[derive(Serialize)]
struct AnalyticPoint {
    #[serde(flatten)]
    awgn: AwgnPoint,
    /// Optimal thresholds (V, outer levels at ±1 V) when levels or noise are unequal.
    #[serde(skip_serializing_if = "Option::is_none")]
    threshold_v: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    monte_carlo: Option<MonteCarloResult>,
}

#[derive(Serialize)]
struct AnalyticDocument {
    schema: String,
    modulation: &'static str,
    method: &'static str,
    rlm: f64,
    level_noise: Vec<f64>,
    points: Vec<AnalyticPoint>,
}

/// Unequal levels or per-level noise: the levels (outer at ±1 V) and relative noise per level.
struct Levels {
    rlm: f64,
    relative_noise: Vec<f64>,
}

impl Levels {
    fn from_args(args: &BerArgs, pam: Pam) -> Result<Option<Levels>> {
        if args.rlm.is_none() && args.level_noise.is_none() {
            return Ok(None);
        }
        let rlm = match args.rlm {
            Some(r) if pam != Pam::PAM4 => return Err(Error::invalid("--rlm", r, "expected with --modulation pam4")),
            Some(r) => check_range("--rlm", r, 0.5, 1.0, "")?,
            None => 1.0,
        };
        let relative_noise = match &args.level_noise {
            None => vec![1.0; pam.levels()],
            Some(text) => {
                let v: Vec<f64> = text
                    .split(',')
                    .map(|t| {
                        t.trim().parse::<f64>().map_err(|_| Error::invalid("--level-noise", t, "expected numbers"))
                    })
                    .collect::<Result<_>>()?;
                if v.len() != pam.levels() {
                    return Err(Error::invalid("--level-noise", text, format!("expected {} values", pam.levels())));
                }
                for &r in &v {
                    check_range("--level-noise", r, 0.01, 100.0, "")?;
                }
                v
            }
        };
        Ok(Some(Levels { rlm, relative_noise }))
    }

    /// SER and BER at optimal thresholds for the SNR point's sigma, into the point; the thresholds.
    fn rates(&self, pam: Pam, point: &mut AwgnPoint) -> Result<Vec<f64>> {
        let rates = point.unequal_level_rates(pam, self.rlm, &self.relative_noise)?;
        (point.ser, point.ber) = (rates.ser, rates.ber);
        Ok(rates.threshold_v)
    }
}

#[derive(Serialize)]
struct StatisticalDocument {
    schema: String,
    modulation: &'static str,
    method: &'static str,
    samples_per_ui: usize,
    main_cursor_v: f64,
    noise_rms_v: f64,
    jitter: JitterModel,
    bathtub: Option<&'static str>,
    points: Vec<StatisticalPoint>,
    monte_carlo: Option<MonteCarloResult>,
}

/// Largest Monte Carlo run accepted (about a minute of simulation on one core).
const MAX_MONTE_CARLO_SYMBOLS: u64 = 10_000_000_000;

pub(super) fn run(args: BerArgs) -> Result<ExitCode> {
    let modulation = Modulation::parse(&args.modulation)?;
    let pam = Pam::from(modulation);
    if let Some(n) = args.monte_carlo
        && !(1..=MAX_MONTE_CARLO_SYMBOLS).contains(&n)
    {
        return Err(Error::invalid("--monte-carlo", n, format!("expected 1 ..= {MAX_MONTE_CARLO_SYMBOLS} symbols")));
    }
    match &args.pulse {
        Some(path) => run_statistical(&args, path, modulation, pam),
        None => run_analytic(&args, modulation, pam),
    }
}

fn run_analytic(args: &BerArgs, modulation: Modulation, pam: Pam) -> Result<ExitCode> {
    let (axis, values) = match (&args.snr_db, &args.ebn0_db) {
        (_, Some(e)) => (WaterfallAxis::EbN0Db, parse_list(e, "--ebn0-db", Quantity::Decibel)?),
        (s, None) => {
            (WaterfallAxis::SnrDb, parse_list(s.as_deref().unwrap_or("10:30:1"), "--snr-db", Quantity::Decibel)?)
        }
    };
    let field = if axis == WaterfallAxis::SnrDb { "--snr-db" } else { "--ebn0-db" };
    let levels = Levels::from_args(args, pam)?;
    let bar = super::progress::bar(args.monte_carlo.unwrap_or(0) * values.len() as u64, "Monte Carlo symbols");
    let points = values
        .iter()
        .map(|&v| {
            SNR_DB.check(field, v)?;
            let op = if axis == WaterfallAxis::SnrDb { OperatingPoint::SnrDb(v) } else { OperatingPoint::EbN0Db(v) };
            let mut awgn = ber::awgn(pam, op)?;
            let threshold_v = levels.as_ref().map(|l| l.rates(pam, &mut awgn)).transpose()?;
            let monte_carlo =
                args.monte_carlo.map(|n| monte_carlo_awgn(pam, &awgn, n, args.seed, &|k| bar.inc(k))).transpose()?;
            Ok(AnalyticPoint { awgn, threshold_v, monte_carlo })
        })
        .collect::<Result<Vec<_>>>()?;
    bar.finish_and_clear();
    if let Some(path) = &args.out.plot {
        let curve = points.iter().map(|p| p.awgn).collect();
        render(path, &waterfall(&[(format!("{} exact", modulation.name()), curve)], axis))?;
    }
    let table = analytic_table(&points);
    let (rlm, level_noise) = levels.map_or((1.0, vec![1.0; pam.levels()]), |l| (l.rlm, l.relative_noise));
    let doc = AnalyticDocument {
        schema: schema("ber"),
        modulation: modulation.name(),
        method: "analytic",
        rlm,
        level_noise,
        points,
    };
    emit(args.out.format, &doc, &table)?;
    Ok(ExitCode::SUCCESS)
}

fn analytic_table(points: &[AnalyticPoint]) -> Table {
    let with_mc = points.iter().any(|p| p.monte_carlo.is_some());
    let mut headers = vec!["snr_db", "ebn0_db", "ser", "ber"];
    if with_mc {
        headers.extend(["mc_bit_errors", "mc_ber", "mc_ber_99%_low", "mc_ber_99%_high"]);
    }
    let mut table = Table::new(&headers);
    for p in points {
        let a = &p.awgn;
        let mut row = vec![fmt_sig(a.snr_db, 6), fmt_sig(a.ebn0_db, 6), fmt_sig(a.ser, 6), fmt_sig(a.ber, 6)];
        if let Some(mc) = &p.monte_carlo {
            row.extend(mc_cells(mc));
        }
        table.push(row);
    }
    table
}

fn mc_cells(mc: &MonteCarloResult) -> [String; 4] {
    [mc.bit_errors.to_string(), fmt_sig(mc.ber, 4), fmt_sig(mc.ber_ci99[0], 4), fmt_sig(mc.ber_ci99[1], 4)]
}

/// Upper bound of `--noise-rms`: 10 V is far above any slicer swing.
const MAX_NOISE_RMS_V: f64 = 10.0;

fn statistical_model(args: &BerArgs, path: &std::path::Path, pam: Pam) -> Result<StatisticalBer> {
    let samples_per_ui = match args.samples_per_ui {
        Some(n) if (1..=4096).contains(&n) => n as usize,
        Some(n) => return Err(Error::invalid("--samples-per-ui", n, "expected 1 ..= 4096 samples per UI")),
        None => return Err(Error::invalid("--samples-per-ui", "missing", "expected with --pulse, e.g. 32")),
    };
    let noise_rms_v = match &args.noise_rms {
        Some(text) => parse(text, "--noise-rms", Quantity::Voltage)?,
        None => return Err(Error::invalid("--noise-rms", "missing", "expected with --pulse, e.g. 1mV")),
    };
    if !(noise_rms_v > 0.0 && noise_rms_v <= MAX_NOISE_RMS_V) {
        return Err(Error::invalid("--noise-rms", format!("{noise_rms_v} V"), "expected 0 V < noise <= 10 V"));
    }
    let jitter = JitterModel {
        rj_ui: RJ_UI.check("--rj-ui", args.rj_ui)?,
        dj_ui: DJ_UI.check("--dj-ui", args.dj_ui)?,
        ..JitterModel::default()
    };
    PHASE_UI.check("--phase-ui", args.phase_ui)?;
    let pulse_v = crate::eq::pulse::read_samples_v(path)?;
    StatisticalBer::new(&pulse_v, samples_per_ui, pam, noise_rms_v, jitter, args.cursor)
}

fn run_statistical(args: &BerArgs, path: &std::path::Path, modulation: Modulation, pam: Pam) -> Result<ExitCode> {
    let model = statistical_model(args, path, pam)?;
    if args.bathtub.is_some() || args.out.plot.is_some() {
        check_range("--bathtub-points", args.bathtub_points as f64, 2.0, 10_000.0, "")?;
    }
    let kind = match args.bathtub {
        Some(Bathtub::Voltage) if args.eye >= pam.levels() - 1 => {
            return Err(Error::invalid("--eye", args.eye, format!("expected 0 ..= {}", pam.levels() - 2)));
        }
        Some(Bathtub::Voltage) => BathtubKind::Voltage { eye: args.eye },
        _ => BathtubKind::Time,
    };
    let sweep = |kind| match kind {
        BathtubKind::Time => model.time_bathtub(args.bathtub_points),
        BathtubKind::Voltage { eye } => model.voltage_bathtub(args.phase_ui, eye, args.bathtub_points),
    };
    let points = if args.bathtub.is_some() { sweep(kind)? } else { vec![model.at_phase(args.phase_ui)?] };
    if let Some(plot) = &args.out.plot {
        let curve = if args.bathtub.is_some() { points.clone() } else { sweep(kind)? };
        render(plot, &bathtub(&curve, kind))?;
    }
    let monte_carlo = args
        .monte_carlo
        .map(|symbols| {
            let bar = super::progress::bar(symbols, "Monte Carlo symbols");
            let cfg = MonteCarloConfig { symbols, seed: args.seed, phase_ui: args.phase_ui };
            let result = monte_carlo_with_progress(&model, cfg, &|n| bar.inc(n));
            bar.finish_and_clear();
            result
        })
        .transpose()?;
    let table = statistical_table(&points, monte_carlo.as_ref(), &model);
    let doc = StatisticalDocument {
        schema: schema("ber"),
        modulation: modulation.name(),
        method: "statistical",
        samples_per_ui: model.samples_per_ui(),
        main_cursor_v: model.main_cursor_v(),
        noise_rms_v: model.noise_rms_v(),
        jitter: model.jitter(),
        bathtub: args.bathtub.map(|b| if b == Bathtub::Time { "time" } else { "voltage" }),
        points,
        monte_carlo,
    };
    emit(args.out.format, &doc, &table)?;
    Ok(ExitCode::SUCCESS)
}

fn statistical_table(points: &[StatisticalPoint], mc: Option<&MonteCarloResult>, model: &StatisticalBer) -> Table {
    let mut table = Table::new(&["method", "phase_ui", "thresholds_mv", "ser", "ber", "ber_99%_interval"]);
    let mv = |t: &[f64]| t.iter().map(|v| fmt_sig(v * 1e3, 4)).collect::<Vec<_>>().join(" ");
    for p in points {
        let (phase, ser, ber) = (fmt_sig(p.phase_ui, 4), fmt_sig(p.ser, 6), fmt_sig(p.ber, 6));
        table.push(vec!["statistical".into(), phase, mv(&p.threshold_v), ser, ber, "-".into()]);
    }
    if let Some(mc) = mc {
        let [errors, ber, lo, hi] = mc_cells(mc);
        table.push(vec![
            format!("monte carlo ({} symbols, {errors} bit errors)", mc.config.symbols),
            fmt_sig(mc.config.phase_ui, 4),
            mv(model.thresholds_v()),
            fmt_sig(mc.ser, 4),
            ber,
            format!("{lo} .. {hi}"),
        ]);
    }
    table
}
