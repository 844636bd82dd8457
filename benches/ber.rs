//! BER kernels: analytic sweep, statistical BER with jitter, Monte Carlo throughput (1 thread).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use photolink::metrics::ber::{OperatingPoint, Pam, awgn};
use photolink::metrics::{JitterModel, MonteCarloConfig, StatisticalBer, monte_carlo};
use std::hint::black_box;

/// A 1-UI rectangle through a first-order low-pass (time constant 0.6 UI), 64 UI long.
fn pulse_64ui(samples_per_ui: usize) -> Vec<f64> {
    let tau = 0.6;
    (0..64 * samples_per_ui)
        .map(|i| {
            let t = i as f64 / samples_per_ui as f64;
            let rise = 1.0 - (-t.min(1.0) / tau).exp();
            if t < 1.0 { rise } else { rise * (-(t - 1.0) / tau).exp() }
        })
        .collect()
}

fn analytic(c: &mut Criterion) {
    let points: Vec<OperatingPoint> = (0..10_000).map(|i| OperatingPoint::SnrDb(5.0 + i as f64 * 0.0025)).collect();
    c.bench_function("analytic_pam4_ber_10k_points", |b| {
        b.iter(|| points.iter().map(|&p| awgn(Pam::PAM4, black_box(p)).unwrap().ber).sum::<f64>())
    });
}

fn statistical(c: &mut Criterion) {
    let pulse = pulse_64ui(32);
    let jitter = JitterModel { rj_ui: 0.01, dj_ui: 0.05, rj_nodes: 9 };
    let model = StatisticalBer::new(&pulse, 32, Pam::PAM4, 0.02, jitter, None).unwrap();
    c.bench_function("statistical_ber_64ui_32spui_rj_dj", |b| b.iter(|| model.at_phase(black_box(0.0)).unwrap().ber));
}

fn monte_carlo_single_thread(c: &mut Criterion) {
    let pulse = pulse_64ui(32);
    let model = StatisticalBer::new(&pulse, 32, Pam::PAM4, 0.05, JitterModel::default(), None).unwrap();
    let symbols = 1u64 << 22;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let mut group = c.benchmark_group("monte_carlo_1_thread");
    group.throughput(Throughput::Elements(symbols));
    group.sample_size(20);
    group.bench_function("pam4_awgn_isi_64ui", |b| {
        b.iter(|| {
            pool.install(|| {
                let cfg = MonteCarloConfig { symbols, seed: black_box(1), phase_ui: 0.0 };
                monte_carlo(&model, cfg).unwrap().symbol_errors
            })
        })
    });
    let jitter = JitterModel { rj_ui: 0.01, dj_ui: 0.05, rj_nodes: 9 };
    let jittered = StatisticalBer::new(&pulse, 32, Pam::PAM4, 0.05, jitter, None).unwrap();
    group.bench_function("pam4_awgn_isi_jitter_64ui", |b| {
        b.iter(|| {
            pool.install(|| {
                let cfg = MonteCarloConfig { symbols, seed: black_box(1), phase_ui: 0.0 };
                monte_carlo(&jittered, cfg).unwrap().symbol_errors
            })
        })
    });
    group.finish();
}

criterion_group!(benches, analytic, statistical, monte_carlo_single_thread);
criterion_main!(benches);
