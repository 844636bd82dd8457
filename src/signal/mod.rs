//! Signalling: modulation formats and lane rates, symbol mapping, oversampled waveforms, analog
//! filters, noise and jitter. The transmitter → fiber → receiver simulation built on them is
//! the `sim` module.

pub mod filters;
pub mod mapping;
pub mod waveform;

pub use waveform::Waveform;

use crate::error::{Bounds, Error, Result, check_range};
use serde::{Deserialize, Serialize};

/// Symbol rates every model accepts: 1 MBd to 1 TBd.
pub const SYMBOL_RATE_BAUD: Bounds = Bounds::new(1e6, 1e12, "Bd");

/// Line modulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modulation {
    /// Two-level non-return-to-zero (PAM2), 1 bit per symbol.
    Nrz,
    /// Four-level pulse-amplitude modulation, Gray coded, 2 bits per symbol.
    Pam4,
}

impl Modulation {
    /// Bits carried by one symbol.
    pub fn bits_per_symbol(self) -> u32 {
        match self {
            Modulation::Nrz => 1,
            Modulation::Pam4 => 2,
        }
    }

    /// Parses `nrz` / `pam2` / `pam4` (case-insensitive).
    pub fn parse(text: &str) -> Result<Modulation> {
        match text.to_ascii_lowercase().as_str() {
            "nrz" | "pam2" => Ok(Modulation::Nrz),
            "pam4" => Ok(Modulation::Pam4),
            _ => Err(Error::invalid("modulation", format!("'{text}'"), "expected nrz or pam4")),
        }
    }

    /// Lower-case name (`nrz`, `pam4`).
    pub fn name(self) -> &'static str {
        match self {
            Modulation::Nrz => "nrz",
            Modulation::Pam4 => "pam4",
        }
    }
}

/// One serial lane: its line bit rate and modulation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lane {
    /// Line bit rate (including FEC overhead), b/s.
    pub bit_rate_bps: f64,
    /// Modulation.
    pub modulation: Modulation,
}

impl Lane {
    /// A lane of 1 Mb/s to 2 Tb/s.
    pub fn new(bit_rate_bps: f64, modulation: Modulation) -> Result<Lane> {
        check_range("bit_rate_bps", bit_rate_bps, 1e6, 2e12, "b/s")?;
        Ok(Lane { bit_rate_bps, modulation })
    }

    /// Symbol rate, Bd.
    pub fn symbol_rate_baud(&self) -> f64 {
        self.bit_rate_bps / self.modulation.bits_per_symbol() as f64
    }

    /// Nyquist frequency (half the symbol rate), Hz: where channel loss is specified.
    pub fn nyquist_hz(&self) -> f64 {
        self.symbol_rate_baud() / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nyquist_of_standard_lanes() {
        // 212.5 Gb/s PAM4 = 106.25 GBd, Nyquist 53.125 GHz; 106.25 Gb/s PAM4 → 26.5625 GHz.
        assert_eq!(Lane::new(212.5e9, Modulation::Pam4).unwrap().nyquist_hz(), 53.125e9);
        assert_eq!(Lane::new(106.25e9, Modulation::Pam4).unwrap().nyquist_hz(), 26.5625e9);
        assert_eq!(Lane::new(25.78125e9, Modulation::Nrz).unwrap().nyquist_hz(), 12.890625e9);
        assert!(Lane::new(0.0, Modulation::Nrz).is_err());
        assert!(Modulation::parse("pam8").is_err());
    }
}
