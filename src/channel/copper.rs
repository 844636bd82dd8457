//! Copper transmission lines from RLGC: shielded twinax (by AWG) and PCB stripline (by laminate).
//!
//! Propagation of a matched line (transmission-line theory \[T\]):
//! `γ = sqrt((R + jωL)(G + jωC)) = α + jβ`, `H(f) = exp(−γ·ℓ)`, loss `= 8.686·α·ℓ` dB.
//! * `L = Z0·sqrt(ε_r)/c`, `C = sqrt(ε_r)/(Z0·c)` (TEM line in a homogeneous dielectric).
//! * Dielectric: `G = ωC·tanδ`, so `α_d = π·f·sqrt(ε_r)·tanδ/c` Np/m, ∝ f.
//! * Conductor: skin effect `R_s = sqrt(π·f·μ0/σ)`; the AC resistance per metre `R_ac` ∝ √f is
//!   blended with the DC resistance as `R = sqrt(R_dc² + R_ac²)` (PyBERT `calc_gamma` \[P\]), with an
//!   equal internal reactance `j·R_ac` (a good conductor's surface impedance is `R_s·(1 + j)`).
//! * Roughness multiplies `R_ac` by [`Roughness::factor`] (Hammerstad & Jensen, MTT-S 1980, or a flat factor).
//!
//! The low-loss split `α ≈ R/(2Z0) + G·Z0/2` reproduces the rules of thumb
//! `α_c[dB/in] ≈ 36·√f[GHz]/(w[mil]·Z0)` and `α_d[dB/in] ≈ 2.3·f[GHz]·Df·√Dk` (Bogatin \[S\]).

use crate::error::{Bounds, Result, check_range};
use crate::units::{DB_PER_NEPER, SPEED_OF_LIGHT_M_PER_S};
use num_complex::Complex64;
use serde::Serialize;
use std::f64::consts::PI;

/// Vacuum permeability µ0, H/m.
const MU0_H_PER_M: f64 = 4e-7 * PI;
/// Free-space wave impedance η0 = µ0·c, Ω.
const ETA0_OHM: f64 = MU0_H_PER_M * SPEED_OF_LIGHT_M_PER_S;
/// Conductivity of annealed copper, S/m (IACS 100 % ≈ 5.8e7 S/m \[T\]).
pub const COPPER_CONDUCTIVITY_S_PER_M: f64 = 5.8e7;
/// Wire diameters and trace widths the line models accept: 10 µm to 5 mm.
pub const CONDUCTOR_SIZE_M: Bounds = Bounds::new(10e-6, 5e-3, "m");

/// Conductor surface roughness: a multiplier on the skin-effect resistance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Roughness {
    /// Smooth copper (factor 1).
    Smooth,
    /// A frequency-independent factor; ×1.2–2 is common \[S\], ×1.4 is the value of the PCB media
    /// here (an estimate in that range; `docs/models.md` §2).
    Flat {
        /// The multiplier (>= 1).
        factor: f64,
    },
    /// Hammerstad–Jensen: `K = 1 + (2/π)·atan(1.4·(Δ/δ)²)`, saturating at 2
    /// (Hammerstad & Jensen, MTT-S 1980 \[T\]).
    Hammerstad {
        /// RMS surface roughness Δ, m.
        rms_m: f64,
    },
}

impl Roughness {
    /// The resistance multiplier at `freq_hz` for a conductor of conductivity `sigma`.
    pub fn factor(&self, freq_hz: f64, sigma_s_per_m: f64) -> f64 {
        match *self {
            Roughness::Smooth => 1.0,
            Roughness::Flat { factor } => factor,
            Roughness::Hammerstad { rms_m } => {
                let delta = skin_depth_m(freq_hz, sigma_s_per_m);
                1.0 + (2.0 / PI) * (1.4 * (rms_m / delta).powi(2)).atan()
            }
        }
    }
}

/// Skin depth `δ = 1/sqrt(π·f·µ0·σ)`, m (Cu: 2.09 µm at 1 GHz \[D\]).
pub fn skin_depth_m(freq_hz: f64, sigma_s_per_m: f64) -> f64 {
    1.0 / (PI * freq_hz * MU0_H_PER_M * sigma_s_per_m).sqrt()
}

/// Surface resistance `R_s = sqrt(π·f·µ0/σ) = 1/(σ·δ)`, Ω per square.
pub fn surface_resistance_ohm(freq_hz: f64, sigma_s_per_m: f64) -> f64 {
    (PI * freq_hz * MU0_H_PER_M / sigma_s_per_m).sqrt()
}

/// Bare-wire diameter of an AWG gauge, `d = 0.127 mm · 92^((36 − n)/39)` (ASTM B258 \[T\]):
/// 26 AWG 0.405 mm, 30 AWG 0.255 mm.
pub fn awg_diameter_m(awg: u32) -> f64 {
    0.127e-3 * 92f64.powf((36.0 - awg as f64) / 39.0)
}

