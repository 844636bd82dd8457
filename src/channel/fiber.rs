//! Optical fiber: attenuation, chromatic dispersion, modal bandwidth, and the electrical-domain
//! response of an intensity-modulated / direct-detection (IM/DD) link.
//!
//! Units: wavelengths in m, lengths in m, attenuation in **optical** dB (10·log10 of power).
//! Dispersion coefficients are kept in the customary ps/(nm·km) and ps/(nm²·km) at the API edge
//! (names say so); they are converted to SI inside.

use crate::error::{Bounds, Result, check_range};
use crate::math::roots::bisect_boundary;
use crate::units::SPEED_OF_LIGHT_M_PER_S;
use serde::Serialize;
use std::f64::consts::PI;

/// Optical wavelengths the fiber and laser models cover, m: 600 nm to 1700 nm (the 850 nm
/// multimode window to beyond the L band).
pub const WAVELENGTH_M: Bounds = Bounds::new(600e-9, 1700e-9, "m");
/// [`WAVELENGTH_M`] in nm, for quantities given in nm.
pub const WAVELENGTH_NM: Bounds = Bounds::new(600.0, 1700.0, "nm");
/// ps/(nm·km) in s/m²: 1e-12 s / (1e-9 m · 1e3 m).
const PS_PER_NM_KM_IN_SI: f64 = 1e-6;

/// Rayleigh-scattering wavelength shape of the IEEE 802.3 link model (10GEPBud rev 3.1.16a \[P\]):
/// `α(λ) ∝ 1.05 + (1/(0.00094·λ[nm]))⁴`.
fn rayleigh_shape(wavelength_m: f64) -> f64 {
    1.05 + (1.0 / (0.00094 * wavelength_m * 1e9)).powi(4)
}

/// Scales an attenuation known at one wavelength to another with [`rayleigh_shape`].
fn scale_attenuation(ref_db_per_km: f64, ref_wavelength_m: f64, wavelength_m: f64) -> f64 {
    ref_db_per_km * rayleigh_shape(wavelength_m) / rayleigh_shape(ref_wavelength_m)
}

/// Chromatic dispersion `D(λ) = (S0/4)·λ·[1 − (λ0/λ)⁴]` in ps/(nm·km) (802.3 link model,
/// Corning sheets \[P\]). `s0` in ps/(nm²·km), wavelengths in m.
pub fn dispersion_ps_per_nm_km(wavelength_m: f64, lambda0_m: f64, s0_ps_per_nm2_km: f64) -> f64 {
    let lambda_nm = wavelength_m * 1e9;
    s0_ps_per_nm2_km / 4.0 * lambda_nm * (1.0 - (lambda0_m / wavelength_m).powi(4))
}

/// The zero-dispersion wavelength and slope range of a fiber type.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DispersionSpec {
    /// Shortest zero-dispersion wavelength λ0, m.
    pub lambda0_min_m: f64,
    /// Longest zero-dispersion wavelength λ0, m.
    pub lambda0_max_m: f64,
    /// Zero-dispersion slope S0 (its maximum), ps/(nm²·km).
    pub s0_ps_per_nm2_km: f64,
}

impl DispersionSpec {
    /// Worst-case dispersion range over a band, ps/(nm·km), as the IEEE tables compute it
    /// (derived; `docs/models.md` §3): the most negative value uses the longest λ0 at the short band edge, the
    /// most positive the shortest λ0 at the long edge.
    pub fn range_ps_per_nm_km(&self, band_lo_m: f64, band_hi_m: f64) -> (f64, f64) {
        (
            dispersion_ps_per_nm_km(band_lo_m, self.lambda0_max_m, self.s0_ps_per_nm2_km),
            dispersion_ps_per_nm_km(band_hi_m, self.lambda0_min_m, self.s0_ps_per_nm2_km),
        )
    }

