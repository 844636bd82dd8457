//! `photolink power`: watts per port, pJ/bit and the breakdown of interconnect architectures, and
//! optionally the interconnect power of a whole cluster.

use super::{OutputArgs, emit, print_stdout, schema};
use crate::error::{Error, Result};
use crate::output::{Format, tables};
use crate::plot::{power as charts, render};
use crate::power::{
    ArchPower, Architecture, ClusterPower, ClusterSpec, PortSpec, PowerParams, cluster_power, evaluate_all,
};
use crate::signal::Modulation;
use crate::units::{Quantity, parse};
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `photolink power`.
#[derive(Debug, Args)]
#[command(after_help = "Figures are for one end of a link carrying --rate each way: watts_per_port and pj_per_bit \
    include the host SerDes lanes the architecture needs (class host_class); module_watts is the datasheet figure \
    without them. The breakdown (W) sums to watts_per_port.\n\
    Parameters (resolved values: `photolink power --print-config`; defaults with their sources: the \
    crate docs of photolink::power::params) are overridden by --config FILE.toml and then by --set section.field=value, \
    e.g. --set laser.wpe=0.2 --set dsp.process_nm=5.\n\
    --plot FILE.png draws the pJ/bit breakdown to FILE.png and pJ/bit vs reach to FILE_reach.png.\n\
    With --cluster-gpus, the table/csv/markdown output prints the cluster table after the architecture table.")]
pub struct PowerArgs {
    /// Architecture (repeatable): dac, acc, aec, dsp-pluggable, lro, lpo, npo, cpo [default: all].
    #[arg(allow_hyphen_values = true, long = "arch", value_name = "NAME")]
    archs: Vec<String>,
    /// Port data rate per direction, e.g. 800G, 1.6Tbps.
    #[arg(long, value_name = "RATE", default_value = "800G", allow_hyphen_values = true)]
    rate: String,
    /// Lanes per direction.
    #[arg(allow_hyphen_values = true, long, value_name = "N", default_value_t = 8)]
    lanes: u32,
    /// Lane modulation: nrz or pam4.
    #[arg(allow_hyphen_values = true, long, default_value = "pam4")]
    modulation: String,
    /// TOML file of parameter overrides (sections as in --print-config).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Override one parameter (repeatable): section.field=value.
    #[arg(allow_hyphen_values = true, long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Print the resolved parameters as TOML and exit.
    #[arg(long)]
    print_config: bool,
    /// Accelerators in the cluster (adds cluster totals; needs --bandwidth-per-gpu).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    cluster_gpus: Option<String>,
    /// Bandwidth per accelerator per direction, e.g. 7.2Tbps.
    #[arg(long, value_name = "RATE", allow_hyphen_values = true)]
    bandwidth_per_gpu: Option<String>,
    /// Copper architecture inside the rack for the cluster totals.
    #[arg(allow_hyphen_values = true, long, value_name = "NAME", default_value = "dac")]
    cluster_copper: String,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Serialize)]
struct Document<'a> {
    schema: String,
    rate_bps: f64,
    lanes: u32,
    modulation: Modulation,
    architectures: Vec<ArchPower>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster: Option<ClusterPower>,
    parameters: &'a PowerParams,
}

fn parse_cluster(args: &PowerArgs) -> Result<Option<ClusterSpec>> {
    match (&args.cluster_gpus, &args.bandwidth_per_gpu) {
        (None, None) => Ok(None),
        (Some(n), Some(bw)) => {
            let count: f64 = n.trim().parse().map_err(|_| {
                Error::invalid("--cluster-gpus", format!("'{n}'"), "expected a number such as 100000 or 1e5")
            })?;
            let bandwidth = parse(bw, "--bandwidth-per-gpu", Quantity::BitRate)?;
            ClusterSpec::new(count, bandwidth).map(Some)
        }
        (Some(_), None) => Err(Error::invalid("--bandwidth-per-gpu", "none", "expected it with --cluster-gpus")),
        (None, Some(_)) => Err(Error::invalid("--cluster-gpus", "none", "expected it with --bandwidth-per-gpu")),
    }
}

/// `FILE.png` → `FILE_reach.png`.
fn reach_plot_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    path.with_file_name(format!("{stem}_reach{ext}"))
}

pub(super) fn run(args: PowerArgs) -> Result<ExitCode> {
    let params = PowerParams::resolve(args.config.as_deref(), &args.sets)?;
    if args.print_config {
        let text = toml::to_string(&params).map_err(|e| Error::Numerical { what: format!("TOML encoding: {e}") })?;
        print_stdout(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let modulation = Modulation::parse(&args.modulation)?;
    let rate = parse(&args.rate, "--rate", Quantity::BitRate)?;
    let port = PortSpec::new(rate, args.lanes, modulation)?;
    let archs = if args.archs.is_empty() {
        Architecture::ALL.to_vec()
    } else {
        args.archs.iter().map(|a| Architecture::parse(a)).collect::<Result<Vec<_>>>()?
    };
    let copper = Architecture::parse(&args.cluster_copper).ok().filter(|a| a.is_copper()).ok_or_else(|| {
        Error::invalid("--cluster-copper", format!("'{}'", args.cluster_copper), "expected dac, acc or aec")
    })?;
    let cluster = parse_cluster(&args)?.map(|spec| cluster_power(&spec, &port, copper, &archs, &params)).transpose()?;
    let results = evaluate_all(&archs, &port, &params)?;
    if let Some(path) = &args.out.plot {
        render(path, &charts::breakdown_bars(&results))?;
        render(&reach_plot_path(path), &charts::pj_per_bit_vs_reach(&results))?;
    }
    let mut table = tables::architectures(&results);
    if let (Some(c), false) = (&cluster, args.out.format == Format::Json) {
        // Text formats: the cluster table follows the architecture table after a blank line.
        let text = table.render(args.out.format) + "\n";
        print_stdout(&text)?;
        table = tables::cluster(c);
    }
    let doc = Document {
        schema: schema("power"),
        rate_bps: rate,
        lanes: args.lanes,
        modulation,
        architectures: results,
        cluster,
        parameters: &params,
    };
    emit(args.out.format, &doc, &table)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_plot_gets_a_suffix() {
        assert_eq!(reach_plot_path(Path::new("out/p.png")), PathBuf::from("out/p_reach.png"));
        assert_eq!(reach_plot_path(Path::new("p.svg")), PathBuf::from("p_reach.svg"));
    }
}
