//! `photolink eye`: output contract, link files, waveform import and input errors (exit 2).

use crate::cli::{json, photolink};
use predicates::prelude::*;
use std::io::Write;

const FAST: [&str; 4] = ["--pattern", "prbs13q", "--samples-per-ui", "16"];

#[test]
fn eye_json_has_the_documented_keys() {
    let mut args = vec!["eye", "--modulator", "mzm", "--rate", "53.125GBd", "--modulation", "pam4"];
    args.extend(FAST);
    args.extend(["--fiber", "smf", "--length", "2km", "--wavelength", "1311nm", "--seed", "3"]);
    let v = json(&args);
    assert_eq!(v["schema"], "photolink.eye.v1");
    for key in ["oma_outer_dbm", "average_power_dbm", "extinction_ratio_db", "rlm", "tdecq_db"] {
        assert!(v[key].is_number(), "{key}: {}", v[key]);
    }
    for (key, n) in [("center_levels_mw", 4), ("outer_levels_mw", 2), ("eye_heights", 3), ("eye_widths_ui", 3)] {
        assert_eq!(v[key].as_array().unwrap().len(), n, "{key}");
    }
    let tdecq = v["tdecq_db"].as_f64().unwrap();
    assert!((0.0..5.0).contains(&tdecq), "{tdecq}");
    // Same seed, same result.
    assert_eq!(json(&args)["tdecq_db"], v["tdecq_db"]);
}

