//! The `photolink` command line: clap definitions and thin handlers over the library.
//!
//! Exit codes: 0 success (check passed), 1 check failed, 2 usage or input error.

mod ber;
mod budget;
mod com;
mod eq;
mod eye;
mod fec;
mod loss;
mod nrz_budget;
mod power;
mod presets;
mod progress;
mod reach;
mod report;
mod sweep;

use crate::error::{Error, Result};
use crate::output::{Format, Table, csv_from_json, to_json, to_json_value};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Will this link close, how far can it reach, and what does it cost in power?
#[derive(Debug, Parser)]
#[command(
    name = "photolink",
    version,
    about,
    after_help = "Exit codes: 0 success, 1 check failed, 2 usage or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Insertion loss of media (or Touchstone files) vs frequency and length.
    Loss(loss::LossArgs),
    /// Longest length of each medium whose loss at Nyquist meets a budget.
    Reach(reach::ReachArgs),
    /// Eye diagram, eye metrics and TDECQ of a simulated optical lane or a measured waveform.
    Eye(Box<eye::EyeArgs>),
    /// SER/BER: waterfalls in Gaussian noise, or statistical with ISI and jitter from a pulse.
    Ber(ber::BerArgs),
    /// Pre-FEC BER to codeword errors, post-FEC BER, uncorrectable codewords and flaps per day.
    Fec(fec::FecArgs),
    /// Channel Operating Margin (IEEE 802.3 Annex 93A) of a thru channel and its aggressors.
    Com(com::ComArgs),
    /// Equalizes a channel: optimal Tx FFE, CTLE, Rx FFE and DFE; SNR before/after and BER.
    Eq(Box<eq::EqArgs>),
    /// Energy per bit and watts per port of DAC, ACC, AEC, DSP pluggable, LRO, LPO, NPO, CPO, with breakdown.
    Power(power::PowerArgs),
    /// The budget table of each link (files or a preset): every loss and penalty, the margin, the BER.
    Budget(budget::BudgetArgs),
    /// Exit 0 when every link passes, 1 when any margin is negative, 2 on bad input (a CI gate).
    Check(budget::CheckArgs),
    /// One numeric field of a link over a range, in parallel: margin vs the parameter.
    Sweep(sweep::SweepArgs),
    /// The IEEE 802.3ae 10GEPBud NRZ model of one link file: every penalty, the margin, the max reach.
    NrzBudget(nrz_budget::NrzBudgetArgs),
    /// Lists the built-in media, link presets (standard PMDs) and power architectures with their sources.
    Presets(presets::PresetsArgs),
    /// Writes the review pack: charts and a Markdown summary (the main job).
    Report(report::ReportArgs),
}

/// Options shared by every computing command.
#[derive(Debug, Args)]
struct OutputArgs {
    /// Output format on stdout.
    #[arg(long, default_value = "table", value_parser = format_parser())]
    format: Format,
    /// Also draw a chart to this file (.png or .svg).
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
}

/// `--format`: one of [`Format::NAMES`] (listed in the help), parsed by `Format`'s `FromStr`.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Format::NAMES).map(|name| name.parse().unwrap_or_default())
}

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Loss(a) => loss::run(a),
        Command::Reach(a) => reach::run(a),
        Command::Power(a) => power::run(a),
        Command::Ber(a) => ber::run(a),
        Command::Fec(a) => fec::run(a),
        Command::Budget(a) => budget::run_budget(a),
        Command::Check(a) => budget::run_check(a),
        Command::Sweep(a) => sweep::run(a),
        Command::NrzBudget(a) => nrz_budget::run(a),
        Command::Eye(a) => eye::run(*a),
        Command::Presets(a) => presets::run(a),
        Command::Com(a) => com::run(a),
        Command::Eq(a) => eq::run(*a),
        Command::Report(a) => report::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", with_flag_names(e));
            ExitCode::from(2)
        }
    }
}

/// The flag that sets each library field or parameter an error of a command can name: the
/// library names what it was given (`symbol_rate_baud`), the command line what the user typed
/// (`--rate`).
const FLAGS: &[(&str, &str)] = &[
    ("accelerators", "--cluster-gpus"),
    ("amplitude_v", "--amplitude"),
    ("architecture", "--arch"),
    ("bandwidth_per_accelerator_bps", "--bandwidth-per-gpu"),
    ("bit_rate_bps", "--rate"),
    ("budget_db", "--budget-db"),
    ("ctle", "--ctle"),
    ("ctle.g_dc_db", "--ctle g_DC"),
    ("ctle.g_dc2_db", "--ctle g_DC2"),
    ("cursor", "--cursor"),
    ("dfe", "--dfe"),
    ("lanes", "--lanes"),
    ("medium", "--medium"),
    ("method", "--method"),
    ("modulation", "--modulation"),
    ("noise_rms_v", "--noise-rms"),
    ("param", "--param"),
    ("path", "--plot"),
    ("rate_bps", "--rate"),
    ("rate_bps / lanes", "--rate / --lanes"),
    ("rx_ffe", "--rx-ffe"),
    ("sample_rate_hz", "--sample-rate"),
    ("sample_unit", "--unit"),
    ("symbol_rate_baud", "--rate"),
    ("taps", "--tx-ffe"),
    ("tx", "--tx-ffe"),
    ("wavelength_m", "--wavelength"),
];

