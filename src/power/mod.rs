//! Power: energy models of drivers, TIAs, lasers, SerDes, DSPs and whole interconnect
//! architectures (passive DAC, ACC, AEC, DSP pluggable, LRO, LPO, NPO, CPO), from one driver to a
//! cluster of accelerators.
//!
//! * [`blocks`]: the building blocks, each with its equation and source.
//! * [`params`]: every parameter with its published default (`docs/references.md`), TOML and
//!   `--set` overrides and range checks.
//! * [`arch`]: architectures as compositions: watts per port and lane, pJ/bit, a breakdown that
//!   sums to the total, reach.
//! * [`cluster`]: N accelerators × bandwidth × topology mix → kW/MW and the saving of LPO/CPO.
//!
//! ```
//! use photolink::power::{Architecture, PortSpec, PowerParams, evaluate};
//! use photolink::signal::Modulation;
//!
//! let port = PortSpec::new(800e9, 8, Modulation::Pam4)?;
//! let dsp = evaluate(Architecture::DspPluggable, &port, &PowerParams::default())?;
//! let lpo = evaluate(Architecture::Lpo, &port, &PowerParams::default())?;
//! assert!(lpo.module_watts < 0.65 * dsp.module_watts);
//! assert!((dsp.breakdown.total() - dsp.watts_per_port).abs() < 1e-9);
//! # Ok::<(), photolink::Error>(())
//! ```

pub mod arch;
pub mod blocks;
pub mod cluster;
pub mod params;

pub use arch::{ArchPower, Architecture, Breakdown, PortSpec, evaluate, evaluate_all, pj_per_bit};
pub use blocks::ReachClass;
pub use cluster::{ClusterPower, ClusterScenario, ClusterSpec, cluster_power};
pub use params::{Origin, PowerParams};
