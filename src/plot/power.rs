//! Power charts: stacked bars of the pJ/bit breakdown per architecture, and pJ/bit vs reach.

use super::{Chart, FONT, Legend, PALETTE, Series, XyChart, render, tick_label};
use crate::error::Result;
use crate::power::{ArchPower, Breakdown};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

/// A stacked bar chart: one bar per category, one coloured layer per segment.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedBars {
    /// Caption above the plot.
    pub title: String,
    /// y axis title with unit.
    pub y_label: String,
    /// Bar names, left to right.
    pub categories: Vec<String>,
    /// Layers, bottom to top: (legend text, one value per category).
    pub segments: Vec<(String, Vec<f64>)>,
}

impl StackedBars {
    /// Height of each bar (sum of its layers).
    pub fn totals(&self) -> Vec<f64> {
        (0..self.categories.len())
            .map(|i| self.segments.iter().map(|(_, v)| v.get(i).copied().unwrap_or(0.0)).sum())
            .collect()
    }
}

impl Chart for StackedBars {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let n = self.categories.len().max(1) as u32;
        let totals = self.totals();
        let y_max = totals.iter().copied().fold(0.0f64, f64::max).max(1e-9) * 1.18;
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut ctx = ChartBuilder::on(root)
            .caption(&self.title, (FONT, 44))
            .margin(30)
            .x_label_area_size(70)
            .y_label_area_size(120)
            .build_cartesian_2d((0..n.saturating_sub(1).max(1)).into_segmented(), 0.0..y_max)
            .map_err(|e| err(&e))?;
        let names = &self.categories;
        ctx.configure_mesh()
            .disable_x_mesh()
            .x_labels(n as usize)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc(self.y_label.as_str())
            .y_label_formatter(&tick_label)
            .label_style((FONT, 24))
            .axis_desc_style((FONT, 30))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(200, 200, 200))
            .draw()
            .map_err(|e| err(&e))?;
        let mut bottoms = vec![0.0; self.categories.len()];
        for (j, (label, values)) in self.segments.iter().enumerate() {
            let color = PALETTE[j % PALETTE.len()];
            let count = bottoms.len();
            let bars: Vec<_> = values
                .iter()
                .enumerate()
                .filter(|(i, v)| **v > 0.0 && *i < count)
                .map(|(i, v)| {
                    let (lo, hi) = (bottoms[i], bottoms[i] + v);
                    bottoms[i] = hi;
                    let mut r = Rectangle::new(
                        [(SegmentValue::Exact(i as u32), lo), (SegmentValue::Exact(i as u32 + 1), hi)],
                        color.filled(),
                    );
                    r.set_margin(0, 0, 22, 22);
                    r
                })
                .collect();
            ctx.draw_series(bars)
                .map_err(|e| err(&e))?
                .label(label.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 10), (x + 24, y + 10)], color.filled()));
        }
        let style = TextStyle::from((FONT, 26).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
        ctx.draw_series(totals.iter().enumerate().map(|(i, t)| {
            Text::new(format!("{t:.1}"), (SegmentValue::CenterOf(i as u32), t + y_max * 0.01), style.clone())
        }))
        .map_err(|e| err(&e))?;
        ctx.configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .label_font((FONT, 24))
            .margin(15)
            .draw()
            .map_err(|e| err(&e))
    }
}

/// The pJ/bit breakdown per architecture as stacked bars (host SerDes included; layers that are
/// zero for every architecture are left out).
pub fn breakdown_bars(results: &[ArchPower]) -> StackedBars {
    let rate = results.first().map_or(0.0, |r| r.rate_bps);
    let segments = Breakdown::NAMES
        .iter()
        .enumerate()
        .map(|(k, name)| {
            (name.to_string(), results.iter().map(|r| r.breakdown_pj_per_bit.values()[k]).collect::<Vec<_>>())
        })
        .filter(|(_, v)| v.iter().any(|&x| x > 0.0))
        .collect();
    StackedBars {
        title: format!("Energy per bit by block, {} Gb/s port, one end", tick_label(&(rate / 1e9))),
        y_label: "Energy (pJ/bit), host SerDes included".into(),
        categories: results.iter().map(|r| r.name.to_string()).collect(),
        segments,
    }
}

/// Energy per bit against reach on a logarithmic reach axis: each architecture is a horizontal
/// segment from 0.3 m to its reach (copper solid, optics dashed), marked at both ends.
pub fn pj_per_bit_vs_reach(results: &[ArchPower]) -> XyChart {
    let rate = results.first().map_or(0.0, |r| r.rate_bps);
    let mut c = XyChart::new(
        format!("Energy per bit vs reach, {} Gb/s port (one end, host SerDes included)", tick_label(&(rate / 1e9))),
        "Reach (m)",
        "Energy (pJ/bit)",
    );
    c.x_log = true;
    c.legend = Legend::LowerRight;
    for r in results {
        let mut s = Series::line(
            format!("{} ({} m)", r.name, tick_label(&r.reach_m)),
            vec![(0.3, r.pj_per_bit), (r.reach_m.max(0.31), r.pj_per_bit)],
        );
        s.dashed = r.lasers.is_some();
        s.markers = true;
        c.series.push(s);
    }
    let y_max = results.iter().map(|r| r.pj_per_bit).fold(0.0, f64::max);
    c.x_range = Some((0.1, 1e5));
    c.y_range = Some((0.0, (y_max * 1.15).max(1.0)));
    c
}

/// Writes `power_breakdown.png` and `power_vs_reach.png` into `dir`.
pub fn write_charts(dir: &Path, results: &[ArchPower], written: &mut Vec<PathBuf>) -> Result<()> {
    let bars = dir.join("power_breakdown.png");
    render(&bars, &breakdown_bars(results))?;
    written.push(bars);
    let reach = dir.join("power_vs_reach.png");
    render(&reach, &pj_per_bit_vs_reach(results))?;
    written.push(reach);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::{Architecture, PortSpec, PowerParams, evaluate_all};
    use crate::signal::Modulation;

    fn results() -> Vec<ArchPower> {
        let port = PortSpec::new(800e9, 8, Modulation::Pam4).unwrap();
        evaluate_all(&Architecture::ALL, &port, &PowerParams::default()).unwrap()
    }

    #[test]
    fn bars_stack_to_the_totals_and_drop_empty_layers() {
        let r = results();
        let bars = breakdown_bars(&r);
        assert_eq!(bars.categories.len(), 8);
        for (t, a) in bars.totals().iter().zip(&r) {
            assert!((t - a.pj_per_bit).abs() < 1e-9);
        }
        // Every breakdown line is used by some architecture at the defaults.
        assert_eq!(bars.segments.len(), Breakdown::NAMES.len());
        let only_dac = breakdown_bars(&r[..1]);
        assert_eq!(only_dac.segments.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["host_serdes", "other"]);
    }

    #[test]
    fn reach_chart_has_one_segment_per_architecture_and_renders() {
        let r = results();
        let c = pj_per_bit_vs_reach(&r);
        assert_eq!(c.series.len(), 8);
        assert!(c.series.iter().all(|s| s.points[0].1 == s.points[1].1));
        let dir = tempfile::tempdir().unwrap();
        for (name, bars) in [("b.png", true), ("r.svg", false)] {
            let p = dir.path().join(name);
            if bars {
                super::super::render(&p, &breakdown_bars(&r)).unwrap();
            } else {
                super::super::render(&p, &c).unwrap();
            }
            assert!(std::fs::metadata(&p).unwrap().len() > 5000);
        }
    }
}
