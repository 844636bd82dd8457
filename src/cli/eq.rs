//! `photolink eq`: equalizes a channel (Touchstone file, catalogue medium or a pulse CSV).

use super::{OutputArgs, emit, schema};
use crate::channel::{FrequencyResponse, Medium, Network, PortOrder};
use crate::eq::{
    ChannelSpectrum, Ctle, CtleChoice, CursorRule, DfeConfig, EqConfig, EqResult, Method, PulseConfig, PulseResponse,
    RxFfeShape, TxChoice, TxFfe, equalize, mmse::MAX_DFE_TAPS, mmse::MAX_FFE_SIDE_TAPS,
};
use crate::error::{Error, Result, check_range};
use crate::metrics::Pam;
use crate::output::{Table, fmt_sig};
use crate::plot::{eq::equalization, render};
use crate::signal::Modulation;
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
    #[arg(long = "port-order", value_name = "ORDER")]
    port_order: Option<String>,
    /// A catalogue medium (with --length), e.g. twinax-30awg.
    #[arg(long, value_name = "NAME", conflicts_with = "pulse", requires = "length")]
    medium: Option<String>,
    /// Length of --medium, e.g. 2m.
    #[arg(long, value_name = "L", allow_hyphen_values = true)]
    length: Option<String>,
    /// A pulse response CSV: rows `time_s,pulse_v` (uniform step, an integer number of samples
    /// per UI; header and `#` lines skipped). Taken as already including Tx and Rx filters.
    #[arg(long, value_name = "FILE.csv")]
    pulse: Option<PathBuf>,
    /// Symbol rate, e.g. 53.125GBd.
    #[arg(long, value_name = "RATE")]
    rate: String,
    /// Modulation: nrz or pam4.
    #[arg(long, default_value = "pam4")]
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
    #[arg(long = "noise-rms", default_value = "1mV")]
    noise_rms: String,
    /// Transmitter amplitude scaling a channel's pulse (COM A_v); ignored with --pulse.
    #[arg(long, default_value = "0.413V")]
    amplitude: String,
    /// Main-cursor rule: peak or mm (Mueller-Muller, h(-1) = h(+1)).
    #[arg(long, default_value = "peak")]
    cursor: String,
    /// Final Rx FFE/DFE taps: mmse, zf, lms or sign-sign (LMS runs on a seeded waveform).
    #[arg(long, default_value = "mmse")]
    method: String,
    /// Seed of the LMS waveform.
    #[arg(long, default_value_t = 1)]
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
    let rate = check_range("--rate", parse(&args.rate, "--rate", Quantity::SymbolRate)?, 1e6, 1e12, "Bd")?;
    let pam = match Modulation::parse(&args.modulation)? {
        Modulation::Nrz => Pam::NRZ,
        Modulation::Pam4 => Pam::PAM4,
    };
    let noise = parse(&args.noise_rms, "--noise-rms", Quantity::Voltage)?;
    let mut cfg = EqConfig::new(pam, noise);
    cfg.amplitude_v =
        check_range("--amplitude", parse(&args.amplitude, "--amplitude", Quantity::Voltage)?, 1e-3, 10.0, "V")?;
    cfg.ctle = parse_ctle(&args.ctle, rate)?;
    cfg.tx = parse_tx(&args.tx_ffe)?;
    cfg.rx_ffe = parse_rx_ffe(&args.rx_ffe)?;
    cfg.dfe = DfeConfig::com(parse_count(&args.dfe, "--dfe", MAX_DFE_TAPS)?);
    cfg.cursor = parse_cursor(&args.cursor)?;
    cfg.method = parse_method(&args.method)?;
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
            let length = check_range("--length", parse(text, "--length", Quantity::Length)?, 0.0, 1e6, "m")?;
            let h = medium_response(&Medium::named(name)?, length, rate)?;
            Ok((format!("{name} {text}"), ChannelSpectrum::from_response(&h, pulse_cfg)?))
        }
        (None, None, Some(path)) => {
            cfg.amplitude_v = 1.0;
            let pulse = read_pulse_csv(path, rate)?;
            Ok((file_name(path), ChannelSpectrum::from_pulse(&pulse, pulse_cfg)?))
        }
        _ => Err(Error::invalid(
            "channel",
            "none",
            "expected exactly one of --touchstone FILE, --medium NAME --length L, --pulse FILE.csv",
        )),
    }
}

/// A medium's response on 10 MHz … 1.5·f_b (10 MHz steps; the pulse code extends it to DC).
fn medium_response(medium: &Medium, length_m: f64, rate: f64) -> Result<FrequencyResponse> {
    let step = 10e6;
    let n = (1.5 * rate / step).ceil() as usize;
    let grid: Vec<f64> = (1..=n).map(|i| i as f64 * step).collect();
    medium.response(&grid, length_m)
}

