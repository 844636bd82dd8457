//! End-to-end tests of `photolink power`: the JSON contract, published ranges, cluster totals,
//! parameter overrides, charts and exit code 2 on bad input.

use crate::cli::{json, photolink};
use predicates::prelude::*;
use serde_json::Value;

fn power_json(args: &[&str]) -> Value {
    json(&[&["power"], args].concat())
}

fn arch<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["architectures"].as_array().unwrap().iter().find(|a| a["name"] == name).unwrap()
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} missing in {v}"))
}

const ISSUE_ARGS: [&str; 12] =
    ["--arch", "dsp-pluggable", "--arch", "lpo", "--arch", "cpo", "--arch", "dac", "--arch", "aec", "--rate", "800G"];

#[test]
fn json_has_the_documented_shape_and_breakdowns_sum() {
    let v = power_json(&ISSUE_ARGS);
    assert_eq!(v["schema"], "photolink.power.v1");
    assert_eq!(v["rate_bps"], 800e9);
    let archs = v["architectures"].as_array().unwrap();
    assert_eq!(
        archs.iter().map(|a| a["name"].as_str().unwrap()).collect::<Vec<_>>(),
        ["dsp-pluggable", "lpo", "cpo", "dac", "aec"]
    );
    for a in archs {
        let total = f(a, "watts_per_port");
        let sum: f64 = a["breakdown"].as_object().unwrap().values().map(|x| x.as_f64().unwrap()).sum();
        assert!((sum - total).abs() < 1e-9 * total.max(1.0), "{a}");
        // pJ/bit × bit rate = watts.
        assert!((f(a, "pj_per_bit") * 1e-12 * 800e9 - total).abs() < 1e-9 * total, "{a}");
        assert!(f(a, "reach_m") > 0.0);
    }
    assert!(v.get("cluster").is_none());
    assert_eq!(v["parameters"]["laser"]["wpe"], 0.15);
}

#[test]
fn defaults_land_in_the_published_ranges() {
    let v = power_json(&ISSUE_ARGS);
    // 800G DSP pluggable 14–17 W: NVIDIA MMS4X00-NS 16 W typ, 17 W max [P].
    assert!((14.0..=17.0).contains(&f(arch(&v, "dsp-pluggable"), "module_watts")));
    // 800G LPO 7–10 W: Axiom / journalnewsinfo ~8–9 W [S].
    assert!((7.0..=10.0).contains(&f(arch(&v, "lpo"), "module_watts")));
    // CPO 4–7 pJ/bit: NVIDIA ~9 W per 1.6T port ≈ 5.6 pJ/bit; Broadcom −70 % [S].
    assert!((4.0..=7.0).contains(&f(arch(&v, "cpo"), "pj_per_bit")));
    // Passive DAC < 0.2 W per end: NVIDIA LinkX "< 0.1 W per end" [P].
    assert!(f(arch(&v, "dac"), "module_watts") < 0.2);
    let v = power_json(&["--arch", "cpo", "--rate", "1.6Tbps"]);
    assert!((4.0..=7.0).contains(&f(arch(&v, "cpo"), "pj_per_bit")));
}

#[test]
fn cluster_totals_and_savings() {
    let v = power_json(&[&ISSUE_ARGS[..], &["--cluster-gpus", "100000", "--bandwidth-per-gpu", "7.2Tbps"]].concat());
    let c = &v["cluster"];
    assert_eq!(c["accelerators"], 100000.0);
    assert_eq!(c["bandwidth_per_accelerator_bps"], 7.2e12);
    let s = c["scenarios"].as_array().unwrap();
    assert_eq!(s.iter().map(|x| x["optics"].as_str().unwrap()).collect::<Vec<_>>(), ["dsp-pluggable", "lpo", "cpo"]);
    for x in s {
        assert!((f(x, "total_kw") - f(x, "total_watts") / 1e3).abs() < 1e-6 * f(x, "total_kw"));
        assert!((f(x, "total_mw") - f(x, "total_watts") / 1e6).abs() < 1e-9 * f(x, "total_mw"));
    }
    assert!(f(&s[2], "saving_vs_dsp_pluggable_watts") > f(&s[1], "saving_vs_dsp_pluggable_watts"));
    assert!(f(&s[1], "saving_vs_dsp_pluggable_watts") > 0.0);
    // Text output carries both tables.
    photolink()
        .args(["power", "--cluster-gpus", "1e5", "--bandwidth-per-gpu", "7.2Tbps"])
        .assert()
        .success()
        .stdout(predicate::str::contains("watts_per_port").and(predicate::str::contains("saving_fraction")));
}

