//! Tables of photolink's results for the text formats.

use super::{Table, fmt_sig};
use crate::channel::{LossCurve, Medium, Reach};
use crate::power::{ArchPower, Breakdown, ClusterPower};

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

/// One row per architecture: totals, module figure, reach and the breakdown in watts.
pub fn architectures(results: &[ArchPower]) -> Table {
    let mut headers = vec![
        "architecture",
        "host_class",
        "watts_per_port",
        "watts_per_lane",
        "pj_per_bit",
        "module_watts",
        "module_pj_per_bit",
        "reach_m",
    ];
    let watt_columns: Vec<String> = Breakdown::NAMES.iter().map(|n| format!("{n}_w")).collect();
    headers.extend(watt_columns.iter().map(String::as_str));
    let mut t = Table::new(&headers);
    for r in results {
        let mut row = vec![
            r.name.to_string(),
            r.host_serdes_class.name().to_string(),
            fmt_sig(r.watts_per_port, 3),
            fmt_sig(r.watts_per_lane, 3),
            fmt_sig(r.pj_per_bit, 3),
            fmt_sig(r.module_watts, 3),
            fmt_sig(r.module_pj_per_bit, 3),
            fmt_sig(r.reach_m, 3),
        ];
        row.extend(r.breakdown.values().iter().map(|w| fmt_sig(*w, 3)));
        t.push(row);
    }
    t
}

/// One row per optical choice of a cluster.
pub fn cluster(c: &ClusterPower) -> Table {
    let mut t =
        Table::new(&["optics", "copper", "copper_mw", "optical_mw", "total_mw", "saving_mw", "saving_fraction"]);
    for s in &c.scenarios {
        t.push(vec![
            s.optics.to_string(),
            c.copper.to_string(),
            fmt_sig(c.copper_watts / 1e6, 3),
            fmt_sig(s.optical_watts / 1e6, 3),
            fmt_sig(s.total_mw, 3),
            fmt_sig(s.saving_vs_dsp_pluggable_watts / 1e6, 3),
            fmt_sig(s.saving_vs_dsp_pluggable_fraction, 3),
        ]);
    }
    t
}
