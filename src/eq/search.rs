//! The equalizer search: Tx FFE presets × CTLE settings, each scored by the slicer SNR after the
//! MMSE Rx FFE + DFE (the COM figure-of-merit idea, 93A-36, with 802.3dj's per-point MMSE
//! Rx FFE, Annex 178A), then the final taps, metrics and BER at the best point.
//!
//! **Speed.** One inverse FFT per CTLE setting gives both the pulse (real part) and the noise
//! autocorrelation (imaginary part, [`PulsePlan::time_record`]); the Tx FFE is applied in the
//! time domain on that pulse (exact: it is T-spaced), so the Tx presets cost no FFT. CTLE settings
//! run in parallel (rayon), each worker with its own record, FFT scratch and [`Solver`]: no
//! allocation per point after the first.
//!
//! **Noise.** `noise_rms_v` is the RMS of white Gaussian noise at the receiver input as seen at
//! the Rx-filter output without CTLE (COM's `σ_N` with `η0` expressed as a variance); the CTLE
//! shapes it by `|H_ctle|²`, so peaking pays in noise, and the MMSE sees its correlation.
//!
//! **Sampling phase.** Per point, the cursor rule ([`CursorRule`]) is applied to the combined
//! (Tx FFE × CTLE) pulse near the unequalized peak.

use super::filters::{Ctle, CtleGrid, G_DC_DB, G_DC2_DB, TxFfe, TxFfeGrid, fir_oversampled, fir_transfer};
use super::lms::{Adaptation, LmsConfig, adapt, synthesize};
use super::mmse::{Criterion, DfeConfig, Problem, RxFfeShape, SlicerMetrics, Solver, evaluate, residual_cursors};
use super::pulse::{ChannelSpectrum, CursorRule, PRE_UI, PulsePlan, PulseResponse, PulseWindow, argmax};
use crate::error::{Error, Result, check_range};
use crate::math::q;
use crate::metrics::statistical::min_noise_rms_v;
use crate::metrics::{JitterModel, Pam, StatisticalBer};
use crate::units::amplitude_ratio_to_db;
use num_complex::Complex64;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// CTLE: none, one setting, or a search over a grid.
///
/// Parsed (`FromStr`, and `Deserialize` from the same text) as `auto` (search the default grid),
/// `off` (or `none`), or `G_DC[,G_DC2]` in dB such as `-8,-2`, each gain within [`G_DC_DB`] and
/// [`G_DC2_DB`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CtleChoice {
    /// No CTLE (flat).
    Off,
    /// One setting: the COM CTLE ([`Ctle::com`]) at the channel's symbol rate with these gains.
    Fixed {
        /// DC gain of the high-frequency stage, dB.
        g_dc_db: f64,
        /// DC gain of the low-frequency stage, dB.
        g_dc2_db: f64,
    },
    /// Search the grid.
    Search(CtleGrid),
}

impl FromStr for CtleChoice {
    type Err = Error;

    fn from_str(text: &str) -> Result<CtleChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => return Ok(CtleChoice::Search(CtleGrid::default())),
            "off" | "none" => return Ok(CtleChoice::Off),
            _ => {}
        }
        let bad = || {
            Error::invalid(
                "ctle",
                format!("'{text}'"),
                format!(
                    "expected auto, off, G_DC or G_DC,G_DC2 in dB (g_DC {} ..= {}, g_DC2 {} ..= {})",
                    G_DC_DB.min, G_DC_DB.max, G_DC2_DB.min, G_DC2_DB.max
                ),
            )
        };
        let parts: Vec<&str> = text.split(',').map(|s| s.trim().trim_end_matches("dB")).collect();
        let nums = parts.iter().map(|p| p.parse::<f64>().map_err(|_| bad())).collect::<Result<Vec<_>>>()?;
        let (g_dc, g_dc2) = match nums[..] {
            [a] => (a, 0.0),
            [a, b] => (a, b),
            _ => return Err(bad()),
        };
        Ok(CtleChoice::Fixed {
            g_dc_db: G_DC_DB.check("ctle.g_dc_db", g_dc)?,
            g_dc2_db: G_DC2_DB.check("ctle.g_dc2_db", g_dc2)?,
        })
    }
}

/// Tx FFE: none, one setting, or a search over presets.
///
/// Parsed (`FromStr`, and `Deserialize` from the same text) as `auto` (search the presets),
/// `off` (or `none`), or taps such as `-0.1,0.75,-0.15` (`Σ|c| = 1`; the largest is the main tap).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TxChoice {
    /// Pass-through transmitter.
    Off,
    /// One setting.
    Fixed(TxFfe),
    /// Search the grid.
    Search(TxFfeGrid),
}

impl FromStr for TxChoice {
    type Err = Error;

    fn from_str(text: &str) -> Result<TxChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(TxChoice::Search(TxFfeGrid::default())),
            "off" | "none" => Ok(TxChoice::Off),
            _ => {
                let taps = text.split(',').map(|t| t.trim().parse::<f64>()).collect::<std::result::Result<Vec<_>, _>>();
                let taps = taps.map_err(|_| {
                    Error::invalid("tx", format!("'{text}'"), "expected auto, off or taps such as -0.1,0.75,-0.15")
                })?;
                let main = argmax(&taps);
                Ok(TxChoice::Fixed(TxFfe::new(taps, main)?))
            }
        }
    }
}

