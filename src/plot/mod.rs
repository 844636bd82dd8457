//! Charts drawn with plotters and a bundled font (DejaVu Sans, `assets/fonts`), so no system fonts
//! are needed. PNG or SVG is chosen by the file extension; files are written atomically.

pub mod ber;
pub mod charts;
pub mod eq;
pub mod eye;
pub mod power;

use crate::error::{Error, Result};
use crate::output::write_atomic;
use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// DejaVu Sans (Bitstream Vera licence with DejaVu changes, `assets/fonts/LICENSE-DejaVu`).
static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The family name charts ask for; it is bound to the bundled font.
pub const FONT: &str = "sans-serif";
/// Chart size in pixels (16:10, readable on a slide).
pub const SIZE_PX: (u32, u32) = (1600, 1000);

/// Registers the bundled font once (plotters' `ab_glyph` backend has no system fonts).
fn register_font() -> Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, DEJAVU_SANS).is_ok()
            && plotters::style::register_font(FONT, FontStyle::Bold, DEJAVU_SANS).is_ok()
    });
    if ok { Ok(()) } else { Err(Error::Plot { path: String::new(), message: "bundled font failed to load".into() }) }
}

/// Distinguishable line colours (Tableau 10).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// One curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// (x, y) points in axis units.
    pub points: Vec<(f64, f64)>,
    /// Draw dashed (e.g. fiber vs copper, or a model vs a measurement).
    pub dashed: bool,
    /// Draw a marker at every point.
    pub markers: bool,
}

impl Series {
    /// A solid line.
    pub fn line(label: impl Into<String>, points: Vec<(f64, f64)>) -> Series {
        Series { label: label.into(), points, dashed: false, markers: false }
    }
}

/// A horizontal or vertical reference line with its label.
#[derive(Debug, Clone, PartialEq)]
pub enum Guide {
    /// y = value.
    Horizontal(f64, String),
    /// x = value.
    Vertical(f64, String),
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Upper left corner.
    UpperLeft,
    /// Upper right corner.
    UpperRight,
    /// Lower left corner.
    LowerLeft,
    /// Lower right corner.
    LowerRight,
}

/// An x–y line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct XyChart {
    /// Caption above the plot.
    pub title: String,
    /// x axis title with unit.
    pub x_label: String,
    /// y axis title with unit.
    pub y_label: String,
    /// Logarithmic x axis.
    pub x_log: bool,
    /// Logarithmic y axis.
    pub y_log: bool,
    /// The curves.
    pub series: Vec<Series>,
    /// Reference lines.
    pub guides: Vec<Guide>,
    /// Axis ranges; `None` fits the data.
    pub x_range: Option<(f64, f64)>,
    /// See `x_range`.
    pub y_range: Option<(f64, f64)>,
    /// Legend position.
    pub legend: Legend,
}

impl XyChart {
    /// An empty linear chart with titles.
    pub fn new(title: impl Into<String>, x_label: impl Into<String>, y_label: impl Into<String>) -> XyChart {
        XyChart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_log: false,
            y_log: false,
            series: Vec::new(),
            guides: Vec::new(),
            x_range: None,
            y_range: None,
            legend: Legend::UpperLeft,
        }
    }

    /// Points that can be drawn on the chart's axes (positive where an axis is logarithmic).
    fn drawable(&self, s: &Series) -> Vec<(f64, f64)> {
        s.points
            .iter()
            .copied()
            .filter(|&(x, y)| x.is_finite() && y.is_finite() && (!self.x_log || x > 0.0) && (!self.y_log || y > 0.0))
            .collect()
    }

    fn fitted_range(&self, pick: impl Fn(&(f64, f64)) -> f64, log: bool) -> (f64, f64) {
        let vals: Vec<f64> = self.series.iter().flat_map(|s| self.drawable(s)).map(|p| pick(&p)).collect();
        let (lo, hi) = vals.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        match (lo.is_finite(), log) {
            (false, _) => (if log { 0.1 } else { 0.0 }, 1.0),
            (true, true) => {
                (10f64.powf(lo.log10().floor()), 10f64.powf(hi.log10().ceil().max(lo.log10().floor() + 1.0)))
            }
            (true, false) => {
                let pad = ((hi - lo) * 0.05).max(hi.abs() * 1e-3).max(1e-12);
                (if lo >= 0.0 && lo - pad < 0.0 { 0.0 } else { lo - pad }, hi + pad)
            }
        }
    }
}

