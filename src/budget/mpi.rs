//! Multipath interference (MPI) from discrete reflections: a penalty derived from the link's
//! reflectances instead of allocated.
//!
//! * **Crosstalk.** Two reflectors `i < j` along the link (power reflectances `R_i`, `R_j`, power
//!   transmission `T_ij` between them) send a doubly reflected copy of the signal to the receiver
//!   with relative power `ε_ij = R_i·R_j·T_ij²`; the MPI crosstalk is `ε = Σ_{i<j} ε_ij` (double
//!   reflections only: triple ones are smaller by another `R²`) \[T: Gimlett & Cheung, "Effects of
//!   phase-to-intensity noise conversion by multiple reflections", JLT 7(6), 1989\].
//! * **Beat noise.** The copy beats with the signal in the square-law detector. At power level `P_k`
//!   its variance is `σ_k² = 2·ε·P_k·P_avg`: aligned polarisations, uniformly distributed optical
//!   phase and all of the beat inside the receiver bandwidth, the worst case, taken as Gaussian
//!   \[T: same\].
//! * **Penalty.** The OMA increase that keeps a noise-limited receiver at the TDECQ target when the
//!   top level carries `σ_3`: the TDECQ of that noise alone,
//!   **`P_MPI = −10·log10 sqrt(1 − (6·Q_t·σ_3/OMA)²)`**, `Q_t` at SER 4.8e-4 (IEEE 802.3bs-2017
//!   121.8.5.3). With extinction ratio `r = P_3/P_0` and equally spaced levels (`P_avg = (P_0 + P_3)/2`),
//!   `σ_3²/OMA² = ε·r·(r + 1)/(r − 1)²`.
//!
//! Reflectors, in signal order: the transmitter (`transmitter.reflectance_db`), each connector of a
//! `connector` segment with `reflectance_db` (its reflection at its input face, then its loss), the
//! receiver (`receiver.reflectance_db`). Fiber segments only attenuate (Rayleigh backscatter is not
//! modelled). A link that leaves any of these reflectances out is not fully described:
//! [`unmodelled_reflectors`] names them, and the physical budget then keeps the allocated MPI
//! penalty where it exceeds the derived one.

use super::evaluate::{optical_segment_losses_db, reflectance};
use super::spec::{LinkFile, Segment};
use crate::error::Result;
use crate::math::q_inv;
use crate::metrics::TdecqConfig;
use std::path::Path;

/// One element of the link for the MPI sum: an optional reflector, then a power transmission.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Element {
    /// Power reflectance (linear) at the element's input, if it reflects.
    pub reflectance: Option<f64>,
    /// Power transmission through the element (linear).
    pub transmission: f64,
}

/// The elements of an optical link in signal order (module docs).
pub fn elements(link: &LinkFile, base_dir: &Path) -> Result<Vec<Element>> {
    let tx = link.transmitter.clone().unwrap_or_default();
    let rx = link.receiver.clone().unwrap_or_default();
    let losses = optical_segment_losses_db(link, base_dir)?;
    let mut out = vec![Element {
        reflectance: reflectance(&tx.reflectance_db, "transmitter.reflectance_db")?,
        transmission: 1.0,
    }];
    for (i, (segment, loss_db)) in link.channel.as_deref().unwrap_or_default().iter().zip(losses).enumerate() {
        match segment {
            Segment::Connector { loss_db: each_db, count, reflectance_db: given @ Some(_), .. } => {
                let r = reflectance(given, &format!("channel.{i}.reflectance_db"))?;
                let one = Element { reflectance: r, transmission: 10f64.powf(-each_db / 10.0) };
                // `optical_segment_losses_db` above has checked the count (1..=1000).
                out.extend(std::iter::repeat_n(one, count.unwrap_or(1) as usize));
            }
            _ => out.push(Element { reflectance: None, transmission: 10f64.powf(-loss_db / 10.0) }),
        }
    }
    out.push(Element { reflectance: reflectance(&rx.reflectance_db, "receiver.reflectance_db")?, transmission: 1.0 });
    Ok(out)
}

/// The reflectance fields a link leaves out: the transmitter's, the receiver's and those of its
/// connector segments, as field paths.
pub fn unmodelled_reflectors(link: &LinkFile) -> Vec<String> {
    let tx = link.transmitter.as_ref().and_then(|t| t.reflectance_db);
    let rx = link.receiver.as_ref().and_then(|r| r.reflectance_db);
    let mut missing: Vec<String> = [("transmitter.reflectance_db", tx), ("receiver.reflectance_db", rx)]
        .into_iter()
        .filter(|(_, r)| r.is_none())
        .map(|(path, _)| path.to_string())
        .collect();
    for (i, segment) in link.channel.as_deref().unwrap_or_default().iter().enumerate() {
        if let Segment::Connector { reflectance_db: None, .. } = segment {
            missing.push(format!("channel.{i}.reflectance_db"));
        }
    }
    missing
}

/// MPI crosstalk `ε = Σ_{i<j} R_i·R_j·T_ij²` (linear), `T_ij` the transmission from reflector i's
/// face to reflector j's.
pub fn crosstalk(elements: &[Element]) -> f64 {
    let mut total = 0.0;
    for (i, a) in elements.iter().enumerate() {
        let Some(r_i) = a.reflectance else { continue };
        let mut t = a.transmission;
        for b in &elements[i + 1..] {
            if let Some(r_j) = b.reflectance {
                total += r_i * r_j * t * t;
            }
            t *= b.transmission;
        }
    }
    total
}

