//! Pulse responses: from a channel's [`FrequencyResponse`] (or a given pulse) to the sampled
//! response to one symbol, with COM's Tx edge and Rx filter, by one inverse FFT.
//!
//! **Method** (IEEE 802.3-2022 Annex 93A, 93A-18 to 93A-24, as PyChOpMarg and the 802.3 MATLAB
//! code do it; scikit-rf `extrapolate_to_dc` / `impulse_response` do the same steps):
//! 1. Uniform grid `f_k = k·Δf`, `Δf = f_b/window_ui`, `k = 0 … N/2`, `N = window_ui·M`
//!    (`M` samples per UI, so the time step is `T/M`).
//! 2. The channel is interpolated onto the grid in polar form
//!    ([`FrequencyResponse::interpolate`]). Below the first data point it is extended to DC with
//!    the first magnitude and a phase that goes linearly to zero. Data that stop below the
//!    Nyquist frequency `f_b/2` are an error. Above the last data point the response is zero, and
//!    the top 10 % of the data band (never below Nyquist) is tapered by a half-cosine window so
//!    the truncation does not ring.
//! 3. `S(f) = H_ch·H_t·H_r·D(f)`: Tx edge (93A-46), Rx Butterworth (93A-20) and the DFT of the
//!    `M`-sample rectangle (one UI of transmitted symbol), `D_k = Σ_{m<M} e^{−j2πkm/N}`, so a flat
//!    channel gives exactly a 1-UI rectangle of height 1.
//! 4. Causality: the inverse FFT is circular, so the bulk propagation delay only rotates the
//!    response. The pulse is cut from the rotated record at a fixed window around its peak
//!    (`PRE_UI` before it, and after it until the tail stays below `TAIL_FLOOR` = 1e-3 of the peak,
//!    at most `MAX_WINDOW_UI` = 256 UI in all), which
//!    keeps the causal precursor and drops the wrapped-around remainder.
//!
//! The noise at the receiver is white at the Rx input and shaped by `|H_r·H_ctle|²`; its
//! autocorrelation at T-spaced lags comes out of the same inverse FFT (imaginary part, see
//! [`crate::eq::search`]).

use super::filters::{rx_butterworth_transfer, tx_edge_transfer};
use crate::channel::{FrequencyResponse, Medium};
use crate::error::{Error, Result, check_range};
use crate::input::Columns;
use crate::signal::SYMBOL_RATE_BAUD;
use crate::signal::waveform::SampleUnit;
use num_complex::Complex64;
use rustfft::{Fft, FftPlanner};
use serde::Serialize;
use std::f64::consts::PI;
use std::path::Path;
use std::sync::Arc;

/// A pulse response: the receiver-side waveform of one isolated symbol of value 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PulseResponse {
    /// Samples, V per unit symbol, `samples_per_ui` per UI.
    pub samples_v: Vec<f64>,
    /// Samples per unit interval.
    pub samples_per_ui: usize,
    /// Index of the main-cursor sample.
    pub cursor_index: usize,
    /// Symbol rate, Bd.
    pub symbol_rate_baud: f64,
}

/// How the main cursor (the sampling instant) is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CursorRule {
    /// The largest sample.
    #[default]
    Peak,
    /// Mueller–Müller: the sample where the first pre- and post-cursors are equal,
    /// `h(−1) = h(+1)` (the 802.3 Annex 93A convention, 93A-25, without the DFE term of 93A-26),
    /// searched within ±½ UI of the peak; the peak when no such sample exists.
    MuellerMuller,
}

impl std::str::FromStr for CursorRule {
    type Err = Error;

    /// `peak`, or `mm` (`mueller-muller`), case-insensitive.
    fn from_str(text: &str) -> Result<CursorRule> {
        match text.to_ascii_lowercase().as_str() {
            "peak" => Ok(CursorRule::Peak),
            "mm" | "mueller-muller" => Ok(CursorRule::MuellerMuller),
            _ => Err(Error::invalid("cursor", format!("'{text}'"), "expected peak or mm")),
        }
    }
}

