//! End-to-end tests of `photolink ber` and `photolink fec`: JSON contracts, agreement with closed
//! forms, plots, and exit code 2 on bad input.

use crate::cli::{json, photolink};
use crate::support::rel;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Q(x) = erfc(x/√2)/2, from libm's erfc (independent of photolink's own Q).
fn q(x: f64) -> f64 {
    0.5 * libm::erfc(x / std::f64::consts::SQRT_2)
}

fn write_pulse(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A 16-UI pulse at 8 samples/UI: raised-cosine main lobe of 0.5 V plus a decaying post-cursor tail.
fn isi_pulse_csv() -> String {
    let mut text = String::from("volts\n");
    for i in 0..128 {
        let t_ui = (i as f64 - 24.0) / 8.0;
        let lobe = if t_ui.abs() < 1.0 { 0.5 * (0.5 + 0.5 * (std::f64::consts::PI * t_ui).cos()) } else { 0.0 };
        let tail = if t_ui > 0.5 { 0.06 * (-(t_ui - 0.5) / 1.5).exp() } else { 0.0 };
        text += &format!("{}\n", lobe + tail);
    }
    text
}

#[test]
fn ber_json_matches_the_closed_form() {
    let v = json(&["ber", "--modulation", "pam4", "--snr-db", "18"]);
    assert_eq!(v["schema"], "photolink.ber.v1");
    assert_eq!(v["modulation"], "pam4");
    let p = &v["points"][0];
    assert_eq!(f(&p["snr_db"]), 18.0);
    // Gray PAM4, levels ±1, ±1/3: SNR = 5/9 / σ², x = (1/3)/σ;
    // BER = (3Q(x) + 2Q(3x) − Q(5x))/4 (`docs/models.md` §6).
    let x = (10f64.powf(1.8) / 5.0).sqrt();
    let want = (3.0 * q(x) + 2.0 * q(3.0 * x) - q(5.0 * x)) / 4.0;
    assert!(rel(f(&p["ber"]), want) < 1e-9, "{} vs {want}", p["ber"]);
    assert!(rel(f(&p["ser"]), 1.5 * q(x)) < 1e-9);
}

#[test]
fn ber_ranges_and_ebn0() {
    let v = json(&["ber", "--snr-db", "10:30:0.25"]);
    let pts = v["points"].as_array().unwrap();
    assert_eq!(pts.len(), 81);
    assert!(pts.windows(2).all(|w| f(&w[1]["ber"]) < f(&w[0]["ber"])));
    // NRZ: BER = Q(√(2 Eb/N0)).
    let v = json(&["ber", "--modulation", "nrz", "--ebn0-db", "9.6"]);
    let want = q((2.0 * 10f64.powf(0.96)).sqrt());
    assert!(rel(f(&v["points"][0]["ber"]), want) < 1e-9);
    assert!((f(&v["points"][0]["snr_db"]) - 9.6 - 10.0 * 2f64.log10()).abs() < 1e-12);
}

#[test]
fn rlm_and_level_noise_cost_snr() {
    let base = json(&["ber", "--snr-db", "18"]);
    let same = json(&["ber", "--snr-db", "18", "--rlm", "1", "--level-noise", "1,1,1,1"]);
    assert!(rel(f(&same["points"][0]["ber"]), f(&base["points"][0]["ber"])) < 1e-9);
    // RLM 0.9: levels ±1, ±0.3; equal noise, so the optimal thresholds are the midpoints.
    let rlm = json(&["ber", "--snr-db", "18", "--rlm", "0.9"]);
    let sigma = 1.0 / (3.0 * (10f64.powf(1.8) / 5.0).sqrt());
    let (levels, t) = ([-1.0, -0.3, 0.3, 1.0], [f64::NEG_INFINITY, -0.65, 0.0, 0.65, f64::INFINITY]);
    let gray = [0b00u32, 0b01, 0b11, 0b10];
    let mut bit_errors = 0.0;
    for (i, &l) in levels.iter().enumerate() {
        for j in (0..4).filter(|&j| j != i) {
            let p = if j > i {
                q((t[j] - l) / sigma) - q((t[j + 1] - l) / sigma)
            } else {
                q((l - t[j + 1]) / sigma) - q((l - t[j]) / sigma)
            };
            bit_errors += p * f64::from((gray[i] ^ gray[j]).count_ones());
        }
    }
    let want = bit_errors / 8.0;
    assert!(rel(f(&rlm["points"][0]["ber"]), want) < 1e-9, "{} vs {want}", rlm["points"][0]["ber"]);
    assert!(want > 1.3 * f(&base["points"][0]["ber"]));
    let noisy = json(&["ber", "--snr-db", "18", "--level-noise", "1,1.2,1.4,1.6"]);
    let t = noisy["points"][0]["threshold_v"].as_array().unwrap();
    // Optimal thresholds move towards the quieter level: below the midpoints −2/3, 0, 2/3.
    assert!(f(&t[0]) < -2.0 / 3.0 && f(&t[1]) < 0.0 && f(&t[2]) < 2.0 / 3.0);
    photolink().args(["ber", "--modulation", "nrz", "--rlm", "0.9"]).assert().code(2);
    photolink()
        .args(["ber", "--level-noise", "1,2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--level-noise"));
}

#[test]
fn awgn_monte_carlo_brackets_the_exact_ber() {
    let v = json(&["ber", "--snr-db", "16", "--monte-carlo", "2000000", "--seed", "7"]);
    let p = &v["points"][0];
    let (lo, hi) = (f(&p["monte_carlo"]["ber_ci99"][0]), f(&p["monte_carlo"]["ber_ci99"][1]));
    assert!(lo < f(&p["ber"]) && f(&p["ber"]) < hi, "{lo} .. {hi} vs {}", p["ber"]);
    assert!(f(&p["monte_carlo"]["bit_errors"]) > 1000.0);
}

#[test]
fn one_cursor_pulse_equals_the_closed_form() {
    let dir = tempfile::tempdir().unwrap();
    let pulse = write_pulse(dir.path(), "one.csv", "0\n0\n0.6\n0\n0\n");
    let v = json(&["ber", "--pulse", pulse.to_str().unwrap(), "--samples-per-ui", "1", "--noise-rms", "40mV"]);
    assert_eq!(v["method"], "statistical");
    // Half eye 0.6/3 = 0.2 V over σ = 0.04 V.
    let x: f64 = 5.0;
    let want = (3.0 * q(x) + 2.0 * q(3.0 * x) - q(5.0 * x)) / 4.0;
    assert!(rel(f(&v["points"][0]["ber"]), want) < 1e-9, "{}", v["points"][0]["ber"]);
}

#[test]
fn statistical_bathtub_plot_and_monte_carlo() {
    let dir = tempfile::tempdir().unwrap();
    let pulse = write_pulse(dir.path(), "isi.csv", &isi_pulse_csv());
    let png = dir.path().join("bathtub.png");
    let base = ["ber", "--pulse", pulse.to_str().unwrap(), "--samples-per-ui", "8", "--noise-rms", "12mV"];
    let v = json(
        &[&base[..], &["--rj-ui", "0.01", "--dj-ui", "0.05", "--bathtub", "--plot", png.to_str().unwrap()]].concat(),
    );
    assert_eq!(v["bathtub"], "time");
    let pts = v["points"].as_array().unwrap();
    assert_eq!(pts.len(), 101);
    let ber: Vec<f64> = pts.iter().map(|p| f(&p["ber"])).collect();
    let best = ber.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert!((35..=65).contains(&best), "bathtub minimum at point {best}");
    assert!(ber[0] > 100.0 * ber[best] && ber[100] > 100.0 * ber[best]);
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);

    // 35 mV puts the BER near 2e-4, where a million symbols count a few hundred errors.
    let noisy = [&base[..5], &["--noise-rms", "35mV", "--rj-ui", "0.01", "--monte-carlo", "1000000", "--seed", "3"]];
    let v = json(&noisy.concat());
    let stat = f(&v["points"][0]["ber"]);
    let ci = &v["monte_carlo"]["ber_ci99"];
    assert!(stat > 1e-4 && stat < 1e-2, "pick the noise so the test counts errors: {stat}");
    assert!(f(&ci[0]) < stat && stat < f(&ci[1]), "{stat} outside {ci}");

    let v = json(&[&base[..], &["--bathtub", "voltage", "--eye", "2", "--bathtub-points", "21"]].concat());
    assert_eq!(v["bathtub"], "voltage");
    assert_eq!(v["points"].as_array().unwrap().len(), 21);
}