/// How the final Rx FFE/DFE taps are found at the chosen CTLE × Tx point (the search always
/// scores points with MMSE). Parsed from `mmse`, `zf` (`zero-forcing`), `lms` or `sign-sign`
/// (`sslms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Joint MMSE with noise.
    #[default]
    Mmse,
    /// Least-squares zero forcing.
    ZeroForcing,
    /// LMS on a seeded waveform.
    Lms,
    /// Sign-sign LMS on a seeded waveform.
    SignSignLms,
}

impl FromStr for Method {
    type Err = Error;

    fn from_str(text: &str) -> Result<Method> {
        match text.to_ascii_lowercase().as_str() {
            "mmse" => Ok(Method::Mmse),
            "zf" | "zero-forcing" => Ok(Method::ZeroForcing),
            "lms" => Ok(Method::Lms),
            "sign-sign" | "sslms" => Ok(Method::SignSignLms),
            _ => Err(Error::invalid("method", format!("'{text}'"), "expected mmse, zf, lms or sign-sign")),
        }
    }
}

/// Everything the equalizer needs besides the channel.
///
/// From TOML ([`EqConfig::from_toml`]) any field may be given, each choice in its text form (the
/// command line's: `ctle = "-8,-2"`, `tx = "auto"`, `rx_ffe = "3,12"`, `dfe = 2`,
/// `cursor = "mm"`, `method = "lms"`, `pam = "pam4"`); the others keep [`EqConfig::default`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EqConfig {
    /// Modulation.
    pub pam: Pam,
    /// Receiver noise RMS (module docs), V.
    pub noise_rms_v: f64,
    /// Transmitter amplitude scaling the pulse, V (COM `A_v`).
    pub amplitude_v: f64,
    /// CTLE.
    pub ctle: CtleChoice,
    /// Tx FFE.
    pub tx: TxChoice,
    /// Rx FFE span.
    pub rx_ffe: RxFfeShape,
    /// DFE.
    pub dfe: DfeConfig,
    /// Main-cursor rule.
    pub cursor: CursorRule,
    /// Final tap solution.
    pub method: Method,
    /// Seed of the LMS waveform.
    pub seed: u64,
}

/// 802.3ck KR transmitter amplitude `A_v` = 0.413 V (MATLAB COM 3.70 sheet as transcribed by serdeskit).
pub const COM_AMPLITUDE_V: f64 = 0.413;

impl EqConfig {
    /// The command's defaults: searched CTLE and Tx FFE, Rx FFE 3 pre + 12 post, 1 DFE tap,
    /// MMSE, peak cursor, `A_v` = 0.413 V.
    pub fn new(pam: Pam, noise_rms_v: f64) -> EqConfig {
        EqConfig {
            pam,
            noise_rms_v,
            amplitude_v: COM_AMPLITUDE_V,
            ctle: CtleChoice::Search(CtleGrid::default()),
            tx: TxChoice::Search(TxFfeGrid::default()),
            rx_ffe: RxFfeShape { n_pre: 3, n_post: 12 },
            dfe: DfeConfig::com(1),
            cursor: CursorRule::Peak,
            method: Method::Mmse,
            seed: 1,
        }
    }

    /// An equalizer configuration from TOML text (see the type docs); unknown fields and bad
    /// values are errors naming `file` and the line.
    pub fn from_toml(text: &str, file: &str) -> Result<EqConfig> {
        crate::error::parse_toml(text, file)
    }
}

/// Receiver noise of [`EqConfig::default`]: 1 mV RMS.
pub const DEFAULT_NOISE_RMS_V: f64 = 1e-3;

impl Default for EqConfig {
    /// [`EqConfig::new`] for PAM4 with [`DEFAULT_NOISE_RMS_V`] (the `photolink eq` defaults).
    fn default() -> Self {
        EqConfig::new(Pam::PAM4, DEFAULT_NOISE_RMS_V)
    }
}

/// The search space actually used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchSummary {
    /// CTLE × Tx FFE points scored.
    pub combinations: usize,
    /// CTLE settings.
    pub ctle_settings: usize,
    /// Tx FFE settings.
    pub tx_ffe_settings: usize,
    /// CTLE grid searched, if any.
    pub ctle_grid: Option<CtleGrid>,
    /// Tx FFE grid searched, if any.
    pub tx_ffe_grid: Option<TxFfeGrid>,
}

/// Curves for charts (not serialised).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EqTraces {
    /// Unequalized pulse (channel with Tx/Rx filters), V, oversampled.
    pub pulse_before: Vec<f64>,
    /// Its cursor index.
    pub cursor_before: usize,
    /// After Tx FFE, CTLE and Rx FFE, V, oversampled (same time axis as `pulse_before`).
    pub pulse_after: Vec<f64>,
    /// Its cursor index.
    pub cursor_after: usize,
    /// T-spaced slicer samples after the DFE: (offset from cursor in UI, V).
    pub slicer_samples: Vec<(f64, f64)>,
    /// Samples per UI.
    pub samples_per_ui: usize,
    /// Frequencies for the response curves, Hz.
    pub freq_hz: Vec<f64>,
    /// Channel |H|, dB.
    pub channel_db: Vec<f64>,
    /// CTLE |H|, dB.
    pub ctle_db: Vec<f64>,
    /// Channel × Tx FFE × CTLE × Rx FFE |H|, dB (Rx FFE normalised to unit main tap).
    pub equalized_db: Vec<f64>,
}

