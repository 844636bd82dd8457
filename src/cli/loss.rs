//! `photolink loss`: insertion loss vs frequency and length.

use super::{ChannelArgs, OutputArgs, emit, parse_port_order, schema};
use crate::channel::{LENGTH_M, LossCurve, Network, PortOrder};
use crate::error::{Error, Result, check_range};
use crate::output::tables;
use crate::plot::{charts, render};
use crate::units::{Quantity, parse_list};
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `photolink loss`.
#[derive(Debug, Args)]
pub struct LossArgs {
    /// Medium from the catalogue (repeatable), e.g. twinax-26awg, pcb-megtron6, smf, mmf-om4.
    #[arg(allow_hyphen_values = true, long = "medium", value_name = "NAME")]
    media: Vec<String>,
    /// A measured channel (repeatable): Touchstone .s2p (S21) or .s4p (Sdd21), v1 or v2.
    #[arg(long = "touchstone", value_name = "FILE")]
    touchstone: Vec<PathBuf>,
    /// Port layout of 4-port files: 1-2,3-4 or 1-3,2-4 (default: detected from the data).
    #[arg(allow_hyphen_values = true, long = "port-order", value_name = "ORDER")]
    port_order: Option<String>,
    /// Length, a comma list or start:stop:step, e.g. 2m or 0.5m:3m:0.5m.
    #[arg(long, value_name = "L", default_value = "1m", allow_hyphen_values = true)]
    length: String,
    /// Frequency, a comma list or start:stop:step, e.g. 26.5625GHz or 1GHz:50GHz:0.5GHz
    /// [default: 0.5GHz:60GHz:0.5GHz for media, the file's own grid for Touchstone files].
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    freq: Option<String>,
    #[command(flatten)]
    channel: ChannelArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    curves: Vec<LossCurve>,
}

/// The thru loss of a Touchstone file on `freqs` (default: the file's grid).
fn measured_curve(path: &Path, order: Option<PortOrder>, freqs: Option<&[f64]>) -> Result<LossCurve> {
    let network = Network::read(path)?;
    let (thru, used) = network.thru_response(order)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    LossCurve::measured(&name, &thru, used.map(|o| o.to_string()), freqs.unwrap_or(&thru.freq_hz))
}

/// Most rows one `loss` run computes (each becomes an output row of about 60 bytes).
const MAX_LOSS_POINTS: usize = 2_000_000;

pub(super) fn run(args: LossArgs) -> Result<ExitCode> {
    let media = args.channel.media(&args.media)?;
    let lengths = parse_list(&args.length, "--length", Quantity::Length)?;
    for &l in &lengths {
        LENGTH_M.check("--length", l)?;
    }
    if media.is_empty() && args.touchstone.is_empty() {
        return Err(Error::invalid("--medium", "none", "expected at least one --medium or --touchstone"));
    }
    let freqs = args.freq.as_deref().map(|f| parse_list(f, "--freq", Quantity::Frequency)).transpose()?;
    for &f in freqs.iter().flatten() {
        check_range("--freq", f, 0.0, 1e12, "Hz")?;
    }
    let connectors = args.channel.connectors()?;
    let model_freqs = freqs.clone().unwrap_or_else(|| (1..=120).map(|i| i as f64 * 0.5e9).collect());
    let curves_asked = media.len() * lengths.len() + args.touchstone.len();
    if curves_asked.saturating_mul(model_freqs.len()) > MAX_LOSS_POINTS {
        return Err(Error::invalid(
            "--medium x --length x --freq",
            format!("{curves_asked} curves x {} frequencies", model_freqs.len()),
            format!("expected at most {MAX_LOSS_POINTS} points in all"),
        ));
    }
    let mut curves: Vec<LossCurve> = media
        .iter()
        .flat_map(|m| lengths.iter().map(|&l| m.loss_curve(&model_freqs, l, &connectors)).collect::<Vec<_>>())
        .collect();
    let order = args.port_order.as_deref().map(parse_port_order).transpose()?;
    for path in &args.touchstone {
        curves.push(measured_curve(path, order, freqs.as_deref())?);
    }
    if let Some(path) = &args.out.plot {
        render(path, &charts::loss_vs_frequency(&curves))?;
    }
    let table = tables::loss(&curves);
    emit(args.out.format, &Document { schema: schema("loss"), curves }, &table)?;
    Ok(ExitCode::SUCCESS)
}
