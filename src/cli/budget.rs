//! `photolink budget` (the margin table of each link) and `photolink check` (a CI gate over many).

use super::{emit, print_stdout, schema};
use crate::budget::evaluate::MAX_REACH_M;
use crate::budget::{Budget, LinkKind, LoadedLink};
use crate::channel::LENGTH_M;
use crate::error::{Error, Result};
use crate::output::{Format, Table, csv_from_json, fmt_sig, to_json, to_json_value};
use crate::units::{Quantity, parse};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Where the links come from: files and/or a preset, with an optional length override.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Link files (TOML; format in docs/link-file.md); any number, evaluated in order.
    #[arg(value_name = "LINK.toml")]
    files: Vec<PathBuf>,
    /// A built-in preset (see `photolink presets`), e.g. 400GBASE-DR4.
    #[arg(allow_hyphen_values = true, long, value_name = "NAME")]
    preset: Option<String>,
    /// Length of the first fiber or copper segment, e.g. 500m or 2km.
    #[arg(long, value_name = "L", allow_hyphen_values = true)]
    length: Option<String>,
}

impl LinkArgs {
    pub(super) fn load(&self) -> Result<Vec<LoadedLink>> {
        let mut links = self.files.iter().map(|path| LoadedLink::read(path)).collect::<Result<Vec<_>>>()?;
        if let Some(name) = &self.preset {
            links.push(LoadedLink::preset(name).map_err(|e| e.with_field(|_| "--preset".into()))?);
        }
        if links.is_empty() {
            return Err(Error::invalid("LINK.toml", "none", "expected a link file or --preset NAME"));
        }
        let Some(text) = &self.length else { return Ok(links) };
        let l = LENGTH_M.check("--length", parse(text, "--length", Quantity::Length)?)?;
        links
            .into_iter()
            .map(|loaded| {
                let mut loaded = loaded.with_first_length(l)?;
                let name = loaded.link.name.take().unwrap_or_else(|| "link".into());
                loaded.link.name = Some(format!("{name}, --length {text}"));
                Ok(loaded)
            })
            .collect()
    }
}

/// Arguments of `photolink budget`.
#[derive(Debug, Args)]
pub struct BudgetArgs {
    #[command(flatten)]
    links: LinkArgs,
    /// Also solve for the length of the first fiber or copper segment at which the margin is zero.
    #[arg(long = "max-reach")]
    max_reach: bool,
    /// Also simulate the link (optical PAM4): OMA and TDECQ of the default transmitter back to back
    /// and through the fiber, and the margin with them.
    #[arg(long)]
    physical: bool,
    /// Output format on stdout.
    #[arg(long, default_value = "table", value_parser = super::format_parser())]
    format: Format,
}

#[derive(Serialize)]
struct BudgetDocument {
    schema: String,
    /// The link file's path, or `preset NAME`.
    link: String,
    #[serde(flatten)]
    budget: Budget,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_reach_m: Option<Option<f64>>,
    /// The physical budget (its 802.3 twin is the document itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    physical: Option<crate::budget::PhysicalBudget>,
}

fn budget_table(b: &Budget) -> Table {
    let mut t = Table::new(&["item", "value", "unit", "source"]);
    for r in &b.rows {
        t.push(vec![r.item.clone(), fmt_sig(r.value_db, 4), r.unit.into(), r.source.clone()]);
    }
    for v in &b.violations {
        t.push(vec![format!("non-compliant: {v}"), "-".into(), "".into(), "the standard's limits".into()]);
    }
    let verdict = if b.pass { "PASS" } else { "FAIL" };
    t.push(vec![format!("result: {verdict}"), fmt_sig(b.margin_db, 4), "dB".into(), "margin".into()]);
    if let (Some(ber), Some(post)) = (b.ber, b.post_fec_ber) {
        t.push(vec!["pre-FEC BER at this margin".into(), fmt_sig(ber, 3), "".into(), "noise-limited receiver".into()]);
        t.push(vec!["post-FEC BER".into(), fmt_sig(post, 3), "".into(), "binomial tail of the code".into()]);
    }
    t
}