/// PAM4 MPI penalty, dB, of crosstalk `epsilon` (linear) at extinction ratio
/// `extinction_ratio_db` (module docs): 0 without crosstalk, +∞ when the beat noise alone closes
/// the eye (including an extinction ratio of 0 dB or less, where the OMA vanishes).
pub fn penalty_db(epsilon: f64, extinction_ratio_db: f64) -> Result<f64> {
    if epsilon <= 0.0 {
        return Ok(0.0);
    }
    // In x = 1/r = P_0/P_3 the ratio σ_3²/OMA² = ε·(1 + x)/(1 − x)² stays finite as r → ∞ (a
    // zero lowest level).
    let x = 10f64.powf(-extinction_ratio_db / 10.0);
    if x.is_nan() || x >= 1.0 {
        return Ok(f64::INFINITY);
    }
    let q_t = q_inv(TdecqConfig::default().target_ser / 1.5)?;
    let relative_sigma_sq = epsilon * (1.0 + x) / ((1.0 - x) * (1.0 - x));
    let closure = 1.0 - 36.0 * q_t * q_t * relative_sigma_sq;
    Ok(if closure <= 0.0 { f64::INFINITY } else { -5.0 * closure.log10() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::preset;

    #[test]
    fn crosstalk_sums_every_reflector_pair() {
        let db = |x: f64| 10f64.powf(x / 10.0);
        // Tx −26 dB, a connector −35 dB with 0.5 dB loss, 1 dB of fiber, Rx −26 dB.
        let e = [
            Element { reflectance: Some(db(-26.0)), transmission: 1.0 },
            Element { reflectance: Some(db(-35.0)), transmission: db(-0.5) },
            Element { reflectance: None, transmission: db(-1.0) },
            Element { reflectance: Some(db(-26.0)), transmission: 1.0 },
        ];
        let want = db(-26.0) * db(-35.0) + db(-26.0) * db(-26.0) * db(-3.0) + db(-35.0) * db(-26.0) * db(-3.0);
        assert!((crosstalk(&e) - want).abs() < 1e-15, "{} vs {want}", crosstalk(&e));
        assert_eq!(crosstalk(&e[2..3]), 0.0);
    }

    #[test]
    fn penalty_is_the_tdecq_of_the_beat_noise() {
        // ε = −40 dB at ER 5 dB, by hand: σ₃²/OMA² = ε·r(r+1)/(r−1)², Q_t = Q⁻¹(4.8e-4 / 1.5) =
        // 3.414 070 554 (mpmath findroot of Q(q) = 3.2e-4 at 30 digits).
        let (eps, r) = (1e-4, 10f64.powf(0.5));
        let x = 6.0 * 3.414_070_554 * (eps * r * (r + 1.0)).sqrt() / (r - 1.0);
        let want = -10.0 * (1.0 - x * x).sqrt().log10();
        assert!((penalty_db(eps, 5.0).unwrap() - want).abs() < 1e-6, "{} vs {want}", penalty_db(eps, 5.0).unwrap());
        assert!(penalty_db(1e-6, 5.0).unwrap() < penalty_db(1e-4, 5.0).unwrap());
        assert!(penalty_db(1e-4, 3.0).unwrap() > penalty_db(1e-4, 6.0).unwrap(), "low ER pays more");
        assert_eq!(penalty_db(0.05, 5.0).unwrap(), f64::INFINITY, "the beat noise closes the eye");
        assert_eq!(penalty_db(1e-4, 0.0).unwrap(), f64::INFINITY, "no OMA");
        assert_eq!(penalty_db(0.0, 0.0).unwrap(), 0.0);
        // An infinite ER (a zero lowest level): σ₃²/OMA² → ε, finite.
        let x = 6.0 * 3.414_070_554 * 1e-4f64.sqrt();
        let want = -10.0 * (1.0 - x * x).sqrt().log10();
        assert!((penalty_db(1e-4, f64::INFINITY).unwrap() - want).abs() < 1e-6);
    }

    #[test]
    fn dr4_elements_carry_the_standard_reflectances() {
        let link = preset("400GBASE-DR4").unwrap();
        let e = elements(&link, Path::new(".")).unwrap();
        let r: Vec<_> = e.iter().filter_map(|e| e.reflectance).collect();
        assert_eq!(r.len(), 2);
        // Tx and Rx at −26 dB across the 3 dB channel: ε = −52 − 6 = −58 dB.
        assert!((10.0 * crosstalk(&e).log10() + 58.0).abs() < 1e-9, "{}", 10.0 * crosstalk(&e).log10());
        // The lumped connection allowance gives no reflectance: the link is not fully described.
        assert_eq!(unmodelled_reflectors(&link), ["channel.1.reflectance_db"]);
        let mut bad = link.clone();
        bad.transmitter.as_mut().unwrap().reflectance_db = Some(5.0);
        assert!(elements(&bad, Path::new(".")).unwrap_err().to_string().contains("transmitter.reflectance_db"));
    }
}
