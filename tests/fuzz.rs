//! Seeded mutation fuzzing of every input parser (issue 14): Touchstone, link TOML, eye and power
//! TOML, pulse and waveform CSV.
//!
//! Each parser gets a corpus of valid files (the repository's examples and generated ones) and
//! [`CASES`] mutations of them, made by a fixed-seed generator so a failure reproduces: bytes
//! flipped, lines deleted, duplicated or swapped, numbers replaced by hostile tokens (`nan`,
//! `-1`, `1e308`, `1e-300`, `true`, ...), text truncated. Each mutant is written to a file and
//! read and evaluated through the library as the command would; the harness asserts that
//!
//! - nothing panics (a panic is caught and reported with the mutant, saved under the temp dir);
//! - errors are `photolink::Error`s that name a file (with its line) or a field (the CLI turns
//!   every one into exit 2; a sample of mutants also goes through the binary, whose exit code must
//!   be 0, 1 or 2);
//! - the heap never holds more than [`heap_bound`] at once (16 MiB and 64 bytes per input byte),
//!   measured by a counting global allocator around each case (the inputs are a few kB to 100 kB;
//!   the worst case measured holds 3.3 MB).
//!
//! Everything runs in one test so the peak of each case is its own.

use photolink::budget::LoadedLink;
use photolink::channel::Network;
use photolink::eq::PulseResponse;
use photolink::metrics::{Eye, JitterModel, Pam, StatisticalBer};
use photolink::power::PowerParams;
use photolink::signal::Waveform;
use photolink::sim::LinkConfig;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Mutants per parser.
const CASES: usize = 4000;
/// Of those, how many also run through the `photolink` binary (exit code check).
const CLI_CASES: usize = 50;
/// Most heap a case reading `input_bytes` may hold at once: a fixed allowance for plans and
/// grids (the statistical ISI grid of a pulse, FFT buffers) and a multiple of the input.
fn heap_bound(input_bytes: usize) -> usize {
    (16 << 20) + 64 * input_bytes
}

/// Whether an error names where it comes from: a file (and a line, unless the file as a whole is
/// wrong) or a field.
fn names_its_source(e: &photolink::Error) -> bool {
    match e {
        photolink::Error::Parse { file, .. } => !file.is_empty(),
        photolink::Error::InvalidParameter { field, expected, .. } => !field.is_empty() && !expected.is_empty(),
        _ => !e.to_string().is_empty(),
    }
}

/// FNV-1a of a name: each parser's own mutation stream.
fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// SplitMix64: a small, fixed-seed generator (the mutants must reproduce).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values that break naive parsers: non-finite, signs, extremes, wrong types, syntax.
const HOSTILE: &[&str] = &[
    "nan",
    "NaN",
    "inf",
    "-inf",
    "-1",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e-300",
    "5e-324",
    "1e20",
    "-1e5",
    "18446744073709551616",
    "2.5",
    "true",
    "\"\"",
    "\"0GBd\"",
    "\"-5GBd\"",
    "\"1e400m\"",
    "[]",
    "{}",
    "[1,2]",
    "\"x\"",
    "=",
    "[",
    "]",
    "#",
    ",",
    ";",
    "\t",
    "\n",
    "\"",
    "'",
    "1,2",
    "e",
    "-",
    ".",
    "0x10",
    "1_0",
    "\u{b5}",
    "\u{0}",
    "# comment",
    "! option",
    "[Network Data]",
    "[[channel]]",
    "[mzm]",
    "time_s,power_mw",
];

