//! `photolink com`: Channel Operating Margin (IEEE 802.3 Annex 93A) of a thru channel and its
//! aggressors under a built-in parameter set.

use super::{emit, parse_port_order, schema};
use crate::com::{BUILT_IN, ChannelSet, ComParams, ComResult, FomIsi, com};
use crate::error::{Error, Result};
use crate::output::{Format, Table, fmt_sig};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `photolink com`.
#[derive(Debug, Args)]
pub struct ComArgs {
    /// The thru channel: a 4-port Touchstone file (.s4p, or .s4p.gz).
    #[arg(value_name = "THRU.s4p")]
    thru: PathBuf,
    /// A far-end crosstalk aggressor (4-port); repeat for more.
    #[arg(long, value_name = "FILE")]
    fext: Vec<PathBuf>,
    /// A near-end crosstalk aggressor (4-port); repeat for more.
    #[arg(long, value_name = "FILE")]
    next: Vec<PathBuf>,
    /// Built-in parameter set: 802.3by (25G NRZ KR4 sheet) or 802.3ck-kr.
    #[arg(long, value_name = "NAME")]
    config: String,
    /// Port layout of the 4-port files: 1-2,3-4 or 1-3,2-4 (default: detected from the thru).
    #[arg(allow_hyphen_values = true, long = "port-order", value_name = "ORDER")]
    port_order: Option<String>,
    /// ISI counted by the FOM of the EQ search: all-precursors (93A-31) or from-cursor
    /// (PyChOpMarg 3.4.0 without an Rx FFE).
    #[arg(long = "fom-isi", default_value = "all-precursors", value_name = "RULE")]
    fom_isi: String,
    /// Output format on stdout.
    #[arg(long, default_value = "table", value_parser = super::format_parser())]
    format: Format,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    thru: String,
    fext: Vec<String>,
    next: Vec<String>,
    port_order: String,
    #[serde(flatten)]
    result: ComResult,
}

pub(super) fn run(args: ComArgs) -> Result<ExitCode> {
    let mut params = ComParams::built_in(&args.config).map_err(|_| {
        Error::invalid("--config", format!("{:?}", args.config), format!("expected one of {}", BUILT_IN.join(", ")))
    })?;
    params.fom_isi = match args.fom_isi.as_str() {
        "all-precursors" => FomIsi::AllPrecursors,
        "from-cursor" => FomIsi::FromCursor,
        other => {
            return Err(Error::invalid("--fom-isi", format!("{other:?}"), "expected all-precursors or from-cursor"));
        }
    };
    let order = args.port_order.as_deref().map(parse_port_order).transpose()?;
    let label = |p: &PathBuf| p.display().to_string();
    let set = ChannelSet::read(args.thru.clone(), &args.fext, &args.next, order)?;
    let result = com(&set, &params)?;
    let table = table(&result);
    let document = Document {
        schema: schema("com"),
        thru: label(&args.thru),
        fext: args.fext.iter().map(label).collect(),
        next: args.next.iter().map(label).collect(),
        port_order: set.port_order.to_string(),
        result,
    };
    emit(args.format, &document, &table)?;
    Ok(ExitCode::SUCCESS)
}

/// One row per package case, then the worst.
fn table(r: &ComResult) -> Table {
    let mut t = Table::new(&[
        "case",
        "z_p tx/rx mm",
        "COM dB",
        "FOM dB",
        "A_s mV",
        "A_ni mV",
        "Tx c(-3..3)",
        "g_DC/g_DC2 dB",
        "sigma TX/ISI/J/XT/N mV",
    ]);
    let mv = |v: f64| fmt_sig(v * 1e3, 4);
    for (i, c) in r.cases.iter().enumerate() {
        let s = &c.eq.sigmas;
        t.push(vec![
            (i + 1).to_string(),
            format!("{:?}/{:?}", c.package.z_p_tx_mm, c.package.z_p_rx_mm),
            fmt_sig(c.com_db, 4),
            fmt_sig(c.eq.fom_db, 4),
            mv(c.margin.a_s_v),
            mv(c.margin.a_ni_v),
            c.eq.tx_taps.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>().join(" "),
            format!("{}/{}", c.eq.g_dc_db, c.eq.g_dc2_db),
            [s.sigma_tx_v, s.sigma_isi_v, s.sigma_j_v, s.sigma_xt_v, s.sigma_n_v].map(mv).join("/"),
        ]);
    }
    t.push(vec![
        "worst".into(),
        format!("case {}", r.worst_case + 1),
        fmt_sig(r.com_db, 4),
        String::new(),
        String::new(),
        String::new(),
        format!("IL@Nyq {} dB (fit {})", fmt_sig(r.il_db_at_nyquist, 4), fmt_sig(r.fitted_il_db_at_nyquist, 4)),
        if r.pass { "PASS (>= 3 dB)".into() } else { "FAIL (< 3 dB)".into() },
        format!("{} EQ points/case ({})", r.eq_points, r.config),
    ]);
    t
}
