//! Electro-optic transfer of the modulators and directly modulated lasers.
//!
//! Each model has two parts: a linear electrical response acting on the drive (bandwidth) and a
//! static transfer from drive to optical power. The drive `u` is normalised (±1 at the outer
//! levels); external modulators see the voltage `v = u·swing/2`.

use crate::error::{Bounds, Error, Result, check_range};
use crate::signal::filters::{FilterKind, LowPass};
use crate::units::SPEED_OF_LIGHT_M_PER_S;
use num_complex::Complex64;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Bandwidths of the modulators' electrical responses (and a laser's parasitic pole): 100 MHz to
/// 10 THz. The top of the range is no roll-off at all below 50 × 200 GBd, for comparison with
/// ideal (unfiltered) models; a 1 THz pole still leaves 0.97 at 240 GHz and rings on a held drive.
pub const BANDWIDTH_HZ: Bounds = Bounds::new(1e8, 1e13, "Hz");
/// Optical insertion loss of an external modulator: 0 to 30 dB.
pub const INSERTION_LOSS_DB: Bounds = Bounds::new(0.0, 30.0, "dB");

/// Which modulator a link uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModulatorKind {
    /// Mach–Zehnder modulator with a CW laser.
    Mzm,
    /// Electro-absorption modulated laser.
    Eam,
    /// Silicon microring (all-pass) with a CW laser.
    Ring,
    /// Directly modulated VCSEL (850 nm class).
    Vcsel,
    /// Directly modulated DFB laser.
    Dml,
}

impl ModulatorKind {
    /// Parses mzm, eam (or eml), ring (or microring), vcsel, dml.
    pub fn parse(text: &str, field: &str) -> Result<ModulatorKind> {
        Ok(match text.to_ascii_lowercase().as_str() {
            "mzm" => ModulatorKind::Mzm,
            "eam" | "eml" => ModulatorKind::Eam,
            "ring" | "microring" => ModulatorKind::Ring,
            "vcsel" => ModulatorKind::Vcsel,
            "dml" => ModulatorKind::Dml,
            _ => return Err(Error::invalid(field, format!("'{text}'"), "expected mzm, eam, ring, vcsel or dml")),
        })
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            ModulatorKind::Mzm => "mzm",
            ModulatorKind::Eam => "eam",
            ModulatorKind::Ring => "ring",
            ModulatorKind::Vcsel => "vcsel",
            ModulatorKind::Dml => "dml",
        }
    }
}

fn db_to_ratio(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

/// Mach–Zehnder modulator, push-pull (chirp-free) with finite extinction ratio:
/// **`P = P_in·IL·½·[1 + s·cos(π(V + V_b)/Vπ)]`**, `s = (ER − 1)/(ER + 1)` (\[D\], `docs/models.md` §4,
/// equivalent to OptiCommPy's arm-imbalance form \[P\]); quadrature at `V_b = −Vπ/2`. Traveling-wave
/// bandwidth as a first-order response of the drive \[est\].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Mzm {
    /// Half-wave voltage, V. Default 3 V: Si depletion TW-MZM, VπL ≈ 1.5–3 V·cm at 1 cm \[S\].
    pub vpi_v: f64,
    /// Bias, V; `None` is quadrature (−Vπ/2).
    pub bias_v: Option<f64>,
    /// Static extinction ratio, dB. Default 25 dB \[est\].
    pub extinction_ratio_db: f64,
    /// Insertion loss, dB. Default 4 dB \[est\].
    pub insertion_loss_db: f64,
    /// Electro-optic 3 dB bandwidth, Hz. Default 45 GHz (Si TW-MZM 30–50+ GHz \[S\]).
    pub bandwidth_hz: f64,
}

impl Default for Mzm {
    fn default() -> Self {
        Mzm { vpi_v: 3.0, bias_v: None, extinction_ratio_db: 25.0, insertion_loss_db: 4.0, bandwidth_hz: 45e9 }
    }
}