impl CursorRule {
    /// The cursor index of `samples` (`samples_per_ui` per UI).
    pub fn locate(self, samples: &[f64], samples_per_ui: usize) -> usize {
        let peak = argmax(samples);
        match self {
            CursorRule::Peak => peak,
            CursorRule::MuellerMuller => mueller_muller(samples, samples_per_ui, peak).unwrap_or(peak),
        }
    }
}

/// Index of the largest value (0 for an empty slice).
pub fn argmax(v: &[f64]) -> usize {
    (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap_or(0)
}

/// The sample nearest to the peak where `h(t − T) − h(t + T)` changes sign.
fn mueller_muller(p: &[f64], m: usize, peak: usize) -> Option<usize> {
    let d = |i: usize| -> Option<f64> { Some(p.get(i.checked_sub(m)?)? - p.get(i + m)?) };
    let lo = peak.saturating_sub(m / 2).max(m);
    let hi = (peak + m / 2).min(p.len().saturating_sub(m + 1));
    (lo..=hi).filter(|&i| d(i).is_some()).min_by(|&a, &b| d(a).unwrap().abs().total_cmp(&d(b).unwrap().abs()))
}

impl PulseResponse {
    /// Checks and wraps samples (finite, at least one UI, positive peak).
    pub fn new(samples_v: Vec<f64>, samples_per_ui: usize, symbol_rate_baud: f64, rule: CursorRule) -> Result<Self> {
        if !(1..=MAX_SAMPLES_PER_UI).contains(&samples_per_ui) {
            return Err(Error::invalid(
                "samples per UI",
                samples_per_ui,
                format!("expected 1 ..= {MAX_SAMPLES_PER_UI}"),
            ));
        }
        if samples_v.len() < samples_per_ui || samples_v.len() > MAX_PULSE_SAMPLES {
            return Err(Error::invalid(
                "pulse",
                format!("{} samples", samples_v.len()),
                format!("expected {samples_per_ui} ..= {MAX_PULSE_SAMPLES} samples (at least one UI)"),
            ));
        }
        if let Some((i, v)) = samples_v.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::invalid(format!("pulse[{i}]"), v, "expected a finite voltage"));
        }
        SYMBOL_RATE_BAUD.check("symbol_rate_baud", symbol_rate_baud)?;
        let cursor_index = rule.locate(&samples_v, samples_per_ui);
        if !(samples_v[cursor_index] > 0.0) {
            return Err(Error::invalid("pulse", "no positive sample", "expected a pulse with a positive peak"));
        }
        Ok(PulseResponse { samples_v, samples_per_ui, cursor_index, symbol_rate_baud })
    }

    /// Reads a pulse-response CSV of `time_s,pulse_v` rows ([`crate::input::read_columns`]: header
    /// and `#` lines skipped, at most [`MAX_PULSE_SAMPLES`] rows). The sample period is fitted to
    /// the time column ([`crate::input::Columns::sample_period_s`], which names missing, repeated
    /// or drifting samples) and must give a whole number of samples per UI at `symbol_rate_baud`;
    /// the values are V, or mV by their header ([`pulse_column_v`]); the cursor is the peak. The
    /// pulse is taken as already including the Tx and Rx filters.
    pub fn read_csv(path: &Path, symbol_rate_baud: f64) -> Result<PulseResponse> {
        Self::from_columns(crate::input::read_columns(path, MAX_PULSE_SAMPLES)?, symbol_rate_baud)
    }

    /// [`PulseResponse::read_csv`] on text already in memory; `file` names the source in errors.
    pub fn parse_csv(text: &str, file: &str, symbol_rate_baud: f64) -> Result<PulseResponse> {
        Self::from_columns(crate::input::parse_columns(text, file, MAX_PULSE_SAMPLES)?, symbol_rate_baud)
    }

    /// The pulse of a `time_s,pulse_v` table (see [`PulseResponse::read_csv`]).
    fn from_columns(mut table: Columns, symbol_rate_baud: f64) -> Result<PulseResponse> {
        table.expect_width(&[2], "two numbers `time_s,pulse_v`")?;
        let dt = table.sample_period_s(0)?;
        let per_ui = 1.0 / (symbol_rate_baud * dt);
        let spui = per_ui.round();
        if !(spui >= 1.0) || (per_ui - spui).abs() > 1e-3 * spui {
            let message = format!(
                "time step {dt:e} s is {per_ui:.4} samples per UI at {} GBd: expected a whole number",
                crate::input::short_number(symbol_rate_baud / 1e9, 7)
            );
            return Err(Error::Parse { file: table.file, line: 0, message });
        }
        let samples_v = pulse_column_v(&mut table, 1)?;
        PulseResponse::new(samples_v, spui as usize, symbol_rate_baud, CursorRule::Peak)
    }

    /// Main-cursor amplitude, V.
    pub fn main_cursor_v(&self) -> f64 {
        self.samples_v[self.cursor_index]
    }

    /// T-spaced samples through the cursor, with the index of the cursor among them.
    pub fn t_spaced(&self) -> (Vec<f64>, usize) {
        let m = self.samples_per_ui;
        let first = self.cursor_index % m;
        (self.samples_v[first..].iter().step_by(m).copied().collect(), self.cursor_index / m)
    }
}

