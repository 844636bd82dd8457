//! The channel between transmitter and receiver: copper (RLGC twinax and PCB, fitted IL), fiber
//! (SMF and MMF attenuation, chromatic dispersion, modal bandwidth), lumped connectors, measured
//! Touchstone channels, the named media catalogue, and reach.

pub mod copper;
pub mod fiber;
pub mod fit;
pub mod medium;
pub mod reach;
pub mod response;
pub mod touchstone;

pub use fit::{FittedIl, LumpedLoss};
pub use medium::{LENGTH_M, LossCurve, LossPoint, Medium};
pub use reach::{Budgets, LANE_GENERATIONS_BPS, Limit, Reach, reach, reach_table};
pub use response::FrequencyResponse;
pub use touchstone::{Network, PortOrder};
