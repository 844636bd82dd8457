//! The error-rate section of the review report: BER waterfall, FEC cliff and what the cliff
//! means in link flaps for a 100k-link cluster.

use crate::error::Result;
use crate::metrics::fec::{FecResult, KP4_PRE_FEC_BER_THRESHOLD};
use crate::metrics::flaps::link_report;
use crate::metrics::{FlapDefinition, OperatingPoint, Pam, ReedSolomon, ber};
use crate::output::{Format, Table, fmt_sig};
use crate::plot::ber::{WaterfallAxis, fec_cliff, waterfall};
use crate::plot::render;
use std::path::{Path, PathBuf};

/// Links in the fleet of the flap table: the order of a 100k-accelerator cluster's optical links.
const FLEET_LINKS: u64 = 100_000;
/// The 800GbE interface rate a KP4 codeword stream covers (derived: 850 Gb/s / 5440 bits
/// gives 156.25 M codewords/s).
const INTERFACE_RATE_BPS: f64 = 850e9;

/// Writes the waterfall and FEC-cliff charts and returns the section's Markdown.
pub(super) fn section(dir: &Path, written: &mut Vec<PathBuf>) -> Result<String> {
    let curves = [("NRZ", Pam::NRZ), ("PAM4", Pam::PAM4)]
        .iter()
        .map(|&(name, pam)| {
            let pts =
                (0..=300).map(|i| ber::awgn(pam, OperatingPoint::SnrDb(i as f64 * 0.1))).collect::<Result<_>>()?;
            Ok((format!("{name} (exact, Gray)"), pts))
        })
        .collect::<Result<Vec<_>>>()?;
    let file = dir.join("ber_waterfall.png");
    render(&file, &waterfall(&curves, WaterfallAxis::SnrDb))?;
    written.push(file);
    let snr_kp4 = ber::snr_db_for_ber(Pam::PAM4, KP4_PRE_FEC_BER_THRESHOLD)?;
    let snr_nrz = ber::snr_db_for_ber(Pam::NRZ, KP4_PRE_FEC_BER_THRESHOLD)?;

    let codes = [ReedSolomon::KP4, ReedSolomon::KR4];
    let cliffs = codes
        .iter()
        .map(|c| Ok((c.name().to_uppercase(), c.cliff(-6, -2, 40)?)))
        .collect::<Result<Vec<(String, Vec<FecResult>)>>>()?;
    let file = dir.join("fec_cliff.png");
    render(&file, &fec_cliff(&cliffs, None))?;
    written.push(file);

    Ok(format!(
        "## PAM4 BER and the FEC cliff\n\n![BER waterfall](ber_waterfall.png)\n\n\
         Exact Gray-coded BER against electrical SNR (mean signal power over noise variance, \
         equally spaced levels) in Gaussian noise. PAM4 needs {snr_kp4:.2} dB to reach the KP4 \
         pre-FEC threshold of 2.4e-4 against {snr_nrz:.2} dB for NRZ: {:.1} dB at equal mean power \
         ({:.1} dB at equal peak-to-peak swing, three eyes each a third of it) is what PAM4 pays for \
         halving the symbol rate.\n\n\
         ![FEC cliff](fec_cliff.png)\n\n\
         Post-FEC BER (solid) and codeword error ratio (dashed) of RS(544,514) \"KP4\" (t = 15) and \
         RS(528,514) \"KR4\" (t = 7) against the pre-FEC BER, exact binomial tails with independent \
         errors. The cliff is steep: a decade of pre-FEC BER moves the codeword error ratio by \
         about fifteen decades, so the margin that matters is the distance to the cliff edge, not \
         the BER itself. Bursts from DFE error propagation move the edge (see `photolink fec \
         --error-propagation`). What the cliff means for a cluster of {FLEET_LINKS} 800GbE links \
         (850 Gb/s of KP4 codewords each). An uncorrectable codeword drops frames; whether it \
         takes the link down depends on the flap definition, here two uncorrectable codewords within \
         one second (sliding window; `photolink fec --flap-count --flap-window` sets another):\n\n{}\n",
        snr_kp4 - snr_nrz,
        // PAM4's mean power is 5/9 of NRZ's at equal swing (levels ±1, ±1/3).
        snr_kp4 - snr_nrz + 10.0 * (9.0f64 / 5.0).log10(),
        flap_table()?.render(Format::Markdown)
    ))
}

fn flap_table() -> Result<Table> {
    let mut t = Table::new(&[
        "pre-FEC BER",
        "codeword error ratio",
        "post-FEC BER",
        "mean time between uncorrectable (one link)",
        "uncorrectable codewords per day (fleet)",
        "flaps per day (fleet, k = 2 in 1 s)",
    ]);
    for pre in [1e-5, 1e-4, 2e-4, KP4_PRE_FEC_BER_THRESHOLD, 4e-4] {
        let r = link_report(&ReedSolomon::KP4, pre, INTERFACE_RATE_BPS, FLEET_LINKS, FlapDefinition::default())?;
        let two_in_a_second = FlapDefinition { uncorrectable_count: 2, ..FlapDefinition::default() };
        let flaps = link_report(&ReedSolomon::KP4, pre, INTERFACE_RATE_BPS, FLEET_LINKS, two_in_a_second)?;
        t.push(vec![
            fmt_sig(pre, 2),
            fmt_sig(r.fec.codeword_error_ratio, 3),
            fmt_sig(r.fec.post_fec_ber, 3),
            human_duration(r.mean_time_between_uncorrectable_s),
            fmt_sig(r.uncorrectable_per_day, 3),
            fmt_sig(flaps.flaps_per_day, 3),
        ]);
    }
    Ok(t)
}

/// A duration in the largest unit that keeps it readable.
fn human_duration(s: f64) -> String {
    const UNITS: [(f64, &str); 5] = [(3.156e7, "years"), (86_400.0, "days"), (3600.0, "h"), (60.0, "min"), (1.0, "s")];
    if !s.is_finite() {
        return "never".into();
    }
    let (scale, unit) = UNITS.iter().find(|(scale, _)| s >= *scale).copied().unwrap_or((1e-3, "ms"));
    format!("{} {unit}", fmt_sig(s / scale, 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_their_unit() {
        assert_eq!(human_duration(7848.0), format!("{} h", fmt_sig(2.18, 3)));
        assert!(human_duration(3e10).ends_with("years"));
        assert!(human_duration(0.01).ends_with("ms"));
        assert_eq!(human_duration(f64::INFINITY), "never");
    }
}
