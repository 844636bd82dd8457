//! Monte Carlo error counting through the statistical model's signal chain.
//!
//! Simulates, with a seeded generator, the exact model of [`crate::metrics::statistical`]:
//! independent equiprobable PAM-M symbols (Gray mapped), the pulse's cursors at the sampling phase
//! (ISI), Gaussian noise `σ`, and per-symbol jitter `τ = ±DJ/2 + RJ·z` (Dirac sign and `z` drawn
//! per symbol, `|τ|` clamped at `DJ/2 + 8·RJ`; the clamp changes nothing above 1e-15) applied by
//! linear interpolation of the pulse at `φ + τ`, the same interpolation the statistical model uses.
//! The slicer compares with the model's thresholds and counts symbol errors and Gray bit errors.
//!
//! **Determinism**: the symbols are cut into chunks of [`CHUNK_SYMBOLS`]; chunk `i` draws from
//! `Xoshiro256pp::for_chunk(seed, i)`, so the counts depend on the seed and the symbol count only,
//! never on the number of threads (rayon spreads chunks over the pool; integer counts are summed).
//!
//! **Confidence interval**: 99 % **Wilson score** interval (Wilson, JASA 22, 1927),
//! `(k + z²/2 ± z·sqrt(k(n − k)/n + z²/4)) / (n + z²)`, `z = Q⁻¹(0.005) = 2.5758`, for `k` errors
//! in `n` trials. It treats trials as independent Bernoulli trials: exact enough for symbol errors
//! (ISI couples neighbouring symbols only weakly); for bits it is optimistic, since one symbol
//! error can flip two bits.
//!
//! **Speed**: without jitter the ISI of a block of 1024 symbols is computed tap by tap as
//! vectorisable `y += h_k·a` passes over L1-resident buffers; noise comes from the ziggurat.

use crate::math::rng::Xoshiro256pp;
use crate::metrics::ber::{AwgnPoint, Pam};
use crate::metrics::statistical::{JitterModel, PHASE_UI, StatisticalBer};
use crate::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;

/// Symbols per independently seeded chunk.
pub const CHUNK_SYMBOLS: usize = 1 << 16;
/// Symbols per ISI block inside a chunk (fits L1 with its symbol window).
const BLOCK: usize = 1024;
/// `Q⁻¹(0.005)`: two-sided 99 % normal quantile.
const Z99: f64 = 2.575_829_303_548_900_4;

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MonteCarloConfig {
    /// Symbols to simulate (≥ 1).
    pub symbols: u64,
    /// Seed of the whole run.
    pub seed: u64,
    /// Sampling phase relative to the main cursor, UI.
    pub phase_ui: f64,
}

/// Error counts and ratios with 99 % Wilson intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MonteCarloResult {
    /// The run's parameters.
    #[serde(flatten)]
    pub config: MonteCarloConfig,
    /// Bits simulated (`symbols·log2 M`).
    pub bits: u64,
    /// Symbol errors counted.
    pub symbol_errors: u64,
    /// Bit errors counted (Gray).
    pub bit_errors: u64,
    /// `symbol_errors / symbols`.
    pub ser: f64,
    /// `bit_errors / bits`.
    pub ber: f64,
    /// 99 % Wilson interval of the SER, `[low, high]`.
    pub ser_ci99: [f64; 2],
    /// 99 % Wilson interval of the BER, `[low, high]` (optimistic: module docs).
    pub ber_ci99: [f64; 2],
}

/// 99 % Wilson score interval for `k` successes in `n` trials.
pub fn wilson_interval_99(k: u64, n: u64) -> [f64; 2] {
    let (k, n) = (k as f64, n as f64);
    let z2 = Z99 * Z99;
    let centre = (k + 0.5 * z2) / (n + z2);
    let half = Z99 / (n + z2) * (k * (n - k) / n + 0.25 * z2).sqrt();
    let low = if k == 0.0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if k == n { 1.0 } else { (centre + half).min(1.0) };
    [low, high]
}