fn parse_port_order(text: &str) -> Result<PortOrder> {
    text.parse().map_err(|_| Error::invalid("--port-order", format!("'{text}'"), "expected 1-2,3-4 or 1-3,2-4"))
}

fn parse_ctle(text: &str, rate: f64) -> Result<CtleChoice> {
    match text.trim().to_ascii_lowercase().as_str() {
        "auto" => Ok(CtleChoice::Search(Default::default())),
        "off" | "none" => Ok(CtleChoice::Off),
        _ => Ok(CtleChoice::Fixed(Ctle::parse(text, rate)?)),
    }
}

fn parse_tx(text: &str) -> Result<TxChoice> {
    match text.trim().to_ascii_lowercase().as_str() {
        "auto" => Ok(TxChoice::Search(Default::default())),
        "off" | "none" => Ok(TxChoice::Off),
        _ => {
            let taps =
                text.split(',').map(|t| t.trim().parse::<f64>()).collect::<std::result::Result<Vec<_>, _>>().map_err(
                    |_| {
                        Error::invalid(
                            "--tx-ffe",
                            format!("'{text}'"),
                            "expected auto, off or taps such as -0.1,0.75,-0.15",
                        )
                    },
                )?;
            let main = crate::eq::pulse::argmax(&taps);
            Ok(TxChoice::Fixed(TxFfe::new(taps, main)?))
        }
    }
}

fn parse_rx_ffe(text: &str) -> Result<RxFfeShape> {
    if matches!(text.trim().to_ascii_lowercase().as_str(), "off" | "none") {
        return Ok(RxFfeShape::NONE);
    }
    let bad = || {
        Error::invalid(
            "--rx-ffe",
            format!("'{text}'"),
            format!("expected off or PRE,POST tap counts, each 0 ..= {MAX_FFE_SIDE_TAPS}"),
        )
    };
    let parts: Vec<&str> = text.split(',').collect();
    let [pre, post] = parts[..] else { return Err(bad()) };
    let n = |s: &str| s.trim().parse::<usize>().ok().filter(|&v| v <= MAX_FFE_SIDE_TAPS).ok_or_else(bad);
    Ok(RxFfeShape { n_pre: n(pre)?, n_post: n(post)? })
}

fn parse_count(text: &str, field: &str, max: usize) -> Result<usize> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|&v| v <= max)
        .ok_or_else(|| Error::invalid(field, format!("'{text}'"), format!("expected a tap count in 0 ..= {max}")))
}

fn parse_cursor(text: &str) -> Result<CursorRule> {
    match text.to_ascii_lowercase().as_str() {
        "peak" => Ok(CursorRule::Peak),
        "mm" | "mueller-muller" => Ok(CursorRule::MuellerMuller),
        _ => Err(Error::invalid("--cursor", format!("'{text}'"), "expected peak or mm")),
    }
}

fn parse_method(text: &str) -> Result<Method> {
    match text.to_ascii_lowercase().as_str() {
        "mmse" => Ok(Method::Mmse),
        "zf" | "zero-forcing" => Ok(Method::ZeroForcing),
        "lms" => Ok(Method::Lms),
        "sign-sign" | "sslms" => Ok(Method::SignSignLms),
        _ => Err(Error::invalid("--method", format!("'{text}'"), "expected mmse, zf, lms or sign-sign")),
    }
}

/// Reads `time_s,pulse_v` rows; the time step fixes the samples per UI.
fn read_pulse_csv(path: &Path, rate: f64) -> Result<PulseResponse> {
    let label = path.display().to_string();
    let rows = crate::input::read_rows(path)?;
    if rows[0].1.len() != 2 {
        let message = format!("expected two numbers `time_s,pulse_v`, found {} columns", rows[0].1.len());
        return Err(Error::Parse { file: label, line: rows[0].0, message });
    }
    let (t, v): (Vec<f64>, Vec<f64>) = rows.iter().map(|(_, r)| (r[0], r[1])).unzip();
    if t.len() < 2 {
        return Err(Error::Parse { file: label, line: 0, message: "expected at least two samples".into() });
    }
    let dt = (t[t.len() - 1] - t[0]) / (t.len() - 1) as f64;
    let spui = (1.0 / (rate * dt)).round();
    if !(dt > 0.0) || !(spui >= 1.0) || ((1.0 / (rate * dt)) - spui).abs() > 1e-3 * spui {
        return Err(Error::invalid(
            "--pulse time step",
            format!("{dt:e} s"),
            "expected a uniform step with an integer number of samples per UI of --rate",
        ));
    }
    PulseResponse::new(v, spui as usize, rate, CursorRule::Peak)
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
