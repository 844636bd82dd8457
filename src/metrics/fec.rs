//! Reed–Solomon FEC over GF(2^m) with bounded-distance decoding: symbol, codeword and post-FEC
//! error ratios, the pre-FEC BER threshold for a target, frame loss, and an error-burst model.
//!
//! Model (derived \[D\], `docs/models.md` §7; code parameters \[P\], IEEE 802.3 Clause 91):
//! independent bit errors at ratio `BER`, a code symbol of `m` bits is wrong with
//! `p_s = 1 − (1 − BER)^m` (evaluated as `−expm1(m·ln1p(−BER))`),
//! symbol errors are independent, and a codeword is uncorrectable when more than `t = ⌊(n − k)/2⌋`
//! symbols are wrong (no erasures; mis-correction not modelled):
//! `CER = Σ_{i=t+1}^{n} C(n,i)·p_s^i·(1 − p_s)^{n−i}`, summed exactly in scaled log space
//! ([`crate::math::discrete::Binomial`]), accurate to ~1e-12 relative down to 1e-300.
//!
//! Post-FEC BER estimate: an uncorrectable codeword leaves its errored symbols as received, so
//! `BER_post = Σ_{i>t} i·P(i) · b̄ / (n·m)` with `b̄ = BER·m/p_s` bits per errored symbol (the
//! mean number of wrong bits in a symbol known to be wrong, ≈ 1 at low BER).
//!
//! The 802.3dj Hamming(128,120) inner code is **not** modelled: its input-BER threshold is
//! recalled-unverified (≈ 4.8e-3 or "1e-3 class" in summaries), so there is nothing to test a
//! concatenation against.

// Reference values are quoted with the digits mpmath printed; f64 rounds them.
#![allow(clippy::excessive_precision)]

use crate::error::Bounds;
use crate::math::bisect;
use crate::math::discrete::{Binomial, compound_poisson_sf};
use crate::{Error, Result};
use serde::Serialize;

/// Pre-FEC BER at which host KP4 RS(544,514) links are specified: 2.4e-4 (SER 4.8e-4), the PMD
/// threshold of 802.3 module datasheets (400G DR4 and 800G DR8: Edgecore, Trixon, Ascent; primary).
pub const KP4_PRE_FEC_BER_THRESHOLD: f64 = 2.4e-4;

/// An `RS(n, k)` code over `m`-bit symbols, correcting `t = ⌊(n − k)/2⌋` symbol errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReedSolomon {
    /// Codeword length, symbols.
    pub n: u32,
    /// Message length, symbols.
    pub k: u32,
    /// Bits per symbol.
    pub symbol_bits: u32,
}

/// What a pre-FEC BER threshold is solved for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FecTarget {
    /// Post-FEC bit error ratio.
    PostFecBer(f64),
    /// Codeword (uncorrectable) error ratio.
    CodewordErrorRatio(f64),
}

/// The FEC figures of one pre-FEC BER.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FecResult {
    /// The code.
    pub code: ReedSolomon,
    /// Input bit error ratio.
    pub pre_fec_ber: f64,
    /// `p_s = 1 − (1 − BER)^m`.
    pub symbol_error_ratio: f64,
    /// Probability that a codeword has more than `t` symbol errors.
    pub codeword_error_ratio: f64,
    /// Post-FEC BER estimate (module docs).
    pub post_fec_ber: f64,
}

impl ReedSolomon {
    /// RS(544,514) "KP4", GF(2¹⁰), t = 15 (IEEE 802.3 clause 91) \[P\].
    pub const KP4: ReedSolomon = ReedSolomon { n: 544, k: 514, symbol_bits: 10 };
    /// RS(528,514) "KR4", GF(2¹⁰), t = 7 (IEEE 802.3 clause 91) \[P\].
    pub const KR4: ReedSolomon = ReedSolomon { n: 528, k: 514, symbol_bits: 10 };

    /// A general code; requires `1 ≤ symbol_bits ≤ 16`, `0 < k < n ≤ 2^m − 1`.
    pub fn new(n: u32, k: u32, symbol_bits: u32) -> Result<Self> {
        if !(1..=16).contains(&symbol_bits) {
            return Err(Error::invalid("fec symbol_bits", symbol_bits, "expected 1 ..= 16"));
        }
        let n_max = (1u32 << symbol_bits) - 1;
        if n == 0 || n > n_max {
            return Err(Error::invalid("fec n", n, format!("expected 1 ..= {n_max} (2^m − 1)")));
        }
        if k == 0 || k >= n {
            return Err(Error::invalid("fec k", k, format!("expected 1 ..= {}", n - 1)));
        }
        Ok(Self { n, k, symbol_bits })
    }

