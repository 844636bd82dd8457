//! # photolink
//!
//! Will this link close, how far can it reach, and what does it cost in power? photolink is a
//! calculator for AI data-center interconnects: copper vs fiber attenuation and reach per lane
//! rate, measured Touchstone channels, optical eyes and TDECQ, PAM4 BER with FEC and link flaps,
//! equalization, energy per bit of DSP pluggables, LPO, CPO and copper, and 802.3-style link
//! budgets. The `photolink` command line and the review pack are thin layers over this library.
//!
//! ## Layout: the signal chain
//! A signal travels `tx → channel → rx → eq → metrics`; the simulator, budgets and power sit on
//! top, output and the command line on top of everything. Imports run one way, never back
//! (`tests/architecture.rs` checks it):
//!
//! | layer | modules |
//! |---|---|
//! | foundations | [`units`] (quantities with units, dB), [`math`] (special functions, FFT, PRBS/SSPRQ, root finding), [`input`] (CSV tables), [`error`] |
//! | signals | [`signal`]: modulation, lanes, symbol mapping, waveforms, analog filters |
//! | devices and media | [`tx`] (laser, driver, MZM/EAM/ring/VCSEL/DML), [`channel`] (copper, fiber, Touchstone, reach), [`rx`] (photodiode, TIA, reference receiver) |
//! | analysis | [`sim`] (Tx → fiber → Rx waveform simulator), [`eq`] (FFE/CTLE/DFE and the EQ search), [`metrics`] (eyes, TDECQ, BER, FEC, flaps) |
//! | channel compliance | [`com`] (Channel Operating Margin, IEEE 802.3 Annex 93A: packages, EQ search, DER_0) |
//! | systems | [`budget`] (link files, PMD presets, 802.3 and physical budgets), [`power`] (energy per bit by architecture) |
//! | presentation | [`output`] (tables, JSON, full-precision CSV, atomic writes), `plot` and `review` (feature `plot`), `cli` (feature `cli`) |
//!
//! `cargo build --lib --no-default-features` builds the numerical library alone (no clap, no
//! plotters). The most used types are re-exported in [`prelude`].
//!
//! ## Conventions
//! * SI base units inside the library (Hz, s, m, W, V, A); the unit is in every name
//!   (`freq_hz`, `length_m`, `loss_db`).
//! * Loss is a **positive** dB number. dB of a power ratio is `10·log10`, of an amplitude ratio
//!   (`|S21|`, voltage, photocurrent) `20·log10`. Optical attenuation of fiber is in optical dB.
//! * One error type, [`Error`]: every invalid input names the field, the value and the valid range.
//! * Every random process takes an explicit seed: the same inputs give the same outputs.
//!
//! ## From a CAD script
//! How far does a 26 AWG DAC reach at 200G per lane within a 28 dB budget, and what does 2 m of it
//! lose at Nyquist?
//! ```
//! use photolink::prelude::*;
//!
//! let cable = Medium::named("twinax-26awg")?;
//! let lane = Lane::new(212.5e9, Modulation::Pam4)?;
//! let r = reach(&cable, &lane, 28.0, &[])?;
//! assert!(r.reach_m > 3.0 && r.reach_m < 4.5);
//! let loss_db = cable.loss_db(lane.nyquist_hz(), 2.0);
//! assert!(loss_db > 13.0 && loss_db < 16.0);
//! # Ok::<(), photolink::Error>(())
//! ```
//!
//! Does a 400GBASE-DR4 link close at 500 m, the 802.3 way and with the link simulated?
//! ```no_run
//! use photolink::prelude::*;
//!
//! let link = preset("400GBASE-DR4")?;
//! let spec = evaluate(&link, ".".as_ref())?;
//! let sim = physical(&link, ".".as_ref())?;
//! println!("802.3 margin {:.2} dB, physical margin {:.2} dB", spec.margin_db, sim.margin_db);
//! # Ok::<(), photolink::Error>(())
//! ```
//! More journeys, runnable with `cargo run --example NAME`: `touchstone_equalized` (a measured
//! channel through the EQ search), `preset_budget` (a PMD budget with its physical check) and
//! `power_comparison` (watts and pJ/bit of pluggables, LPO, CPO and copper).

#![deny(missing_docs)]
// Range checks are written `!(x > 0.0)` on purpose: the negation also rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod budget;
pub mod channel;
#[cfg(feature = "cli")]
pub mod cli;
pub mod com;
pub mod eq;
pub mod error;
pub mod input;
pub mod math;
pub mod metrics;
pub mod output;
#[cfg(feature = "plot")]
pub mod plot;
pub mod power;
#[cfg(feature = "plot")]
pub mod review;
pub mod rx;
pub mod signal;
pub mod sim;
pub mod tx;
pub mod units;

pub use error::{Error, Result};

/// README.md, so that `cargo test` compiles and runs its Rust snippet (`tests/readme.rs` runs its
/// commands).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The types and calls a script needs most, in one import: `use photolink::prelude::*;`.
pub mod prelude {
    pub use crate::budget::{Budget, LinkFile, PhysicalBudget, evaluate, physical, preset};
    pub use crate::channel::{FrequencyResponse, LossCurve, Medium, Network, PortOrder, Reach, reach};
    pub use crate::eq::{ChannelSpectrum, EqConfig, EqResult, PulseConfig, equalize};
    pub use crate::error::{Error, Result};
    pub use crate::metrics::{Eye, EyeReport, Pam, Tdecq, TdecqConfig, tdecq};
    pub use crate::power::{ArchPower, Architecture, PortSpec, PowerParams};
    pub use crate::signal::{Lane, Modulation, Waveform};
    pub use crate::sim::{LinkConfig, Simulation, Simulator, simulate};
}

#[cfg(test)]
mod test_support;