    /// Largest |D| over the band and the λ0 range, ps/(nm·km).
    pub fn worst_abs_ps_per_nm_km(&self, band_lo_m: f64, band_hi_m: f64) -> f64 {
        let (lo, hi) = self.range_ps_per_nm_km(band_lo_m, band_hi_m);
        lo.abs().max(hi.abs())
    }
}

/// Electrical-domain transfer of chromatic dispersion on a chirped IM/DD signal with square-law
/// detection (power fading): `H(f) = cos θ − α_H·sin θ`, `θ = π·λ²·D·L·f²/c`
/// (Wang & Petermann, JLT 1992 \[T\]). `α_H = 0` is a chirp-free transmitter.
pub fn im_dd_dispersion_transfer(
    freq_hz: f64,
    wavelength_m: f64,
    dispersion_ps_per_nm_km: f64,
    length_m: f64,
    chirp_alpha: f64,
) -> f64 {
    let d_si = dispersion_ps_per_nm_km * PS_PER_NM_KM_IN_SI;
    let theta = PI * wavelength_m * wavelength_m * d_si * length_m * freq_hz * freq_hz / SPEED_OF_LIGHT_M_PER_S;
    theta.cos() - chirp_alpha * theta.sin()
}

/// Length at which chirp-free power fading reaches 3 dB electrical (`θ = π/4`, |cos θ|² = ½) at
/// `freq_hz`: `L = c/(4·λ²·|D|·f²)`. photolink uses this as the dispersion reach limit: the
/// fiber's own electrical 3 dB bandwidth falls to the signal's Nyquist frequency.
pub fn dispersion_limited_length_m(freq_hz: f64, wavelength_m: f64, abs_dispersion_ps_per_nm_km: f64) -> f64 {
    let d_si = abs_dispersion_ps_per_nm_km * PS_PER_NM_KM_IN_SI;
    SPEED_OF_LIGHT_M_PER_S / (4.0 * wavelength_m * wavelength_m * d_si * freq_hz * freq_hz)
}

/// Single-mode fiber (ITU-T G.652).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SingleModeFiber {
    /// Attenuation at `reference_wavelength_m`, dB/km (optical).
    pub attenuation_db_per_km: f64,
    /// Wavelength at which `attenuation_db_per_km` is stated, m.
    pub reference_wavelength_m: f64,
    /// Dispersion parameters.
    pub dispersion: DispersionSpec,
}

impl SingleModeFiber {
    /// G.652.D cabled fiber: 0.4 dB/km at 1310 nm (cable maximum, ITU-T G.652 vendor sheets \[P\]),
    /// λ0 = 1300–1324 nm (ITU-T G.652) and S0 = 0.093 ps/(nm²·km) as the IEEE 802.3 tables use.
    pub fn g652() -> Self {
        SingleModeFiber {
            attenuation_db_per_km: 0.4,
            reference_wavelength_m: 1310e-9,
            dispersion: DispersionSpec { lambda0_min_m: 1300e-9, lambda0_max_m: 1324e-9, s0_ps_per_nm2_km: 0.093 },
        }
    }

    /// Attenuation at `wavelength_m`, dB/km, scaled from the reference wavelength by the Rayleigh
    /// shape of the 802.3 link model (0.4 dB/km @1310 nm → 0.4198 @1260 nm, derived).
    /// The model has no water peak and overestimates C-band loss of modern fiber (0.34 vs ~0.2–0.3):
    /// set `attenuation_db_per_km` at 1550 nm for C-band work.
    pub fn attenuation_db_per_km(&self, wavelength_m: f64) -> f64 {
        scale_attenuation(self.attenuation_db_per_km, self.reference_wavelength_m, wavelength_m)
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_range("attenuation_db_per_km", self.attenuation_db_per_km, 0.0, 10.0, "dB/km")?;
        WAVELENGTH_M.check("reference_wavelength_m", self.reference_wavelength_m)?;
        self.dispersion.validate()
    }
}