/// The outcome of [`equalize`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EqResult {
    /// Symbol rate, Bd.
    pub symbol_rate_baud: f64,
    /// Modulation.
    pub modulation: String,
    /// Noise RMS, V.
    pub noise_rms_v: f64,
    /// Tx amplitude, V.
    pub amplitude_v: f64,
    /// Slicer SNR with no equalization (channel, Tx/Rx filters, peak or MM cursor), dB.
    pub snr_before_db: f64,
    /// Slicer SNR after Tx FFE, CTLE, Rx FFE and DFE, dB.
    pub snr_after_db: f64,
    /// Tx FFE taps (Σ|c| = 1).
    pub tx_ffe_taps: Vec<f64>,
    /// Index of the Tx main tap.
    pub tx_ffe_main_index: usize,
    /// CTLE setting (null: none).
    pub ctle: Option<Ctle>,
    /// Rx FFE taps, normalised to a unit main tap.
    pub rx_ffe_taps: Vec<f64>,
    /// Index of the Rx main tap.
    pub rx_ffe_main_index: usize,
    /// DFE taps in units of the main cursor (COM convention).
    pub dfe_taps: Vec<f64>,
    /// RMS residual ISI after equalization, relative to the main cursor.
    pub residual_isi_rms: f64,
    /// Largest residual ISI cursor, relative to the main cursor.
    pub residual_isi_peak: f64,
    /// Main cursor at the slicer, V (Tx amplitude × pulse × FFE; the Rx FFE gain is arbitrary,
    /// so this is reported with the Rx FFE normalised to a unit main tap).
    pub cursor_v: f64,
    /// Noise enhancement of the Rx FFE: (noise/cursor²) after the FFE over before it, dB.
    pub ffe_noise_enhancement_db: f64,
    /// Statistical SER at the slicer (ISI PDF ⊗ Gaussian noise, `metrics::statistical`).
    pub ser: f64,
    /// Statistical Gray BER at the slicer.
    pub ber: f64,
    /// The equalized T-spaced pulse at the slicer (Rx FFE with a unit main tap, DFE applied):
    /// samples from `EQUALIZED_PRE_UI` UI before the cursor to `EQUALIZED_POST_UI` after it, V.
    pub equalized_pulse_v: Vec<f64>,
    /// Offset of `equalized_pulse_v[0]` from the cursor, UI.
    pub equalized_pulse_first_ui: isize,
    /// Probability that a decision error causes an error on the next symbol through DFE tap 1
    /// (Gaussian estimate).
    pub dfe_error_propagation_probability: f64,
    /// Cursor rule.
    pub cursor_rule: CursorRule,
    /// Tap solution used.
    pub method: Method,
    /// The search.
    pub search: SearchSummary,
    /// Curves for charts.
    #[serde(skip)]
    pub traces: EqTraces,
}

/// Symbol variance `σ_X²` of zero-mean PAM-M with outer levels ±1 (NRZ 1, PAM4 5/9; `docs/models.md` §8).
pub fn symbol_variance(pam: Pam) -> f64 {
    let m = pam.levels() as f64;
    (m + 1.0) / (3.0 * (m - 1.0))
}

/// One scored point of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    snr: f64,
    ctle: usize,
    tx: usize,
}

/// Per-worker scratch of the search.
struct Worker {
    record: Vec<Complex64>,
    scratch: Vec<Complex64>,
    window: Vec<f64>,
    t_spaced: Vec<f64>,
    noise_acf: Vec<f64>,
    /// Autocorrelation of the T-spaced window pulse at each phase: `phase_acf[φ·lags + l]`.
    phase_acf: Vec<f64>,
    /// Autocorrelation of the Tx-FFE-combined T-spaced pulse.
    combined_acf: Vec<f64>,
    /// The CTLE on the grid.
    ctle_h: Vec<Complex64>,
    solver: Solver,
}

/// The prepared search: spectrum, FFT plan, pulse window and settings lists.
struct Engine<'a> {
    spectrum: &'a ChannelSpectrum,
    cfg: &'a EqConfig,
    plan: PulsePlan,
    window: PulseWindow,
    ctles: Vec<Option<Ctle>>,
    txs: Vec<TxFfe>,
}