/// The budget of one link as its JSON document and its display table.
fn budget_of(loaded: &LoadedLink, args: &BudgetArgs) -> Result<(BudgetDocument, Table)> {
    let budget = loaded.evaluate()?;
    let max_reach_m = if args.max_reach { Some(loaded.max_reach_m()?) } else { None };
    let mut table = budget_table(&budget);
    if let Some(reach) = max_reach_m {
        let text = match reach {
            None => "none (fails at zero length)".into(),
            Some(l) if l >= MAX_REACH_M => format!(">= {}", fmt_sig(l, 5)),
            Some(l) => fmt_sig(l, 5),
        };
        let caveat = match budget.kind {
            LinkKind::Optical => "loss only: past the PMD's reach TDECQ no longer covers the dispersion",
            LinkKind::Electrical => "insertion loss only: COM and ERL are not evaluated",
        };
        table.push(vec!["max reach (margin 0)".into(), text, "m".into(), caveat.into()]);
    }
    let physical = if args.physical {
        let p = loaded.physical()?;
        for r in &p.rows {
            table.push(vec![format!("physical: {}", r.item), fmt_sig(r.value_db, 4), r.unit.into(), r.source.clone()]);
        }
        let verdict = if p.pass { "PASS" } else { "FAIL" };
        let why = p.eye_closed.clone().unwrap_or_else(|| "margin with the simulated transmitter".into());
        table.push(vec![format!("physical: result: {verdict}"), fmt_sig(p.margin_db, 4), "dB".into(), why]);
        Some(p)
    } else {
        None
    };
    let document =
        BudgetDocument { schema: schema("budget"), link: loaded.label.clone(), budget, max_reach_m, physical };
    Ok((document, table))
}

/// Prints the budget of every link, in the order given: each link's table (under a title line
/// naming the link when there are several), one JSON document per link (a stream `jq` reads as
/// is), or one CSV whose rows carry their link. Every link is evaluated before anything is
/// printed, so bad input in any file prints nothing and exits 2, as `check` does.
pub(super) fn run_budget(args: BudgetArgs) -> Result<ExitCode> {
    let links = args.links.load()?;
    let budgets = links.iter().map(|loaded| budget_of(loaded, &args)).collect::<Result<Vec<_>>>()?;
    let text = match args.format {
        Format::Json => budgets.iter().map(|(document, _)| to_json(document)).collect::<Result<String>>()?,
        Format::Csv => {
            let documents = budgets.iter().map(|(document, _)| to_json_value(document)).collect::<Result<Vec<_>>>()?;
            csv_from_json(&serde_json::json!({ "links": documents }))
        }
        format if budgets.len() == 1 => budgets[0].1.render(format),
        format => {
            let titled = budgets.iter().map(|(document, table)| {
                let title = format!("{}: {}", document.link, document.budget.name);
                let title = if format == Format::Markdown { format!("### {title}\n") } else { title };
                format!("{title}\n{}", table.render(format))
            });
            titled.collect::<Vec<_>>().join("\n")
        }
    };
    print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `photolink check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    links: LinkArgs,
    /// Print nothing when every link passes.
    #[arg(long, short)]
    quiet: bool,
    /// Output format on stdout.
    #[arg(long, default_value = "table", value_parser = super::format_parser())]
    format: Format,
}

#[derive(Serialize)]
struct Verdict {
    link: String,
    name: String,
    margin_db: f64,
    pass: bool,
    violations: Vec<String>,
}

#[derive(Serialize)]
struct CheckDocument {
    schema: String,
    pass: bool,
    links: Vec<Verdict>,
}

/// Exit 0 when every link has a non-negative margin, 1 otherwise (failures named on stderr).
pub(super) fn run_check(args: CheckArgs) -> Result<ExitCode> {
    let links = args.links.load()?;
    let verdicts = links
        .iter()
        .map(|l| {
            let b = l.evaluate()?;
            Ok(Verdict {
                link: l.label.clone(),
                name: b.name,
                margin_db: b.margin_db,
                pass: b.pass,
                violations: b.violations,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let pass = verdicts.iter().all(|v| v.pass);
    for v in verdicts.iter().filter(|v| !v.pass) {
        let why = if v.violations.is_empty() { String::new() } else { format!("; {}", v.violations.join("; ")) };
        eprintln!("FAIL {} ({}): margin {} dB{why}", v.link, v.name, fmt_sig(v.margin_db, 3));
    }
    if !(pass && args.quiet) {
        let mut t = Table::new(&["link", "name", "margin_db", "result"]);
        for v in &verdicts {
            let result = if v.pass { "PASS" } else { "FAIL" };
            t.push(vec![v.link.clone(), v.name.clone(), fmt_sig(v.margin_db, 4), result.into()]);
        }
        emit(args.format, &CheckDocument { schema: schema("check"), pass, links: verdicts }, &t)?;
    }
    Ok(if pass { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
