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
struct Document {
    schema: String,
    media: Vec<Medium>,
}

pub(super) fn run(args: PresetsArgs) -> Result<ExitCode> {
    let media = Medium::catalogue();
    let t = tables::media(&media);
    emit(args.format, &Document { schema: schema("presets"), media }, &t)?;
    Ok(ExitCode::SUCCESS)
}
