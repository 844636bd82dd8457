//! `photolink sweep`: one numeric field of a link over a range, in parallel, to a table and a chart.

use super::budget::LinkArgs;
use super::{OutputArgs, emit, schema};
use crate::budget::{SweepPoint, parse_field_value};
use crate::error::{Error, Result};
use crate::output::{Table, fmt_sig};
use crate::plot::{Guide, Legend, Series, XyChart, render};
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `photolink sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    links: LinkArgs,
    /// The field to sweep, by path: channel.0.length, transmitter.tdecq_db, penalties.mpi_db, ...
    #[arg(allow_hyphen_values = true, long, value_name = "PATH")]
    param: String,
    /// First value, in the field's unit (100m for a length, 26GBd for the symbol rate, 1.5dB for a dB
    /// field) or a bare number in SI units / dB.
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    from: String,
    /// Last value.
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    to: String,
    /// Number of points from --from to --to inclusive.
    #[arg(allow_hyphen_values = true, long, value_name = "N", default_value_t = 100)]
    steps: usize,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    link: String,
    param: String,
    points: Vec<SweepPoint>,
}

/// Largest sweep accepted.
const MAX_STEPS: usize = 100_000;

pub(super) fn run(args: SweepArgs) -> Result<ExitCode> {
    let mut links = args.links.load()?;
    if links.len() != 1 {
        return Err(Error::invalid("LINK.toml", links.len(), "expected one link to sweep"));
    }
    let loaded = links.remove(0);
    let from = parse_field_value(&args.param, &args.from, "--from")?;
    let to = parse_field_value(&args.param, &args.to, "--to")?;
    if !(2..=MAX_STEPS).contains(&args.steps) {
        return Err(Error::invalid("--steps", args.steps, format!("expected 2 ..= {MAX_STEPS} points")));
    }
    let values: Vec<f64> = (0..args.steps).map(|i| from + (to - from) * i as f64 / (args.steps - 1) as f64).collect();
    let bar = super::progress::bar(values.len() as u64, "sweep");
    let points = loaded.sweep(&args.param, &values, &|| bar.inc(1))?;
    bar.finish_and_clear();
    if let Some(path) = &args.out.plot {
        render(path, &margin_chart(&loaded.label, &args.param, &points))?;
    }
    let mut t = Table::new(&[&args.param, "margin_db", "pass", "ber"]);
    for p in &points {
        let ber = p.ber.map_or("-".into(), |b| fmt_sig(b, 3));
        t.push(vec![fmt_sig(p.value, 6), fmt_sig(p.margin_db, 4), p.pass.to_string(), ber]);
    }
    let doc = Document { schema: schema("sweep"), link: loaded.label, param: args.param, points };
    emit(args.out.format, &doc, &t)?;
    Ok(ExitCode::SUCCESS)
}

fn margin_chart(label: &str, param: &str, points: &[SweepPoint]) -> XyChart {
    let mut c = XyChart::new(format!("Margin vs {param} ({label})"), param.to_string(), "Margin (dB)");
    c.series.push(Series::line("margin", points.iter().map(|p| (p.value, p.margin_db)).collect()));
    c.guides.push(Guide::Horizontal(0.0, " zero margin".into()));
    c.legend = Legend::UpperRight;
    c
}