/// Column `column` of a pulse table in V: the header's unit scales it (`pulse_mv`, `Pulse (mV)`);
/// no header or no unit in it is V, and an optical unit (W, mW, ...) is an error at the header.
pub fn pulse_column_v(table: &mut Columns, column: usize) -> Result<Vec<f64>> {
    let unit = SampleUnit::in_header(table, column)?.unwrap_or(SampleUnit::V);
    if unit.is_optical() {
        return Err(table.header_error(format!("pulse values in {}: expected V, mV or uV", unit.name())));
    }
    let mut samples_v = table.take_column(column);
    samples_v.iter_mut().for_each(|v| *v *= unit.si_scale());
    Ok(samples_v)
}

/// Reads a one-column pulse CSV ([`crate::input::read_columns`], at most [`MAX_PULSE_SAMPLES`]
/// rows) in V per unit symbol ([`pulse_column_v`]): the `--pulse` of `photolink ber`.
pub fn read_samples_v(path: &Path) -> Result<Vec<f64>> {
    let mut table = crate::input::read_columns(path, MAX_PULSE_SAMPLES)?;
    table.expect_width(&[1], "one column of numbers (V per unit symbol)")?;
    pulse_column_v(&mut table, 0)
}

/// Frequency step of a medium's response in [`ChannelSpectrum::from_medium`]: 10 MHz.
pub const MEDIUM_GRID_STEP_HZ: f64 = 10e6;

/// Largest oversampling accepted.
pub const MAX_SAMPLES_PER_UI: usize = 256;
/// Largest pulse accepted (samples).
pub const MAX_PULSE_SAMPLES: usize = 1 << 20;
/// UI kept before the peak when a pulse is cut from the circular record.
pub const PRE_UI: usize = 24;
/// The pulse is cut where its tail stays below this fraction of the peak: a cursor of 1e-3
/// contributes 1e-6 of the cursor power (−60 dB), far below any slicer SNR of interest.
pub const TAIL_FLOOR: f64 = 1e-3;
/// Longest pulse kept, UI.
pub const MAX_WINDOW_UI: usize = 256;

/// How a pulse response is computed: symbol rate, oversampling, record length and COM's
/// reference Tx edge and Rx filter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PulseConfig {
    /// Symbol rate, Bd.
    pub symbol_rate_baud: f64,
    /// Samples per UI `M` (COM uses 32).
    pub samples_per_ui: usize,
    /// Record length in UI (a power of two; `Δf = f_b/window_ui`).
    pub window_ui: usize,
    /// 20–80 % rise time of the Tx edge filter (93A-46), s; 0 turns it off.
    pub tx_rise_time_s: f64,
    /// 3-dB frequency `f_r` of the Rx Butterworth filter (93A-20), Hz; 0 turns it off.
    pub rx_bandwidth_hz: f64,
}

