//! The physical budget of an optical link: the same budget as [`super::evaluate()`], with the
//! transmitter's OMA and TDECQ simulated instead of taken at the specification corner.
//!
//! Method (the 802.3 measurement, IEEE 802.3bs-2017 121.8.5.3, reproduced in simulation; the budget
//! arithmetic of `docs/models.md` §9):
//! * The link's symbol rate and modulation drive the waveform simulator of
//!   [`crate::sim`] with the link file's `[simulation]` models, or by default its
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
//!   `penalties.reflection_db`; `penalties.other_db` stays) when the link gives every reflector
//!   (transmitter, receiver, each connector segment); otherwise the larger of the two, since a
//!   reflector left out would make the derived penalty optimistic.
//! * A closed eye (TDECQ beyond 20 dB, or MPI beat noise alone closing it) fails the link with
//!   margin −∞ and the reason, rather than being an error.
//! * The margin is the 802.3-style budget ([`super::evaluate()`]) with the simulated OMA and TDECQ
//!   as the transmitter's measured values and the derived MPI penalty:
//!   `OMA − IL − P_MPI − other − S(TDECQ)`, `S` the receiver sensitivity at `SECQ = TDECQ`.

use super::evaluate::{Budget, PENALTY_LIMIT_DB, Row, TDECQ_LIMIT_DB, evaluate, modulation, symbol_rate_baud};
use super::mpi;
use super::spec::{LinkFile, LinkKind, Segment};
use crate::error::{Error, Result};
use crate::metrics::{Eye, EyeReport};
use crate::signal::Modulation;
use crate::sim::{LinkConfig, simulate};
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
    /// ISI and bandwidth penalty: back-to-back TDECQ without RIN, dB (+∞ for a closed eye).
    pub isi_db: f64,
    /// RIN penalty: `TECQ − isi_db`, dB.
    pub rin_db: f64,
    /// Back-to-back TDECQ (TECQ), dB.
    pub tecq_db: f64,
    /// TDECQ through the fiber, dB.
    pub tdecq_db: f64,
    /// `TDECQ − TECQ`: the fiber's derived penalty, dB.
    pub channel_penalty_db: f64,
    /// MPI crosstalk of the link's reflectances, dB; `None` without a pair of reflectors.
    pub mpi_crosstalk_db: Option<f64>,
    /// MPI penalty derived from that crosstalk at the simulated extinction ratio, dB.
    pub mpi_derived_db: f64,
    /// MPI penalty the margin uses, dB: the derived one when every reflector of the link is given,
    /// otherwise the larger of the derived and the allocated (`penalties.mpi_db + reflection_db`).
    pub mpi_db: f64,
    /// The reflectance fields the link leaves out (then the allocation may stand), as paths.
    pub unmodelled_reflectors: Vec<String>,
    /// Margin with the simulated transmitter, dB (−∞ when the eye is closed).
    pub margin_db: f64,
    /// Margin of a specification-corner transmitter with the simulated TDECQ (the minimum launch
    /// OMA the standard allows at that TDECQ) and the same MPI penalty, dB: the physical way on
    /// the 802.3 way's transmitter. It differs from the 802.3 margin by the MPI penalty used
    /// against the allocated one, and by what the OMA and sensitivity floors give a TDECQ below
    /// the maximum.
    pub corner_margin_db: f64,
    /// Margin ≥ 0 with an open eye and a compliant transmitter.
    pub pass: bool,
    /// Why the simulated eye is closed, if it is (the link then fails).
    pub eye_closed: Option<String>,
    /// Pre-FEC BER implied by the margin; `None` when the eye is closed.
    pub ber: Option<f64>,
    /// The 802.3-style budget of the same link at the specification corner (reported beside
    /// this one, not inside it).
    #[serde(skip)]
    pub spec: Budget,
}