impl<'a> Engine<'a> {
    fn new(spectrum: &'a ChannelSpectrum, cfg: &'a EqConfig) -> Result<Self> {
        let plan = PulsePlan::new(&spectrum.config);
        let (mut record, mut scratch) = plan.buffers();
        plan.time_record(|k| spectrum.signal[k], |k| spectrum.noise_psd[k], &mut record, &mut scratch);
        let window = PulseWindow::around_peak(&record, &spectrum.config);
        let fb = spectrum.config.symbol_rate_baud;
        let ctles = match &cfg.ctle {
            CtleChoice::Off => vec![None],
            CtleChoice::Fixed { g_dc_db, g_dc2_db } => vec![Some(Ctle::com(fb, *g_dc_db, *g_dc2_db))],
            CtleChoice::Search(g) => g.settings(fb).into_iter().map(Some).collect(),
        };
        let txs = match &cfg.tx {
            TxChoice::Off => vec![TxFfe::identity()],
            TxChoice::Fixed(t) => vec![t.clone()],
            TxChoice::Search(g) => g.presets(),
        };
        if txs.is_empty() || ctles.is_empty() {
            return Err(Error::invalid("search grid", "empty", "expected at least one Tx FFE and CTLE setting"));
        }
        Ok(Engine { spectrum, cfg, plan, window, ctles, txs })
    }

    fn worker(&self) -> Result<Worker> {
        let (record, scratch) = self.plan.buffers();
        Ok(Worker {
            record,
            scratch,
            window: vec![0.0; self.window.len_samples()],
            t_spaced: Vec::with_capacity(self.window.len_ui),
            noise_acf: vec![0.0; self.cfg.rx_ffe.taps() + 1],
            phase_acf: vec![0.0; self.spectrum.config.samples_per_ui * self.acf_lags()],
            combined_acf: vec![0.0; self.cfg.rx_ffe.taps()],
            ctle_h: vec![Complex64::ZERO; self.spectrum.freq_hz.len()],
            solver: Solver::new(self.cfg.rx_ffe, self.cfg.dfe.clone(), Criterion::Mmse)?,
        })
    }

    /// Lags of the per-phase autocorrelation: the Rx FFE span plus the Tx FFE span.
    fn acf_lags(&self) -> usize {
        self.cfg.rx_ffe.taps() + self.txs.iter().map(|t| t.taps.len()).max().unwrap_or(1)
    }

    /// Fills `phase_acf` from the loaded window (`M × lags × L` multiply-adds per CTLE setting,
    /// so that each Tx preset costs only `lags × taps²`).
    fn load_phase_acf(&self, w: &mut Worker) {
        let m = self.spectrum.config.samples_per_ui;
        let lags = self.acf_lags();
        let window = &w.window;
        for (phase, acf) in w.phase_acf.chunks_mut(lags).enumerate() {
            for (l, a) in acf.iter_mut().enumerate() {
                let mut sum = 0.0;
                let mut i = phase;
                while i + l * m < window.len() {
                    sum += window[i] * window[i + l * m];
                    i += m;
                }
                *a = sum;
            }
        }
    }

    /// Inverse FFT for CTLE `ctle` into the worker: windowed pulse (× amplitude) and noise ACF.
    fn load_ctle(&self, ctle: Option<&Ctle>, w: &mut Worker) {
        let s = self.spectrum;
        match ctle {
            None => self.plan.time_record(|k| s.signal[k], |k| s.noise_psd[k], &mut w.record, &mut w.scratch),
            Some(c) => {
                c.transfer_into(&s.freq_hz, &mut w.ctle_h);
                let h = &w.ctle_h;
                self.plan.time_record(
                    |k| s.signal[k] * h[k],
                    |k| s.noise_psd[k] * h[k].norm_sqr(),
                    &mut w.record,
                    &mut w.scratch,
                )
            }
        }
        let a = self.cfg.amplitude_v;
        let (head, tail) = w.record.split_at(self.window.start);
        for (v, r) in w.window.iter_mut().zip(tail.iter().chain(head)) {
            *v = a * r.re;
        }
        let m = self.spectrum.config.samples_per_ui;
        let var = self.cfg.noise_rms_v * self.cfg.noise_rms_v;
        for (l, r) in w.noise_acf.iter_mut().enumerate() {
            *r = var * w.record[(l * m) % w.record.len()].im;
        }
    }

    /// Scores every Tx preset on the loaded CTLE; returns the best (snr, tx index).
    fn score_txs(&self, w: &mut Worker) -> Result<(f64, usize)> {
        self.load_phase_acf(w);
        let m = self.spectrum.config.samples_per_ui;
        let lags = self.acf_lags();
        let (n_pre, n_post) = (self.cfg.rx_ffe.n_pre, self.cfg.rx_ffe.n_post);
        let span_after = n_pre + self.cfg.dfe.taps();
        let mut best = (f64::NEG_INFINITY, 0);
        for (i, tx) in self.txs.iter().enumerate() {
            let g = |pos: isize| combined_sample(tx, &w.window, m, pos);
            let pos = self.locate(&g);
            let (phase, cursor) = (pos % m, pos / m);
            // Only the samples the FFE and DFE rows touch, plus the whole-pulse autocorrelation.
            w.t_spaced.clear();
            w.t_spaced.extend(
                (0..=n_post + span_after)
                    .map(|k| g(((cursor + k) as isize - n_post as isize) * m as isize + phase as isize)),
            );
            combined_acf(tx, &w.phase_acf[phase * lags..(phase + 1) * lags], &mut w.combined_acf);
            let p = Problem {
                pulse: &w.t_spaced,
                cursor: n_post,
                pulse_acf: Some(&w.combined_acf),
                noise_acf: &w.noise_acf,
                symbol_var: symbol_variance(self.cfg.pam),
            };
            let snr = w.solver.solve(&p)?.snr;
            if snr > best.0 {
                best = (snr, i);
            }
        }
        Ok(best)
    }