impl DispersionSpec {
    fn validate(&self) -> Result<()> {
        check_range("lambda0_min_m", self.lambda0_min_m, 1e-6, 1.7e-6, "m")?;
        check_range("lambda0_max_m", self.lambda0_max_m, self.lambda0_min_m, 1.7e-6, "m")?;
        check_range("s0_ps_per_nm2_km", self.s0_ps_per_nm2_km, 0.0, 0.5, "ps/(nm^2 km)").map(|_| ())
    }
}

/// Multimode fiber grade (TIA-492AAAx / ISO OM classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MmfGrade {
    /// OM3: EMB 2000 MHz·km at 850 nm.
    Om3,
    /// OM4: EMB 4700 MHz·km at 850 nm.
    Om4,
    /// OM5: EMB 4700 MHz·km at 850 nm (2470 at 953 nm).
    Om5,
}

/// Multimode fiber at VCSEL wavelengths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MultiModeFiber {
    /// Grade.
    pub grade: MmfGrade,
    /// Effective modal bandwidth, Hz·m (MHz·km × 1e9).
    pub modal_bandwidth_hz_m: f64,
    /// Attenuation at 850 nm, dB/km (optical).
    pub attenuation_db_per_km: f64,
    /// Dispersion parameters (λ0 1295–1340 nm, S0 ≤ 0.105 ps/(nm²·km)).
    pub dispersion: DispersionSpec,
    /// RMS spectral width of the source, m (drives the chromatic bandwidth).
    pub spectral_width_rms_m: f64,
}

impl MultiModeFiber {
    /// OM3/OM4/OM5 with EMB at 850 nm from the TIA FOTC summary \[P\], 3.5 dB/km IEEE budgeting
    /// attenuation \[P\], λ0 1295–1340 nm and S0 0.105 ps/(nm²·km) \[P, same summary\], and a
    /// 0.6 nm RMS source width (the IEEE 802.3cm-2020 400GBASE-SR8 Tx limit, recalled-unverified).
    pub fn new(grade: MmfGrade) -> Self {
        let emb_mhz_km = match grade {
            MmfGrade::Om3 => 2000.0,
            MmfGrade::Om4 | MmfGrade::Om5 => 4700.0,
        };
        MultiModeFiber {
            grade,
            modal_bandwidth_hz_m: emb_mhz_km * 1e9,
            attenuation_db_per_km: 3.5,
            dispersion: DispersionSpec { lambda0_min_m: 1295e-9, lambda0_max_m: 1340e-9, s0_ps_per_nm2_km: 0.105 },
            spectral_width_rms_m: 0.6e-9,
        }
    }

    /// Attenuation at `wavelength_m`, dB/km, Rayleigh-scaled from 850 nm.
    pub fn attenuation_db_per_km(&self, wavelength_m: f64) -> f64 {
        scale_attenuation(self.attenuation_db_per_km, 850e-9, wavelength_m)
    }

    /// Optical 3 dB bandwidth of a length, Hz, combining modal and chromatic bandwidth as
    /// Gaussians: `1/B² = 1/B_modal² + 1/B_cd²`, `B_modal = EMB/L`,
    /// `B_cd = 0.187/(Δλ_rms·sqrt((D1·L)² + (D2·L)²))` with `D2 = 0.7·S0·Δλ`
    /// (10GEPBud \[P\]; Gaussian model derived, `docs/models.md` §3).
    pub fn bandwidth_hz(&self, wavelength_m: f64, length_m: f64) -> f64 {
        let b_modal = self.modal_bandwidth_hz_m / length_m;
        let width_nm = self.spectral_width_rms_m * 1e9;
        let d1 = self.dispersion.worst_abs_ps_per_nm_km(wavelength_m, wavelength_m);
        let d2 = 0.7 * self.dispersion.s0_ps_per_nm2_km * width_nm;
        let spread_ps = width_nm * (d1.hypot(d2)) * length_m / 1e3;
        if spread_ps == 0.0 {
            return b_modal;
        }
        let b_cd = 0.187 / (spread_ps * 1e-12);
        1.0 / (b_modal.powi(-2) + b_cd.powi(-2)).sqrt()
    }

