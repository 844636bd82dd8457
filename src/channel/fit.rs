//! The fitted insertion-loss form of IEEE 802.3 Annex 93A and lumped (connector, via) losses.

use crate::error::{Error, Result, check_range};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// Fitted insertion loss `IL(f) = a0 + a1·√f + a2·f + a4·f²`, f in **GHz**, IL in dB
/// (IEEE 802.3-2022 Annex 93A, MATLAB COM `get_ILN` \[P\]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FittedIl {
    /// Constant term, dB.
    pub a0_db: f64,
    /// Skin-effect term, dB/√GHz.
    pub a1_db_per_sqrt_ghz: f64,
    /// Dielectric term, dB/GHz.
    pub a2_db_per_ghz: f64,
    /// Quadratic term, dB/GHz².
    pub a4_db_per_ghz2: f64,
}

impl FittedIl {
    /// Fitted loss at `freq_hz`, dB.
    pub fn loss_db(&self, freq_hz: f64) -> f64 {
        let f = freq_hz / 1e9;
        self.a0_db + self.a1_db_per_sqrt_ghz * f.sqrt() + self.a2_db_per_ghz * f + self.a4_db_per_ghz2 * f * f
    }

    /// Weighted least-squares fit of `loss_db` at `freq_hz`, weights `weight` (Annex 93A uses
    /// `|Sdd21|`). Solved by SVD of the weighted design matrix in GHz (in Hz the normal equations
    /// are badly conditioned). Needs at least four points.
    pub fn fit(freq_hz: &[f64], loss_db: &[f64], weight: &[f64]) -> Result<FittedIl> {
        let n = freq_hz.len();
        if n < 4 || loss_db.len() != n || weight.len() != n {
            return Err(Error::invalid(
                "fit points",
                format!("{n} frequencies, {} losses, {} weights", loss_db.len(), weight.len()),
                "expected at least 4 points and equal lengths",
            ));
        }
        let a = DMatrix::from_fn(n, 4, |i, j| {
            let f = freq_hz[i] / 1e9;
            weight[i] * [1.0, f.sqrt(), f, f * f][j]
        });
        let b = DVector::from_fn(n, |i, _| weight[i] * loss_db[i]);
        let x = a.svd(true, true).solve(&b, 1e-12).map_err(|e| Error::Numerical { what: format!("IL fit: {e}") })?;
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::Numerical { what: "IL fit gave non-finite coefficients".into() });
        }
        Ok(FittedIl { a0_db: x[0], a1_db_per_sqrt_ghz: x[1], a2_db_per_ghz: x[2], a4_db_per_ghz2: x[3] })
    }
}

/// A lumped loss such as a connector, via or splice.
///
/// Optical connectors and splices are flat in frequency. An electrical connector's loss is given
/// at a reference frequency and scaled as `√(f/f_ref)` (skin-effect-like); that scaling is an
/// estimate \[est\]: give the loss at the frequency you evaluate (Nyquist) to avoid depending on it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LumpedLoss {
    /// Loss at `at_freq_hz` (or at every frequency when flat), dB.
    pub loss_db: f64,
    /// Reference frequency for √f scaling, Hz; `None` for a flat loss.
    pub at_freq_hz: Option<f64>,
}

impl LumpedLoss {
    /// Loss at `freq_hz`, dB.
    pub fn loss_db_at(&self, freq_hz: f64) -> f64 {
        match self.at_freq_hz {
            Some(f_ref) => self.loss_db * (freq_hz / f_ref).sqrt(),
            None => self.loss_db,
        }
    }

    /// Parses `"0.35dB"` (flat) or `"1.2dB@26.56GHz"` (scaled from that frequency).
    pub fn parse(text: &str, field: &str) -> Result<LumpedLoss> {
        let (db, at) = match text.split_once('@') {
            Some((db, f)) => (db, Some(crate::units::parse(f, field, crate::units::Quantity::Frequency)?)),
            None => (text, None),
        };
        let loss_db = check_range(field, crate::units::parse_db(db, field)?, 0.0, 60.0, "dB")?;
        if let Some(f) = at {
            check_range(field, f, 1e6, 1e12, "Hz")?;
        }
        Ok(LumpedLoss { loss_db, at_freq_hz: at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_exact_coefficients() {
        let want = FittedIl { a0_db: 0.278, a1_db_per_sqrt_ghz: 2.993, a2_db_per_ghz: 0.8945, a4_db_per_ghz2: 0.00792 };
        let f: Vec<f64> = (1..=500).map(|i| i as f64 * 50e6).collect();
        let il: Vec<f64> = f.iter().map(|&x| want.loss_db(x)).collect();
        let w: Vec<f64> = il.iter().map(|l| 10f64.powf(-l / 20.0)).collect();
        let got = FittedIl::fit(&f, &il, &w).unwrap();
        assert!((got.a0_db - want.a0_db).abs() < 1e-8);
        assert!((got.a1_db_per_sqrt_ghz - want.a1_db_per_sqrt_ghz).abs() < 1e-8);
        assert!((got.a2_db_per_ghz - want.a2_db_per_ghz).abs() < 1e-8);
        assert!((got.a4_db_per_ghz2 - want.a4_db_per_ghz2).abs() < 1e-9);
        // Derived from example2_THRU.s4p (`docs/models.md` §2): these coefficients give a fitted IL of
        // 23.87 dB at 12.89 GHz.
        assert!((want.loss_db(12.890625e9) - 23.87).abs() < 0.01);
    }

    #[test]
    fn fit_rejects_too_few_points() {
        assert!(FittedIl::fit(&[1e9, 2e9], &[1.0, 2.0], &[1.0, 1.0]).is_err());
    }

    #[test]
    fn lumped_parse_and_scale() {
        let flat = LumpedLoss::parse("0.35dB", "--connector").unwrap();
        assert_eq!(flat.loss_db_at(1e9), 0.35);
        let c = LumpedLoss::parse("1.2dB@26.5625GHz", "--connector").unwrap();
        assert!((c.loss_db_at(26.5625e9) - 1.2).abs() < 1e-12);
        assert!((c.loss_db_at(4.0 * 26.5625e9) - 2.4).abs() < 1e-12);
        assert!(LumpedLoss::parse("-1dB", "--connector").is_err());
        assert!(LumpedLoss::parse("1dB@3m", "--connector").is_err());
    }
}
