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

fn write_csv(path: &std::path::Path, n_ui: usize, extra: &str) {
    let mut f = std::fs::File::create(path).unwrap();
    writeln!(f, "time_s,power_w").unwrap();
    let symbols = photolink::math::prbs::Pattern::Prbs13q.symbols(2).unwrap();
    // 53.125 GBd at 16 samples/UI, OMA 1.2 mW; the last sample of each UI sits halfway to the next.
    let dt = 1.0 / (53.125e9 * 16.0);
    for i in 0..n_ui * 16 {
        let u = i / 16;
        let a = 0.2e-3 + 0.4e-3 * symbols[u % symbols.len()] as f64;
        let b = 0.2e-3 + 0.4e-3 * symbols[(u + 1) % symbols.len()] as f64;
        let v = if i % 16 == 15 { 0.5 * (a + b) } else { a };
        writeln!(f, "{:e},{:e}", i as f64 * dt, v).unwrap();
    }
    write!(f, "{extra}").unwrap();
}

#[test]
fn imported_waveform_gives_tdecq() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("scope.csv");
    write_csv(&csv, 4000, "");
    let v = json(&["eye", "--waveform", csv.to_str().unwrap(), "--rate", "53.125GBd", "--apply-reference-receiver"]);
    assert!(v["tdecq_db"].as_f64().unwrap() >= 0.0);
    assert!((v["oma_outer_dbm"].as_f64().unwrap() - 10.0 * (1.2f64).log10()).abs() < 0.5);
    // Too short, and non-numeric rows.
    let short = dir.path().join("short.csv");
    write_csv(&short, 500, "");
    photolink()
        .args(["eye", "--waveform", short.to_str().unwrap(), "--rate", "53.125GBd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("waveform length").and(predicate::str::contains("1000 UI")));
    let junk = dir.path().join("junk.csv");
    write_csv(&junk, 1200, "1e-6,abc\n");
    photolink()
        .args(["eye", "--waveform", junk.to_str().unwrap(), "--rate", "53.125GBd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("junk.csv:").and(predicate::str::contains("abc")));
}
