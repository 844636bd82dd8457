//! The COM frequency grid and the channel's voltage transfer function on it (93A.1.1 to 93A.1.5):
//! packages cascaded with the channel at its own frequencies, the terminated `H21` (93A-18) with
//! the Tx and Rx filters, interpolated onto the grid as MATLAB COM's `interp_Sparam` does, its
//! impulse response truncated, and the pulse response of (93A-24).

use super::params::{ComParams, PackageCase};
use super::twoport::{TwoPort, rx_package, tx_package};
use crate::channel::response::unwrap_phase;
use crate::eq::filters::{rx_butterworth_transfer, tx_edge_transfer};
use crate::math::fft::RealFft;
use num_complex::Complex64;
use std::f64::consts::PI;

/// Which way an aggressor couples: its transmitter sits at the far or the near end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The victim channel.
    Thru,
    /// A far-end aggressor (its transmitter at the victim's transmitter end, with Tx FFE).
    Fext,
    /// A near-end aggressor (its transmitter at the victim's receiver end, no Tx FFE).
    Next,
}

/// The time/frequency grid: `t = 0 … 1/f_step` in steps of `UI/M`, `f = 0 … M·f_b/2` in steps
/// of `f_step` (93A.1.1).
#[derive(Debug, Clone)]
pub struct Grid {
    /// Samples per UI.
    pub m: usize,
    /// Record length in samples (`M·f_b/f_step`).
    pub n: usize,
    /// Unit interval, s.
    pub ui_s: f64,
    /// `k·f_step`, k = 0 … n/2, Hz.
    pub freq_hz: Vec<f64>,
}

impl Grid {
    /// The grid of a (validated) parameter set.
    pub fn new(p: &ComParams) -> Grid {
        let n = (p.m as f64 * p.fb_gbd / p.fstep_ghz).round() as usize;
        let df = p.m as f64 * p.fb_gbd * 1e9 / n as f64;
        Grid { m: p.m, n, ui_s: 1e-9 / p.fb_gbd, freq_hz: (0..=n / 2).map(|k| k as f64 * df).collect() }
    }

    /// Frequency step, Hz.
    pub fn df_hz(&self) -> f64 {
        self.freq_hz[1]
    }
}

/// The transmitter edge and receiver filters `H_t·H_r` (93A-46, 93A-20) at `f`.
pub fn tx_rx_filters(p: &ComParams, f_hz: f64) -> Complex64 {
    let ht = if p.t_r_ns > 0.0 { tx_edge_transfer(f_hz, p.t_r_ns * 1e-9) } else { 1.0 };
    ht * rx_butterworth_transfer(f_hz, p.f_r_fb * p.fb_gbd * 1e9)
}

/// `H_t·H21·H_r` of one channel (with its packages for `case`) on the grid, impulse response
/// truncated after its last sample above 1e-3 of its peak (MATLAB COM `s21_to_impulse_DC`).
pub fn channel_on_grid(
    p: &ComParams,
    grid: &Grid,
    fft: &mut RealFft,
    freq_hz: &[f64],
    channel: &TwoPort,
    kind: Kind,
    case: &PackageCase,
) -> Vec<Complex64> {
    let r0 = p.r_0_ohm;
    let z_in = match kind {
        Kind::Thru => &case.z_p_tx_mm,
        Kind::Fext => &case.z_p_fext_mm,
        Kind::Next => &case.z_p_next_mm,
    };
    let cascade = tx_package(freq_hz, &p.package, z_in, r0).then(channel).then(&rx_package(
        freq_hz,
        &p.package,
        &case.z_p_rx_mm,
        r0,
    ));
    let gamma = (p.package.r_d_ohm - r0) / (p.package.r_d_ohm + r0); // (93A-17)
    let h: Vec<Complex64> =
        cascade.terminated_h21(gamma, gamma).iter().zip(freq_hz).map(|(h, &f)| h * tx_rx_filters(p, f)).collect();
    let mut on_grid = interp_vtf(&h, freq_hz, &grid.freq_hz);
    let mut impulse = vec![0.0; grid.n];
    fft.inverse(&on_grid, &mut impulse);
    let peak = impulse.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if let Some(last) = impulse.iter().rposition(|x| x.abs() > 1e-3 * peak) {
        impulse[last + 1..].iter_mut().for_each(|x| *x = 0.0);
    }
    fft.forward(&impulse, &mut on_grid);
    on_grid
}

/// The pulse response of (93A-24) into `out` (length `grid.n`): the inverse FFT of
/// `A·M·sinc(f·UI)·P(f)·H_ctf(f)` (the UI-wide rectangle's spectrum times the path), scaled by
/// the transmitter amplitude `A` (`A_v`, `A_fe` or `A_ne`).
pub fn pulse_into(
    grid: &Grid,
    fft: &mut RealFft,
    path: &[Complex64],
    ctle: &[Complex64],
    amplitude_v: f64,
    spec: &mut [Complex64],
    out: &mut [f64],
) {
    for (k, s) in spec.iter_mut().enumerate() {
        let x = grid.freq_hz[k] * grid.ui_s;
        let sinc = if x == 0.0 { 1.0 } else { (PI * x).sin() / (PI * x) };
        *s = path[k] * ctle[k] * (amplitude_v * grid.m as f64 * sinc);
    }
    fft.inverse(spec, out);
}