#[test]
fn contour_ser_sets_the_eye_height_contour_and_oma_comes_from_the_long_runs() {
    let height = |ser: &str| {
        let mut args = vec!["eye", "--modulator", "eml", "--fiber", "smf", "--length", "2km"];
        args.extend(FAST);
        let set = format!("analysis.contour_ser={ser}");
        args.extend(["--set", &set]);
        let v = json(&args);
        assert_eq!(v["outer_levels_from_runs"], true);
        // OMA_outer = P3 − P0 of the long runs, not of the eye-centre means (802.3 121.8.4).
        let outer: Vec<f64> = v["outer_levels_mw"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
        let oma_dbm = v["oma_outer_dbm"].as_f64().unwrap();
        assert!((10.0 * (outer[1] - outer[0]).log10() - oma_dbm).abs() < 1e-9);
        let centre = v["center_levels_mw"].as_array().unwrap();
        assert!(centre[3].as_f64().unwrap() - centre[0].as_f64().unwrap() < outer[1] - outer[0]);
        v["eye_heights"][1].as_f64().unwrap()
    };
    let (wide, narrow) = (height("1e-2"), height("1e-9"));
    assert!(wide > narrow, "a looser contour gives a taller eye: {wide} vs {narrow}");
}

#[test]
fn eye_from_a_link_file_and_plot() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.toml");
    std::fs::write(
        &link,
        "modulator = \"eam\"\n[signal]\npattern = \"prbs13q\"\nsamples_per_ui = 16\n[eam]\nbias_v = -1.4\n\
         [fiber]\nmedium = \"smf\"\nlength_m = 500.0\n",
    )
    .unwrap();
    let png = dir.path().join("eye.png");
    let out = photolink()
        .args(["eye", link.to_str().unwrap(), "--plot", png.to_str().unwrap(), "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v["extinction_ratio_db"].as_f64().unwrap() > 2.0);
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
}

#[test]
fn link_file_errors_name_file_field_value_and_range() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("bad.toml");
    std::fs::write(&link, "[mzm]\nvpi_v = -2.0\n").unwrap();
    photolink()
        .args(["eye", link.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.toml")
                .and(predicate::str::contains("mzm.vpi_v"))
                .and(predicate::str::contains("-2")),
        )
        .stderr(predicate::str::contains("0.1 V ..= 20 V"));
    std::fs::write(&link, "[mzm]\nvpi = 2.0\n").unwrap();
    photolink()
        .args(["eye", link.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:2").and(predicate::str::contains("unknown field `vpi`")));
}

#[test]
fn bad_flags_exit_2_with_field_value_and_range() {
    let cases: [(&[&str], &str); 5] = [
        (&["--modulator", "laser"], "--modulator"),
        (&["--rate", "0GBd"], "--rate"),
        (&["--rate", "-53GBd"], "--rate"),
        (&["--samples-per-ui", "3"], "--samples-per-ui"),
        (&["--set", "mzm.nope=1"], "--set"),
    ];
    for (args, field) in cases {
        photolink()
            .arg("eye")
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(field).and(predicate::str::contains("expected")));
    }
}

/// A PAM4 capture of PRBS13Q at 53.125 GBd, 16 samples/UI, levels `offset + step·symbol` (the
/// last sample of each UI halfway to the next): `time_s,<header>` rows (no header line for `None`)
/// with the time written to `time_digits` significant digits, then `extra`.
struct Capture<'a> {
    n_ui: usize,
    header: Option<&'a str>,
    offset: f64,
    step: f64,
    time_digits: usize,
    extra: &'a str,
}

/// OMA 1.2 mW in W, full-precision time stamps.
const OPTICAL: Capture =
    Capture { n_ui: 4000, header: Some("power_w"), offset: 0.2e-3, step: 0.4e-3, time_digits: 17, extra: "" };

impl Capture<'_> {
    fn write(&self, path: &std::path::Path) {
        let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        if let Some(h) = self.header {
            writeln!(f, "time_s,{h}").unwrap();
        }
        let symbols = photolink::math::prbs::Pattern::Prbs13q.symbols(2).unwrap();
        let dt = 1.0 / (53.125e9 * 16.0);
        for i in 0..self.n_ui * 16 {
            let u = i / 16;
            let a = self.offset + self.step * symbols[u % symbols.len()] as f64;
            let b = self.offset + self.step * symbols[(u + 1) % symbols.len()] as f64;
            let v = if i % 16 == 15 { 0.5 * (a + b) } else { a };
            writeln!(f, "{:.*e},{:e}", self.time_digits - 1, i as f64 * dt, v).unwrap();
        }
        write!(f, "{}", self.extra).unwrap();
    }
}

fn eye_of(path: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["eye", "--waveform", path.to_str().unwrap(), "--rate", "53.125GBd"];
    args.extend(extra);
    json(&args)
}

#[test]
fn imported_waveform_gives_tdecq() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("scope.csv");
    OPTICAL.write(&csv);
    let v = eye_of(&csv, &["--apply-reference-receiver"]);
    assert!(v["tdecq_db"].as_f64().unwrap() >= 0.0);
    assert!((v["oma_outer_dbm"].as_f64().unwrap() - 10.0 * (1.2f64).log10()).abs() < 0.5);
    let c = &v["capture"];
    assert_eq!((&c["signal"], &c["unit"], &c["unit_from"]), (&"optical".into(), &"W".into(), &"header".into()));
    assert_eq!(c["sample_rate_from"], "time column");
    assert!((3999..=4000).contains(&c["unit_intervals"].as_u64().unwrap()), "{c}");
    assert!((c["sample_rate_hz"].as_f64().unwrap() / 850e9 - 1.0).abs() < 1e-9);
    // Too short, and non-numeric rows.
    let short = dir.path().join("short.csv");
    Capture { n_ui: 500, ..OPTICAL }.write(&short);
    photolink()
        .args(["eye", "--waveform", short.to_str().unwrap(), "--rate", "53.125GBd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("short.csv:0: waveform length 500.0 UI: expected 1000 ..= 524288 UI"));
    let junk = dir.path().join("junk.csv");
    Capture { n_ui: 1200, extra: "1e-6,abc\n", ..OPTICAL }.write(&junk);
    photolink()
        .args(["eye", "--waveform", junk.to_str().unwrap(), "--rate", "53.125GBd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("junk.csv:19202: expected finite numbers, found '1e-6,abc'"));
}

#[test]
fn rounded_time_stamps_and_the_header_unit_give_the_true_oma() {
    // Issue 14: `%.6e` time stamps were refused at sample 17003, and a `power_mw` capture was read
    // as W (OMA 30 dB too high).
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("w.csv");
    OPTICAL.write(&reference);
    let oma = |v: &serde_json::Value| v["oma_outer_dbm"].as_f64().unwrap();
    let want = oma(&eye_of(&reference, &["--no-tdecq"]));
    let mw = dir.path().join("mw.csv");
    Capture { header: Some("power_mw"), offset: 0.2, step: 0.4, time_digits: 7, ..OPTICAL }.write(&mw);
    let v = eye_of(&mw, &["--no-tdecq"]);
    assert!((oma(&v) - want).abs() < 1e-6, "{} vs {want}", oma(&v));
    assert_eq!((v["capture"]["unit"].as_str(), v["capture"]["unit_from"].as_str()), (Some("mW"), Some("header")));
    // --unit overrides the header: the same numbers read as W are 30 dB more.
    let v = eye_of(&mw, &["--no-tdecq", "--unit", "W"]);
    assert!((oma(&v) - want - 30.0).abs() < 1e-6);
    assert_eq!(v["capture"]["unit_from"], "--unit");
    // No header: W is assumed, and the table says so.
    let bare = dir.path().join("bare.csv.gz");
    let plain = dir.path().join("bare.csv");
    Capture { header: None, ..OPTICAL }.write(&plain);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(&plain).unwrap()).unwrap();
    std::fs::write(&bare, gz.finish().unwrap()).unwrap();
    let v = eye_of(&bare, &["--no-tdecq"]);
    assert!((oma(&v) - want).abs() < 1e-9);
    assert_eq!(v["capture"]["unit_from"], "assumed");
    photolink()
        .args(["eye", "--waveform", bare.to_str().unwrap(), "--rate", "53.125GBd", "--no-tdecq"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("W (assumed: no unit in the header)")
                .and(predicate::str::contains("850 (time column)"))
                .and(predicate::str::contains("oma_outer_dbm")),
        );
}

#[test]
fn an_electrical_capture_reports_millivolts_and_no_optical_quantities() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("host.csv");
    // Levels -300, -100, 100, 300 mV about zero.
    Capture { header: Some("Voltage (mV)"), offset: -300.0, step: 200.0, ..OPTICAL }.write(&csv);
    let v = eye_of(&csv, &[]);
    assert_eq!((v["capture"]["signal"].as_str(), v["units"]["eye_heights"].as_str()), (Some("electrical"), Some("mV")));
    assert!((v["amplitude_outer_mv"].as_f64().unwrap() - 600.0).abs() < 1.0, "{v}");
    assert!(v["average_mv"].as_f64().unwrap().abs() < 5.0);
    let levels = v["center_levels_mv"].as_array().unwrap();
    assert!((levels[1].as_f64().unwrap() + 100.0).abs() < 5.0, "{levels:?}");
    for gone in ["oma_outer_dbm", "average_power_dbm", "extinction_ratio_db", "tdecq_db", "outer_levels_mw"] {
        assert!(v.get(gone).is_none(), "{gone}");
    }
    // The chart of a voltage is drawn in mV, with the electrical metrics as its caption.
    let svg = dir.path().join("eye.svg");
    photolink()
        .args(["eye", "--waveform", csv.to_str().unwrap(), "--rate", "53.125GBd", "--plot", svg.to_str().unwrap()])
        .assert()
        .success();
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.contains("Voltage (mV)") && chart.contains("Amplitude 6") && !chart.contains("mW"), "{chart:.300}");
}

#[test]
fn sample_rates_below_two_per_ui_and_bad_time_columns_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.csv");
    std::fs::write(&one, "0\n1\n".repeat(20_000)).unwrap();
    let eye = |file: &std::path::Path, extra: &[&str]| {
        let mut cmd = photolink();
        cmd.args(["eye", "--waveform", file.to_str().unwrap(), "--rate", "53.125GBd"]).args(extra);
        cmd.assert().code(2)
    };
    // Issue 14: 850 MHz (for GHz) ran 5 s at 1.3 GB and printed a TDECQ; 100 MHz aborted at 8.7 GB.
    for typo in ["850MHz", "100MHz"] {
        eye(&one, &["--sample-rate", typo]).stderr(
            predicate::str::contains("invalid --sample-rate")
                .and(predicate::str::contains("expected 106.25 GHz ..= 100000 GHz: at least 2 samples per UI")),
        );
    }
    // A fitted rate below the limit names the file: 16 samples/UI at 53.125 GBd are 1.6 at 531.25 GBd.
    let csv = dir.path().join("scope.csv");
    Capture { n_ui: 1200, ..OPTICAL }.write(&csv);
    let mut fast = photolink();
    fast.args(["eye", "--waveform", csv.to_str().unwrap(), "--rate", "531.25GBd"]);
    fast.assert().code(2).stderr(predicate::str::contains(
        "scope.csv:0: the time column gives a sample rate of 850 GHz (step 1.17647e-12 s): expected 1062.5 GHz",
    ));
    eye(&csv, &["--sample-rate", "850GHz"])
        .stderr(predicate::str::contains("expected no sample rate with a time column"));
    // Data row 5000 (line 5002) dropped: the step onto the next line is two periods.
    let text = std::fs::read_to_string(&csv).unwrap();
    let gap: String = text.lines().enumerate().filter(|(i, _)| *i != 5001).map(|(_, l)| format!("{l}\n")).collect();
    std::fs::write(&csv, gap).unwrap();
    eye(&csv, &[])
        .stderr(predicate::str::contains("scope.csv:5002: missing samples: about 1 missing before this line"));
    // --unit: a known unit, and only with --waveform.
    eye(&one, &["--sample-rate", "850GHz", "--unit", "dBm"])
        .stderr(predicate::str::contains("invalid --unit = 'dBm': expected W, mW, uW, nW, V, mV or uV"));
    photolink()
        .args(["eye", "--unit", "mW"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --unit = mW: expected with --waveform only"));
    photolink()
        .args(["eye", "--apply-reference-receiver"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --apply-reference-receiver = set: expected with --waveform only"));
}
