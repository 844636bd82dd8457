//! The physical budget of an optical link: the same budget as [`super::evaluate()`], with the
//! transmitter's OMA and TDECQ simulated instead of taken at the specification corner.
//!
//! Method (the 802.3 measurement, reproduced in simulation; physics.md §5.4–5.5):
//! * The link's symbol rate and modulation drive the waveform simulator of
//!   [`crate::signal::chain`] with the link file's `[simulation]` models, or by default its
//!   default transmitter for the fiber type (SiPh MZM for SMF, VCSEL for MMF), at the first fiber
//!   segment's wavelength. The receiver adds no noise (TDECQ is
//!   measured with the scope's noise removed); the reference receiver is the 4th-order
//!   Bessel–Thomson at half the baud rate.
//! * Back to back: the launch OMA_outer and the TECQ (ISI of driver, modulator and reference
//!   receiver, plus transmitter RIN and jitter).
//! * Through the first fiber segment: the TDECQ; `TDECQ − TECQ` is the channel's penalty (chromatic
//!   dispersion and power fading on SMF, modal bandwidth on MMF), derived rather than allocated.
//! * The margin is the 802.3-style budget ([`super::evaluate()`]) with the simulated OMA and TDECQ
//!   as the transmitter's measured values: `OMA − IL − Σ allocated penalties − S(TDECQ)`, `S` the
//!   receiver sensitivity at `SECQ = TDECQ`.

use super::evaluate::{Budget, Row, evaluate, modulation};
use super::spec::{LinkFile, LinkKind, Segment};
use crate::error::{Error, Result};
use crate::metrics::{Eye, EyeReport};
use crate::signal::chain::{LinkConfig, simulate};
use crate::tx::ModulatorKind;
use crate::units::Quantity;
use serde::Serialize;
use std::path::Path;

/// Samples per UI of the physical simulation: enough for the 0.04 UI TDECQ windows.
const SAMPLES_PER_UI: usize = 16;

/// The simulated budget of one optical link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhysicalBudget {
    /// Simulated rows, then the margin.
    pub rows: Vec<Row>,
    /// Simulated launch OMA_outer, dBm.
    pub oma_outer_dbm: f64,
    /// Back-to-back TDECQ (TECQ), dB.
    pub tecq_db: f64,
    /// TDECQ through the fiber, dB.
    pub tdecq_db: f64,
    /// `TDECQ − TECQ`: the fiber's derived penalty, dB.
    pub channel_penalty_db: f64,
    /// Margin with the simulated transmitter, dB.
    pub margin_db: f64,
    /// Pre-FEC BER implied by the margin.
    pub ber: f64,
    /// The 802.3-style budget of the same link at the specification corner.
    pub spec: Budget,
}

/// The simulation configuration of `link`: its rate and modulation, the first fiber segment.
fn simulation_config(link: &LinkFile) -> Result<LinkConfig> {
    let given = link.simulation.clone();
    let mut cfg = given.clone().unwrap_or_default();
    cfg.signal.modulation = modulation(link)?;
    cfg.signal.symbol_rate_baud = link
        .symbol_rate
        .as_ref()
        .ok_or_else(|| Error::invalid("symbol_rate", "missing", "expected e.g. \"53.125GBd\""))?
        .si("symbol_rate", Quantity::SymbolRate)?;
    cfg.signal.samples_per_ui = SAMPLES_PER_UI;
    cfg.receiver.tia_noise_a_per_rthz = 0.0;
    let segments = link.channel.as_deref().unwrap_or_default();
    let (i, medium, length, wavelength, attenuation) = segments
        .iter()
        .enumerate()
        .find_map(|(i, s)| match s {
            Segment::Fiber { medium, length, wavelength, attenuation_db_per_km } => {
                Some((i, medium, length, wavelength, attenuation_db_per_km))
            }
            _ => None,
        })
        .ok_or_else(|| Error::invalid("channel", "no fiber segment", "expected a fiber segment to simulate"))?;
    let path = format!("channel.{i}");
    cfg.fiber.medium = if medium == "smf-g652" { "smf".into() } else { medium.clone() };
    cfg.fiber.length_m = length.si(&format!("{path}.length"), Quantity::Length)?;
    cfg.fiber.attenuation_db_per_km = *attenuation;
    if let Some(w) = wavelength {
        cfg.laser.wavelength_m = w.si(&format!("{path}.wavelength"), Quantity::Length)?;
    }
    if given.is_none() && cfg.fiber.medium.starts_with("mmf") {
        cfg.modulator = ModulatorKind::Vcsel;
        cfg.laser.wavelength_m = wavelength.as_ref().map_or(Ok(850e-9), |w| w.si("wavelength", Quantity::Length))?;
    }
    Ok(cfg)
}

/// OMA_outer (dBm) and TDECQ (dB) of one simulated waveform.
fn measure(cfg: &LinkConfig) -> Result<(f64, f64)> {
    let sim = simulate(cfg)?;
    let levels = 1usize << cfg.signal.modulation.bits_per_symbol();
    let eye = Eye::analyze(&sim.waveform.samples, sim.samples_per_ui, levels, 4.8e-4)?;
    let report = EyeReport::measure(&eye, true)?;
    let tdecq = report.tdecq_db.ok_or_else(|| Error::Numerical { what: "TDECQ needs a PAM4 link".into() })?;
    if !tdecq.is_finite() {
        return Err(Error::Numerical { what: "the simulated eye is closed: TDECQ is infinite".into() });
    }
    Ok((report.oma_outer_dbm, tdecq))
}