    /// `"kp4"`, `"kr4"` or `"rs(n,k)"`.
    pub fn name(&self) -> String {
        match *self {
            Self::KP4 => "kp4".into(),
            Self::KR4 => "kr4".into(),
            c => format!("rs({},{})", c.n, c.k),
        }
    }

    /// Parses a code name: `kp4`, `kr4`, or `rs(n,k)` over 10-bit symbols (the inverse of
    /// [`ReedSolomon::name`]); `field` names the option in errors.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let bad = || Error::invalid(field, format!("'{text}'"), "expected kp4, kr4 or rs(n,k), e.g. rs(544,514)");
        match text.trim().to_ascii_lowercase().as_str() {
            "kp4" => Ok(Self::KP4),
            "kr4" => Ok(Self::KR4),
            other => {
                let inner = other.strip_prefix("rs(").and_then(|r| r.strip_suffix(')')).ok_or_else(bad)?;
                let (n, k) = inner.split_once(',').ok_or_else(bad)?;
                let (n, k) = (n.trim().parse().map_err(|_| bad())?, k.trim().parse().map_err(|_| bad())?);
                Self::new(n, k, 10)
            }
        }
    }

    /// Correctable symbol errors `t`.
    pub fn t(&self) -> u32 {
        (self.n - self.k) / 2
    }

    /// Bits per codeword `n·m` (5440 for KP4).
    pub fn codeword_bits(&self) -> f64 {
        f64::from(self.n) * f64::from(self.symbol_bits)
    }

    /// `p_s = 1 − (1 − BER)^m = −expm1(m·ln1p(−BER))`.
    pub fn symbol_error_ratio(&self, ber: f64) -> Result<f64> {
        let ber = check_ber(ber)?;
        Ok(-(f64::from(self.symbol_bits) * (-ber).ln_1p()).exp_m1())
    }

    /// Exact binomial codeword error ratio `P(more than t symbol errors)`.
    pub fn codeword_error_ratio(&self, ber: f64) -> Result<f64> {
        Ok(self.symbol_errors(ber)?.sf(u64::from(self.t()) + 1))
    }

    /// Post-FEC BER estimate `Σ_{i>t} i·P(i)·b̄/(n·m)`, `b̄ = BER·m/p_s`.
    pub fn post_fec_ber(&self, ber: f64) -> Result<f64> {
        let p_s = self.symbol_error_ratio(ber)?;
        let errored = self.symbol_errors(ber)?.partial_mean_at_least(u64::from(self.t()) + 1);
        let bits_per_errored_symbol = ber * f64::from(self.symbol_bits) / p_s;
        Ok(errored * bits_per_errored_symbol / self.codeword_bits())
    }

    /// All figures for one pre-FEC BER.
    pub fn evaluate(&self, ber: f64) -> Result<FecResult> {
        Ok(FecResult {
            code: *self,
            pre_fec_ber: ber,
            symbol_error_ratio: self.symbol_error_ratio(ber)?,
            codeword_error_ratio: self.codeword_error_ratio(ber)?,
            post_fec_ber: self.post_fec_ber(ber)?,
        })
    }

    /// Figures along a logarithmic grid of pre-FEC BER from `10^lo_exp` to `10^hi_exp` with
    /// `per_decade` points per decade: the data of the FEC-cliff chart.
    pub fn cliff(&self, lo_exp: i32, hi_exp: i32, per_decade: u32) -> Result<Vec<FecResult>> {
        if lo_exp >= hi_exp || hi_exp > 0 || per_decade == 0 {
            return Err(Error::invalid(
                "cliff grid",
                format!("1e{lo_exp} ..= 1e{hi_exp}, {per_decade} per decade"),
                "expected lo_exp < hi_exp <= 0 and at least one point per decade",
            ));
        }
        let n = (hi_exp - lo_exp) as u32 * per_decade;
        (0..=n)
            .map(|i| self.evaluate(10f64.powf(f64::from(lo_exp) + f64::from(i) / f64::from(per_decade)).min(0.5)))
            .collect()
    }

    /// Frame loss ratio for frames of `frame_bits` payload bits.
    ///
    /// Model: a frame is lost when any codeword it overlaps is uncorrectable (the decoder flags the
    /// codeword and the PCS corrupts what it carries); codewords fail independently with the CER.
    /// A frame starting at a uniform bit offset in the `k·m` payload bits of a codeword overlaps
    /// `c = ⌊(F − 1)/(k·m)⌋ + 1` codewords, or one more with probability `((F − 1) mod k·m)/(k·m)`;
    /// `FLR = E[1 − (1 − CER)^c]`. For F ≪ k·m, FLR ≈ CER (each frame sits in one codeword).
    pub fn frame_loss_ratio(&self, ber: f64, frame_bits: u64) -> Result<f64> {
        if frame_bits == 0 {
            return Err(Error::invalid("frame_bits", 0, "expected at least 1 bit"));
        }
        let cer = self.codeword_error_ratio(ber)?;
        let payload = u64::from(self.k) * u64::from(self.symbol_bits);
        let (whole, rest) = ((frame_bits - 1) / payload, (frame_bits - 1) % payload);
        let loss = |c: u64| -(c as f64 * (-cer).ln_1p()).exp_m1();
        let p_extra = rest as f64 / payload as f64;
        Ok((1.0 - p_extra) * loss(whole + 1) + p_extra * loss(whole + 2))
    }

    /// The pre-FEC BER at which the target is met exactly, by bisection on `ln BER` in
    /// [1e-30, 0.5] (the figures increase monotonically with BER).
    pub fn pre_fec_ber_for(&self, target: FecTarget) -> Result<f64> {
        let (field, value) = match target {
            FecTarget::PostFecBer(v) => ("post_fec_ber target", v),
            FecTarget::CodewordErrorRatio(v) => ("codeword_error_ratio target", v),
        };
        let figure = |ln_ber: f64| -> f64 {
            let ber = ln_ber.exp();
            let r = match target {
                FecTarget::PostFecBer(_) => self.post_fec_ber(ber),
                FecTarget::CodewordErrorRatio(_) => self.codeword_error_ratio(ber),
            };
            r.map_or(f64::NAN, f64::ln)
        };
        let (lo, hi) = (1e-30f64.ln(), 0.5f64.ln());
        let (f_lo, f_hi) = (figure(lo), figure(hi));
        if !(value > 0.0 && value.ln() > f_lo && value.ln() < f_hi) {
            return Err(Error::invalid(
                field,
                value,
                format!(
                    "expected a value between {:e} and {:e} (the range reachable for pre-FEC BER 1e-30 ..= 0.5)",
                    f_lo.exp(),
                    f_hi.exp()
                ),
            ));
        }
        Ok(bisect(|x| figure(x) - value.ln(), lo, hi).exp())
    }

    /// Codeword error ratio with bursty errors ([`BurstModel`]).
    pub fn codeword_error_ratio_bursty(&self, ber: f64, burst: &BurstModel) -> Result<f64> {
        let ber = check_ber(ber)?;
        let failure = self.t() as usize + 1;
        let sizes = burst.symbols_hit_pmf(self.symbol_bits, failure)?;
        let rate = self.codeword_bits() * ber * (1.0 - burst.continuation_prob);
        compound_poisson_sf(rate, &sizes, failure)
    }

    fn symbol_errors(&self, ber: f64) -> Result<Binomial> {
        Binomial::new(u64::from(self.n), self.symbol_error_ratio(ber)?)
    }
}