    /// The cursor position (window sample) by the configured rule, near the unequalized peak.
    fn locate(&self, g: &impl Fn(isize) -> f64) -> usize {
        let m = self.spectrum.config.samples_per_ui;
        let lo = (PRE_UI - 1) * m;
        let hi = ((PRE_UI + 2) * m).min(self.window.len_samples() - 1);
        locate_fn(self.cfg.cursor, m, lo, hi, &|i| g(i as isize))
    }

    /// T-spaced samples of `tx ⊛ window` through the cursor chosen by the rule near the
    /// unequalized peak; returns the cursor's oversampled position (its T-spaced index is
    /// `pos / samples_per_ui`).
    fn combined_t_spaced(&self, tx: &TxFfe, window: &[f64], out: &mut Vec<f64>) -> usize {
        let m = self.spectrum.config.samples_per_ui;
        let g = |pos: isize| combined_sample(tx, window, m, pos);
        let pos = self.locate(&g);
        out.clear();
        out.extend((pos % m..window.len()).step_by(m).map(|i| g(i as isize)));
        pos
    }
}

/// `Σ_k c_k·p(pos − (k − main)·M)`: the Tx FFE output at one window sample (0 outside).
#[inline]
fn combined_sample(tx: &TxFfe, window: &[f64], m: usize, pos: isize) -> f64 {
    tx.taps
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let src = pos - (k as isize - tx.main_index as isize) * m as isize;
            if src >= 0 && (src as usize) < window.len() { c * window[src as usize] } else { 0.0 }
        })
        .sum()
}

/// Autocorrelation of the Tx-FFE-combined T-spaced pulse from that of the pulse:
/// `acf_g(l) = Σ_{a,b} c_a c_b·acf_q(l + a − b)` (`acf_q` even in the lag).
fn combined_acf(tx: &TxFfe, acf_q: &[f64], out: &mut [f64]) {
    for (l, o) in out.iter_mut().enumerate() {
        let mut sum = 0.0;
        for (a, &ca) in tx.taps.iter().enumerate() {
            for (b, &cb) in tx.taps.iter().enumerate() {
                sum += ca * cb * acf_q[(l as isize + a as isize - b as isize).unsigned_abs()];
            }
        }
        *o = sum;
    }
}

/// The cursor by `rule` on a lazily evaluated pulse `g` over sample positions `lo ..= hi`.
fn locate_fn(rule: CursorRule, m: usize, lo: usize, hi: usize, g: &impl Fn(usize) -> f64) -> usize {
    let peak = (lo..=hi).max_by(|&a, &b| g(a).total_cmp(&g(b))).unwrap_or(lo);
    match rule {
        CursorRule::Peak => peak,
        CursorRule::MuellerMuller => {
            let d = |i: usize| (g(i - m) - g(i + m)).abs();
            let a = peak.saturating_sub(m / 2).max(m);
            let b = peak + m / 2;
            (a..=b).min_by(|&x, &y| d(x).total_cmp(&d(y))).unwrap_or(peak)
        }
    }
}

/// Equalizes a channel: the search, then the final taps and metrics at the best point.
pub fn equalize(spectrum: &ChannelSpectrum, cfg: &EqConfig) -> Result<EqResult> {
    check_range("noise_rms_v", cfg.noise_rms_v, 1e-9, 10.0, "V")?;
    check_range("amplitude_v", cfg.amplitude_v, 1e-6, 100.0, "V")?;
    let engine = Engine::new(spectrum, cfg)?;
    let best = (0..engine.ctles.len())
        .into_par_iter()
        .map_init(
            || engine.worker(),
            |w, i| -> Result<Point> {
                let w = w.as_mut().map_err(|e| Error::Numerical { what: e.to_string() })?;
                engine.load_ctle(engine.ctles[i].as_ref(), w);
                let (snr, tx) = engine.score_txs(w)?;
                Ok(Point { snr, ctle: i, tx })
            },
        )
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .max_by(|a, b| a.snr.total_cmp(&b.snr).then(b.ctle.cmp(&a.ctle)))
        .ok_or_else(|| Error::Numerical { what: "empty equalizer search".into() })?;
    finish(&engine, best)
}

