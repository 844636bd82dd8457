//! Two-port S-parameter blocks of the COM channel model (93A.1.2): shunt capacitors, series
//! inductors, package transmission lines, their cascade, the device packages and the
//! terminated voltage transfer function (93A-18).
//!
//! Every block is referred to `R_0` (single-ended; its differential counterpart at `2·R_0` has
//! the same S-matrix, as the standard's differential package model uses it).

use super::params::PackageParams;
use crate::channel::{Network, PortOrder};
use crate::error::{Error, Result};
use num_complex::Complex64;
use std::f64::consts::PI;

/// A two-port on a frequency list: `s[k] = [S11, S12, S21, S22]` at the k-th frequency.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoPort {
    /// `[S11, S12, S21, S22]` per frequency.
    pub s: Vec<[Complex64; 4]>,
}

impl TwoPort {
    /// The identity (a zero-length through) on `n` frequencies.
    pub fn identity(n: usize) -> TwoPort {
        let (z, o) = (Complex64::ZERO, Complex64::new(1.0, 0.0));
        TwoPort { s: vec![[z, o, o, z]; n] }
    }

    /// A symmetric, reciprocal two-port from `(S11, S21)` at each frequency.
    fn symmetric(freq_hz: &[f64], f: impl Fn(f64) -> (Complex64, Complex64)) -> TwoPort {
        TwoPort {
            s: freq_hz
                .iter()
                .map(|&x| {
                    let (s11, s21) = f(x);
                    [s11, s21, s21, s11]
                })
                .collect(),
        }
    }

    /// A shunt capacitance `C` (F) to ground (93A-8): `S11 = −jωR_0C/(2 + jωR_0C)`,
    /// `S21 = 2/(2 + jωR_0C)`.
    pub fn shunt_c(freq_hz: &[f64], c_f: f64, r0_ohm: f64) -> TwoPort {
        Self::symmetric(freq_hz, |f| {
            let y = Complex64::new(0.0, 2.0 * PI * f * r0_ohm * c_f);
            (-y / (2.0 + y), 2.0 / (2.0 + y))
        })
    }

    /// A series inductance `L` (H) (the die ladder of 802.3ck/dj, 178A.1.4 form):
    /// `Z = jωL`, `S11 = Z/(Z + 2R_0)`, `S21 = 2R_0/(Z + 2R_0)`.
    pub fn series_l(freq_hz: &[f64], l_h: f64, r0_ohm: f64) -> TwoPort {
        Self::symmetric(freq_hz, |f| {
            let z = Complex64::new(0.0, 2.0 * PI * f * l_h);
            (z / (z + 2.0 * r0_ohm), 2.0 * r0_ohm / (z + 2.0 * r0_ohm))
        })
    }

    /// A package transmission-line segment of length `z_mm` and impedance `z_c_ohm` (93A-9 to
    /// 93A-14): `γ(f) = γ_0 + a_1(1 + j)√f + a_2 f(1 − j(2/π)ln f) + j2πτf` per mm with f in
    /// GHz (`γ(0) = γ_0`), `ρ = (Z_c − 2R_0)/(Z_c + 2R_0)`,
    /// `S11 = ρ(1 − e^{−2γz})/(1 − ρ²e^{−2γz})`, `S21 = (1 − ρ²)e^{−γz}/(1 − ρ²e^{−2γz})`.
    pub fn tline(freq_hz: &[f64], pkg: &PackageParams, z_c_ohm: f64, z_mm: f64, r0_ohm: f64) -> TwoPort {
        let rho = (z_c_ohm - 2.0 * r0_ohm) / (z_c_ohm + 2.0 * r0_ohm);
        Self::symmetric(freq_hz, |f| {
            let g = gamma_per_mm(pkg, f / 1e9);
            let e1 = (-g * z_mm).exp();
            let e2 = e1 * e1;
            let den = 1.0 - rho * rho * e2;
            (rho * (1.0 - e2) / den, (1.0 - rho * rho) * e1 / den)
        })
    }

    /// `self` followed by `next` (port 2 of `self` to port 1 of `next`).
    pub fn then(&self, next: &TwoPort) -> TwoPort {
        TwoPort {
            s: self
                .s
                .iter()
                .zip(&next.s)
                .map(|(a, b)| {
                    let d = 1.0 - a[3] * b[0];
                    [a[0] + a[1] * b[0] * a[2] / d, a[1] * b[1] / d, a[2] * b[2] / d, b[3] + b[2] * a[3] * b[1] / d]
                })
                .collect(),
        }
    }

    /// The voltage transfer function of the two-port between a source and a load whose
    /// reflection coefficients are `Γ1`, `Γ2` (93A-18):
    /// `H21 = S21(1 − Γ1)(1 + Γ2)/(1 − S11Γ1 − S22Γ2 + Γ1Γ2ΔS)`, `ΔS = S11S22 − S12S21`.
    pub fn terminated_h21(&self, gamma1: f64, gamma2: f64) -> Vec<Complex64> {
        self.s
            .iter()
            .map(|s| {
                let ds = s[0] * s[3] - s[1] * s[2];
                s[2] * (1.0 - gamma1) * (1.0 + gamma2) / (1.0 - s[0] * gamma1 - s[3] * gamma2 + gamma1 * gamma2 * ds)
            })
            .collect()
    }