impl PulseConfig {
    /// COM-like defaults for symbol rate `f_b`: `M = 32`, a 512-UI record, `f_r = 0.75·f_b`
    /// (802.3ck KR/C2C), `T_r` = 7.5 ps (802.3ck C2C) below 80 GBd and 4 ps (802.3dj D3.3) above
    /// (MATLAB COM 3.70 sheets as transcribed by serdeskit; P802.3dj D3.3 in PyChOpMarg 3.4.0).
    pub fn com(symbol_rate_baud: f64) -> PulseConfig {
        PulseConfig {
            symbol_rate_baud,
            samples_per_ui: 32,
            window_ui: 512,
            tx_rise_time_s: if symbol_rate_baud > 80e9 { 4e-12 } else { 7.5e-12 },
            rx_bandwidth_hz: 0.75 * symbol_rate_baud,
        }
    }

    fn validate(&self) -> Result<()> {
        SYMBOL_RATE_BAUD.check("symbol_rate_baud", self.symbol_rate_baud)?;
        if !(1..=MAX_SAMPLES_PER_UI).contains(&self.samples_per_ui) {
            return Err(Error::invalid(
                "samples per UI",
                self.samples_per_ui,
                format!("expected 1 ..= {MAX_SAMPLES_PER_UI}"),
            ));
        }
        if !self.window_ui.is_power_of_two() || !(64..=8192).contains(&self.window_ui) {
            return Err(Error::invalid("window_ui", self.window_ui, "expected a power of two in 64 ..= 8192"));
        }
        check_range("tx rise time", self.tx_rise_time_s, 0.0, 1e-9, "s")?;
        if self.rx_bandwidth_hz != 0.0 {
            check_range("rx bandwidth", self.rx_bandwidth_hz, 1e3, 1e13, "Hz")?;
        }
        Ok(())
    }

    /// Unit interval, s.
    pub fn ui_s(&self) -> f64 {
        1.0 / self.symbol_rate_baud
    }

    /// FFT length `N`.
    pub fn fft_len(&self) -> usize {
        self.window_ui * self.samples_per_ui
    }

    /// The Rx filter at `freq_hz` (1 when it is off).
    pub fn rx_filter(&self, freq_hz: f64) -> Complex64 {
        if self.rx_bandwidth_hz == 0.0 {
            Complex64::new(1.0, 0.0)
        } else {
            rx_butterworth_transfer(freq_hz, self.rx_bandwidth_hz)
        }
    }

    /// Grid step, Hz.
    pub fn freq_step_hz(&self) -> f64 {
        self.symbol_rate_baud / self.window_ui as f64
    }
}

/// A channel on the FFT grid, ready for any CTLE: the signal spectrum (channel, filters and the
/// symbol rectangle) and the receiver-noise shape, `k = 0 … N/2`.
#[derive(Debug, Clone)]
pub struct ChannelSpectrum {
    /// The configuration.
    pub config: PulseConfig,
    /// Grid frequencies, Hz.
    pub freq_hz: Vec<f64>,
    /// The channel alone on the grid (zero above the data), for plots.
    pub channel: Vec<Complex64>,
    /// `S_k = H_ch·H_t·H_r·D_k / N`: its inverse FFT (unnormalised) is the pulse.
    pub signal: Vec<Complex64>,
    /// `|H_r|²` scaled so that white input noise of unit variance at the Rx-filter output (no
    /// CTLE) has `r(0) = 1` after the inverse FFT.
    pub noise_psd: Vec<f64>,
}