/// A bit error ratio in (0, 0.5]; `field` names it in the error.
pub fn check_ber_named(field: &str, ber: f64) -> Result<f64> {
    if ber > 0.0 && ber <= 0.5 {
        Ok(ber)
    } else {
        Err(Error::invalid(field, ber, "expected a bit error ratio in (0, 0.5]"))
    }
}

fn check_ber(ber: f64) -> Result<f64> {
    check_ber_named("pre_fec_ber", ber)
}

/// Probabilities that an error continues a burst [`BurstModel`] accepts: 0 to 0.999999 (a burst
/// must end).
pub const CONTINUATION_PROB: Bounds = Bounds::new(0.0, 0.999_999, "");

/// Compound-Poisson burst model of DFE error propagation (after DesignCon 2024 \[S\]; `docs/models.md` §7).
///
/// Errors come in events (bursts). Each burst starts with one element error; each further element
/// is wrong with continuation probability `p_b` (the two-state Markov chain's P(err | previous
/// wrong)), so the burst length `L` is geometric, `P(L = l) = (1 − p_b)·p_b^{l−1}`, mean
/// `1/(1 − p_b)`. An *element* is `element_bits` consecutive bits (1: bit-level bursts; 2: PAM4
/// symbols) carrying one bit error each (adjacent-level Gray errors). The pre-FEC BER is held fixed,
/// so bursts arrive as a Poisson process with `n·m·BER·(1 − p_b)` bursts per codeword. A burst
/// starts at a uniformly random element of a code symbol (`u = m/element_bits` elements per symbol)
/// and hits `⌊(φ + L − 1)/u⌋ + 1` code symbols; the codeword fails when the compound-Poisson total
/// exceeds `t`.
///
/// With 1/(1+D) precoding (`precoded`), a burst of `L` decision errors leaves only two element
/// errors after the decoder `x_n = (y_n + y_{n−1}) mod 4`, at its start and one past its end
/// (ISCAS 2021 \[P: its claim\]); an isolated error (`L = 1`) also becomes two adjacent
/// errors. The burst then hits 1 or 2 code symbols. The BER parameter is the slicer BER.
///
/// Reproduces the compound-Poisson vectors of `docs/models.md` §7 with `element_bits = 1`, no precoding:
/// BER 2.4e-4 → CER 1.0e-12 / 9.7e-13 / 7.6e-12 for `p_b` = 0 / 0.5 / 0.75, and BER 1e-4 → 1.7e-18
/// (p_b = 0) / 2.5e-14 (0.75). At `p_b = 0` the model is the Poisson limit of the binomial CER
/// (1.0e-12 vs the exact 8.15e-13 at BER 2.4e-4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BurstModel {
    /// Continuation probability `p_b` in [0, 1).
    pub continuation_prob: f64,
    /// Bits per burst element (must divide the code's symbol size).
    pub element_bits: u32,
    /// 1/(1+D) precoding on.
    pub precoded: bool,
}

