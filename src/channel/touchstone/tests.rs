//! Tests of the Touchstone reader and the mixed-mode conversion.

use super::*;
use proptest::prelude::*;

/// The public channel files (licences beside them); `shared/` sits next to the checkout.
const CHANNELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/channels/");

fn channel(name: &str) -> Network {
    Network::read(&Path::new(CHANNELS).join(name)).unwrap()
}

fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

fn assert_close(a: Complex64, b: Complex64) {
    assert!((a - b).norm() < 1e-9, "{a} vs {b}");
}

/// `(line, message)` of the parse error of `text` as a `ports`-port file.
fn parse_error(text: &str, ports: usize) -> (usize, String) {
    match Network::parse(text, "t.sNp", ports) {
        Err(Error::Parse {
            file,
            line,
            message,
        }) => {
            assert_eq!(file, "t.sNp");
            (line, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

fn loss_db(h: Complex64) -> f64 {
    -20.0 * h.norm().log10()
}

/// Writes a Version 1 Touchstone file in Hz and RI, MA or DB, full precision (Rust's `{:e}`
/// round-trips exactly), row-major with the 2-port exception, one frequency per line.
fn write_v1(
    freq_hz: &[f64],
    ports: usize,
    format: &str,
    s: impl Fn(usize, usize, usize) -> Complex64,
) -> String {
    let mut text = format!("! written by the tests\n# Hz S {format} R 50\n");
    let order: Vec<(usize, usize)> = if ports == 2 {
        vec![(1, 1), (2, 1), (1, 2), (2, 2)]
    } else {
        (1..=ports)
            .flat_map(|i| (1..=ports).map(move |j| (i, j)))
            .collect()
    };
    for (k, f) in freq_hz.iter().enumerate() {
        text += &format!("{f:e}");
        for &(i, j) in &order {
            let z = s(k, i, j);
            let (a, b) = match format {
                "RI" => (z.re, z.im),
                "MA" => (z.norm(), z.arg().to_degrees()),
                _ => (20.0 * z.norm().log10(), z.arg().to_degrees()),
            };
            text += &format!(" {a:e} {b:e}");
        }
        text += "\n";
    }
    text
}

// ---------------------------------------------------------------------------------------------
// Version 1: formats, units, options, ordering, comments, wrapping, noise
// ---------------------------------------------------------------------------------------------

/// S11 = 0.6 + 0.8j (|S| = 1, 53.13010235415598°), S21 = −0.1j, S12 = 0.5, S22 = −0.25.
const TWO_PORT_RI: &str = "# GHz S RI R 50\n1.0 0.6 0.8 0 -0.1 0.5 0 -0.25 0\n";

fn check_two_port_values(net: &Network) {
    assert_close(net.s(0, 1, 1), c(0.6, 0.8));
    assert_close(net.s(0, 2, 1), c(0.0, -0.1));
    assert_close(net.s(0, 1, 2), c(0.5, 0.0));
    assert_close(net.s(0, 2, 2), c(-0.25, 0.0));
}

#[test]
fn ri_ma_and_db_formats_give_the_same_matrix() {
    let ma = "# GHz S MA R 50\n1.0 1 53.13010235415598 0.1 -90 0.5 0 0.25 180\n";
    let db = "# GHz S DB R 50\n1.0 0 53.13010235415598 -20 -90 -6.020599913279624 0 \
              -12.041199826559248 180\n";
    for text in [TWO_PORT_RI, ma, db] {
        check_two_port_values(&Network::parse(text, "t.s2p", 2).unwrap());
    }
}

#[test]
fn two_port_v1_lists_s11_s21_s12_s22() {
    // Distinct values show the order: the second pair is S21, the third S12.
    let net = Network::parse(TWO_PORT_RI, "t.s2p", 2).unwrap();
    assert_close(net.s(0, 2, 1), c(0.0, -0.1));
    assert_close(net.s(0, 1, 2), c(0.5, 0.0));
    assert_eq!(net.ports(), 2);
    assert_eq!(net.z0_ohm(), &[50.0, 50.0]);
}

#[test]
fn frequency_units_in_any_case() {
    for (unit, scale) in [("Hz", 1.0), ("khz", 1e3), ("MHZ", 1e6), ("gHz", 1e9)] {
        let text = format!("# {unit} S RI\n1.5 0.1 0\n2.5 0.2 0\n");
        let net = Network::parse(&text, "t.s1p", 1).unwrap();
        assert_eq!(net.freq_hz(), &[1.5 * scale, 2.5 * scale], "{unit}");
    }
}

#[test]
fn options_default_to_ghz_ma_50_ohm_and_accept_any_order() {
    let net = Network::parse("2 0.5 90\n", "t.s1p", 1).unwrap();
    assert_eq!(net.freq_hz(), &[2e9]);
    assert_close(net.s(0, 1, 1), c(0.0, 0.5));
    assert_eq!(net.z0_ohm(), &[50.0]);

    let net = Network::parse("# r 75 db mhz s\n3 -20 0\n", "t.s1p", 1).unwrap();
    assert_eq!(net.freq_hz(), &[3e6]);
    assert_close(net.s(0, 1, 1), c(0.1, 0.0));
    assert_eq!(net.z0_ohm(), &[75.0]);

    // Only the first option line counts (Touchstone specification).
    let net = Network::parse("# Hz S RI\n# GHz S MA\n1 0.5 0.5\n", "t.s1p", 1).unwrap();
    assert_eq!(net.freq_hz(), &[1.0]);
    assert_close(net.s(0, 1, 1), c(0.5, 0.5));
}

#[test]
fn comments_anywhere_and_data_wrapped_over_lines_row_major() {
    // A 3-port matrix S_ij = i + j/10 (real), wrapped irregularly, comments everywhere, CRLF.
    let text = "! header comment\r\n\
                # GHz S RI R 50 ! trailing comment on the option line\r\n\
                1.0 1.1 0 1.2 0 ! comment after data\r\n\
                1.3 0 2.1 0\r\n\
                ! a full-line comment inside a point\r\n\
                2.2 0 2.3 0 3.1 0 3.2 0 3.3 0\r\n\
                \r\n\
                2.0 1.1 0 1.2 0 1.3 0 2.1 0 2.2 0 2.3 0 3.1 0 3.2 0 3.3 0\r\n";
    let net = Network::parse(text, "t.s3p", 3).unwrap();
    assert_eq!(net.num_frequencies(), 2);
    for k in 0..2 {
        for i in 1..=3 {
            for j in 1..=3 {
                assert_close(net.s(k, i, j), c(i as f64 + j as f64 / 10.0, 0.0));
            }
        }
    }
}

#[test]
fn two_port_v1_noise_data_after_the_network_data_is_skipped() {
    let text = "# GHz S MA R 50\n\
                1 0.1 0 0.9 -10 0.9 -10 0.1 0\n\
                2 0.2 0 0.8 -20 0.8 -20 0.2 0\n\
                ! noise parameters: freq NFmin |Gopt| angle Rn\n\
                1 0.5 0.3 40 0.2\n\
                2 0.6 0.35 50 0.25\n";
    let net = Network::parse(text, "t.s2p", 2).unwrap();
    assert_eq!(net.freq_hz(), &[1e9, 2e9]);
    // A noise block must be well-formed: five numbers per line.
    let (line, message) = parse_error(&text.replace("2 0.6 0.35 50 0.25", "2 0.6 0.35 50"), 2);
    assert_eq!(line, 6);
    assert!(
        message.contains("noise data line with 4 values"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Version 2 keywords
// ---------------------------------------------------------------------------------------------

#[test]
fn v2_keywords_reference_over_lines_information_and_noise_blocks() {
    let text = "! comment before the version\n\
                [Version] 2.1\n\
                # MHz S RI R 50\n\
                [Number of Ports] 3\n\
                [Number of Frequencies] 2\n\
                [Number of Noise Frequencies] 1\n\
                [Reference] 50 75\n\
                100\n\
                [Matrix Format] Full\n\
                [Begin Information]\n\
                [Manufacturer] anything goes here, even 1 2 3\n\
                [End Information]\n\
                [Network Data]\n\
                10 1.1 0 1.2 0 1.3 0 2.1 0 2.2 0 2.3 0 3.1 0 3.2 0 3.3 0\n\
                20 1.1 0 1.2 0 1.3 0 2.1 0 2.2 0 2.3 0 3.1 0 3.2 0 3.3 0\n\
                [Noise Data]\n\
                10 0.5 0.3 40 0.2\n\
                [End]\n\
                anything after [End] is ignored\n";
    let net = Network::parse(text, "t.ts", 3).unwrap();
    assert_eq!(net.freq_hz(), &[10e6, 20e6]);
    assert_eq!(net.z0_ohm(), &[50.0, 75.0, 100.0]);
    assert_close(net.s(1, 2, 3), c(2.3, 0.0));
    assert_close(net.s(1, 3, 2), c(3.2, 0.0));
}

#[test]
fn v2_upper_and_lower_matrix_fill_the_symmetric_half() {
    let header = "[Version] 2.0\n# GHz S RI\n[Number of Ports] 3\n[Number of Frequencies] 1\n";
    // Upper lists S11 S12 S13 S22 S23 S33; Lower lists S11 S21 S22 S31 S32 S33.
    let upper = format!(
        "{header}[Matrix Format] upper\n[Network Data]\n1 11 0 12 0 13 0\n22 0 23 0\n33 0\n[End]\n"
    );
    let lower = format!(
        "{header}[Matrix Format] Lower\n[Network Data]\n1 11 0\n12 0 22 0\n13 0 23 0 33 0\n[End]\n"
    );
    for text in [upper, lower] {
        let net = Network::parse(&text, "t.s3p", 3).unwrap();
        for (i, j) in [(1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3)] {
            let v = c((10 * i + j) as f64, 0.0);
            assert_close(net.s(0, i, j), v);
            assert_close(net.s(0, j, i), v);
        }
    }
}

#[test]
fn v2_two_port_data_order_keyword_decides_the_order() {
    let with_order = |order: &str| {
        format!(
            "[Version] 2.0\n# GHz S RI\n[Number of Ports] 2\n[Two-Port Data Order] {order}\n\
             [Number of Frequencies] 1\n[Network Data]\n1 11 0 12 0 21 0 22 0\n[End]\n"
        )
    };
    let net = Network::parse(&with_order("12_21"), "t.s2p", 2).unwrap();
    assert_close(net.s(0, 1, 2), c(12.0, 0.0));
    assert_close(net.s(0, 2, 1), c(21.0, 0.0));
    let net = Network::parse(&with_order("21_12"), "t.s2p", 2).unwrap();
    assert_close(net.s(0, 2, 1), c(12.0, 0.0));
    assert_close(net.s(0, 1, 2), c(21.0, 0.0));

    let (line, message) = parse_error(&with_order("12-21"), 2);
    assert_eq!(line, 4);
    assert!(message.contains("expected 12_21 or 21_12"), "{message}");
    let missing = with_order("12_21").replace("[Two-Port Data Order] 12_21\n", "");
    let (line, message) = parse_error(&missing, 2);
    assert_eq!(line, 5);
    assert!(message.contains("needs [Two-Port Data Order]"), "{message}");
}

#[test]
fn v2_errors_name_the_line() {
    let good = "[Version] 2.0\n# GHz S RI\n[Number of Ports] 1\n[Number of Frequencies] 2\n\
                [Network Data]\n1 0.5 0\n2 0.4 0\n[End]\n";
    assert!(Network::parse(good, "t", 1).is_ok());
    let cases = [
        (
            good.replace("2.0", "3.0"),
            1,
            "unsupported Touchstone version \"3.0\"",
        ),
        (
            format!("# GHz S RI\n{good}"),
            2,
            "[Version] must be the first line",
        ),
        (
            good.replace("[Number of Ports] 1", "[Number of Ports] 4"),
            3,
            "disagrees with the 1 ports",
        ),
        (
            good.replace("[Number of Frequencies] 2", "[Number of Frequencies] 3"),
            8,
            "says 3, the network data hold 2",
        ),
        (
            good.replace("[Network Data]\n", ""),
            5,
            "data before [Network Data]",
        ),
        (
            good.replace(
                "[Network Data]",
                "[Mixed-Mode Order] D2,3 D1,4\n[Network Data]",
            ),
            5,
            "[Mixed-Mode Order]) is not supported",
        ),
        (
            good.replace("[Network Data]", "[Matrix Format] diagonal\n[Network Data]"),
            5,
            "expected Full, Upper or Lower",
        ),
        (
            good.replace("[Network Data]", "[Reference] 50 50\n[Network Data]"),
            5,
            "more than the 1 impedances",
        ),
        (
            good.replace("[Network Data]", "[Reference] -5\n[Network Data]"),
            5,
            "reference impedance -5 ohm",
        ),
        (
            good.replace("[Network Data]", "[Frobnicate] 1\n[Network Data]"),
            5,
            "unexpected keyword [frobnicate]",
        ),
        (
            good.replace("[Number of Ports] 1", "[Number of Ports] x"),
            3,
            "expected a positive whole number",
        ),
        (
            good.replace("[Number of Ports] 1", "[Number of Ports] 5000"),
            3,
            "above the supported 1024",
        ),
        (
            good.replace("[End]", "[Number of Ports] 1"),
            8,
            "unexpected keyword [number of ports]",
        ),
        (
            good.replace("[Number of Frequencies] 2\n", ""),
            4,
            "[Network Data] before [Number of Frequencies]",
        ),
        (
            good.replace("[Network Data]", "[Begin Information]"),
            0,
            "without [End Information]",
        ),
    ];
    for (text, want_line, want_message) in cases {
        let (line, message) = parse_error(&text, 1);
        assert!(
            message.contains(want_message),
            "{message:?} lacks {want_message:?}"
        );
        assert_eq!(line, want_line, "{message}");
    }
    // A missing [End] is tolerated; the frequency count still guards against truncation.
    assert!(Network::parse(&good.replace("[End]\n", ""), "t", 1).is_ok());
    let (line, message) = parse_error(&good.replace("2 0.4 0\n[End]\n", ""), 1);
    assert_eq!(
        (line, message.contains("says 2, the network data hold 1")),
        (0, true)
    );
    // [Reference] over several lines must end with one impedance per port.
    let two_ports = "[Version] 2.0\n[Number of Ports] 2\n[Two-Port Data Order] 12_21\n\
                     [Number of Frequencies] 1\n[Reference] 50\n[Network Data]\n";
    let (line, message) = parse_error(two_ports, 2);
    assert_eq!(line, 6);
    assert!(
        message.contains("[Reference] on line 5 lists 1 impedances"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Version 1 errors
// ---------------------------------------------------------------------------------------------

#[test]
fn v1_errors_name_the_line_and_the_problem() {
    let cases: [(&str, usize, usize, &str); 14] = [
        (
            "# GHz S RI\n1 0.5 0\n2 0.5 abc\n",
            1,
            3,
            "expected a number, found \"abc\"",
        ),
        (
            "# GHz S RI\n1 0.5 0\n2 0.5 NaN\n",
            1,
            3,
            "\"NaN\" is not a finite number",
        ),
        (
            "# GHz S RI\n1 0.5 0\n2 inf 0\n",
            1,
            3,
            "\"inf\" is not a finite number",
        ),
        (
            "# GHz S RI\n1 0.5 0 0.1\n0.2\n",
            1,
            3,
            "in the middle of a frequency point: 2 of 3 values",
        ),
        (
            "# GHz S RI\n1 1 0 2 0 3 0 4 0 5 0 6 0 7 0 8 0\n9 0\n2 1 0 2 0\n",
            3,
            4,
            "5 of 19 values",
        ),
        (
            "# GHz S RI\n1 0.5 0\n\n2 0.5 0\n2 0.4 0\n",
            1,
            5,
            "frequency 2000000000 Hz is not above the previous 2000000000 Hz",
        ),
        // In a 2-port, a backwards frequency on a line of 9 values is an error, not noise data.
        (
            "# GHz S RI\n2 1 0 1 0 1 0 1 0\n1 1 0 1 0 1 0 1 0\n",
            2,
            3,
            "is not above the previous",
        ),
        (
            "# GHz S RI\n-1 0.5 0\n",
            1,
            2,
            "expected a finite frequency >= 0 Hz",
        ),
        ("# THz S RI\n1 0.5 0\n", 1, 1, "unknown option \"THz\""),
        ("# GHz S XY\n1 0.5 0\n", 1, 1, "unknown option \"XY\""),
        (
            "# GHz Y RI\n1 0.5 0\n",
            1,
            1,
            "Y parameters are not supported",
        ),
        (
            "# GHz S RI R\n1 0.5 0\n",
            1,
            1,
            "option R needs a reference impedance",
        ),
        (
            "1 0.5 0\n# GHz S RI\n",
            1,
            2,
            "option line (#) after the network data",
        ),
        ("# GHz S DB\n1 1e300 0\n", 1, 2, "overflows"),
    ];
    for (text, ports, want_line, want_message) in cases {
        let (line, message) = parse_error(text, ports);
        assert!(
            message.contains(want_message),
            "{message:?} lacks {want_message:?}"
        );
        assert_eq!(line, want_line, "{message}");
    }
    assert_eq!(
        parse_error("", 2),
        (
            0,
            "empty file: expected at least one frequency point".into()
        )
    );
    let (line, message) = parse_error("! only\n# GHz S RI\n", 2);
    assert_eq!(
        (line, message.as_str()),
        (0, "no network data: expected at least one frequency point")
    );
    let (line, message) = parse_error("[Number of Ports] 2\n", 2);
    assert_eq!(line, 1);
    assert!(message.contains("in a Version 1 file"), "{message}");
    let (line, message) = parse_error("# GHz S RI\n1 0.5 0\n", 0);
    assert_eq!(
        (line, message.contains("0 ports; expected 1..=1024")),
        (2, true)
    );
}

#[test]
fn errors_display_file_and_line() {
    let e = Network::parse("# GHz S RI\n1 x 0\n", "chan.s1p", 1).unwrap_err();
    assert_eq!(e.to_string(), "chan.s1p:2: expected a number, found \"x\"");
}

// ---------------------------------------------------------------------------------------------
// Reading files
// ---------------------------------------------------------------------------------------------

#[test]
fn read_takes_ports_from_the_extension_or_the_v2_keyword() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let net = Network::read(&write("a.S2P", TWO_PORT_RI)).unwrap();
    check_two_port_values(&net);

    let v2 =
        "[Version] 2.0\n[Number of Ports] 1\n[Number of Frequencies] 1\n[Network Data]\n1 0.5 0\n";
    assert_eq!(Network::read(&write("b.ts", v2)).unwrap().ports(), 1);
    // v2 keyword and extension must agree.
    assert!(Network::read(&write("b.s2p", v2)).is_err());

    match Network::read(&write("c.txt", TWO_PORT_RI)) {
        Err(Error::Parse {
            line: 2, message, ..
        }) => {
            assert!(
                message.contains("cannot tell the number of ports"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
    // Latin-1 bytes in a comment do not stop the reader.
    let path = dir.path().join("d.s1p");
    std::fs::write(&path, b"! 50 \xb5m trace, 50 \xd5\n1 0.5 0\n").unwrap();
    assert_eq!(Network::read(&path).unwrap().num_frequencies(), 1);

    let missing = dir.path().join("missing.s4p");
    assert!(matches!(Network::read(&missing), Err(Error::Io { .. })));
}

#[test]
fn real_files_parse_with_their_options() {
    // example2: `# MHz S MA R 50.0`, 0..40 GHz in 10 MHz steps, CRLF.
    let net = channel("example2_THRU.s4p");
    assert_eq!((net.ports(), net.num_frequencies()), (4, 4001));
    assert_eq!((net.freq_hz()[0], net.freq_hz()[4000]), (0.0, 40e9));
    assert!((net.s(0, 2, 1).norm() - 0.9590298632386225).abs() < 1e-15);
    // peters: `# HZ S RI R 50`, 50 MHz..15 GHz; Case4: `# MHZ S DB R 50.00`.
    let net = channel("peters_01_0605_T20_thru.s4p");
    assert_eq!((net.num_frequencies(), net.freq_hz()[0]), (1496, 50e6));
    assert_close(net.s(0, 2, 1), c(-1.993592781969e-1, -9.017752677900e-1));
    let net = channel("Case4_FM_13SI_20_T_D13_L6.s4p");
    assert_eq!((net.num_frequencies(), net.freq_hz()[1495]), (1496, 15e9));
    assert!((loss_db(net.s(0, 2, 1)) - 1.07).abs() < 1e-12);
}

#[test]
fn ri_ma_and_db_round_trip_a_real_file() {
    // Every 8th point of example2_THRU, written back in each format with full precision.
    let original = channel("example2_THRU.s4p");
    let picks: Vec<usize> = (0..original.num_frequencies()).step_by(8).collect();
    let freq_hz: Vec<f64> = picks.iter().map(|&k| original.freq_hz()[k]).collect();
    for format in ["RI", "MA", "DB"] {
        let text = write_v1(&freq_hz, 4, format, |k, i, j| original.s(picks[k], i, j));
        let again = Network::parse(&text, "t.s4p", 4).unwrap();
        assert_eq!(again.freq_hz(), freq_hz.as_slice());
        for (k, &pick) in picks.iter().enumerate() {
            for (i, j) in [(2, 1), (4, 3), (1, 1), (3, 2)] {
                let (a, b) = (again.s(k, i, j), original.s(pick, i, j));
                assert!(
                    (a - b).norm() <= 1e-12 * b.norm().max(1e-3),
                    "{format} {a} {b}"
                );
            }
        }
    }
}

#[test]
fn s_element_is_checked_and_s_indexes_ports_from_one() {
    let net = Network::parse(TWO_PORT_RI, "t.s2p", 2).unwrap();
    let s12 = net.s_element(1, 2).unwrap();
    assert_eq!(s12.freq_hz, vec![1e9]);
    assert_close(s12.h[0], c(0.5, 0.0));
    let e = net.s_element(3, 1).unwrap_err().to_string();
    assert!(e.contains("expected a port in 1..=2"), "{e}");
    assert!(std::panic::catch_unwind(|| net.s(0, 0, 1)).is_err());
    assert!(std::panic::catch_unwind(|| net.s(1, 1, 1)).is_err());
}

// ---------------------------------------------------------------------------------------------
// Robustness: no input makes the parser panic
// ---------------------------------------------------------------------------------------------

/// The first lines of real and Version 2 files, as seeds for mutation.
fn seeds() -> Vec<Vec<u8>> {
    let head = |name: &str, lines: usize| {
        let text = std::fs::read_to_string(Path::new(CHANNELS).join(name)).unwrap();
        text.lines()
            .take(lines)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    };
    vec![
        head("example2_THRU.s4p", 15),
        head("peters_01_0605_T20_thru.s4p", 20),
        head("Case4_FM_13SI_20_T_D13_L6.s4p", 60),
        TWO_PORT_RI.as_bytes().to_vec(),
        b"[Version] 2.0\n# GHz S RI\n[Number of Ports] 2\n[Two-Port Data Order] 12_21\n\
          [Number of Frequencies] 2\n[Reference] 50\n75\n[Matrix Format] Upper\n[Network Data]\n\
          1 0.1 0 0.2 0 0.3 0\n2 0.1 0 0.2 0 0.3 0\n[Noise Data]\n1 1 1 1 1\n[End]\n"
            .to_vec(),
    ]
}

/// Fragments that steer mutations into the parser's interesting states.
const FRAGMENTS: &[&str] = &[
    "\n",
    " ",
    "!",
    "#",
    "[",
    "]",
    "-",
    "e",
    "e999",
    "NaN",
    "inf",
    "0",
    "9",
    ".",
    "\r\n",
    "[Version] 2.0\n",
    "[Version] 2.1",
    "[Number of Ports] 0\n",
    "[Number of Ports] 3\n",
    "[Number of Ports] 1024",
    "[Number of Frequencies] 99999999999999\n",
    "[Reference]",
    "[Matrix Format] Lower\n",
    "[Network Data]\n",
    "[Noise Data]\n",
    "[End]\n",
    "[Begin Information]\n",
    "[End Information]\n",
    "[Two-Port Data Order] 21_12\n",
    "# Hz S DB R 1e-300\n",
    "# kHz RI\n",
    "1e308 ",
    "-0 ",
    "0.5 0.5 0.5 0.5 0.5\n",
];

/// Applies byte-level edits: delete a span, insert a fragment, or duplicate a span.
fn mutate(mut text: Vec<u8>, edits: &[(u8, usize, usize)]) -> Vec<u8> {
    for &(kind, at, arg) in edits {
        let at = at % (text.len() + 1);
        match kind % 3 {
            0 => {
                let end = (at + arg % 40).min(text.len());
                text.drain(at..end);
            }
            1 => {
                let fragment = FRAGMENTS[arg % FRAGMENTS.len()].as_bytes();
                text.splice(at..at, fragment.iter().copied());
            }
            _ => {
                let end = (at + arg % 200).min(text.len());
                let span = text[at..end].to_vec();
                text.splice(at..at, span);
            }
        }
    }
    text
}

/// Everything a caller might do with a parsed network must not panic either.
fn exercise(text: &str, ports: usize) {
    if let Ok(net) = Network::parse(text, "fuzz", ports) {
        assert_eq!(net.freq_hz().len(), net.num_frequencies());
        assert!(net.freq_hz().windows(2).all(|w| w[1] > w[0]));
        let _ = net.s_element(2, 1);
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}", ports in 0usize..6) {
        exercise(&text, ports);
    }

    #[test]
    fn touchstone_like_text_never_panics(
        text in "([#!\\[\\] \n0-9.eE+-]|GHz|MHz|S|RI|MA|DB|R|Version|Number of Ports){0,120}",
        ports in 0usize..6,
    ) {
        exercise(&text, ports);
    }

    #[test]
    fn mutated_real_files_never_panic(
        seed in 0usize..5,
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6),
        ports in 1usize..5,
    ) {
        let text = mutate(seeds()[seed].clone(), &edits);
        exercise(&String::from_utf8_lossy(&text), ports);
    }
}