impl ChannelSpectrum {
    /// From a measured or modeled channel (module docs, steps 1–3).
    pub fn from_response(h: &FrequencyResponse, config: PulseConfig) -> Result<Self> {
        config.validate()?;
        let (lo, hi) = h.range_hz();
        let nyquist = config.symbol_rate_baud / 2.0;
        if hi < nyquist {
            return Err(Error::invalid(
                "channel data",
                format!("up to {:.4} GHz", hi / 1e9),
                format!(
                    "expected data up to at least the Nyquist frequency {:.4} GHz (symbol rate / 2)",
                    nyquist / 1e9
                ),
            ));
        }
        let with_dc = extend_to_dc(h)?;
        let n = config.fft_len();
        let df = config.freq_step_hz();
        let freq_hz: Vec<f64> = (0..=n / 2).map(|k| k as f64 * df).collect();
        let inside: Vec<f64> = freq_hz.iter().copied().take_while(|&f| f <= hi).collect();
        let on_grid = with_dc.interpolate(&inside)?;
        let taper_from = (lo + 0.9 * (hi - lo)).max(nyquist).min(hi);
        let channel: Vec<Complex64> = freq_hz
            .iter()
            .enumerate()
            .map(|(k, &f)| if k < inside.len() { on_grid.h[k] * taper(f, taper_from, hi) } else { Complex64::ZERO })
            .collect();
        Ok(Self::assemble(config, freq_hz, channel))
    }

    /// From `length_m` of a catalogue medium: its response ([`Medium::response`]) every
    /// [`MEDIUM_GRID_STEP_HZ`] from one step to 1.5·f_b (extended to DC as any channel), then
    /// [`ChannelSpectrum::from_response`].
    pub fn from_medium(medium: &Medium, length_m: f64, config: PulseConfig) -> Result<Self> {
        config.validate()?;
        let n = (1.5 * config.symbol_rate_baud / MEDIUM_GRID_STEP_HZ).ceil() as usize;
        let grid: Vec<f64> = (1..=n).map(|i| i as f64 * MEDIUM_GRID_STEP_HZ).collect();
        Self::from_response(&medium.response(&grid, length_m)?, config)
    }

    /// From a pulse that already includes the Tx and Rx filters (e.g. `--pulse FILE.csv`): its
    /// spectrum by FFT. The noise is still shaped by the Rx filter of `config`.
    pub fn from_pulse(pulse: &PulseResponse, mut config: PulseConfig) -> Result<Self> {
        config.samples_per_ui = pulse.samples_per_ui;
        config.symbol_rate_baud = pulse.symbol_rate_baud;
        let ui_needed = pulse.samples_v.len().div_ceil(pulse.samples_per_ui) + PRE_UI;
        config.window_ui = ui_needed.next_power_of_two().clamp(64, 8192);
        config.validate()?;
        let n = config.fft_len();
        if pulse.samples_v.len() > n {
            return Err(Error::invalid("pulse", pulse.samples_v.len(), "expected at most 8192 UI of samples"));
        }
        let mut buf: Vec<Complex64> =
            (0..n).map(|i| Complex64::new(*pulse.samples_v.get(i).unwrap_or(&0.0), 0.0)).collect();
        FftPlanner::new().plan_fft_forward(n).process(&mut buf);
        let freq_hz: Vec<f64> = (0..=n / 2).map(|k| k as f64 * config.freq_step_hz()).collect();
        let noise_psd = noise_shape(&config, &freq_hz);
        let signal: Vec<Complex64> = buf[..=n / 2].iter().map(|&s| s / n as f64).collect();
        // The "channel" of a given pulse is its spectrum divided by the rectangle (for plots).
        let channel = freq_hz
            .iter()
            .zip(&signal)
            .map(|(&f, &s)| {
                let d = rect_dft(f, &config);
                // At the rectangle's spectral zeros (multiples of f_b) the channel is unknown: 0.
                if d.norm() < 1e-9 { Complex64::ZERO } else { s * n as f64 / d }
            })
            .collect();
        Ok(ChannelSpectrum { config, freq_hz, channel, signal, noise_psd })
    }

    fn assemble(config: PulseConfig, freq_hz: Vec<f64>, channel: Vec<Complex64>) -> Self {
        let n = config.fft_len() as f64;
        let signal = freq_hz
            .iter()
            .zip(&channel)
            .map(|(&f, &h)| {
                h * tx_edge_transfer(f, config.tx_rise_time_s) * config.rx_filter(f) * rect_dft(f, &config) / n
            })
            .collect();
        let noise_psd = noise_shape(&config, &freq_hz);
        ChannelSpectrum { config, freq_hz, channel, signal, noise_psd }
    }
}

