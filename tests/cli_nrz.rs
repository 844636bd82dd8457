//! End-to-end tests of `photolink nrz-budget`: the 10GEPBud `1310S` sheet (`docs/nrz-link-model.md`) from
//! the shipped example, exit codes 0/1/2, the max-reach bisection.

use crate::cli::{json, photolink};
use predicates::prelude::*;
use serde_json::Value;

fn example() -> String {
    format!("{}/examples/nrz/10gbase-lr-10km.nrz.toml", env!("CARGO_MANIFEST_DIR"))
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn example_reproduces_the_1310s_sheet_at_10_km() {
    let v = json(&["nrz-budget", &example()]);
    assert_eq!(v["schema"], "photolink.nrz-budget.v1");
    // 10GEPBud rev 3.1.16a cached cells, `1310S` at 10 km: P_total 7.244 dB, margin 0.146 dB.
    assert!((f(&v, "margin_db") - 0.146).abs() <= 1e-3, "{v}");
    assert!((f(&v, "p_total_db") - 7.244).abs() <= 1e-3, "{v}");
    assert_eq!(v["pass"], true);
    let rows = v["rows"].as_array().unwrap();
    let row = |item: &str| rows.iter().find(|r| r["item"] == item).unwrap_or_else(|| panic!("{item}"));
    assert_eq!(f(row("margin"), "value"), f(&v, "margin_db"));
    assert_eq!(row("T_c")["unit"], "ps");
    assert!(rows.iter().all(|r| !r["source"].as_str().unwrap().is_empty()));
    photolink().arg("nrz-budget").arg(example()).assert().code(0).stdout(predicate::str::contains("result: PASS"));
}

#[test]
fn negative_margin_and_closed_eye_exit_1() {
    let out = photolink().arg("nrz-budget").arg(example()).args(["--length", "15km", "--format", "json"]).assert();
    let out = out.code(1).stderr(predicate::str::contains("FAIL").and(predicate::str::contains("margin")));
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(f(&v, "margin_db") < 0.0 && v["pass"] == false, "{v}");
    assert_eq!(f(&v, "length_km"), 15.0);
    let out = photolink().arg("nrz-budget").arg(example()).args(["--length", "50km", "--format", "json"]).assert();
    let out = out.code(1).stderr(predicate::str::contains("FAIL").and(predicate::str::contains("eye closed by ISI")));
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v["margin_db"].is_null() && v["pass"] == false, "{v}");
}

#[test]
fn bad_input_exits_2_naming_field_and_line() {
    let text = std::fs::read_to_string(example()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, format!("{text}length_m = 10000.0\n")).unwrap();
    let line = format!("bad.toml:{}", text.lines().count() + 1);
    let stderr = predicate::str::contains(line).and(predicate::str::contains("length_m"));
    photolink().arg("nrz-budget").arg(&bad).assert().code(2).stderr(stderr);
    std::fs::write(&bad, text.replace("rx_bw_mhz = 7725.0", "rx_bw_mhz = 0.0")).unwrap();
    photolink().arg("nrz-budget").arg(&bad).assert().code(2).stderr(predicate::str::contains("rx_bw_mhz"));
    photolink().arg("nrz-budget").arg(example()).args(["--length", "5 parsecs"]).assert().code(2);
    // Issue 14: a wrong type names the field, its line and the unit its name carries.
    std::fs::write(&bad, text.replace("er_db = 4.434", "er_db = \"4.4dB\"")).unwrap();
    let want = "bad.toml:11: er_db: invalid type: string \"4.4dB\", expected a plain number in dB";
    photolink().arg("nrz-budget").arg(&bad).assert().code(2).stderr(predicate::str::contains(want));
    std::fs::write(&bad, text.replace("dgd_ps = 10.0", "dgd_ps = [10.0]")).unwrap();
    let want = "bad.toml:26: dgd_ps: invalid type: sequence";
    photolink().arg("nrz-budget").arg(&bad).assert().code(2).stderr(predicate::str::contains(want));
}

#[test]
fn max_reach_closes_with_zero_margin() {
    let v = json(&["nrz-budget", &example(), "--max-reach"]);
    let reach = f(&v, "max_reach_km");
    assert!(reach > 10.0 && reach < 15.0, "{reach}");
    let at_reach = json(&["nrz-budget", &example(), "--length", &format!("{reach}km")]);
    assert!(f(&at_reach, "margin_db").abs() < 1e-3, "{at_reach}");
    assert_eq!(at_reach["pass"], true);
}