/// The simulation configuration of `link`: its rate and modulation, the first fiber segment.
fn simulation_config(link: &LinkFile) -> Result<LinkConfig> {
    let table = link.simulation.clone().unwrap_or_default();
    let mut cfg = table.config()?;
    cfg.signal.modulation = modulation(link)?;
    cfg.signal.symbol_rate_baud = symbol_rate_baud(link)?
        .ok_or_else(|| Error::invalid("symbol_rate", "missing", "expected e.g. \"53.125GBd\""))?;
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
    if !table.sets("modulator") && cfg.fiber.medium.starts_with("mmf") {
        cfg.modulator = ModulatorKind::Vcsel;
        if wavelength.is_none() && !table.sets("laser.wavelength_m") {
            cfg.laser.wavelength_m = 850e-9;
        }
    }
    // A field the link sets is named by its path in the link file.
    cfg.validate().map_err(|e| {
        e.with_field(|field| match field {
            "signal.symbol_rate_baud" => "symbol_rate".into(),
            "fiber.medium" => format!("{path}.medium"),
            "fiber.length_m" => format!("{path}.length"),
            "fiber.attenuation_db_per_km" => format!("{path}.attenuation_db_per_km"),
            "laser.wavelength_m" if wavelength.is_some() => format!("{path}.wavelength"),
            field => format!("simulation.{field}"),
        })
    })?;
    Ok(cfg)
}

/// The eye report and TDECQ (+∞ for a closed eye) of one simulated waveform.
fn measure(cfg: &LinkConfig) -> Result<(EyeReport, f64)> {
    let sim = simulate(cfg)?;
    let levels = 1usize << cfg.signal.modulation.bits_per_symbol();
    let eye = Eye::analyze(&sim.waveform.samples, sim.samples_per_ui, levels, cfg.analysis.contour_ser)?;
    let report = EyeReport::measure(&eye, true)?;
    let tdecq = report.tdecq_db.ok_or_else(|| Error::Numerical { what: "TDECQ needs a PAM4 link".into() })?;
    Ok((report, tdecq))
}

/// Why the link's simulated eye is closed, if it is: the first of the three measurements whose
/// TDECQ is beyond what the 802.3 rows accept ([`TDECQ_LIMIT_DB`]), or MPI beat noise that closes
/// it alone (a derived penalty beyond [`PENALTY_LIMIT_DB`]).
fn closure(isi_db: f64, tecq_db: f64, tdecq_db: f64, mpi_derived_db: f64) -> Option<String> {
    let eyes = [("back to back without RIN", isi_db), ("back to back", tecq_db), ("through the fiber", tdecq_db)];
    if let Some((where_, t)) = eyes.into_iter().find(|(_, t)| t.is_nan() || *t > TDECQ_LIMIT_DB) {
        return Some(format!("the eye {where_} is closed: TDECQ {t:.3} dB (beyond {TDECQ_LIMIT_DB} dB)"));
    }
    (mpi_derived_db.is_nan() || mpi_derived_db > PENALTY_LIMIT_DB)
        .then(|| "the MPI beat noise of the link's reflections closes the eye".into())
}

/// The MPI and reflection penalties the margin uses, as `(penalties.mpi_db,
/// penalties.reflection_db)` (see [`PhysicalBudget::mpi_db`]): the derived penalty, or the link's
/// own allocation, unchanged, when it does not give every reflector and allocates more.
fn mpi_penalties(link: &LinkFile, derived_db: f64, unmodelled: &[String]) -> (Option<f64>, Option<f64>) {
    let p = link.penalties.clone().unwrap_or_default();
    let allocated_db = p.mpi_db.unwrap_or(0.0) + p.reflection_db.unwrap_or(0.0);
    if unmodelled.is_empty() || derived_db > allocated_db {
        (Some(derived_db), None)
    } else {
        (p.mpi_db, p.reflection_db)
    }
}

/// The laser RIN the simulator treats as none, dB/Hz (its lower limit).
const NO_RIN_DB_PER_HZ: f64 = -200.0;

