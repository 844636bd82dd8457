//! COM parameter sets (IEEE 802.3 Table 93A-1 and the clause tables that fill it in).
//!
//! Field names follow Table 93A-1 and PyChOpMarg's `COMParams` (`fb`, `fstep`, `L`, `M`,
//! `DER_0`, `A_v`, …) with the unit appended, in the units the tables use (GHz, ns, nF, nH, mm,
//! V²/GHz), so that a sheet, a PyChOpMarg config and this struct compare line by line. The
//! pipeline converts to SI where it uses them.

use crate::error::{Error, Result, check_range};
use serde::{Deserialize, Serialize};

/// The device package of one end (93A.1.2): the die ladder, a bump capacitance, a package
/// transmission line of one or more segments and a pad capacitance, all referred to `R_0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageParams {
    /// Die termination resistance `R_d` (Ω, single-ended); sets Γ of (93A-17) against `R_0`.
    pub r_d_ohm: f64,
    /// Die capacitances `C_d` of the ladder segments (nF), die side first (one segment: 93A-8).
    pub c_d_nf: Vec<f64>,
    /// Series inductances `L_s` of the ladder segments (nH), one per `C_d`; 0 for none.
    pub l_s_nh: Vec<f64>,
    /// Bump capacitance `C_b` (nF) after the ladder; 0 for none.
    pub c_b_nf: f64,
    /// Pad capacitance `C_p` (nF) at the channel side of the package.
    pub c_p_nf: f64,
    /// Characteristic impedance of each package line segment `Z_c` (Ω, differential).
    pub z_c_ohm: Vec<f64>,
    /// Line loss constant `γ_0` (1/mm) of (93A-10).
    pub gamma0_per_mm: f64,
    /// Skin-effect coefficient `a_1` (1/(mm·√GHz)) of (93A-11).
    pub a1: f64,
    /// Dielectric coefficient `a_2` (1/(mm·GHz)) of (93A-12).
    pub a2: f64,
    /// Propagation delay `τ` (ns/mm) of (93A-13).
    pub tau_ns_per_mm: f64,
}

/// One package test case: the line-segment lengths `z_p` (mm, one per `z_c_ohm` segment) of
/// each end. The victim transmitter uses `tx`, the receiver `rx`, near-end aggressors `next`
/// and far-end aggressors `fext` (93A.1.2, "z_p select").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageCase {
    /// Victim transmitter package segments, mm.
    pub z_p_tx_mm: Vec<f64>,
    /// Receiver package segments, mm.
    pub z_p_rx_mm: Vec<f64>,
    /// NEXT aggressor transmitter package segments, mm.
    pub z_p_next_mm: Vec<f64>,
    /// FEXT aggressor transmitter package segments, mm.
    pub z_p_fext_mm: Vec<f64>,
}

