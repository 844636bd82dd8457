//! The IEEE 802.3ae NRZ optical link model (spreadsheet 10GEPBud rev 3.1.16a, after FC-MSQS-2
//! Annex B), re-derived from the IEEE/T11 equations (summarised in `docs/nrz-link-model.md`): one
//! link length in, every penalty, the total and the margin out.
//!
//! Units follow the spreadsheet and are in every name: MBd, MHz, ps, nm, km, dB, dBm. Penalties
//! are positive dB (a loss). The equations, each also stated on the function that computes it:
//!
//! * Attenuation `α(λ) = C·(1.05 + (1/(0.00094·λ))⁴)` dB/km (10GEPBud), `ChIL = α·L + connections`.
//! * Dispersion `D1 = (S0/4)·(λ − λ0⁴/λ³)` ps/(nm·km) (802.3 52.14, the sheet), `D2 = 0.7·S0·Δλ`.
//! * 10–90 % rise times, combined as Gaussians: `T_tx = 1.518·T_tx(20–80)`, fibre `0.48e6/BW`
//!   (chromatic `BW_cd = 0.187e6/(Δλ·√((D1·L)² + (D2·L)²))`, modal `EMB/L` or the SMF DGD term
//!   `1e6/(3·DGD)`), receiver `329/BW` as coded; `T_c = √(T_tx² + T_cd² + T_md² + T_rx²)`.
//! * Centre eye `ISI = 2·erf(a/T_c) − 1`, `a = erfinv(0.8)·Tb_eff = B1·Tb_eff/√8`,
//!   `Tb_eff = 1/BR − DCD`; with residual jitter `erf(a(1 + DJ_ui)/T_c) + erf(a(1 − DJ_ui)/T_c) − 1`.
//! * Reflections, RIN, mode-partition noise, modal noise, baseline wander and the cross term as in
//!   the functions below; `P_total = P_isi + P_dj + αL + P_mpn + P_refl + P_rin + P_cross + P_mn`,
//!   **`margin = (OMA_tx − S_rx) − connection_loss − P_total`**.
//!
//! A closed eye (the sheet's `#NUM!`) is an [`Error::Numerical`] naming the term that closed it,
//! never a NaN. `erf` saturates to ±1 in `f64` beyond |x| ≈ 6, so the sheet's ±10 clip of its
//! arguments changes nothing here.
//!
//! Where this module reads the model more exactly than its summary in `docs/nrz-link-model.md` (each
//! choice is the one that reproduces the sheet's cached cells listed there):
//! * `Q = 7.04`, the sheet's constant, not `Q⁻¹(1e-12) = 7.0345`: from the listed P_isi, P_mpn and
//!   P_rin of `850S2000` the cross term gives P_total ≈ 8.6487 dB with 7.04 (listed 8.649) and ≈ 8.6458
//!   with 7.0345.
//! * Baseline wander `P_blw = −10·log10(√(1 − (Q·σ_blw/ISI_rx)²))`: a positive penalty (the summary prints
//!   `1/√…`, which would be negative), with `σ_blw` scaled by the receiver's own eye opening at the
//!   transmitter-mask corners, `ISI_rx = erf(a(1 + e)/T_rx) + erf(a(1 − e)/T_rx) − 1`,
//!   `e = 2·(0.5 − X2)·speedup` (the summary's "mask corners"). Without the scaling `1310S` gives
//!   P_cross 0.1976 dB instead of the listed 0.1927.
//! * `ISI` in `v_rin = 0.7e6·ISI²·10^(RIN/10)·BW_rin` is the eye opening of the RIN measurement,
//!   taken as 1 (RIN(OMA) is referred to the full OMA); the `ISI` that divides `v_rin` in `P_rin`
//!   and in the cross term is the closed centre eye `ISI_dj·ISI_refl`. With the same `ISI` in both
//!   places they would cancel and `1310S` would give P_rin 0.066 dB instead of 0.2277.
//! * `P_dj = −10·log10(ISI_dj/ISI)`, the residual-jitter (`DJ − DCD`) penalty alone; the
//!   reflection factor enters only through `P_refl`.
//! * Mode-partition noise at the effective bit rate: `β = π·BR·speedup·Δλ·D1·L`, where the summary writes
//!   `BR`. Only `850S2000` has noticeable MPN; with plain `BR` its P_mpn is 0.1589 dB instead of the
//!   listed 0.201, with `BR·speedup` it matches within the listed precision.

use crate::channel::fiber::{WAVELENGTH_NM, dispersion_ps_per_nm_km};
use crate::error::{Bounds, Error, Result, check_range, locate, parse_toml};
use crate::math::roots::try_bisect_boundary;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Q of the target BER as the sheet codes it (BER 1e-12; see the module notes).
const Q: f64 = 7.04;

/// Longest link [`NrzLink::validate`] accepts, km: the longest medium, 1000 km
/// ([`crate::channel::LENGTH_M`]).
pub const MAX_LENGTH_KM: f64 = crate::channel::LENGTH_M.max / 1e3;

/// Transmitter and receiver reflectances of the sheet: −100 to 0 dB.
pub const REFLECTANCE_DB: Bounds = Bounds::new(-100.0, 0.0, "dB");

