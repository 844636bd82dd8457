//! Budget evaluation in the 802.3 style, the margin, the BER it implies, and the maximum reach.
//!
//! **Optical** (the 802.3 PAM4 PMD clauses' definitions \[P\], arithmetic \[D\]; `docs/models.md` §9):
//! * Tx OMA at its TDECQ `T`: `OMA_tx = max(OMA_floor, (OMA − TDECQ)_min + T)` unless the file
//!   gives the launch OMA.
//! * Rx sensitivity at `SECQ = T`: `S(T) = max(S_floor, SRS − SECQ_SRS + T)` (the SRS is the
//!   sensitivity at the stressed-eye closure of its test). The receiver is only specified up to
//!   `SECQ_SRS`, and the transmitter up to `TDECQ_max` and `OMA_max`: a link outside them is
//!   reported as non-compliant and fails whatever its margin.
//! * Power budget `= OMA_min@TDECQ_max − (SRS − SECQ)`; allocation for penalties `= budget − IL`.
//! * **`margin = OMA_tx − IL − Σ allocated penalties − S(T)`**: at the spec corner (`T =
//!   TDECQ_max`, minimum OMA) this is `allocation − TDECQ_max − Σ penalties`. The channel's
//!   dispersion penalty is inside TDECQ (measured through the compliance channel), as 802.3 does.
//!   The presets book the rest of the allocation (`allocation − TDECQ_max`, 0.1 dB for DR4, 0.3 dB
//!   for FR4) as the MPI and reflection allowance the standards leave for it, so a preset closes
//!   with margin 0 at its rated reach.
//!
//! **BER from the margin** (a stated model, not the standard's): the receiver is noise-limited at
//! its sensitivity, where it meets the FEC's pre-FEC BER target; the eye opening over sigma scales
//! with the received OMA, `x = x_t·10^{margin/10}` (optical dB), and `BER = BER_Gray(x)`
//! ([`crate::metrics::ber::ber_awgn`]). So margin 0 gives exactly the target, +1 dB 6.5e-6 for
//! PAM4 at a 2.4e-4 target.
//!
//! **Electrical**: insertion loss of every segment at Nyquist (`symbol rate / 2`) against the
//! receiver's IL budget; `margin = budget − IL − Σ penalties`. No BER: that needs COM.

use super::spec::{LinkFile, LinkKind, Segment};
use crate::channel::{LENGTH_M, Medium, Network};
use crate::error::{Bounds, Error, Result, check_range};
use crate::math::roots::try_bisect_boundary;
use crate::metrics::ber::{ber_awgn, snr_db_for_ber};
use crate::metrics::fec::KP4_PRE_FEC_BER_THRESHOLD;
use crate::metrics::{Pam, ReedSolomon};
use crate::signal::{Modulation, SYMBOL_RATE_BAUD};
use crate::units::Quantity;
use serde::Serialize;
use std::path::Path;

/// One line of a budget table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// What it is.
    pub item: String,
    /// The value, in `unit`.
    pub value_db: f64,
    /// `dB` or `dBm`.
    pub unit: &'static str,
    /// Where the number comes from.
    pub source: String,
}

/// The evaluated budget of one link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    /// The link's name.
    pub name: String,
    /// Optical or electrical.
    pub kind: LinkKind,
    /// Every loss and penalty with its source, then the totals.
    pub rows: Vec<Row>,
    /// Channel insertion loss, dB (optical or electrical at Nyquist).
    pub channel_loss_db: f64,
    /// Sum of the penalties the link allocates (MPI, reflections, other), dB.
    pub allocated_penalties_db: f64,
    /// Margin, dB; negative fails.
    pub margin_db: f64,
    /// Margin ≥ 0 (to 1e-9 dB, so a budget that closes exactly passes) and no violations.
    pub pass: bool,
    /// Limits of the standard the link is outside of (TDECQ above its maximum, OMA above its
    /// maximum, SECQ beyond the SRS test); any one fails the link.
    pub violations: Vec<String>,
    /// Pre-FEC BER implied by the margin (optical links; module docs).
    pub ber: Option<f64>,
    /// Codeword error ratio at that BER.
    pub codeword_error_ratio: Option<f64>,
    /// Post-FEC BER at that BER.
    pub post_fec_ber: Option<f64>,
    /// Field paths whose values are recalled but unverified.
    pub unverified: Vec<String>,
}

