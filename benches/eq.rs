//! Equalizer kernels (one thread): MMSE solve of a 32-tap FFE + 1-tap DFE, and the full `eq`
//! on example2_THRU.s4p (pulse response, CTLE × Tx FFE search, Rx FFE, DFE).

use criterion::{Criterion, criterion_group, criterion_main};
use photolink::channel::Network;
use photolink::eq::{
    ChannelSpectrum, Criterion as Crit, DfeConfig, EqConfig, Problem, PulseConfig, RxFfeShape, Solver, equalize,
};
use photolink::metrics::Pam;
use std::hint::black_box;

fn thru() -> Network {
    Network::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/channels/example2_THRU.s4p.gz").as_ref()).unwrap()
}

fn mmse_32_taps(c: &mut Criterion) {
    // A 200-UI lossy pulse (first-order tail with a pre-cursor).
    let pulse: Vec<f64> = (0..200)
        .map(|i| {
            if i < 10 {
                0.0
            } else if i == 10 {
                0.1
            } else {
                0.5 * (-(i as f64 - 11.0) / 3.0).exp()
            }
        })
        .collect();
    let mut noise = vec![0.0; 40];
    noise[0] = 1e-6;
    noise[1] = 3e-7;
    let p = Problem { pulse: &pulse, cursor: 11, pulse_acf: None, noise_acf: &noise, symbol_var: 5.0 / 9.0 };
    let mut solver = Solver::new(RxFfeShape { n_pre: 7, n_post: 24 }, DfeConfig::com(1), Crit::Mmse).unwrap();
    c.bench_function("mmse_ffe32_dfe1", |b| b.iter(|| solver.solve(black_box(&p)).unwrap().snr));
}

fn full_eq(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let net = thru();
    let mut group = c.benchmark_group("eq_1_thread");
    group.sample_size(10);
    group.bench_function("example2_thru_full", |b| {
        b.iter(|| {
            pool.install(|| {
                let (h, _) = net.thru_response(None).unwrap();
                let spectrum = ChannelSpectrum::from_response(&h, PulseConfig::com(53.125e9)).unwrap();
                equalize(&spectrum, &EqConfig::new(Pam::PAM4, black_box(1e-3))).unwrap().snr_after_db
            })
        })
    });
    group.finish();
}

criterion_group!(benches, mmse_32_taps, full_eq);
criterion_main!(benches);
