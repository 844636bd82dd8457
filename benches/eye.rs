//! Eye pipeline: a 65 535-symbol SSPRQ PAM4 lane at 32 samples/UI through driver, MZM, 2 km SMF and
//! receiver, then the eye (histogram + metrics) and TDECQ. One thread (criterion runs serially).

use criterion::{Criterion, criterion_group, criterion_main};
use photolink::metrics::{Eye, TdecqConfig, tdecq};
use photolink::sim::{LinkConfig, Simulator};
use std::hint::black_box;

fn link() -> LinkConfig {
    let mut cfg = LinkConfig::default();
    cfg.fiber.medium = "smf".into();
    cfg.fiber.length_m = 2000.0;
    cfg
}

fn pipeline(c: &mut Criterion) {
    let cfg = link();
    let mut sim = Simulator::new(&cfg).unwrap();
    let mut group = c.benchmark_group("eye");
    group.sample_size(20);
    group.bench_function("ssprq_pam4_32spui_mzm_2km_chain_only", |b| b.iter(|| black_box(sim.run())));
    group.bench_function("ssprq_pam4_32spui_mzm_2km_chain_eye", |b| {
        b.iter(|| {
            let s = sim.run();
            let eye = Eye::analyze(&s.waveform.samples, s.samples_per_ui, 4, 4.8e-4).unwrap();
            black_box(eye.histogram(2, 220));
            black_box(eye.metrics.oma_outer_w)
        })
    });
    group.bench_function("ssprq_pam4_32spui_mzm_2km_chain_eye_tdecq", |b| {
        b.iter(|| {
            let s = sim.run();
            let eye = Eye::analyze(&s.waveform.samples, s.samples_per_ui, 4, 4.8e-4).unwrap();
            black_box(eye.histogram(2, 220));
            black_box(tdecq(&eye, &TdecqConfig::default()).unwrap().tdecq_db)
        })
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