/// Simulates an optical PAM4 link (module docs) and compares with its 802.3-style budget.
pub fn physical(link: &LinkFile, base_dir: &Path) -> Result<PhysicalBudget> {
    let spec = evaluate(link, base_dir)?;
    if spec.kind != LinkKind::Optical {
        return Err(Error::invalid("kind", "electrical", "expected an optical link for the physical budget"));
    }
    let cfg = simulation_config(link)?;
    let mut b2b = cfg.clone();
    b2b.fiber.medium = "none".into();
    b2b.fiber.length_m = 0.0;
    let (oma_outer_dbm, tecq_db) = measure(&b2b)?;
    let (_, tdecq_db) = measure(&cfg)?;
    // The same 802.3 rows with the simulated OMA and TDECQ as the transmitter's measured values.
    let mut measured = link.clone();
    let tx = measured.transmitter.get_or_insert_with(Default::default);
    (tx.oma_outer_dbm, tx.tdecq_db) = (Some(oma_outer_dbm), Some(tdecq_db));
    let at_simulated = evaluate(&measured, base_dir)?;
    let source = format!("simulated ({} transmitter, SSPRQ, reference receiver)", cfg.modulator.name());
    let row = |item: &str, value_db: f64, unit: &'static str, source: &str| Row {
        item: item.into(),
        value_db,
        unit,
        source: source.into(),
    };
    let rows = vec![
        row("Tx OMA_outer (back to back)", oma_outer_dbm, "dBm", &source),
        row("TECQ (back to back)", tecq_db, "dB", &source),
        row("TDECQ through the fiber", tdecq_db, "dB", &source),
        row("channel penalty (TDECQ - TECQ)", tdecq_db - tecq_db, "dB", "derived: dispersion or modal bandwidth"),
        row("margin", at_simulated.margin_db, "dB", "derived: the 802.3 rows with the simulated OMA and TDECQ"),
    ];
    Ok(PhysicalBudget {
        rows,
        oma_outer_dbm,
        tecq_db,
        tdecq_db,
        channel_penalty_db: tdecq_db - tecq_db,
        margin_db: at_simulated.margin_db,
        ber: at_simulated.ber.ok_or_else(|| Error::Numerical { what: "no BER for an optical budget".into() })?,
        spec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::preset;

    #[test]
    fn dr4_and_fr4_physical_budgets_close_and_fr4_pays_more_dispersion() {
        let dr4 = physical(&preset("400GBASE-DR4").unwrap(), Path::new(".")).unwrap();
        let fr4 = physical(&preset("400GBASE-FR4").unwrap(), Path::new(".")).unwrap();
        for b in [&dr4, &fr4] {
            // The simulated transmitter meets the standard: TDECQ within the 3.4 dB limit.
            assert!(b.tdecq_db > 0.0 && b.tdecq_db < 3.4, "{b:?}");
            assert!(b.channel_penalty_db > -0.2, "{}", b.channel_penalty_db);
            assert!(b.margin_db > b.spec.margin_db, "a compliant transmitter beats the corner: {b:?}");
        }
        // 2 km at 1271 nm (|D| ≈ 5.9 ps/nm/km) against 500 m at 1311 nm (|D| ≈ 1.9).
        assert!(
            fr4.channel_penalty_db > dr4.channel_penalty_db,
            "{} vs {}",
            fr4.channel_penalty_db,
            dr4.channel_penalty_db
        );
        // The margin by hand from standards.md §1.1/1.2: OMA − IL − MPI allowance − (SRS − SECQ + TDECQ).
        for (b, il, mpi, srs) in [(&dr4, 3.0, 0.1, -1.9), (&fr4, 4.0, 0.3, -2.6)] {
            let want = b.oma_outer_dbm - il - mpi - (srs - 3.4 + b.tdecq_db);
            assert!((b.margin_db - want).abs() < 1e-9, "{} vs {want}", b.margin_db);
        }
    }

    #[test]
    fn the_link_file_sets_the_simulated_transmitter() {
        let text =
            "preset = \"400GBASE-DR4\"\n[simulation]\nmodulator = \"eam\"\n[simulation.driver]\nbandwidth_hz = 20e9\n";
        let link = LinkFile::parse(text, "eml.toml").unwrap().resolved().unwrap();
        let slow = physical(&link, Path::new(".")).unwrap();
        assert!(slow.rows[0].source.contains("eam"), "{}", slow.rows[0].source);
        let default = physical(&preset("400GBASE-DR4").unwrap(), Path::new(".")).unwrap();
        assert!(slow.tecq_db > default.tecq_db, "{} vs {}", slow.tecq_db, default.tecq_db);
        assert!(LinkFile::parse("[simulation]\nmodulator = \"plasma\"\n", "x.toml").is_err());
    }

    #[test]
    fn electrical_links_have_no_physical_optical_budget() {
        assert!(physical(&preset("100GBASE-CR1").unwrap(), Path::new(".")).is_err());
    }
}