#[test]
fn laser_wpe_moves_only_the_laser_line() {
    let base = power_json(&["--arch", "dsp-pluggable"]);
    let more = power_json(&["--arch", "dsp-pluggable", "--set", "laser.wpe=0.3"]);
    let (b, m) = (&arch(&base, "dsp-pluggable")["breakdown"], &arch(&more, "dsp-pluggable")["breakdown"]);
    for (k, x) in b.as_object().unwrap() {
        let y = m[k].as_f64().unwrap();
        if k == "laser" {
            assert!((y * 2.0 - x.as_f64().unwrap()).abs() < 1e-12, "{k}");
        } else {
            assert_eq!(x.as_f64().unwrap(), y, "{k}");
        }
    }
}

#[test]
fn toml_config_overrides_and_print_config_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("power.toml");
    std::fs::write(&cfg, "[dsp]\nprocess_nm = 5\n").unwrap();
    let v = power_json(&["--arch", "dsp-pluggable", "--config", cfg.to_str().unwrap()]);
    let base = power_json(&["--arch", "dsp-pluggable"]);
    assert!(f(arch(&v, "dsp-pluggable"), "module_watts") < f(arch(&base, "dsp-pluggable"), "module_watts"));
    let out = photolink().args(["power", "--print-config"]).assert().success().get_output().stdout.clone();
    let full = dir.path().join("full.toml");
    std::fs::write(&full, out).unwrap();
    let again = power_json(&["--arch", "dsp-pluggable", "--config", full.to_str().unwrap()]);
    assert_eq!(again["architectures"], base["architectures"]);
}

#[test]
fn bad_input_exits_2_naming_field_value_and_range() {
    let dir = tempfile::tempdir().unwrap();
    let bad_toml = dir.path().join("bad.toml");
    std::fs::write(&bad_toml, "[laser]\nwpe = 1.5\n").unwrap();
    let typed_toml = dir.path().join("typed.toml");
    std::fs::write(&typed_toml, "[dsp]\nprocess_nm = 7\nffe_taps = 2.5\n").unwrap();
    let unknown_toml = dir.path().join("unknown.toml");
    std::fs::write(&unknown_toml, "[laser]\nwpe = 0.2\nwpee = 0.1\n").unwrap();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["--arch", "vcsel"], vec!["--arch", "vcsel", "dsp-pluggable"]),
        (vec!["--set", "laser.wpe=1.5"], vec!["--set laser.wpe", "1.5", "..= 1"]),
        (vec!["--set", "cable.management_watts=-0.1"], vec!["cable.management_watts", "-0.1", "expected 0 W"]),
        (vec!["--set", "laser.wpee=0.2"], vec!["--set", "wpee", "wpe"]),
        (vec!["--config", bad_toml.to_str().unwrap()], vec!["bad.toml:2: invalid laser.wpe = 1.5", "..= 1"]),
        (vec!["--config", typed_toml.to_str().unwrap()], vec!["typed.toml:3: dsp.ffe_taps: invalid type: floating"]),
        (vec!["--set", "dsp.ffe_taps=2.5"], vec!["--set dsp.ffe_taps = 2.5: invalid type: floating point"]),
        (vec!["--config", unknown_toml.to_str().unwrap()], vec!["unknown.toml:3", "wpee"]),
        (vec!["--rate", "-800G"], vec!["--rate", "expected"]),
        (vec!["--cluster-gpus", "1000"], vec!["--bandwidth-per-gpu"]),
        (vec!["--cluster-gpus", "-5", "--bandwidth-per-gpu", "1T"], vec!["--cluster-gpus", "-5"]),
        (vec!["--cluster-copper", "cpo", "--cluster-gpus", "5", "--bandwidth-per-gpu", "1T"], vec!["--cluster-copper"]),
        // An unknown name is the flag's error too, not --arch's.
        (
            vec!["--cluster-copper", "smf", "--cluster-gpus", "5", "--bandwidth-per-gpu", "1T"],
            vec!["--cluster-copper = 'smf'"],
        ),
        (vec!["--plot", "x.gif"], vec!["--plot"]),
    ];
    for (args, needles) in cases {
        let mut a = photolink().arg("power").args(&args).assert().code(2);
        for n in needles {
            a = a.stderr(predicate::str::contains(n));
        }
    }
}

#[test]
fn plot_writes_both_charts() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("power.png");
    photolink().args(["power", "--plot"]).arg(&png).assert().success();
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    assert!(std::fs::metadata(dir.path().join("power_reach.png")).unwrap().len() > 10_000);
}

#[test]
fn report_includes_the_power_section() {
    let dir = tempfile::tempdir().unwrap();
    photolink().args(["report", "--out"]).arg(dir.path()).assert().success();
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    for chart in ["power_breakdown.png", "power_vs_reach.png"] {
        assert!(readme.contains(chart));
        assert!(std::fs::metadata(dir.path().join(chart)).unwrap().len() > 10_000);
    }
}