/// One NRZ link at one length: the inputs of one 10GEPBud sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NrzLink {
    /// Signalling rate BR, MBd.
    pub baud_mbd: f64,
    /// Minimum transmitter optical modulation amplitude, dBm.
    pub tx_oma_dbm: f64,
    /// Minimum extinction ratio, dB (enters the reflection penalty).
    pub er_db: f64,
    /// Transmitter 20–80 % rise/fall time, ps.
    pub tx_rise_20_80_ps: f64,
    /// Deterministic jitter including DCD, ps; `DJ − DCD` closes the centre eye (`P_dj`).
    pub dj_ps: f64,
    /// Duty-cycle-distortion part of DJ, ps; shortens the effective bit period `Tb_eff = 1/BR − DCD`.
    pub dcd_ps: f64,
    /// X2 of the transmitter eye mask, UI (where the receiver eye `ISI_rx` for baseline wander is taken).
    pub tx_eye_mask_x2_ui: f64,
    /// Relative intensity noise referred to OMA, dB/Hz.
    pub rin_oma_db_per_hz: f64,
    /// RMS spectral width of the source Δλ, nm.
    pub spectral_width_nm: f64,
    /// Wavelength at which the link is evaluated (the sheet's worst-case wavelength), nm.
    pub lambda_nm: f64,
    /// Transmitter reflectance, dB (negative).
    pub tx_reflectance_db: f64,
    /// Receiver sensitivity in OMA, dBm.
    pub rx_sens_oma_dbm: f64,
    /// Receiver 3 dB bandwidth, MHz.
    pub rx_bw_mhz: f64,
    /// Receiver reflectance, dB (negative).
    pub rx_reflectance_db: f64,
    /// Fibre attenuation coefficient C of `α(λ) = C·(1.05 + (1/(0.00094·λ))⁴)`, dB/km: the sheet
    /// sets `C = α_nom/1.4846` for an attenuation `α_nom` stated at 1310 nm and `α_nom/3.5` at 850 nm.
    pub atten_c_db_per_km: f64,
    /// Zero-dispersion wavelength λ0 of the fibre, nm.
    pub lambda0_nm: f64,
    /// Zero-dispersion slope S0 of the fibre, ps/(nm²·km).
    pub s0_ps_per_nm2_km: f64,
    /// Single-mode fibre: maximum differential group delay of the link at `length_km`, ps. Exactly
    /// one of `dgd_ps` and `emb_mhz_km` is given.
    pub dgd_ps: Option<f64>,
    /// Multimode fibre: effective modal bandwidth, MHz·km. Exactly one of `dgd_ps` and `emb_mhz_km` is given.
    pub emb_mhz_km: Option<f64>,
    /// Connector and splice loss, dB.
    pub connection_loss_db: f64,
    /// Reflection noise factor F_ref.
    pub f_ref: f64,
    /// Baseline-wander standard deviation, as a fraction of the OMA eye.
    pub sigma_blw: f64,
    /// Modal-noise penalty P_mn, dB (0 on single-mode fibre).
    pub p_mn_db: f64,
    /// Mode-partition-noise factor k_mpn (0 for a single-longitudinal-mode laser).
    pub k_mpn: f64,
    /// Link length, km.
    pub length_km: f64,
}

/// Every term of the link budget at [`NrzLink::length_km`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NrzBudget {
    /// Fibre attenuation `α(λ)·L`, dB.
    pub atten_db: f64,
    /// Channel insertion loss `α(λ)·L + connection_loss_db`, dB.
    pub chil_db: f64,
    /// Chromatic dispersion of the length `D1·L`, ps/nm (signed).
    pub d1l_ps_per_nm: f64,
    /// Transmitter 10–90 % rise time, ps.
    pub t_tx_ps: f64,
    /// Chromatic-dispersion rise time, ps.
    pub t_cd_ps: f64,
    /// Modal (MMF) or DGD (SMF) rise time, ps.
    pub t_md_ps: f64,
    /// Receiver rise time, ps.
    pub t_rx_ps: f64,
    /// Combined 10–90 % rise time of the link `T_c`, ps.
    pub t_c_ps: f64,
    /// Inter-symbol-interference penalty at the eye centre, dB.
    pub p_isi_db: f64,
    /// Residual deterministic-jitter (`DJ − DCD`) penalty at the eye centre, dB.
    pub p_dj_db: f64,
    /// Reflection (interferometric) penalty, dB.
    pub p_refl_db: f64,
    /// RIN penalty, dB.
    pub p_rin_db: f64,
    /// Mode-partition-noise penalty, dB.
    pub p_mpn_db: f64,
    /// Modal-noise penalty (the input), dB.
    pub p_mn_db: f64,
    /// Baseline-wander penalty, dB; not a separate term of `p_total_db` (the cross term takes it out).
    pub p_blw_db: f64,
    /// Cross term: the joint penalty of all noises less the individual terms, dB.
    pub p_cross_db: f64,
    /// Sum of the penalties and the attenuation, dB.
    pub p_total_db: f64,
    /// Power budget `OMA_tx − S_rx`, dB.
    pub p_budget_db: f64,
    /// `p_budget_db − connection_loss_db − p_total_db`, dB; negative when the link does not close.
    pub margin_db: f64,
}

/// The model's answer at one length: every term, or what closed the eye.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum NrzOutcome {
    /// The eye is open: every term of the budget, `margin_db` among them.
    Open(NrzBudget),
    /// The eye is closed (10GEPBud shows `#NUM!`): a failing link, not bad input.
    Closed {
        /// Always `None`: a closed eye has no margin.
        margin_db: Option<f64>,
        /// What closed the eye, at which length.
        eye_closed: String,
    },
}

impl NrzOutcome {
    /// Margin ≥ 0 with an open eye.
    pub fn passes(&self) -> bool {
        matches!(self, NrzOutcome::Open(b) if b.margin_db >= 0.0)
    }
}

/// Width of the bracket at which [`NrzLink::max_reach_km`] stops, km (1 µm).
pub const REACH_TOLERANCE_KM: f64 = 1e-9;

