//! The channel between transmitter and receiver: copper (RLGC twinax and PCB, fitted IL), fiber
//! (SMF and MMF attenuation, chromatic dispersion, modal bandwidth), lumped connectors, measured
//! Touchstone channels, and the named media catalogue used by `loss` and `reach`.

pub mod response;
pub mod touchstone;

pub use response::FrequencyResponse;
pub use touchstone::{Network, PortOrder};
