//! `photolink loss`: insertion loss vs frequency and length.

use super::{OutputArgs, emit, parse_connectors, resolve_media, schema};
use crate::channel::LossCurve;
use crate::error::{Result, check_range};
use crate::plot::{charts, render};
use crate::report::tables;
use crate::units::{Quantity, parse_list};
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `photolink loss`.
#[derive(Debug, Args)]
pub struct LossArgs {
    /// Medium from the catalogue (repeatable), e.g. twinax-26awg, pcb-megtron6, smf, mmf-om4.
    #[arg(long = "medium", value_name = "NAME", required = true)]
    media: Vec<String>,
    /// Length, a comma list or start:stop:step, e.g. 2m or 0.5m:3m:0.5m.
    #[arg(long, value_name = "L", default_value = "1m", allow_hyphen_values = true)]
    length: String,
    /// Frequency, a comma list or start:stop:step, e.g. 26.5625GHz or 1GHz:50GHz:0.5GHz.
    #[arg(long, value_name = "F", default_value = "0.5GHz:60GHz:0.5GHz", allow_hyphen_values = true)]
    freq: String,
    /// Operating wavelength of the fiber media, e.g. 1311nm.
    #[arg(long, value_name = "NM")]
    wavelength: Option<String>,
    /// A lumped loss in series (repeatable): 0.35dB (flat) or 1.2dB@26.56GHz (scaled as sqrt f).
    #[arg(long = "connector", value_name = "LOSS")]
    connectors: Vec<String>,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    curves: Vec<LossCurve>,
}

/// Lengths up to 1000 km are accepted (fiber); zero is allowed (connectors only).
const MAX_LENGTH_M: f64 = 1e6;

pub(super) fn run(args: LossArgs) -> Result<ExitCode> {
    let media = resolve_media(&args.media, args.wavelength.as_deref())?;
    let lengths = parse_list(&args.length, "--length", Quantity::Length)?;
    for &l in &lengths {
        check_range("--length", l, 0.0, MAX_LENGTH_M, "m")?;
    }
    let freqs = parse_list(&args.freq, "--freq", Quantity::Frequency)?;
    for &f in &freqs {
        check_range("--freq", f, 0.0, 1e12, "Hz")?;
    }
    let connectors = parse_connectors(&args.connectors)?;
    let curves: Vec<LossCurve> = media
        .iter()
        .flat_map(|m| lengths.iter().map(|&l| m.loss_curve(&freqs, l, &connectors)).collect::<Vec<_>>())
        .collect();
    if let Some(path) = &args.out.plot {
        render(path, &charts::loss_vs_frequency(&curves))?;
    }
    let table = tables::loss(&curves);
    emit(args.out.format, &Document { schema: schema("loss"), curves }, &table)?;
    Ok(ExitCode::SUCCESS)
}
