//! The eye diagram: a density heatmap of the folded waveform (2 UI across, received power in mW or,
//! for an electrical capture, voltage in mV up),
//! the eye openings marked at the centre (eye height on the SER contour, vertical bars) and across
//! (eye width, horizontal bars), and the metrics in a caption.

use super::{Chart, FONT, styled_chart, tick_label};
use crate::metrics::{Eye, EyeHistogram};
use plotters::coord::Shift;
use plotters::prelude::*;

/// An eye diagram ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct EyeChart {
    /// Title above the plot.
    pub title: String,
    /// Metrics line under the title.
    pub caption: String,
    /// The folded eye.
    pub histogram: EyeHistogram,
    /// Eye openings to mark: (centre W or V, height W or V, width UI) per eye.
    pub openings: Vec<(f64, f64, f64)>,
    /// The vertical axis: received optical power (samples in W, drawn in mW) or voltage (V, in mV).
    pub y_label: &'static str,
}

/// Vertical axis of an optical eye (samples in W).
pub const OPTICAL_AXIS: &str = "Received power (mW)";
/// Vertical axis of an electrical eye (samples in V).
pub const ELECTRICAL_AXIS: &str = "Voltage (mV)";

/// Heatmap columns (at least this many across 2 UI) and rows across the power range.
const MIN_TIME_BINS: usize = 128;
const POWER_BINS: usize = 220;

impl EyeChart {
    /// The chart of an optical `eye` (samples in W) with a title and a caption (e.g. the metrics);
    /// [`EyeChart::electrical`] makes it the chart of a voltage eye.
    pub fn new(eye: &Eye, title: impl Into<String>, caption: impl Into<String>) -> EyeChart {
        let m = &eye.metrics;
        let openings = m
            .eye_heights_w
            .iter()
            .zip(&m.eye_widths_ui)
            .enumerate()
            .map(|(e, (&h, &w))| (0.5 * (m.center_levels_w[e] + m.center_levels_w[e + 1]), h, w))
            .collect();
        EyeChart {
            title: title.into(),
            caption: caption.into(),
            histogram: eye.histogram(MIN_TIME_BINS.div_ceil(2 * eye.samples_per_ui), POWER_BINS),
            openings,
            y_label: OPTICAL_AXIS,
        }
    }

    /// The same chart with a voltage axis: the eye's samples are volts.
    pub fn electrical(self) -> EyeChart {
        EyeChart { y_label: ELECTRICAL_AXIS, ..self }
    }
}

/// Colour of a density in [0, 1] (log-scaled count): white → blue → yellow (viridis-like).
fn density_color(x: f64) -> RGBColor {
    let stops = [(255.0, 255.0, 255.0), (68.0, 1.0, 84.0), (33.0, 145.0, 140.0), (253.0, 231.0, 37.0)];
    let t = x.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
    let i = (t.floor() as usize).min(stops.len() - 2);
    let a = t - i as f64;
    let mix = |p: f64, q: f64| (p + a * (q - p)).round() as u8;
    RGBColor(mix(stops[i].0, stops[i + 1].0), mix(stops[i].1, stops[i + 1].1), mix(stops[i].2, stops[i + 1].2))
}

impl Chart for EyeChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let h = &self.histogram;
        let (p0, p1) = (h.power_range_w.0 * 1e3, h.power_range_w.1 * 1e3);
        let (top, plot) = root.split_vertically(70);
        top.fill(&WHITE).map_err(|e| e.to_string())?;
        top.draw(&Text::new(self.caption.clone(), (40, 20), (FONT, 26).into_font().color(&BLACK)))
            .map_err(|e| e.to_string())?;
        let mut ctx = styled_chart(&plot, &self.title, 0.0..2.0, p0..p1)?;
        ctx.configure_mesh()
            .x_desc("Time (UI)")
            .y_desc(self.y_label)
            .x_label_formatter(&tick_label)
            .y_label_formatter(&tick_label)
            .label_style((FONT, 26))
            .axis_desc_style((FONT, 30))
            .disable_mesh()
            .draw()
            .map_err(|e| e.to_string())?;
        let max = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let (dt, dp) = (2.0 / h.time_bins as f64, (p1 - p0) / h.power_bins as f64);
        let cells = h.counts.chunks_exact(h.power_bins).enumerate().flat_map(|(t, col)| {
            col.iter().enumerate().filter(|(_, c)| **c > 0).map(move |(p, &c)| {
                let x = t as f64 * dt;
                let y = p0 + p as f64 * dp;
                let color = density_color(0.15 + 0.85 * (c as f64).ln_1p() / max.ln_1p());
                Rectangle::new([(x, y), (x + dt, y + dp)], color.filled())
            })
        });
        ctx.draw_series(cells).map_err(|e| e.to_string())?;
        let mark = ShapeStyle { color: RGBColor(214, 39, 40).to_rgba(), filled: false, stroke_width: 3 };
        for &(mid_w, height_w, width_ui) in &self.openings {
            let (mid, half) = (mid_w * 1e3, 0.5 * height_w * 1e3);
            for centre in [0.5, 1.5] {
                ctx.draw_series(std::iter::once(PathElement::new(
                    vec![(centre, mid - half), (centre, mid + half)],
                    mark,
                )))
                .map_err(|e| e.to_string())?;
                let (l, r) = (centre - 0.5 * width_ui, centre + 0.5 * width_ui);
                ctx.draw_series(std::iter::once(PathElement::new(vec![(l, mid), (r, mid)], mark)))
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_an_eye_png() {
        let s = crate::math::prbs::Pattern::Prbs13q.symbols(2).unwrap();
        let w: Vec<f64> = (0..s.len() * 16)
            .map(|i| {
                let (u, f) = (i / 16, (i % 16) as f64 / 16.0);
                let a = 1e-3 * (0.2 + 0.4 * s[u] as f64);
                let b = 1e-3 * (0.2 + 0.4 * s[(u + 1) % s.len()] as f64);
                a + (b - a) * (f * std::f64::consts::PI / 2.0).sin().powi(4)
            })
            .collect();
        let eye = Eye::analyze(&w, 16, 4, 4.8e-4).unwrap();
        let chart = EyeChart::new(&eye, "PAM4 eye", "test");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("eye.png");
        crate::plot::render(&path, &chart).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 5000);
        assert_eq!(chart.openings.len(), 3);
        assert_eq!(chart.y_label, OPTICAL_AXIS);
        let electrical = chart.electrical();
        assert_eq!(electrical.y_label, ELECTRICAL_AXIS);
        let svg = dir.path().join("eye.svg");
        crate::plot::render(&svg, &electrical).unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains("Voltage (mV)") && !text.contains("Received power"));
    }
}
