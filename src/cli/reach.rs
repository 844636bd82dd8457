//! `photolink reach`: the longest length of each medium that meets a loss budget.

use super::{ChannelArgs, OutputArgs, emit, schema};
use crate::channel::reach::BUDGET_DB;
use crate::channel::{Budgets, LANE_GENERATIONS_BPS, Reach, reach_table};
use crate::error::Result;
use crate::output::tables;
use crate::plot::{charts, render};
use crate::signal::Modulation;
use crate::units::{Quantity, parse_db, parse_list};
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `photolink reach`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Lane line rate(s), e.g. 212.5Gbps or 106.25Gbps,212.5Gbps.
    #[arg(allow_hyphen_values = true, long, value_name = "RATE")]
    rate: String,
    /// Modulation: nrz or pam4.
    #[arg(allow_hyphen_values = true, long, default_value = "pam4")]
    modulation: String,
    /// Loss budget at Nyquist, dB (electrical for copper; optical for fiber unless --fiber-budget-db).
    #[arg(long = "budget-db", value_name = "DB", allow_hyphen_values = true)]
    budget_db: String,
    /// Optical loss budget for the fiber media, dB (default: --budget-db).
    #[arg(allow_hyphen_values = true, long = "fiber-budget-db", value_name = "DB")]
    fiber_budget_db: Option<String>,
    /// Medium from the catalogue (repeatable).
    #[arg(allow_hyphen_values = true, long = "medium", value_name = "NAME", required = true)]
    media: Vec<String>,
    #[command(flatten)]
    channel: ChannelArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    modulation: Modulation,
    results: Vec<Reach>,
}

pub(super) fn run(args: ReachArgs) -> Result<ExitCode> {
    let modulation = Modulation::parse(&args.modulation)?;
    let rates = parse_list(&args.rate, "--rate", Quantity::BitRate)?;
    // Each budget is checked under its own flag (the library names both `budget_db`).
    let copper_db = BUDGET_DB.check("--budget-db", parse_db(&args.budget_db, "--budget-db")?)?;
    let fiber_db = args
        .fiber_budget_db
        .as_deref()
        .map(|b| BUDGET_DB.check("--fiber-budget-db", parse_db(b, "--fiber-budget-db")?))
        .transpose()?;
    let budgets = Budgets { copper_db, fiber_db: fiber_db.unwrap_or(copper_db) };
    let media = args.channel.media(&args.media)?;
    let connectors = args.channel.connectors()?;
    let results = reach_table(&media, &rates, modulation, budgets, &connectors)?;
    if let Some(path) = &args.out.plot {
        let sweep = reach_table(&media, &LANE_GENERATIONS_BPS, modulation, budgets, &connectors)?;
        render(path, &charts::reach_vs_lane_rate(&sweep, budgets))?;
    }
    let table = tables::reach(&results);
    emit(args.out.format, &Document { schema: schema("reach"), modulation, results }, &table)?;
    Ok(ExitCode::SUCCESS)
}
