//! Link metrics at the end of the signal chain: symbol and bit error ratios (analytic,
//! statistical with ISI and jitter, Monte Carlo), bathtubs, forward error correction and
//! link-flap statistics.
//!
//! Conventions (design.md §2, physics.md §5.2): SNR = mean electrical signal power / noise
//! variance at the slicer, zero-mean equally spaced levels; PAM-M symbols are Gray coded
//! (PAM4: 00, 01, 11, 10 from the lowest level to the highest); every random process takes a seed.

pub mod ber;
pub mod fec;
pub mod flaps;
pub mod montecarlo;
pub mod statistical;

pub use ber::{AwgnPoint, DecisionRates, LevelModel, OperatingPoint, Pam};
pub use fec::{BurstModel, FecTarget, ReedSolomon};
pub use flaps::{FlapDefinition, FlapWindow, LinkReport};
pub use montecarlo::{MonteCarloConfig, MonteCarloResult, monte_carlo};
pub use statistical::{JitterModel, StatisticalBer, StatisticalPoint};