#[test]
fn ber_bad_input_exits_2_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_pulse(dir.path(), "good.csv", "0\n1\n0\n");
    let empty = write_pulse(dir.path(), "empty.csv", "");
    let text = write_pulse(dir.path(), "text.csv", "volts\n0.1\nabc\n");
    // Issue 14 reproducer: a pulse/noise ratio near 1e21 overflowed the ISI grid's index (panic).
    let huge = write_pulse(dir.path(), "huge.csv", "0\n1e20\n1e19\n0\n");
    let good = good.to_str().unwrap();
    let cases: [(&[&str], &str); 10] = [
        (&["--pulse", huge.to_str().unwrap(), "--samples-per-ui", "1", "--noise-rms", "12mV"], "--noise-rms"),
        // A grid of 4.5 GB before (noise in nV against a pulse in V): now a bounded request.
        (&["--pulse", good, "--samples-per-ui", "1", "--noise-rms", "10nV"], "4194304 bins"),
        (&["--pulse", good, "--samples-per-ui", "1", "--noise-rms", "-1mV"], "--noise-rms"),
        (&["--pulse", good, "--samples-per-ui", "0", "--noise-rms", "1mV"], "--samples-per-ui"),
        (&["--pulse", empty.to_str().unwrap(), "--samples-per-ui", "1", "--noise-rms", "1mV"], "empty.csv"),
        (&["--pulse", text.to_str().unwrap(), "--samples-per-ui", "1", "--noise-rms", "1mV"], "text.csv:3"),
        (&["--pulse", good, "--noise-rms", "1mV"], "--samples-per-ui"),
        (&["--pulse", good, "--samples-per-ui", "1", "--noise-rms", "1mV", "--rj-ui", "0.9"], "--rj-ui"),
        (&["--modulation", "pam8"], "modulation"),
        (&["--snr-db", "abc"], "--snr-db"),
    ];
    for (args, field) in cases {
        photolink().arg("ber").args(args).assert().code(2).stderr(predicate::str::contains(field));
    }
}

