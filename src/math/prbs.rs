//! Test patterns: PRBS bit sequences, their PAM4 (Gray-coded) versions and SSPRQ.
//!
//! * **PRBSn** (ITU-T O.150, IEEE 802.3 \[P\]): a maximal-length Fibonacci LFSR,
//!   `b[n] = XOR of b[n − k]` over the exponents `k` of the generator polynomial:
//!   PRBS7 `x⁷ + x⁶ + 1`, PRBS9 `x⁹ + x⁵ + 1`, PRBS13 `x¹³ + x¹² + x² + x + 1`,
//!   PRBS15 `x¹⁵ + x¹⁴ + 1`, PRBS31 `x³¹ + x²⁸ + 1`. Period `2ⁿ − 1` bits, longest run of ones `n`,
//!   of zeros `n − 1`.
//! * **PRBS13Q / PRBS31Q** (802.3 120.5.11.2.1/2 \[P, structure\]): the PRBS bits taken in pairs,
//!   first bit the MSB, Gray-mapped to PAM4 (00, 01, 11, 10 → levels 0, 1, 2, 3). Two bit periods make
//!   one symbol period: PRBS13Q repeats every 8191 symbols.
//! * **SSPRQ** (802.3 120.5.11.2.3, 65 535 PAM4 symbols): inverted PRBS31 (`x³¹ + x²⁸ + 1`, output
//!   complemented as in 802.3 Figure 49-9) restarted from three seeds, `0x00000002`, `0x34013FF7`
//!   and `0x0CCCCCCC`, each loaded into the register whose bit 0 is the newest output. One half-pattern
//!   of 65 535 bits is six segments: the three seeds for 10 924, 10 922 and 10 922 bits, then the
//!   same three for 10 924, 10 922 and 10 921 bits, inverted. Like PRBS13Q, two passes of the
//!   odd-length bit sequence, taken in pairs (MSB first) and Gray mapped, give the symbols; a symbol
//!   with either bit in an inverted segment is inverted (level `3 − l`). The inverted segments are
//!   what stresses a receiver: runs of up to 15 inner-level symbols and fewer outer levels (15 215 of
//!   each outer, 17 552/17 553 of each inner level).
//!   **Verified** \[P\]: this construction reproduces, symbol for symbol, the whole published
//!   65 535-symbol pattern shipped with Teledyne LeCroy's SignalIntegrity (`SSPRQWaveform.py` and
//!   `SSPRQ.txt`, a rotation of it that starts at symbol 44 229 here); the test holds a fingerprint
//!   of that pattern. The segment lengths and the inversion rule were read from that pattern (its
//!   PRBS31 recurrence breaks exactly at the segment starts); the three seeds are the standard's.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A PRBS generator polynomial: its order and tap exponents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polynomial {
    /// Register length n (period 2ⁿ − 1).
    pub order: u32,
    /// Bit i set ⇔ `b[n − (i + 1)]` is a tap.
    taps: u64,
}

impl Polynomial {
    const fn new(order: u32, exponents: &[u32]) -> Polynomial {
        let mut taps = 0u64;
        let mut i = 0;
        while i < exponents.len() {
            taps |= 1 << (exponents[i] - 1);
            i += 1;
        }
        Polynomial { order, taps }
    }

    /// `x⁷ + x⁶ + 1`.
    pub const PRBS7: Polynomial = Polynomial::new(7, &[7, 6]);
    /// `x⁹ + x⁵ + 1`.
    pub const PRBS9: Polynomial = Polynomial::new(9, &[9, 5]);
    /// `x¹³ + x¹² + x² + x + 1`.
    pub const PRBS13: Polynomial = Polynomial::new(13, &[13, 12, 2, 1]);
    /// `x¹⁵ + x¹⁴ + 1`.
    pub const PRBS15: Polynomial = Polynomial::new(15, &[15, 14]);
    /// `x³¹ + x²⁸ + 1`.
    pub const PRBS31: Polynomial = Polynomial::new(31, &[31, 28]);

    /// Period in bits, `2ⁿ − 1`.
    pub fn period_bits(&self) -> u64 {
        (1u64 << self.order) - 1
    }
}

/// A Fibonacci LFSR; the register holds the last n output bits (bit 0 the newest).
#[derive(Debug, Clone)]
pub struct Lfsr {
    poly: Polynomial,
    state: u64,
}