/// A COM parameter set (Table 93A-1 and the clause that fills it in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComParams {
    /// Name of the set (e.g. `802.3by`).
    pub name: String,
    /// Signalling rate `f_b` (GBd).
    pub fb_gbd: f64,
    /// Frequency step `f_step` of the grid (GHz); the time record is `1/f_step` long.
    pub fstep_ghz: f64,
    /// Number of signal levels `L` (2 = NRZ, 4 = PAM4).
    pub l: usize,
    /// Samples per UI `M`.
    pub m: usize,
    /// Target detector error ratio `DER_0`.
    pub der_0: f64,
    /// Transmitter 20–80 % rise time `T_r` (ns) of (93A-46); 0 applies no rise-time filter
    /// (MATLAB COM's KR4 sheet).
    pub t_r_ns: f64,
    /// Level separation mismatch ratio `R_LM`.
    pub rlm: f64,
    /// Victim differential peak output voltage `A_v` (V).
    pub a_v_v: f64,
    /// Far-end aggressor peak output voltage `A_fe` (V).
    pub a_fe_v: f64,
    /// Near-end aggressor peak output voltage `A_ne` (V).
    pub a_ne_v: f64,
    /// Reference impedance `R_0` (Ω, single-ended).
    pub r_0_ohm: f64,
    /// Dual-Dirac jitter `A_DD` (UI).
    pub a_dd_ui: f64,
    /// Transmitter SNR `SNR_TX` (dB) of (93A-30).
    pub snr_tx_db: f64,
    /// One-sided noise spectral density `η_0` (V²/GHz) of (93A-35).
    pub eta_0_v2_per_ghz: f64,
    /// Random jitter `σ_RJ` (UI).
    pub sigma_rj_ui: f64,
    /// CTLE zero `f_z` (GHz) of (93A-22).
    pub f_z_ghz: f64,
    /// CTLE first pole `f_p1` (GHz).
    pub f_p1_ghz: f64,
    /// CTLE second pole `f_p2` (GHz).
    pub f_p2_ghz: f64,
    /// CTLE low-frequency pole/zero `f_LF` (GHz) (802.3ck/dj form; inert when `g_DC2` is 0).
    pub f_lf_ghz: f64,
    /// CTLE DC gains `g_DC` searched (dB).
    pub g_dc_db: Vec<f64>,
    /// Low-frequency CTLE gains `g_DC2` searched (dB); `[0]` for the one-stage CTLE.
    pub g_dc2_db: Vec<f64>,
    /// Tx FFE pre/post taps minimum, `[c(−3), c(−2), c(−1), c(1), c(2), c(3)]`.
    pub tx_taps_min: Vec<f64>,
    /// Tx FFE taps maximum, same order.
    pub tx_taps_max: Vec<f64>,
    /// Tx FFE taps step, same order (0: the tap stays at its minimum).
    pub tx_taps_step: Vec<f64>,
    /// Minimum main tap `c(0)` (93A-21: `c(0) = 1 − Σ|c(k)|`).
    pub c0_min: f64,
    /// Receiver filter 3-dB frequency `f_r` in units of `f_b` (93A-20).
    pub f_r_fb: f64,
    /// DFE tap minima `b_min(n)`, n = 1 … N_b (normalised to the cursor).
    pub dfe_min: Vec<f64>,
    /// DFE tap maxima `b_max(n)`.
    pub dfe_max: Vec<f64>,
    /// Package model (both ends use the same one).
    pub package: PackageParams,
    /// Package test cases; COM is the lowest over them.
    pub cases: Vec<PackageCase>,
    /// Which ISI samples the FOM of the search counts (the final COM always counts them all).
    #[serde(default)]
    pub fom_isi: FomIsi,
}

/// The ISI samples counted by σ_ISI in the FOM of the equalizer search (93A-31).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FomIsi {
    /// Every UI of the record except the cursor, pre-cursors included, as (93A-31) is written.
    #[default]
    AllPrecursors,
    /// The cursor and after only, as PyChOpMarg 3.4.0 scores a point without an Rx FFE
    /// (its pre-cursor count is the Rx FFE's, 0). For side-by-side runs with it.
    FromCursor,
}

/// Names of the built-in parameter sets.
pub const BUILT_IN: &[&str] = &["802.3by", "802.3ck-kr"];

impl ComParams {
    /// A built-in parameter set by name (see [`BUILT_IN`]).
    pub fn built_in(name: &str) -> Result<ComParams> {
        match name {
            "802.3by" => Ok(Self::ieee_8023by()),
            "802.3ck-kr" => Ok(Self::ieee_8023ck_kr()),
            _ => Err(Error::invalid("config", format!("{name:?}"), format!("expected one of {}", BUILT_IN.join(", ")))),
        }
    }