#[test]
fn fec_json_reports_cer_and_flaps() {
    let v =
        json(&["fec", "--pre-fec-ber", "2.4e-4", "--code", "kp4", "--lane-rate", "106.25Gbps", "--links", "100000"]);
    assert_eq!(v["schema"], "photolink.fec.v1");
    // Exact binomial tail, mpmath 50 digits (RS(544,514) table of `docs/models.md` §7).
    assert!(rel(f(&v["codeword_error_ratio"]), 8.151_573_399_330_457e-13) < 1e-6);
    assert!(rel(f(&v["symbol_error_ratio"]), 2.397_409_658_183_471e-3) < 1e-9);
    assert!(f(&v["post_fec_ber"]) > 1e-15 && f(&v["post_fec_ber"]) < 1e-14);
    let cw_rate = 106.25e9 / 5440.0;
    let mtbu = 1.0 / (8.151_573_399_330_457e-13 * cw_rate);
    assert!(rel(f(&v["mean_time_between_uncorrectable_s"]), mtbu) < 1e-6);
    let per_day = 100_000.0 * 86_400.0 / mtbu;
    assert!(rel(f(&v["uncorrectable_per_day"]), per_day) < 1e-6);
    // k = 1 in 1 s: λW ≈ 1.6e-5, so nearly every uncorrectable codeword is a flap.
    assert!(rel(f(&v["flaps_per_day"]), per_day) < 1e-4);
    assert!(f(&v["flaps_per_day"]) < per_day);
}

#[test]
fn fec_cliff_plot_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("cliff.png");
    photolink()
        .args(["fec", "--pre-fec-ber", "1e-4", "--code", "kr4", "--plot"])
        .arg(&png)
        .assert()
        .success()
        .stdout(predicate::str::contains("codeword_error_ratio"));
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    let v = json(&[
        "fec",
        "--pre-fec-ber",
        "2.4e-4",
        "--flap-count",
        "3",
        "--flap-window",
        "3600s",
        "--flap-window-kind",
        "tumbling",
    ]);
    // Tumbling windows of W: flap rate P(N ≥ 3)/W with N ~ Poisson(λW), λ = 1/MTBU.
    let mu = 3600.0 / f(&v["mean_time_between_uncorrectable_s"]);
    let p_ge_3 = 1.0 - (-mu).exp() * (1.0 + mu + mu * mu / 2.0);
    assert!(rel(f(&v["flaps_per_day"]), p_ge_3 / 3600.0 * 86_400.0) < 1e-6, "{v}");
    let v = json(&["fec", "--pre-fec-ber", "2.4e-4", "--frame-bytes", "64", "--error-propagation", "0.5"]);
    let cer = f(&v["codeword_error_ratio"]);
    assert!(f(&v["frame_loss_ratio"]) >= cer && f(&v["frame_loss_ratio"]) < 2.0 * cer);
    assert!(f(&v["burst"]["codeword_error_ratio"]) > cer);
}

#[test]
fn fec_bad_input_exits_2_naming_the_field() {
    let cases: [(&[&str], &str); 6] = [
        (&["--pre-fec-ber", "0"], "--pre-fec-ber"),
        (&["--pre-fec-ber", "0.6"], "(0, 0.5]"),
        (&["--pre-fec-ber", "-1e-3"], "--pre-fec-ber"),
        (&["--pre-fec-ber", "1e-4", "--code", "kp5"], "--code"),
        (&["--pre-fec-ber", "1e-4", "--links", "0"], "--links"),
        (&["--pre-fec-ber", "1e-4", "--flap-window", "-1s"], "--flap-window"),
    ];
    for (args, field) in cases {
        photolink().arg("fec").args(args).assert().code(2).stderr(predicate::str::contains(field));
    }
}