/// Cross-section of a copper line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Geometry {
    /// A differential twinax pair, modelled as a two-wire line of round conductors (the shield
    /// carries no differential current). Wire spacing follows from the impedance:
    /// `Z_diff = (η0/(π·sqrt(ε_r)))·acosh(s/d)`; the exact two-wire resistance including proximity
    /// effect is `R_ac = 2·R_s/(π·d) · (s/d)/sqrt((s/d)² − 1)` \[T: Ramo, Whinnery & Van Duzer\].
    Twinax {
        /// Conductor diameter, m.
        wire_diameter_m: f64,
    },
    /// A stripline trace of width `w` between two planes. Conductor resistance per metre is taken
    /// as `R_ac = R_s/w`: the signal current on both trace faces (`R_s/(2w)`) plus the return in
    /// the planes (≈ `R_s/(2w)`), which is the assumption behind Bogatin's
    /// `36·√f/(w·Z0)` dB/in rule \[S\]. A loosely coupled 100 Ω differential pair of two such
    /// 50 Ω lines has the same loss per metre.
    Stripline {
        /// Trace width, m.
        width_m: f64,
        /// Trace thickness, m (DC resistance only).
        thickness_m: f64,
    },
}

/// A copper line: geometry, impedance, dielectric and conductor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CopperLine {
    /// Cross-section.
    pub geometry: Geometry,
    /// Characteristic impedance of the mode that carries the signal, Ω: differential for twinax,
    /// single-ended for stripline.
    pub z0_ohm: f64,
    /// Relative permittivity Dk of the dielectric.
    pub dk: f64,
    /// Loss tangent Df of the dielectric.
    pub df: f64,
    /// Conductor conductivity, S/m.
    pub conductivity_s_per_m: f64,
    /// Surface roughness.
    pub roughness: Roughness,
}

impl CopperLine {
    /// Checks every parameter against its physical range.
    pub fn validate(&self) -> Result<()> {
        check_range("z0_ohm", self.z0_ohm, 10.0, 300.0, "ohm")?;
        check_range("dk", self.dk, 1.0, 20.0, "")?;
        check_range("df", self.df, 0.0, 0.2, "")?;
        check_range("conductivity_s_per_m", self.conductivity_s_per_m, 1e6, 1e8, "S/m")?;
        match self.geometry {
            Geometry::Twinax { wire_diameter_m } => {
                CONDUCTOR_SIZE_M.check("wire_diameter_m", wire_diameter_m)?;
                // A two-wire line needs s/d > 1, i.e. an impedance above zero: always true here,
                // but a very low Z0 in a low-Dk dielectric would put the wires in contact.
                check_range("spacing_ratio", self.twinax_spacing_ratio(), 1.0001, 1e3, "")?;
            }
            Geometry::Stripline { width_m, thickness_m } => {
                CONDUCTOR_SIZE_M.check("width_m", width_m)?;
                check_range("thickness_m", thickness_m, 1e-6, 1e-3, "m")?;
            }
        }
        match self.roughness {
            Roughness::Flat { factor } => check_range("roughness.factor", factor, 1.0, 5.0, "").map(|_| ()),
            Roughness::Hammerstad { rms_m } => check_range("roughness.rms_m", rms_m, 0.0, 20e-6, "m").map(|_| ()),
            Roughness::Smooth => Ok(()),
        }
    }

    /// Centre spacing over diameter `s/d` of the twinax wires for the line's impedance.
    fn twinax_spacing_ratio(&self) -> f64 {
        (self.z0_ohm * PI * self.dk.sqrt() / ETA0_OHM).cosh()
    }

    /// DC and skin-effect (AC, smooth) resistance per metre, Ω/m.
    fn resistances_ohm_per_m(&self, freq_hz: f64) -> (f64, f64) {
        let sigma = self.conductivity_s_per_m;
        let rs = surface_resistance_ohm(freq_hz, sigma);
        match self.geometry {
            Geometry::Twinax { wire_diameter_m: d } => {
                let sd = self.twinax_spacing_ratio();
                let proximity = sd / (sd * sd - 1.0).sqrt();
                let r_dc = 2.0 / (sigma * PI * d * d / 4.0);
                (r_dc, 2.0 * rs / (PI * d) * proximity)
            }
            Geometry::Stripline { width_m, thickness_m } => (1.0 / (sigma * width_m * thickness_m), rs / width_m),
        }
    }