impl Mzm {
    /// Output power for drive voltage `v` and input power `p_in_w`.
    pub fn power_w(&self, v: f64, p_in_w: f64) -> f64 {
        let er = db_to_ratio(self.extinction_ratio_db);
        let s = (er - 1.0) / (er + 1.0);
        let bias = self.bias_v.unwrap_or(-self.vpi_v / 2.0);
        p_in_w * db_to_ratio(-self.insertion_loss_db) * 0.5 * (1.0 + s * (PI * (v + bias) / self.vpi_v).cos())
    }

    fn validate(&self) -> Result<()> {
        check_range("mzm.vpi_v", self.vpi_v, 0.1, 20.0, "V")?;
        if let Some(b) = self.bias_v {
            check_range("mzm.bias_v", b, -2.0 * self.vpi_v, 2.0 * self.vpi_v, "V")?;
        }
        check_range("mzm.extinction_ratio_db", self.extinction_ratio_db, 1.0, 60.0, "dB")?;
        INSERTION_LOSS_DB.check("mzm.insertion_loss_db", self.insertion_loss_db)?;
        BANDWIDTH_HZ.check("mzm.bandwidth_hz", self.bandwidth_hz).map(|_| ())
    }
}

/// Electro-absorption modulator: `T(V) = exp(−Γ·α(V)·L)` taken as a table `T_dB(V)` interpolated
/// linearly in dB, with a chirp factor α_H and a first-order electrical response (Wiedenhaus 2002;
/// Shim, Liu & Bowers, JQE 2004 \[S/U\]). The default table is an estimate \[est\] of a 1310 nm EML:
/// 1 dB loss at 0 V, ≈ 12 dB at −3 V.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Eam {
    /// Table voltages, V, ascending.
    pub table_v: Vec<f64>,
    /// Transmission at each table voltage, dB (≤ 0).
    pub table_db: Vec<f64>,
    /// Bias, V. Default −1.25 V: the steepest point of the default table in linear power
    /// (`dP/dV` peaks between −1.5 and −1.0 V), the EAM's analogue of MZM quadrature, so the
    /// levels compress least; still RLM 0.83 at the default 1.5 Vpp swing driven linearly, 0.96
    /// with level pre-distortion (SSPRQ through 2 km SMF, `photolink eye --modulator eam`).
    pub bias_v: f64,
    /// Henry chirp factor α_H (phase `φ = (α_H/2)·ln P`). Default 0 \[est\]; real EAMs range ±1.
    pub chirp_alpha: f64,
    /// 3 dB bandwidth, Hz. Default 50 GHz \[est\].
    pub bandwidth_hz: f64,
}

impl Default for Eam {
    fn default() -> Self {
        Eam {
            table_v: vec![-3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0],
            table_db: vec![-12.5, -9.8, -7.0, -4.6, -2.8, -1.6, -1.0],
            bias_v: -1.25,
            chirp_alpha: 0.0,
            bandwidth_hz: 50e9,
        }
    }
}

impl Eam {
    /// Transmission in dB at absolute voltage `v` (clamped to the table ends).
    pub fn transmission_db(&self, v: f64) -> f64 {
        let (t, y) = (&self.table_v, &self.table_db);
        let i = t.partition_point(|&x| x <= v).clamp(1, t.len() - 1);
        let a = ((v - t[i - 1]) / (t[i] - t[i - 1])).clamp(0.0, 1.0);
        y[i - 1] + a * (y[i] - y[i - 1])
    }

    /// Output power for drive voltage `v` (added to the bias) and input power `p_in_w`.
    pub fn power_w(&self, v: f64, p_in_w: f64) -> f64 {
        p_in_w * db_to_ratio(self.transmission_db(self.bias_v + v))
    }

    fn validate(&self) -> Result<()> {
        let ok = self.table_v.len() >= 2
            && self.table_v.len() == self.table_db.len()
            && self.table_v.windows(2).all(|w| w[1] > w[0])
            && self.table_db.iter().all(|&d| (-60.0..=0.0).contains(&d));
        if !ok {
            return Err(Error::invalid(
                "eam.table_v/eam.table_db",
                format!("{:?} / {:?}", self.table_v, self.table_db),
                "expected ≥ 2 ascending voltages and as many transmissions in -60 ..= 0 dB",
            ));
        }
        check_range("eam.bias_v", self.bias_v, -10.0, 2.0, "V")?;
        check_range("eam.chirp_alpha", self.chirp_alpha, -10.0, 10.0, "")?;
        BANDWIDTH_HZ.check("eam.bandwidth_hz", self.bandwidth_hz).map(|_| ())
    }
}