fn need<T: Clone>(value: &Option<T>, field: &str, example: &str) -> Result<T> {
    value.clone().ok_or_else(|| Error::invalid(field, "missing", format!("expected a value, e.g. {example}")))
}

/// Launch OMA fields of a transmitter, dBm.
const TX_OMA_DBM: Bounds = Bounds::new(-30.0, 20.0, "dBm");

/// Sensitivity fields of a receiver, dBm.
const RX_OMA_DBM: Bounds = Bounds::new(-40.0, 20.0, "dBm");

/// TDECQ and SECQ fields, dB.
const EYE_CLOSURE_DB: Bounds = Bounds::new(0.0, TDECQ_LIMIT_DB, "dB");

/// A discrete reflectance, dB: a negative number (−26 dB is the 802.3 DR4 transmitter maximum).
const REFLECTANCE_DB: Bounds = Bounds::new(-100.0, -10.0, "dB");

/// The electrical insertion-loss budget at Nyquist, dB.
const IL_BUDGET_DB: Bounds = Bounds::new(0.0, 100.0, "dB");

/// An allocated penalty, dB.
const PENALTY_DB: Bounds = Bounds::new(0.0, PENALTY_LIMIT_DB, "dB");

/// Range-checks every field of `link` the budget does not check as it goes (each channel segment
/// is checked with its row): the transmitter, receiver and penalty numbers whether or not the
/// link's kind reads them, the symbol rate and the modulation. The `[simulation]` table is
/// checked when a link is loaded ([`super::SimulationTable::validate`]).
pub fn check_fields(link: &LinkFile) -> Result<()> {
    let tx = link.transmitter.clone().unwrap_or_default();
    let rx = link.receiver.clone().unwrap_or_default();
    let p = link.penalties.clone().unwrap_or_default();
    let fields = [
        ("transmitter.oma_outer_min_dbm", tx.oma_outer_min_dbm, TX_OMA_DBM),
        ("transmitter.oma_minus_tdecq_min_dbm", tx.oma_minus_tdecq_min_dbm, TX_OMA_DBM),
        ("transmitter.tdecq_max_db", tx.tdecq_max_db, EYE_CLOSURE_DB),
        ("transmitter.tdecq_db", tx.tdecq_db, EYE_CLOSURE_DB),
        ("transmitter.oma_outer_dbm", tx.oma_outer_dbm, TX_OMA_DBM),
        ("transmitter.oma_outer_max_dbm", tx.oma_outer_max_dbm, TX_OMA_DBM),
        ("transmitter.reflectance_db", tx.reflectance_db, REFLECTANCE_DB),
        ("receiver.srs_oma_dbm", rx.srs_oma_dbm, RX_OMA_DBM),
        ("receiver.secq_db", rx.secq_db, EYE_CLOSURE_DB),
        ("receiver.sensitivity_floor_dbm", rx.sensitivity_floor_dbm, RX_OMA_DBM),
        ("receiver.il_budget_db", rx.il_budget_db, IL_BUDGET_DB),
        ("receiver.reflectance_db", rx.reflectance_db, REFLECTANCE_DB),
        ("penalties.mpi_db", p.mpi_db, PENALTY_DB),
        ("penalties.reflection_db", p.reflection_db, PENALTY_DB),
        ("penalties.other_db", p.other_db, PENALTY_DB),
    ];
    for (path, value, bounds) in fields {
        value.map(|v| bounds.check(path, v)).transpose()?;
    }
    symbol_rate_baud(link)?;
    link.modulation.is_some().then(|| modulation(link)).transpose()?;
    Ok(())
}

/// The symbol rate of a link file, range-checked; `None` when the file gives none.
pub fn symbol_rate_baud(link: &LinkFile) -> Result<Option<f64>> {
    let Some(rate) = &link.symbol_rate else { return Ok(None) };
    Ok(Some(SYMBOL_RATE_BAUD.check("symbol_rate", rate.si("symbol_rate", Quantity::SymbolRate)?)?))
}

/// The modulation of a link file.
pub fn modulation(link: &LinkFile) -> Result<Modulation> {
    Modulation::parse(&need(&link.modulation, "modulation", "\"pam4\"")?)
}