impl Lfsr {
    /// A generator whose register holds `seed` (its n low bits; zero is replaced by all ones, since
    /// an all-zero register never leaves zero).
    pub fn new(poly: Polynomial, seed: u64) -> Lfsr {
        let mask = poly.period_bits();
        let state = if seed & mask == 0 { mask } else { seed & mask };
        Lfsr { poly, state }
    }

    /// The next output bit.
    #[inline]
    pub fn next_bit(&mut self) -> u8 {
        let bit = ((self.state & self.poly.taps).count_ones() & 1) as u64;
        self.state = ((self.state << 1) | bit) & self.poly.period_bits();
        bit as u8
    }
}

/// `n` bits of the PRBS of `poly` from the all-ones register.
pub fn prbs_bits(poly: Polynomial, n: usize) -> Vec<u8> {
    let mut lfsr = Lfsr::new(poly, u64::MAX);
    (0..n).map(|_| lfsr.next_bit()).collect()
}

/// Gray map of a bit pair (MSB first) to a PAM4 level index: 00, 01, 11, 10 → 0, 1, 2, 3.
#[inline]
pub fn gray_pam4(msb: u8, lsb: u8) -> u8 {
    match (msb & 1, lsb & 1) {
        (0, 0) => 0,
        (0, 1) => 1,
        (1, 1) => 2,
        _ => 3,
    }
}

/// Bits in pairs (MSB first) → Gray PAM4 level indices; an odd last bit is dropped.
pub fn bits_to_pam4(bits: &[u8]) -> Vec<u8> {
    bits.chunks_exact(2).map(|p| gray_pam4(p[0], p[1])).collect()
}

/// SSPRQ length, symbols.
pub const SSPRQ_SYMBOLS: usize = 65_535;

/// The SSPRQ half-pattern (65 535 bits): PRBS31 seed, segment length in bits, inverted or not.
const SSPRQ_SEGMENTS: [(u32, usize, bool); 6] = [
    (0x0000_0002, 10_924, false),
    (0x3401_3FF7, 10_922, false),
    (0x0CCC_CCCC, 10_922, false),
    (0x0000_0002, 10_924, true),
    (0x3401_3FF7, 10_922, true),
    (0x0CCC_CCCC, 10_921, true),
];

/// The SSPRQ half-pattern bits, each with whether it lies in an inverted segment.
fn ssprq_half_pattern() -> Vec<(u8, bool)> {
    SSPRQ_SEGMENTS
        .iter()
        .flat_map(|&(seed, n_bits, inverted)| {
            let mut lfsr = Lfsr::new(Polynomial::PRBS31, seed as u64);
            (0..n_bits).map(move |_| (lfsr.next_bit() ^ 1, inverted))
        })
        .collect()
}

/// The 65 535-symbol SSPRQ pattern as PAM4 level indices 0..=3 (see the module documentation).
pub fn ssprq() -> Vec<u8> {
    let half = ssprq_half_pattern();
    let two_passes: Vec<(u8, bool)> = half.iter().chain(&half).copied().collect();
    two_passes
        .chunks_exact(2)
        .map(|pair| {
            let ((msb, msb_inverted), (lsb, lsb_inverted)) = (pair[0], pair[1]);
            let level = gray_pam4(msb, lsb);
            if msb_inverted || lsb_inverted { 3 - level } else { level }
        })
        .collect()
}

/// A named test pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pattern {
    /// PRBS7.
    Prbs7,
    /// PRBS9.
    Prbs9,
    /// PRBS13.
    Prbs13,
    /// PRBS15.
    Prbs15,
    /// PRBS31 (a 2¹⁶-symbol excerpt is simulated).
    Prbs31,
    /// PRBS13 Gray-mapped to PAM4, 8191 symbols.
    Prbs13q,
    /// PRBS31 Gray-mapped to PAM4 (a 2¹⁶-symbol excerpt).
    Prbs31q,
    /// The 802.3 short stress pattern random quaternary, 65 535 symbols.
    Ssprq,
}

/// Longest excerpt simulated of the PRBS31 patterns, symbols.
pub const PRBS31_EXCERPT_SYMBOLS: usize = 65_536;

