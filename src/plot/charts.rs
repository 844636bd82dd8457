//! The charts of photolink's results, as [`XyChart`] specifications.

use super::{Guide, Legend, Series, XyChart, tick_label};
use crate::channel::{Budgets, LossCurve, Reach};

/// Loss vs frequency on a logarithmic loss axis, so fiber's fractions of a dB and copper's tens
/// of dB read on one chart; fiber is dashed. Nyquist of 100G and 200G PAM4 lanes is marked.
pub fn loss_vs_frequency(curves: &[LossCurve]) -> XyChart {
    let mut c =
        XyChart::new("Insertion loss vs frequency", "Frequency (GHz)", "Loss (dB): copper electrical, fiber optical");
    c.y_log = true;
    c.legend = Legend::LowerRight;
    for curve in curves {
        let label = match curve.length_m {
            Some(l) => format!("{} {} m", curve.medium, tick_label(&l)),
            None => format!("{} (measured)", curve.medium),
        };
        let mut s = Series::line(label, curve.points.iter().map(|p| (p.freq_hz / 1e9, p.loss_db)).collect());
        s.dashed = curve.domain == "optical";
        c.series.push(s);
    }
    c.guides = vec![
        Guide::Vertical(26.5625, " 100G PAM4 Nyquist".into()),
        Guide::Vertical(53.125, " 200G PAM4 Nyquist".into()),
    ];
    c
}

/// Reach vs lane rate on log–log axes, one curve per medium (fiber dashed).
pub fn reach_vs_lane_rate(results: &[Reach], budgets: Budgets) -> XyChart {
    let mut c = XyChart::new(
        format!(
            "Reach vs lane rate (PAM4; copper {} dB, fiber {} dB optical budget)",
            tick_label(&budgets.copper_db),
            tick_label(&budgets.fiber_db)
        ),
        "Lane rate (Gb/s)",
        "Reach (m)",
    );
    c.x_log = true;
    c.y_log = true;
    c.legend = Legend::UpperRight;
    let mut names: Vec<&str> = results.iter().map(|r| r.medium.as_str()).collect();
    names.dedup();
    for name in names {
        let pts: Vec<&Reach> = results.iter().filter(|r| r.medium == name).collect();
        let mut s = Series::line(name, pts.iter().map(|r| (r.lane_rate_bps / 1e9, r.reach_m)).collect());
        s.dashed = pts.iter().any(|r| r.dispersion_limit_m.is_some());
        s.markers = true;
        c.series.push(s);
    }
    c.x_range = Some((40.0, 600.0));
    c
}