/// Tick label for a value: plain for moderate magnitudes, `1e-12` style otherwise.
pub fn tick_label(v: &f64) -> String {
    let a = v.abs();
    if *v == 0.0 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        let exp = a.log10().round() as i32;
        let mant = v / 10f64.powi(exp);
        if (mant.abs() - 1.0).abs() < 1e-6 {
            format!("{}1e{exp}", if *v < 0.0 { "-" } else { "" })
        } else {
            format!("{mant:.1}e{exp}")
        }
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Something that can draw itself on any plotters backend.
pub trait Chart {
    /// Draws on `root` (already sized); errors are the backend's messages.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> std::result::Result<(), String>;
}

impl Chart for XyChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        draw_xy_on(root, self)
    }
}

/// Draws `chart` to `path` (`.png` or `.svg`, chosen by extension) and writes it atomically.
pub fn render(path: &Path, chart: &impl Chart) -> Result<()> {
    register_font()?;
    let plot_err = |message: String| Error::Plot { path: path.display().to_string(), message };
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => {
            // Drawn in memory and encoded here, so the file is written by `write_atomic` (its I/O
            // errors read like every other) rather than by the backend.
            let (w, h) = SIZE_PX;
            let mut rgb = vec![0u8; 3 * w as usize * h as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, SIZE_PX).into_drawing_area();
                chart.draw(&root).and_then(|_| root.present().map_err(|e| e.to_string())).map_err(plot_err)?;
            }
            let mut png = Vec::new();
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(&rgb, w, h, image::ColorType::Rgb8)
                .map_err(|e| plot_err(e.to_string()))?;
            write_atomic(path, &png)
        }
        Some("svg") => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, SIZE_PX).into_drawing_area();
                chart.draw(&root).and_then(|_| root.present().map_err(|e| e.to_string())).map_err(plot_err)?;
            }
            write_atomic(path, svg.as_bytes())
        }
        _ => Err(Error::invalid("path", path.display(), "expected a file name ending in .png or .svg")),
    }
}

fn draw_xy_on<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &XyChart) -> std::result::Result<(), String> {
    let x = chart.x_range.unwrap_or_else(|| chart.fitted_range(|p| p.0, chart.x_log));
    let y = chart.y_range.unwrap_or_else(|| chart.fitted_range(|p| p.1, chart.y_log));
    if chart.y_log && y.0 < DEEPEST_LOG_LABEL {
        return draw_xy_on(root, &exponent_axis(chart, y));
    }
    let plain: &dyn Fn(&f64) -> String = &tick_label;
    let power_of_ten = |v: &f64| tick_label(&10f64.powf(*v));
    let y_fmt: &dyn Fn(&f64) -> String =
        if chart.y_label.ends_with(EXPONENT_AXIS_MARK) { &power_of_ten } else { plain };
    match (chart.x_log, chart.y_log) {
        (false, false) => draw_axes(root, chart, x.0..x.1, y.0..y.1, y_fmt),
        (true, false) => draw_axes(root, chart, (x.0..x.1).log_scale(), y.0..y.1, y_fmt),
        (false, true) => draw_axes(root, chart, x.0..x.1, (y.0..y.1).log_scale(), y_fmt),
        (true, true) => draw_axes(root, chart, (x.0..x.1).log_scale(), (y.0..y.1).log_scale(), y_fmt),
    }
}

/// plotters stops labelling a logarithmic axis near 1e-15; deeper axes are drawn as exponents.
const DEEPEST_LOG_LABEL: f64 = 1e-14;
/// Invisible marker (a zero-width space) on the y title of an axis that holds `log10` values.
const EXPONENT_AXIS_MARK: char = '\u{200b}';

/// The same chart with `log10(y)` on a linear axis over `y_range`, labelled as powers of ten.
fn exponent_axis(chart: &XyChart, y_range: (f64, f64)) -> XyChart {
    let mut c = chart.clone();
    c.y_log = false;
    c.y_range = Some((y_range.0.log10().floor(), y_range.1.log10().ceil()));
    c.y_label.push(EXPONENT_AXIS_MARK);
    for s in &mut c.series {
        s.points = s.points.iter().filter(|p| p.1 > 0.0).map(|&(x, y)| (x, y.log10())).collect();
    }
    for g in &mut c.guides {
        if let Guide::Horizontal(v, _) = g {
            *v = v.log10();
        }
    }
    c
}

/// A chart context on Cartesian axes built from the range types `X` and `Y`.
pub type Cartesian<'a, DB, X, Y> =
    ChartContext<'a, DB, Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>>;

/// The house style: white background, light grid, large readable text.
pub fn styled_chart<'a, DB: DrawingBackend, X, Y>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    x: X,
    y: Y,
) -> std::result::Result<Cartesian<'a, DB, X, Y>, String>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
{
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    ChartBuilder::on(root)
        .caption(title, (FONT, 44))
        .margin(30)
        .x_label_area_size(90)
        .y_label_area_size(120)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())
}