/// `|H_r|²/Σ_k|H_r|²` over the full (two-sided) grid, so that its inverse FFT has `r(0) = 1`.
fn noise_shape(config: &PulseConfig, freq_hz: &[f64]) -> Vec<f64> {
    let n = config.fft_len();
    let shape: Vec<f64> = freq_hz.iter().map(|&f| config.rx_filter(f).norm_sqr()).collect();
    // Two-sided sum: k = 0 and N/2 once, the others twice.
    let total: f64 = shape.iter().enumerate().map(|(k, s)| if k == 0 || k == n / 2 { *s } else { 2.0 * s }).sum();
    shape.iter().map(|s| s / total).collect()
}

/// DFT of the `M`-sample rectangle at `f`: `e^{−jπk(M−1)/N}·sin(πkM/N)/sin(πk/N)`, `k = f/Δf`.
fn rect_dft(freq_hz: f64, config: &PulseConfig) -> Complex64 {
    let m = config.samples_per_ui as f64;
    let n = config.fft_len() as f64;
    let k = freq_hz / config.freq_step_hz();
    let x = PI * k / n;
    let mag = if x.sin().abs() < 1e-15 { m } else { (m * x).sin() / x.sin() };
    Complex64::from_polar(mag, -x * (m - 1.0))
}

/// Half-cosine taper: 1 below `from`, 0 at `to`.
fn taper(f: f64, from: f64, to: f64) -> f64 {
    if f <= from || to <= from { 1.0 } else { 0.5 * (1.0 + (PI * ((f - from) / (to - from)).min(1.0)).cos()) }
}

/// The response with a DC point added when it has none: first magnitude, zero phase (the
/// polar interpolation then makes the phase linear down to DC).
fn extend_to_dc(h: &FrequencyResponse) -> Result<FrequencyResponse> {
    if h.freq_hz[0] <= 0.0 {
        return Ok(h.clone());
    }
    let mut f = vec![0.0];
    f.extend_from_slice(&h.freq_hz);
    let mut v = vec![Complex64::new(h.h[0].norm(), 0.0)];
    v.extend_from_slice(&h.h);
    FrequencyResponse::new(f, v)
}

/// A reusable inverse-FFT plan with its scratch, for pulses of one [`PulseConfig`].
pub struct PulsePlan {
    fft: Arc<dyn Fft<f64>>,
    n: usize,
}

impl PulsePlan {
    /// Plans the inverse FFT of length `config.fft_len()`.
    pub fn new(config: &PulseConfig) -> PulsePlan {
        let n = config.fft_len();
        PulsePlan { fft: FftPlanner::new().plan_fft_inverse(n), n }
    }

    /// Scratch buffers for [`PulsePlan::time_record`]: the record and the FFT scratch.
    pub fn buffers(&self) -> (Vec<Complex64>, Vec<Complex64>) {
        (vec![Complex64::ZERO; self.n], vec![Complex64::ZERO; self.fft.get_inplace_scratch_len()])
    }

    /// Inverse FFT of two Hermitian spectra at once: `signal(k)` (complex) and `noise(k)` (real,
    /// even), given for `k = 0 … N/2`. On return `record[i].re` is the pulse and `record[i].im`
    /// the noise autocorrelation at lag `i` samples.
    pub fn time_record(
        &self,
        signal: impl Fn(usize) -> Complex64,
        noise: impl Fn(usize) -> f64,
        record: &mut [Complex64],
        scratch: &mut [Complex64],
    ) {
        let n = self.n;
        for k in 0..=n / 2 {
            let s = signal(k);
            let r = noise(k);
            record[k] = s + Complex64::new(0.0, r);
            if k > 0 && k < n / 2 {
                record[n - k] = s.conj() + Complex64::new(0.0, r);
            }
        }
        self.fft.process_with_scratch(record, scratch);
    }
}

