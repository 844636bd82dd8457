//! COM against PyChOpMarg on the vendored example2 backplane, closed forms and properties.

use super::response::{Grid, tx_rx_filters};
use super::search::ctle;
use super::*;
use crate::test_support::channel_path;
use std::sync::OnceLock;

fn read(name: &str) -> Network {
    Network::read(&channel_path(&format!("example2_{name}.s4p"))).unwrap()
}

/// example2 (VITA 68.2 backplane from PyChOpMarg, BSD-3): thru + FEXT1/2 + NEXT1/2/3.
fn example2() -> &'static ChannelSet {
    static SET: OnceLock<ChannelSet> = OnceLock::new();
    SET.get_or_init(|| {
        let file = |n: &str| channel_path(&format!("example2_{n}.s4p"));
        let (fext, next) = (["FEXT1", "FEXT2"].map(file), ["NEXT1", "NEXT2", "NEXT3"].map(file));
        ChannelSet::read(file("THRU"), &fext, &next, None).unwrap()
    })
}

/// PyChOpMarg 3.4.0 (pip, Python 3.11, run 2026-12-08) on example2 with the 802.3by KR4 sheet of
/// [`ComParams::ieee_8023by`], PRZF mode (no Rx FFE; its `nRxTaps` assertion bypassed by a unit
/// Rx FFE response), full 802.3by grid (c(−1) −0.18…0, c(1) −0.38…0 step 0.02, g_DC 0…−12),
/// both package cases: COM 4.198326 dB (12 mm) and 3.650737 dB (30 mm, worst), worst-case
/// FOM 16.591234 dB, A_s 25.744261 mV, A_ni 16.910 mV, Tx c(−1) = −0.18, c(1) = 0,
/// g_DC −12 dB, σ_TX 1.14995 mV, σ_N 0.71049 mV; 70.3 s on this 2-core machine.
const PEER_CASE_COM_DB: [f64; 2] = [4.198326, 3.650737];

#[test]
fn example2_8023by_reproduces_pychopmarg_with_its_fom_rule() {
    let p = ComParams { fom_isi: FomIsi::FromCursor, ..ComParams::ieee_8023by() };
    let r = com(example2(), &p).unwrap();
    for (case, peer) in r.cases.iter().zip(PEER_CASE_COM_DB) {
        assert!((case.com_db - peer).abs() < 0.01, "COM {} vs PyChOpMarg {peer}", case.com_db);
    }
    assert_eq!(r.worst_case, 1);
    let w = &r.cases[1];
    assert!((w.eq.fom_db - 16.591234).abs() < 0.01, "FOM {}", w.eq.fom_db);
    assert!((w.margin.a_s_v - 25.744261e-3).abs() < 1e-6, "A_s {}", w.margin.a_s_v);
    assert!((w.margin.a_ni_v - 16.910e-3).abs() < 2e-5, "A_ni {}", w.margin.a_ni_v);
    assert_eq!((w.eq.tx_taps[2], w.eq.tx_taps[4], w.eq.g_dc_db), (-0.18, 0.0, -12.0));
    assert!((w.eq.sigmas.sigma_tx_v - 1.14995e-3).abs() < 1e-7);
    assert!((w.eq.sigmas.sigma_n_v - 0.71049e-3).abs() < 1e-7);
}

#[test]
fn example2_8023by_spec_fom_stays_within_0p3_db_of_pychopmarg() {
    // (93A-31) counts pre-cursor ISI in the FOM: the search then prefers less Tx de-emphasis
    // (c(−1) = −0.16 in the worst case), which gives 0.11 dB more COM than PyChOpMarg's choice.
    let r = com(example2(), &ComParams::ieee_8023by()).unwrap();
    for (case, peer) in r.cases.iter().zip(PEER_CASE_COM_DB) {
        assert!((case.com_db - peer).abs() < 0.3, "COM {} vs PyChOpMarg {peer}", case.com_db);
        assert!(case.com_db >= peer - 1e-3, "the spec FOM cannot do worse than the peer's choice here");
    }
    assert!((r.com_db - 3.765).abs() < 0.01, "{}", r.com_db);
    assert!(r.pass);
    assert!((r.il_db_at_nyquist - 23.45).abs() < 0.01 && (r.fitted_il_db_at_nyquist - 23.87).abs() < 0.01);
}

