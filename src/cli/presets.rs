//! `photolink presets`: the built-in media with their parameters and sources.

use super::{emit, schema};
use crate::channel::Medium;
use crate::error::Result;
use crate::report::{Format, tables};
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `photolink presets`.
#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
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
    /// The interconnect architectures of `photolink power`.
    architectures: Vec<ArchitectureInfo>,
}

pub(super) fn run(args: PresetsArgs) -> Result<ExitCode> {
    let media = Medium::catalogue();
    let t = tables::media(&media);
    let architectures = crate::power::Architecture::ALL
        .iter()
        .map(|a| ArchitectureInfo {
            name: a.name(),
            description: a.description(),
            host_serdes_class: a.default_host_class(),
        })
        .collect();
    emit(args.format, &Document { schema: schema("presets"), media, architectures }, &t)?;
    Ok(ExitCode::SUCCESS)
}
