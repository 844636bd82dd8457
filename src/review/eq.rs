//! The equalization section of the review report: a 2 m 30 AWG DAC at 200G-class PAM4
//! (53.125 GBd) through the full Tx FFE / CTLE / Rx FFE / DFE search.

use crate::channel::Medium;
use crate::eq::{ChannelSpectrum, EqConfig, PulseConfig, equalize};
use crate::error::Result;
use crate::metrics::Pam;
use crate::output::{Format, Table, fmt_sig};
use crate::plot::{eq::equalization, render};
use std::path::{Path, PathBuf};

/// Receiver noise of the report case: 1 mV RMS (an **estimate** of a SerDes input-referred
/// noise at the Rx-filter output).
const REPORT_NOISE_RMS_V: f64 = 1e-3;

/// Writes `eq_twinax.png` and returns the Markdown section.
pub fn section(dir: &Path, written: &mut Vec<PathBuf>) -> Result<String> {
    let rate = 53.125e9;
    let grid: Vec<f64> = (1..=8000).map(|i| i as f64 * 10e6).collect();
    let cable = Medium::named("twinax-30awg")?.response(&grid, 2.0)?;
    let spectrum = ChannelSpectrum::from_response(&cable, PulseConfig::com(rate))?;
    let r = equalize(&spectrum, &EqConfig::new(Pam::PAM4, REPORT_NOISE_RMS_V))?;
    let file = dir.join("eq_twinax.png");
    render(&file, &equalization(&r, "twinax-30awg 2 m, 53.125 GBd PAM4"))?;
    written.push(file);
    // An FIR at the transmitter lowers the swing by Σ|c| = 1 while the same FIR at the receiver
    // scales white noise by Σc² ≤ 1: with a long Rx FFE, Tx de-emphasis rarely wins.
    let tx_note = if r.tx_ffe_taps.iter().filter(|c| c.abs() > 0.0).count() == 1 {
        " The search keeps the Tx FFE at pass-through: the same FIR at the receiver scales the noise by \
         sum(c^2) <= 1, while at the transmitter it cuts the swing by sum|c| = 1, so with a long Rx FFE Tx \
         de-emphasis does not pay."
    } else {
        " The chosen Tx FFE trades swing (sum|c| = 1) for less ISI ahead of the receiver noise."
    };
    let mut t = Table::new(&["quantity", "value"]);
    let ctle = r.ctle.map_or("off".into(), |c| format!("g_DC {} dB, g_DC2 {} dB", c.g_dc_db, c.g_dc2_db));
    let taps = |v: &[f64]| v.iter().map(|x| fmt_sig(*x, 3)).collect::<Vec<_>>().join(" ");
    for (k, v) in [
        ("SNR before / after (dB)", format!("{} / {}", fmt_sig(r.snr_before_db, 3), fmt_sig(r.snr_after_db, 3))),
        ("Tx FFE c(-2) c(-1) c0 c(1)", taps(&r.tx_ffe_taps)),
        ("CTLE", ctle),
        ("DFE (x cursor)", taps(&r.dfe_taps)),
        ("residual ISI rms (x cursor)", fmt_sig(r.residual_isi_rms, 3)),
        ("Rx FFE noise enhancement (dB)", fmt_sig(r.ffe_noise_enhancement_db, 3)),
        ("BER at slicer", fmt_sig(r.ber, 3)),
        ("CTLE x Tx FFE points searched", r.search.combinations.to_string()),
    ] {
        t.push(vec![k.to_string(), v]);
    }
    Ok(format!(
        "## Equalization of a 2 m DAC\n\n![equalization](eq_twinax.png)\n\n\
         A 2 m 30 AWG twinax at 53.125 GBd PAM4 (106 Gb/s lane) with COM's reference Tx edge and Rx \
         Butterworth filter, 0.413 V swing and 1 mV receiver noise. The search scores every 802.3ck-style \
         CTLE (g_DC x g_DC2) and Tx FFE preset by the slicer SNR after an MMSE Rx FFE (3 pre, 12 post taps) \
         and one DFE tap. Top: the pulse before and after equalization with the T-spaced slicer samples \
         (the DFE removes the first post-cursor); bottom: the channel, the chosen CTLE and channel x Tx FFE x \
         CTLE x Rx FFE. The equalizers flatten the skin-effect slope up to about 20 GHz, which is what cuts \
         the long pulse tail, instead of restoring Nyquist: with the noise at the receiver, high-frequency gain \
         costs more SNR than the residual ISI it removes.{}\n\n{}\n",
        tx_note,
        t.render(Format::Markdown)
    ))
}