impl BurstModel {
    /// PMF of the number of code symbols one burst hits, index = symbols (index 0 unused); sizes of
    /// `cap` and above are lumped into index `cap`, which is exact for `P(total ≥ cap)`.
    fn symbols_hit_pmf(&self, symbol_bits: u32, cap: usize) -> Result<Vec<f64>> {
        let p_b = CONTINUATION_PROB.check("burst continuation_prob", self.continuation_prob)?;
        if self.element_bits == 0 || !symbol_bits.is_multiple_of(self.element_bits) {
            return Err(Error::invalid(
                "burst element_bits",
                self.element_bits,
                format!("expected a divisor of the {symbol_bits}-bit FEC symbol"),
            ));
        }
        let u = (symbol_bits / self.element_bits) as usize;
        let mut pmf = vec![0.0; cap + 1];
        // Lengths beyond cap·u always reach the cap; their mass is lumped below.
        let max_len = cap * u + 1;
        let mut p_len = 1.0 - p_b;
        for len in 1..=max_len {
            for phase in 0..u {
                let hit = if self.precoded { 1 + usize::from(phase + len >= u) } else { (phase + len - 1) / u + 1 };
                pmf[hit.min(cap)] += p_len / u as f64;
            }
            p_len *= p_b;
        }
        // P(L > max_len) = p_b^max_len.
        let tail_hit = if self.precoded { 2 } else { cap };
        pmf[tail_hit.min(cap)] += p_b.powi(max_len as i32);
        Ok(pmf)
    }
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // 17-digit mpmath reference values, kept as printed
mod tests {
    use super::*;
    use crate::test_support::rel;

