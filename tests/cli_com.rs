//! `photolink com`: JSON contract on the vendored example2 set, the table, and bad input (exit 2).

use crate::cli::{json, photolink};
use predicates::prelude::*;

fn channel(name: &str) -> String {
    crate::support::channel_path(name).display().to_string()
}

#[test]
fn com_json_has_the_documented_keys() {
    let (thru, fext, next) =
        (channel("example2_THRU.s4p"), channel("example2_FEXT1.s4p"), channel("example2_NEXT1.s4p"));
    let v = json(&["com", thru.as_str(), "--fext", fext.as_str(), "--next", next.as_str(), "--config", "802.3by"]);
    assert_eq!(v["schema"], "photolink.com.v1");
    assert_eq!(v["config"], "802.3by");
    assert_eq!(v["port_order"], "1-2,3-4");
    let com_db = v["com_db"].as_f64().unwrap();
    // Fewer aggressors than the full set (3.77 dB worst case), more than the 3 dB pass line.
    assert!((3.0..6.0).contains(&com_db), "{com_db}");
    assert_eq!(v["pass"], true);
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for c in cases {
        for key in ["com_db", "a_s_v", "a_ni_v", "dfe_taps", "sigma_xt_pdf_v"] {
            assert!(!c[key].is_null(), "missing {key}: {c}");
        }
        for key in ["tx_taps", "g_dc_db", "g_dc2_db", "fom_db", "cursor_index"] {
            assert!(!c["eq"][key].is_null(), "missing eq.{key}: {c}");
        }
        for key in ["sigma_tx_v", "sigma_isi_v", "sigma_j_v", "sigma_xt_v", "sigma_n_v"] {
            assert!(c["eq"]["sigmas"][key].as_f64().unwrap() > 0.0, "{key}: {c}");
        }
        assert_eq!(c["dfe_taps"].as_array().unwrap().len(), 14);
    }
    let worst = v["worst_case"].as_u64().unwrap() as usize;
    assert_eq!(cases[worst]["com_db"].as_f64().unwrap(), com_db);
    assert!(v["fitted_il_db_at_nyquist"].as_f64().unwrap() > 20.0);
}

#[test]
fn com_table_names_the_worst_case() {
    let thru = channel("example2_THRU.s4p");
    photolink()
        .args(["com", thru.as_str(), "--config", "802.3by", "--port-order", "1-2,3-4"])
        .assert()
        .success()
        .stdout(predicate::str::contains("worst").and(predicate::str::contains("PASS")));
}

#[test]
fn com_bad_input_exits_2_naming_the_problem() {
    let thru = channel("example2_THRU.s4p");
    let cases: [(&[&str], &str); 4] = [
        (&["com", thru.as_str(), "--config", "802.3zz"], "--config"),
        (&["com", thru.as_str(), "--config", "802.3by", "--fom-isi", "none"], "--fom-isi"),
        (&["com", thru.as_str(), "--config", "802.3by", "--port-order", "1-4"], "--port-order"),
        (&["com", "missing.s4p", "--config", "802.3by"], "missing.s4p"),
    ];
    for (args, needle) in cases {
        photolink().args(args).assert().code(2).stderr(predicate::str::contains(needle));
    }
    // A 2-port file where a 4-port is needed: the error names the file.
    let dir = tempfile::tempdir().unwrap();
    let two = dir.path().join("two.s2p");
    std::fs::write(&two, "# GHz S RI R 50\n1 0 0 1 0 1 0 0 0\n2 0 0 1 0 1 0 0 0\n").unwrap();
    photolink()
        .args(["com", two.to_str().unwrap(), "--config", "802.3by", "--port-order", "1-2,3-4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two.s2p").and(predicate::str::contains("4-port")));
}