/// Interpolates a transfer function onto `fout` (ascending from 0) with MATLAB COM's default
/// `interp_Sparam` policies: the magnitude linearly (to DC along a line fitted to the first 10
/// points; above the data linearly to a line fitted to the upper half, evaluated at `fout`'s
/// end and clamped to [ε, last value]); the unwrapped phase linearly (from data starting above
/// DC: its first 10 points re-laid along the low-frequency group delay, and continued above the
/// data along the high-frequency group delay; from data at DC: extrapolated from the end
/// segments).
pub fn interp_vtf(h: &[Complex64], fin: &[f64], fout: &[f64]) -> Vec<Complex64> {
    let n = fin.len();
    let mag: Vec<f64> = h.iter().map(|z| z.norm().max(f64::EPSILON)).collect();
    let (mut fx, mut mx) = (fin.to_vec(), mag.clone());
    if fin[0] > 0.0 {
        let k = n.min(10);
        let (a, _) = line_fit(&fin[..k], &mag[..k]);
        fx.insert(0, 0.0);
        mx.insert(0, a);
    }
    let f_end = *fout.last().unwrap_or(&0.0);
    if fin[n - 1] < f_end {
        let mid = ((n as f64 / 2.0 + 0.5).floor() as usize).saturating_sub(1);
        let (a, b) = line_fit(&fin[mid..], &mag[mid..]);
        fx.push(f_end);
        mx.push((a + b * f_end).max(f64::EPSILON).min(mag[n - 1]));
    }
    let mut phase = unwrap_phase(h);
    let extrapolated: Vec<f64> = if fin[0] != 0.0 && n > 2 {
        let gd: Vec<f64> = (0..n - 1).map(|i| -(phase[i + 1] - phase[i]) / (fin[i + 1] - fin[i])).collect();
        let lf = trend_mean(&gd[..gd.len().min(50)]);
        for k in (0..n.min(11) - 1).rev() {
            phase[k] = phase[k + 1] + lf * (fin[k + 1] - fin[k]);
        }
        let hf = -trend_mean(&gd[gd.len().saturating_sub(51)..]);
        let mut out = interp_extrap(fin, &phase, fout);
        if let Some(first_hf) = fout.iter().position(|&f| f > fin[n - 1]) {
            let last = first_hf.saturating_sub(1);
            let (f_last, p_last) = (fout[last], out[last]);
            for (o, &f) in out.iter_mut().zip(fout).skip(first_hf) {
                *o = p_last + (f - f_last) * hf;
            }
        }
        out
    } else {
        interp_extrap(fin, &phase, fout)
    };
    interp_extrap(&fx, &mx, fout).iter().zip(&extrapolated).map(|(&m, &p)| Complex64::from_polar(m, p)).collect()
}

/// Linear interpolation with linear extrapolation from the end segments (MATLAB
/// `interp1(…, 'extrap')`); `x` ascending, at least two points.
fn interp_extrap(x: &[f64], y: &[f64], xq: &[f64]) -> Vec<f64> {
    let n = x.len();
    xq.iter()
        .map(|&q| {
            let i = x.partition_point(|&v| v <= q).clamp(1, n - 1);
            let (x0, x1, y0, y1) = (x[i - 1], x[i], y[i - 1], y[i]);
            y0 + (q - x0) * (y1 - y0) / (x1 - x0)
        })
        .collect()
}

/// Least-squares line `y ≈ a + b·x`.
fn line_fit(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|v| (v - mx) * (v - mx)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (my - b * mx, b)
}

/// Mean of `x` without the points more than one standard deviation from its median (MATLAB
/// COM's trend of the group delay).
fn trend_mean(x: &[f64]) -> f64 {
    let n = x.len();
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = if n % 2 == 1 { sorted[n / 2] } else { 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]) };
    let mean = x.iter().sum::<f64>() / n as f64;
    let sd = (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n as f64 - 1.0).max(1.0)).sqrt();
    let kept: Vec<f64> = x.iter().copied().filter(|v| (v - median).abs() < sd).collect();
    if kept.is_empty() { median } else { kept.iter().sum::<f64>() / kept.len() as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_keeps_a_delay_line() {
        // A lossless 1 ns delay sampled from 10 MHz: magnitude 1 and phase −2πfτ everywhere
        // inside, the group-delay trend outside.
        let fin: Vec<f64> = (1..=400).map(|k| k as f64 * 1e8).collect();
        let h: Vec<Complex64> = fin.iter().map(|&f| Complex64::from_polar(1.0, -2.0 * PI * f * 1e-9)).collect();
        let fout: Vec<f64> = (0..=100).map(|k| k as f64 * 0.5e9).collect();
        let out = interp_vtf(&h, &fin, &fout);
        for (z, &f) in out.iter().zip(&fout).take(81) {
            assert!((z - Complex64::from_polar(1.0, -2.0 * PI * f * 1e-9)).norm() < 1e-9, "{f} {z}");
        }
    }
}