/// The length of segment `i` in metres, if it has one.
pub fn segment_length_m(link: &LinkFile, i: usize) -> Result<Option<f64>> {
    match link.channel.as_deref().and_then(|c| c.get(i)) {
        Some(Segment::Fiber { length, .. } | Segment::Copper { length, .. }) => {
            let field = format!("channel.{i}.length");
            Ok(Some(LENGTH_M.check(&field, length.si(&field, Quantity::Length)?)?))
        }
        _ => Ok(None),
    }
}

/// A discrete reflectance, dB, checked (−100 to −10 dB), as a linear power ratio.
pub fn reflectance(value: &Option<f64>, field: &str) -> Result<Option<f64>> {
    value.map(|r| REFLECTANCE_DB.check(field, r).map(|r| 10f64.powf(r / 10.0))).transpose()
}

/// Loss of each channel segment of an optical link, dB, in signal order.
pub fn optical_segment_losses_db(link: &LinkFile, base_dir: &Path) -> Result<Vec<f64>> {
    let rows = Evaluator { link, base_dir }.channel_rows(None)?;
    Ok(rows.iter().map(|r| r.value_db).collect())
}

/// Rows, channel loss, margin and violations of one evaluation.
struct Evaluated {
    rows: Vec<Row>,
    il: f64,
    penalties: f64,
    margin: f64,
    violations: Vec<String>,
}

/// Most connections one connector segment may count: far beyond any data-center link, and a bound
/// on the MPI model's pairwise sum.
const MAX_CONNECTOR_COUNT: u32 = 1000;

/// Largest TDECQ (and SECQ) a link may state, dB: far beyond any PMD's limit (3.4–4.5 dB).
pub const TDECQ_LIMIT_DB: f64 = 20.0;

/// Largest allocated penalty a link may state, dB.
pub const PENALTY_LIMIT_DB: f64 = 30.0;

/// A budget that closes to within this passes (the presets close at exactly 0 dB).
const MARGIN_TOLERANCE_DB: f64 = 1e-9;

struct Evaluator<'a> {
    link: &'a LinkFile,
    base_dir: &'a Path,
}