/// 10–90 % rise times of the link, ps.
struct RiseTimes {
    tx_ps: f64,
    cd_ps: f64,
    md_ps: f64,
    rx_ps: f64,
    c_ps: f64,
}

/// Noise variances and the eyes they are referred to (OMA = 1).
struct Noise {
    v_rin: f64,
    sigma_mpn: f64,
    v_mn: f64,
    closed_eye: f64,
    rx_eye: f64,
}

impl NrzLink {
    /// Checks every input against its valid range; the error names the field, value and range.
    pub fn validate(&self) -> Result<()> {
        check_range("baud_mbd", self.baud_mbd, 1.0, 1e6, "MBd")?;
        let ui_ps = self.unit_interval_ps();
        check_range("tx_oma_dbm", self.tx_oma_dbm, -40.0, 20.0, "dBm")?;
        check_range("er_db", self.er_db, 0.0, 30.0, "dB")?;
        check_range("tx_rise_20_80_ps", self.tx_rise_20_80_ps, 0.0, 1e6, "ps")?;
        check_range("dcd_ps", self.dcd_ps, 0.0, 0.5 * ui_ps, "ps")?;
        check_range("dj_ps", self.dj_ps, self.dcd_ps, ui_ps, "ps")?;
        check_range("tx_eye_mask_x2_ui", self.tx_eye_mask_x2_ui, 0.0, 0.5, "UI")?;
        check_range("rin_oma_db_per_hz", self.rin_oma_db_per_hz, -200.0, -80.0, "dB/Hz")?;
        check_range("spectral_width_nm", self.spectral_width_nm, 0.0, 100.0, "nm")?;
        WAVELENGTH_NM.check("lambda_nm", self.lambda_nm)?;
        REFLECTANCE_DB.check("tx_reflectance_db", self.tx_reflectance_db)?;
        check_range("rx_sens_oma_dbm", self.rx_sens_oma_dbm, -50.0, 10.0, "dBm")?;
        check_range("rx_bw_mhz", self.rx_bw_mhz, 1.0, 1e7, "MHz")?;
        REFLECTANCE_DB.check("rx_reflectance_db", self.rx_reflectance_db)?;
        check_range("atten_c_db_per_km", self.atten_c_db_per_km, 0.0, 10.0, "dB/km")?;
        WAVELENGTH_NM.check("lambda0_nm", self.lambda0_nm)?;
        check_range("s0_ps_per_nm2_km", self.s0_ps_per_nm2_km, 0.0, 1.0, "ps/(nm^2 km)")?;
        self.validate_fibre_bandwidth()?;
        check_range("connection_loss_db", self.connection_loss_db, 0.0, 50.0, "dB")?;
        check_range("f_ref", self.f_ref, 0.0, 1.0, "")?;
        check_range("sigma_blw", self.sigma_blw, 0.0, 1.0, "")?;
        check_range("p_mn_db", self.p_mn_db, 0.0, 10.0, "dB")?;
        check_range("k_mpn", self.k_mpn, 0.0, 1.0, "")?;
        check_range("length_km", self.length_km, 0.0, MAX_LENGTH_KM, "km").map(|_| ())
    }

    /// Exactly one of `dgd_ps` (SMF) and `emb_mhz_km` (MMF), in range.
    fn validate_fibre_bandwidth(&self) -> Result<()> {
        match (self.dgd_ps, self.emb_mhz_km) {
            (Some(dgd), None) => check_range("dgd_ps", dgd, 0.0, 1e4, "ps").map(|_| ()),
            (None, Some(emb)) => check_range("emb_mhz_km", emb, 1.0, 1e6, "MHz km").map(|_| ()),
            (dgd, emb) => Err(Error::invalid(
                "dgd_ps, emb_mhz_km",
                format!("{dgd:?}, {emb:?}"),
                "expected exactly one: dgd_ps for single-mode fibre, emb_mhz_km for multimode",
            )),
        }
    }

    /// Reads the strict TOML link at `path` (the fields of [`NrzLink`], `docs/link-file.md`),
    /// with `length_km` in place of the file's length when given, and validates it; every error
    /// names the file, and the line of the field that is out of range.
    pub fn read(path: &Path, length_km: Option<f64>) -> Result<NrzLink> {
        let text = crate::input::read_toml_text(path)?;
        let file = path.display().to_string();
        let mut link: NrzLink = parse_toml(&text, &file)?;
        if let Some(length_km) = length_km {
            link.length_km = length_km;
        }
        link.validate().map_err(|e| locate(e, &text, &file))?;
        Ok(link)
    }

    /// The budget, or the term that closed the eye: the only [`Error::Numerical`] of
    /// [`NrzLink::budget`] is a closed eye, a failing link rather than an error.
    pub fn outcome(&self) -> Result<NrzOutcome> {
        match self.budget() {
            Ok(budget) => Ok(NrzOutcome::Open(budget)),
            Err(Error::Numerical { what }) => Ok(NrzOutcome::Closed { margin_db: None, eye_closed: what }),
            Err(e) => Err(e),
        }
    }

    /// Longest `length_km` in `0 ..= MAX_LENGTH_KM` with margin ≥ 0 and an open eye, by bisection
    /// ([`crate::math::roots`]) to [`REACH_TOLERANCE_KM`]. The margin falls with length
    /// (10GEPBud: attenuation, D1·L and the penalties all grow with L; `dgd_ps` is held as given).
    /// `None` when the link fails at 0 km; [`MAX_LENGTH_KM`] means "at least".
    pub fn max_reach_km(&self) -> Result<Option<f64>> {
        let passes = |length_km| Ok(NrzLink { length_km, ..self.clone() }.outcome()?.passes());
        if !passes(0.0)? {
            return Ok(None);
        }
        if passes(MAX_LENGTH_KM)? {
            return Ok(Some(MAX_LENGTH_KM));
        }
        Ok(Some(try_bisect_boundary(passes, 0.0, MAX_LENGTH_KM, REACH_TOLERANCE_KM)?.0))
    }