fn finish(engine: &Engine<'_>, best: Point) -> Result<EqResult> {
    let cfg = engine.cfg;
    let m = engine.spectrum.config.samples_per_ui;
    let sx = symbol_variance(cfg.pam);
    let mut w = engine.worker()?;
    // Before: no CTLE, no Tx FFE, no Rx equalization.
    engine.load_ctle(None, &mut w);
    let before = PulseResponse::new(w.window.clone(), m, engine.spectrum.config.symbol_rate_baud, cfg.cursor)?;
    let (before_t, before_c) = before.t_spaced();
    let raw_acf = w.noise_acf.clone();
    let p0 = Problem { pulse: &before_t, cursor: before_c, pulse_acf: None, noise_acf: &raw_acf, symbol_var: sx };
    let snr_before = evaluate(&p0, 0, &[1.0], &[]);
    // The chosen point.
    let ctle = engine.ctles[best.ctle];
    let tx = engine.txs[best.tx].clone();
    engine.load_ctle(ctle.as_ref(), &mut w);
    let cursor_pos = engine.combined_t_spaced(&tx, &w.window, &mut w.t_spaced);
    let cursor = cursor_pos / m;
    let p = Problem { pulse: &w.t_spaced, cursor, pulse_acf: None, noise_acf: &w.noise_acf, symbol_var: sx };
    let (ffe, dfe_v, metrics) = final_taps(cfg, &p, &mut w.solver)?;
    let main = cfg.rx_ffe.n_pre;
    let scale = 1.0 / ffe[main];
    let f0 = metrics.cursor_v;
    let before_ffe = w.noise_acf[0] / (p.pulse[cursor] * p.pulse[cursor]);
    let after_ffe = metrics.noise_var_v2 / (f0 * f0);
    let residual = residual_cursors(&p, main, &ffe, &dfe_v);
    let isi_peak = residual.iter().filter(|r| r.0 != 0).map(|r| r.1.abs()).fold(0.0, f64::max);
    let (ser, ber) = slicer_ber(cfg.pam, &residual, metrics.noise_var_v2)?;
    let prop = error_propagation(cfg.pam, &metrics, dfe_v.first().copied().unwrap_or(0.0));
    let traces = traces(engine, &w, &before, ctle.as_ref(), &tx, (&ffe, &dfe_v), &p, cursor_pos);
    let ctle_grid = if let CtleChoice::Search(g) = &cfg.ctle { Some(g.clone()) } else { None };
    let tx_grid = if let TxChoice::Search(g) = &cfg.tx { Some(g.clone()) } else { None };
    Ok(EqResult {
        symbol_rate_baud: engine.spectrum.config.symbol_rate_baud,
        modulation: cfg.pam.name(),
        noise_rms_v: cfg.noise_rms_v,
        amplitude_v: cfg.amplitude_v,
        snr_before_db: snr_before.snr_db(),
        snr_after_db: metrics.snr_db(),
        tx_ffe_taps: tx.taps.clone(),
        tx_ffe_main_index: tx.main_index,
        ctle,
        rx_ffe_taps: ffe.iter().map(|v| v * scale).collect(),
        rx_ffe_main_index: main,
        dfe_taps: dfe_v.iter().map(|b| b / f0).collect(),
        residual_isi_rms: metrics.isi_var_v2.sqrt() / f0,
        residual_isi_peak: isi_peak / f0,
        cursor_v: f0 * scale,
        ffe_noise_enhancement_db: 10.0 * (after_ffe / before_ffe).log10(),
        ser,
        ber,
        equalized_pulse_first_ui: -EQUALIZED_PRE_UI,
        equalized_pulse_v: traces
            .slicer_samples
            .iter()
            .filter(|(k, _)| (-EQUALIZED_PRE_UI as f64..=EQUALIZED_POST_UI as f64).contains(k))
            .map(|s| s.1)
            .collect(),
        dfe_error_propagation_probability: prop,
        cursor_rule: cfg.cursor,
        method: cfg.method,
        search: SearchSummary {
            combinations: engine.ctles.len() * engine.txs.len(),
            ctle_settings: engine.ctles.len(),
            tx_ffe_settings: engine.txs.len(),
            ctle_grid,
            tx_ffe_grid: tx_grid,
        },
        traces,
    })
}

/// UI of the equalized pulse reported before the cursor.
pub const EQUALIZED_PRE_UI: isize = 8;
/// UI of the equalized pulse reported after the cursor.
pub const EQUALIZED_POST_UI: isize = 32;

/// LMS run length (symbols) for the final taps.
const LMS_SYMBOLS: usize = 1_000_000;

/// The final Rx FFE and DFE taps by the configured method, with their metrics.
fn final_taps(cfg: &EqConfig, p: &Problem<'_>, solver: &mut Solver) -> Result<(Vec<f64>, Vec<f64>, SlicerMetrics)> {
    let adaptation = match cfg.method {
        Method::Mmse => None,
        Method::ZeroForcing => {
            let mut zf = Solver::new(cfg.rx_ffe, cfg.dfe.clone(), Criterion::ZeroForcing)?;
            let m = zf.solve(p)?;
            return Ok((zf.ffe.clone(), zf.dfe_v.clone(), m));
        }
        Method::Lms => Some((Adaptation::Lms, 0.1)),
        Method::SignSignLms => Some((Adaptation::SignSign, 2e-4)),
    };
    let Some((adaptation, mu)) = adaptation else {
        let m = solver.solve(p)?;
        return Ok((solver.ffe.clone(), solver.dfe_v.clone(), m));
    };
    // Noise with the CTLE-shaped autocorrelation over the FFE span.
    let lags = &p.noise_acf[..cfg.rx_ffe.taps().min(p.noise_acf.len())];
    let wave = synthesize(p.pulse, p.cursor, cfg.pam, LMS_SYMBOLS, lags, cfg.seed);
    let lms =
        LmsConfig { n_pre: cfg.rx_ffe.n_pre, n_post: cfg.rx_ffe.n_post, dfe_taps: cfg.dfe.taps(), mu, adaptation };
    let taps = adapt(&wave, &lms)?;
    let m = evaluate(p, cfg.rx_ffe.n_pre, &taps.ffe, &taps.dfe_v);
    Ok((taps.ffe, taps.dfe_v, m))
}

