//! `photolink report`: the review pack.

use super::print_stdout;
use crate::error::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `photolink report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Directory for the charts and README.md.
    #[arg(long, value_name = "DIR", default_value = "plots")]
    out: PathBuf,
}

pub(super) fn run(args: ReportArgs) -> Result<ExitCode> {
    let bar = super::progress::bar(crate::review::SECTIONS as u64, "report");
    let written = crate::review::write(&args.out, &|section: &str| {
        bar.set_message(format!("report: {section}"));
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    let list: String = written.iter().map(|p| format!("wrote {}\n", p.display())).collect();
    print_stdout(&list)?;
    Ok(ExitCode::SUCCESS)
}