    /// Evaluates the link model at `length_km`; a closed eye is an [`Error::Numerical`].
    pub fn budget(&self) -> Result<NrzBudget> {
        self.validate()?;
        let atten_db = rayleigh_attenuation_db_per_km(self.atten_c_db_per_km, self.lambda_nm) * self.length_km;
        let chil_db = atten_db + self.connection_loss_db;
        let d1l_ps_per_nm = self.dispersion_d1_ps_per_nm_km() * self.length_km;
        let rise = self.rise_times(d1l_ps_per_nm);
        let half_eye_ps = self.half_eye_arg_ps();
        let isi = eye_opening(half_eye_ps, rise.c_ps, 0.0);
        let isi_dj = eye_opening(half_eye_ps, rise.c_ps, self.residual_dj_ui());
        let refl = self.reflection_eye_factor(isi_dj, chil_db);
        let p_isi_db = self.eye_penalty_db("ISI", isi)?;
        let p_dj_db = self.eye_penalty_db("residual DJ", isi_dj / isi)?;
        let p_refl_db = self.eye_penalty_db("reflections", refl)?;
        let noise = Noise {
            v_rin: self.rin_variance(d1l_ps_per_nm),
            sigma_mpn: self.mpn_sigma(d1l_ps_per_nm),
            v_mn: modal_noise_variance(self.p_mn_db),
            closed_eye: isi_dj * refl,
            rx_eye: self.open_eye(
                "receiver eye at the mask corners",
                eye_opening(half_eye_ps, rise.rx_ps, self.rx_mask_offset_ui()),
            )?,
        };
        let p_rin_db = self.noise_penalty_db("RIN", Q * Q * noise.v_rin / noise.closed_eye.powi(2))?;
        let p_mpn_db = self.noise_penalty_db("MPN", (Q * noise.sigma_mpn).powi(2))?;
        let p_blw_db = self.noise_penalty_db("baseline wander", (Q * self.sigma_blw / noise.rx_eye).powi(2))?;
        let p_all_db = self.combined_penalty_db(&noise)?;
        let p_cross_db = p_all_db - p_blw_db - p_isi_db - p_dj_db - p_mpn_db - p_refl_db - p_rin_db - self.p_mn_db;
        let p_total_db = p_isi_db + p_dj_db + atten_db + p_mpn_db + p_refl_db + p_rin_db + p_cross_db + self.p_mn_db;
        let p_budget_db = self.tx_oma_dbm - self.rx_sens_oma_dbm;
        Ok(NrzBudget {
            atten_db,
            chil_db,
            d1l_ps_per_nm,
            t_tx_ps: rise.tx_ps,
            t_cd_ps: rise.cd_ps,
            t_md_ps: rise.md_ps,
            t_rx_ps: rise.rx_ps,
            t_c_ps: rise.c_ps,
            p_isi_db,
            p_dj_db,
            p_refl_db,
            p_rin_db,
            p_mpn_db,
            p_mn_db: self.p_mn_db,
            p_blw_db,
            p_cross_db,
            p_total_db,
            p_budget_db,
            margin_db: p_budget_db - self.connection_loss_db - p_total_db,
        })
    }

    /// Bit period `1/BR`, ps.
    fn unit_interval_ps(&self) -> f64 {
        1e6 / self.baud_mbd
    }

    /// `speedup = 1/(1 − BR·DCD)`: the bit period over the effective bit period `Tb_eff = 1/BR − DCD`
    /// (10GEPBud).
    fn speedup(&self) -> f64 {
        1.0 / (1.0 - self.dcd_ps / self.unit_interval_ps())
    }

    /// `a = erfinv(0.8)·Tb_eff = B1·Tb_eff/√8`, ps, `B1 = 2√2·erfinv(0.8) = 2.563` the 10–90 % width
    /// of a Gaussian in standard deviations (10GEPBud): the centre-eye argument is `a/T_c`.
    fn half_eye_arg_ps(&self) -> f64 {
        statrs::function::erf::erf_inv(0.8) * self.unit_interval_ps() / self.speedup()
    }

    /// Residual deterministic jitter `(DJ − DCD)·BR·speedup`, UI of the effective bit period.
    fn residual_dj_ui(&self) -> f64 {
        (self.dj_ps - self.dcd_ps) / self.unit_interval_ps() * self.speedup()
    }

    /// Offset of the transmitter-mask corners from the eye centre `2·(0.5 − X2)·speedup`, UI
    /// (10GEPBud "mask corners").
    fn rx_mask_offset_ui(&self) -> f64 {
        2.0 * (0.5 - self.tx_eye_mask_x2_ui) * self.speedup()
    }

    /// `D1 = (S0/4)·(λ − λ0⁴/λ³)` ps/(nm·km), the IEEE 802.3 fibre dispersion (52.14; 10GEPBud;
    /// Corning sheets), through [`dispersion_ps_per_nm_km`] which writes the same formula
    /// as `(S0/4)·λ·(1 − (λ0/λ)⁴)`.
    fn dispersion_d1_ps_per_nm_km(&self) -> f64 {
        dispersion_ps_per_nm_km(self.lambda_nm * 1e-9, self.lambda0_nm * 1e-9, self.s0_ps_per_nm2_km)
    }

