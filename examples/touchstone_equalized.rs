//! A measured backplane channel through the equalizer search: loss at Nyquist, the pulse
//! response, the best CTLE × Tx FFE with an MMSE Rx FFE and one DFE tap, and the slicer SNR.
//!
//! `cargo run --release --example touchstone_equalized [FILE.s4p[.gz]]`

use photolink::prelude::*;

fn main() -> Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/data/channels/example2_THRU.s4p.gz").into());
    let network = Network::read(path.as_ref())?;
    let (thru, order) = network.thru_response(None)?;
    let symbol_rate_baud = 26.5625e9;
    let nyquist_hz = symbol_rate_baud / 2.0;
    let loss_db = thru.loss_db_at(nyquist_hz)?;
    println!("{path}: {} ports, layout {order:?}, {loss_db:.2} dB at {:.4} GHz", network.ports(), nyquist_hz / 1e9);

    let spectrum = ChannelSpectrum::from_response(&thru, PulseConfig::com(symbol_rate_baud))?;
    let noise_rms_v = 1e-3;
    let r = equalize(&spectrum, &EqConfig::new(Pam::PAM4, noise_rms_v))?;
    println!("SNR at the slicer: {:.2} dB before, {:.2} dB after equalization", r.snr_before_db, r.snr_after_db);
    if let Some(ctle) = r.ctle {
        println!("CTLE g_DC {} dB, g_DC2 {} dB", ctle.g_dc_db, ctle.g_dc2_db);
    }
    println!("Tx FFE {:?}, DFE {:?}, BER {:.3e}", r.tx_ffe_taps, r.dfe_taps, r.ber);
    Ok(())
}
