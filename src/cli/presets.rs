//! `photolink presets`: the built-in media, link presets (standard PMDs) and power architectures,
//! with their parameters and sources.

use super::{print_stdout, schema};
use crate::budget::{LinkFile, evaluate, presets};
use crate::channel::Medium;
use crate::error::Result;
use crate::output::{Format, Table, csv_from_json, fmt_sig, tables, to_json, to_json_value};
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `photolink presets`.
#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// Output format on stdout.
    #[arg(long, default_value = "table", value_parser = super::format_parser())]
    format: Format,
}

#[derive(Serialize)]
struct ArchitectureInfo {
    name: &'static str,
    description: &'static str,
    host_serdes_class: crate::power::ReachClass,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    media: Vec<Medium>,
    links: Vec<LinkFile>,
    /// The interconnect architectures of `photolink power`.
    architectures: Vec<ArchitectureInfo>,
}

/// The link presets with their margin at the spec corner.
fn links_table(links: &[LinkFile]) -> Result<Table> {
    let mut t = Table::new(&["preset", "description", "kind", "margin_db", "unverified values"]);
    for l in links {
        let b = evaluate(l, std::path::Path::new("."))?;
        let kind = if b.kind == crate::budget::LinkKind::Optical { "optical" } else { "electrical" };
        t.push(vec![
            l.preset.clone().unwrap_or_default(),
            b.name,
            kind.into(),
            fmt_sig(b.margin_db, 3),
            b.unverified.len().to_string(),
        ]);
    }
    Ok(t)
}

fn architectures_table(archs: &[ArchitectureInfo]) -> Table {
    let mut t = Table::new(&["architecture", "description", "host SerDes class"]);
    for a in archs {
        t.push(vec![a.name.into(), a.description.into(), a.host_serdes_class.name().into()]);
    }
    t
}

pub(super) fn run(args: PresetsArgs) -> Result<ExitCode> {
    let media = Medium::catalogue();
    let links = presets()?;
    let architectures: Vec<ArchitectureInfo> = crate::power::Architecture::ALL
        .iter()
        .map(|a| ArchitectureInfo {
            name: a.name(),
            description: a.description(),
            host_serdes_class: a.default_host_class(),
        })
        .collect();
    let doc = Document { schema: schema("presets"), media, links, architectures };
    let text = match args.format {
        Format::Json => to_json(&doc)?,
        Format::Csv => csv_from_json(&to_json_value(&doc)?),
        f => [tables::media(&doc.media), links_table(&doc.links)?, architectures_table(&doc.architectures)]
            .iter()
            .map(|t| t.render(f))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