/// Silicon microring (all-pass), Lorentzian through port near resonance:
/// **`T(Δλ) = 1 − (1 − T_min)/(1 + (2Δλ/δλ)²)`**, `δλ = λ0/Q_L` \[T\]. The drive
/// shifts the resonance linearly (`Δλ_res = k·V`, tens of pm/V \[S\]); the laser sits `detuning` on the
/// blue side, so a positive drive moves the resonance away and raises the power. Speed: photon
/// lifetime `f_opt = ν0/Q_L` and RC limit combined as `1/f² = 1/f_opt² + 1/f_RC²`, a first-order
/// response of the drive \[T\] (small-signal approximation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Microring {
    /// Loaded Q. Default 5000 (photon-lifetime bandwidth 46 GHz at 1310 nm \[D\]).
    pub q_loaded: f64,
    /// Transmission at resonance, dB. Default −20 dB \[est\] (near-critical coupling).
    pub min_transmission_db: f64,
    /// Resonance shift per volt, pm/V. Default 30 pm/V (tens of pm/V \[S\]).
    pub shift_pm_per_v: f64,
    /// Laser detuning from the unbiased resonance, pm; `None` is the steepest slope `δλ/(2√3)` \[D\].
    pub detuning_pm: Option<f64>,
    /// RC-limited bandwidth `1/(2πR_sC_j)`, Hz. Default 60 GHz \[est\].
    pub rc_bandwidth_hz: f64,
    /// Insertion loss off resonance (coupling, waveguides), dB. Default 1 dB \[est\].
    pub insertion_loss_db: f64,
}

impl Default for Microring {
    fn default() -> Self {
        Microring {
            q_loaded: 5000.0,
            min_transmission_db: -20.0,
            shift_pm_per_v: 30.0,
            detuning_pm: None,
            rc_bandwidth_hz: 60e9,
            insertion_loss_db: 1.0,
        }
    }
}

impl Microring {
    /// Full width at half maximum `δλ = λ0/Q_L`, m.
    pub fn linewidth_m(&self, wavelength_m: f64) -> f64 {
        wavelength_m / self.q_loaded
    }

    /// Lorentzian through-port transmission at laser-to-resonance offset `delta_m`.
    pub fn transmission(&self, delta_m: f64, wavelength_m: f64) -> f64 {
        let x = 2.0 * delta_m / self.linewidth_m(wavelength_m);
        1.0 - (1.0 - db_to_ratio(self.min_transmission_db)) / (1.0 + x * x)
    }

    /// Photon-lifetime bandwidth `ν0/Q_L`, Hz.
    pub fn photon_bandwidth_hz(&self, wavelength_m: f64) -> f64 {
        SPEED_OF_LIGHT_M_PER_S / wavelength_m / self.q_loaded
    }

    /// Combined bandwidth `(1/f_opt² + 1/f_RC²)^(−½)`, Hz.
    pub fn bandwidth_hz(&self, wavelength_m: f64) -> f64 {
        (self.photon_bandwidth_hz(wavelength_m).powi(-2) + self.rc_bandwidth_hz.powi(-2)).powf(-0.5)
    }

    /// Output power for drive voltage `v` and input power `p_in_w`.
    pub fn power_w(&self, v: f64, p_in_w: f64, wavelength_m: f64) -> f64 {
        let detuning = self.detuning_pm.map_or(self.linewidth_m(wavelength_m) / (2.0 * 3f64.sqrt()), |d| d * 1e-12);
        let delta = -detuning - self.shift_pm_per_v * 1e-12 * v;
        p_in_w * db_to_ratio(-self.insertion_loss_db) * self.transmission(delta, wavelength_m)
    }

