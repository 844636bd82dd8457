//! End-to-end tests of the `photolink` binary: output contracts and exit codes.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

pub fn photolink() -> Command {
    Command::cargo_bin("photolink").unwrap()
}

pub fn json(args: &[&str]) -> Value {
    let out = photolink().args(args).args(["--format", "json"]).assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn loss_json_has_the_documented_shape() {
    let v = json(&["loss", "--medium", "twinax-26awg", "--length", "2m", "--freq", "26.5625GHz"]);
    assert_eq!(v["schema"], "photolink.loss.v1");
    let c = &v["curves"][0];
    assert_eq!(c["medium"], "twinax-26awg");
    assert_eq!(c["length_m"], 2.0);
    assert_eq!(c["points"][0]["freq_hz"], 26.5625e9);
    let loss = c["points"][0]["loss_db"].as_f64().unwrap();
    // 2 m at ~4.7 dB/m (twinax table of `docs/models.md` §2, 26 AWG @26.56 GHz).
    assert!((loss / 9.4 - 1.0).abs() < 0.05, "{loss}");
}

#[test]
fn loss_ranges_and_several_media() {
    let v = json(&["loss", "--medium", "pcb-megtron6", "--medium", "smf", "--freq", "1GHz:50GHz:0.5GHz"]);
    let curves = v["curves"].as_array().unwrap();
    assert_eq!(curves.len(), 2);
    assert_eq!(curves[0]["points"].as_array().unwrap().len(), 99);
    assert_eq!(curves[1]["domain"], "optical");
}

#[test]
fn reach_json_names_limit_per_medium() {
    let v = json(&[
        "reach",
        "--rate",
        "212.5Gbps",
        "--modulation",
        "pam4",
        "--budget-db",
        "28",
        "--medium",
        "twinax-26awg",
        "--medium",
        "smf",
        "--wavelength",
        "1550nm",
    ]);
    assert_eq!(v["schema"], "photolink.reach.v1");
    let r = v["results"].as_array().unwrap();
    assert_eq!(r[0]["limited_by"], "loss");
    assert_eq!(r[1]["limited_by"], "dispersion");
    assert!(r[0]["reach_m"].as_f64().unwrap() > 3.0 && r[0]["reach_m"].as_f64().unwrap() < 4.5);
}

#[test]
fn text_formats_render() {
    let args = ["loss", "--medium", "smf", "--freq", "1GHz,2GHz"];
    photolink().args(args).assert().success().stdout(predicate::str::contains("loss_db"));
    // CSV comes from the serialised result at full precision, not from the rounded table.
    let out = photolink().args(args).args(["--format", "csv"]).assert().success().get_output().stdout.clone();
    let csv = String::from_utf8(out).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("medium,domain,length_m,freq_hz,loss_db"));
    let points = json(&args)["curves"][0]["points"].clone();
    for (line, point) in lines.zip(points.as_array().unwrap()) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[3].parse::<f64>().unwrap(), point["freq_hz"].as_f64().unwrap());
        assert_eq!(cells[4].parse::<f64>().unwrap(), point["loss_db"].as_f64().unwrap(), "{line}");
    }
    photolink().args(args).args(["--format", "markdown"]).assert().success().stdout(predicate::str::contains("|---|"));
}

#[test]
fn bad_input_exits_2_with_field_value_and_range() {
    let cases: [(&[&str], &[&str]); 10] = [
        // Issue 14 reproducers: underflowing steps (were exit 0, empty) and a 1e9-point product.
        (&["loss", "--medium", "smf", "--freq", "1GHz:2GHz:1e-300GHz"], &["--freq", "at most 1000000 points"]),
        (&["ber", "--snr-db", "0:1:5e-20"], &["--snr-db", "at most 1000000 points"]),
        (
            &["loss", "--medium", "smf", "--length", "1m:3000m:1m", "--freq", "1MHz:1GHz:1MHz"],
            &["--medium x --length x --freq", "3000 curves x 1000 frequencies", "at most 2000000"],
        ),
        (&["loss", "--medium", "copper-99"], &["--medium", "copper-99", "twinax-26awg"]),
        (&["loss", "--medium", "smf", "--length", "-3m"], &["--length", "-3", "expected 0 m"]),
        (&["loss", "--medium", "smf", "--length", "2GHz"], &["--length", "2GHz", "expected a length"]),
        (&["loss", "--medium", "smf", "--freq", "5THz"], &["--freq", "5000000000000", "expected 0 Hz"]),
        (&["reach", "--rate", "0Gbps", "--budget-db", "3", "--medium", "smf"], &["--rate", "expected"]),
        (&["loss", "--medium", "twinax-26awg", "--wavelength", "1311nm"], &["--wavelength", "fiber"]),
        // Issue 14: the fiber budget was blamed on --budget-db, with 1e308 printed in 309 digits.
        (
            &["reach", "--rate", "106.25Gbps", "--budget-db", "3", "--fiber-budget-db", "1e308", "--medium", "smf"],
            &["--fiber-budget-db = 1e308 dB", "expected 0 dB ..= 200 dB"],
        ),
    ];
    for (args, needles) in cases {
        let mut a = photolink().args(args).assert().code(2);
        for n in needles {
            a = a.stderr(predicate::str::contains(*n));
        }
    }
    photolink().args(["loss"]).assert().code(2);
    photolink().args(["nonsense"]).assert().code(2);
}