/// 802.3by with only the first package case and a grid of `g_dc` × c(−1) ∈ `c_m1`.
fn small(g_dc: &[f64], c_m1: (f64, f64)) -> ComParams {
    let mut p = ComParams::ieee_8023by();
    p.cases.truncate(1);
    p.g_dc_db = g_dc.to_vec();
    p.tx_taps_min = vec![0.0, 0.0, c_m1.0, 0.0, 0.0, 0.0];
    p.tx_taps_max = vec![0.0, 0.0, c_m1.1, 0.0, 0.0, 0.0];
    p.tx_taps_step = vec![0.0, 0.0, 0.06, 0.0, 0.0, 0.0];
    p
}

#[test]
fn search_finds_the_brute_force_best() {
    let set = example2();
    let full = com(set, &small(&[-4.0, -8.0, -12.0], (-0.18, 0.0))).unwrap();
    let mut best = f64::NEG_INFINITY;
    for g in [-4.0, -8.0, -12.0] {
        for c in [-0.18, -0.12, -0.06, 0.0] {
            best = best.max(com(set, &small(&[g], (c, c))).unwrap().cases[0].eq.fom_db);
        }
    }
    assert_eq!(full.cases[0].eq.fom_db, best);
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let p = small(&[-6.0, -10.0, -12.0], (-0.18, 0.0));
    let many = com(example2(), &p).unwrap();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| com(example2(), &p)).unwrap();
    assert_eq!(many, one);
}

#[test]
fn extra_loss_and_aggressors_lower_com() {
    let p = small(&[-8.0, -10.0, -12.0], (-0.18, 0.0));
    let thru = read("THRU");
    let mut base = ChannelSet::new(&thru, "thru", None).unwrap();
    base.add(Kind::Fext, &read("FEXT1"), "FEXT1").unwrap();
    let c0 = com(&base, &p).unwrap().com_db;
    // 20 mm more of a matched (100 Ω) line of the package kind in the thru.
    let mut lossier = base.clone();
    let ch = &mut lossier.channels[0];
    ch.sdd = ch.sdd.then(&TwoPort::tline(&ch.freq_hz, &p.package, 100.0, 20.0, 50.0));
    let c1 = com(&lossier, &p).unwrap().com_db;
    let mut crowded = base.clone();
    crowded.add(Kind::Next, &read("NEXT1"), "NEXT1").unwrap();
    let c2 = com(&crowded, &p).unwrap().com_db;
    assert!(c1 < c0 - 0.3, "extra loss: {c1} vs {c0}");
    assert!(c2 < c0 - 0.05, "extra aggressor: {c2} vs {c0}");
}

#[test]
fn noise_dominated_through_gives_the_gaussian_margin() {
    // A lossless, matched 1 ns delay with no package, no jitter and a receiver noise far above
    // every ISI term: A_ni → Q⁻¹(DER_0)·σ with σ² = σ_TX² + σ_N².
    let freq: Vec<f64> = (0..=4000).map(|k| k as f64 * 10e6).collect();
    let net_text: String = std::iter::once("# Hz S RI R 50\n".to_string())
        .chain(freq.iter().map(|f| {
            let (im, re) = (-2.0 * std::f64::consts::PI * f * 1e-9).sin_cos();
            format!("{f} 0 0 {re} {im} 0 0 0 0\n{re} {im} 0 0 0 0 0 0\n0 0 0 0 0 0 {re} {im}\n0 0 0 0 {re} {im} 0 0\n")
        }))
        .collect();
    let net = Network::parse(&net_text, "through.s4p", 4).unwrap();
    let set = ChannelSet::new(&net, "through", None).unwrap();
    let mut p = small(&[0.0], (0.0, 0.0));
    p.package =
        PackageParams { r_d_ohm: 50.0, c_d_nf: vec![0.0], l_s_nh: vec![0.0], c_b_nf: 0.0, c_p_nf: 0.0, ..p.package };
    p.cases = vec![PackageCase {
        z_p_tx_mm: vec![0.0],
        z_p_rx_mm: vec![0.0],
        z_p_next_mm: vec![0.0],
        z_p_fext_mm: vec![0.0],
    }];
    (p.a_dd_ui, p.sigma_rj_ui, p.eta_0_v2_per_ghz) = (0.0, 0.0, 1e-5);
    let r = com(&set, &p).unwrap();
    let c = &r.cases[0];
    let sigma = c.eq.sigmas.sigma_tx_v.hypot(c.eq.sigmas.sigma_n_v);
    let q = crate::math::special::q_inv(p.der_0).unwrap();
    assert!(c.eq.sigmas.sigma_isi_v < 0.1 * sigma, "{:?}", c.eq.sigmas);
    assert!((c.margin.a_ni_v / (q * sigma) - 1.0).abs() < 0.02, "{} vs {}", c.margin.a_ni_v, q * sigma);
}