    fn validate(&self) -> Result<()> {
        check_range("ring.q_loaded", self.q_loaded, 100.0, 1e6, "")?;
        check_range("ring.min_transmission_db", self.min_transmission_db, -60.0, -0.1, "dB")?;
        check_range("ring.shift_pm_per_v", self.shift_pm_per_v, 0.1, 1000.0, "pm/V")?;
        if let Some(d) = self.detuning_pm {
            check_range("ring.detuning_pm", d, -1e4, 1e4, "pm")?;
        }
        BANDWIDTH_HZ.check("ring.rc_bandwidth_hz", self.rc_bandwidth_hz)?;
        INSERTION_LOSS_DB.check("ring.insertion_loss_db", self.insertion_loss_db).map(|_| ())
    }
}

/// Directly modulated laser (VCSEL or DFB), small-signal rate-equation response with a parasitic
/// pole, then the static L–I curve clipped at threshold:
/// **`H(f) = f_r²/(f_r² − f² + j·f·γ/(2π)) · 1/(1 + j·f/f_p)`**, `f_r = D·sqrt(I − I_th)`,
/// `γ = K·f_r² + γ0`; `P = η·max(I − I_th, 0)` (\[S: textbook form; Mutig, TU Berlin\]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DirectLaser {
    /// Threshold current, A.
    pub threshold_a: f64,
    /// Slope efficiency η, W/A.
    pub slope_w_per_a: f64,
    /// Bias current, A.
    pub bias_a: f64,
    /// Peak-to-peak modulation current at full drive, A.
    pub modulation_pp_a: f64,
    /// D-factor, GHz/sqrt(mA).
    pub d_factor_ghz_per_sqrt_ma: f64,
    /// K-factor, ns.
    pub k_factor_ns: f64,
    /// Damping offset γ0, 1/ns.
    pub gamma0_per_ns: f64,
    /// Parasitic pole, Hz.
    pub parasitic_hz: f64,
    /// Henry chirp factor α_H (transient chirp, `φ = (α_H/2)·ln P`).
    pub chirp_alpha: f64,
}

impl Default for DirectLaser {
    fn default() -> Self {
        DirectLaser::vcsel()
    }
}

impl DirectLaser {
    /// 850 nm oxide VCSEL \[est\] set to land at f_r ≈ 21 GHz (850 nm VCSELs > 20 GHz, Hamad et al., JQE 2016 \[P\]):
    /// I_th 0.5 mA, 0.45 W/A, 6 mA bias, 6 mA p-p, D 9 GHz/√mA, K 0.2 ns, γ0 10/ns, parasitic 30 GHz.
    pub fn vcsel() -> DirectLaser {
        DirectLaser {
            threshold_a: 0.5e-3,
            slope_w_per_a: 0.45,
            bias_a: 6e-3,
            modulation_pp_a: 6e-3,
            d_factor_ghz_per_sqrt_ma: 9.0,
            k_factor_ns: 0.2,
            gamma0_per_ns: 10.0,
            parasitic_hz: 30e9,
            chirp_alpha: 0.0,
        }
    }

    /// 1310 nm DFB DML \[est\] for 53 GBd: I_th 8 mA, 0.25 W/A, 50 mA bias, 40 mA p-p, D 4.5 GHz/√mA
    /// (f_r ≈ 29 GHz), K 0.15 ns, γ0 20/ns, parasitic 40 GHz, α_H 2.5.
    pub fn dml() -> DirectLaser {
        DirectLaser {
            threshold_a: 8e-3,
            slope_w_per_a: 0.25,
            bias_a: 50e-3,
            modulation_pp_a: 40e-3,
            d_factor_ghz_per_sqrt_ma: 4.5,
            k_factor_ns: 0.15,
            gamma0_per_ns: 20.0,
            parasitic_hz: 40e9,
            chirp_alpha: 2.5,
        }
    }

    /// Relaxation-oscillation frequency at the bias, Hz.
    pub fn resonance_hz(&self) -> f64 {
        self.d_factor_ghz_per_sqrt_ma * 1e9 * ((self.bias_a - self.threshold_a).max(0.0) * 1e3).sqrt()
    }

    /// Damping rate γ = K·f_r² + γ0, 1/s.
    pub fn damping_per_s(&self) -> f64 {
        let fr_ghz = self.resonance_hz() / 1e9;
        (self.k_factor_ns * fr_ghz * fr_ghz + self.gamma0_per_ns) * 1e9
    }

