//! Helpers shared by the unit tests (`crate::test_support`) and the integration tests
//! (`tests/lib.rs` includes this file as `support`), so no test keeps a private copy.

use std::path::PathBuf;

/// Relative difference `|a − b| / |b|` of a computed `a` from a reference `b`.
pub fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// A vendored channel file under `data/channels/` (stored gzip-compressed: `name.gz`).
pub fn channel_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/channels").join(format!("{name}.gz"))
}
