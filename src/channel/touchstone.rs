//! Touchstone (`.sNp`) S-parameter files and the differential (mixed-mode) thru response.
//!
//! The format follows the IBIS Open Forum *Touchstone File Format Specification*, Version 2.1
//! (which also defines Version 1 and 2.0):
//!
//! * **Option line** `# <Hz|kHz|MHz|GHz> S <RI|MA|DB> R <Z>`: case-insensitive, tokens in any
//!   order, defaults GHz, MA, 50 Ω. `DB` is `20·log10|S|`; angles are in degrees. Only the first
//!   option line counts (later ones are ignored, as the specification says). Only S parameters
//!   are read; Y, Z, H and G files are rejected with a clear error.
//! * **Comments** start with `!` anywhere on a line.
//! * **Data**: one frequency followed by the N×N matrix in row-major order (S11 S12 … S1N, S21 …),
//!   wrapped over as many lines as the writer likes, **except 2-port files, which list
//!   S11 S21 S12 S22**. Version 1 takes N from the file extension; a 2-port Version 1 file may
//!   append noise parameters, recognised by the frequency going backwards (five values per line).
//! * **Version 2.0/2.1 keywords**: `[Version]`, `[Number of Ports]`, `[Two-Port Data Order]`
//!   (`12_21` or `21_12`), `[Number of Frequencies]`, `[Number of Noise Frequencies]`,
//!   `[Reference]` (one impedance per port, possibly over several lines), `[Matrix Format]`
//!   (`Full`, or `Upper`/`Lower`: the other half is filled by reciprocity), `[Begin Information]`
//!   … `[End Information]` (skipped), `[Network Data]`, `[Noise Data]` (skipped), `[End]`.
//!   `[Mixed-Mode Order]` files are rejected: export single-ended data instead.
//!
//! Malformed input gives [`Error::Parse`] with the file label and the 1-based line number; the
//! parser never panics, whatever the text.
//!
//! **Mixed mode** ([`Network::sdd21`], [`Network::thru_response`]; `docs/models.md` §2): a 4-port
//! file holds one differential pair at each end, in one of two port layouts ([`PortOrder`]) that
//! the file does not declare. The differential and common-mode elements use the normalisation ½
//! of Bockelman & Eisenstadt (IEEE T-MTT 43(7), 1995), as scikit-rf `Network.se2gmm` does, e.g.
//! `Sdd21 = ½(S21 − S23 − S41 + S43)` when P runs 1→2 and N runs 3→4. (`se2gmm(p=2)` itself
//! pairs ports (1,2) and (3,4), i.e. assumes the 1→3, 2→4 layout.) The layout is detected from
//! the data (the thru element has |S| ≈ 1 at low frequency) or forced by the caller.
//!
//! ```
//! use photolink::channel::{Network, PortOrder};
//!
//! // A matched 4-port pair, P: 1→2 and N: 3→4, each leg passing half the amplitude.
//! let text = "# GHz S RI R 50\n\
//!     1 0 0 0.5 0 0 0 0 0\n  0.5 0 0 0 0 0 0 0\n  0 0 0 0 0 0 0.5 0\n  0 0 0 0 0.5 0 0 0\n";
//! let net = Network::parse(text, "pair.s4p", 4)?;
//! let (thru, order) = net.thru_response(None)?; // layout detected from the data
//! assert_eq!(order, Some(PortOrder::P12N34));
//! let loss_db = -20.0 * thru.h[0].norm().log10();
//! assert!((loss_db - 6.0206).abs() < 1e-3); // |Sdd21| = 0.5
//! // Files on disk: `Network::read("data/channels/example2_THRU.s4p.gz".as_ref())`.
//! # Ok::<(), photolink::Error>(())
//! ```

use crate::channel::response::FrequencyResponse;
use crate::error::{Error, Result};
use num_complex::Complex64;
use std::path::Path;

mod mixed_mode;
mod parser;

pub use mixed_mode::PortOrder;
use parser::Parser;

/// Largest port count accepted. It bounds the values per frequency (`2·N² + 1`) so that a
/// corrupt `[Number of Ports]` cannot make the parser allocate absurd amounts of memory.
pub const MAX_PORTS: usize = 1024;

/// Most frequency points a Touchstone file may hold: 1,048,576 (measured channels have 1 k to
/// 100 k; a COM grid is about 10 k). More is refused at the line of the first extra point, so the
/// work and memory of every command on the network stay bounded (each point costs the commands
/// a few hundred bytes).
pub const MAX_FREQUENCIES: usize = 1 << 20;