    /// Small-signal modulation response `H(f)`.
    pub fn response(&self, freq_hz: f64) -> Complex64 {
        let (fr, f) = (self.resonance_hz(), freq_hz);
        let core = fr * fr / Complex64::new(fr * fr - f * f, f * self.damping_per_s() / (2.0 * PI));
        core / Complex64::new(1.0, f / self.parasitic_hz)
    }

    /// Output power for normalised drive `u`: `I = I_bias + u·I_pp/2`, clipped at threshold.
    pub fn power_w(&self, u: f64) -> f64 {
        self.slope_w_per_a * (self.bias_a + 0.5 * u * self.modulation_pp_a - self.threshold_a).max(0.0)
    }

    fn validate(&self, section: &str) -> Result<()> {
        let f = |name: &str| format!("{section}.{name}");
        check_range(&f("threshold_a"), self.threshold_a, 0.0, 1.0, "A")?;
        check_range(&f("slope_w_per_a"), self.slope_w_per_a, 1e-3, 10.0, "W/A")?;
        check_range(&f("bias_a"), self.bias_a, self.threshold_a + 1e-6, 2.0, "A")?;
        check_range(&f("modulation_pp_a"), self.modulation_pp_a, 0.0, 2.0, "A")?;
        check_range(&f("d_factor_ghz_per_sqrt_ma"), self.d_factor_ghz_per_sqrt_ma, 0.1, 100.0, "GHz/sqrt(mA)")?;
        check_range(&f("k_factor_ns"), self.k_factor_ns, 0.0, 10.0, "ns")?;
        check_range(&f("gamma0_per_ns"), self.gamma0_per_ns, 0.0, 1000.0, "1/ns")?;
        BANDWIDTH_HZ.check(&f("parasitic_hz"), self.parasitic_hz)?;
        check_range(&f("chirp_alpha"), self.chirp_alpha, -10.0, 10.0, "").map(|_| ())
    }
}

/// A configured modulator.
#[derive(Debug, Clone, PartialEq)]
pub enum Modulator {
    /// See [`Mzm`].
    Mzm(Mzm),
    /// See [`Eam`].
    Eam(Eam),
    /// See [`Microring`].
    Ring(Microring),
    /// See [`DirectLaser`] (VCSEL or DML; the name is kept for messages).
    Direct(DirectLaser, ModulatorKind),
}

impl Modulator {
    /// Linear response acting on the drive before the static transfer.
    pub fn electrical_response(&self, freq_hz: f64, wavelength_m: f64) -> Complex64 {
        match self {
            Modulator::Mzm(m) => LowPass::new(FilterKind::Rc, m.bandwidth_hz).response(freq_hz),
            Modulator::Eam(m) => LowPass::new(FilterKind::Rc, m.bandwidth_hz).response(freq_hz),
            Modulator::Ring(m) => LowPass::new(FilterKind::Rc, m.bandwidth_hz(wavelength_m)).response(freq_hz),
            Modulator::Direct(m, _) => {
                let h = m.response(freq_hz.abs());
                if freq_hz < 0.0 { h.conj() } else { h }
            }
        }
    }

    /// Optical power for normalised drive `u`, driver swing and CW laser power (ignored by
    /// directly modulated lasers).
    pub fn power_w(&self, u: f64, swing_v: f64, laser_w: f64, wavelength_m: f64) -> f64 {
        let v = 0.5 * swing_v * u;
        match self {
            Modulator::Mzm(m) => m.power_w(v, laser_w),
            Modulator::Eam(m) => m.power_w(v, laser_w),
            Modulator::Ring(m) => m.power_w(v, laser_w, wavelength_m),
            Modulator::Direct(m, _) => m.power_w(u),
        }
    }

    /// Henry factor of the transient chirp.
    pub fn chirp_alpha(&self) -> f64 {
        match self {
            Modulator::Eam(m) => m.chirp_alpha,
            Modulator::Direct(m, _) => m.chirp_alpha,
            Modulator::Mzm(_) | Modulator::Ring(_) => 0.0,
        }
    }

