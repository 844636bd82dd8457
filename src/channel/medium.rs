//! The catalogue of named media (`twinax-26awg`, `pcb-megtron6`, `smf`, `mmf-om4`, ...) and their
//! loss and electrical-domain response.

use super::copper::{COPPER_CONDUCTIVITY_S_PER_M, CopperLine, Geometry, Roughness, awg_diameter_m};
use super::fiber::{MmfGrade, MultiModeFiber, SingleModeFiber, WAVELENGTH_NM, im_dd_dispersion_transfer};
use super::fit::LumpedLoss;
use super::response::FrequencyResponse;
use crate::error::{Bounds, Error, Result};
use crate::units::db_to_power_ratio;
use num_complex::Complex64;
use serde::Serialize;

/// The physical model behind a medium.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Model {
    /// An RLGC copper line (electrical insertion loss).
    Copper(CopperLine),
    /// Single-mode fiber (optical attenuation; dispersion-limited IM/DD response).
    Smf(SingleModeFiber),
    /// Multimode fiber (optical attenuation; bandwidth-limited response).
    Mmf(MultiModeFiber),
}

/// A named transmission medium with its model, operating wavelength (fiber) and source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Medium {
    /// Catalogue name, e.g. `twinax-26awg`.
    pub name: String,
    /// The model and its parameters.
    pub model: Model,
    /// Operating wavelength for fiber, m.
    pub wavelength_m: Option<f64>,
    /// One line on what it is.
    pub description: &'static str,
    /// Where the defaults come from.
    pub source: &'static str,
}

/// Twinax dielectric: foamed fluoropolymer, ε_r 1.5, tanδ 3.2e-4. Estimate \[est\]: chosen inside
/// the published ranges for foamed FEP/PE (solid FEP ε_r 2.1) so the dielectric term equals the
/// two-term fit to the published twinax losses, k_d = 0.0355 dB/m/GHz (derived; `docs/models.md` §2).
/// Lengths of a medium, and of the segments of a link: 0 m (connectors only) to 1000 km.
pub const LENGTH_M: Bounds = Bounds::new(0.0, 1e6, "m");

const TWINAX_DK: f64 = 1.5;
const TWINAX_DF: f64 = 3.2e-4;
const TWINAX_SOURCE: &str = "RLGC two-wire model, 100 ohm differential, foamed dielectric Dk 1.5 Df 3.2e-4 [est]; \
     checked against Astera Labs 2026 (30 AWG 10.23, 26 AWG 7.14 dB/m @53 GHz) [S], fit in docs/models.md";

/// Stripline defaults of the rule-of-thumb rows (Bogatin \[S\]; `docs/models.md` §2): 6 mil, 50 Ω,
/// ×1.4 roughness.
const STRIPLINE_WIDTH_M: f64 = 6.0 * 25.4e-6;
/// Half-ounce copper (17.5 µm), the usual inner-layer foil (affects only DC resistance).
const STRIPLINE_THICKNESS_M: f64 = 17.5e-6;
const PCB_ROUGHNESS: Roughness = Roughness::Flat { factor: 1.4 };

fn twinax(awg: u32) -> Model {
    Model::Copper(CopperLine {
        geometry: Geometry::Twinax { wire_diameter_m: awg_diameter_m(awg) },
        z0_ohm: 100.0,
        dk: TWINAX_DK,
        df: TWINAX_DF,
        conductivity_s_per_m: COPPER_CONDUCTIVITY_S_PER_M,
        roughness: Roughness::Smooth,
    })
}

fn stripline(dk: f64, df: f64) -> Model {
    Model::Copper(CopperLine {
        geometry: Geometry::Stripline { width_m: STRIPLINE_WIDTH_M, thickness_m: STRIPLINE_THICKNESS_M },
        z0_ohm: 50.0,
        dk,
        df,
        conductivity_s_per_m: COPPER_CONDUCTIVITY_S_PER_M,
        roughness: PCB_ROUGHNESS,
    })
}

const AWGS: [u32; 6] = [24, 26, 28, 30, 32, 34];