    /// (BER, p_s, CER, post-FEC BER) for KP4 with mpmath 1.4.1 at 50 digits: exact binomial sums
    /// over i = 16 … 544 of `C(544,i)·p_s^i·(1 − p_s)^(544−i)` and of `i·P(i)·(BER·10/p_s)/5440`.
    const KP4_REF: [(f64, f64, f64, f64); 10] = [
        (1e-5, 9.99955001199979e-5, 2.1396697743076241e-34, 6.2946546924742022e-37),
        (5e-5, 0.00049988751499868758, 2.6689012038963594e-23, 7.8592045313758721e-26),
        (1e-4, 0.00099955011997900252, 1.3598110647644306e-18, 4.0092348999254103e-21),
        (2e-4, 0.0019982009596640806, 5.3898993745429186e-14, 1.5932154212974343e-16),
        (2.4e-4, 0.002397409658183471, 8.1515733993304569e-13, 2.4120938895557708e-15),
        (4.85e-4, 0.0048394285534822917, 1.8487935577571005e-8, 5.5087321809288489e-11),
        (1e-3, 0.0099551197902517901, 0.00015302585928060459, 4.6411915998321339e-7),
        (1e-7, 9.9999955000012e-7, 2.249161085124591e-66, 6.6151954805595948e-69),
        (1e-12, 9.999999999955e-12, 2.2502952534243795e-146, 6.6185154514064355e-149),
        (1e-20, 1.0e-19, 2.2502952647690444e-274, 6.6185154846148365e-277),
    ];

    #[test]
    fn code_names_round_trip() {
        for code in [ReedSolomon::KP4, ReedSolomon::KR4, ReedSolomon::new(272, 258, 10).unwrap()] {
            assert_eq!(ReedSolomon::parse(&code.name(), "--code").unwrap(), code);
        }
        assert_eq!(ReedSolomon::parse(" RS(544, 514) ", "--code").unwrap(), ReedSolomon::KP4);
        for bad in ["kp5", "rs(544)", "rs(514,544)", "rs(2000,1990)"] {
            assert!(ReedSolomon::parse(bad, "--code").is_err(), "{bad}");
        }
    }

    #[test]
    fn kp4_matches_exact_binomial_from_mpmath() {
        for (ber, ps, cer, post) in KP4_REF {
            let r = ReedSolomon::KP4.evaluate(ber).unwrap();
            assert!(rel(r.symbol_error_ratio, ps) < 1e-12, "p_s @{ber:e}");
            assert!(rel(r.codeword_error_ratio, cer) < 1e-9, "CER @{ber:e}: {:e}", r.codeword_error_ratio);
            assert!(rel(r.post_fec_ber, post) < 1e-9, "post @{ber:e}: {:e}", r.post_fec_ber);
        }
    }

    #[test]
    fn kr4_matches_exact_binomial_from_mpmath() {
        for (ber, cer, post) in [
            (1e-5, 1.3557689282604284e-15, 2.0557783739898696e-18),
            (2.4e-4, 5.1537601020364259e-5, 7.9692468873445557e-8),
            (1e-12, 1.4203986864287256e-71, 2.1521192220268208e-74),
        ] {
            let r = ReedSolomon::KR4.evaluate(ber).unwrap();
            assert_eq!(ReedSolomon::KR4.t(), 7);
            assert!(rel(r.codeword_error_ratio, cer) < 1e-9 && rel(r.post_fec_ber, post) < 1e-9, "{r:?}");
        }
    }

    #[test]
    fn rs_table_cer_and_post_fec() {
        // Derived RS(544,514) table of `docs/models.md` §7, 3 significant digits (2 for post-FEC BER).
        for (ber, cer, post) in [
            (1e-5, 2.14e-34, 6.3e-37),
            (5e-5, 2.67e-23, 7.9e-26),
            (1e-4, 1.36e-18, 4.0e-21),
            (2e-4, 5.39e-14, 1.6e-16),
            (2.4e-4, 8.15e-13, 2.4e-15),
            (4.85e-4, 1.85e-8, 5.5e-11),
            (1e-3, 1.53e-4, 4.6e-7),
        ] {
            let r = ReedSolomon::KP4.evaluate(ber).unwrap();
            assert!(rel(r.codeword_error_ratio, cer) < 5e-3, "{ber:e}");
            assert!(rel(r.post_fec_ber, post) < 2e-2, "{ber:e}");
        }
    }

    #[test]
    fn threshold_round_trips_through_targets() {
        let kp4 = ReedSolomon::KP4;
        let ber = kp4.pre_fec_ber_for(FecTarget::CodewordErrorRatio(8.1515733993304569e-13)).unwrap();
        assert!(rel(ber, 2.4e-4) < 1e-9, "{ber:e}");
        let ber = kp4.pre_fec_ber_for(FecTarget::PostFecBer(1e-15)).unwrap();
        assert!(rel(kp4.post_fec_ber(ber).unwrap(), 1e-15) < 1e-9);
        assert!(ber > 2.0e-4 && ber < 2.4e-4, "{ber:e}");
        let err = kp4.pre_fec_ber_for(FecTarget::PostFecBer(0.9)).unwrap_err().to_string();
        assert!(err.contains("post_fec_ber target"), "{err}");
    }