impl Pattern {
    /// Parses a pattern name (case-insensitive): prbs7, prbs9, prbs13, prbs15, prbs31, prbs13q,
    /// prbs31q, ssprq.
    pub fn parse(text: &str, field: &str) -> Result<Pattern> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "prbs7" => Pattern::Prbs7,
            "prbs9" => Pattern::Prbs9,
            "prbs13" => Pattern::Prbs13,
            "prbs15" => Pattern::Prbs15,
            "prbs31" => Pattern::Prbs31,
            "prbs13q" => Pattern::Prbs13q,
            "prbs31q" => Pattern::Prbs31q,
            "ssprq" => Pattern::Ssprq,
            _ => {
                return Err(Error::invalid(
                    field,
                    format!("'{text}'"),
                    "expected prbs7, prbs9, prbs13, prbs15, prbs31, prbs13q, prbs31q or ssprq",
                ));
            }
        })
    }

    fn polynomial(self) -> Polynomial {
        match self {
            Pattern::Prbs7 => Polynomial::PRBS7,
            Pattern::Prbs9 => Polynomial::PRBS9,
            Pattern::Prbs13 | Pattern::Prbs13q => Polynomial::PRBS13,
            Pattern::Prbs15 => Polynomial::PRBS15,
            Pattern::Prbs31 | Pattern::Prbs31q | Pattern::Ssprq => Polynomial::PRBS31,
        }
    }

    /// True for the patterns defined as PAM4 symbol sequences (PRBS13Q, PRBS31Q, SSPRQ).
    pub fn is_quaternary(self) -> bool {
        matches!(self, Pattern::Prbs13q | Pattern::Prbs31q | Pattern::Ssprq)
    }

    /// Level indices of one period (or the excerpt) for `bits_per_symbol` = 1 (NRZ, 0/1) or 2
    /// (Gray PAM4, 0..=3). A binary PRBS used for PAM4 is paired like its Q version, over two bit
    /// periods so that the symbol sequence is periodic; a quaternary pattern used for NRZ is an error.
    pub fn symbols(self, bits_per_symbol: u32) -> Result<Vec<u8>> {
        if self == Pattern::Ssprq && bits_per_symbol == 2 {
            return Ok(ssprq());
        }
        let poly = self.polynomial();
        let period = (poly.period_bits() as usize).min(2 * PRBS31_EXCERPT_SYMBOLS);
        match bits_per_symbol {
            1 if !self.is_quaternary() => Ok(prbs_bits(poly, period)),
            2 => Ok(bits_to_pam4(&prbs_bits(poly, 2 * period.min(PRBS31_EXCERPT_SYMBOLS)))),
            _ => Err(Error::invalid("pattern", format!("{self:?}").to_lowercase(), "expected a binary PRBS for NRZ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn longest_runs(bits: &[u8]) -> (usize, usize) {
        let (mut best, mut run) = ([0usize; 2], 0usize);
        // Cyclic: start after a transition.
        let start = (1..bits.len()).find(|&i| bits[i] != bits[i - 1]).unwrap();
        for k in 0..bits.len() {
            let i = (start + k) % bits.len();
            run = if k > 0 && bits[i] == bits[(i + bits.len() - 1) % bits.len()] { run + 1 } else { 1 };
            best[bits[i] as usize] = best[bits[i] as usize].max(run);
        }
        (best[1], best[0])
    }

    #[test]
    fn prbs_periods_run_lengths_and_balance() {
        for poly in [Polynomial::PRBS7, Polynomial::PRBS9, Polynomial::PRBS13, Polynomial::PRBS15] {
            let p = poly.period_bits() as usize;
            let bits = prbs_bits(poly, 2 * p);
            assert_eq!(bits[..p], bits[p..], "period of order {}", poly.order);
            // No shorter period: the register visits 2^n − 1 states.
            let mut l = Lfsr::new(poly, u64::MAX);
            let first = l.state;
            assert!((1..p).all(|_| {
                l.next_bit();
                l.state != first
            }));
            let ones = bits[..p].iter().filter(|&&b| b == 1).count();
            assert_eq!(ones, p.div_ceil(2));
            assert_eq!(longest_runs(&bits[..p]), (poly.order as usize, poly.order as usize - 1));
        }
    }

    #[test]
    fn prbs7_first_bits_from_all_ones() {
        // b[n] = b[n−6] ⊕ b[n−7] from a register of ones: 0000001 then 0000011 ... (O.150 sequence).
        let bits = prbs_bits(Polynomial::PRBS7, 14);
        assert_eq!(bits, [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1]);
    }

    #[test]
    fn prbs13q_period_and_levels() {
        let s = Pattern::Prbs13q.symbols(2).unwrap();
        assert_eq!(s.len(), 8191);
        let mut counts = [0usize; 4];
        s.iter().for_each(|&l| counts[l as usize] += 1);
        // Each 2-bit value appears 2^11 times except 00 (one less) over two bit periods.
        assert_eq!(counts, [2047, 2048, 2048, 2048]);
    }

    /// FNV-1a (64-bit) of a level sequence, to compare with a published pattern without copying it.
    fn fnv1a64(levels: &[u8]) -> u64 {
        levels.iter().fold(0xcbf2_9ce4_8422_2325, |h, &l| (h ^ l as u64).wrapping_mul(0x0100_0000_01b3))
    }

    #[test]
    fn ssprq_matches_the_published_pattern() {
        let s = ssprq();
        assert_eq!(s.len(), SSPRQ_SYMBOLS);
        // Fingerprint of SignalIntegrity's SSPRQWaveform.py pattern (levels 2·b₀ + b₁), rotated to
        // start at its seed-0x00000002 segment; computed outside this repository.
        assert_eq!(fnv1a64(&s), 0x8c5c_38dd_2564_97f9);
        let mut counts = [0usize; 4];
        s.iter().for_each(|&l| counts[l as usize] += 1);
        assert_eq!(counts, [15_215, 17_553, 17_552, 15_215]);
        // SignalIntegrity SSPRQ.txt (levels −1, −1/3, 1/3, 1 → 0..3), a rotation starting at 44 229:
        // its first 64 symbols, and its last 52, which end right before that point.
        let head = [
            0, 0, 1, 3, 1, 2, 2, 2, 2, 0, 3, 3, 1, 2, 2, 2, 3, 1, 1, 0, 2, 2, 2, 0, 2, 0, 2, 0, 2, 2, 3, 1, 3, 1, 3, 1,
            2, 0, 3, 3, 3, 3, 3, 1, 3, 1, 1, 1, 1, 1, 0, 0, 2, 0, 0, 0, 0, 2, 1, 1, 3, 0, 0, 0,
        ];
        assert_eq!(s[44_229..44_229 + 64], head);
        let tail = [
            1, 3, 1, 3, 1, 1, 0, 2, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 3, 1, 3, 1, 3, 0, 0, 0, 0, 0, 0, 0, 2, 1, 1,
            1, 1, 1, 1, 0, 2, 2, 2, 2, 2, 2, 0, 2, 0, 0, 0,
        ];
        assert_eq!(s[44_177..44_229], tail);
    }

    #[test]
    fn ssprq_first_symbols_and_run_lengths() {
        let s = ssprq();
        // Seed 0x00000002: PRBS31 outputs 0 until the single one reaches tap 28 (26 shifts);
        // complemented, that is 13 pairs 11 → level 2.
        assert_eq!(s[..16], [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 3, 2]);
        let longest = |level: u8| {
            let cyclic = s.iter().chain(&s[..64]);
            cyclic
                .fold((0usize, 0usize), |(best, run), &l| {
                    let run = if l == level { run + 1 } else { 0 };
                    (best.max(run), run)
                })
                .0
        };
        assert_eq!([longest(0), longest(1), longest(2), longest(3)], [14, 15, 15, 14]);
        // Half-pattern: 65 535 bits, the last three segments (32 767 bits) inverted.
        let half = ssprq_half_pattern();
        assert_eq!(half.len(), 65_535);
        assert_eq!(half.iter().filter(|b| b.1).count(), 32_767);
    }

    #[test]
    fn quaternary_pattern_for_nrz_is_an_error() {
        assert!(Pattern::Ssprq.symbols(1).is_err());
        assert!(Pattern::parse("prbs11", "--pattern").unwrap_err().to_string().contains("prbs13q"));
        assert_eq!(Pattern::Prbs7.symbols(1).unwrap().len(), 127);
        assert_eq!(Pattern::Prbs31.symbols(2).unwrap().len(), PRBS31_EXCERPT_SYMBOLS);
    }
}