    /// Inverse chromatic-dispersion bandwidth `1/BW_cd = Δλ·√((D1·L)² + (D2·L)²)/0.187e6`, 1/MHz,
    /// `D2 = 0.7·S0·Δλ` (10GEPBud).
    fn inv_bw_cd_per_mhz(&self, d1l_ps_per_nm: f64) -> f64 {
        let d2l_ps_per_nm = 0.7 * self.s0_ps_per_nm2_km * self.spectral_width_nm * self.length_km;
        self.spectral_width_nm * d1l_ps_per_nm.hypot(d2l_ps_per_nm) / 0.187e6
    }

    /// Inverse modal bandwidth, 1/MHz: `L/EMB` on multimode fibre; on single-mode fibre the DGD
    /// term `3·DGD/1e6` (`BW = 1e6/(3·DGD)` MHz; 10GEPBud: the sheet's
    /// `effBW = 1e6·L/(3·DGD_max)` MHz·km over `L`, with DGD_max the DGD at the target length).
    /// [`NrzLink::validate`] has checked that exactly one of the two is given.
    fn inv_bw_md_per_mhz(&self) -> f64 {
        match (self.emb_mhz_km, self.dgd_ps) {
            (Some(emb), _) => self.length_km / emb,
            (None, dgd) => 3.0 * dgd.unwrap_or(0.0) / 1e6,
        }
    }

    /// Rise times (10GEPBud): `T_tx = 1.518·T_tx(20–80)`, fibre `T = 0.48e6/BW` (Gaussian),
    /// receiver `T_rx = 329/BW_rx` (GHz; `0.329e6/BW` in MHz, as coded: a single pole would give
    /// 350), `T_c = √(T_tx² + T_cd² + T_md² + T_rx²)`.
    fn rise_times(&self, d1l_ps_per_nm: f64) -> RiseTimes {
        let tx_ps = 1.518 * self.tx_rise_20_80_ps;
        let cd_ps = 0.48e6 * self.inv_bw_cd_per_mhz(d1l_ps_per_nm);
        let md_ps = 0.48e6 * self.inv_bw_md_per_mhz();
        let rx_ps = 0.329e6 / self.rx_bw_mhz;
        let c_ps = (tx_ps * tx_ps + cd_ps * cd_ps + md_ps * md_ps + rx_ps * rx_ps).sqrt();
        RiseTimes { tx_ps, cd_ps, md_ps, rx_ps, c_ps }
    }

    /// Eye factor of reflections (10GEPBud): `ISI_refl = 1 −
    /// √(2·ER·ISI·(ER − 1) + ER + 1)/ISI · 2·F_ref·10^(−ChIL/10)·R̄`, `R̄ = 10^((R_tx + R_rx)/20)`,
    /// ER linear, `ISI` the centre eye with residual jitter.
    fn reflection_eye_factor(&self, isi_dj: f64, chil_db: f64) -> f64 {
        let er = 10f64.powf(self.er_db / 10.0);
        let mean_reflection = 10f64.powf((self.tx_reflectance_db + self.rx_reflectance_db) / 20.0);
        let beat = (2.0 * er * isi_dj * (er - 1.0) + er + 1.0).sqrt() / isi_dj;
        1.0 - beat * 2.0 * self.f_ref * 10f64.powf(-chil_db / 10.0) * mean_reflection
    }

    /// RIN variance (OMA = 1) `v_rin = 0.7·10^(RIN/10)·BW_rin` with `BW_rin` in Hz and
    /// `1/BW_rin = √(1/BW_cd² + 1/BW_md² + 0.477/BW_rx²)` (10GEPBud; the RIN measurement's
    /// eye opening taken as 1, see the module notes).
    fn rin_variance(&self, d1l_ps_per_nm: f64) -> f64 {
        let inv_cd = self.inv_bw_cd_per_mhz(d1l_ps_per_nm);
        let inv_md = self.inv_bw_md_per_mhz();
        let inv_bw_rin_per_mhz = (inv_cd * inv_cd + inv_md * inv_md + 0.477 / self.rx_bw_mhz.powi(2)).sqrt();
        0.7 * 10f64.powf(self.rin_oma_db_per_hz / 10.0) * 1e6 / inv_bw_rin_per_mhz
    }

    /// Mode-partition noise (10GEPBud, at the effective bit rate: module notes):
    /// `β = π·BR·speedup·Δλ·D1·L` (MBd·ps → ×1e-6),
    /// `σ_mpn = (k_mpn/√2)·(1 − e^(−β²))`.
    fn mpn_sigma(&self, d1l_ps_per_nm: f64) -> f64 {
        let beta =
            std::f64::consts::PI * 1e-6 * self.speedup() * self.baud_mbd * self.spectral_width_nm * d1l_ps_per_nm;
        self.k_mpn / std::f64::consts::SQRT_2 * (1.0 - (-beta * beta).exp())
    }

    /// The joint eye closure by ISI, jitter and reflections (`ISI_dj·ISI_refl`) and every noise
    /// (10GEPBud): `−10·log10(ISI·√(1 − Q²(σ_blw² + v_rin)/ISI² − Q²(v_mn + σ_mpn²)))`, dB;
    /// the cross term is this less the individual penalties.
    fn combined_penalty_db(&self, noise: &Noise) -> Result<f64> {
        let eye = noise.closed_eye;
        let q2 = Q * Q;
        let q2v =
            q2 * (self.sigma_blw.powi(2) + noise.v_rin) / (eye * eye) + q2 * (noise.v_mn + noise.sigma_mpn.powi(2));
        Ok(self.noise_penalty_db("combined noise", q2v)? + self.eye_penalty_db("ISI, jitter and reflections", eye)?)
    }