fn draw_axes<DB: DrawingBackend, X, Y>(
    root: &DrawingArea<DB, Shift>,
    chart: &XyChart,
    x: X,
    y: Y,
    y_fmt: &dyn Fn(&f64) -> String,
) -> std::result::Result<(), String>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut ctx = styled_chart(root, &chart.title, x, y)?;
    ctx.configure_mesh()
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .x_label_formatter(&tick_label)
        .y_label_formatter(y_fmt)
        .label_style((FONT, 26))
        .axis_desc_style((FONT, 30))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(200, 200, 200))
        .y_labels(if chart.y_label.ends_with(EXPONENT_AXIS_MARK) { 25 } else { 10 })
        .draw()
        .map_err(|e| e.to_string())?;
    let (xr, yr) = (ctx.x_range(), ctx.y_range());
    for guide in &chart.guides {
        let style = ShapeStyle { color: BLACK.mix(0.7), filled: false, stroke_width: 2 };
        let (pts, at) = match guide {
            Guide::Horizontal(v, _) if yr.contains(v) => (vec![(xr.start, *v), (xr.end, *v)], (xr.start, *v)),
            Guide::Vertical(v, _) if xr.contains(v) => (vec![(*v, yr.start), (*v, yr.end)], (*v, yr.end)),
            _ => continue,
        };
        let label = match guide {
            Guide::Horizontal(_, l) | Guide::Vertical(_, l) => l.clone(),
        };
        ctx.draw_series(DashedLineSeries::new(pts, 12, 8, style)).map_err(|e| e.to_string())?;
        ctx.draw_series(std::iter::once(Text::new(label, at, (FONT, 24).into_font().color(&BLACK))))
            .map_err(|e| e.to_string())?;
    }
    for (i, s) in chart.series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let style = ShapeStyle { color: color.to_rgba(), filled: true, stroke_width: 4 };
        let pts = chart.drawable(s);
        let anno = if s.dashed {
            ctx.draw_series(DashedLineSeries::new(pts.clone(), 14, 8, style))
        } else {
            ctx.draw_series(LineSeries::new(pts.clone(), style))
        }
        .map_err(|e| e.to_string())?;
        anno.label(s.label.as_str()).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], style));
        if s.markers {
            ctx.draw_series(pts.iter().map(|&p| Circle::new(p, 7, style))).map_err(|e| e.to_string())?;
        }
    }
    let position = match chart.legend {
        Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
        Legend::UpperRight => SeriesLabelPosition::UpperRight,
        Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
        Legend::LowerRight => SeriesLabelPosition::LowerRight,
    };
    ctx.configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5))
        .label_font((FONT, 26))
        .margin(15)
        .draw()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_log_axes_are_drawn_as_exponents() {
        let mut c = XyChart::new("t", "x", "BER");
        c.y_log = true;
        c.series.push(Series::line("s", vec![(1.0, 1e-3), (2.0, 1e-18), (3.0, 0.0)]));
        c.guides.push(Guide::Horizontal(2.4e-4, "kp4".into()));
        let e = exponent_axis(&c, (1e-20, 1.0));
        assert!(!e.y_log && e.y_label.ends_with(EXPONENT_AXIS_MARK));
        assert_eq!(e.y_range, Some((-20.0, 0.0)));
        assert_eq!(e.series[0].points.len(), 2);
        assert!((e.series[0].points[1].1 + 18.0).abs() < 1e-12);
        assert!(matches!(e.guides[0], Guide::Horizontal(v, _) if (v - 2.4e-4f64.log10()).abs() < 1e-12));
    }

    #[test]
    fn tick_labels_are_compact() {
        assert_eq!(tick_label(&1e-12), "1e-12");
        assert_eq!(tick_label(&0.5), "0.5");
        assert_eq!(tick_label(&26.5625), "26.5625");
        assert_eq!(tick_label(&100.0), "100");
        assert_eq!(tick_label(&2.5e6), "2.5e6");
    }

    #[test]
    fn log_axes_drop_non_positive_points_and_fit_decades() {
        let mut c = XyChart::new("t", "x", "y");
        c.y_log = true;
        c.series.push(Series::line("a", vec![(1.0, 0.0), (2.0, 0.03), (3.0, 40.0)]));
        assert_eq!(c.drawable(&c.series[0]).len(), 2);
        assert_eq!(c.fitted_range(|p| p.1, true), (0.01, 100.0));
    }

    #[test]
    fn writes_png_and_svg_and_rejects_other_extensions() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = XyChart::new("Loss", "Frequency (GHz)", "Loss (dB)");
        c.series.push(Series::line("a", vec![(1.0, 1.0), (2.0, 3.0)]));
        for name in ["c.png", "c.svg"] {
            let p = dir.path().join(name);
            render(&p, &c).unwrap();
            assert!(std::fs::metadata(&p).unwrap().len() > 1000);
        }
        assert!(render(&dir.path().join("c.jpg"), &c).is_err());
        // Only the two charts: no temporary files left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
