//! `photolink eq`: equalizes a channel (Touchstone file, catalogue medium or a pulse CSV).

use super::{OutputArgs, emit, parse_port_order, schema};
use crate::channel::{LENGTH_M, Medium, Network};
use crate::eq::{ChannelSpectrum, EqConfig, EqResult, PulseConfig, PulseResponse, equalize};
use crate::error::{Error, Result, check_range};
use crate::metrics::Pam;
use crate::output::{Table, fmt_sig};
use crate::plot::{eq::equalization, render};
use crate::signal::{Modulation, SYMBOL_RATE_BAUD};
use crate::units::{Quantity, parse};
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `photolink eq`.
#[derive(Debug, Args)]
pub struct EqArgs {
    /// A measured channel: Touchstone .s2p (S21) or .s4p (Sdd21).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["medium", "pulse"])]
    touchstone: Option<PathBuf>,
    /// Port layout of a 4-port file: 1-2,3-4 or 1-3,2-4 (default: detected).
    #[arg(allow_hyphen_values = true, long = "port-order", value_name = "ORDER")]
    port_order: Option<String>,
    /// A catalogue medium (with --length), e.g. twinax-30awg.
    #[arg(allow_hyphen_values = true, long, value_name = "NAME", conflicts_with = "pulse", requires = "length")]
    medium: Option<String>,
    /// Length of --medium, e.g. 2m.
    #[arg(long, value_name = "L", allow_hyphen_values = true)]
    length: Option<String>,
    /// A pulse response CSV: rows `time_s,pulse_v` (uniform step, an integer number of samples
    /// per UI; header and `#` lines skipped). Taken as already including Tx and Rx filters.
    #[arg(long, value_name = "FILE.csv")]
    pulse: Option<PathBuf>,
    /// Symbol rate, e.g. 53.125GBd.
    #[arg(allow_hyphen_values = true, long, value_name = "RATE")]
    rate: String,
    /// Modulation: nrz or pam4.
    #[arg(allow_hyphen_values = true, long, default_value = "pam4")]
    modulation: String,
    /// CTLE: auto (search g_DC -20..0 x g_DC2 -6..0 dB), off, or G_DC[,G_DC2] in dB.
    #[arg(long, default_value = "auto", allow_hyphen_values = true)]
    ctle: String,
    /// Tx FFE: auto (search presets), off, or taps such as -0.1,0.75,-0.15 (sum |c| = 1; the
    /// largest tap is the main one).
    #[arg(long = "tx-ffe", default_value = "auto", allow_hyphen_values = true)]
    tx_ffe: String,
    /// Rx FFE taps PRE,POST (T-spaced), or off.
    #[arg(long = "rx-ffe", default_value = "3,12", allow_hyphen_values = true)]
    rx_ffe: String,
    /// DFE taps (802.3ck per-tap limits).
    #[arg(long, default_value = "1", allow_hyphen_values = true)]
    dfe: String,
    /// RMS noise at the receiver (Rx-filter output, before the CTLE), e.g. 1mV.
    #[arg(allow_hyphen_values = true, long = "noise-rms", default_value = "1mV")]
    noise_rms: String,
    /// Transmitter amplitude scaling a channel's pulse (COM A_v); ignored with --pulse.
    #[arg(allow_hyphen_values = true, long, default_value = "0.413V")]
    amplitude: String,
    /// Main-cursor rule: peak or mm (Mueller-Muller, h(-1) = h(+1)).
    #[arg(allow_hyphen_values = true, long, default_value = "peak")]
    cursor: String,
    /// Final Rx FFE/DFE taps: mmse, zf, lms or sign-sign (LMS runs on a seeded waveform).
    #[arg(allow_hyphen_values = true, long, default_value = "mmse")]
    method: String,
    /// Seed of the LMS waveform.
    #[arg(allow_hyphen_values = true, long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Serialize)]
struct Document {
    schema: String,
    channel: String,
    #[serde(flatten)]
    result: EqResult,
}

pub(super) fn run(args: EqArgs) -> Result<ExitCode> {
    let rate = SYMBOL_RATE_BAUD.check("--rate", parse(&args.rate, "--rate", Quantity::SymbolRate)?)?;
    let mut cfg = EqConfig::new(
        Pam::from(Modulation::parse(&args.modulation)?),
        parse(&args.noise_rms, "--noise-rms", Quantity::Voltage)?,
    );
    cfg.amplitude_v =
        check_range("--amplitude", parse(&args.amplitude, "--amplitude", Quantity::Voltage)?, 1e-3, 10.0, "V")?;
    cfg.ctle = args.ctle.parse()?;
    cfg.tx = args.tx_ffe.parse()?;
    cfg.rx_ffe = args.rx_ffe.parse()?;
    cfg.dfe = args.dfe.parse()?;
    cfg.cursor = args.cursor.parse()?;
    cfg.method = args.method.parse()?;
    cfg.seed = args.seed;
    let (label, spectrum) = spectrum_of(&args, rate, &mut cfg)?;
    let result = equalize(&spectrum, &cfg)?;
    if let Some(path) = &args.out.plot {
        render(path, &equalization(&result, &label))?;
    }
    let table = table(&result);
    emit(args.out.format, &Document { schema: schema("eq"), channel: label, result }, &table)?;
    Ok(ExitCode::SUCCESS)
}

/// The channel named by exactly one of --touchstone, --medium, --pulse.
fn spectrum_of(args: &EqArgs, rate: f64, cfg: &mut EqConfig) -> Result<(String, ChannelSpectrum)> {
    let pulse_cfg = PulseConfig::com(rate);
    let file_name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match (&args.touchstone, &args.medium, &args.pulse) {
        (Some(path), None, None) => {
            let order = args.port_order.as_deref().map(parse_port_order).transpose()?;
            let (thru, _) = Network::read(path)?.thru_response(order)?;
            Ok((file_name(path), ChannelSpectrum::from_response(&thru, pulse_cfg)?))
        }
        (None, Some(name), None) => {
            let text = args.length.as_deref().unwrap_or("");
            let length = LENGTH_M.check("--length", parse(text, "--length", Quantity::Length)?)?;
            Ok((format!("{name} {text}"), ChannelSpectrum::from_medium(&Medium::named(name)?, length, pulse_cfg)?))
        }
        (None, None, Some(path)) => {
            // The pulse already holds the transmitter's amplitude.
            cfg.amplitude_v = 1.0;
            let pulse = PulseResponse::read_csv(path, rate)?;
            Ok((file_name(path), ChannelSpectrum::from_pulse(&pulse, pulse_cfg)?))
        }
        _ => Err(Error::invalid(
            "channel",
            "none",
            "expected exactly one of --touchstone FILE, --medium NAME --length L, --pulse FILE.csv",
        )),
    }
}

/// The result as a quantity/value table.
fn table(r: &EqResult) -> Table {
    let list = |v: &[f64]| v.iter().map(|x| fmt_sig(*x, 3)).collect::<Vec<_>>().join(" ");
    let mut t = Table::new(&["quantity", "value"]);
    let ctle = r.ctle.map_or("off".to_string(), |c| format!("g_DC {} dB, g_DC2 {} dB", c.g_dc_db, c.g_dc2_db));
    let rows: [(&str, String); 14] = [
        ("snr_before_db", fmt_sig(r.snr_before_db, 4)),
        ("snr_after_db", fmt_sig(r.snr_after_db, 4)),
        ("tx_ffe_taps", list(&r.tx_ffe_taps)),
        ("ctle", ctle),
        ("rx_ffe_taps", list(&r.rx_ffe_taps)),
        ("dfe_taps", list(&r.dfe_taps)),
        ("residual_isi_rms", fmt_sig(r.residual_isi_rms, 3)),
        ("residual_isi_peak", fmt_sig(r.residual_isi_peak, 3)),
        ("ffe_noise_enhancement_db", fmt_sig(r.ffe_noise_enhancement_db, 3)),
        ("ser", fmt_sig(r.ser, 3)),
        ("ber", fmt_sig(r.ber, 3)),
        ("dfe_error_propagation_probability", fmt_sig(r.dfe_error_propagation_probability, 3)),
        ("cursor_v", fmt_sig(r.cursor_v, 4)),
        ("combinations", r.search.combinations.to_string()),
    ];
    for (k, v) in rows {
        t.push(vec![k.to_string(), v]);
    }
    t
}
