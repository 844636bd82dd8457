//! photolink integration tests: one test binary, a module per area.

mod cli;
mod cli_eye;
mod properties;