/// The pulse response of a channel spectrum with no CTLE, cut around its peak (module docs).
pub fn pulse_response(spectrum: &ChannelSpectrum, rule: CursorRule) -> Result<PulseResponse> {
    let plan = PulsePlan::new(&spectrum.config);
    let (mut record, mut scratch) = plan.buffers();
    plan.time_record(|k| spectrum.signal[k], |k| spectrum.noise_psd[k], &mut record, &mut scratch);
    let window = PulseWindow::around_peak(&record, &spectrum.config);
    let samples: Vec<f64> = (0..window.len_samples()).map(|i| record[window.index(i)].re).collect();
    PulseResponse::new(samples, spectrum.config.samples_per_ui, spectrum.config.symbol_rate_baud, rule)
}

/// Where the pulse sits in the circular record: `len_ui` UI starting at sample `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PulseWindow {
    /// First sample (circular index).
    pub start: usize,
    /// Length, UI.
    pub len_ui: usize,
    /// Samples per UI.
    pub samples_per_ui: usize,
    /// Record length `N`.
    pub record_len: usize,
}

impl PulseWindow {
    /// `PRE_UI` before the peak of `record[..].re` and after it until the tail stays below
    /// `TAIL_FLOOR` of the peak (plus 8 UI), at most `MAX_WINDOW_UI` in all.
    pub fn around_peak(record: &[Complex64], config: &PulseConfig) -> PulseWindow {
        let n = record.len();
        let m = config.samples_per_ui;
        let peak = (0..n).max_by(|&a, &b| record[a].re.total_cmp(&record[b].re)).unwrap_or(0);
        let start = (peak + n - PRE_UI * m) % n;
        let max_ui = config.window_ui.min(MAX_WINDOW_UI) - PRE_UI - 8;
        let floor = TAIL_FLOOR * record[peak].re.abs();
        let last_big = (0..max_ui * m).rev().find(|&i| record[(peak + i) % n].re.abs() > floor).unwrap_or(0);
        let len_ui = (PRE_UI + last_big / m + 8).min(config.window_ui.min(MAX_WINDOW_UI));
        PulseWindow { start, len_ui, samples_per_ui: m, record_len: n }
    }

    /// Samples in the window.
    pub fn len_samples(&self) -> usize {
        self.len_ui * self.samples_per_ui
    }

