//! Touchstone reading speed: parse + Sdd21 of `example2_THRU.s4p` (2.4 MB, 4001 points, 4 ports)
//! must stay under 30 ms. The vendored file is gzip-compressed (`data/channels/`): the in-memory
//! bench parses the decompressed text, the from-disk bench includes the decompression.

use criterion::{Criterion, criterion_group, criterion_main};
use photolink::channel::touchstone::Network;
use std::hint::black_box;
use std::path::Path;

const THRU: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/channels/example2_THRU.s4p.gz");

fn parse_and_sdd21(c: &mut Criterion) {
    let mut text = String::new();
    let gz = std::fs::File::open(THRU).expect("data/channels/example2_THRU.s4p.gz");
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz), &mut text).expect("a gzip Touchstone file");
    c.bench_function("touchstone parse + Sdd21 (example2_THRU, in memory)", |b| {
        b.iter(|| {
            let net = Network::parse(black_box(&text), "example2_THRU.s4p", 4).unwrap();
            black_box(net.thru_response(None).unwrap())
        })
    });
    c.bench_function("touchstone read + gunzip + parse + Sdd21 (example2_THRU, from disk)", |b| {
        b.iter(|| {
            let net = Network::read(black_box(Path::new(THRU))).unwrap();
            black_box(net.thru_response(None).unwrap())
        })
    });
}

criterion_group!(benches, parse_and_sdd21);
criterion_main!(benches);