impl Medium {
    /// Every medium of the catalogue with its default parameters.
    pub fn catalogue() -> Vec<Medium> {
        let mut out: Vec<Medium> = AWGS
            .iter()
            .map(|&awg| Medium {
                name: format!("twinax-{awg}awg"),
                model: twinax(awg),
                wavelength_m: None,
                description: "shielded twinax pair (DAC cable)",
                source: TWINAX_SOURCE,
            })
            .collect();
        let pcb = |name: &str, dk, df, description, source| Medium {
            name: name.to_string(),
            model: stripline(dk, df),
            wavelength_m: None,
            description,
            source,
        };
        out.push(pcb(
            "pcb-fr4",
            4.2,
            0.02,
            "FR-4 stripline, 6 mil 50 ohm, rough copper x1.4",
            "Dk 4.2 Df 0.02, rule of thumb, docs/models.md [D]; roughness x1.4 [S]",
        ));
        out.push(pcb(
            "pcb-megtron6",
            3.6,
            0.004,
            "Panasonic Megtron 6 stripline, 6 mil 50 ohm, rough copper x1.4",
            "Dk 3.6 Df 0.004 (Panasonic: Dk 3.34-3.62 @13 GHz [P]), docs/models.md; roughness x1.4 [S]",
        ));
        out.push(pcb(
            "pcb-megtron7",
            3.4,
            0.002,
            "Panasonic Megtron 7 stripline, 6 mil 50 ohm, rough copper x1.4",
            "Dk 3.4 Df 0.002, rule of thumb, docs/models.md [D]; roughness x1.4 [S]",
        ));
        out.push(Medium {
            name: "smf".into(),
            model: Model::Smf(SingleModeFiber::g652()),
            wavelength_m: Some(1311e-9),
            description: "G.652.D single-mode fiber at 1311 nm (O-band, chirp-free IM/DD)",
            source: "G.652.D: 0.4 dB/km @1310 cabled max [P vendor sheets]; lambda0 1300-1324 nm, S0 0.093 (IEEE tables)",
        });
        for (name, grade) in [("mmf-om3", MmfGrade::Om3), ("mmf-om4", MmfGrade::Om4), ("mmf-om5", MmfGrade::Om5)] {
            out.push(Medium {
                name: name.into(),
                model: Model::Mmf(MultiModeFiber::new(grade)),
                wavelength_m: Some(850e-9),
                description: "multimode fiber at 850 nm (VCSEL, 0.6 nm RMS width)",
                source: "EMB TIA FOTC summary [P]; 3.5 dB/km IEEE budgeting [P]; 0.6 nm RMS width, SR8 Tx limit [U]",
            });
        }
        out
    }