    /// 25 Gb/s NRZ backplane (100GBASE-KR4 / 25GBASE-KR, IEEE 802.3by; Table 93A-1 with
    /// Table 93-8 values) as the MATLAB COM v2.60 `100GBASE-KR4` sheet runs it: f_b 25.78125 GBd,
    /// f_step 10 MHz, M 32, DER_0 1e-5, A_v/A_fe/A_ne 0.4/0.4/0.6 V, R_0 50 Ω, R_d 55 Ω,
    /// A_DD 0.05 UI, SNR_TX 27 dB, η_0 5.2e-8 V²/GHz, σ_RJ 0.01 UI, f_r 0.75 f_b, CTLE
    /// f_z = f_p1 = f_b/4, f_p2 = f_b, g_DC 0…−12 dB, Tx c(−1) −0.18…0 and c(1) −0.38…0 in
    /// 0.02 steps with c(0) ≥ 0.62, 14 DFE taps |b| ≤ 1, no Rx FFE; package C_d 250 fF,
    /// C_p 180 fF, Z_c 78.2 Ω, γ0 0, a1 1.734e-3, a2 1.455e-4, τ 6.141e-3 ns/mm, z_p 12 mm
    /// (case 1) and 30 mm (case 2, NEXT at 12 mm); no Tx rise-time filter (MATLAB applies
    /// T_r only when forced).
    pub fn ieee_8023by() -> ComParams {
        let fb = 25.78125;
        ComParams {
            name: "802.3by".into(),
            fb_gbd: fb,
            fstep_ghz: 0.01,
            l: 2,
            m: 32,
            der_0: 1e-5,
            t_r_ns: 0.0,
            rlm: 1.0,
            a_v_v: 0.4,
            a_fe_v: 0.4,
            a_ne_v: 0.6,
            r_0_ohm: 50.0,
            a_dd_ui: 0.05,
            snr_tx_db: 27.0,
            eta_0_v2_per_ghz: 5.2e-8,
            sigma_rj_ui: 0.01,
            f_z_ghz: fb / 4.0,
            f_p1_ghz: fb / 4.0,
            f_p2_ghz: fb,
            f_lf_ghz: 1.0,
            g_dc_db: (0..=12).map(|g| -(g as f64)).collect(),
            g_dc2_db: vec![0.0],
            tx_taps_min: vec![0.0, 0.0, -0.18, -0.38, 0.0, 0.0],
            tx_taps_max: vec![0.0; 6],
            tx_taps_step: vec![0.0, 0.0, 0.02, 0.02, 0.0, 0.0],
            c0_min: 0.62,
            f_r_fb: 0.75,
            dfe_min: vec![-1.0; 14],
            dfe_max: vec![1.0; 14],
            package: PackageParams {
                r_d_ohm: 55.0,
                c_d_nf: vec![2.5e-4],
                l_s_nh: vec![0.0],
                c_b_nf: 0.0,
                c_p_nf: 1.8e-4,
                z_c_ohm: vec![78.2],
                gamma0_per_mm: 0.0,
                a1: 1.734e-3,
                a2: 1.455e-4,
                tau_ns_per_mm: 6.141e-3,
            },
            cases: vec![case(&[12.0], &[12.0], &[12.0], &[12.0]), case(&[30.0], &[30.0], &[12.0], &[30.0])],
            fom_isi: FomIsi::AllPrecursors,
        }
    }

    /// 100 Gb/s PAM4 backplane (100GBASE-KR1 etc., IEEE 802.3ck clause 163, Table 163-10) as
    /// the MATLAB COM 3.70 KR sheet gives it: f_b 53.125 GBd, DER_0 1e-4, A_v = A_fe 0.413 V,
    /// A_ne 0.608 V, R_0 = R_d 50 Ω, SNR_TX 33 dB, A_DD 0.02 UI, σ_RJ 0.01 UI, η_0 8.2e-9,
    /// f_r 0.75 f_b, CTLE f_z = f_p1 = f_b/2.5, f_p2 = f_b, f_LF = f_b/80, g_DC −20…0,
    /// g_DC2 −6…0 dB; Tx c(−3) −0.06…0, c(−2) 0…0.12, c(−1) −0.34…0, c(1) −0.2…0 in 0.02
    /// steps, c(0) ≥ 0.54; 12 DFE taps; package C_d 120 fF, L_s 0.12 nH, C_b 30 fF, C_p 87 fF,
    /// Z_c (87.5, 92.5) Ω over (z_p, 1.8 mm), a1 9.909e-4, a2 2.772e-4, τ 6.141e-3 ns/mm,
    /// z_p 12 mm (case 1), 31 mm Tx/FEXT and 29 mm Rx/NEXT (case 2). Not modelled yet: the
    /// three floating DFE groups (3 taps in 40 UI), so COM here is a lower bound of the sheet's.
    /// `T_r` is 0.01 ns as in the C2C sheet (the KR sheet leaves it to clause 163).
    pub fn ieee_8023ck_kr() -> ComParams {
        let fb = 53.125;
        let mut dfe_max = vec![0.85, 0.3];
        dfe_max.extend([0.2; 5]);
        dfe_max.extend([0.1; 5]);
        let mut dfe_min = vec![-0.3, -0.05];
        dfe_min.extend([-0.03; 10]);
        ComParams {
            name: "802.3ck-kr".into(),
            fb_gbd: fb,
            fstep_ghz: 0.01,
            l: 4,
            m: 32,
            der_0: 1e-4,
            t_r_ns: 0.01,
            rlm: 0.95,
            a_v_v: 0.413,
            a_fe_v: 0.413,
            a_ne_v: 0.608,
            r_0_ohm: 50.0,
            a_dd_ui: 0.02,
            snr_tx_db: 33.0,
            eta_0_v2_per_ghz: 8.2e-9,
            sigma_rj_ui: 0.01,
            f_z_ghz: fb / 2.5,
            f_p1_ghz: fb / 2.5,
            f_p2_ghz: fb,
            f_lf_ghz: fb / 80.0,
            g_dc_db: (0..=20).map(|g| -(g as f64)).collect(),
            g_dc2_db: (0..=6).map(|g| -(g as f64)).collect(),
            tx_taps_min: vec![-0.06, 0.0, -0.34, -0.2, 0.0, 0.0],
            tx_taps_max: vec![0.0, 0.12, 0.0, 0.0, 0.0, 0.0],
            tx_taps_step: vec![0.02, 0.02, 0.02, 0.02, 0.0, 0.0],
            c0_min: 0.54,
            f_r_fb: 0.75,
            dfe_min,
            dfe_max,
            package: PackageParams {
                r_d_ohm: 50.0,
                c_d_nf: vec![1.2e-4],
                l_s_nh: vec![0.12],
                c_b_nf: 3e-5,
                c_p_nf: 8.7e-5,
                z_c_ohm: vec![87.5, 92.5],
                gamma0_per_mm: 0.0,
                a1: 9.909e-4,
                a2: 2.772e-4,
                tau_ns_per_mm: 6.141e-3,
            },
            cases: vec![
                case(&[12.0, 1.8], &[12.0, 1.8], &[12.0, 1.8], &[12.0, 1.8]),
                case(&[31.0, 1.8], &[29.0, 1.8], &[29.0, 1.8], &[31.0, 1.8]),
            ],
            fom_isi: FomIsi::AllPrecursors,
        }
    }

