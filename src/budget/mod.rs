//! Link budgets: link files (TOML) and presets of standard PMDs, the 802.3-style budget with its
//! margin, the BER the margin implies, the maximum reach, and parameter sweeps.
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
pub mod mpi;
pub mod nrz_model;
pub mod physical;
pub mod presets;
pub mod spec;

pub use evaluate::{Budget, Row, ber_at_margin, evaluate, max_reach_m};
pub use physical::{PhysicalBudget, physical};
pub use presets::{preset, preset_names, presets};
pub use spec::{Amount, LinkFile, LinkKind, Segment, SimulationTable};

use crate::error::{Error, Result};
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
            "--param",
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
}
