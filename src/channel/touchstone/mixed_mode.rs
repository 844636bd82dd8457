//! Mixed-mode (differential and common-mode) elements of 4-port networks and the two port
//! layouts a 4-port channel file may use (scikit-rf `se2gmm` convention; `docs/models.md` §2).

use super::Network;
use crate::channel::response::FrequencyResponse;
use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

impl Network {
    /// The thru transfer function of a channel file: S21 of a 2-port, Sdd21 of a 4-port.
    ///
    /// For a 4-port the port layout is `order` when given, otherwise detected with
    /// [`Network::detect_port_order`]; the layout used is returned so that it can be reported.
    /// A 2-port has no layout (`None`), and giving one for it is an error, as is any other port
    /// count.
    pub fn thru_response(&self, order: Option<PortOrder>) -> Result<(FrequencyResponse, Option<PortOrder>)> {
        match (self.ports, order) {
            (2, None) => Ok((self.s_element(2, 1)?, None)),
            (2, Some(order)) => Err(Error::invalid(
                "port order",
                order,
                "a port order applies to 4-port files only; this is a 2-port file",
            )),
            (4, _) => {
                let order = match order {
                    Some(order) => order,
                    None => self.detect_port_order()?,
                };
                Ok((self.sdd21(order)?, Some(order)))
            }
            (ports, _) => Err(Error::invalid(
                "ports",
                format!("{ports}-port network"),
                "a thru response needs a 2-port (S21) or 4-port (Sdd21) file",
            )),
        }
    }

    /// Differential insertion transfer Sdd21 of a 4-port in the given layout:
    /// `½(S21 − S23 − S41 + S43)` for [`PortOrder::P12N34`], `½(S31 − S32 − S41 + S42)` for
    /// [`PortOrder::P13N24`].
    pub fn sdd21(&self, order: PortOrder) -> Result<FrequencyResponse> {
        self.mixed_mode(order, Mode::Differential, Side::Output, Side::Input)
    }

    /// Differential input reflection Sdd11 of a 4-port: `½(S11 − S13 − S31 + S33)` for
    /// [`PortOrder::P12N34`], `½(S11 − S12 − S21 + S22)` for [`PortOrder::P13N24`].
    pub fn sdd11(&self, order: PortOrder) -> Result<FrequencyResponse> {
        self.mixed_mode(order, Mode::Differential, Side::Input, Side::Input)
    }

    /// Differential reverse transfer Sdd12 of a 4-port (Sdd21 with input and output swapped).
    pub fn sdd12(&self, order: PortOrder) -> Result<FrequencyResponse> {
        self.mixed_mode(order, Mode::Differential, Side::Input, Side::Output)
    }

    /// Differential output reflection Sdd22 of a 4-port (Sdd11 at the output pair).
    pub fn sdd22(&self, order: PortOrder) -> Result<FrequencyResponse> {
        self.mixed_mode(order, Mode::Differential, Side::Output, Side::Output)
    }

    /// Common-mode insertion transfer Scc21 of a 4-port: Sdd21 with every sign `+`, e.g.
    /// `½(S21 + S23 + S41 + S43)` for [`PortOrder::P12N34`].
    pub fn scc21(&self, order: PortOrder) -> Result<FrequencyResponse> {
        self.mixed_mode(order, Mode::Common, Side::Output, Side::Input)
    }

    /// Detects the port layout of a 4-port thru channel from its data.
    ///
    /// At low frequency a channel's thru element has |S| ≈ 1 while the within-pair coupling is
    /// small. The mean of |S21| and |S43| (layout 1→2, 3→4) is compared with the mean of |S31|
    /// and |S42| (layout 1→3, 2→4) over the lowest 2 % of the frequency points. The larger must
    /// be at least 0.5 and twice the smaller; otherwise (a crosstalk file has no thru element)
    /// the layout cannot be told from the data and the error asks for it explicitly.
    pub fn detect_port_order(&self) -> Result<PortOrder> {
        self.require_four_ports()?;
        let low_points = ((self.freq_hz.len() as f64 * LOW_BAND_FRACTION).ceil() as usize).clamp(1, self.freq_hz.len());
        let mean_thru = |order: PortOrder| {
            let DiffPorts { p_in, n_in, p_out, n_out } = order.ports();
            let sum: f64 = (0..low_points).map(|k| self.s(k, p_out, p_in).norm() + self.s(k, n_out, n_in).norm()).sum();
            sum / (2 * low_points) as f64
        };
        let (a, b) = (mean_thru(PortOrder::P12N34), mean_thru(PortOrder::P13N24));
        let (order, thru, other) = if a >= b { (PortOrder::P12N34, a, b) } else { (PortOrder::P13N24, b, a) };
        if thru >= MIN_THRU_MAGNITUDE && thru >= THRU_DOMINANCE * other {
            Ok(order)
        } else {
            Err(Error::invalid(
                "port order",
                format!(
                    "undetectable (mean |S21|,|S43| = {a:.3}, mean |S31|,|S42| = {b:.3} over the \
                     lowest {low_points} frequencies)"
                ),
                "a thru element with |S| >= 0.5 and twice the other candidate; a crosstalk file \
                 has none: give the order explicitly (1-2,3-4 or 1-3,2-4)",
            ))
        }
    }