/// Simulates an optical PAM4 link (module docs) and compares with its 802.3-style budget. A
/// closed eye is a result, not an error: a failing budget that says why.
pub fn physical(link: &LinkFile, base_dir: &Path) -> Result<PhysicalBudget> {
    let spec = evaluate(link, base_dir)?;
    if spec.kind != LinkKind::Optical {
        return Err(Error::invalid("kind", "electrical", "expected an optical link for the physical budget"));
    }
    if modulation(link)? != Modulation::Pam4 {
        let nrz = link.modulation.clone().unwrap_or_default();
        return Err(Error::invalid("modulation", nrz, "expected pam4 for the physical budget (TDECQ is PAM4's)"));
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
    let mpi_derived_db = mpi::penalty_db(epsilon, extinction_ratio_db)?;
    let unmodelled_reflectors = mpi::unmodelled_reflectors(link);
    let (mpi_used, reflection_used) = mpi_penalties(link, mpi_derived_db, &unmodelled_reflectors);
    let mpi_db = mpi_used.unwrap_or(0.0) + reflection_used.unwrap_or(0.0);
    let eye_closed = closure(isi_db, tecq_db, tdecq_db, mpi_derived_db);
    let (margin_db, corner_margin_db, ber, compliant) = match eye_closed {
        Some(_) => (f64::NEG_INFINITY, f64::NEG_INFINITY, None, false),
        None => {
            // The same 802.3 rows with the simulated OMA and TDECQ as the transmitter's measured
            // values and the MPI penalty above in place of the allocated ones.
            let mut measured = link.clone();
            let tx = measured.transmitter.get_or_insert_with(Default::default);
            (tx.oma_outer_dbm, tx.tdecq_db) = (Some(oma_outer_dbm), Some(tdecq_db));
            let penalties = measured.penalties.get_or_insert_with(Default::default);
            (penalties.mpi_db, penalties.reflection_db) = (mpi_used, reflection_used);
            let at_simulated = evaluate(&measured, base_dir)?;
            if let Some(tx) = measured.transmitter.as_mut() {
                tx.oma_outer_dbm = None;
            }
            let at_corner = evaluate(&measured, base_dir)?;
            (at_simulated.margin_db, at_corner.margin_db, at_simulated.ber, at_simulated.pass)
        }
    };
    let source = format!("simulated ({} transmitter, SSPRQ, reference receiver)", cfg.modulator.name());
    let row = |item: &str, value_db: f64, unit: &'static str, source: &str| Row {
        item: item.into(),
        value_db,
        unit,
        source: source.into(),
    };
    let mpi_crosstalk_db = (epsilon > 0.0).then(|| 10.0 * epsilon.log10());
    let mpi_source = if unmodelled_reflectors.is_empty() {
        "derived: every reflector of the link is given".to_string()
    } else {
        format!("max(derived, allocated): {} not given", unmodelled_reflectors.join(", "))
    };
    let mut rows = vec![
        row("Tx OMA_outer (back to back)", oma_outer_dbm, "dBm", &source),
        row("extinction ratio (back to back)", extinction_ratio_db, "dB", &source),
        row("ISI and bandwidth penalty (TECQ without RIN)", isi_db, "dB", &source),
        row("RIN penalty (TECQ - ISI)", tecq_db - isi_db, "dB", "derived: back to back with and without laser RIN"),
        row("TECQ (back to back)", tecq_db, "dB", &source),
        row("channel penalty (TDECQ - TECQ)", tdecq_db - tecq_db, "dB", "derived: dispersion or modal bandwidth"),
        row("TDECQ through the fiber", tdecq_db, "dB", &source),
    ];
    if let Some(x) = mpi_crosstalk_db {
        rows.push(row("MPI crosstalk", x, "dB", "derived: reflector pairs of the link (budget::mpi)"));
    }
    rows.extend([
        row("MPI penalty (derived)", mpi_derived_db, "dB", "derived: beat noise of that crosstalk at the simulated ER"),
        row("MPI penalty (used)", mpi_db, "dB", &mpi_source),
        row("margin", margin_db, "dB", "derived: the 802.3 rows with the simulated OMA, TDECQ and MPI"),
        row(
            "margin of a corner transmitter",
            corner_margin_db,
            "dB",
            "derived: as above with the launch OMA at the minimum OMA - TDECQ",
        ),
    ]);
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
        mpi_derived_db,
        mpi_db,
        unmodelled_reflectors,
        margin_db,
        corner_margin_db,
        pass: eye_closed.is_none() && compliant,
        eye_closed,
        ber,
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
        // The margin by hand from IEEE 802.3bs-2017 Tables 124-6/124-7 and 802.3cu-2021 Tables 151-7/151-8:
        // OMA − IL − derived MPI − max(sensitivity floor, SRS − SECQ + TDECQ).
        for (b, il, srs, floor) in [(&dr4, 3.0, -1.9, -4.4), (&fr4, 4.0, -2.6, -4.6)] {
            let want = b.oma_outer_dbm - il - b.mpi_db - f64::max(floor, srs - 3.4 + b.tdecq_db);
            assert!((b.margin_db - want).abs() < 1e-9, "{} vs {want}", b.margin_db);
        }
        // The specification-corner transmitter by hand (the same tables): launch OMA
        // max(OMA_min, (OMA − TDECQ)_min + TDECQ), sensitivity max(floor, SRS − SECQ + TDECQ). With
        // the allocation standing (below) it differs from the 802.3 margin (0) only by what the OMA
        // and sensitivity floors give a TDECQ below the maximum: within 1 dB.
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
        // DR4: Tx and Rx at −26 dB across 3 dB (ε = −58 dB), a few thousandths of a dB; FR4 gives no
        // Rx reflectance: no pair. Neither gives the connection allowance's reflectance, so the
        // allocations (0.1 / 0.3 dB) stand.
        let dr4_eps = dr4.mpi_crosstalk_db.unwrap();
        assert!((dr4_eps + 58.0).abs() < 1e-9 && dr4.mpi_derived_db > 0.0 && dr4.mpi_derived_db < 0.01, "{dr4:?}");
        assert_eq!((fr4.mpi_crosstalk_db, fr4.mpi_derived_db), (None, 0.0));
        assert_eq!((dr4.mpi_db, fr4.mpi_db), (0.1, 0.3));
        assert_eq!(dr4.unmodelled_reflectors, ["channel.1.reflectance_db"]);
        assert_eq!(fr4.unmodelled_reflectors, ["receiver.reflectance_db", "channel.1.reflectance_db"]);
        assert!(dr4.pass && fr4.pass && dr4.eye_closed.is_none());
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
        // The file's [simulation.laser] merges onto the preset's simulation (its DSP pre-distortion).
        let text = "preset = \"400GBASE-DR4\"\n[simulation.laser]\nrin_db_per_hz = -128.0\n";
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
        let (mpo_eps, default_eps) = (mpo.mpi_crosstalk_db.unwrap(), default.mpi_crosstalk_db.unwrap());
        assert!((mpo_eps + 51.82).abs() < 0.01, "{mpo_eps}");
        // Small crosstalk: the penalty ≈ 2.17·36·Q_t²·σ²/OMA², proportional to ε (same ER).
        let ratio = 10f64.powf((mpo_eps - default_eps) / 10.0);
        let (m, d) = (mpo.mpi_derived_db, default.mpi_derived_db);
        assert!((m / d / ratio - 1.0).abs() < 0.02, "{m} vs {d}");
        // Every reflector is given: the derived penalty replaces the 0.1 dB allocation.
        assert!(mpo.unmodelled_reflectors.is_empty());
        assert_eq!(mpo.mpi_db, mpo.mpi_derived_db);
        assert!(mpo.mpi_db < 0.1 && mpo.margin_db > default.margin_db, "{} vs {}", mpo.margin_db, default.margin_db);
    }

    #[test]
    fn an_allocation_that_stands_is_passed_on_unchanged() {
        let mut link = preset("400GBASE-DR4").unwrap();
        link.penalties =
            Some(super::super::spec::PenaltiesFile { mpi_db: Some(20.0), reflection_db: Some(15.0), other_db: None });
        let missing = ["channel.1.reflectance_db".to_string()];
        // Each field within its 30 dB range though their sum is not.
        assert_eq!(mpi_penalties(&link, 0.003, &missing), (Some(20.0), Some(15.0)));
        assert_eq!(mpi_penalties(&link, 40.0, &missing), (Some(40.0), None));
        assert_eq!(mpi_penalties(&link, 0.003, &[]), (Some(0.003), None));
    }

    #[test]
    fn a_closed_eye_fails_the_link_instead_of_erring() {
        // Closed: TDECQ infinite, NaN or beyond the 20 dB the 802.3 rows take, or MPI alone.
        assert!(closure(1.0, f64::INFINITY, f64::INFINITY, 0.1).unwrap().contains("eye back to back is closed"));
        assert!(closure(1.0, 1.2, f64::NAN, 0.1).unwrap().contains("through the fiber"));
        assert!(closure(20.5, 1.2, 1.3, 0.1).unwrap().contains("without RIN"));
        assert!(closure(1.0, 1.2, 1.3, f64::INFINITY).unwrap().contains("MPI"));
        assert!(closure(1.0, 1.2, 1.3, 30.5).unwrap().contains("MPI"));
        assert!(closure(1.0, 1.2, 1.3, f64::NAN).unwrap().contains("MPI"));
        assert_eq!(closure(1.0, 1.2, 20.0, 30.0), None);
        // Ten −12 dB reflectors 0.1 dB apart: the beat noise alone closes the eye.
        let text = "preset = \"400GBASE-DR4\"\n[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\nlength = \"500m\"\n\
                    [[channel]]\ntype = \"connector\"\nloss_db = 0.1\ncount = 10\nreflectance_db = -12.0\n";
        let mpi = physical(&LinkFile::parse(text, "mpi.toml").unwrap().resolved().unwrap(), Path::new(".")).unwrap();
        assert_eq!(mpi.mpi_db, f64::INFINITY);
        assert!(mpi.margin_db == f64::NEG_INFINITY && mpi.ber.is_none());
        assert!(!mpi.pass && mpi.eye_closed.as_deref().unwrap().contains("MPI"), "{:?}", mpi.eye_closed);
    }

    #[test]
    fn a_linear_lpo_transmitter_pays_for_its_uncorrected_levels() {
        let dsp = physical(&preset("800GBASE-DR8").unwrap(), Path::new(".")).unwrap();
        let lpo = physical(&preset("800G-LPO-DR8").unwrap(), Path::new(".")).unwrap();
        // Same optics and budget; the MZM's cosine compresses the linear drive's outer eyes (RLM
        // 0.92 against 0.98 pre-distorted). Both share OMA_outer, the settled long-run levels
        // (802.3 121.8.4), so only the level mismatch costs: about 0.02 dB of TDECQ here.
        assert_eq!(dsp.spec.margin_db, lpo.spec.margin_db);
        assert!((dsp.oma_outer_dbm - lpo.oma_outer_dbm).abs() < 1e-4, "{} vs {}", dsp.oma_outer_dbm, lpo.oma_outer_dbm);
        assert!(lpo.isi_db > dsp.isi_db + 0.01, "{} vs {}", lpo.isi_db, dsp.isi_db);
        assert!(lpo.margin_db < dsp.margin_db - 0.01, "{} vs {}", lpo.margin_db, dsp.margin_db);
    }

    #[test]
    fn electrical_links_have_no_physical_optical_budget() {
        assert!(physical(&preset("100GBASE-CR1").unwrap(), Path::new(".")).is_err());
    }
}
