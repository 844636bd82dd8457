//! # photolink
//!
//! Will this link close, how far can it reach, and what does it cost in power? photolink is a
//! calculator for AI data-center interconnects: copper vs fiber attenuation and reach, and (as the
//! project grows) eyes, PAM4 BER and FEC, equalization, power and link budgets.
//!
//! ## Conventions
//! * SI base units inside the library (Hz, s, m, W, V, A); the unit is in every name
//!   (`freq_hz`, `length_m`, `loss_db`).
//! * Loss is a **positive** dB number. dB of a power ratio is `10·log10`, of an amplitude ratio
//!   (`|S21|`, voltage, photocurrent) `20·log10`. Optical attenuation of fiber is in optical dB.
//! * One error type, [`Error`]: every invalid input names the field, the value and the valid range.
//!
//! ## From a CAD script
//! How far does a 26 AWG DAC reach at 200G per lane within a 28 dB budget, and what does 2 m of it
//! lose at Nyquist?
//! ```
//! use photolink::channel::{reach, Medium};
//! use photolink::signal::{Lane, Modulation};
//!
//! let cable = Medium::named("twinax-26awg")?;
//! let lane = Lane::new(212.5e9, Modulation::Pam4)?;
//! let r = reach(&cable, &lane, 28.0, &[])?;
//! assert!(r.reach_m > 3.0 && r.reach_m < 4.5);
//! let loss_db = cable.loss_db(lane.nyquist_hz(), 2.0);
//! assert!(loss_db > 13.0 && loss_db < 16.0);
//! # Ok::<(), photolink::Error>(())
//! ```

#![deny(missing_docs)]
// Range checks are written `!(x > 0.0)` on purpose: the negation also rejects NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod budget;
pub mod channel;
pub mod cli;
pub mod eq;
pub mod error;
pub mod input;
pub mod math;
pub mod metrics;
pub mod plot;
pub mod power;
pub mod report;
pub mod rx;
pub mod signal;
pub mod tx;
pub mod units;

pub use error::{Error, Result};