/// `e` with the field of an [`Error::InvalidParameter`] renamed to its flag ([`FLAGS`]); fields
/// without a flag (link-file paths, `file: key`) and other errors are unchanged.
fn with_flag_names(e: Error) -> Error {
    match e {
        Error::InvalidParameter { field, value, expected } => {
            let field = FLAGS.iter().find(|(f, _)| *f == field).map_or(field, |(_, flag)| flag.to_string());
            Error::InvalidParameter { field, value, expected }
        }
        e => e,
    }
}

/// Writes `text` to stdout; a closed pipe (`photolink ... | head`) is not an error.
fn print_stdout(text: &str) -> Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io(std::path::Path::new("<stdout>"), e)),
        _ => Ok(()),
    }
}

/// Prints a result: JSON and CSV from the serialisable document (full precision), the text
/// formats from the display table.
fn emit<T: Serialize>(format: Format, document: &T, table: &Table) -> Result<()> {
    let text = match format {
        Format::Json => to_json(document)?,
        Format::Csv => csv_from_json(&to_json_value(document)?),
        _ => table.render(format),
    };
    print_stdout(&text)
}

/// The `"schema"` tag of a command's JSON document, e.g. `photolink.loss.v1`.
fn schema(command: &str) -> String {
    format!("photolink.{command}.v{}", crate::output::SCHEMA_VERSION)
}

/// `--port-order`: the port layout of a 4-port Touchstone file.
fn parse_port_order(text: &str) -> Result<crate::channel::PortOrder> {
    text.parse().map_err(|_| Error::invalid("--port-order", format!("'{text}'"), "expected 1-2,3-4 or 1-3,2-4"))
}

/// Options that shape a channel: fiber wavelength and lumped losses.
#[derive(Debug, Args)]
struct ChannelArgs {
    /// Operating wavelength of the fiber media, e.g. 1311nm.
    #[arg(allow_hyphen_values = true, long, value_name = "NM")]
    wavelength: Option<String>,
    /// A lumped loss in series (repeatable): 0.35dB (flat) or 1.2dB@26.56GHz (scaled as sqrt f).
    #[arg(allow_hyphen_values = true, long = "connector", value_name = "LOSS")]
    connectors: Vec<String>,
}

impl ChannelArgs {
    /// Catalogue media by name, with `--wavelength` applied to the fiber ones.
    fn media(&self, names: &[String]) -> Result<Vec<crate::channel::Medium>> {
        use crate::units::{Quantity, parse};
        let lambda = self.wavelength.as_deref().map(|w| parse(w, "--wavelength", Quantity::Length)).transpose()?;
        let media = names.iter().map(|n| crate::channel::Medium::named(n)).collect::<Result<Vec<_>>>()?;
        match lambda {
            None => Ok(media),
            Some(l) if media.iter().any(|m| m.is_optical()) => {
                media.into_iter().map(|m| if m.is_optical() { m.with_wavelength(l) } else { Ok(m) }).collect()
            }
            Some(l) => Err(Error::invalid(
                "--wavelength",
                format!("{:.1} nm", l * 1e9),
                "expected a fiber medium (smf, mmf-om3/4/5) among --medium",
            )),
        }
    }

    /// `--connector` values.
    fn connectors(&self) -> Result<Vec<crate::channel::LumpedLoss>> {
        self.connectors.iter().map(|c| crate::channel::LumpedLoss::parse(c, "--connector")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_fields_print_as_their_flags() {
        let lane = crate::signal::Lane::new(0.0, crate::signal::Modulation::Pam4).unwrap_err();
        assert!(lane.to_string().starts_with("invalid bit_rate_bps = 0 b/s"), "{lane}");
        assert!(with_flag_names(lane).to_string().starts_with("invalid --rate = 0 b/s"));
        let ctle = "-25".parse::<crate::eq::CtleChoice>().unwrap_err();
        assert!(with_flag_names(ctle).to_string().starts_with("invalid --ctle g_DC = -25 dB"));
        // Paths of a link file and errors placed in a file keep their names.
        let link = Error::invalid("transmitter.tdecq_db", 25, "expected 0 dB ..= 20 dB");
        assert_eq!(with_flag_names(link).to_string(), "invalid transmitter.tdecq_db = 25: expected 0 dB ..= 20 dB");
        let parse = Error::Parse { file: "l.toml".into(), line: 3, message: "invalid modulation = 'x'".into() };
        assert_eq!(with_flag_names(parse).to_string(), "l.toml:3: invalid modulation = 'x'");
        let names: std::collections::BTreeSet<_> = FLAGS.iter().map(|(f, _)| f).collect();
        assert_eq!(names.len(), FLAGS.len(), "one flag per field");
    }
}