impl Evaluator<'_> {
    fn source(&self, path: &str) -> String {
        let s = self.link.sources.as_ref().and_then(|s| s.get(path)).cloned().unwrap_or_else(|| "link file".into());
        let unverified = self.link.unverified.as_ref().is_some_and(|u| u.iter().any(|p| p == path));
        if unverified && !s.contains("unverified") { format!("{s} (unverified)") } else { s }
    }

    fn row(&self, item: impl Into<String>, value_db: f64, unit: &'static str, path: &str) -> Row {
        Row { item: item.into(), value_db, unit, source: self.source(path) }
    }

    fn derived(item: impl Into<String>, value_db: f64, unit: &'static str, how: &str) -> Row {
        Row { item: item.into(), value_db, unit, source: format!("derived: {how}") }
    }

    /// Loss rows of every segment; `nyquist_hz` is `None` for an optical link.
    fn channel_rows(&self, nyquist_hz: Option<f64>) -> Result<Vec<Row>> {
        let segments = self.link.channel.as_deref().unwrap_or_default();
        if segments.is_empty() {
            return Err(Error::invalid("channel", "empty", "expected at least one [[channel]] segment"));
        }
        segments.iter().enumerate().map(|(i, s)| self.segment_row(i, s, nyquist_hz)).collect()
    }

    fn segment_row(&self, i: usize, segment: &Segment, nyquist_hz: Option<f64>) -> Result<Row> {
        let path = format!("channel.{i}");
        let wrong_domain = |what: &str| {
            let expected = if nyquist_hz.is_some() { "copper, touchstone or connector" } else { "fiber or connector" };
            Error::invalid(format!("{path}.type"), what, format!("expected {expected} in this link"))
        };
        let length_m = segment_length_m(self.link, i)?;
        match (segment, nyquist_hz) {
            (Segment::Fiber { medium, wavelength, attenuation_db_per_km, .. }, None) => {
                let l = length_m.unwrap_or_default();
                let modelled = fiber(medium, wavelength, &path)?.loss_db_per_m(0.0) * 1e3;
                let per_km = match attenuation_db_per_km {
                    Some(a) => check_range(&format!("{path}.attenuation_db_per_km"), *a, 0.0, 10.0, "dB/km")?,
                    None => modelled,
                };
                let item = format!("{medium} {} m at {per_km} dB/km", l);
                let src = if attenuation_db_per_km.is_some() { format!("{path}.attenuation_db_per_km") } else { path };
                Ok(self.row(item, per_km * l / 1e3, "dB", &src))
            }
            (Segment::Connector { loss_db, count, label, reflectance_db }, _) => {
                let loss = check_range(&format!("{path}.loss_db"), *loss_db, 0.0, 60.0, "dB")?;
                reflectance(reflectance_db, &format!("{path}.reflectance_db"))?;
                let n = count.unwrap_or(1);
                if !(1..=MAX_CONNECTOR_COUNT).contains(&n) {
                    return Err(Error::invalid(
                        format!("{path}.count"),
                        n,
                        format!("expected 1 ..= {MAX_CONNECTOR_COUNT} (remove the segment instead of 0)"),
                    ));
                }
                let name = label.clone().unwrap_or_else(|| "connector".into());
                let item = if n == 1 { name } else { format!("{n} x {name} at {loss} dB") };
                Ok(self.row(item, loss * f64::from(n), "dB", &format!("{path}.loss_db")))
            }
            (Segment::Copper { medium, .. }, Some(f)) => {
                let m = Medium::named(medium)?;
                if m.is_optical() {
                    return Err(wrong_domain("copper with a fiber medium"));
                }
                let l = length_m.unwrap_or_default();
                let item = format!("{medium} {l} m at {:.4} GHz", f / 1e9);
                Ok(Row { item, value_db: m.loss_db(f, l), unit: "dB", source: "RLGC model (channel::copper)".into() })
            }
            (Segment::Touchstone { file }, Some(f)) => {
                let p = self.base_dir.join(file);
                let unreadable = |e: Error| Error::invalid(format!("{path}.file"), format!("'{file}'"), e.to_string());
                let (thru, _) = Network::read(&p).and_then(|n| n.thru_response(None)).map_err(unreadable)?;
                let item = format!("{file} at {:.4} GHz", f / 1e9);
                Ok(Row { item, value_db: thru.loss_db_at(f)?, unit: "dB", source: "measured (Touchstone)".into() })
            }
            (Segment::Fiber { .. }, Some(_)) => Err(wrong_domain("fiber")),
            (Segment::Copper { .. }, None) => Err(wrong_domain("copper")),
            (Segment::Touchstone { .. }, None) => Err(wrong_domain("touchstone")),
        }
    }

    fn penalty_rows(&self) -> Vec<Row> {
        let p = self.link.penalties.clone().unwrap_or_default();
        [
            ("MPI penalty", p.mpi_db, "mpi_db"),
            ("reflection penalty", p.reflection_db, "reflection_db"),
            ("other penalties", p.other_db, "other_db"),
        ]
        .into_iter()
        .filter_map(|(item, v, key)| v.map(|v| (item, v, key)))
        .map(|(item, v, key)| self.row(item, v, "dB", &format!("penalties.{key}")))
        .collect()
    }

    fn optical(&self) -> Result<Evaluated> {
        let tx = self.link.transmitter.clone().unwrap_or_default();
        let rx = self.link.receiver.clone().unwrap_or_default();
        // Every value is in range ([`check_fields`]); the required ones must be there.
        let omt = need(&tx.oma_minus_tdecq_min_dbm, "transmitter.oma_minus_tdecq_min_dbm", "-2.2")?;
        let tdecq_max = need(&tx.tdecq_max_db, "transmitter.tdecq_max_db", "3.4")?;
        let oma_floor = tx.oma_outer_min_dbm.unwrap_or(f64::NEG_INFINITY);
        let tdecq = tx.tdecq_db.unwrap_or(tdecq_max);
        let srs = need(&rx.srs_oma_dbm, "receiver.srs_oma_dbm", "-1.9")?;
        let secq = need(&rx.secq_db, "receiver.secq_db", "3.4")?;
        let s_floor = rx.sensitivity_floor_dbm.unwrap_or(f64::NEG_INFINITY);
        let oma_tx = tx.oma_outer_dbm.unwrap_or_else(|| oma_floor.max(omt + tdecq));
        let mut violations = Vec::new();
        if tdecq > tdecq_max {
            violations.push(format!("TDECQ {tdecq} dB above the {tdecq_max} dB maximum"));
        }
        if tdecq > secq {
            violations.push(format!("TDECQ {tdecq} dB beyond the SECQ {secq} dB the receiver is specified at"));
        }
        if let Some(max) = tx.oma_outer_max_dbm
            && oma_tx > max
        {
            violations.push(format!("launch OMA_outer {oma_tx} dBm above the {max} dBm maximum"));
        }
        let sensitivity = s_floor.max(srs - secq + tdecq);
        let budget = oma_floor.max(omt + tdecq_max) - (srs - secq);
        let channel = self.channel_rows(None)?;
        let il: f64 = channel.iter().map(|r| r.value_db).sum();
        let penalties = self.penalty_rows();
        let penalty_sum: f64 = penalties.iter().map(|r| r.value_db).sum();
        let margin = oma_tx - il - penalty_sum - sensitivity;
        let oma_src = match tx.oma_outer_dbm {
            Some(_) => "transmitter.oma_outer_dbm",
            None if oma_floor > omt + tdecq => "transmitter.oma_outer_min_dbm",
            None => "transmitter.oma_minus_tdecq_min_dbm",
        };
        let tdecq_src = if tx.tdecq_db.is_some() { "transmitter.tdecq_db" } else { "transmitter.tdecq_max_db" };
        let mut rows = vec![
            self.row(format!("Tx OMA_outer at TDECQ {tdecq} dB"), oma_tx, "dBm", oma_src),
            self.row(
                format!("TDECQ max {tdecq_max} dB, (OMA - TDECQ) min {omt} dBm"),
                tdecq_max,
                "dB",
                "transmitter.tdecq_max_db",
            ),
            self.row(format!("Rx SRS at SECQ {secq} dB"), srs, "dBm", "receiver.srs_oma_dbm"),
            Self::derived(
                format!("Rx sensitivity at SECQ = {tdecq} dB"),
                sensitivity,
                "dBm",
                "max(floor, SRS - SECQ + TDECQ)",
            ),
            Self::derived("power budget", budget, "dB", "OMA_min at TDECQ_max - (SRS - SECQ)"),
        ];
        rows.extend(channel);
        rows.push(Self::derived("channel insertion loss", il, "dB", "sum of the channel rows"));
        rows.push(Self::derived(
            "allocation for penalties",
            budget - il,
            "dB",
            "power budget - channel insertion loss",
        ));
        rows.push(self.row("TDECQ (transmitter and dispersion penalty)", tdecq, "dB", tdecq_src));
        rows.extend(penalties);
        Ok(Evaluated { rows, il, penalties: penalty_sum, margin, violations })
    }

    fn electrical(&self, nyquist_hz: f64) -> Result<Evaluated> {
        let rx = self.link.receiver.clone().unwrap_or_default();
        let budget = need(&rx.il_budget_db, "receiver.il_budget_db", "28")?;
        let channel = self.channel_rows(Some(nyquist_hz))?;
        let il: f64 = channel.iter().map(|r| r.value_db).sum();
        let penalties = self.penalty_rows();
        let penalty_sum: f64 = penalties.iter().map(|r| r.value_db).sum();
        let margin = budget - il - penalty_sum;
        let mut rows = vec![self.row(
            format!("IL budget at Nyquist {:.4} GHz", nyquist_hz / 1e9),
            budget,
            "dB",
            "receiver.il_budget_db",
        )];
        rows.extend(channel);
        rows.push(Self::derived("channel insertion loss", il, "dB", "sum of the channel rows"));
        rows.extend(penalties);
        Ok(Evaluated { rows, il, penalties: penalty_sum, margin, violations: Vec::new() })
    }
}

