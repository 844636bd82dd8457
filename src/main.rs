//! The `photolink` binary: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    photolink::cli::run()
}