#[test]
fn plot_and_report_write_files_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("loss.png");
    photolink()
        .args(["loss", "--medium", "twinax-30awg", "--medium", "mmf-om4", "--plot"])
        .arg(&png)
        .assert()
        .success();
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    assert_eq!(&std::fs::read(&png).unwrap()[1..4], b"PNG");
    photolink().args(["loss", "--medium", "smf", "--plot", "x.gif"]).assert().code(2);
    // Issue 14: a missing directory was created silently; a write failure printed Rust debug text.
    let nodir = dir.path().join("nodir/x.png");
    photolink()
        .args(["loss", "--medium", "smf", "--plot"])
        .arg(&nodir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--plot").and(predicate::str::contains("existing directory")));
    assert!(!dir.path().join("nodir").exists());
    let out = dir.path().join("pack");
    photolink().args(["report", "--out"]).arg(&out).assert().success();
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    for chart in [
        "loss_vs_frequency.png",
        "reach_vs_lane_rate.png",
        "ber_waterfall.png",
        "fec_cliff.png",
        "budget_margin_vs_length.png",
    ] {
        assert!(readme.contains(chart));
        assert!(std::fs::metadata(out.join(chart)).unwrap().len() > 10_000);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn presets_lists_media_with_sources() {
    let v = json(&["presets"]);
    let media = v["media"].as_array().unwrap();
    assert!(media.iter().any(|m| m["name"] == "twinax-26awg"));
    assert!(media.iter().all(|m| !m["source"].as_str().unwrap().is_empty()));
}

fn channel(name: &str) -> String {
    crate::support::channel_path(name).display().to_string()
}

#[test]
fn touchstone_loss_matches_scikit_rf_and_rejects_bad_input() {
    // scikit-rf 2.2.0 (renumber to 1-3,2-4 then se2gmm): 23.45 dB at 12.890625 GHz.
    let v = json(&["loss", "--touchstone", &channel("example2_THRU.s4p"), "--freq", "12.890625GHz"]);
    let c = &v["curves"][0];
    assert_eq!(c["port_order"], "1-2,3-4");
    assert!(c["length_m"].is_null());
    assert!((c["points"][0]["loss_db"].as_f64().unwrap() - 23.45).abs() < 0.05);
    photolink()
        .args(["loss", "--touchstone", &channel("example2_THRU.s4p"), "--freq", "45GHz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("45.000000 GHz").and(predicate::str::contains("40.000000 GHz")));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.s2p");
    std::fs::write(&bad, "# GHz S RI R 50\n1 0.5 x\n").unwrap();
    photolink()
        .arg("loss")
        .arg("--touchstone")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.s2p:2"));
    photolink()
        .args(["loss", "--touchstone", &channel("example2_THRU.s4p"), "--port-order", "9-9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--port-order"));
}

#[test]
fn negative_values_reach_the_range_checks() {
    // Issue 14: clap read a leading '-' as a flag ("unexpected argument '-1' found").
    let cases: [(&[&str], &str); 11] = [
        (&["loss", "--medium", "smf", "--wavelength", "-1nm"], "--wavelength"),
        (&["loss", "--medium", "smf", "--length", "-2m"], "--length"),
        (&["reach", "--rate", "-106.25Gbps", "--budget-db", "3", "--medium", "smf"], "--rate"),
        (&["reach", "--rate", "106.25Gbps", "--budget-db", "-3", "--medium", "smf"], "--budget-db"),
        (&["eye", "--swing", "-1V"], "swing"),
        (&["eye", "--rx-bandwidth", "-1GHz"], "bandwidth"),
        (&["ber", "--rlm", "-0.5"], "--rlm"),
        (&["fec", "--links", "-1"], "--links"),
        (&["fec", "--pre-fec-ber", "-1e-4"], "--pre-fec-ber"),
        (&["power", "--rate", "-800G"], "--rate"),
        (
            &["eq", "--medium", "twinax-30awg", "--length", "1m", "--rate", "26.5625GBd", "--noise-rms", "-1mV"],
            "--noise-rms",
        ),
    ];
    for (args, flag) in cases {
        let out = photolink().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("unexpected argument"), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?} should name {flag}: {stderr}");
    }
    // A negative SNR is a valid point.
    photolink().args(["ber", "--snr-db", "-5"]).assert().success();
}
