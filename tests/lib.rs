//! photolink integration tests: one test binary, a module per area.

mod architecture;
mod cli;
mod cli_ber;
mod cli_budget;
mod cli_com;
mod cli_eq;
mod cli_eye;
mod cli_nrz;
mod cli_power;
mod properties;
mod readme;
#[path = "../src/test_support.rs"]
mod support;