/// Statistical SER/BER of the T-spaced residual (DFE-cancelled cursors removed) with the FFE
/// output noise, at the sampling instant. A noise below the statistical grid's floor
/// ([`min_noise_rms_v`], about 96 dB under the ISI span: an ISI-limited channel or a pulse in
/// the wrong unit) is raised to it, so the answer is the ISI-limited one rather than an error
/// about a noise the user did not set.
fn slicer_ber(pam: Pam, residual: &[(isize, f64)], noise_var: f64) -> Result<(f64, f64)> {
    let pulse: Vec<f64> = residual.iter().map(|r| r.1).collect();
    let cursor = residual.iter().position(|r| r.0 == 0);
    let noise_rms_v = noise_var.sqrt().max(min_noise_rms_v(&pulse, 1)).max(1e-15);
    let model = StatisticalBer::new(&pulse, 1, pam, noise_rms_v, JitterModel::default(), cursor)?;
    let point = model.at_phase(0.0)?;
    Ok((point.ser, point.ber))
}

/// `P(error at n | error at n−1)`: a one-level error fed back through DFE tap 1 shifts the next
/// sample by `s = b_1·2/(M − 1)`; with Gaussian residual (ISI + noise) σ and half eye
/// `A = f_0/(M − 1)`, `P ≈ (M − 1)/M·[Q((A − s)/σ) + Q((A + s)/σ)]` (reduces to the PAM SER
/// for `s = 0`; compare the two-state burst model, `docs/models.md` §7).
fn error_propagation(pam: Pam, m: &SlicerMetrics, b1_v: f64) -> f64 {
    let levels = pam.levels() as f64;
    let sigma = (m.isi_var_v2 + m.noise_var_v2).sqrt().max(1e-300);
    let half_eye = m.cursor_v / (levels - 1.0);
    let shift = b1_v.abs() * 2.0 / (levels - 1.0);
    (levels - 1.0) / levels * (q((half_eye - shift) / sigma) + q((half_eye + shift) / sigma))
}

