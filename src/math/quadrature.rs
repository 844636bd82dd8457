//! Gauss–Hermite quadrature for expectations over a Gaussian.
//!
//! `E[g(Z)] ≈ Σ w_i·g(z_i)` for `Z ~ N(0, 1)` (probabilists' weight `exp(−z²/2)/√(2π)`), exact for
//! polynomials of degree ≤ 2n − 1. Nodes and weights by Golub–Welsch (Math. Comp. 23, 1969): the
//! nodes are the eigenvalues of the symmetric Jacobi matrix with off-diagonal `√k`, the weights
//! the squared first components of the normalised eigenvectors.

use nalgebra::DMatrix;

/// Nodes `z_i` (ascending) and weights `w_i` (summing to 1) of the `n`-point rule for N(0, 1).
pub fn gauss_hermite_normal(n: usize) -> Vec<(f64, f64)> {
    if n <= 1 {
        return vec![(0.0, 1.0)];
    }
    let jacobi = DMatrix::from_fn(n, n, |i, j| if i.abs_diff(j) == 1 { (i.max(j) as f64).sqrt() } else { 0.0 });
    let eig = jacobi.symmetric_eigen();
    let mut rule: Vec<(f64, f64)> = (0..n).map(|i| (eig.eigenvalues[i], eig.eigenvectors[(0, i)].powi(2))).collect();
    rule.sort_by(|a, b| a.0.total_cmp(&b.0));
    rule
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_gaussian_moments_exactly() {
        // E[Z^(2k)] = (2k − 1)!!; exact up to degree 2n − 1 = 17 for n = 9.
        let rule = gauss_hermite_normal(9);
        let moment = |p: i32| rule.iter().map(|(z, w)| w * z.powi(p)).sum::<f64>();
        assert!((moment(0) - 1.0).abs() < 1e-14);
        assert!(moment(1).abs() < 1e-14);
        assert!((moment(2) - 1.0).abs() < 1e-13);
        assert!((moment(8) - 105.0).abs() < 1e-10);
        assert!((moment(16) - 2_027_025.0).abs() < 1e-5 * 2_027_025.0);
        // Degree 18 is beyond the rule: must not be exact (a test that can fail).
        assert!((moment(18) - 34_459_425.0).abs() > 1.0);
    }

    #[test]
    fn single_node_rule_is_the_mean() {
        assert_eq!(gauss_hermite_normal(1), vec![(0.0, 1.0)]);
    }
}
