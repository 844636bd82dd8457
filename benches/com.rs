//! COM of example2 (thru + 2 FEXT + 3 NEXT) under the 802.3by set: both package cases, the
//! full 2015-point EQ search each, the PMFs to A_ni (files read once, outside the timing), on
//! the machine's threads. Median 0.64 s on the 2-core development machine (shared); PyChOpMarg
//! 3.4.0 on the same case: 70.3 s (PRZF, one process).

use criterion::{Criterion, criterion_group, criterion_main};
use photolink::com::{ChannelSet, ComParams, com};
use std::hint::black_box;

fn example2() -> ChannelSet {
    let file = |n: &str| format!("{}/data/channels/example2_{n}.s4p.gz", env!("CARGO_MANIFEST_DIR"));
    let (fext, next) = (["FEXT1", "FEXT2"].map(file), ["NEXT1", "NEXT2", "NEXT3"].map(file));
    ChannelSet::read(file("THRU"), &fext, &next, None).unwrap()
}

fn com_example2(c: &mut Criterion) {
    let set = example2();
    let params = ComParams::ieee_8023by();
    let mut group = c.benchmark_group("com");
    group.sample_size(10);
    group.bench_function("example2_8023by", |b| b.iter(|| com(black_box(&set), &params).unwrap().com_db));
    group.finish();
}

criterion_group!(benches, com_example2);
criterion_main!(benches);
