//! `photolink nrz-budget`: the IEEE 802.3ae 10GEPBud NRZ link model (`docs/nrz-link-model.md`) of one link
//! file: every term of the budget with its formula, the margin, and optionally the longest length
//! that still closes.
//!
//! Exit 0 when the margin is ≥ 0, 1 when it is negative or the eye is closed (the sheet's `#NUM!`:
//! a failing link, not bad input), 2 on bad input.

use super::{emit, schema};
use crate::budget::nrz_model::{MAX_LENGTH_KM, NrzBudget, NrzLink, NrzOutcome};
use crate::error::{Result, check_range};
use crate::output::{Format, Table, fmt_sig};
use crate::units::{Quantity, parse};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `photolink nrz-budget`.
#[derive(Debug, Args)]
pub struct NrzBudgetArgs {
    /// NRZ link file (TOML; fields in docs/link-file.md, "NRZ links").
    #[arg(value_name = "FILE.toml")]
    file: PathBuf,
    /// Link length, replacing the file's length_km, e.g. 10km or 400m.
    #[arg(long, value_name = "L", allow_hyphen_values = true)]
    length: Option<String>,
    /// Also find the longest length with margin >= 0 by bisection (a closed eye fails).
    #[arg(long = "max-reach")]
    max_reach: bool,
    /// Output format on stdout.
    #[arg(long, default_value = "table", value_parser = super::format_parser())]
    format: Format,
}

/// One quantity of the budget, with the formula or input it comes from (10GEPBud).
#[derive(Serialize)]
struct Row {
    item: &'static str,
    value: f64,
    unit: &'static str,
    source: &'static str,
}

/// The JSON document; the table shows the same rows with the verdict.
#[derive(Serialize)]
struct Document {
    schema: String,
    link: String,
    length_km: f64,
    rows: Vec<Row>,
    pass: bool,
    #[serde(flatten)]
    outcome: NrzOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_reach_km: Option<Option<f64>>,
}

/// Why the link fails, for the `FAIL` line on stderr.
fn failure(outcome: &NrzOutcome, length_km: f64) -> String {
    match outcome {
        NrzOutcome::Open(b) => format!("margin {} dB at {length_km} km", fmt_sig(b.margin_db, 3)),
        NrzOutcome::Closed { eye_closed, .. } => eye_closed.clone(),
    }
}

