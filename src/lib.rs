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

#![deny(missing_docs)]

pub mod channel;
pub mod error;
pub mod math;
pub mod metrics;
pub mod units;

pub use error::{Error, Result};
