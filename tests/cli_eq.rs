//! `photolink eq`: JSON contract, plots, the three channel sources and bad input (exit 2).

use crate::cli::{json, photolink};
use predicates::prelude::*;

fn channel(name: &str) -> String {
    crate::support::channel_path(name).display().to_string()
}

const COMMON: [&str; 12] = [
    "--rate",
    "53.125GBd",
    "--modulation",
    "pam4",
    "--ctle",
    "auto",
    "--tx-ffe",
    "auto",
    "--rx-ffe",
    "3,12",
    "--dfe",
    "1",
];

#[test]
fn touchstone_eq_json_has_the_documented_keys() {
    let thru = channel("example2_THRU.s4p");
    let v = json(&[&["eq", "--touchstone", thru.as_str(), "--noise-rms", "1mV"][..], &COMMON[..]].concat());
    assert_eq!(v["schema"], "photolink.eq.v1");
    for key in
        ["snr_before_db", "snr_after_db", "tx_ffe_taps", "ctle", "rx_ffe_taps", "dfe_taps", "residual_isi_rms", "ber"]
    {
        assert!(!v[key].is_null(), "missing {key}: {v}");
    }
    assert!(v["snr_after_db"].as_f64().unwrap() > v["snr_before_db"].as_f64().unwrap());
    assert_eq!(v["rx_ffe_taps"].as_array().unwrap().len(), 16);
    assert_eq!(v["dfe_taps"].as_array().unwrap().len(), 1);
    let g = v["ctle"]["g_dc_db"].as_f64().unwrap();
    assert!((-20.0..=0.0).contains(&g));
    let sum: f64 = v["tx_ffe_taps"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap().abs()).sum();
    assert!((sum - 1.0).abs() < 1e-9);
    assert!(v["search"]["combinations"].as_u64().unwrap() >= 1000);
}

#[test]
fn medium_and_pulse_sources_and_plot() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("eq.png");
    let args = [&["eq", "--medium", "twinax-30awg", "--length", "2m"][..], &COMMON[..]].concat();
    photolink().args(&args).arg("--plot").arg(&png).assert().success().stdout(predicate::str::contains("snr_after_db"));
    assert!(std::fs::metadata(&png).unwrap().len() > 20_000);
    // A pulse CSV: an exponential tail, 8 samples per UI at 25 GBd.
    let csv = dir.path().join("pulse.csv");
    let mut text = String::from("time_s,pulse_v\n");
    for i in 0..(8 * 64) {
        let t_ui = i as f64 / 8.0;
        let v = if t_ui < 4.0 {
            0.0
        } else if t_ui < 5.0 {
            0.4 * (t_ui - 4.0)
        } else {
            0.4 * (-(t_ui - 5.0) / 1.5).exp()
        };
        text += &format!("{},{}\n", i as f64 * 5e-12, v);
    }
    std::fs::write(&csv, text).unwrap();
    let v =
        json(&["eq", "--pulse", csv.to_str().unwrap(), "--rate", "25GBd", "--modulation", "nrz", "--noise-rms", "5mV"]);
    assert!(v["snr_after_db"].as_f64().unwrap() > v["snr_before_db"].as_f64().unwrap() + 3.0, "{v}");
}

#[test]
fn bad_input_exits_2_naming_field_and_range() {
    let thru = channel("example2_THRU.s4p");
    let base = ["eq", "--touchstone", thru.as_str(), "--rate", "53.125GBd"];
    let cases: [(&[&str], &[&str]); 6] = [
        (&["--rx-ffe", "-1,12"], &["--rx-ffe", "-1,12", "0 ..= 64"]),
        (&["--dfe", "-2"], &["--dfe", "-2", "0 ..= 32"]),
        (&["--ctle", "peaky"], &["--ctle", "peaky", "g_DC -20 ..= 0"]),
        (&["--ctle", "-25"], &["--ctle g_DC", "-25", "-20 dB ..= 0 dB"]),
        (&["--tx-ffe", "0.2,0.5"], &["--tx-ffe", "sum |c| = 1"]),
        (&["--method", "magic"], &["--method", "mmse"]),
    ];
    for (extra, needles) in cases {
        let mut a = photolink().args(base).args(extra).assert().code(2);
        for n in needles {
            a = a.stderr(predicate::str::contains(*n));
        }
    }
    // Channel data stopping below Nyquist: the 15 GHz file at 53.125 GBd.
    photolink()
        .args(["eq", "--touchstone", &channel("peters_01_0605_B1_thru.s4p"), "--rate", "53.125GBd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("channel data").and(predicate::str::contains("26.5625 GHz")));
    photolink().args(["eq", "--rate", "53.125GBd"]).assert().code(2).stderr(predicate::str::contains("--touchstone"));
}

#[test]
fn an_eq_config_from_toml_gives_the_command_line_result() {
    use photolink::channel::Medium;
    use photolink::eq::{ChannelSpectrum, EqConfig, PulseConfig, equalize};
    let flags = ["--ctle", "-8,-2", "--tx-ffe", "off", "--rx-ffe", "2,6", "--dfe", "2", "--cursor", "mm"];
    let cli = json(
        &[
            &["eq", "--medium", "twinax-30awg", "--length", "2m", "--rate", "26.5625GBd", "--noise-rms", "2mV"][..],
            &flags[..],
        ]
        .concat(),
    );
    let toml = "pam = \"pam4\"\nnoise_rms_v = 2e-3\nctle = \"-8,-2\"\ntx = \"off\"\nrx_ffe = \"2,6\"\ndfe = 2\ncursor = \"mm\"\n";
    let cfg = EqConfig::from_toml(toml, "eq.toml").unwrap();
    let cable = Medium::named("twinax-30awg").unwrap();
    let spectrum = ChannelSpectrum::from_medium(&cable, 2.0, PulseConfig::com(26.5625e9)).unwrap();
    let lib = serde_json::to_value(equalize(&spectrum, &cfg).unwrap()).unwrap();
    for key in ["snr_before_db", "snr_after_db", "ber", "cursor_v", "rx_ffe_taps", "dfe_taps", "tx_ffe_taps", "ctle"] {
        let numbers = |v: &serde_json::Value| -> Vec<f64> {
            match v {
                serde_json::Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
                serde_json::Value::Object(o) => o.values().map(|x| x.as_f64().unwrap()).collect(),
                x => vec![x.as_f64().unwrap()],
            }
        };
        let (a, b) = (numbers(&cli[key]), numbers(&lib[key]));
        assert_eq!(a.len(), b.len(), "{key}");
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() <= 1e-12 * y.abs().max(1e-300), "{key}: command line {x}, library {y}");
        }
    }
    assert_eq!(cli["search"]["combinations"], 1);
}