#[allow(clippy::too_many_arguments)]
fn traces(
    engine: &Engine<'_>,
    w: &Worker,
    before: &PulseResponse,
    ctle: Option<&Ctle>,
    tx: &TxFfe,
    (ffe, dfe_v): (&[f64], &[f64]),
    p: &Problem<'_>,
    cursor_pos: usize,
) -> EqTraces {
    let m = engine.spectrum.config.samples_per_ui;
    let n_pre = engine.cfg.rx_ffe.n_pre;
    let scale = 1.0 / ffe[n_pre];
    let taps: Vec<f64> = ffe.iter().map(|v| v * scale).collect();
    let after_tx = fir_oversampled(&tx.taps, tx.main_index, &w.window, m);
    let pulse_after = fir_oversampled(&taps, n_pre, &after_tx, m);
    let dfe_scaled: Vec<f64> = dfe_v.iter().map(|b| b * scale).collect();
    let slicer_samples =
        residual_cursors(p, n_pre, &taps, &dfe_scaled).into_iter().map(|(k, v)| (k as f64, v)).collect();
    let cursor_after = cursor_pos;
    let ui = engine.spectrum.config.ui_s();
    let f_top = engine.spectrum.config.symbol_rate_baud;
    let mut freq_hz = Vec::new();
    let (mut channel_db, mut ctle_db, mut equalized_db) = (Vec::new(), Vec::new(), Vec::new());
    for (k, &f) in engine.spectrum.freq_hz.iter().enumerate() {
        if f > f_top || k == 0 {
            continue;
        }
        let h = engine.spectrum.channel[k];
        let c = ctle.map_or(Complex64::new(1.0, 0.0), |c| c.transfer(f));
        let total = h * c * tx.transfer(f, ui) * fir_transfer(&taps, n_pre, f, ui);
        freq_hz.push(f);
        channel_db.push(amplitude_ratio_to_db(h.norm().max(1e-15)));
        ctle_db.push(amplitude_ratio_to_db(c.norm()));
        equalized_db.push(amplitude_ratio_to_db(total.norm().max(1e-15)));
    }
    EqTraces {
        pulse_before: before.samples_v.clone(),
        cursor_before: before.cursor_index,
        pulse_after,
        cursor_after,
        slicer_samples,
        samples_per_ui: m,
        freq_hz,
        channel_db,
        ctle_db,
        equalized_db,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_from_their_command_line_text() {
        let ctle = |t: &str| t.parse::<CtleChoice>();
        assert_eq!(ctle("auto").unwrap(), CtleChoice::Search(CtleGrid::default()));
        assert_eq!(ctle(" OFF").unwrap(), CtleChoice::Off);
        assert_eq!(ctle("-8,-2").unwrap(), CtleChoice::Fixed { g_dc_db: -8.0, g_dc2_db: -2.0 });
        assert_eq!(ctle("-8dB").unwrap(), CtleChoice::Fixed { g_dc_db: -8.0, g_dc2_db: 0.0 });
        let e = ctle("-30").unwrap_err().to_string();
        assert!(e.contains("invalid ctle.g_dc_db = -30 dB") && e.contains("-20 dB ..= 0 dB"), "{e}");
        assert!(ctle("-8,-7").unwrap_err().to_string().contains("ctle.g_dc2_db"));
        assert!(ctle("peaky").unwrap_err().to_string().starts_with("invalid ctle = 'peaky'"));
        let tx = "-0.1,0.75,-0.15".parse::<TxChoice>().unwrap();
        assert_eq!(tx, TxChoice::Fixed(TxFfe { taps: vec![-0.1, 0.75, -0.15], main_index: 1 }));
        assert_eq!("auto".parse::<TxChoice>().unwrap(), TxChoice::Search(TxFfeGrid::default()));
        assert!("0.2,0.5".parse::<TxChoice>().unwrap_err().to_string().contains("invalid taps"));
        assert!("x".parse::<TxChoice>().unwrap_err().to_string().starts_with("invalid tx = 'x'"));
        assert_eq!("3, 12".parse::<RxFfeShape>().unwrap(), RxFfeShape { n_pre: 3, n_post: 12 });
        assert_eq!("none".parse::<RxFfeShape>().unwrap(), RxFfeShape::NONE);
        assert!("-1,12".parse::<RxFfeShape>().unwrap_err().to_string().contains("rx_ffe"));
        assert_eq!("2".parse::<DfeConfig>().unwrap(), DfeConfig::com(2));
        assert!("33".parse::<DfeConfig>().unwrap_err().to_string().contains("0 ..= 32"));
        assert_eq!("MM".parse::<CursorRule>().unwrap(), CursorRule::MuellerMuller);
        assert_eq!("sslms".parse::<Method>().unwrap(), Method::SignSignLms);
        assert!("magic".parse::<Method>().unwrap_err().to_string().starts_with("invalid method"));
    }

    #[test]
    fn a_config_from_toml_matches_one_built_from_the_same_text() {
        let text = "pam = \"nrz\"\nnoise_rms_v = 2e-3\nctle = \"-8,-2\"\ntx = \"off\"\nrx_ffe = \"2,6\"\n\
                    dfe = 3\ncursor = \"mm\"\nmethod = \"zf\"\nseed = 7\n";
        let mut want = EqConfig::new(Pam::NRZ, 2e-3);
        want.ctle = "-8,-2".parse().unwrap();
        want.tx = TxChoice::Off;
        want.rx_ffe = "2,6".parse().unwrap();
        want.dfe = DfeConfig::com(3);
        want.cursor = CursorRule::MuellerMuller;
        want.method = Method::ZeroForcing;
        want.seed = 7;
        assert_eq!(EqConfig::from_toml(text, "eq.toml").unwrap(), want);
        assert_eq!(EqConfig::from_toml("", "eq.toml").unwrap(), EqConfig::default());
        let e = EqConfig::from_toml("seed = 1\nctel = \"off\"\n", "eq.toml").unwrap_err().to_string();
        assert!(e.starts_with("eq.toml:2:") && e.contains("ctel"), "{e}");
        let e = EqConfig::from_toml("dfe = 40\n", "eq.toml").unwrap_err().to_string();
        assert!(e.starts_with("eq.toml:1:") && e.contains("invalid dfe = '40'"), "{e}");
    }

    #[test]
    fn a_choice_of_the_wrong_type_is_named_at_its_line() {
        let e = EqConfig::from_toml("seed = 1\ndfe = true\n", "eq.toml").unwrap_err().to_string();
        assert!(e.starts_with("eq.toml:2:") && e.contains("expected a name or a number"), "{e}");
        assert!(e.contains("dfe"), "{e}");
    }

    /// Issue 14: a pulse with one sample at −1e5 V used to ask for a 50 PB ISI grid, and then for
    /// a noise floor the user never set; the residual-ISI-limited answer comes out instead.
    #[test]
    fn an_isi_limited_pulse_gives_a_ber_not_a_grid_error() {
        let mut samples = vec![0.0; 64];
        samples[16] = 1.0;
        samples[24] = -1e5;
        let pulse = PulseResponse::new(samples, 8, 25e9, CursorRule::Peak).unwrap();
        let spectrum = ChannelSpectrum::from_pulse(&pulse, crate::eq::PulseConfig::com(25e9)).unwrap();
        let mut cfg = EqConfig::new(Pam::PAM4, 1e-3);
        cfg.ctle = CtleChoice::Off;
        cfg.tx = TxChoice::Off;
        let r = equalize(&spectrum, &cfg).unwrap();
        assert!(r.ser.is_finite() && (0.0..=1.0).contains(&r.ser), "{}", r.ser);
    }

    #[test]
    fn library_errors_name_the_field_not_a_flag() {
        let spectrum = ChannelSpectrum::from_medium(
            &crate::channel::Medium::named("twinax-30awg").unwrap(),
            1.0,
            crate::eq::PulseConfig::com(26.5625e9),
        )
        .unwrap();
        let e = equalize(&spectrum, &EqConfig::new(Pam::PAM4, -1e-3)).unwrap_err();
        assert!(matches!(&e, Error::InvalidParameter { field, .. } if field == "noise_rms_v"), "{e}");
    }
}