    /// The catalogue medium called `name`; an unknown name is an error listing the valid ones.
    pub fn named(name: &str) -> Result<Medium> {
        let all = Medium::catalogue();
        let wanted = if name == "smf-g652" { "smf" } else { name };
        all.iter().find(|m| m.name == wanted).cloned().ok_or_else(|| {
            Error::invalid(
                "medium",
                format!("'{name}'"),
                format!("expected one of: {}", all.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")),
            )
        })
    }

    /// True for fiber, whose loss is optical dB.
    pub fn is_optical(&self) -> bool {
        !matches!(self.model, Model::Copper(_))
    }

    /// The same fiber at another wavelength (600–1700 nm). Copper has no wavelength: error.
    pub fn with_wavelength(mut self, wavelength_m: f64) -> Result<Medium> {
        if !self.is_optical() {
            return Err(Error::invalid(
                "wavelength_m",
                format!("{:.1} nm for {}", wavelength_m * 1e9, self.name),
                "expected a fiber medium (smf, mmf-*) for a wavelength",
            ));
        }
        self.wavelength_m = Some(WAVELENGTH_NM.check("wavelength_m", wavelength_m * 1e9)? * 1e-9);
        Ok(self)
    }

    fn wavelength(&self) -> f64 {
        self.wavelength_m.unwrap_or(1311e-9)
    }

    /// Loss of one metre at `freq_hz`, dB: electrical insertion loss for copper, optical
    /// attenuation (frequency-flat) for fiber.
    pub fn loss_db_per_m(&self, freq_hz: f64) -> f64 {
        match &self.model {
            Model::Copper(line) => line.loss_db_per_m(freq_hz),
            Model::Smf(f) => f.attenuation_db_per_km(self.wavelength()) / 1e3,
            Model::Mmf(f) => f.attenuation_db_per_km(self.wavelength()) / 1e3,
        }
    }

    /// Loss of `length_m` at `freq_hz`, dB (see [`Medium::loss_db_per_m`]); a matched line's loss
    /// is proportional to its length.
    pub fn loss_db(&self, freq_hz: f64, length_m: f64) -> f64 {
        self.loss_db_per_m(freq_hz) * length_m
    }

    /// Electrical-domain transfer function of `length_m` on `freq_hz`.
    ///
    /// Copper: `exp(−γℓ)`. Fiber (IM/DD): photocurrent scales with optical power, so the optical
    /// attenuation `A` enters as `10^(−A/10)`, times the chirp-free power-fading term
    /// `cos(π·λ²·D·L·f²/c)` at the worst-case |D| (SMF), or the Gaussian modal/chromatic response
    /// (MMF). Propagation delay is removed for fiber.
    pub fn response(&self, freq_hz: &[f64], length_m: f64) -> Result<FrequencyResponse> {
        let lambda = self.wavelength();
        let h = freq_hz
            .iter()
            .map(|&f| match &self.model {
                Model::Copper(line) => line.transfer(f, length_m),
                Model::Smf(fiber) => {
                    let d = fiber.dispersion.worst_abs_ps_per_nm_km(lambda, lambda);
                    let atten = db_to_power_ratio(-self.loss_db(f, length_m));
                    Complex64::new(atten * im_dd_dispersion_transfer(f, lambda, d, length_m, 0.0), 0.0)
                }
                Model::Mmf(fiber) => {
                    let atten = db_to_power_ratio(-self.loss_db(f, length_m));
                    Complex64::new(atten * fiber.transfer(f, lambda, length_m), 0.0)
                }
            })
            .collect();
        FrequencyResponse::new(freq_hz.to_vec(), h)
    }

    /// Checks the model's parameters.
    pub fn validate(&self) -> Result<()> {
        match &self.model {
            Model::Copper(line) => line.validate(),
            Model::Smf(f) => f.validate(),
            Model::Mmf(f) => f.validate(),
        }
    }
}

/// A loss-vs-frequency curve of one medium and length.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossCurve {
    /// Medium name.
    pub medium: String,
    /// `electrical` (copper insertion loss) or `optical` (fiber attenuation).
    pub domain: &'static str,
    /// Length, m (`None` for a measured channel).
    pub length_m: Option<f64>,
    /// Port layout used for a measured 4-port channel (`1-2,3-4` or `1-3,2-4`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_order: Option<String>,
    /// The points.
    pub points: Vec<LossPoint>,
}

impl LossCurve {
    /// The insertion loss of a measured channel (a Touchstone thru), interpolated onto `freq_hz`.
    pub fn measured(
        name: &str,
        response: &FrequencyResponse,
        port_order: Option<String>,
        freq_hz: &[f64],
    ) -> Result<LossCurve> {
        let on_grid = response.interpolate(freq_hz)?;
        Ok(LossCurve {
            medium: name.to_string(),
            domain: "electrical",
            length_m: None,
            port_order,
            points: freq_hz
                .iter()
                .zip(on_grid.loss_db())
                .map(|(&freq_hz, loss_db)| LossPoint { freq_hz, loss_db })
                .collect(),
        })
    }
}

/// One point of a [`LossCurve`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LossPoint {
    /// Frequency, Hz.
    pub freq_hz: f64,
    /// Loss, dB (positive).
    pub loss_db: f64,
}

impl Medium {
    /// Loss of `length_m` plus the `lumped` losses at each of `freq_hz`.
    pub fn loss_curve(&self, freq_hz: &[f64], length_m: f64, lumped: &[LumpedLoss]) -> LossCurve {
        LossCurve {
            medium: self.name.clone(),
            domain: if self.is_optical() { "optical" } else { "electrical" },
            length_m: Some(length_m),
            port_order: None,
            points: freq_hz
                .iter()
                .map(|&f| LossPoint {
                    freq_hz: f,
                    loss_db: self.loss_db(f, length_m) + lumped.iter().map(|c| c.loss_db_at(f)).sum::<f64>(),
                })
                .collect(),
        }
    }
}

