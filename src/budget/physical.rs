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
//! * Back to back with the laser's RIN switched off: the **ISI and bandwidth penalty** (driver,
//!   modulator, jitter and reference receiver), the TDECQ of that waveform.
//! * Back to back: the launch OMA_outer, the extinction ratio and the TECQ; `TECQ − ISI` is the
//!   **RIN penalty**.
//! * Through the first fiber segment: the TDECQ; `TDECQ − TECQ` is the **channel penalty**
//!   (chromatic dispersion and power fading on SMF, modal bandwidth on MMF).
//! * The **MPI penalty** from the link's reflectances ([`super::mpi`]) at the simulated extinction
//!   ratio, in place of the allocated MPI and reflection penalties (`penalties.mpi_db`,
//!   `penalties.reflection_db`; `penalties.other_db` stays).
//! * The margin is the 802.3-style budget ([`super::evaluate()`]) with the simulated OMA and TDECQ
//!   as the transmitter's measured values and the derived MPI penalty:
//!   `OMA − IL − P_MPI − other − S(TDECQ)`, `S` the receiver sensitivity at `SECQ = TDECQ`.

use super::evaluate::{Budget, Row, evaluate, modulation};
use super::mpi;
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
    /// Simulated extinction ratio, dB.
    pub extinction_ratio_db: f64,
    /// ISI and bandwidth penalty: back-to-back TDECQ without RIN, dB.
    pub isi_db: f64,
    /// RIN penalty: `TECQ − isi_db`, dB.
    pub rin_db: f64,
    /// Back-to-back TDECQ (TECQ), dB.
    pub tecq_db: f64,
    /// TDECQ through the fiber, dB.
    pub tdecq_db: f64,
    /// `TDECQ − TECQ`: the fiber's derived penalty, dB.
    pub channel_penalty_db: f64,
    /// MPI crosstalk of the link's reflectances, dB (−∞ without reflectors).
    pub mpi_crosstalk_db: f64,
    /// MPI penalty derived from that crosstalk, dB.
    pub mpi_db: f64,
    /// Margin with the simulated transmitter, dB.
    pub margin_db: f64,
    /// Margin of a specification-corner transmitter with the simulated TDECQ (the minimum launch
    /// OMA the standard allows at that TDECQ) and the derived penalties, dB: the physical way on the
    /// 802.3 way's transmitter. It differs from the 802.3 margin by the allocated against the derived
    /// MPI penalty, and by what the OMA and sensitivity floors give a TDECQ below the maximum.
    pub corner_margin_db: f64,
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

/// The eye report, with a finite TDECQ, of one simulated waveform.
fn measure(cfg: &LinkConfig) -> Result<(EyeReport, f64)> {
    let sim = simulate(cfg)?;
    let levels = 1usize << cfg.signal.modulation.bits_per_symbol();
    let eye = Eye::analyze(&sim.waveform.samples, sim.samples_per_ui, levels, 4.8e-4)?;
    let report = EyeReport::measure(&eye, true)?;
    let tdecq = report.tdecq_db.ok_or_else(|| Error::Numerical { what: "TDECQ needs a PAM4 link".into() })?;
    if !tdecq.is_finite() {
        return Err(Error::Numerical { what: "the simulated eye is closed: TDECQ is infinite".into() });
    }
    Ok((report, tdecq))
}