    /// `eye` when it is open (`> 0`); a closed eye (NaN included) is an error naming `term`.
    fn open_eye(&self, term: &str, eye: f64) -> Result<f64> {
        if eye > 0.0 { Ok(eye) } else { Err(self.closed_eye(term)) }
    }

    /// `−10·log10(eye)`, dB; a closed eye (`eye ≤ 0`) is an error naming `term`. (`+ 0.0` makes
    /// the penalty of an untouched eye `0`, not `−0`, in the JSON.)
    fn eye_penalty_db(&self, term: &str, eye: f64) -> Result<f64> {
        Ok(-10.0 * self.open_eye(term, eye)?.log10() + 0.0)
    }

    /// Penalty of a Gaussian noise of variance `v` at `Q`: `−10·log10(√(1 − Q²v))`, dB, from
    /// `q2v = Q²v`; `Q²v ≥ 1` closes the eye (an error naming `term`). `0`, not `−0`, without noise.
    fn noise_penalty_db(&self, term: &str, q2v: f64) -> Result<f64> {
        if q2v < 1.0 { Ok(-5.0 * (1.0 - q2v).log10() + 0.0) } else { Err(self.closed_eye(term)) }
    }

    /// The error of a closed eye: the sheet shows `#NUM!` there.
    fn closed_eye(&self, term: &str) -> Error {
        Error::Numerical {
            what: format!("NRZ eye closed by {term} at length_km = {} (10GEPBud shows #NUM!)", self.length_km),
        }
    }
}

/// Fibre attenuation `α(λ) = C·(1.05 + (1/(0.00094·λ[nm]))⁴)`, dB/km: Rayleigh scattering plus a
/// flat term (10GEPBud; the shape of [`crate::channel::fiber`]).
fn rayleigh_attenuation_db_per_km(c_db_per_km: f64, lambda_nm: f64) -> f64 {
    c_db_per_km * (1.05 + (1.0 / (0.00094 * lambda_nm)).powi(4))
}

/// Eye opening of a Gaussian-edged NRZ eye sampled `offset_ui` either side of the centre:
/// `erf(a(1 + x)/T) + erf(a(1 − x)/T) − 1` (10GEPBud); `x = 0` gives `2·erf(a/T) − 1`.
fn eye_opening(half_eye_arg_ps: f64, rise_ps: f64, offset_ui: f64) -> f64 {
    let arg = half_eye_arg_ps / rise_ps;
    libm::erf(arg * (1.0 + offset_ui)) + libm::erf(arg * (1.0 - offset_ui)) - 1.0
}

