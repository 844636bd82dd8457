//! End-to-end tests of `photolink budget`, `check` and `sweep`: exit codes 0/1/2, JSON contracts,
//! strict link files.

use crate::cli::{json, photolink};
use predicates::prelude::*;

fn example(name: &str) -> String {
    format!("{}/examples/links/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn budget_json_has_rows_margin_pass_and_ber() {
    let v = json(&["budget", "--preset", "400GBASE-DR4", "--length", "500m"]);
    assert_eq!(v["schema"], "photolink.budget.v1");
    let rows = v["rows"].as_array().unwrap();
    let find = |item: &str| rows.iter().find(|r| r["item"] == item).unwrap_or_else(|| panic!("{item}"));
    // IEEE 802.3bs-2017 Table 124-6/124-7 arithmetic (`docs/models.md` §9): budget 6.5 dB, allocation 3.5 dB.
    assert!((find("power budget")["value_db"].as_f64().unwrap() - 6.5).abs() < 1e-9);
    assert!((find("allocation for penalties")["value_db"].as_f64().unwrap() - 3.5).abs() < 1e-9);
    assert!(find("power budget")["source"].as_str().unwrap().starts_with("derived"));
    assert!(find("Rx SRS at SECQ 3.4 dB")["source"].as_str().unwrap().contains("IEEE 802.3bs-2017 Table 124-7"));
    // Allocation 3.5 dB = TDECQ max 3.4 dB + 0.1 dB MPI allowance: margin 0, BER at the KP4 target.
    assert!(v["margin_db"].as_f64().unwrap().abs() < 1e-9);
    assert_eq!(v["pass"], true);
    let ber = v["ber"].as_f64().unwrap();
    assert!((ber / 2.4e-4 - 1.0).abs() < 1e-6, "{ber}");
}

#[test]
fn check_exit_codes_gate_ci() {
    photolink().args(["check", "--quiet"]).arg(example("dr4-500m-measured-tx.toml")).assert().code(0).stdout("");
    photolink().arg("check").arg(example("cr1-dac-3m.toml")).arg(example("measured-backplane.toml")).assert().code(0);
    photolink()
        .args(["check", "--quiet"])
        .arg(example("dr4-500m-measured-tx.toml"))
        .arg(example("fr4-3km-fails.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("FAIL").and(predicate::str::contains("fr4-3km-fails.toml")));
    photolink().args(["check", "--preset", "400GBASE-FR4", "--length", "2km"]).assert().code(0);
    photolink().args(["check", "--preset", "400GBASE-FR4", "--length", "2.1km"]).assert().code(1);
    photolink().args(["check", "--preset", "400GBASE-XX"]).assert().code(2);
    photolink().args(["check", "no-such-file.toml"]).assert().code(2);
}

#[test]
fn unknown_fields_and_bad_values_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "preset = \"400GBASE-DR4\"\n[transmitter]\ntdecq_db = 2.0\nlaser_colour = 3\n").unwrap();
    photolink()
        .arg("check")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:4").and(predicate::str::contains("laser_colour")));
    std::fs::write(&bad, "preset = \"400GBASE-DR4\"\n[transmitter]  # measured\ntdecq_db = -2.0\n").unwrap();
    photolink()
        .arg("budget")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:3").and(predicate::str::contains("0 dB ..= 20 dB")));
    std::fs::write(
        &bad,
        "preset = \"400GBASE-DR4\"\n[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\nlength = \"5 parsecs\"\n",
    )
    .unwrap();
    photolink().arg("budget").arg(&bad).assert().code(2).stderr(predicate::str::contains("channel.0.length"));
}

#[test]
fn physical_budget_simulates_the_transmitter() {
    let v = json(&["budget", "--preset", "400GBASE-FR4", "--physical"]);
    let p = &v["physical"];
    let f = |k: &str| p[k].as_f64().unwrap();
    // Same arithmetic as the 802.3 rows: OMA − IL − MPI − max(floor, SRS − SECQ + TDECQ), the MPI
    // the 0.3 dB allocation since FR4 gives neither its receiver's nor its connections' reflectance.
    assert_eq!(f("mpi_db"), 0.3, "{p}");
    assert_eq!(p["pass"], true, "{p}");
    let want = f("oma_outer_dbm") - 4.0 - f("mpi_db") - f64::max(-4.6, -2.6 - 3.4 + f("tdecq_db"));
    assert!((f("margin_db") - want).abs() < 1e-9, "{p}");
    // The penalties add up to the TDECQ.
    assert!((f("isi_db") + f("rin_db") + f("channel_penalty_db") - f("tdecq_db")).abs() < 1e-9, "{p}");
    photolink().args(["budget", "--preset", "100GBASE-CR1", "--physical"]).assert().code(2);
}

#[test]
fn a_closed_simulated_eye_is_a_failing_budget_not_an_input_error() {
    // Ten −12 dB reflectors 0.1 dB apart: the MPI beat noise alone closes the eye.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mirrors.toml");
    std::fs::write(
        &file,
        "preset = \"400GBASE-DR4\"\n[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\nlength = \"500m\"\n\
         [[channel]]\ntype = \"connector\"\nloss_db = 0.1\ncount = 10\nreflectance_db = -12.0\n",
    )
    .unwrap();
    let v = json(&["budget", file.to_str().unwrap(), "--physical"]);
    let p = &v["physical"];
    assert_eq!(p["pass"], false, "{p}");
    assert!(p["margin_db"].is_null() && p["ber"].is_null(), "{p}");
    assert!(p["eye_closed"].as_str().unwrap().contains("MPI"), "{p}");
    assert!(p["unmodelled_reflectors"].as_array().unwrap().is_empty(), "{p}");
}

#[test]
fn max_reach_and_sweep() {
    let v = json(&["budget", "--preset", "400GBASE-DR4", "--max-reach"]);
    // The preset closes at its rated 500 m.
    assert!((v["max_reach_m"].as_f64().unwrap() - 500.0).abs() < 0.01);
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("sweep.png");
    let args = ["sweep", "--preset", "400GBASE-DR4", "--param", "channel.0.length", "--from", "100m", "--to", "10km"];
    let v = json(&[&args[..], &["--steps", "200", "--plot", png.to_str().unwrap()]].concat());
    let pts = v["points"].as_array().unwrap();
    assert_eq!(pts.len(), 200);
    assert!(pts.windows(2).all(|w| w[1]["margin_db"].as_f64() < w[0]["margin_db"].as_f64()));
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    photolink()
        .args(["sweep", "--preset", "400GBASE-DR4", "--param", "channel.7.length", "--from", "1m", "--to", "2m"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--param"));
    // A length unit on a dB field is an error, not 1 mdB.
    photolink()
        .args(["sweep", "--preset", "400GBASE-DR4", "--param", "penalties.mpi_db", "--from", "1m", "--to", "2m"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--from"));
    // Integer fields the file leaves unset can be swept.
    let counts = ["sweep", "--preset", "400GBASE-DR4", "--param", "channel.1.count", "--from", "1", "--to", "3"];
    let v = json(&[&counts[..], &["--steps", "3"]].concat());
    let m: Vec<f64> = v["points"].as_array().unwrap().iter().map(|p| p["margin_db"].as_f64().unwrap()).collect();
    assert!((m[0] - m[1] - 2.75).abs() < 1e-9 && (m[1] - m[2] - 2.75).abs() < 1e-9, "{m:?}");
    let csv = photolink()
        .args(["sweep", "--preset", "400GBASE-DR4", "--param", "transmitter.tdecq_db", "--from", "1", "--to", "3"])
        .args(["--steps", "3", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 4);
}

/// Issue 14: `budget A.toml B.toml` exited 2 although its usage shows `[LINK.toml]...`. It takes
/// any number of links, as `check` does: a titled table each, one JSON document per link (a
/// stream, each naming its link), one CSV with a `link` column; bad input in any file prints
/// nothing and exits 2.
#[test]
fn budget_takes_several_links_like_check() {
    let (cr1, fr4) = (example("cr1-dac-3m.toml"), example("fr4-3km-fails.toml"));
    let out = photolink().args(["budget", &cr1, &fr4, "--preset", "400GBASE-DR4"]).assert().code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for title in [format!("{cr1}: 100G DAC"), format!("{fr4}: FR4 lane at 3 km"), "preset 400GBASE-DR4: ".into()] {
        assert!(text.lines().any(|l| l.starts_with(&title)), "{title}:\n{text}");
    }
    assert_eq!(text.matches("result: ").count(), 3, "{text}");
    let out = photolink().args(["budget", &cr1, &fr4, "--format", "json"]).assert().code(0);
    let docs: Vec<serde_json::Value> =
        serde_json::Deserializer::from_slice(&out.get_output().stdout).into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!((docs[0]["link"].as_str(), docs[1]["link"].as_str()), (Some(cr1.as_str()), Some(fr4.as_str())));
    assert!(docs.iter().all(|d| d["schema"] == "photolink.budget.v1"));
    assert_eq!((docs[0]["pass"].as_bool(), docs[1]["pass"].as_bool()), (Some(true), Some(false)));
    // One link: the same document, alone.
    assert_eq!(json(&["budget", &cr1])["link"], cr1.as_str());
    let out = photolink().args(["budget", &cr1, &fr4, "--format", "csv"]).assert().code(0);
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(csv.starts_with("link,name,") && csv.matches("link,name,").count() == 1, "{csv}");
    assert!(csv.lines().skip(1).all(|l| l.starts_with(&cr1) || l.starts_with(&fr4)), "{csv}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "preset = \"400GBASE-DR4\"\nsymbol_rate = \"0GBd\"\n").unwrap();
    photolink()
        .args(["budget", &cr1])
        .arg(&bad)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("bad.toml:2: invalid symbol_rate = 0 Bd"));
}

/// Issue 14: optical links took `symbol_rate = "0GBd"`, a NaN RIN or a negative bandwidth in
/// `[simulation]` and passed `check`; only `--physical` refused them, without file or line. Every
/// command that loads a link now refuses every out-of-range or mistyped field at its line.
#[test]
fn every_command_refuses_a_bad_field_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let cases = [
        ("symbol_rate = \"0GBd\"", 2, "invalid symbol_rate = 0 Bd"),
        ("symbol_rate = \"-5GBd\"", 2, "invalid symbol_rate = -5000000000 Bd"),
        ("[receiver]\nil_budget_db = -1", 3, "invalid receiver.il_budget_db = -1 dB"),
        ("[simulation.laser]\nrin_db_per_hz = nan", 3, "invalid simulation.laser.rin_db_per_hz = NaN"),
        ("[simulation.driver]\nbandwidth_hz = -1", 3, "invalid simulation.driver.bandwidth_hz = -1 Hz"),
        ("simulation.signal.samples_per_ui = 2", 2, "invalid simulation.signal.samples_per_ui = 2"),
        (
            "[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\nlength = true",
            5,
            "channel.0.length: invalid type: boolean",
        ),
        ("[[channel]]\ntype = \"connector\"\nloss_db = 1\ncount = 2.5", 5, "channel.0.count: invalid type: floating"),
        (
            "[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\nlength = 500\nwavelength = \"5um\"\nattenuation_db_per_km = 0.5",
            6,
            "invalid channel.0.wavelength = 5000 nm",
        ),
        ("[fec]\ncode = \"rs(5,9)\"", 3, "invalid fec.code = 'rs(5,9)': expected 1 ..= 4 for k"),
    ];
    let sweep = ["sweep", "--param", "transmitter.tdecq_db", "--from", "1", "--to", "2", "--steps", "2"];
    for (body, line, message) in cases {
        std::fs::write(&bad, format!("preset = \"400GBASE-DR4\"\n{body}\n")).unwrap();
        let want = format!("bad.toml:{line}: {message}");
        for command in [&["budget"][..], &["check"], &["budget", "--max-reach"], &sweep] {
            let assert = photolink().args(command).arg(&bad).assert().code(2);
            let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
            assert!(stderr.contains(&want), "{command:?} {body}: {stderr}");
        }
    }
    // A missing Touchstone file, the physical budget of an NRZ link and an unknown --preset name
    // the link file's field (at its line) or the flag.
    let cases = [
        (
            "preset = \"100GBASE-CR1\"\n[[channel]]\ntype = \"touchstone\"\nfile = \"none.s4p\"\n",
            "bad.toml:4: invalid channel.0.file = 'none.s4p'",
        ),
        ("preset = \"400GBASE-DR4\"\nmodulation = \"nrz\"\n", "bad.toml:2: invalid modulation = nrz: expected pam4"),
    ];
    for (text, want) in cases {
        std::fs::write(&bad, text).unwrap();
        photolink().args(["budget", "--physical"]).arg(&bad).assert().code(2).stderr(predicate::str::contains(want));
    }
    let stderr = predicate::str::contains("invalid --preset = 'NOPE'");
    photolink().args(["budget", "--preset", "NOPE"]).assert().code(2).stderr(stderr);
}