pub(super) fn run(args: NrzBudgetArgs) -> Result<ExitCode> {
    let length_km = args.length.as_deref().map(parse_length_km).transpose()?;
    let link = NrzLink::read(&args.file, length_km)?;
    let label = args.file.display().to_string();
    let outcome = link.outcome()?;
    let max_reach_km = if args.max_reach { Some(link.max_reach_km()?) } else { None };
    let pass = outcome.passes();
    if !pass {
        eprintln!("FAIL {label}: {}", failure(&outcome, link.length_km));
    }
    let rows = match &outcome {
        NrzOutcome::Open(budget) => rows(budget, &link),
        NrzOutcome::Closed { .. } => Vec::new(),
    };
    let doc = Document {
        schema: schema("nrz-budget"),
        link: label,
        length_km: link.length_km,
        rows,
        pass,
        outcome,
        max_reach_km,
    };
    emit(args.format, &doc, &table(&doc))?;
    Ok(if pass { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `--length` (a length with its unit, `10km`, `400m`) in km, within the model's range.
fn parse_length_km(text: &str) -> Result<f64> {
    let km = parse(text, "--length", Quantity::Length)? / 1e3;
    check_range("--length", km, 0.0, MAX_LENGTH_KM, "km")
}

/// The budget as rows, each with the formula of 10GEPBud (or the input) it comes from.
fn rows(b: &NrzBudget, link: &NrzLink) -> Vec<Row> {
    let t_md_source =
        if link.emb_mhz_km.is_some() { "0.48e6/BW, BW = EMB/L (modal)" } else { "0.48e6/BW, BW = 1e6/(3·DGD) (SMF)" };
    [
        ("attenuation", b.atten_db, "dB", "α(λ)·L, α = C·(1.05 + (0.00094·λ)^-4)"),
        ("ChIL", b.chil_db, "dB", "attenuation + connection loss"),
        ("D1·L", b.d1l_ps_per_nm, "ps/nm", "D1 = (S0/4)·(λ − λ0⁴/λ³)"),
        ("T_tx", b.t_tx_ps, "ps", "1.518·T(20-80), 10-90 %"),
        ("T_cd", b.t_cd_ps, "ps", "0.48e6/BW_cd (chromatic)"),
        ("T_md", b.t_md_ps, "ps", t_md_source),
        ("T_rx", b.t_rx_ps, "ps", "329/BW_rx (GHz), as coded"),
        ("T_c", b.t_c_ps, "ps", "√(T_tx² + T_cd² + T_md² + T_rx²)"),
        ("P_isi", b.p_isi_db, "dB", "−10·log10(2·erf(a/T_c) − 1)"),
        ("P_dj", b.p_dj_db, "dB", "residual jitter DJ − DCD at the eye centre"),
        ("P_refl", b.p_refl_db, "dB", "−10·log10(ISI_refl): ER, F_ref, R_tx + R_rx, ChIL"),
        ("P_rin", b.p_rin_db, "dB", "RIN(OMA) in BW_rin at Q = 7.04"),
        ("P_mpn", b.p_mpn_db, "dB", "k_mpn, β = π·BR·speedup·Δλ·D1·L (effective bit rate)"),
        ("P_mn", b.p_mn_db, "dB", "input p_mn_db (modal noise)"),
        ("P_blw", b.p_blw_db, "dB", "σ_blw at the mask corners (inside P_cross)"),
        ("P_cross", b.p_cross_db, "dB", "joint penalty − individual penalties"),
        ("P_total", b.p_total_db, "dB", "P_isi + P_dj + atten + P_mpn + P_refl + P_rin + P_cross + P_mn"),
        ("power budget", b.p_budget_db, "dB", "OMA_tx − S_rx"),
        ("connection loss", link.connection_loss_db, "dB", "input connection_loss_db"),
        ("margin", b.margin_db, "dB", "power budget − connection loss − P_total"),
    ]
    .into_iter()
    .map(|(item, value, unit, source)| Row { item, value, unit, source })
    .collect()
}

/// The rows, then the verdict (and the max reach) as `budget` prints them.
fn table(doc: &Document) -> Table {
    let mut t = Table::new(&["item", "value", "unit", "source"]);
    for r in &doc.rows {
        t.push(vec![r.item.into(), fmt_sig(r.value, 4), r.unit.into(), r.source.into()]);
    }
    let verdict = if doc.pass { "PASS" } else { "FAIL" };
    let length = format!("at {} km", doc.length_km);
    t.push(match &doc.outcome {
        NrzOutcome::Open(b) => {
            vec![format!("result: {verdict}"), fmt_sig(b.margin_db, 4), "dB".into(), format!("margin {length}")]
        }
        NrzOutcome::Closed { eye_closed, .. } => {
            vec![format!("result: {verdict}"), "-".into(), "".into(), eye_closed.clone()]
        }
    });
    if let Some(reach) = doc.max_reach_km {
        t.push(vec![
            "max reach (margin 0)".into(),
            reach_text(reach),
            "km".into(),
            "bisection on length_km; dgd_ps held".into(),
        ]);
    }
    t
}

/// The max reach as a table cell: `none` when 0 km fails, `>= 1000` at the model's limit.
fn reach_text(reach: Option<f64>) -> String {
    match reach {
        None => "none (fails at 0 km)".into(),
        Some(l) if l >= MAX_LENGTH_KM => format!(">= {l}"),
        Some(l) => fmt_sig(l, 6),
    }
}