    /// Record index of window sample `i`.
    #[inline]
    pub fn index(&self, i: usize) -> usize {
        (self.start + i) % self.record_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(delay_s: f64, f_max: f64) -> FrequencyResponse {
        let f: Vec<f64> = (0..=20_000).map(|i| i as f64 * f_max / 20_000.0).collect();
        let h = f.iter().map(|&f| Complex64::from_polar(1.0, -2.0 * PI * f * delay_s)).collect();
        FrequencyResponse::new(f, h).unwrap()
    }

    #[test]
    fn flat_channel_without_filters_gives_a_unit_rectangle() {
        let mut cfg = PulseConfig::com(25e9);
        cfg.tx_rise_time_s = 0.0;
        cfg.rx_bandwidth_hz = 0.0;
        // Data far beyond the sampling Nyquist: no taper inside the grid.
        let spec = ChannelSpectrum::from_response(&flat(1.3e-9, 1e12), cfg).unwrap();
        let p = pulse_response(&spec, CursorRule::Peak).unwrap();
        let (t, c) = p.t_spaced();
        assert!((t[c] - 1.0).abs() < 1e-9, "{}", t[c]);
        for (i, v) in t.iter().enumerate() {
            if i != c {
                assert!(v.abs() < 1e-9, "cursor {i}: {v}");
            }
        }
    }

    #[test]
    fn data_below_nyquist_is_an_error_naming_the_frequencies() {
        let e = ChannelSpectrum::from_response(&flat(0.0, 15e9), PulseConfig::com(53.125e9)).unwrap_err().to_string();
        assert!(e.contains("channel data") && e.contains("15.0000 GHz") && e.contains("26.5625 GHz"), "{e}");
    }

    #[test]
    fn mueller_muller_balances_first_cursors() {
        // An asymmetric pulse: MM picks a sample where h(-1) ≈ h(+1).
        let m = 16;
        let p: Vec<f64> = (0..20 * m)
            .map(|i| {
                let t = i as f64 / m as f64 - 5.0;
                if t < 0.0 { (-(t * t) * 2.0).exp() } else { (-t / 0.9).exp() }
            })
            .collect();
        let c = CursorRule::MuellerMuller.locate(&p, m);
        assert!((p[c - m] - p[c + m]).abs() < 0.05, "{} {}", p[c - m], p[c + m]);
        assert_eq!(CursorRule::Peak.locate(&p, m), 5 * m);
    }

    #[test]
    fn a_pulse_csv_sets_its_samples_per_ui_from_the_time_step() {
        // 8 samples per UI at 25 GBd: a 5 ps step.
        let text: String =
            (0..64).map(|i| format!("{:e},{}\n", i as f64 * 5e-12, if i == 12 { 1.0 } else { 0.1 })).collect();
        let p = PulseResponse::parse_csv(&format!("time_s,pulse_v\n{text}"), "p.csv", 25e9).unwrap();
        assert_eq!((p.samples_per_ui, p.cursor_index, p.samples_v.len()), (8, 12, 64));
        let e = PulseResponse::parse_csv(&text, "p.csv", 30e9).unwrap_err().to_string();
        assert!(e.starts_with("p.csv:0: time step 5") && e.contains("6.6667 samples per UI at 30 GBd"), "{e}");
        let e = PulseResponse::parse_csv("0\n1\n", "p.csv", 25e9).unwrap_err().to_string();
        assert!(e.starts_with("p.csv:1:") && e.contains("two numbers"), "{e}");
        // Issue 14: only the mean step was checked, so a missing sample shifted the pulse unseen.
        let gap: String = (0..64).map(|i| format!("{:e},0.5\n", (i + usize::from(i >= 30)) as f64 * 5e-12)).collect();
        let e = PulseResponse::parse_csv(&gap, "p.csv", 25e9).unwrap_err().to_string();
        assert!(e.starts_with("p.csv:31: missing samples"), "{e}");
    }

    #[test]
    fn a_pulse_header_sets_volts_or_millivolts() {
        let rows: String =
            (0..16).map(|i| format!("{:e},{}\n", i as f64 * 5e-12, if i == 4 { 500 } else { 10 })).collect();
        let p = PulseResponse::parse_csv(&format!("Time (s),Pulse (mV)\n{rows}"), "p.csv", 25e9).unwrap();
        assert!((p.main_cursor_v() - 0.5).abs() < 1e-12);
        let e = PulseResponse::parse_csv(&format!("time_s,power_mw\n{rows}"), "p.csv", 25e9).unwrap_err().to_string();
        assert_eq!(e, "p.csv:1: pulse values in mW: expected V, mV or uV");
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("pulse.csv");
        std::fs::write(&one, "pulse_mv\n1\n2\n").unwrap();
        assert_eq!(read_samples_v(&one).unwrap(), vec![1e-3, 2e-3]);
        std::fs::write(&one, "1,2\n").unwrap();
        let e = read_samples_v(&one).unwrap_err().to_string();
        assert!(e.ends_with("pulse.csv:1: expected one column of numbers (V per unit symbol), found 2 columns"), "{e}");
    }

    #[test]
    fn a_medium_spectrum_is_its_response_on_a_10_mhz_grid() {
        let cable = Medium::named("twinax-30awg").unwrap();
        let config = PulseConfig::com(26.5625e9);
        let from_medium = ChannelSpectrum::from_medium(&cable, 2.0, config).unwrap();
        let grid: Vec<f64> = (1..=3985).map(|i| i as f64 * 10e6).collect();
        let by_hand = ChannelSpectrum::from_response(&cable.response(&grid, 2.0).unwrap(), config).unwrap();
        assert_eq!(from_medium.signal, by_hand.signal);
    }
}