    /// Checks the parameters, naming fields as in a link file.
    pub fn validate(&self) -> Result<()> {
        match self {
            Modulator::Mzm(m) => m.validate(),
            Modulator::Eam(m) => m.validate(),
            Modulator::Ring(m) => m.validate(),
            Modulator::Direct(m, kind) => m.validate(kind.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mzm_matches_closed_form() {
        let m = Mzm { extinction_ratio_db: 20.0, insertion_loss_db: 3.0, ..Mzm::default() };
        let (er, il) = (100.0, 10f64.powf(-0.3));
        let s = (er - 1.0) / (er + 1.0);
        // Quadrature: half power; ±Vπ/2 reaches the extremes ½(1 ± s).
        assert!((m.power_w(0.0, 1.0) - 0.5 * il).abs() < 1e-12);
        assert!((m.power_w(1.5, 1.0) - 0.5 * il * (1.0 + s)).abs() < 1e-12);
        assert!((m.power_w(-1.5, 1.0) - 0.5 * il * (1.0 - s)).abs() < 1e-12);
        // ER of the extremes equals the set ER; large-signal OMA = s·P_in·IL·sin(π·Vpp/(2Vπ))
        // (`docs/models.md` §4).
        assert!((m.power_w(1.5, 1.0) / m.power_w(-1.5, 1.0) - er).abs() < 1e-9);
        let vpp = 1.2;
        let oma = m.power_w(vpp / 2.0, 1.0) - m.power_w(-vpp / 2.0, 1.0);
        assert!((oma - s * il * (PI * vpp / (2.0 * 3.0)).sin()).abs() < 1e-12);
    }

    #[test]
    fn ring_is_lorentzian() {
        let r = Microring::default();
        let lambda = 1311e-9;
        let w = r.linewidth_m(lambda);
        assert!((w - 262.2e-12).abs() < 0.1e-12);
        assert!((r.transmission(0.0, lambda) - 0.01).abs() < 1e-12);
        // Half width: halfway between T_min and 1.
        assert!((r.transmission(w / 2.0, lambda) - (1.0 + 0.01) / 2.0).abs() < 1e-12);
        assert!((r.transmission(w, lambda) - (1.0 - 0.99 / 5.0)).abs() < 1e-12);
        // Photon-lifetime bandwidth at Q 5000, 1310 nm: 46 GHz (derived, `docs/models.md` §4).
        assert!((r.photon_bandwidth_hz(1310e-9) / 1e9 - 45.8).abs() < 0.1);
        assert!(r.power_w(0.75, 1.0, lambda) > r.power_w(-0.75, 1.0, lambda));
    }

    #[test]
    fn vcsel_response_matches_closed_form() {
        let v = DirectLaser::vcsel();
        let fr = 9e9 * 5.5f64.sqrt();
        assert!((v.resonance_hz() - fr).abs() < 1.0);
        let gamma = (0.2 * (fr / 1e9).powi(2) + 10.0) * 1e9;
        for f in [1e9, 10e9, 20e9, 40e9] {
            let expected =
                fr * fr / Complex64::new(fr * fr - f * f, f * gamma / (2.0 * PI)) / Complex64::new(1.0, f / 30e9);
            assert!((v.response(f) - expected).norm() < 1e-12);
        }
        assert!((v.response(0.0).re - 1.0).abs() < 1e-12);
        // Relaxation peaking above DC before the roll-off.
        assert!(v.response(0.8 * fr).norm() > 1.0);
        // Clipping at threshold.
        let deep = DirectLaser { modulation_pp_a: 20e-3, ..v };
        assert_eq!(deep.power_w(-1.0), 0.0);
    }

    #[test]
    fn eam_table_interpolates_in_db() {
        let e = Eam::default();
        assert!((e.transmission_db(-1.25) + 3.7).abs() < 1e-12);
        assert_eq!(e.transmission_db(-5.0), -12.5);
        assert!(Modulator::Eam(Eam { table_v: vec![0.0, -1.0], ..e }).validate().is_err());
        assert!(ModulatorKind::parse("laser", "--modulator").is_err());
    }
}