    /// Checks every field against its range; the error names the field, value and range.
    pub fn validate(&self) -> Result<()> {
        check_range("fb_gbd", self.fb_gbd, 1.0, 300.0, "GBd")?;
        check_range("fstep_ghz", self.fstep_ghz, 1e-3, 1.0, "GHz")?;
        if !(2..=16).contains(&self.l) {
            return Err(Error::invalid("L", self.l, "expected 2 ..= 16"));
        }
        if !(8..=256).contains(&self.m) || !self.m.is_multiple_of(2) {
            return Err(Error::invalid("M", self.m, "expected an even number in 8 ..= 256"));
        }
        let samples = (self.m as f64 * self.fb_gbd / self.fstep_ghz).round();
        if samples > 4e6 || (samples / 2.0).fract() != 0.0 {
            return Err(Error::invalid(
                "fstep_ghz",
                self.fstep_ghz,
                "expected M·fb/fstep to be an even number of samples up to 4e6",
            ));
        }
        check_range("DER_0", self.der_0, 1e-15, 1e-2, "")?;
        check_range("T_r_ns", self.t_r_ns, 0.0, 0.05, "ns")?;
        check_range("RLM", self.rlm, 0.5, 1.0, "")?;
        check_range("A_v_v", self.a_v_v, 0.01, 2.0, "V")?;
        check_range("A_fe_v", self.a_fe_v, 0.0, 2.0, "V")?;
        check_range("A_ne_v", self.a_ne_v, 0.0, 2.0, "V")?;
        check_range("R_0_ohm", self.r_0_ohm, 10.0, 200.0, "Ohm")?;
        check_range("A_DD_ui", self.a_dd_ui, 0.0, 0.5, "UI")?;
        check_range("SNR_TX_db", self.snr_tx_db, 10.0, 60.0, "dB")?;
        check_range("eta_0_v2_per_ghz", self.eta_0_v2_per_ghz, 0.0, 1e-5, "V^2/GHz")?;
        check_range("sigma_RJ_ui", self.sigma_rj_ui, 0.0, 0.5, "UI")?;
        for (field, v) in [
            ("f_z_ghz", self.f_z_ghz),
            ("f_p1_ghz", self.f_p1_ghz),
            ("f_p2_ghz", self.f_p2_ghz),
            ("f_LF_ghz", self.f_lf_ghz),
        ] {
            check_range(field, v, 0.01, 1000.0, "GHz")?;
        }
        nonempty("g_DC_db", &self.g_dc_db, -40.0, 0.0)?;
        nonempty("g_DC2_db", &self.g_dc2_db, -40.0, 0.0)?;
        let n_tx = self.tx_taps_min.len();
        if n_tx != 6 || self.tx_taps_max.len() != n_tx || self.tx_taps_step.len() != n_tx {
            return Err(Error::invalid(
                "tx_taps_min/max/step",
                format!("lengths {}/{}/{}", n_tx, self.tx_taps_max.len(), self.tx_taps_step.len()),
                "expected 6 entries each: c(-3), c(-2), c(-1), c(1), c(2), c(3)",
            ));
        }
        for k in 0..n_tx {
            check_range("tx_taps_min", self.tx_taps_min[k], -1.0, 1.0, "")?;
            check_range("tx_taps_max", self.tx_taps_max[k], self.tx_taps_min[k], 1.0, "")?;
            check_range("tx_taps_step", self.tx_taps_step[k], 0.0, 1.0, "")?;
        }
        check_range("c0_min", self.c0_min, 0.0, 1.0, "")?;
        check_range("f_r_fb", self.f_r_fb, 0.05, 5.0, "f_b")?;
        if self.dfe_min.len() != self.dfe_max.len() || self.dfe_min.len() > 64 {
            return Err(Error::invalid(
                "dfe_min/dfe_max",
                format!("lengths {}/{}", self.dfe_min.len(), self.dfe_max.len()),
                "expected equal lengths, at most 64 taps",
            ));
        }
        for (lo, hi) in self.dfe_min.iter().zip(&self.dfe_max) {
            check_range("dfe_min", *lo, -2.0, 2.0, "")?;
            check_range("dfe_max", *hi, *lo, 2.0, "")?;
        }
        self.validate_package()
    }