/// [`monte_carlo_with_progress`] at a point of the AWGN curve: a one-cursor pulse of 1 V whose
/// noise gives the point's `d/(2σ)` ([`AwgnPoint::sigma_for_unit_outer`]), sampled at its cursor.
pub fn monte_carlo_awgn(
    pam: Pam,
    point: &AwgnPoint,
    symbols: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<MonteCarloResult> {
    let model = StatisticalBer::new(&[1.0], 1, pam, point.sigma_for_unit_outer(pam), JitterModel::default(), None)?;
    monte_carlo_with_progress(&model, MonteCarloConfig { symbols, seed, phase_ui: 0.0 }, progress)
}

/// Counts errors of `symbols` symbols through `model` (module docs).
pub fn monte_carlo(model: &StatisticalBer, config: MonteCarloConfig) -> Result<MonteCarloResult> {
    monte_carlo_with_progress(model, config, &|_| {})
}

/// [`monte_carlo`] that reports to `progress` the symbols of each finished chunk (from any
/// thread), for a progress bar over runs of billions of symbols.
pub fn monte_carlo_with_progress(
    model: &StatisticalBer,
    config: MonteCarloConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<MonteCarloResult> {
    if config.symbols == 0 {
        return Err(Error::invalid("monte_carlo symbols", 0, "expected at least 1 symbol"));
    }
    PHASE_UI.check("phase_ui", config.phase_ui)?;
    let engine = Engine::new(model, config.phase_ui);
    let chunks = config.symbols.div_ceil(CHUNK_SYMBOLS as u64);
    let (symbol_errors, bit_errors) = (0..chunks)
        .into_par_iter()
        .map_init(
            || Scratch::new(engine.taps()),
            |scratch, i| {
                let len = (config.symbols - i * CHUNK_SYMBOLS as u64).min(CHUNK_SYMBOLS as u64) as usize;
                let mut rng = Xoshiro256pp::for_chunk(config.seed, i);
                let errors = engine.run_chunk(&mut rng, len, scratch);
                progress(len as u64);
                errors
            },
        )
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let bits = config.symbols * u64::from(model.pam().bits_per_symbol());
    Ok(MonteCarloResult {
        config,
        bits,
        symbol_errors,
        bit_errors,
        ser: symbol_errors as f64 / config.symbols as f64,
        ber: bit_errors as f64 / bits as f64,
        ser_ci99: wilson_interval_99(symbol_errors, config.symbols),
        ber_ci99: wilson_interval_99(bit_errors, bits),
    })
}

/// Read-only tables shared by all chunks.
struct Engine {
    bits_per_symbol: u32,
    values: Vec<f64>,
    gray: Vec<u8>,
    threshold_v: Vec<f64>,
    noise_rms_v: f64,
    /// Cursor offsets `k_lo ..= k_hi`.
    k_hi: isize,
    taps: usize,
    /// Without jitter: `h` for `k = k_hi, k_hi − 1, …, k_lo` (so a dot with the symbol window
    /// `a[n], a[n+1], …` gives `Σ h_k·a_{m−k}`).
    fixed: Vec<f64>,
    /// With jitter: the same rows for integer main positions `row_base, row_base + 1, …`.
    rows: Vec<f64>,
    row_base: f64,
    pos0: f64,
    dj_half_samples: f64,
    rj_samples: f64,
    tau_max_samples: f64,
}

/// Per-thread buffers.
struct Scratch {
    level: Vec<u8>,
    value: Vec<f64>,
    y: Vec<f64>,
}

impl Scratch {
    fn new(taps: usize) -> Self {
        let n = CHUNK_SYMBOLS + taps;
        Self { level: vec![0; n], value: vec![0.0; n], y: vec![0.0; BLOCK] }
    }
}

impl Engine {
    fn new(model: &StatisticalBer, phase_ui: f64) -> Self {
        let pam = model.pam();
        let s = model.samples_per_ui() as f64;
        let jitter = model.jitter();
        let tau_max = 0.5 * jitter.dj_ui + 8.0 * jitter.rj_ui;
        let pos0 = model.main_position(phase_ui);
        let (pos_min, pos_max) = ((pos0 - tau_max * s).floor(), (pos0 + tau_max * s).floor() + 1.0);
        let (k_lo, k_hi) = model.cursor_span(pos_min, pos_max);
        let taps = (k_hi - k_lo + 1) as usize;
        let row = |pos: f64| (0..taps).map(move |r| model.pulse_at(pos + (k_hi - r as isize) as f64 * s));
        let jittered = tau_max > 0.0;
        let rows = if jittered {
            (pos_min as isize..=pos_max as isize).flat_map(|j| row(j as f64)).collect()
        } else {
            Vec::new()
        };
        Self {
            bits_per_symbol: pam.bits_per_symbol(),
            values: (0..pam.levels()).map(|l| pam.symbol_value(l)).collect(),
            gray: (0..pam.levels()).map(|l| pam.gray(l) as u8).collect(),
            threshold_v: model.thresholds_v().to_vec(),
            noise_rms_v: model.noise_rms_v(),
            k_hi,
            taps,
            fixed: row(pos0).collect(),
            rows,
            row_base: pos_min,
            pos0,
            dj_half_samples: 0.5 * jitter.dj_ui * s,
            rj_samples: jitter.rj_ui * s,
            tau_max_samples: tau_max * s,
        }
    }

    fn taps(&self) -> usize {
        self.taps
    }

    /// Simulates `len` decisions; returns (symbol errors, bit errors).
    fn run_chunk(&self, rng: &mut Xoshiro256pp, len: usize, scratch: &mut Scratch) -> (u64, u64) {
        let total = len + self.taps - 1;
        self.draw_symbols(rng, &mut scratch.level[..total], &mut scratch.value[..total]);
        let (mut symbol_errors, mut bit_errors) = (0u64, 0u64);
        let mut start = 0;
        while start < len {
            let n = BLOCK.min(len - start);
            let y = &mut scratch.y[..n];
            if self.rows.is_empty() {
                self.isi_block(&scratch.value[start..start + n + self.taps - 1], y);
            } else {
                self.jittered_block(rng, &scratch.value[start..start + n + self.taps - 1], y);
            }
            let sent = &scratch.level[start + self.main_offset()..start + self.main_offset() + n];
            let (se, be) = self.decide(rng, y, sent);
            symbol_errors += se;
            bit_errors += be;
            start += n;
        }
        (symbol_errors, bit_errors)
    }

    /// Index, within a symbol window of `taps` symbols, of the symbol under the main cursor.
    fn main_offset(&self) -> usize {
        self.k_hi as usize
    }

    fn draw_symbols(&self, rng: &mut Xoshiro256pp, level: &mut [u8], value: &mut [f64]) {
        let b = self.bits_per_symbol;
        let per_word = (64 / b) as usize;
        let mask = (1u64 << b) - 1;
        for (lv, vv) in level.chunks_mut(per_word).zip(value.chunks_mut(per_word)) {
            let mut word = rng.next_u64();
            for (l, v) in lv.iter_mut().zip(vv.iter_mut()) {
                let sym = (word & mask) as usize;
                word >>= b;
                *l = sym as u8;
                *v = self.values[sym];
            }
        }
    }

    /// `y[j] = Σ_r fixed[r]·a[j + r]`, four taps per pass over `y` (vectorisable, and a quarter of
    /// the loads and stores of `y` of a tap-by-tap loop).
    fn isi_block(&self, a: &[f64], y: &mut [f64]) {
        y.fill(0.0);
        let n = y.len();
        let quads = self.fixed.chunks_exact(4);
        let rest = quads.remainder();
        for (q, h) in quads.enumerate() {
            let r = 4 * q;
            let (a0, a1, a2, a3) = (&a[r..r + n], &a[r + 1..r + 1 + n], &a[r + 2..r + 2 + n], &a[r + 3..r + 3 + n]);
            for ((((yj, x0), x1), x2), x3) in y.iter_mut().zip(a0).zip(a1).zip(a2).zip(a3) {
                *yj += h[0] * x0 + h[1] * x1 + h[2] * x2 + h[3] * x3;
            }
        }
        let base = self.fixed.len() - rest.len();
        for (k, &h) in rest.iter().enumerate() {
            for (yj, &aj) in y.iter_mut().zip(&a[base + k..base + k + n]) {
                *yj += h * aj;
            }
        }
    }

    /// Per-symbol jittered sample: linear interpolation between the two neighbouring rows.
    fn jittered_block(&self, rng: &mut Xoshiro256pp, a: &[f64], y: &mut [f64]) {
        let taps = self.taps;
        for (j, yj) in y.iter_mut().enumerate() {
            let sign = if rng.next_u64() & 1 == 0 { -1.0 } else { 1.0 };
            let tau = (sign * self.dj_half_samples + self.rj_samples * rng.normal())
                .clamp(-self.tau_max_samples, self.tau_max_samples);
            let pos = self.pos0 + tau - self.row_base;
            let i = pos.floor();
            let f = pos - i;
            let i = i as usize;
            let window = &a[j..j + taps];
            let dot = |row: usize| {
                self.rows[row * taps..(row + 1) * taps].iter().zip(window).map(|(h, x)| h * x).sum::<f64>()
            };
            *yj = (1.0 - f) * dot(i) + f * dot(i + 1);
        }
    }

    /// Adds noise, slices and counts errors against the sent levels.
    fn decide(&self, rng: &mut Xoshiro256pp, y: &[f64], sent: &[u8]) -> (u64, u64) {
        let (mut se, mut be) = (0u64, 0u64);
        for (&yj, &s) in y.iter().zip(sent) {
            let v = yj + self.noise_rms_v * rng.normal();
            let detected = self.threshold_v.iter().map(|&t| usize::from(v > t)).sum::<usize>();
            let diff = u32::from(self.gray[detected] ^ self.gray[s as usize]);
            se += u64::from(diff != 0);
            be += u64::from(diff.count_ones());
        }
        (se, be)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::ber::{OperatingPoint, awgn, ber_awgn, ser_awgn};
    use crate::metrics::statistical::tests::rc_pulse;

    fn inside(x: f64, ci: [f64; 2]) -> bool {
        ci[0] <= x && x <= ci[1]
    }

    #[test]
    fn wilson_interval_closed_forms() {
        // k = 0: upper bound z²/(n + z²).
        let z2 = Z99 * Z99;
        let [lo, hi] = wilson_interval_99(0, 100);
        assert_eq!(lo, 0.0);
        assert!((hi - z2 / (100.0 + z2)).abs() < 1e-15);
        // Symmetric about ½ for k = n/2.
        let [lo, hi] = wilson_interval_99(50, 100);
        assert!((lo + hi - 1.0).abs() < 1e-15 && hi - lo > 0.2);
    }

    #[test]
    fn awgn_only_counts_match_closed_form() {
        let pulse = [0.0, 0.1, 0.3, 0.5, 0.3, 0.1, 0.0];
        let sigma = 0.07;
        let model = StatisticalBer::new(&pulse, 8, Pam::PAM4, sigma, JitterModel::default(), None).unwrap();
        let cfg = MonteCarloConfig { symbols: 1_000_000, seed: 3, phase_ui: 0.0 };
        let r = monte_carlo(&model, cfg).unwrap();
        let x = 0.5 / 3.0 / sigma;
        assert!(r.symbol_errors > 5_000, "{r:?}");
        assert!(inside(ser_awgn(Pam::PAM4, x), r.ser_ci99), "{r:?} vs {:e}", ser_awgn(Pam::PAM4, x));
        assert!(inside(ber_awgn(Pam::PAM4, x), r.ber_ci99), "{r:?}");
    }

    #[test]
    fn awgn_points_count_at_their_own_noise() {
        let point = awgn(Pam::PAM4, OperatingPoint::SnrDb(14.0)).unwrap();
        let r = monte_carlo_awgn(Pam::PAM4, &point, 500_000, 5, &|_| {}).unwrap();
        assert!(r.bit_errors > 1_000 && inside(point.ber, r.ber_ci99), "{r:?} vs {:e}", point.ber);
    }

    /// ISI + Gaussian noise + RJ + DJ at BER ≈ 1e-4: the statistical result lies inside the 99 %
    /// interval of a seeded 4-million-symbol run.
    #[test]
    fn agrees_with_statistical_ber_near_1e_4() {
        let pulse = rc_pulse(16, 8, 0.45);
        let jitter = JitterModel { rj_ui: 0.02, dj_ui: 0.05, rj_nodes: 9 };
        let model = StatisticalBer::new(&pulse, 16, Pam::PAM4, 0.05, jitter, None).unwrap();
        let stat = model.at_phase(-0.08).unwrap();
        assert!((5e-5..2e-4).contains(&stat.ber), "{stat:?}");
        let r = monte_carlo(&model, MonteCarloConfig { symbols: 4_000_000, seed: 2024, phase_ui: -0.08 }).unwrap();
        assert!(inside(stat.ser, r.ser_ci99), "SER {:e} vs MC {:?}", stat.ser, r.ser_ci99);
        assert!(inside(stat.ber, r.ber_ci99), "BER {:e} vs MC {:?}", stat.ber, r.ber_ci99);
        // The test can fail: without jitter the statistical BER is far outside the interval.
        let no_jitter = StatisticalBer::new(&pulse, 16, Pam::PAM4, 0.05, JitterModel::default(), None).unwrap();
        assert!(!inside(no_jitter.at_phase(-0.08).unwrap().ser, r.ser_ci99));
    }

    #[test]
    fn plain_isi_agrees_with_statistical() {
        let pulse = rc_pulse(16, 8, 0.45);
        let model = StatisticalBer::new(&pulse, 16, Pam::PAM4, 0.065, JitterModel::default(), None).unwrap();
        let stat = model.at_phase(0.0).unwrap();
        let r = monte_carlo(&model, MonteCarloConfig { symbols: 2_000_000, seed: 9, phase_ui: 0.0 }).unwrap();
        assert!(r.symbol_errors > 200, "{r:?}");
        assert!(inside(stat.ser, r.ser_ci99), "SER {:e} vs MC {:?}", stat.ser, r.ser_ci99);
    }

    #[test]
    fn counts_do_not_depend_on_thread_count() {
        let pulse = rc_pulse(8, 6, 0.5);
        let jitter = JitterModel { rj_ui: 0.02, dj_ui: 0.05, rj_nodes: 5 };
        let model = StatisticalBer::new(&pulse, 8, Pam::PAM4, 0.05, jitter, None).unwrap();
        let cfg = MonteCarloConfig { symbols: 300_001, seed: 77, phase_ui: 0.0 };
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| monte_carlo(&model, cfg).unwrap())
        };
        let (a, b) = (run(1), run(2));
        assert_eq!((a.symbol_errors, a.bit_errors), (b.symbol_errors, b.bit_errors));
        assert!(a.symbol_errors > 0);
        let other_seed = monte_carlo(&model, MonteCarloConfig { seed: 78, ..cfg }).unwrap();
        assert_ne!(a.symbol_errors, other_seed.symbol_errors);
    }

    #[test]
    fn rejects_zero_symbols() {
        let model = StatisticalBer::new(&[0.5], 1, Pam::PAM4, 0.05, JitterModel::default(), None).unwrap();
        let e = monte_carlo(&model, MonteCarloConfig { symbols: 0, seed: 1, phase_ui: 0.0 }).unwrap_err();
        let counted = std::sync::atomic::AtomicU64::new(0);
        let add = |n: u64| {
            counted.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        };
        monte_carlo_with_progress(
            &model,
            MonteCarloConfig { symbols: 3 * CHUNK_SYMBOLS as u64 + 5, seed: 1, phase_ui: 0.0 },
            &add,
        )
        .unwrap();
        assert_eq!(counted.into_inner(), 3 * CHUNK_SYMBOLS as u64 + 5, "progress counts every symbol once");
        assert!(e.to_string().contains("symbols"));
    }
}
