//! Tables of photolink's results for the text formats.

use super::{Table, fmt_sig};
use crate::channel::{LossCurve, Medium, Reach};

/// One row per (curve, frequency).
pub fn loss(curves: &[LossCurve]) -> Table {
    let mut t = Table::new(&["medium", "domain", "length_m", "freq_ghz", "loss_db"]);
    for c in curves {
        for p in &c.points {
            t.push(vec![
                c.medium.clone(),
                c.domain.into(),
                c.length_m.map(|l| fmt_sig(l, 4)).unwrap_or_else(|| "-".into()),
                fmt_sig(p.freq_hz / 1e9, 6),
                format!("{:.3}", p.loss_db),
            ]);
        }
    }
    t
}

/// One row per (medium, rate) with the binding limit.
pub fn reach(results: &[Reach]) -> Table {
    let mut t =
        Table::new(&["medium", "lane_rate_gbps", "nyquist_ghz", "budget_db", "loss_db_per_m", "reach_m", "limited_by"]);
    for r in results {
        t.push(vec![
            r.medium.clone(),
            fmt_sig(r.lane_rate_bps / 1e9, 5),
            fmt_sig(r.nyquist_hz / 1e9, 6),
            fmt_sig(r.budget_db, 3),
            fmt_sig(r.loss_db_per_m, 3),
            fmt_sig(r.reach_m, 3),
            serde_json::to_value(r.limited_by).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        ]);
    }
    t
}

/// The media catalogue with loss per metre at the 100G and 200G PAM4 Nyquist frequencies.
pub fn media(media: &[Medium]) -> Table {
    let mut t = Table::new(&["name", "domain", "db_per_m_26.56ghz", "db_per_m_53.125ghz", "description", "source"]);
    for m in media {
        t.push(vec![
            m.name.clone(),
            if m.is_optical() { "optical" } else { "electrical" }.into(),
            fmt_sig(m.loss_db_per_m(26.5625e9), 3),
            fmt_sig(m.loss_db_per_m(53.125e9), 3),
            m.description.into(),
            m.source.into(),
        ]);
    }
    t
}
