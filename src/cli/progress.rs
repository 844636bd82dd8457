//! Progress bars on stderr for long work (sweeps, Monte Carlo, the report), the way Rust tools
//! show them: indicatif draws only when stderr is a terminal, so pipes, CI logs and tests see
//! nothing.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `total` units labelled `what`, hidden when stderr is not a terminal.
pub fn bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {human_pos}/{human_len} ({eta} left)")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}