fn fiber(medium: &str, wavelength: &Option<super::spec::Amount>, path: &str) -> Result<Medium> {
    let m = Medium::named(medium)?;
    if !m.is_optical() {
        return Err(Error::invalid(format!("{path}.medium"), medium, "expected a fiber medium (smf, mmf-om3/4/5)"));
    }
    let field = format!("{path}.wavelength");
    match wavelength {
        Some(w) => m.with_wavelength(w.si(&field, Quantity::Length)?).map_err(|e| e.with_field(|_| field)),
        None => Ok(m),
    }
}

/// Evaluates a resolved link file (see [`LinkFile::resolved`]); Touchstone paths are relative to
/// `base_dir`.
pub fn evaluate(link: &LinkFile, base_dir: &Path) -> Result<Budget> {
    check_fields(link)?;
    let kind = need(&link.kind, "kind", "\"optical\"")?;
    let modulation = modulation(link)?;
    let ev = Evaluator { link, base_dir };
    let Evaluated { mut rows, il: channel_loss_db, penalties: allocated_penalties_db, margin: margin_db, violations } =
        match kind {
            LinkKind::Optical => ev.optical()?,
            LinkKind::Electrical => {
                ev.electrical(need(&symbol_rate_baud(link)?, "symbol_rate", "\"53.125GBd\"")? / 2.0)?
            }
        };
    // Rounding leaves a preset at its corner a few 1e-16 dB off zero: print the zero it is.
    let margin_db = if margin_db.abs() < MARGIN_TOLERANCE_DB { 0.0 } else { margin_db };
    rows.push(Evaluator::derived("margin", margin_db, "dB", "what is left after every loss and penalty"));
    let fec = link.fec.clone().unwrap_or_default();
    let code_text = fec.code.as_deref().unwrap_or("kp4");
    // A code of the right form with impossible n or k is named by the link's field too.
    let code = ReedSolomon::parse(code_text, "fec.code").map_err(|e| match e {
        Error::InvalidParameter { field, expected, .. } if field != "fec.code" => Error::invalid(
            "fec.code",
            format!("'{code_text}'"),
            format!("{expected} for {}", field.trim_start_matches("fec ")),
        ),
        e => e,
    })?;
    let target = check_range("fec.pre_fec_ber", fec.pre_fec_ber.unwrap_or(KP4_PRE_FEC_BER_THRESHOLD), 1e-30, 0.1, "")?;
    let ber = match kind {
        LinkKind::Optical => Some(ber_at_margin(modulation.into(), target, margin_db)?),
        LinkKind::Electrical => None,
    };
    let fec_result = ber.map(|b| code.evaluate(b.clamp(1e-300, 0.5))).transpose()?;
    Ok(Budget {
        name: link.name.clone().unwrap_or_else(|| "link".into()),
        kind,
        rows,
        channel_loss_db,
        allocated_penalties_db,
        margin_db,
        pass: margin_db >= -MARGIN_TOLERANCE_DB && violations.is_empty(),
        violations,
        ber,
        codeword_error_ratio: fec_result.map(|r| r.codeword_error_ratio),
        post_fec_ber: fec_result.map(|r| r.post_fec_ber),
        unverified: link.unverified.clone().unwrap_or_default(),
    })
}