    /// Propagation constant `γ = α + jβ` per metre at `freq_hz` (> 0).
    pub fn gamma_per_m(&self, freq_hz: f64) -> Complex64 {
        let omega = 2.0 * PI * freq_hz;
        let c = SPEED_OF_LIGHT_M_PER_S;
        let l_ext = self.z0_ohm * self.dk.sqrt() / c;
        let cap = self.dk.sqrt() / (self.z0_ohm * c);
        let (r_dc, r_ac_smooth) = self.resistances_ohm_per_m(freq_hz);
        let r_ac = r_ac_smooth * self.roughness.factor(freq_hz, self.conductivity_s_per_m);
        let r = (r_dc * r_dc + r_ac * r_ac).sqrt();
        let z = Complex64::new(r, omega * l_ext + r_ac);
        let y = Complex64::new(omega * cap * self.df, omega * cap);
        (z * y).sqrt()
    }

    /// Insertion loss per metre at `freq_hz`, dB/m (`8.686·α`).
    pub fn loss_db_per_m(&self, freq_hz: f64) -> f64 {
        DB_PER_NEPER * self.gamma_per_m(freq_hz).re
    }

    /// Transfer `exp(−γ·ℓ)` of a matched line of `length_m`, with the bulk delay kept.
    ///
    /// At DC `γ = sqrt(R·G) = 0` (lossless dielectric), so the matched-line model gives
    /// `H(0) = 1`: DC loss of a doubly terminated line (`R_dc·ℓ` against `2·Z0`, 0.06 dB for 2 m of
    /// 30 AWG) is outside this model.
    pub fn transfer(&self, freq_hz: f64, length_m: f64) -> Complex64 {
        (-self.gamma_per_m(freq_hz) * length_m).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripline(dk: f64, df: f64, roughness: Roughness) -> CopperLine {
        CopperLine {
            geometry: Geometry::Stripline { width_m: 6.0 * 25.4e-6, thickness_m: 17.5e-6 },
            z0_ohm: 50.0,
            dk,
            df,
            conductivity_s_per_m: COPPER_CONDUCTIVITY_S_PER_M,
            roughness,
        }
    }

    #[test]
    fn skin_depth_matches_reference_values() {
        // Derived (δ = 1/sqrt(π·f·µ0·σ), σ = 5.8e7 S/m): 2.09 µm @1 GHz, 0.405 µm @26.56 GHz,
        // 0.287 µm @53.125 GHz.
        let s = COPPER_CONDUCTIVITY_S_PER_M;
        assert!((skin_depth_m(1e9, s) * 1e6 - 2.09).abs() < 0.005);
        assert!((skin_depth_m(26.56e9, s) * 1e6 - 0.405).abs() < 0.001);
        assert!((skin_depth_m(53.125e9, s) * 1e6 - 0.287).abs() < 0.001);
    }

    #[test]
    fn hammerstad_matches_reference_values() {
        // Hammerstad–Jensen factor, derived: Δ = 1 µm gives K = 1.20 @1 GHz, 1.85 @13.28 GHz, 1.93 @26.56 GHz.
        let r = Roughness::Hammerstad { rms_m: 1e-6 };
        let s = COPPER_CONDUCTIVITY_S_PER_M;
        assert!((r.factor(1e9, s) - 1.20).abs() < 0.01);
        assert!((r.factor(13.28e9, s) - 1.85).abs() < 0.01);
        assert!((r.factor(26.56e9, s) - 1.93).abs() < 0.01);
    }

    #[test]
    fn awg_diameters_match_table() {
        // ASTM B258: 26/28/30/32 AWG = 0.405/0.321/0.255/0.202 mm.
        for (awg, d_mm) in [(26, 0.405), (28, 0.321), (30, 0.255), (32, 0.202)] {
            assert!((awg_diameter_m(awg) * 1e3 - d_mm).abs() < 0.001, "{awg}");
        }
    }

    #[test]
    fn low_loss_split_reproduces_bogatin_rules() {
        // Conductor alone (Df = 0) and dielectric alone (separately) against the rules of thumb,
        // 36·√f/(w·Z0) and 2.3·f·Df·√Dk dB/in, whose constants are rounded (so 1.5 %).
        let f_ghz = 26.56;
        let cond = stripline(3.6, 0.0, Roughness::Smooth).loss_db_per_m(f_ghz * 1e9) * 0.0254;
        let rule_c = 36.0 * f_ghz.sqrt() / (6.0 * 50.0);
        assert!((cond / rule_c - 1.0).abs() < 0.015, "{cond} vs {rule_c}");
        let total = stripline(3.6, 0.004, Roughness::Smooth).loss_db_per_m(f_ghz * 1e9) * 0.0254;
        let rule_d = 2.3 * f_ghz * 0.004 * 3.6f64.sqrt();
        assert!(((total - cond) / rule_d - 1.0).abs() < 0.015, "{} vs {rule_d}", total - cond);
    }

    #[test]
    fn dc_limit_is_continuous() {
        let line = stripline(3.6, 0.004, Roughness::Hammerstad { rms_m: 1e-6 });
        let at_dc = line.transfer(0.0, 1.0);
        assert_eq!(at_dc, Complex64::new(1.0, 0.0));
        assert!((line.transfer(1.0, 1.0) - at_dc).norm() < 1e-3);
    }
}
