//! `photolink fec`: from a pre-FEC BER to codeword errors, post-FEC BER, uncorrectable codewords
//! and link flaps per day across a fleet of links.

use super::{OutputArgs, emit, schema};
use crate::error::{Error, Result, check_range};
use crate::metrics::fec::{CONTINUATION_PROB, check_ber_named};
use crate::metrics::flaps::link_report;
use crate::metrics::{BurstModel, FecTarget, FlapDefinition, FlapWindow, LinkReport, ReedSolomon};
use crate::output::{Table, fmt_sig};
use crate::plot::ber::fec_cliff;
use crate::plot::render;
use crate::units::{Quantity, parse};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `photolink fec`.
#[derive(Debug, Args)]
pub struct FecArgs {
    /// Bit error ratio at the FEC decoder input, in (0, 0.5], e.g. 2.4e-4.
    #[arg(long = "pre-fec-ber", value_name = "BER", allow_hyphen_values = true)]
    pre_fec_ber: f64,
    /// The code: kp4 = RS(544,514), kr4 = RS(528,514), or rs(n,k) over 10-bit symbols.
    #[arg(allow_hyphen_values = true, long, value_name = "CODE", default_value = "kp4")]
    code: String,
    /// Rate of the interface the code covers, e.g. 106.25Gbps (one lane) or 850Gbps (800GbE).
    #[arg(
        allow_hyphen_values = true,
        long = "lane-rate",
        visible_alias = "line-rate",
        value_name = "RATE",
        default_value = "106.25Gbps"
    )]
    lane_rate: String,
    /// Number of links in the fleet.
    #[arg(allow_hyphen_values = true, long, value_name = "N", default_value_t = 1)]
    links: u64,
    /// Flap definition: this many uncorrectable codewords ...
    #[arg(allow_hyphen_values = true, long = "flap-count", value_name = "K", default_value_t = 1)]
    flap_count: u32,
    /// ... within this window, e.g. 1s or 10ms.
    #[arg(long = "flap-window", value_name = "T", default_value = "1s", allow_hyphen_values = true)]
    flap_window: String,
    /// Window placement: sliding (trailing window at every instant) or tumbling (counters polled
    /// every window).
    #[arg(long = "flap-window-kind", value_enum, value_name = "KIND", default_value = "sliding")]
    flap_window_kind: WindowKind,
    /// Also give the frame loss ratio for frames of this many bytes, e.g. 1518.
    #[arg(allow_hyphen_values = true, long = "frame-bytes", value_name = "BYTES")]
    frame_bytes: Option<u64>,
    /// Post-FEC BER target whose pre-FEC BER threshold is reported.
    #[arg(allow_hyphen_values = true, long = "target-post-fec-ber", value_name = "BER", default_value_t = 1e-15)]
    target_post_fec_ber: f64,
    /// DFE error propagation: probability that a decision error is followed by another (burst
    /// continuation); reports the bursty codeword error ratio.
    #[arg(allow_hyphen_values = true, long = "error-propagation", value_name = "P")]
    error_propagation: Option<f64>,
    /// Bits per burst element: 2 for PAM4 symbol errors, 1 for bit-level bursts.
    #[arg(allow_hyphen_values = true, long = "burst-element-bits", value_name = "BITS", default_value_t = 2)]
    burst_element_bits: u32,
    /// The burst model assumes 1/(1+D) precoding.
    #[arg(long)]
    precoded: bool,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WindowKind {
    Sliding,
    Tumbling,
}

/// Codeword errors when decision errors come in bursts.
#[derive(Serialize)]
struct BurstResult {
    #[serde(flatten)]
    model: BurstModel,
    codeword_error_ratio: f64,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    code_name: String,
    #[serde(flatten)]
    report: LinkReport,
    target_post_fec_ber: f64,
    pre_fec_ber_threshold: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    frame_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    frame_loss_ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    burst: Option<BurstResult>,
}

/// Fleet sizes up to a billion links.
const MAX_LINKS: u64 = 1_000_000_000;

fn flap_definition(args: &FecArgs) -> Result<FlapDefinition> {
    if args.flap_count == 0 {
        return Err(Error::invalid("--flap-count", 0, "expected at least 1 uncorrectable codeword"));
    }
    let window_s = parse(&args.flap_window, "--flap-window", Quantity::Time)?;
    Ok(FlapDefinition {
        uncorrectable_count: args.flap_count,
        window_s: check_range("--flap-window", window_s, 1e-9, 1e7, "s")?,
        window: match args.flap_window_kind {
            WindowKind::Sliding => FlapWindow::Sliding,
            WindowKind::Tumbling => FlapWindow::Tumbling,
        },
    })
}