/// BER of a noise-limited receiver `margin_db` (optical) above the sensitivity at which it
/// meets `target_ber` (module docs).
pub fn ber_at_margin(pam: Pam, target_ber: f64, margin_db: f64) -> Result<f64> {
    Ok(ber_awgn(pam, eye_over_sigma_at_target(pam, target_ber)? * 10f64.powf(margin_db.clamp(-30.0, 30.0) / 10.0)))
}

thread_local! {
    /// The last `(levels, target BER) → x_t` solved on this thread: sweeps and bisections ask for
    /// the same target thousands of times, and the inversion is most of an evaluation's cost.
    static LAST_TARGET: std::cell::Cell<(usize, f64, f64)> = const { std::cell::Cell::new((0, f64::NAN, f64::NAN)) };
}

/// `x_t = d/(2σ)` at which Gray PAM-M reaches `target_ber`.
fn eye_over_sigma_at_target(pam: Pam, target_ber: f64) -> Result<f64> {
    let (levels, target, x) = LAST_TARGET.get();
    if levels == pam.levels() && target == target_ber {
        return Ok(x);
    }
    let x = pam.half_eye_over_sigma(10f64.powf(snr_db_for_ber(pam, target_ber)? / 10.0));
    LAST_TARGET.set((pam.levels(), target_ber, x));
    Ok(x)
}

/// Width of the bracket at which the reach search stops, m (1 mm).
const REACH_TOLERANCE_M: f64 = 1e-3;

/// Longest length the reach search tries, m: the longest medium, 1000 km ([`LENGTH_M`]).
pub const MAX_REACH_M: f64 = LENGTH_M.max;

/// Index of the first fiber or copper segment (the one `--length` and the reach search act on).
pub fn first_length_segment(link: &LinkFile) -> Result<usize> {
    let n = link.channel.as_ref().map_or(0, Vec::len);
    (0..n)
        .find(|&i| matches!(segment_length_m(link, i), Ok(Some(_))))
        .ok_or_else(|| Error::invalid("channel", "no fiber or copper segment", "expected a segment with a length"))
}