    fn require_four_ports(&self) -> Result<()> {
        if self.ports == 4 {
            Ok(())
        } else {
            Err(Error::invalid(
                "ports",
                format!("{}-port network", self.ports),
                "mixed-mode (differential) conversion needs a 4-port file",
            ))
        }
    }

    /// The pure-mode element (dd or cc) from pair `from` to pair `to`: `½ Σ σ(a)·σ(b)·S(a, b)`
    /// over the P and N ports `a` of `to` and `b` of `from`, with `σ(N) = −1` in differential
    /// mode and `+1` in common mode (Bockelman & Eisenstadt 1995).
    fn mixed_mode(&self, order: PortOrder, mode: Mode, to: Side, from: Side) -> Result<FrequencyResponse> {
        self.require_four_ports()?;
        let n_sign = match mode {
            Mode::Differential => -1.0,
            Mode::Common => 1.0,
        };
        let (to_p, to_n) = order.ports().pair(to);
        let (from_p, from_n) = order.ports().pair(from);
        self.response(|k| {
            0.5 * (self.s(k, to_p, from_p)
                + n_sign * self.s(k, to_p, from_n)
                + n_sign * self.s(k, to_n, from_p)
                + self.s(k, to_n, from_n))
        })
    }
}

/// Fraction of the lowest frequency points over which the thru magnitudes are averaged.
const LOW_BAND_FRACTION: f64 = 0.02;
/// Smallest mean thru |S| accepted as "≈ 1" at low frequency (−6 dB leaves room for lossy
/// channels measured from 50 MHz).
const MIN_THRU_MAGNITUDE: f64 = 0.5;
/// How many times the thru candidate must exceed the other candidate.
const THRU_DOMINANCE: f64 = 2.0;

/// Which single-ended ports carry the P and N lines of a 4-port differential channel.
///
/// The file does not say; see [`Network::detect_port_order`]. Parsed from strings such as
/// `"1-2,3-4"`, `"12-34"`, `"1→2, 3→4"` (only the digits count) and displayed as `1-2,3-4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortOrder {
    /// P runs 1→2 and N runs 3→4: pair (1,3) at the input, (2,4) at the output. Used by the
    /// PyChOpMarg example files, the IEEE 802.3 tool channels and the TE Whisper files.
    P12N34,
    /// P runs 1→3 and N runs 2→4: pair (1,2) at the input, (3,4) at the output. Used by some
    /// VNA and vendor exports, and the layout scikit-rf `se2gmm(p=2)` assumes.
    P13N24,
}

/// The four single-ended ports (1-based) of a differential channel.
struct DiffPorts {
    p_in: usize,
    n_in: usize,
    p_out: usize,
    n_out: usize,
}

impl DiffPorts {
    fn pair(&self, side: Side) -> (usize, usize) {
        match side {
            Side::Input => (self.p_in, self.n_in),
            Side::Output => (self.p_out, self.n_out),
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Input,
    Output,
}

#[derive(Clone, Copy)]
enum Mode {
    Differential,
    Common,
}

impl PortOrder {
    fn ports(self) -> DiffPorts {
        match self {
            PortOrder::P12N34 => DiffPorts { p_in: 1, n_in: 3, p_out: 2, n_out: 4 },
            PortOrder::P13N24 => DiffPorts { p_in: 1, n_in: 2, p_out: 3, n_out: 4 },
        }
    }
}

impl fmt::Display for PortOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PortOrder::P12N34 => "1-2,3-4",
            PortOrder::P13N24 => "1-3,2-4",
        })
    }
}

impl FromStr for PortOrder {
    type Err = Error;

    fn from_str(s: &str) -> Result<PortOrder> {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        match digits.as_str() {
            "1234" => Ok(PortOrder::P12N34),
            "1324" => Ok(PortOrder::P13N24),
            _ => Err(Error::invalid(
                "port order",
                format!("{s:?}"),
                "expected 1-2,3-4 (P 1→2, N 3→4; also 12-34) or 1-3,2-4 (P 1→3, N 2→4; also 13-24)",
            )),
        }
    }
}
