//! Numerical building blocks shared by the models: special functions (erfc, Q, inverse Q),
//! discrete-distribution tails (binomial, Poisson, compound Poisson) accurate deep into the tail,
//! Gauss–Hermite quadrature, bisection ([`roots`]) and a small seeded random-number generator.
//!
//! Everything here is deterministic: the generator takes an explicit seed (`docs/models.md` §1).

pub mod discrete;
pub mod fft;
pub mod prbs;
pub mod quadrature;
pub mod rng;
pub mod roots;
pub mod special;

pub use roots::bisect;
pub use special::{erfc, q, q_inv};