#[test]
fn reference_filters_and_ctle_closed_forms() {
    let p = ComParams::ieee_8023by();
    let fr = p.f_r_fb * p.fb_gbd * 1e9;
    // Butterworth (93A-20): −3.01 dB at f_r; no T_r filter in the 802.3by sheet.
    assert!((20.0 * tx_rx_filters(&p, fr).norm().log10() + 3.0103).abs() < 1e-3);
    // CTLE (93A-22): DC gain g_DC; with f_z = f_p1 a single pole at f_p2 remains at g_DC = 0.
    let c = ctle(&p, -7.0, 0.0);
    assert!((20.0 * c.transfer(0.0).norm().log10() + 7.0).abs() < 1e-9);
    let f = p.f_p2_ghz * 1e9;
    assert!((ctle(&p, 0.0, 0.0).transfer(f).norm() - 0.5f64.sqrt()).abs() < 1e-12);
    // The grid: M·f_b/f_step samples, f_step apart.
    let g = Grid::new(&p);
    assert_eq!(g.n, 82_500);
    assert!((g.df_hz() - 10e6).abs() < 1e-3);
}

#[test]
fn bad_inputs_name_the_file_field_and_range() {
    let two_port = Network::parse("# GHz S RI R 50\n1 0 0 1 0 1 0 0 0\n", "a.s2p", 2).unwrap();
    let e = ChannelSet::new(&two_port, "a.s2p", Some(PortOrder::P12N34)).unwrap_err().to_string();
    assert!(e.contains("a.s2p") && e.contains("4-port"), "{e}");
    let e = ComParams::built_in("802.3zz").unwrap_err().to_string();
    assert!(e.contains("802.3by") && e.contains("802.3ck-kr"), "{e}");
    let mut p = ComParams::ieee_8023by();
    p.der_0 = 0.5;
    assert!(p.validate().unwrap_err().to_string().contains("DER_0"));
    // Data stopping below f_b/2.
    let text: String = std::iter::once("# GHz S RI R 50\n".to_string())
        .chain((1..=20).map(|k| format!("{k} 0 0 1 0 0 0 0 0\n1 0 0 0 0 0 0 0\n0 0 0 0 0 0 1 0\n0 0 0 0 1 0 0 0\n")))
        .collect();
    let short = ChannelSet::new(&Network::parse(&text, "short.s4p", 4).unwrap(), "short.s4p", None).unwrap();
    let e = com(&short, &ComParams::ieee_8023ck_kr()).unwrap_err().to_string();
    assert!(e.contains("short.s4p") && e.contains("26.5625 GHz"), "{e}");
}

/// PyChOpMarg 3.4.0 (same run conditions as above) on example2 with [`ComParams::ieee_8023ck_kr`]
/// and a reduced Tx grid (c(−3) = c(−2) = 0, c(−1) −0.30…0 step 0.06, c(1) −0.20…0 step 0.05;
/// full g_DC × g_DC2 = 21 × 7): COM −10.167901 dB (case 1, worst) and −10.130101 dB (case 2),
/// FOM 3.060119 dB, A_s 2.121688 mV, A_ni 6.840323 mV, c(−1) = −0.24, c(1) = 0, g_DC −16 dB,
/// g_DC2 −5 dB; 299.5 s. (example2 is a 25G backplane: at 53 GBd it fails by 13 dB.)
fn ck_kr_reduced() -> ComParams {
    let mut p = ComParams::ieee_8023ck_kr();
    p.tx_taps_min = vec![0.0, 0.0, -0.30, -0.20, 0.0, 0.0];
    p.tx_taps_max = vec![0.0; 6];
    p.tx_taps_step = vec![0.0, 0.0, 0.06, 0.05, 0.0, 0.0];
    p
}

#[test]
fn example2_8023ck_kr_reduced_grid_reproduces_pychopmarg() {
    let p = ComParams { fom_isi: FomIsi::FromCursor, ..ck_kr_reduced() };
    let r = com(example2(), &p).unwrap();
    for (case, peer) in r.cases.iter().zip([-10.167901, -10.130101]) {
        assert!((case.com_db - peer).abs() < 0.001, "COM {} vs PyChOpMarg {peer}", case.com_db);
    }
    let w = &r.cases[r.worst_case];
    assert_eq!(r.worst_case, 0);
    assert!((w.eq.fom_db - 3.060119).abs() < 0.001 && (w.margin.a_ni_v - 6.840323e-3).abs() < 1e-8);
    assert_eq!((w.eq.tx_taps[2], w.eq.tx_taps[4], w.eq.g_dc_db, w.eq.g_dc2_db), (-0.24, 0.0, -16.0, -5.0));
}
