//! Link budgets: link files (TOML) and presets of standard PMDs, the 802.3-style budget with its
//! margin, the BER the margin implies, the maximum reach, and parameter sweeps; [`LoadedLink`]
//! reads a link file and puts the errors of every evaluation at the file's lines.
//!
//! ```
//! use photolink::budget::{evaluate, preset};
//! use std::path::Path;
//!
//! let link = preset("400GBASE-DR4")?.with_value("channel.0.length", 600.0)?;
//! let b = evaluate(&link, Path::new("."))?;
//! assert!((b.margin_db + 0.05).abs() < 1e-9 && !b.pass);
//! # Ok::<(), photolink::Error>(())
//! ```

pub mod evaluate;
pub mod loaded;
pub mod mpi;
pub mod nrz_model;
pub mod physical;
pub mod presets;
pub mod spec;

pub use evaluate::{Budget, Row, ber_at_margin, evaluate, max_reach_m};
pub use loaded::LoadedLink;
pub use physical::{PhysicalBudget, physical};
pub use presets::{preset, preset_names, presets};
pub use spec::{Amount, LinkFile, LinkKind, Segment, SimulationTable};

use crate::error::{Error, Result};
use crate::units::{Quantity, parse};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The swept field's value (SI base units or dB).
    pub value: f64,
    /// Margin, dB.
    pub margin_db: f64,
    /// `margin_db >= 0`.
    pub pass: bool,
    /// Pre-FEC BER implied by the margin (optical links).
    pub ber: Option<f64>,
}

/// Evaluates `link` with the field at `param` set to each of `values`, in parallel; `progress` is
/// called once per finished point (from any thread). The 802.3-style budget does not read the
/// `[simulation]` table, so sweeping it is an error and it is dropped before the points (each point
/// rewrites the link through TOML).
pub fn sweep(
    link: &LinkFile,
    base_dir: &Path,
    param: &str,
    values: &[f64],
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<SweepPoint>> {
    if param.split('.').next() == Some("simulation") {
        return Err(Error::invalid(
            "param",
            param,
            "a field the 802.3 budget reads (the simulation is --physical only)",
        ));
    }
    let link = LinkFile { simulation: None, ..link.clone() };
    values
        .par_iter()
        .map(|&value| {
            let b = evaluate(&link.with_value(param, value)?, base_dir)?;
            progress();
            Ok(SweepPoint { value, margin_db: b.margin_db, pass: b.pass, ber: b.ber })
        })
        .collect()
}

/// A value of the link field at the dotted path `param`, read from `text` in that field's unit as
/// [`sweep`] takes it: lengths and wavelengths take a length (`100m`), the symbol rate a rate
/// (`26GBd`), dB fields a dB value (`1.5dB` or `1.5`); anything else, dBm fields among them, a
/// bare number in SI units. `field` names `text` in errors.
pub fn parse_field_value(param: &str, text: &str, field: &str) -> Result<f64> {
    let key = param.rsplit('.').next().unwrap_or_default();
    match key {
        "length" | "wavelength" => parse(text, field, Quantity::Length),
        "symbol_rate" => parse(text, field, Quantity::SymbolRate),
        k if k.ends_with("_db") || k.ends_with("_db_per_km") => parse(text, field, Quantity::Decibel),
        _ => text.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            Error::invalid(
                field,
                format!("'{text}'"),
                format!("expected a bare number for {param} (dBm fields take no unit)"),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_margin_falls_with_length_by_the_fiber_attenuation() {
        let link = preset("400GBASE-DR4").unwrap();
        let values: Vec<f64> = (0..=10).map(|i| 100.0 * i as f64).collect();
        let count = std::sync::atomic::AtomicUsize::new(0);
        let bump = || {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        let pts = sweep(&link, Path::new("."), "channel.0.length", &values, &bump).unwrap();
        assert!(sweep(&link, Path::new("."), "simulation.laser.power_dbm", &values, &bump).is_err());
        assert_eq!(count.into_inner(), 11);
        for w in pts.windows(2) {
            assert!((w[0].margin_db - w[1].margin_db - 0.05).abs() < 1e-9);
        }
        assert!(pts[5].pass && !pts[6].pass && pts[5].margin_db.abs() < 1e-9);
        assert!(sweep(&link, Path::new("."), "channel.9.length", &values, &|| {}).is_err());
    }

    #[test]
    fn field_values_take_the_unit_of_their_field() {
        let v = |param: &str, text: &str| parse_field_value(param, text, "from");
        assert_eq!(v("channel.0.length", "2km").unwrap(), 2000.0);
        assert_eq!(v("symbol_rate", "26.5625GBd").unwrap(), 26.5625e9);
        assert_eq!(v("penalties.mpi_db", "1.5dB").unwrap(), 1.5);
        assert_eq!(v("transmitter.oma_outer_dbm", "-2").unwrap(), -2.0);
        // A length unit on a dB field is an error, not 1 mdB.
        assert!(v("penalties.mpi_db", "1m").is_err());
        let e = v("channel.1.count", "2x").unwrap_err().to_string();
        assert!(e.contains("invalid from = '2x'") && e.contains("bare number for channel.1.count"), "{e}");
    }
}