/// Modal-noise variance `v_mn = (1 − 10^(−P_mn/5))/Q²` (10GEPBud): the Gaussian noise whose
/// penalty alone is `P_mn`.
fn modal_noise_variance(p_mn_db: f64) -> f64 {
    (1.0 - 10f64.powf(-p_mn_db / 5.0)) / (Q * Q)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `1310S` (10GBASE-LR-like at its worst wavelength, 1260 nm), a sheet of 10GEPBud rev 3.1.16a
    /// (cached cells in `docs/nrz-link-model.md`), as TOML.
    ///
    /// Listed inputs: 10312.5 MBd, OMA −3.2 dBm, sensitivity −12.59 dBm, T(20–80) 47.1 ps,
    /// RIN −130 dB/Hz, Δλ 0.2 nm, 0.4 dB/km at 1310 nm (`C = 0.4/1.4846`), λ0 1324 nm,
    /// S0 0.093, DGD 10 ps, Rx 7725 MHz, connections 2 dB, reflectances −12/−12 dB, F_ref 0.6,
    /// σ_blw 0.025. Inputs not listed, and what reproduces the outputs:
    /// * `dcd_ps = dj_ps = 6`: P_isi 2.197 needs DCD in 5.999–6.013 ps; P_total is the sum of the
    ///   listed terms, so P_dj = 0 (DJ = DCD) and P_mpn = 0 (`k_mpn = 0`, a DFB laser).
    /// * `er_db = 4.434`: the extinction ratio that gives the listed P_refl 0.4285 with the listed
    ///   reflectances and F_ref (3.5 dB, the 10GBASE-LR minimum, would give 0.349).
    /// * `tx_eye_mask_x2_ui = 0.4`: the 10GBASE-S/L/E transmitter mask (recalled); it gives the
    ///   listed P_cross to 2e-4 dB (0.35 and 0.45 miss it by 5e-3 and 2e-3).
    /// * `p_mn_db = 0`: no modal noise on single-mode fibre.
    const SHEET_1310S: &str = r#"
        baud_mbd = 10312.5
        tx_oma_dbm = -3.2
        er_db = 4.434
        tx_rise_20_80_ps = 47.1
        dj_ps = 6.0
        dcd_ps = 6.0
        tx_eye_mask_x2_ui = 0.4
        rin_oma_db_per_hz = -130.0
        spectral_width_nm = 0.2
        lambda_nm = 1260.0
        tx_reflectance_db = -12.0
        rx_sens_oma_dbm = -12.59
        rx_bw_mhz = 7725.0
        rx_reflectance_db = -12.0
        atten_c_db_per_km = 0.269432843863667 # 0.4 / 1.4846
        lambda0_nm = 1324.0
        s0_ps_per_nm2_km = 0.093
        dgd_ps = 10.0
        connection_loss_db = 2.0
        f_ref = 0.6
        sigma_blw = 0.025
        p_mn_db = 0.0
        k_mpn = 0.0
        length_km = 10.0
    "#;

    fn sheet_1310s() -> NrzLink {
        crate::error::parse_toml(SHEET_1310S, "1310S").unwrap()
    }

    /// `1550S40km` (10GBASE-ER-like at 1565 nm), a sheet of 10GEPBud rev 3.1.16a (cached cells in
    /// `docs/nrz-link-model.md`). Listed inputs: OMA 1.61 dBm,
    /// sensitivity −13.4 dBm, T(20–80) 52.3 ps, Δλ 0.0182 nm, λ0 1300 nm, S0 0.093, DGD 19 ps,
    /// Rx reflectance −26 dB, connections 1 dB, 40 km. Not listed, and what reproduces the outputs:
    /// * as `1310S`: 10312.5 MBd, Rx 7725 MHz (P_isi and T_c come out with it), RIN −130 dB/Hz
    ///   (fitted from P_rin: −130.007), F_ref 0.6, σ_blw 0.025, DJ = DCD = 6 ps, ER 4.434 dB,
    ///   X2 0.4, `k_mpn = 0`, `p_mn_db = 0`;
    /// * `atten_c_db_per_km = 0.25/1.2719`: 0.25 dB/km at 1550 nm scaled by the Rayleigh shape
    ///   (1.2719 at 1550 nm), which gives the listed 9.934 dB at 1565 nm;
    /// * `tx_reflectance_db = −10`: the listed P_refl 0.039 needs a reflectance sum of −36 dB with
    ///   the `1310S` ER (−12 dB would give 0.031; the same P_refl with −12 dB would need ER 5.52 dB).
    fn sheet_1550s40km() -> NrzLink {
        NrzLink {
            tx_oma_dbm: 1.61,
            rx_sens_oma_dbm: -13.4,
            tx_rise_20_80_ps: 52.3,
            spectral_width_nm: 0.0182,
            lambda_nm: 1565.0,
            atten_c_db_per_km: 0.25 / 1.2719,
            lambda0_nm: 1300.0,
            dgd_ps: Some(19.0),
            tx_reflectance_db: -10.0,
            rx_reflectance_db: -26.0,
            connection_loss_db: 1.0,
            length_km: 40.0,
            ..sheet_1310s()
        }
    }

    /// `850S2000` (10GBASE-SR on 2000 MHz·km fibre at 840 nm), a sheet of 10GEPBud rev 3.1.16a (cached
    /// cells in `docs/nrz-link-model.md`). Listed inputs:
    /// OMA −3.8 dBm, sensitivity −11.1 dBm, T(20–80) 35 ps, 3.5 dB/km (`C = 3.5/3.5 = 1`; the
    /// listed 1.449 dB at 0.4 km then fixes λ = 840 nm), Δλ 0.29 nm, λ0 1320 nm, S0 0.11,
    /// P_mn 0.3 dB, k_mpn 0.3, connections 1 dB, 0.4 km. Not listed, and what reproduces the outputs:
    /// * no reflection penalty (`f_ref = 0`; ER and reflectances then have no effect): the listed
    ///   P_total leaves 1.4385 dB for P_refl + P_cross, and the cross term alone takes 1.438 dB
    ///   (−12/−12 dB reflectances with F_ref 0.6 and the `1310S` ER would give P_refl 1.89 dB);
    /// * RIN −130 dB/Hz: fitted from P_rin (−130.000);
    /// * `dcd_ps = dj_ps = 5.94`, `rx_bw_mhz = 8200`: fitted together to P_isi, P_mpn and P_total.
    ///   DCD 6 ps with Rx 8250 MHz (0.8·BR) would match T_c (121.90) and P_isi better but give
    ///   P_mpn 0.2019 and P_total 8.6511 (+0.0021 dB); with 5.94 ps and 8200 MHz T_c is 121.98 ps,
    ///   within the 0.1 ps to which it is listed.
    /// * as `1310S`: 10312.5 MBd, σ_blw 0.025, X2 0.4.
    fn sheet_850s2000() -> NrzLink {
        NrzLink {
            tx_oma_dbm: -3.8,
            rx_sens_oma_dbm: -11.1,
            tx_rise_20_80_ps: 35.0,
            dj_ps: 5.94,
            dcd_ps: 5.94,
            spectral_width_nm: 0.29,
            lambda_nm: 840.0,
            rx_bw_mhz: 8200.0,
            atten_c_db_per_km: 1.0,
            lambda0_nm: 1320.0,
            s0_ps_per_nm2_km: 0.11,
            dgd_ps: None,
            emb_mhz_km: Some(2000.0),
            connection_loss_db: 1.0,
            f_ref: 0.0,
            p_mn_db: 0.3,
            k_mpn: 0.3,
            length_km: 0.4,
            ..sheet_1310s()
        }
    }

    /// Checks each `(output, listed value, tolerance)` of a sheet against the serialized budget:
    /// tolerance 1e-3 dB, or the listed rounding when that is coarser.
    fn assert_reproduces(sheet: &str, link: &NrzLink, listed: &[(&str, f64, f64)]) {
        let budget = serde_json::to_value(link.budget().unwrap()).unwrap();
        for &(key, value, tol) in listed {
            let got = budget[key].as_f64().unwrap_or_else(|| panic!("{key} missing"));
            assert!((got - value).abs() <= tol, "{sheet} {key}: model {got:.5}, listed {value} (± {tol})");
        }
    }

    #[test]
    fn reproduces_1310s_at_10_km() {
        let listed = [
            ("atten_db", 4.198, 1e-3),
            ("chil_db", 6.198, 1e-3),
            ("d1l_ps_per_nm", -64.21, 0.01),
            ("t_c_ps", 90.66, 0.01),
            ("p_isi_db", 2.197, 1e-3),
            ("p_refl_db", 0.4285, 1e-3),
            ("p_rin_db", 0.2277, 1e-3),
            ("p_cross_db", 0.1927, 1e-3),
            ("p_total_db", 7.244, 1e-3),
            ("margin_db", 0.146, 1e-3),
        ];
        assert_reproduces("1310S", &sheet_1310s(), &listed);
    }

    #[test]
    fn reproduces_1550s40km_at_40_km() {
        let listed = [
            ("atten_db", 9.934, 1e-3),
            ("d1l_ps_per_nm", 762.5, 0.1),
            ("t_c_ps", 100.7, 0.1),
            ("p_isi_db", 2.956, 1e-3),
            ("p_refl_db", 0.039, 1e-3),
            ("p_rin_db", 0.244, 1e-3),
            ("p_cross_db", 0.2485, 1e-3),
            ("p_total_db", 13.42, 0.01),
            ("margin_db", 0.588, 1e-3),
        ];
        assert_reproduces("1550S40km", &sheet_1550s40km(), &listed);
    }

    #[test]
    fn reproduces_850s2000_at_0_4_km() {
        let listed = [
            ("atten_db", 1.449, 1e-3),
            ("t_c_ps", 121.9, 0.1),
            ("p_isi_db", 4.918, 1e-3),
            ("p_mpn_db", 0.201, 1e-3),
            ("p_rin_db", 0.3425, 1e-3),
            ("p_total_db", 8.649, 1e-3),
            ("margin_db", -2.349, 1e-3),
        ];
        assert_reproduces("850S2000", &sheet_850s2000(), &listed);
    }

    #[test]
    fn closed_eye_of_850s2000_at_0_6_km_is_an_error() {
        let link = NrzLink { length_km: 0.6, ..sheet_850s2000() };
        let err = link.budget().unwrap_err();
        assert!(matches!(err, Error::Numerical { .. }), "{err}");
        assert!(err.to_string().contains("eye closed"), "{err}");
    }

    #[test]
    fn invalid_inputs_name_the_field() {
        let negative_length = NrzLink { length_km: -1.0, ..sheet_1310s() };
        let zero_baud = NrzLink { baud_mbd: 0.0, ..sheet_1310s() };
        let both_bandwidths = NrzLink { emb_mhz_km: Some(2000.0), ..sheet_1310s() };
        for (link, field) in [(negative_length, "length_km"), (zero_baud, "baud_mbd"), (both_bandwidths, "emb_mhz_km")]
        {
            match link.budget() {
                Err(Error::InvalidParameter { field: f, .. }) => assert!(f.contains(field), "{f}"),
                other => panic!("{field}: expected InvalidParameter, got {other:?}"),
            }
        }
    }

    #[test]
    fn unknown_toml_field_is_rejected() {
        let text = format!("{SHEET_1310S}\nlength_m = 10000.0\n");
        let err = crate::error::parse_toml::<NrzLink>(&text, "1310S").unwrap_err();
        assert!(matches!(err, Error::Parse { .. }) && err.to_string().contains("length_m"), "{err}");
    }

    #[test]
    fn max_reach_closes_at_zero_margin() {
        let link = sheet_1310s();
        let reach = link.max_reach_km().unwrap().unwrap();
        assert!(reach > 10.0 && reach < 15.0, "{reach}");
        let at = |length_km| NrzLink { length_km, ..link.clone() }.outcome().unwrap();
        assert!(at(reach).passes() && !at(reach + 2.0 * REACH_TOLERANCE_KM).passes());
        // 850S2000 fails at its listed 0.4 km (margin −2.349 dB); by 0.6 km its eye is closed.
        let mmf = sheet_850s2000();
        let reach = mmf.max_reach_km().unwrap().unwrap();
        assert!(reach > 0.3 && reach < 0.4 && !mmf.outcome().unwrap().passes(), "{reach}");
        assert!(matches!(NrzLink { length_km: 0.6, ..mmf }.outcome().unwrap(), NrzOutcome::Closed { .. }));
        let hopeless = NrzLink { tx_oma_dbm: -20.0, ..sheet_1310s() };
        assert_eq!(hopeless.max_reach_km().unwrap(), None);
    }

    #[test]
    fn read_puts_range_errors_at_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, SHEET_1310S.replace("rx_bw_mhz = 7725.0", "rx_bw_mhz = 0.0")).unwrap();
        let line = SHEET_1310S.lines().position(|l| l.trim_start().starts_with("rx_bw_mhz")).unwrap() + 1;
        let e = NrzLink::read(&path, None).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{}:{line}: invalid rx_bw_mhz", path.display())), "{e}");
        std::fs::write(&path, SHEET_1310S).unwrap();
        assert_eq!(NrzLink::read(&path, Some(2.0)).unwrap().length_km, 2.0);
    }

    #[test]
    fn margin_falls_with_length() {
        for (sheet, step_km, steps) in [(sheet_1310s(), 1.0, 15), (sheet_850s2000(), 0.02, 21)] {
            let margins: Vec<f64> = (0..=steps)
                .map(|i| NrzLink { length_km: step_km * i as f64, ..sheet.clone() }.budget().unwrap().margin_db)
                .collect();
            assert!(margins.windows(2).all(|w| w[1] < w[0]), "{margins:?}");
        }
    }

    #[test]
    fn residual_jitter_adds_its_penalty_to_the_total() {
        let base = sheet_1310s().budget().unwrap();
        let jittery = NrzLink { dj_ps: 16.0, ..sheet_1310s() }.budget().unwrap();
        assert!(base.p_dj_db == 0.0 && jittery.p_dj_db > 0.05, "{}", jittery.p_dj_db);
        assert!(jittery.p_total_db > base.p_total_db + jittery.p_dj_db);
    }
}