/// The longest length of segment `segment` (default: the first fiber or copper segment) at which
/// the margin is still ≥ 0, by bisection to 1 mm; `None` when even zero length fails. Lengths
/// stop at [`MAX_REACH_M`]: a result equal to it means "at least".
pub fn max_reach_m(link: &LinkFile, base_dir: &Path, segment: Option<usize>) -> Result<Option<f64>> {
    let index = match segment {
        Some(i) => i,
        None => first_length_segment(link)?,
    };
    let path = format!("channel.{index}.length");
    let margin = |l: f64| -> Result<f64> { Ok(evaluate(&link.with_value(&path, l)?, base_dir)?.margin_db) };
    let closes = |l: f64| -> Result<bool> { Ok(margin(l)? >= -MARGIN_TOLERANCE_DB) };
    if !closes(0.0)? {
        return Ok(None);
    }
    let mut hi = segment_length_m(link, index)?.unwrap_or(1.0).max(1e-3);
    while closes(hi)? {
        if hi >= MAX_REACH_M {
            return Ok(Some(MAX_REACH_M));
        }
        hi = (hi * 2.0).min(MAX_REACH_M);
    }
    Ok(Some(try_bisect_boundary(closes, 0.0, hi, REACH_TOLERANCE_M)?.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::presets::preset;

    fn budget(name: &str) -> Budget {
        evaluate(&preset(name).unwrap(), Path::new(".")).unwrap()
    }

    fn row(b: &Budget, item: &str) -> f64 {
        b.rows.iter().find(|r| r.item == item).unwrap_or_else(|| panic!("no row {item}")).value_db
    }

    /// IEEE 802.3bs-2017 (derived from the primary Table 124-6/124-7 values): budget 6.5 dB,
    /// allocation for penalties 3.5 dB over the 3.0 dB channel.
    #[test]
    fn dr4_reproduces_the_standard_arithmetic() {
        let b = budget("400GBASE-DR4");
        assert!((row(&b, "power budget") - 6.5).abs() < 1e-9);
        assert!((b.channel_loss_db - 3.0).abs() < 1e-9);
        assert!((row(&b, "allocation for penalties") - 3.5).abs() < 1e-9);
        // The 0.1 dB left after TDECQ_max is the preset's MPI allowance: the budget closes exactly.
        assert!(b.margin_db.abs() < 1e-9 && b.pass, "{}", b.margin_db);
        assert!((row(&b, "MPI penalty") - 0.1).abs() < 1e-9);
        for name in ["100GBASE-DR", "800GBASE-DR8"] {
            assert!((budget(name).margin_db - b.margin_db).abs() < 1e-12, "{name}");
        }
    }

    /// IEEE 802.3cu-2021 Tables 151-7/151-8 (derived): budget 7.7 dB, allocation 3.7 dB (ER ≥ 4.5 dB row,
    /// 4.0 dB channel).
    #[test]
    fn fr4_reproduces_the_standard_arithmetic() {
        let b = budget("400GBASE-FR4");
        assert!((row(&b, "power budget") - 7.7).abs() < 1e-9);
        assert!((row(&b, "allocation for penalties") - 3.7).abs() < 1e-9);
        assert!(b.margin_db.abs() < 1e-9 && b.pass);
    }

    /// IEEE 802.3cm-2020 Tables 138-8/138-9: SR8 budget −1.4 + 7.9 = 6.5 dB (recalled-unverified Tx/Rx,
    /// self-consistent) over the 1.9 dB OM4 channel (TIA FOTC summary, primary).
    #[test]
    fn sr8_budget_and_channel() {
        let b = budget("400GBASE-SR8");
        assert!((row(&b, "power budget") - 6.5).abs() < 1e-9);
        assert!((b.channel_loss_db - 1.9).abs() < 1e-9);
        assert!(b.unverified.iter().any(|u| u == "transmitter.tdecq_max_db"));
    }

    #[test]
    fn margin_and_ber_follow_the_transmitter() {
        let mut link = preset("400GBASE-DR4").unwrap();
        let b0 = evaluate(&link, Path::new(".")).unwrap();
        // At the spec corner a lower TDECQ with the minimum OMA − TDECQ keeps the margin ...
        link.transmitter.as_mut().unwrap().tdecq_db = Some(2.0);
        assert!((evaluate(&link, Path::new(".")).unwrap().margin_db - b0.margin_db).abs() < 1e-9);
        // ... a stronger launch adds to it one for one, and the BER falls.
        link.transmitter.as_mut().unwrap().oma_outer_dbm = Some(0.8);
        let b1 = evaluate(&link, Path::new(".")).unwrap();
        assert!((b1.margin_db - (b0.margin_db + 1.0)).abs() < 1e-9);
        assert!(b1.ber.unwrap() < b0.ber.unwrap());
        // Margin 0 is the FEC target exactly; +1 dB scales x by 10^0.1 (module docs: 6.5e-6).
        assert!((ber_at_margin(Pam::PAM4, 2.4e-4, 0.0).unwrap() / 2.4e-4 - 1.0).abs() < 1e-9);
        let one_db = ber_at_margin(Pam::PAM4, 2.4e-4, 1.0).unwrap();
        assert!((one_db / 6.46e-6 - 1.0).abs() < 0.01, "{one_db}");
    }

    #[test]
    fn max_reach_is_where_the_margin_ends() {
        let link = preset("400GBASE-DR4").unwrap();
        let l = max_reach_m(&link, Path::new("."), None).unwrap().unwrap();
        // The preset closes at exactly its rated 500 m.
        assert!((l - 500.0).abs() < 0.01, "{l}");
        let mut longer = preset("400GBASE-DR4").unwrap();
        longer.transmitter.as_mut().unwrap().oma_outer_dbm = Some(1.7);
        // 0.5 dB more launch power at 0.5 dB/km: one more kilometre.
        assert!((max_reach_m(&longer, Path::new("."), None).unwrap().unwrap() - 1500.0).abs() < 0.01);
        let cr = preset("100GBASE-CR1").unwrap();
        let l = max_reach_m(&cr, Path::new("."), None).unwrap().unwrap();
        let at = evaluate(&cr.with_value("channel.0.length", l).unwrap(), Path::new(".")).unwrap();
        assert!(at.margin_db >= 0.0 && at.margin_db < 0.01);
    }

    #[test]
    fn electrical_presets_compare_loss_at_nyquist() {
        let b = budget("100GBASE-CR1");
        assert_eq!(b.kind, LinkKind::Electrical);
        let twinax = Medium::named("twinax-26awg").unwrap().loss_db(26.5625e9, 2.0);
        assert!((b.margin_db - (19.75 - twinax)).abs() < 1e-9);
        assert!(b.ber.is_none());
        assert!(budget("CEI-112G-XSR-CPO").pass);
    }

    #[test]
    fn out_of_spec_transmitters_fail_whatever_the_margin() {
        let mut link = preset("400GBASE-DR4").unwrap();
        link.transmitter.as_mut().unwrap().tdecq_db = Some(9.0);
        let b = evaluate(&link, Path::new(".")).unwrap();
        assert!(!b.pass && b.violations.len() == 3, "{:?}", b.violations);
        let mut link = preset("400GBASE-DR4").unwrap();
        link.transmitter.as_mut().unwrap().oma_outer_dbm = Some(5.0);
        let b = evaluate(&link, Path::new(".")).unwrap();
        assert!(b.margin_db > 3.0 && !b.pass && b.violations[0].contains("4.2 dBm"));
    }

    #[test]
    fn bad_links_name_the_field() {
        let mut link = preset("400GBASE-DR4").unwrap();
        link.transmitter.as_mut().unwrap().tdecq_db = Some(-1.0);
        let e = evaluate(&link, Path::new(".")).unwrap_err().to_string();
        assert!(e.contains("transmitter.tdecq_db") && e.contains("0 dB ..= 20 dB"), "{e}");
        let mut link = preset("400GBASE-DR4").unwrap();
        link.channel = Some(vec![Segment::Copper {
            medium: "twinax-26awg".into(),
            length: super::super::spec::Amount::Number(1.0),
        }]);
        assert!(evaluate(&link, Path::new(".")).unwrap_err().to_string().contains("channel.0.type"));
        for count in [0, 1001, u32::MAX] {
            let mut link = preset("400GBASE-DR4").unwrap();
            if let Some(Segment::Connector { count: c, .. }) = link.channel.as_mut().unwrap().get_mut(1) {
                *c = Some(count);
            }
            let e = evaluate(&link, Path::new(".")).unwrap_err().to_string();
            assert!(e.contains("channel.1.count") && e.contains("1 ..= 1000"), "{e}");
        }
    }
}