/// The laser RIN the simulator treats as none, dB/Hz (its lower limit).
const NO_RIN_DB_PER_HZ: f64 = -200.0;

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
    let mut b2b_quiet = b2b.clone();
    b2b_quiet.laser.rin_db_per_hz = NO_RIN_DB_PER_HZ;
    let (_, isi_db) = measure(&b2b_quiet)?;
    let (launch, tecq_db) = measure(&b2b)?;
    let (_, tdecq_db) = measure(&cfg)?;
    let (oma_outer_dbm, extinction_ratio_db) = (launch.oma_outer_dbm, launch.extinction_ratio_db);
    let epsilon = mpi::crosstalk(&mpi::elements(link, base_dir)?);
    let mpi_db = mpi::penalty_db(epsilon, extinction_ratio_db)?;
    // The same 802.3 rows with the simulated OMA and TDECQ as the transmitter's measured values and
    // the derived MPI penalty in place of the allocated ones.
    let mut measured = link.clone();
    let tx = measured.transmitter.get_or_insert_with(Default::default);
    (tx.oma_outer_dbm, tx.tdecq_db) = (Some(oma_outer_dbm), Some(tdecq_db));
    let penalties = measured.penalties.get_or_insert_with(Default::default);
    (penalties.mpi_db, penalties.reflection_db) = (Some(mpi_db), None);
    let at_simulated = evaluate(&measured, base_dir)?;
    if let Some(tx) = measured.transmitter.as_mut() {
        tx.oma_outer_dbm = None;
    }
    let at_corner = evaluate(&measured, base_dir)?;
    let source = format!("simulated ({} transmitter, SSPRQ, reference receiver)", cfg.modulator.name());
    let row = |item: &str, value_db: f64, unit: &'static str, source: &str| Row {
        item: item.into(),
        value_db,
        unit,
        source: source.into(),
    };
    let mpi_crosstalk_db = 10.0 * epsilon.log10();
    let rows = vec![
        row("Tx OMA_outer (back to back)", oma_outer_dbm, "dBm", &source),
        row("extinction ratio (back to back)", extinction_ratio_db, "dB", &source),
        row("ISI and bandwidth penalty (TECQ without RIN)", isi_db, "dB", &source),
        row("RIN penalty (TECQ - ISI)", tecq_db - isi_db, "dB", "derived: back to back with and without laser RIN"),
        row("TECQ (back to back)", tecq_db, "dB", &source),
        row("channel penalty (TDECQ - TECQ)", tdecq_db - tecq_db, "dB", "derived: dispersion or modal bandwidth"),
        row("TDECQ through the fiber", tdecq_db, "dB", &source),
        row("MPI crosstalk", mpi_crosstalk_db, "dB", "derived: reflector pairs of the link (budget::mpi)"),
        row("MPI penalty", mpi_db, "dB", "derived: beat noise of that crosstalk at the simulated ER"),
        row("margin", at_simulated.margin_db, "dB", "derived: the 802.3 rows with the simulated OMA, TDECQ and MPI"),
        row(
            "margin of a corner transmitter",
            at_corner.margin_db,
            "dB",
            "derived: as above with the launch OMA at the minimum OMA - TDECQ",
        ),
    ];
    Ok(PhysicalBudget {
        rows,
        oma_outer_dbm,
        extinction_ratio_db,
        isi_db,
        rin_db: tecq_db - isi_db,
        tecq_db,
        tdecq_db,
        channel_penalty_db: tdecq_db - tecq_db,
        mpi_crosstalk_db,
        mpi_db,
        margin_db: at_simulated.margin_db,
        corner_margin_db: at_corner.margin_db,
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
        // The margin by hand from standards.md §1.1/1.2:
        // OMA − IL − derived MPI − max(sensitivity floor, SRS − SECQ + TDECQ).
        for (b, il, srs, floor) in [(&dr4, 3.0, -1.9, -4.4), (&fr4, 4.0, -2.6, -4.6)] {
            let want = b.oma_outer_dbm - il - b.mpi_db - f64::max(floor, srs - 3.4 + b.tdecq_db);
            assert!((b.margin_db - want).abs() < 1e-9, "{} vs {want}", b.margin_db);
        }
        // The specification-corner transmitter by hand (standards.md §1.1/1.2): launch OMA
        // max(OMA_min, (OMA − TDECQ)_min + TDECQ), sensitivity max(floor, SRS − SECQ + TDECQ). It
        // differs from the 802.3 margin (0) by the allowance (0.1 / 0.3 dB) against the derived MPI,
        // plus what the OMA and sensitivity floors give a TDECQ below the maximum: within 1 dB.
        for (b, il, oma_min, omt, srs, floor) in
            [(&dr4, 3.0, -0.8, -2.2, -1.9, -4.4), (&fr4, 4.0, -0.3, -1.7, -2.6, -4.6)]
        {
            let t = b.tdecq_db;
            let want = f64::max(oma_min, omt + t) - il - b.mpi_db - f64::max(floor, srs - 3.4 + t);
            assert!((b.corner_margin_db - want).abs() < 1e-9, "{} vs {want}", b.corner_margin_db);
            assert!((b.corner_margin_db - b.spec.margin_db).abs() < 1.0, "{b:?}");
        }
        // The penalties add up: ISI + RIN = TECQ, + channel = TDECQ; RIN and ISI are positive.
        for b in [&dr4, &fr4] {
            assert!((b.isi_db + b.rin_db + b.channel_penalty_db - b.tdecq_db).abs() < 1e-12);
            assert!(b.isi_db > 0.0 && b.rin_db > -0.05, "{b:?}");
        }
        // DR4: Tx and Rx at −26 dB across 3 dB (ε = −58 dB); FR4 gives no Rx reflectance: no pair.
        assert!((dr4.mpi_crosstalk_db + 58.0).abs() < 1e-9 && dr4.mpi_db > 0.0 && dr4.mpi_db < 0.01, "{dr4:?}");
        assert_eq!(fr4.mpi_db, 0.0);
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
    fn rin_and_reflections_are_derived_from_the_link() {
        // A file's [simulation] replaces the preset's as a whole: keep its DSP pre-distortion.
        let text = "preset = \"400GBASE-DR4\"\n[simulation.laser]\nrin_db_per_hz = -128.0\n\
                    [simulation.driver]\nlevel_predistortion = true\n";
        let noisy = physical(&LinkFile::parse(text, "rin.toml").unwrap().resolved().unwrap(), Path::new(".")).unwrap();
        let default = physical(&preset("400GBASE-DR4").unwrap(), Path::new(".")).unwrap();
        assert!(noisy.rin_db > default.rin_db + 0.1, "{} vs {}", noisy.rin_db, default.rin_db);
        assert!((noisy.isi_db - default.isi_db).abs() < 0.05, "ISI does not depend on RIN");
        // Four MPO connections at −35 dB in place of the lumped allowance: ε from −58 dB (the Tx–Rx
        // pair across 3 dB) to −51.8 dB: Tx–Rx across 2.25 dB −56.5 dB, Tx–connector pairs −61.5 to
        // −64.5 dB, Rx–connector pairs −62 to −65 dB, connector pairs −71 to −73 dB.
        let text = "preset = \"400GBASE-DR4\"\n[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\nlength = \"500m\"\n\
                    attenuation_db_per_km = 0.5\n[[channel]]\ntype = \"connector\"\nloss_db = 0.5\ncount = 4\n\
                    reflectance_db = -35.0\n";
        let mpo = physical(&LinkFile::parse(text, "mpo.toml").unwrap().resolved().unwrap(), Path::new(".")).unwrap();
        assert!((mpo.mpi_crosstalk_db + 51.82).abs() < 0.01, "{}", mpo.mpi_crosstalk_db);
        // Small crosstalk: the penalty ≈ 2.17·36·Q_t²·σ²/OMA², proportional to ε (same ER).
        let ratio = 10f64.powf((mpo.mpi_crosstalk_db - default.mpi_crosstalk_db) / 10.0);
        assert!((mpo.mpi_db / default.mpi_db / ratio - 1.0).abs() < 0.02, "{} vs {}", mpo.mpi_db, default.mpi_db);
    }

    #[test]
    fn a_linear_lpo_transmitter_pays_for_its_uncorrected_levels() {
        let dsp = physical(&preset("800GBASE-DR8").unwrap(), Path::new(".")).unwrap();
        let lpo = physical(&preset("800G-LPO-DR8").unwrap(), Path::new(".")).unwrap();
        // Same optics and budget; the MZM's cosine compresses the linear drive's outer levels.
        assert_eq!(dsp.spec.margin_db, lpo.spec.margin_db);
        assert!(lpo.isi_db > dsp.isi_db + 0.2, "{} vs {}", lpo.isi_db, dsp.isi_db);
        assert!(lpo.margin_db < dsp.margin_db - 0.2, "{} vs {}", lpo.margin_db, dsp.margin_db);
    }

    #[test]
    fn electrical_links_have_no_physical_optical_budget() {
        assert!(physical(&preset("100GBASE-CR1").unwrap(), Path::new(".")).is_err());
    }
}