    #[test]
    fn frame_loss_counts_overlapped_codewords() {
        let kp4 = ReedSolomon::KP4;
        let cer = kp4.codeword_error_ratio(4.85e-4).unwrap();
        // A 1-bit frame sits in exactly one codeword.
        assert!(rel(kp4.frame_loss_ratio(4.85e-4, 1).unwrap(), cer) < 1e-12);
        // A 512-bit frame straddles two codewords with probability 511/5140.
        let want = cer * (1.0 + 511.0 / 5140.0);
        assert!(rel(kp4.frame_loss_ratio(4.85e-4, 512).unwrap(), want) < 1e-6);
        // Exactly two payloads plus one bit: always 3 codewords.
        let flr = kp4.frame_loss_ratio(4.85e-4, 2 * 5140 + 1).unwrap();
        assert!(rel(flr, -(3.0 * (-cer).ln_1p()).exp_m1()) < 1e-12);
    }

    /// Compound-Poisson CER computed independently with mpmath 1.4.1 (Panjer recursion at 40
    /// digits, burst lengths to 3000): (BER, element_bits, precoded, p_b, CER).
    const BURST_REF: [(f64, u32, bool, f64, f64); 10] = [
        (2.4e-4, 1, false, 0.0, 9.9969613371992504e-13),
        (2.4e-4, 1, false, 0.5, 9.7296473702697589e-13),
        (2.4e-4, 1, false, 0.75, 7.5621324448628649e-12),
        (2.4e-4, 2, false, 0.5, 7.910166352140502e-11),
        (2.4e-4, 2, true, 0.0, 1.9667458171922829e-8),
        (2.4e-4, 2, true, 0.75, 6.7173967657855771e-11),
        (1e-4, 1, false, 0.0, 1.6857961747985661e-18),
        (1e-4, 1, false, 0.75, 2.4632864685144388e-14),
        (1e-4, 2, false, 0.75, 2.6062777638859867e-9),
        (1e-4, 2, true, 0.75, 5.8641851177069925e-14),
    ];

    #[test]
    fn burst_model_matches_mpmath_and_physics_vectors() {
        for (ber, element_bits, precoded, p_b, want) in BURST_REF {
            let b = BurstModel { continuation_prob: p_b, element_bits, precoded };
            let got = ReedSolomon::KP4.codeword_error_ratio_bursty(ber, &b).unwrap();
            assert!(rel(got, want) < 1e-9, "{b:?} @{ber:e}: {got:e} vs {want:e}");
        }
        // Compound-Poisson sketch of `docs/models.md` §7, 2 significant digits.
        let cer = |ber, p_b| {
            let b = BurstModel { continuation_prob: p_b, element_bits: 1, precoded: false };
            ReedSolomon::KP4.codeword_error_ratio_bursty(ber, &b).unwrap()
        };
        for (ber, p_b, want) in [
            (2.4e-4, 0.0, 1.0e-12),
            (2.4e-4, 0.5, 9.7e-13),
            (2.4e-4, 0.75, 7.6e-12),
            (1e-4, 0.0, 1.7e-18),
            (1e-4, 0.75, 2.5e-14),
        ] {
            assert!(rel(cer(ber, p_b), want) < 0.03, "p_b {p_b} @{ber:e}");
        }
    }

    #[test]
    fn bad_inputs_name_the_field_and_range() {
        for ber in [0.0, -1e-3, 0.6, f64::NAN] {
            let e = ReedSolomon::KP4.codeword_error_ratio(ber).unwrap_err().to_string();
            assert!(e.contains("pre_fec_ber") && e.contains("(0, 0.5]"), "{e}");
        }
        assert!(ReedSolomon::new(1100, 514, 10).unwrap_err().to_string().contains("fec n"));
        assert!(ReedSolomon::new(544, 544, 10).unwrap_err().to_string().contains("fec k"));
        let b = BurstModel { continuation_prob: 0.5, element_bits: 3, precoded: false };
        assert!(
            ReedSolomon::KP4.codeword_error_ratio_bursty(1e-4, &b).unwrap_err().to_string().contains("element_bits")
        );
        assert!(ReedSolomon::KP4.frame_loss_ratio(1e-4, 0).is_err());
    }
}