    /// The differential two-port (Sdd11, Sdd12, Sdd21, Sdd22) of a 4-port channel file in the
    /// given port layout ([`Network::sdd21`] and its siblings: `Sdd_ij = ½(S_PiPj − S_PiNj −
    /// S_NiPj + S_NiNj)`, Bockelman & Eisenstadt). Any other port count is an error.
    pub fn differential(net: &Network, order: PortOrder) -> Result<TwoPort> {
        if net.ports() != 4 {
            return Err(Error::invalid(
                "ports",
                format!("{}-port network", net.ports()),
                "COM needs 4-port files (one differential pair at each end)",
            ));
        }
        let (s11, s12) = (net.sdd11(order)?.h, net.sdd12(order)?.h);
        let (s21, s22) = (net.sdd21(order)?.h, net.sdd22(order)?.h);
        Ok(TwoPort { s: (0..s11.len()).map(|k| [s11[k], s12[k], s21[k], s22[k]]).collect() })
    }
}

/// The package propagation constant per mm at `f_ghz` (93A-9 to 93A-13); `γ_0` at DC.
fn gamma_per_mm(pkg: &PackageParams, f_ghz: f64) -> Complex64 {
    if f_ghz <= 0.0 {
        return Complex64::new(pkg.gamma0_per_mm, 0.0);
    }
    let g1 = pkg.a1 * Complex64::new(1.0, 1.0) * f_ghz.sqrt();
    let g2 = pkg.a2 * f_ghz * Complex64::new(1.0, -(2.0 / PI) * f_ghz.ln());
    pkg.gamma0_per_mm + g1 + g2 + Complex64::new(0.0, 2.0 * PI * pkg.tau_ns_per_mm * f_ghz)
}

/// One device package (93A.1.2), from the die to the pad: the ladder (shunt `C_d`, series `L_s`
/// per segment), the bump `C_b`, the line segments `z_p_mm` and the pad `C_p`; the receiver's
/// runs the other way ([`rx_package`]).
pub fn tx_package(freq_hz: &[f64], pkg: &PackageParams, z_p_mm: &[f64], r0_ohm: f64) -> TwoPort {
    let mut out = TwoPort::identity(freq_hz.len());
    for (&c, &l) in pkg.c_d_nf.iter().zip(&pkg.l_s_nh) {
        out =
            out.then(&TwoPort::shunt_c(freq_hz, c * 1e-9, r0_ohm)).then(&TwoPort::series_l(freq_hz, l * 1e-9, r0_ohm));
    }
    out = out.then(&TwoPort::shunt_c(freq_hz, pkg.c_b_nf * 1e-9, r0_ohm));
    for (&zc, &z) in pkg.z_c_ohm.iter().zip(z_p_mm) {
        out = out.then(&TwoPort::tline(freq_hz, pkg, zc, z, r0_ohm));
    }
    out.then(&TwoPort::shunt_c(freq_hz, pkg.c_p_nf * 1e-9, r0_ohm))
}

/// The receiver package, from the pad to the die: `C_p`, the line segments in the order given
/// (as MATLAB COM and PyChOpMarg build it), `C_b`, then the ladder from its bump end.
pub fn rx_package(freq_hz: &[f64], pkg: &PackageParams, z_p_mm: &[f64], r0_ohm: f64) -> TwoPort {
    let mut out = TwoPort::shunt_c(freq_hz, pkg.c_p_nf * 1e-9, r0_ohm);
    for (&zc, &z) in pkg.z_c_ohm.iter().zip(z_p_mm) {
        out = out.then(&TwoPort::tline(freq_hz, pkg, zc, z, r0_ohm));
    }
    out = out.then(&TwoPort::shunt_c(freq_hz, pkg.c_b_nf * 1e-9, r0_ohm));
    for (&c, &l) in pkg.c_d_nf.iter().zip(&pkg.l_s_nh).rev() {
        out =
            out.then(&TwoPort::series_l(freq_hz, l * 1e-9, r0_ohm)).then(&TwoPort::shunt_c(freq_hz, c * 1e-9, r0_ohm));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::com::ComParams;

    fn close(a: Complex64, b: Complex64) -> bool {
        (a - b).norm() < 1e-12
    }

    #[test]
    fn zero_length_line_is_identity() {
        let pkg = ComParams::ieee_8023by().package;
        let f = [0.0, 1e9, 13e9, 40e9];
        let t = TwoPort::tline(&f, &pkg, 78.2, 0.0, 50.0);
        for s in &t.s {
            assert!(close(s[0], Complex64::ZERO) && close(s[2], Complex64::new(1.0, 0.0)), "{s:?}");
        }
    }

    #[test]
    fn matched_line_is_a_pure_delay_with_loss() {
        // Z_c = 2R_0: ρ = 0, S21 = e^{−γz}, |S21| in dB = −8.686·Re γ·z.
        let pkg = ComParams::ieee_8023by().package;
        let t = TwoPort::tline(&[10e9], &pkg, 100.0, 30.0, 50.0);
        let g = gamma_per_mm(&pkg, 10.0);
        assert!(close(t.s[0][0], Complex64::ZERO));
        assert!(close(t.s[0][2], (-g * 30.0).exp()));
    }

    #[test]
    fn shunt_c_and_terminated_through() {
        // A 1 pF shunt at 50 Ω: |S21| = 2/|2 + jωRC|.
        let t = TwoPort::shunt_c(&[10e9], 1e-12, 50.0);
        let y = 2.0 * PI * 10e9 * 50.0 * 1e-12;
        assert!((t.s[0][2].norm() - 2.0 / (4.0 + y * y).sqrt()).abs() < 1e-12);
        // A through terminated in R_d ≠ R_0 at both ends has H21 = 1 (93A-18).
        let h = TwoPort::identity(3).terminated_h21(0.0476, 0.0476);
        assert!(h.iter().all(|h| close(*h, Complex64::new(1.0, 0.0))));
        // Cascading with the identity changes nothing.
        let c = TwoPort::identity(1).then(&t).then(&TwoPort::identity(1));
        assert!((0..4).all(|i| close(c.s[0][i], t.s[0][i])));
    }
}