/// Electrical loss in dB of an optical attenuation `optical_db` seen by a square-law detector
/// (photocurrent ∝ optical power, so electrical dB = 2 × optical dB).
pub fn optical_to_electrical_db(optical_db: f64) -> f64 {
    2.0 * optical_db
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_per_unit(name: &str, freq_hz: f64, unit_m: f64) -> f64 {
        Medium::named(name).unwrap().loss_db_per_m(freq_hz) * unit_m
    }

    #[test]
    fn twinax_matches_published_anchors_and_table() {
        // Astera Labs (2026-07-15) [S]: 30 AWG 10.23, 26 AWG 7.14 dB/m at 53 GHz.
        assert!((db_per_unit("twinax-30awg", 53e9, 1.0) / 10.23 - 1.0).abs() < 0.03);
        assert!((db_per_unit("twinax-26awg", 53e9, 1.0) / 7.14 - 1.0).abs() < 0.03);
        // The fit's table (dB/m, `docs/models.md` §2) at 26.56 and 53.125 GHz, within 5 % (a two-term fit).
        for (awg, at_26, at_53) in [(26, 4.7, 7.1), (28, 5.6, 8.5), (30, 6.8, 10.2), (32, 8.4, 12.4)] {
            let name = format!("twinax-{awg}awg");
            let (a, b) = (db_per_unit(&name, 26.5625e9, 1.0), db_per_unit(&name, 53.125e9, 1.0));
            assert!((a / at_26 - 1.0).abs() < 0.05, "{name} @26.56: {a}");
            assert!((b / at_53 - 1.0).abs() < 0.05, "{name} @53.125: {b}");
        }
    }

    #[test]
    fn pcb_laminates_fall_in_published_ranges() {
        // Rule-of-thumb table of `docs/models.md` §2 (dB/inch): Megtron 6 1.08–1.33 @26.56,
        // 1.8–2.15 @53.1 (smooth … ×1.4); Megtron 7 0.84–1.09 and 1.33–1.68. The ranges come from
        // rounded rules of thumb, so the edges get 1 % slack. Measured TE Whisper Megtron-6 backplane:
        // 1.2 dB/in @26.56 incl. connectors.
        let inch = 0.0254;
        let within = |v: f64, lo: f64, hi: f64| v >= lo * 0.99 && v <= hi * 1.01;
        for (name, r26, r53) in
            [("pcb-megtron6", (1.08, 1.33), (1.8, 2.15)), ("pcb-megtron7", (0.84, 1.09), (1.33, 1.68))]
        {
            let a = db_per_unit(name, 26.5625e9, inch);
            let b = db_per_unit(name, 53.125e9, inch);
            assert!(within(a, r26.0, r26.1), "{name} @26.56: {a} dB/in");
            assert!(within(b, r53.0, r53.1), "{name} @53.125: {b} dB/in");
        }
        // FR-4 row (smooth copper): 3.1 dB/in @26.56, 5.9 @53.1. Default roughness adds to it.
        let mut fr4 = Medium::named("pcb-fr4").unwrap();
        if let Model::Copper(line) = &mut fr4.model {
            line.roughness = Roughness::Smooth;
        }
        assert!((fr4.loss_db_per_m(26.5625e9) * inch / 3.1 - 1.0).abs() < 0.03);
        assert!((fr4.loss_db_per_m(53.125e9) * inch / 5.9 - 1.0).abs() < 0.03);
        assert!(db_per_unit("pcb-fr4", 26.5625e9, inch) > 3.1);
    }

    #[test]
    fn unknown_medium_lists_valid_names() {
        let e = Medium::named("twinax-99awg").unwrap_err().to_string();
        assert!(e.contains("twinax-99awg") && e.contains("twinax-26awg") && e.contains("mmf-om4"), "{e}");
        assert!(Medium::named("twinax-26awg").unwrap().with_wavelength(1.3e-6).is_err());
        assert!(Medium::named("smf").unwrap().with_wavelength(3e-6).is_err());
    }

    #[test]
    fn catalogue_defaults_are_valid() {
        for m in Medium::catalogue() {
            m.validate().unwrap_or_else(|e| panic!("{}: {e}", m.name));
        }
    }

    #[test]
    fn fiber_response_carries_attenuation_in_electrical_db() {
        let smf = Medium::named("smf").unwrap();
        let r = smf.response(&[1e6], 10_000.0).unwrap();
        let optical = smf.loss_db(1e6, 10_000.0);
        assert!((r.loss_db()[0] - optical_to_electrical_db(optical)).abs() < 1e-6);
        assert!((optical_to_electrical_db(3.0) - 6.0).abs() < 1e-12);
    }

    #[test]
    fn copper_response_loss_equals_model_loss() {
        let m = Medium::named("twinax-30awg").unwrap();
        let r = m.response(&[1e9, 26.5625e9, 53.125e9], 2.0).unwrap();
        for (l, f) in r.loss_db().iter().zip(&r.freq_hz) {
            assert!((l - m.loss_db(*f, 2.0)).abs() < 1e-9);
        }
    }
}