    /// Gaussian optical power transfer `H(f) = 2^{−(f/B)²}` (derived, consistent with 10GEPBud): the electrical
    /// amplitude response of the photocurrent, so its electrical 3 dB point is `B/√2`.
    pub fn transfer(&self, freq_hz: f64, wavelength_m: f64, length_m: f64) -> f64 {
        if length_m == 0.0 {
            return 1.0;
        }
        2f64.powf(-(freq_hz / self.bandwidth_hz(wavelength_m, length_m)).powi(2))
    }

    /// Longest length whose electrical 3 dB bandwidth is at least `freq_hz` (`B(L) ≥ √2·f`),
    /// found by bisection (B falls monotonically with length).
    pub fn bandwidth_limited_length_m(&self, freq_hz: f64, wavelength_m: f64) -> f64 {
        let need = std::f64::consts::SQRT_2 * freq_hz;
        let wide_enough = |l: f64| self.bandwidth_hz(wavelength_m, l) >= need;
        bisect_boundary(wide_enough, 0.0, self.modal_bandwidth_hz_m / need, 0.0).0
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_range("modal_bandwidth_hz_m", self.modal_bandwidth_hz_m, 1e9, 1e14, "Hz m")?;
        check_range("attenuation_db_per_km", self.attenuation_db_per_km, 0.0, 20.0, "dB/km")?;
        check_range("spectral_width_rms_m", self.spectral_width_rms_m, 0.0, 10e-9, "m")?;
        self.dispersion.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IEEE: DispersionSpec =
        DispersionSpec { lambda0_min_m: 1300e-9, lambda0_max_m: 1324e-9, s0_ps_per_nm2_km: 0.093 };

    /// The formula written out independently in ps, nm and km.
    fn formula(lambda_nm: f64, lambda0_nm: f64, s0: f64) -> f64 {
        s0 / 4.0 * (lambda_nm - lambda0_nm.powi(4) / lambda_nm.powi(3))
    }

    #[test]
    fn dispersion_equals_standard_formula_to_1e9() {
        for lambda_nm in [850.0, 1271.0, 1304.5, 1311.0, 1317.5, 1331.0, 1550.0, 1565.0] {
            for lambda0_nm in [1295.0, 1300.0, 1312.0, 1324.0, 1340.0] {
                let got = dispersion_ps_per_nm_km(lambda_nm * 1e-9, lambda0_nm * 1e-9, 0.093);
                let want = formula(lambda_nm, lambda0_nm, 0.093);
                assert!(((got - want) / want).abs() < 1e-9, "{lambda_nm} {lambda0_nm}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn worst_case_dispersion_matches_ieee_table() {
        // Derived (`docs/models.md` §3): DR band 0.5 km −0.927/+0.798; CWDM band 2 km −11.873/+6.687 ps/nm.
        let (lo, hi) = IEEE.range_ps_per_nm_km(1304.5e-9, 1317.5e-9);
        assert!((lo * 0.5 + 0.927).abs() < 1e-3 && (hi * 0.5 - 0.798).abs() < 1e-3, "{lo} {hi}");
        let (lo, hi) = IEEE.range_ps_per_nm_km(1264.5e-9, 1337.5e-9);
        assert!((lo * 2.0 + 11.873).abs() < 1e-3 && (hi * 2.0 - 6.687).abs() < 1e-3, "{lo} {hi}");
        let (lo, hi) = IEEE.range_ps_per_nm_km(1304.5e-9, 1317.5e-9);
        assert!((lo * 10.0 + 18.546).abs() < 2e-3 && (hi * 10.0 - 15.954).abs() < 2e-3);
    }

    #[test]
    fn d1550_range_matches_derived_values() {
        // Derived (`docs/models.md` §3): D(1550) = 16.67 (λ0 1324) … 18.01 (λ0 1300) with S0 = 0.092.
        assert!((dispersion_ps_per_nm_km(1550e-9, 1324e-9, 0.092) - 16.67).abs() < 0.01);
        assert!((dispersion_ps_per_nm_km(1550e-9, 1300e-9, 0.092) - 18.01).abs() < 0.01);
    }

    #[test]
    fn power_fading_nulls_match_worked_examples() {
        // Derived (`docs/models.md` §3): first null f1 = sqrt(c/(2λ²|D|L)): 1550 nm, D = 17, 4.25 km → 29.4 GHz;
        // 1 km → 60.6 GHz; 1271 nm, D = −5.25, 2 km → 94 GHz.
        let null = |lambda: f64, d: f64, l: f64| {
            (SPEED_OF_LIGHT_M_PER_S / (2.0 * lambda * lambda * d.abs() * 1e-6 * l)).sqrt()
        };
        assert!((null(1550e-9, 17.0, 4250.0) / 1e9 - 29.4).abs() < 0.1);
        assert!((null(1550e-9, 17.0, 1000.0) / 1e9 - 60.6).abs() < 0.1);
        assert!((null(1271e-9, -5.25, 2000.0) / 1e9 - 94.0).abs() < 0.5);
        // ...and the transfer really is zero there, and 3 dB (electrical) at the dispersion limit.
        let f1 = null(1550e-9, 17.0, 4250.0);
        assert!(im_dd_dispersion_transfer(f1, 1550e-9, 17.0, 4250.0, 0.0).abs() < 1e-9);
        let l3 = dispersion_limited_length_m(30e9, 1550e-9, 17.0);
        let h = im_dd_dispersion_transfer(30e9, 1550e-9, 17.0, l3, 0.0);
        assert!((h * h - 0.5).abs() < 1e-12);
    }

    #[test]
    fn smf_attenuation_scales_as_link_model() {
        // 10GEPBud wavelength scaling, derived: 0.4 dB/km @1310 → 0.4198 dB/km @1260 nm.
        let smf = SingleModeFiber::g652();
        assert!((smf.attenuation_db_per_km(1260e-9) - 0.4198).abs() < 1e-3);
        assert!((smf.attenuation_db_per_km(1310e-9) - 0.4).abs() < 1e-12);
        // 3.5 dB/km nominal at 850 nm → 3.62 dB/km at 840 nm.
        let mmf = MultiModeFiber::new(MmfGrade::Om4);
        assert!((mmf.attenuation_db_per_km(840e-9) - 3.62).abs() < 0.01);
    }

    #[test]
    fn mmf_modal_bandwidth_matches_worked_examples() {
        // Derived (`docs/models.md` §3): OM4 100 m → B = 47 GHz; OM3 70 m → 28.6 GHz (modal only).
        let mut om4 = MultiModeFiber::new(MmfGrade::Om4);
        om4.spectral_width_rms_m = 0.0;
        assert!((om4.bandwidth_hz(850e-9, 100.0) / 1e9 - 47.0).abs() < 0.01);
        let mut om3 = MultiModeFiber::new(MmfGrade::Om3);
        om3.spectral_width_rms_m = 0.0;
        assert!((om3.bandwidth_hz(850e-9, 70.0) / 1e9 - 28.57).abs() < 0.01);
        // Gaussian response is 3 dB optical (half power) at B and 3 dB electrical at B/√2.
        assert!((om4.transfer(47e9, 850e-9, 100.0) - 0.5).abs() < 1e-12);
        let b = om4.bandwidth_hz(850e-9, 100.0);
        let h = om4.transfer(b / std::f64::consts::SQRT_2, 850e-9, 100.0);
        assert!((h * h - 0.5).abs() < 1e-12);
        // With a 0.6 nm source the chromatic term narrows it.
        let full = MultiModeFiber::new(MmfGrade::Om4);
        assert!(full.bandwidth_hz(850e-9, 100.0) < 0.8 * b);
        let l = full.bandwidth_limited_length_m(26.5625e9, 850e-9);
        assert!((full.bandwidth_hz(850e-9, l) - std::f64::consts::SQRT_2 * 26.5625e9).abs() < 1e3);
    }
}
