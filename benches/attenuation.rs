//! Attenuation kernels: a 1000-point loss curve (target < 1 ms) and reach.

use criterion::{Criterion, criterion_group, criterion_main};
use photolink::channel::{Budgets, LANE_GENERATIONS_BPS, Medium, reach_table};
use photolink::signal::Modulation;
use std::hint::black_box;

fn loss_curves(c: &mut Criterion) {
    let freqs: Vec<f64> = (1..=1000).map(|i| i as f64 * 60e6).collect();
    for name in ["twinax-26awg", "pcb-megtron6", "smf"] {
        let m = Medium::named(name).unwrap();
        c.bench_function(&format!("loss_curve_1000pt/{name}"), |b| {
            b.iter(|| black_box(m.loss_curve(black_box(&freqs), 2.0, &[])))
        });
    }
    let media = Medium::catalogue();
    let budgets = Budgets { copper_db: 28.0, fiber_db: 4.0 };
    c.bench_function("reach_table/catalogue_x4_rates", |b| {
        b.iter(|| black_box(reach_table(&media, &LANE_GENERATIONS_BPS, Modulation::Pam4, budgets, &[]).unwrap()))
    });
}

criterion_group!(benches, loss_curves);
criterion_main!(benches);
