//! Equalization charts: pulse responses before and after equalization (cursors marked) and the
//! frequency responses of the channel, the CTLE and channel × equalizer.

use super::{Chart, Guide, Legend, Series, XyChart};
use crate::eq::EqResult;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Two stacked panels: pulses (top) and frequency responses (bottom).
#[derive(Debug, Clone, PartialEq)]
pub struct EqChart {
    /// Pulse responses vs time in UI.
    pub pulses: XyChart,
    /// |H| in dB vs frequency.
    pub responses: XyChart,
}

impl Chart for EqChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let panels = root.split_evenly((2, 1));
        self.pulses.draw(&panels[0])?;
        self.responses.draw(&panels[1])
    }
}

/// UI shown before and after the cursor.
const SHOW_PRE_UI: f64 = 6.0;
const SHOW_POST_UI: f64 = 30.0;
/// Lowest |H| drawn, dB.
const FLOOR_DB: f64 = -80.0;

/// The charts of one equalization result; `label` names the channel in the titles.
pub fn equalization(r: &EqResult, label: &str) -> EqChart {
    let t = &r.traces;
    let m = t.samples_per_ui.max(1) as f64;
    let x_of = |i: usize| (i as f64 - t.cursor_before as f64) / m;
    let in_view = |x: f64| (-SHOW_PRE_UI..=SHOW_POST_UI).contains(&x);
    let curve = |v: &[f64]| v.iter().enumerate().map(|(i, &y)| (x_of(i), y)).filter(|p| in_view(p.0)).collect();
    let mut pulses = XyChart::new(
        format!("{label}: pulse response, SNR {:.1} dB -> {:.1} dB", r.snr_before_db, r.snr_after_db),
        "Time from unequalized cursor (UI)",
        "Pulse (V per unit symbol)",
    );
    pulses.legend = Legend::UpperRight;
    pulses.series.push(Series::line("channel + Tx/Rx filters", curve(&t.pulse_before)));
    pulses.series.push(Series::line("after Tx FFE, CTLE, Rx FFE", curve(&t.pulse_after)));
    let offset = (t.cursor_after as f64 - t.cursor_before as f64) / m;
    let mut samples = Series::line(
        format!("slicer samples after DFE (cursor at {offset:+.2} UI)"),
        t.slicer_samples.iter().map(|&(k, v)| (k + offset, v)).filter(|p| in_view(p.0)).collect(),
    );
    samples.markers = true;
    samples.dashed = true;
    pulses.series.push(samples);
    pulses.guides = vec![Guide::Vertical(0.0, " unequalized cursor".into()), Guide::Horizontal(0.0, String::new())];
    let mut responses = XyChart::new(format!("{label}: frequency responses"), "Frequency (GHz)", "|H| (dB)");
    responses.legend = Legend::LowerLeft;
    let lowest = t.channel_db.iter().chain(&t.equalized_db).copied().fold(0.0f64, f64::min).max(FLOOR_DB);
    let highest = t.equalized_db.iter().chain(&t.ctle_db).copied().fold(0.0f64, f64::max);
    // Points below the axis are dropped, not clamped (a clamped curve would draw a false floor).
    let ghz = |v: &[f64]| {
        t.freq_hz.iter().zip(v).filter(|(_, y)| **y >= lowest).map(|(f, y)| (f / 1e9, *y)).collect::<Vec<_>>()
    };
    responses.series.push(Series::line("channel", ghz(&t.channel_db)));
    responses.series.push(Series::line("CTLE", ghz(&t.ctle_db)));
    responses.series.push(Series::line("channel x Tx FFE x CTLE x Rx FFE", ghz(&t.equalized_db)));
    responses.y_range = Some((lowest - 3.0, highest + 3.0));
    responses.guides = vec![Guide::Vertical(r.symbol_rate_baud / 2e9, " Nyquist".into())];
    EqChart { pulses, responses }
}