/// One mutation of `text`.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return HOSTILE[rng.below(HOSTILE.len())].to_string();
    }
    let pick = |rng: &mut Rng| rng.below(lines.len());
    match rng.below(8) {
        // Replace a number (or a word) on a line by a hostile token.
        0 | 1 => {
            let i = pick(rng);
            let words: Vec<&str> = lines[i].split_inclusive([' ', ',', '=', '\t', ';']).collect();
            let w = rng.below(words.len());
            let token = HOSTILE[rng.below(HOSTILE.len())];
            let mut line: String = words[..w].concat();
            line.push_str(token);
            line.push_str(&words.get(w + 1..).map(|r| r.concat()).unwrap_or_default());
            with_line(&lines, i, Some(&line))
        }
        2 => with_line(&lines, pick(rng), None),
        3 => {
            let i = pick(rng);
            let mut out: Vec<&str> = lines.clone();
            for _ in 0..=rng.below(200) {
                out.insert(i, lines[i]);
            }
            out.join("\n") + "\n"
        }
        4 => {
            let (i, j) = (pick(rng), pick(rng));
            let mut out = lines.clone();
            out.swap(i, j);
            out.join("\n") + "\n"
        }
        5 => {
            // Truncate anywhere, even mid-number.
            let mut cut = rng.below(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        6 => {
            // Flip bytes (kept ASCII so the text stays UTF-8 most of the time).
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..=rng.below(4) {
                let k = rng.below(bytes.len());
                bytes[k] = (rng.next() % 128) as u8;
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => {
            let i = pick(rng);
            let line = format!("{}{}", lines[i], HOSTILE[rng.below(HOSTILE.len())]);
            with_line(&lines, i, Some(&line))
        }
    }
}

/// `lines` with line `i` replaced (or removed).
fn with_line(lines: &[&str], i: usize, new: Option<&str>) -> String {
    let mut out: Vec<&str> = lines.to_vec();
    match new {
        Some(l) => out[i] = l,
        None => {
            out.remove(i);
        }
    }
    out.join("\n") + "\n"
}

/// A library call reading one file, as a command would.
type Reader = fn(&Path) -> photolink::Result<()>;

/// A parser under test: its name, file extension, corpus, library call and a CLI command line.
struct Target {
    name: &'static str,
    extension: &'static str,
    corpus: Vec<String>,
    run: Reader,
    cli: fn(&Path) -> Vec<String>,
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

/// A small Touchstone v1 file: a lossy, reflective `ports`-port with `points` frequencies.
fn touchstone(ports: usize, points: usize) -> String {
    let mut s = "! generated\n# GHz S RI R 50\n".to_string();
    for k in 1..=points {
        let f = k as f64 * 0.5;
        s += &format!("{f}");
        for i in 0..ports {
            for j in 0..ports {
                let (re, im) = if (i + ports / 2) % ports == j { (0.9 - 0.01 * f, -0.1) } else { (0.05, 0.01 * f) };
                s += &format!(" {re:.6} {im:.6}");
            }
            s += "\n";
        }
    }
    s
}

/// A PAM4 optical waveform CSV: 1500 UI of a PRBS-like sequence at 4 samples/UI, 26.5625 GBd,
/// time stamps with 6 significant digits as scopes write them (above the 1000-UI minimum, so
/// mutants that drop or add lines still reach the eye analysis).
fn waveform_csv() -> String {
    let mut rng = Rng(7);
    let mut s = String::from("time_s,power_w\n");
    let ui_s = 1.0 / 26.5625e9;
    for u in 0..1500 {
        let level = (rng.next() % 4) as f64;
        for k in 0..4 {
            let t = (u * 4 + k) as f64 * ui_s / 4.0;
            s += &format!("{t:.5e},{:.6e}\n", 2e-4 + 3e-4 * level);
        }
    }
    s
}

fn targets() -> Vec<Target> {
    let links: Vec<String> = ["cr1-dac-3m", "dr4-500m-measured-tx", "fr4-3km-fails"]
        .iter()
        .map(|n| read(&format!("examples/links/{n}.toml")))
        .collect();
    // The README's pulse: one column at 32 samples/UI (`ber --pulse`), and with a time column
    // (`eq --pulse`).
    let one_column = read("data/pulses/twinax-30awg-1m.csv");
    let values = one_column.lines().filter(|l| l.parse::<f64>().is_ok());
    let dt_s = 1.0 / (32.0 * 26.5625e9);
    let pulse: String = std::iter::once("time_s,pulse_v\n".to_string())
        .chain(values.enumerate().map(|(i, v)| format!("{:.6e},{v}\n", i as f64 * dt_s)))
        .collect();
    vec![
        Target {
            name: "touchstone",
            extension: "s4p",
            corpus: vec![touchstone(4, 40)],
            run: |p| {
                let net = Network::read(p)?;
                let (thru, _) = net.thru_response(None)?;
                thru.loss_db_at(thru.range_hz().1).map(|_| ())
            },
            cli: |p| vec!["loss".into(), "--touchstone".into(), p.display().to_string()],
        },
        Target {
            name: "touchstone-2port",
            extension: "s2p",
            corpus: vec![touchstone(2, 60)],
            run: |p| Network::read(p)?.s_element(2, 1).map(|_| ()),
            cli: |p| vec!["loss".into(), "--touchstone".into(), p.display().to_string()],
        },
        Target {
            name: "link",
            extension: "toml",
            corpus: links,
            run: |p| {
                let link = LoadedLink::read(p)?;
                link.evaluate()?;
                link.max_reach_m().map(|_| ())
            },
            cli: |p| vec!["check".into(), p.display().to_string()],
        },
        Target {
            name: "eye-toml",
            extension: "toml",
            corpus: vec![toml::to_string(&LinkConfig::default()).unwrap()],
            run: |p| LinkConfig::read(p)?.validate(),
            cli: |p| vec!["eye".into(), p.display().to_string(), "--set".into(), "signal.pattern=prbs7".into()],
        },
        Target {
            name: "power-toml",
            extension: "toml",
            corpus: vec![toml::to_string(&PowerParams::default()).unwrap()],
            run: |p| PowerParams::resolve(Some(p), &[]).map(|_| ()),
            cli: |p| vec!["power".into(), "--config".into(), p.display().to_string()],
        },
        Target {
            name: "pulse-csv",
            extension: "csv",
            corpus: vec![pulse],
            run: |p| {
                let pulse = PulseResponse::read_csv(p, 26.5625e9)?;
                let model = StatisticalBer::new(
                    &pulse.samples_v,
                    pulse.samples_per_ui,
                    Pam::PAM4,
                    1e-3,
                    JitterModel::default(),
                    None,
                )?;
                model.at_phase(0.0).map(|_| ())
            },
            cli: |p| {
                let args = "eq --rate 26.5625GBd --ctle off --tx-ffe off --pulse";
                args.split(' ').map(String::from).chain([p.display().to_string()]).collect()
            },
        },
        Target {
            name: "samples-csv",
            extension: "csv",
            corpus: vec![one_column],
            run: |p| {
                let samples = photolink::eq::pulse::read_samples_v(p)?;
                StatisticalBer::new(&samples, 32, Pam::PAM4, 1e-3, JitterModel::default(), None)?
                    .at_phase(0.0)
                    .map(|_| ())
            },
            cli: |p| {
                let args = "ber --samples-per-ui 32 --noise-rms 1mV --pulse";
                args.split(' ').map(String::from).chain([p.display().to_string()]).collect()
            },
        },
        Target {
            name: "waveform-csv",
            extension: "csv",
            corpus: vec![waveform_csv()],
            run: |p| {
                let wf = Waveform::read_csv(p, 26.5625e9, None, None)?.waveform.resampled(16);
                Eye::analyze(&wf.samples, 16, 4, 4.8e-4).map(|_| ())
            },
            cli: |p| {
                let args = "eye --rate 26.5625GBd --no-tdecq --waveform";
                args.split(' ').map(String::from).chain([p.display().to_string()]).collect()
            },
        },
    ]
}

/// Runs `run` on `path` and returns the heap peak above the live bytes at the start.
fn peak_of(run: Reader, path: &Path) -> std::thread::Result<(photolink::Result<()>, usize)> {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let outcome = std::panic::catch_unwind(|| run(path));
    outcome.map(|r| (r, PEAK.load(Ordering::Relaxed).saturating_sub(base)))
}

#[test]
fn every_parser_survives_mutated_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut cli_runs = 0;
    let mut counts = Vec::new();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for target in targets() {
        let mut rng = Rng(seed_of(target.name));
        let (mut ok, mut err, mut worst_peak) = (0, 0, 0);
        for case in 0..CASES {
            let base = &target.corpus[case % target.corpus.len()];
            let mut text = mutate(base, &mut rng);
            for _ in 0..rng.below(3) {
                text = mutate(&text, &mut rng);
            }
            let path = dir.path().join(format!("{}-{case}.{}", target.name, target.extension));
            std::fs::write(&path, &text).unwrap();
            match peak_of(target.run, &path) {
                Ok((result, peak)) => {
                    worst_peak = worst_peak.max(peak);
                    match result {
                        Ok(()) => ok += 1,
                        Err(e) if names_its_source(&e) => err += 1,
                        Err(e) => failures.push(format!("{}: case {case}: anonymous error '{e}'", target.name)),
                    }
                    if peak > heap_bound(text.len()) {
                        failures.push(format!("{}: case {case} held {peak} bytes ({})", target.name, path.display()));
                    }
                }
                Err(_) => failures.push(format!("{}: case {case} panicked ({})", target.name, path.display())),
            }
            if case % (CASES / CLI_CASES) == 0 {
                let status = std::process::Command::new(env!("CARGO_BIN_EXE_photolink"))
                    .args((target.cli)(&path))
                    .arg("--format")
                    .arg("json")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .unwrap();
                cli_runs += 1;
                if !matches!(status.code(), Some(0..=2)) {
                    failures.push(format!("{}: case {case} exited {status} ({})", target.name, path.display()));
                }
            }
            if failures.is_empty() {
                std::fs::remove_file(&path).unwrap();
            }
        }
        counts.push((target.name, ok, err, worst_peak));
    }
    std::panic::set_hook(quiet);
    for (name, ok, err, peak) in counts {
        eprintln!("{name}: {ok} accepted, {err} rejected, heap peak {} kB", peak >> 10);
        // A mutator that never produces a valid file (or never an invalid one) tests too little.
        assert!(ok > 0 && err > 0, "{name}: {ok} accepted, {err} rejected");
    }
    eprintln!("{cli_runs} mutants also through the binary");
    readers_hold_what_they_keep_not_the_text(dir.path(), &mut failures);
    if !failures.is_empty() {
        let kept = dir.keep();
        panic!("{} failures (files kept in {}):\n{}", failures.len(), kept.display(), failures.join("\n"));
    }
}

/// Streaming (issue 14): a 40 MB Touchstone or CSV file that is nearly all comments is read
/// holding what it keeps (a few points), not its text: at most 4 MiB of heap.
fn readers_hold_what_they_keep_not_the_text(dir: &Path, failures: &mut Vec<String>) {
    let comments = "! a comment line of a measured channel file, repeated to make the file large\n".repeat(500_000);
    let touchstone = dir.join("commented.s2p");
    std::fs::write(&touchstone, format!("{comments}# GHz S RI R 50\n1 0 0 1 0 1 0 0 0\n2 0 0 1 0 1 0 0 0\n")).unwrap();
    let csv = dir.join("commented.csv");
    std::fs::write(&csv, format!("{}0.1\n0.2\n", comments.replace('!', "#"))).unwrap();
    let runs: [(&Path, Reader); 2] = [
        (&touchstone, |p| Network::read(p).map(|n| assert_eq!(n.num_frequencies(), 2))),
        (&csv, |p| photolink::eq::pulse::read_samples_v(p).map(|s| assert_eq!(s.len(), 2))),
    ];
    for (path, run) in runs {
        match peak_of(run, path) {
            Ok((Ok(()), peak)) if peak <= 4 << 20 => eprintln!("{}: heap peak {} kB", path.display(), peak >> 10),
            Ok((result, peak)) => failures.push(format!("{}: {result:?}, heap peak {peak} bytes", path.display())),
            Err(_) => failures.push(format!("{}: panicked", path.display())),
        }
    }
}