    fn validate_package(&self) -> Result<()> {
        let p = &self.package;
        check_range("R_d_ohm", p.r_d_ohm, 1.0, 500.0, "Ohm")?;
        if p.c_d_nf.is_empty() || p.c_d_nf.len() != p.l_s_nh.len() {
            return Err(Error::invalid(
                "C_d_nf/L_s_nh",
                format!("lengths {}/{}", p.c_d_nf.len(), p.l_s_nh.len()),
                "expected one L_s per C_d ladder segment, at least one",
            ));
        }
        for (&c, &l) in p.c_d_nf.iter().zip(&p.l_s_nh) {
            check_range("C_d_nf", c, 0.0, 1e-2, "nF")?;
            check_range("L_s_nh", l, 0.0, 10.0, "nH")?;
        }
        check_range("C_b_nf", p.c_b_nf, 0.0, 1e-2, "nF")?;
        check_range("C_p_nf", p.c_p_nf, 0.0, 1e-2, "nF")?;
        nonempty("z_c_ohm", &p.z_c_ohm, 10.0, 500.0)?;
        check_range("gamma0_per_mm", p.gamma0_per_mm, 0.0, 0.1, "1/mm")?;
        check_range("a1", p.a1, 0.0, 0.1, "")?;
        check_range("a2", p.a2, 0.0, 0.1, "")?;
        check_range("tau_ns_per_mm", p.tau_ns_per_mm, 1e-4, 0.1, "ns/mm")?;
        if self.cases.is_empty() {
            return Err(Error::invalid("cases", "none", "expected at least one package test case"));
        }
        for c in &self.cases {
            for (field, z) in [
                ("z_p_tx_mm", &c.z_p_tx_mm),
                ("z_p_rx_mm", &c.z_p_rx_mm),
                ("z_p_next_mm", &c.z_p_next_mm),
                ("z_p_fext_mm", &c.z_p_fext_mm),
            ] {
                if z.len() != p.z_c_ohm.len() {
                    return Err(Error::invalid(
                        field,
                        format!("{} segments", z.len()),
                        format!("expected one length per z_c_ohm segment ({})", p.z_c_ohm.len()),
                    ));
                }
                for &v in z {
                    check_range(field, v, 0.0, 1000.0, "mm")?;
                }
            }
        }
        Ok(())
    }
}

fn case(tx: &[f64], rx: &[f64], next: &[f64], fext: &[f64]) -> PackageCase {
    PackageCase {
        z_p_tx_mm: tx.to_vec(),
        z_p_rx_mm: rx.to_vec(),
        z_p_next_mm: next.to_vec(),
        z_p_fext_mm: fext.to_vec(),
    }
}

fn nonempty(field: &str, v: &[f64], min: f64, max: f64) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(field, "[]", "expected at least one value"));
    }
    for &x in v {
        check_range(field, x, min, max, "")?;
    }
    Ok(())
}
