//! Budget speed: 10,000 802.3-style budget evaluations (target < 100 ms, issue 7) and a
//! 10,000-point length sweep through `with_value` (the `sweep` command's path).

use criterion::{Criterion, criterion_group, criterion_main};
use photolink::budget::{evaluate, preset, sweep};
use std::hint::black_box;
use std::path::Path;

fn budgets(c: &mut Criterion) {
    let link = preset("400GBASE-DR4").unwrap();
    c.bench_function("budget_10k_evaluations_dr4", |b| {
        b.iter(|| {
            let mut margin = 0.0;
            for _ in 0..10_000 {
                margin += evaluate(black_box(&link), Path::new(".")).unwrap().margin_db;
            }
            margin
        })
    });
    let lengths: Vec<f64> = (0..10_000).map(|i| 1.0 + i as f64).collect();
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    c.bench_function("budget_sweep_10k_lengths_1_thread", |b| {
        b.iter(|| one_thread.install(|| sweep(&link, Path::new("."), "channel.0.length", &lengths, &|| {}).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = budgets
}
criterion_main!(benches);
