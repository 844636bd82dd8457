//! Link metrics at the end of the signal chain: eye diagrams and eye metrics (OMA, ER, RLM, eye
//! heights and widths, TDECQ/SECQ), symbol and bit error ratios (analytic,
//! statistical with ISI and jitter, Monte Carlo), bathtubs, forward error correction and
//! link-flap statistics.
//!
//! Conventions (`docs/models.md` §1): SNR = mean electrical signal power / noise
//! variance at the slicer, zero-mean equally spaced levels; PAM-M symbols are Gray coded
//! (PAM4: 00, 01, 11, 10 from the lowest level to the highest); every random process takes a seed.

pub mod ber;
pub mod eye;
pub mod fec;
pub mod flaps;
pub mod montecarlo;
pub mod statistical;
pub mod tdecq;

pub use ber::{AwgnPoint, DecisionRates, LevelModel, OperatingPoint, Pam};
pub use eye::{Eye, EyeHistogram, EyeMetrics, EyeReport};
pub use fec::{BurstModel, FecTarget, ReedSolomon};
pub use flaps::{FlapDefinition, FlapWindow, LinkReport};
pub use montecarlo::{MonteCarloConfig, MonteCarloResult, monte_carlo, monte_carlo_awgn, monte_carlo_with_progress};
pub use statistical::{JitterModel, StatisticalBer, StatisticalPoint};
pub use tdecq::{Tdecq, TdecqConfig, secq, tdecq};