fn burst(args: &FecArgs, code: &ReedSolomon, ber: f64) -> Result<Option<BurstResult>> {
    let Some(p) = args.error_propagation else { return Ok(None) };
    CONTINUATION_PROB.check("--error-propagation", p)?;
    let model = BurstModel { continuation_prob: p, element_bits: args.burst_element_bits, precoded: args.precoded };
    Ok(Some(BurstResult { model, codeword_error_ratio: code.codeword_error_ratio_bursty(ber, &model)? }))
}

pub(super) fn run(args: FecArgs) -> Result<ExitCode> {
    let ber = check_ber_named("--pre-fec-ber", args.pre_fec_ber)?;
    let code = ReedSolomon::parse(&args.code, "--code")?;
    let line_rate_bps = parse(&args.lane_rate, "--lane-rate", Quantity::BitRate)?;
    check_range("--lane-rate", line_rate_bps, 1e6, 1e13, "b/s")?;
    if !(1..=MAX_LINKS).contains(&args.links) {
        return Err(Error::invalid("--links", args.links, format!("expected 1 ..= {MAX_LINKS}")));
    }
    let target = check_range("--target-post-fec-ber", args.target_post_fec_ber, 1e-30, 1e-3, "")?;
    let report = link_report(&code, ber, line_rate_bps, args.links, flap_definition(&args)?)?;
    let frame_loss_ratio = match args.frame_bytes {
        Some(0) => return Err(Error::invalid("--frame-bytes", 0, "expected at least 1 byte")),
        Some(b) => Some(code.frame_loss_ratio(ber, b.saturating_mul(8))?),
        None => None,
    };
    if let Some(path) = &args.out.plot {
        render(path, &fec_cliff(&[(code.name().to_uppercase(), code.cliff(-6, -2, 40)?)], Some(ber)))?;
    }
    let doc = Document {
        schema: schema("fec"),
        code_name: code.name(),
        report,
        target_post_fec_ber: target,
        pre_fec_ber_threshold: code.pre_fec_ber_for(FecTarget::PostFecBer(target))?,
        frame_bytes: args.frame_bytes,
        frame_loss_ratio,
        burst: burst(&args, &code, ber)?,
    };
    emit(args.out.format, &doc, &table(&doc))?;
    Ok(ExitCode::SUCCESS)
}

fn table(doc: &Document) -> Table {
    let r = &doc.report;
    let mut t = Table::new(&["quantity", "value"]);
    let mut row = |name: &str, value: String| t.push(vec![name.into(), value]);
    row("code", format!("{} (t = {})", doc.code_name, r.fec.code.t()));
    row("pre_fec_ber", fmt_sig(r.fec.pre_fec_ber, 4));
    row("symbol_error_ratio", fmt_sig(r.fec.symbol_error_ratio, 4));
    row("codeword_error_ratio", fmt_sig(r.fec.codeword_error_ratio, 4));
    row("post_fec_ber", fmt_sig(r.fec.post_fec_ber, 4));
    row("line_rate_gbps", fmt_sig(r.line_rate_bps / 1e9, 6));
    row("codeword_rate_per_s", fmt_sig(r.codeword_rate_per_s, 4));
    row("mean_time_between_uncorrectable_s", fmt_sig(r.mean_time_between_uncorrectable_s, 4));
    row("links", r.links.to_string());
    row("uncorrectable_per_day", fmt_sig(r.uncorrectable_per_day, 4));
    let flap = &r.flap_definition;
    row("flap_definition", format!("{} in {} s ({:?})", flap.uncorrectable_count, flap.window_s, flap.window));
    row("flaps_per_day", fmt_sig(r.flaps_per_day, 4));
    let per_window = r.flap_definition.window_s / r.mean_time_between_uncorrectable_s;
    if per_window >= f64::from(r.flap_definition.uncorrectable_count) {
        row(
            "note",
            format!(
                "{} uncorrectable codewords per window: the link is held down, not flapping",
                fmt_sig(per_window, 3)
            ),
        );
    }
    row(
        &format!("pre_fec_ber_threshold (post-FEC {:e})", doc.target_post_fec_ber),
        fmt_sig(doc.pre_fec_ber_threshold, 4),
    );
    if let (Some(bytes), Some(flr)) = (doc.frame_bytes, doc.frame_loss_ratio) {
        row(&format!("frame_loss_ratio ({bytes} B)"), fmt_sig(flr, 4));
    }
    if let Some(b) = &doc.burst {
        let label = format!(
            "codeword_error_ratio, bursts p = {}{}",
            b.model.continuation_prob,
            if b.model.precoded { ", precoded" } else { "" }
        );
        row(&label, fmt_sig(b.codeword_error_ratio, 4));
    }
    t
}