/// An N-port S-parameter network read from a Touchstone file.
///
/// Frequencies are in Hz and strictly increasing; the reference impedance of each port is in Ω.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    freq_hz: Vec<f64>,
    ports: usize,
    z0_ohm: Vec<f64>,
    /// The S-matrix of each frequency, row-major: `s[(k·N + i)·N + j]` is `S(i+1)(j+1)` at `k`.
    s: Vec<Complex64>,
}

impl Network {
    /// Parses Touchstone text.
    ///
    /// `file_label` names the source in error messages. `ports` is the port count (what the
    /// `.sNp` extension says); a Version 2 file's `[Number of Ports]` must agree with it.
    pub fn parse(text: &str, file_label: &str, ports: usize) -> Result<Network> {
        Parser::new(text.len(), file_label, Some(ports)).run(text)
    }

    /// Reads a Touchstone file.
    ///
    /// The port count comes from an `.sNp` extension (any case) or, for Version 2 files, from
    /// `[Number of Ports]` (then any extension, e.g. `.ts`, is accepted). Bytes that are not
    /// UTF-8 (a Latin-1 `µ` or `Ω` in a comment) are replaced rather than rejected. A gzip
    /// file (`.s4p.gz`, any case) is decompressed as it is read and the extension under `.gz`
    /// counts. The file is parsed line by line ([`crate::input::read_lines`]): memory holds the
    /// network, not the text.
    pub fn read(path: &Path) -> Result<Network> {
        let label = path.display().to_string();
        let gzip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let name = if gzip { Path::new(path.file_stem().unwrap_or_default()) } else { path };
        // Sizes the first allocation; a gzip file expands (about 3x for Touchstone text).
        let size = std::fs::metadata(path).map_or(0, |m| m.len()).saturating_mul(if gzip { 3 } else { 1 });
        let size_hint = size.min(crate::input::MAX_INPUT_BYTES) as usize;
        Parser::new(size_hint, &label, ports_from_extension(name)).run_lines(crate::input::read_lines(path)?)
    }

    /// Frequencies in Hz, strictly increasing.
    pub fn freq_hz(&self) -> &[f64] {
        &self.freq_hz
    }

    /// Number of frequency points (at least one).
    pub fn num_frequencies(&self) -> usize {
        self.freq_hz.len()
    }

    /// Number of ports N.
    pub fn ports(&self) -> usize {
        self.ports
    }

    /// Reference impedance of each port in Ω (`R` of the option line, or `[Reference]`).
    pub fn z0_ohm(&self) -> &[f64] {
        &self.z0_ohm
    }

    /// `S(i, j)` at frequency index `freq_index`, with **1-based** port numbers as in the
    /// Touchstone notation: `s(k, 2, 1)` is S21, the wave out of port 2 per wave into port 1.
    ///
    /// # Panics
    /// Like slice indexing, when `freq_index >= num_frequencies()` or a port is outside
    /// `1..=ports()`. Use [`Network::s_element`] for a checked, whole-band access.
    pub fn s(&self, freq_index: usize, i: usize, j: usize) -> Complex64 {
        assert!(
            freq_index < self.freq_hz.len() && (1..=self.ports).contains(&i) && (1..=self.ports).contains(&j),
            "S({i},{j}) at frequency index {freq_index} is outside a {}-port network with {} frequencies",
            self.ports,
            self.freq_hz.len()
        );
        self.s[(freq_index * self.ports + i - 1) * self.ports + j - 1]
    }

    /// One single-ended element `S(i, j)` (1-based ports) over the whole band, e.g. S21 of a
    /// 2-port, or a crosstalk element.
    pub fn s_element(&self, i: usize, j: usize) -> Result<FrequencyResponse> {
        for port in [i, j] {
            if !(1..=self.ports).contains(&port) {
                return Err(Error::invalid(
                    "S-parameter port",
                    port,
                    format!("expected a port in 1..={} of this network", self.ports),
                ));
            }
        }
        self.response(|k| self.s(k, i, j))
    }

    /// The values `h_at(k)` on the network's frequency grid.
    fn response(&self, h_at: impl Fn(usize) -> Complex64) -> Result<FrequencyResponse> {
        let h = (0..self.freq_hz.len()).map(h_at).collect();
        FrequencyResponse::new(self.freq_hz.clone(), h)
    }
}

/// N from an `.sNp` extension (any case), if the path has one.
fn ports_from_extension(path: &Path) -> Option<usize> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    ext.strip_prefix('s')?.strip_suffix('p')?.parse().ok()
}

#[cfg(test)]
mod tests;
