//! Error-ratio charts: BER waterfalls, bathtubs and the FEC cliff, as [`XyChart`] specifications.

use super::{Guide, Legend, Series, XyChart, tick_label};
use crate::metrics::fec::{FecResult, KP4_PRE_FEC_BER_THRESHOLD};
use crate::metrics::{AwgnPoint, StatisticalPoint};

/// Lowest error ratio drawn: curves stop there so a deep tail does not squash the axis.
pub const ERROR_RATIO_FLOOR: f64 = 1e-20;

/// The abscissa of a waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaterfallAxis {
    /// Electrical SNR, dB.
    SnrDb,
    /// `E_b/N0`, dB.
    EbN0Db,
}

/// Which bathtub: BER against sampling phase or against one eye's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BathtubKind {
    /// BER vs sampling phase (UI).
    Time,
    /// BER vs the threshold of eye `eye` (0 = lowest), in mV.
    Voltage {
        /// Index of the swept threshold.
        eye: usize,
    },
}

fn kp4_guide() -> Guide {
    Guide::Horizontal(KP4_PRE_FEC_BER_THRESHOLD, " KP4 pre-FEC threshold 2.4e-4".into())
}

/// Points above the floor, in order, up to the first one below it.
fn above_floor(points: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    points.take_while(|&(_, y)| y >= ERROR_RATIO_FLOOR).collect()
}

/// Log BER against SNR (or `E_b/N0`), one curve per `(label, points)`; the KP4 threshold is marked.
pub fn waterfall(curves: &[(String, Vec<AwgnPoint>)], axis: WaterfallAxis) -> XyChart {
    let x_label = match axis {
        WaterfallAxis::SnrDb => "SNR (dB, mean signal power / noise variance)",
        WaterfallAxis::EbN0Db => "Eb/N0 (dB)",
    };
    let mut c = XyChart::new("BER waterfall (Gaussian noise, Gray coding)", x_label, "Bit error ratio");
    c.y_log = true;
    c.legend = Legend::LowerLeft;
    for (label, points) in curves {
        let x = |p: &AwgnPoint| if axis == WaterfallAxis::SnrDb { p.snr_db } else { p.ebn0_db };
        c.series.push(Series::line(label.clone(), above_floor(points.iter().map(|p| (x(p), p.ber)))));
    }
    c.guides.push(kp4_guide());
    c
}

/// A bathtub: log BER against sampling phase or threshold, with the KP4 threshold marked.
pub fn bathtub(points: &[StatisticalPoint], kind: BathtubKind) -> XyChart {
    let (title, x_label) = match kind {
        BathtubKind::Time => ("Time bathtub", "Sampling phase relative to the main cursor (UI)".to_string()),
        BathtubKind::Voltage { eye } => ("Voltage bathtub", format!("Threshold of eye {eye} (mV)")),
    };
    let mut c = XyChart::new(title, x_label, "Bit error ratio");
    c.y_log = true;
    c.legend = Legend::LowerRight;
    let x = |p: &StatisticalPoint| match kind {
        BathtubKind::Time => p.phase_ui,
        BathtubKind::Voltage { eye } => p.threshold_v[eye] * 1e3,
    };
    let pts = points.iter().map(|p| (x(p), p.ber.max(ERROR_RATIO_FLOOR))).collect();
    c.series.push(Series::line("BER (statistical)", pts));
    c.guides.push(kp4_guide());
    c
}

/// The FEC cliff: post-FEC BER (solid) and codeword error ratio (dashed) against pre-FEC BER on
/// log–log axes, one pair per `(code name, results)`; the KP4 threshold and `mark` (an operating
/// point) are drawn as vertical lines.
pub fn fec_cliff(curves: &[(String, Vec<FecResult>)], mark: Option<f64>) -> XyChart {
    let mut c = XyChart::new("FEC cliff: error ratio after decoding", "Pre-FEC BER", "Error ratio after FEC");
    c.x_log = true;
    c.y_log = true;
    c.legend = Legend::UpperLeft;
    c.y_range = Some((ERROR_RATIO_FLOOR, 1.0));
    for (name, results) in curves {
        let post = results.iter().map(|r| (r.pre_fec_ber, r.post_fec_ber));
        c.series
            .push(Series::line(format!("{name} post-FEC BER"), post.filter(|p| p.1 >= ERROR_RATIO_FLOOR).collect()));
        let cer = results.iter().map(|r| (r.pre_fec_ber, r.codeword_error_ratio));
        let mut s =
            Series::line(format!("{name} codeword error ratio"), cer.filter(|p| p.1 >= ERROR_RATIO_FLOOR).collect());
        s.dashed = true;
        c.series.push(s);
    }
    c.guides.push(Guide::Vertical(KP4_PRE_FEC_BER_THRESHOLD, " KP4 threshold".into()));
    c.guides.push(Guide::Horizontal(1e-15, " post-FEC target 1e-15".into()));
    if let Some(ber) = mark {
        c.guides.push(Guide::Vertical(ber, format!(" operating point {}", tick_label(&ber))));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{OperatingPoint, Pam, ReedSolomon, ber};

    #[test]
    fn waterfall_stops_at_the_floor_and_marks_kp4() {
        let pts: Vec<AwgnPoint> =
            (0..=40).map(|i| ber::awgn(Pam::PAM4, OperatingPoint::SnrDb(i as f64)).unwrap()).collect();
        let c = waterfall(&[("PAM4".into(), pts)], WaterfallAxis::SnrDb);
        let drawn = &c.series[0].points;
        assert!(drawn.len() < 41 && drawn.len() > 20, "{}", drawn.len());
        assert!(drawn.iter().all(|p| p.1 >= ERROR_RATIO_FLOOR));
        assert!(c.guides.contains(&kp4_guide()));
    }

    #[test]
    fn cliff_has_post_fec_and_cer_per_code() {
        let bers = [1e-5, 1e-4, 2.4e-4, 1e-3];
        let res = bers.iter().map(|&b| ReedSolomon::KP4.evaluate(b).unwrap()).collect();
        let c = fec_cliff(&[("KP4".into(), res)], Some(2e-4));
        assert_eq!(c.series.len(), 2);
        assert!(c.series[1].dashed);
        // 1e-5 gives a CER far below the floor: dropped, not clamped.
        assert_eq!(c.series[1].points.len(), 3);
        assert_eq!(c.guides.len(), 3);
    }
}
