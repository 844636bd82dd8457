//! README.md, executed: every `photolink` command the README shows is run and its output
//! compared, numbers included, with what the README shows under it, so the README cannot drift
//! and no output in it can be edited by hand.
//!
//! # The convention in README.md
//!
//! ````text
//! ```console
//! $ photolink check examples/links/*.toml --quiet
//! ...the exact stdout, every line...
//! $ echo $?
//! 1
//! ```
//! ````
//!
//! * Commands live in ```` ```console ```` blocks. A command is a line `$ photolink ARGS`; a line
//!   ending in ` \` continues on the next line (indent the continuation for reading).
//! * The lines after a command, up to the next `$ ` line or the end of the block, are its stdout,
//!   exactly (trailing spaces and blank lines included). stderr (error messages, the `FAIL` lines
//!   of `check`, progress bars) is not shown and not compared. A block may hold several commands.
//! * Exit codes: a command must exit 0, unless its output is followed by `$ echo $?` and a line
//!   with the code it must return (only non-zero codes are written), as a shell would show it.
//! * Arguments are split on whitespace; `'...'` and `"..."` quote. An unquoted argument with `*`
//!   or `?` in its last path component is expanded the way a shell would (sorted, dotfiles only
//!   when the pattern starts with `.`); a pattern that matches nothing is an error.
//! * Each command runs with the built binary in a fresh temporary directory in which `data` and
//!   `examples` are symlinks to the repository's folders: the README's relative paths work, and
//!   files a command writes (`--plot eye.png`) land in the temporary directory.
//! * A `photolink ...` command anywhere else (inline code in prose, another kind of block) is an
//!   error: either it is shown in a console block and run, or it is not shown as a command.
//! * Not run: the two newcomer commands of the first block, `cargo run --release -- report` and
//!   `cargo test`. `cargo test` would run this test again, and the report takes minutes in the
//!   test profile; CI runs `cargo test` itself (`.ci/run`) and the report through its own tests
//!   (`plot_and_report_write_files_atomically` in `tests/cli.rs`, `report_includes_the_power_section`
//!   in `tests/cli_power.rs`). This file checks that both commands are still shown, unchanged,
//!   near the top, that `.ci/run` runs `cargo test` and that `report` is a command.
//!
//! # Regenerating the README's outputs
//!
//! After a change that moves numbers, rewrite every output block (and stated exit code) from what
//! the commands print, like a snapshot tool, then review the change with `git diff README.md`:
//!
//! ```text
//! PHOTOLINK_UPDATE_README=1 cargo test --test integration readme
//! ```
//!
//! The same run first rewrites the tour's pulse response, `data/pulses/twinax-30awg-1m.csv`, from
//! its recipe ([`pulse_csv`]); without the variable the test fails when the file and the recipe
//! disagree.

use assert_cmd::Command;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Set (to anything but `0` or empty) to rewrite the README's output blocks instead of failing.
const UPDATE_VAR: &str = "PHOTOLINK_UPDATE_README";

/// The two commands a newcomer runs on a fresh machine, shown in the README's first block.
const NEWCOMER_COMMANDS: [&str; 2] = ["cargo run --release -- report", "cargo test"];

/// The pulse response the tour's `photolink ber --pulse` reads, made by [`pulse_csv`].
const PULSE_FILE: &str = "data/pulses/twinax-30awg-1m.csv";

/// The newcomer block must start within this many lines of the top of the README.
const NEWCOMER_BLOCK_WITHIN_LINES: usize = 20;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn update_mode() -> bool {
    std::env::var(UPDATE_VAR).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// One command of a console block and where its output sits in the README.
#[derive(Debug)]
struct Example {
    /// 1-based README line of the `$ photolink` line.
    line: usize,
    /// The command as written (continuations joined), for messages.
    text: String,
    /// Words after `photolink`, with whether each was quoted (quoted words are not globbed).
    args: Vec<(String, bool)>,
    /// README line indices (0-based) of the stated stdout and exit code, replaced in update mode.
    output: Range<usize>,
    /// The stdout the README shows.
    stdout: String,
    /// The exit code the README states (0 when it states none).
    code: i32,
}

/// What the README shows: its commands and every breach of the convention.
#[derive(Debug, Default)]
struct Parsed {
    examples: Vec<Example>,
    problems: Vec<String>,
    /// The first fenced block: (0-based line of its fence, info string, its lines).
    first_block: Option<(usize, String, Vec<String>)>,
}

fn parse(readme: &str) -> Parsed {
    let lines: Vec<&str> = readme.lines().collect();
    let mut parsed = Parsed::default();
    let mut prose = String::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].trim_start().strip_prefix("```") else {
            prose.push_str(lines[i]);
            prose.push('\n');
            i += 1;
            continue;
        };
        let start = i + 1;
        let Some(end) = (start..lines.len()).find(|&j| lines[j].trim() == "```") else {
            parsed.problems.push(format!("README.md:{}: a code block is never closed", i + 1));
            break;
        };
        let info = info.trim().to_string();
        if parsed.first_block.is_none() {
            let body = lines[start..end].iter().map(|l| l.to_string()).collect();
            parsed.first_block = Some((i, info.clone(), body));
        }
        if info.split_whitespace().next() == Some("console") {
            parse_console(&lines, start..end, &mut parsed);
        } else {
            for (j, line) in lines.iter().enumerate().take(end).skip(start) {
                if is_photolink_command(line.trim_start().trim_start_matches("$ ")) {
                    parsed.problems.push(format!(
                        "README.md:{}: `{}` is in a ```{info} block; photolink commands go in ```console blocks, \
                         followed by their output",
                        j + 1,
                        line.trim()
                    ));
                }
            }
        }
        prose.push('\n');
        i = end + 1;
    }
    // Inline code spans of the prose (they may wrap across lines).
    for (k, span) in prose.split('`').enumerate() {
        let span = span.split_whitespace().collect::<Vec<_>>().join(" ");
        if k % 2 == 1 && is_photolink_command(&span) {
            parsed.problems.push(format!(
                "README.md: `{span}` is a command in prose; show it in a ```console block with its output, \
                 or name only its options"
            ));
        }
    }
    parsed
}

fn is_photolink_command(text: &str) -> bool {
    text.starts_with("photolink ")
}

/// The commands of one console block, its lines `body` of `lines`.
fn parse_console(lines: &[&str], body: Range<usize>, parsed: &mut Parsed) {
    let mut j = body.start;
    while j < body.end {
        let Some(first) = lines[j].strip_prefix("$ ") else {
            parsed.problems.push(format!("README.md:{}: a console block must start with a `$ ` command line", j + 1));
            j += 1;
            continue;
        };
        let line = j + 1;
        let mut text = String::new();
        let mut current = first;
        loop {
            j += 1;
            match current.trim_end().strip_suffix('\\') {
                Some(head) if j < body.end => {
                    text.push_str(head.trim_end());
                    text.push(' ');
                    current = lines[j].trim();
                }
                Some(_) => {
                    parsed.problems.push(format!("README.md:{line}: the command's last line ends in `\\`"));
                    break;
                }
                None => {
                    text.push_str(current.trim());
                    break;
                }
            }
        }
        let output_start = j;
        while j < body.end && !lines[j].starts_with("$ ") {
            j += 1;
        }
        let stdout = lines[output_start..j].iter().map(|l| format!("{l}\n")).collect::<String>();
        let mut code = 0;
        if j < body.end && lines[j].trim_end() == "$ echo $?" {
            match lines.get(j + 1).filter(|_| j + 1 < body.end).map(|l| l.trim().parse::<i32>()) {
                Some(Ok(c)) if c != 0 => code = c,
                _ => parsed.problems.push(format!(
                    "README.md:{}: `$ echo $?` must be followed by the non-zero exit code, alone on its line",
                    j + 1
                )),
            }
            j = (j + 2).min(body.end);
        }
        match split_words(&text) {
            Ok(words) if words.first().is_some_and(|(w, q)| w == "photolink" && !q) => parsed.examples.push(Example {
                line,
                text: text.clone(),
                args: words[1..].to_vec(),
                output: output_start..j,
                stdout,
                code,
            }),
            Ok(_) => parsed.problems.push(format!(
                "README.md:{line}: `{text}` is not a photolink command; console blocks hold only photolink commands \
                 (the newcomer commands stay in the first ```sh block)"
            )),
            Err(e) => parsed.problems.push(format!("README.md:{line}: {e}")),
        }
    }
}

/// Splits a command line into words on whitespace, `'...'` and `"..."` quoting; each word with
/// whether any part of it was quoted.
fn split_words(text: &str) -> Result<Vec<(String, bool)>, String> {
    let mut words = Vec::new();
    let mut word: Option<(String, bool)> = None;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().0.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default().1 = true;
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().0.push(c),
        }
    }
    if quote.is_some() {
        return Err(format!("unbalanced quote in `{text}`"));
    }
    words.extend(word);
    Ok(words)
}

/// The arguments of `example` as a shell would pass them from `dir`: globs expanded, sorted.
fn expand(example: &Example, dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (word, quoted) in &example.args {
        let is_glob = |s: &str| s.contains(['*', '?']);
        if *quoted || !is_glob(word) {
            out.push(word.clone());
            continue;
        }
        let (folder, pattern) = word.rsplit_once('/').map_or(("", word.as_str()), |(d, p)| (d, p));
        if is_glob(folder) {
            return Err(format!("`{word}`: only the last path component may hold `*` or `?`"));
        }
        let listing = std::fs::read_dir(dir.join(folder)).map_err(|e| format!("`{word}`: {e}"))?;
        let mut matches: Vec<String> = listing
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| (pattern.starts_with('.') || !name.starts_with('.')) && glob_match(pattern, name))
            .map(|name| if folder.is_empty() { name } else { format!("{folder}/{name}") })
            .collect();
        if matches.is_empty() {
            return Err(format!("`{word}` matches no file"));
        }
        matches.sort();
        out.extend(matches);
    }
    Ok(out)
}

/// Shell wildcard matching of one path component: `*` any run of characters, `?` one character.
fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // matches[i][j]: p[i..] matches n[j..].
    let mut matches = vec![vec![false; n.len() + 1]; p.len() + 1];
    matches[p.len()][n.len()] = true;
    for i in (0..p.len()).rev() {
        for j in (0..=n.len()).rev() {
            matches[i][j] = match p[i] {
                '*' => matches[i + 1][j] || (j < n.len() && matches[i][j + 1]),
                '?' => j < n.len() && matches[i + 1][j + 1],
                c => j < n.len() && n[j] == c && matches[i + 1][j + 1],
            };
        }
    }
    matches[0][0]
}

#[cfg(unix)]
fn link_dir(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn link_dir(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

/// What one command did.
struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs `example` in a fresh temporary directory with `data` and `examples` linked in.
fn run(example: &Example) -> Result<Run, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for folder in ["data", "examples"] {
        link_dir(&repo().join(folder), &dir.path().join(folder)).map_err(|e| format!("linking {folder}: {e}"))?;
    }
    let args = expand(example, dir.path())?;
    let output = Command::cargo_bin("photolink")
        .map_err(|e| e.to_string())?
        .args(&args)
        .current_dir(dir.path())
        .output()
        .map_err(|e| format!("running photolink: {e}"))?;
    Ok(Run {
        stdout: String::from_utf8(output.stdout).map_err(|e| format!("stdout is not UTF-8: {e}"))?,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    })
}

/// The README lines that show `run`'s stdout and exit code under the convention, or why it
/// cannot be shown.
fn shown(run: &Run) -> Result<Vec<String>, String> {
    if !run.stdout.is_empty() && !run.stdout.ends_with('\n') {
        return Err("stdout does not end with a newline, which a README block cannot show".into());
    }
    let mut lines: Vec<String> = run.stdout.lines().map(str::to_string).collect();
    if let Some(bad) = lines.iter().find(|l| l.starts_with("$ ") || l.trim_start().starts_with("```")) {
        return Err(format!("stdout has a line a README block cannot show: `{bad}`"));
    }
    if run.code != 0 {
        lines.extend(["$ echo $?".to_string(), run.code.to_string()]);
    }
    Ok(lines)
}

/// A line diff of `expected` (README, `-`) and `actual` (`+`), common lines indented.
fn diff(expected: &str, actual: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    // lcs[i][j]: longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out += &format!("      {}\n", a[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out += &format!("    - {}\n", a[i]);
            i += 1;
        } else {
            out += &format!("    + {}\n", b[j]);
            j += 1;
        }
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

#[test]
fn readme_commands_print_what_the_readme_shows() {
    let path = repo().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let parsed = parse(&readme);
    let mut failures = parsed.problems.clone();
    let update = update_mode();
    // First the input file the tour's `ber --pulse` reads, so update mode rewrites both in one run.
    failures.extend(sync_pulse_file(update).err());
    assert!(
        parsed.examples.len() >= 10,
        "only {} commands found in README.md: is the parser broken?",
        parsed.examples.len()
    );
    let mut replacements: Vec<(Range<usize>, Vec<String>)> = Vec::new();
    for example in &parsed.examples {
        let where_ = format!("README.md:{}: `{}`", example.line, example.text);
        let run = match run(example) {
            Ok(run) => run,
            Err(e) => {
                failures.push(format!("{where_}\n    {e}"));
                continue;
            }
        };
        if run.stdout == example.stdout && run.code == example.code {
            continue;
        }
        if update {
            match shown(&run) {
                Ok(lines) => {
                    if run.code != 0 {
                        eprintln!("{where_}: now exits {}; stderr:\n{}", run.code, indent(&run.stderr));
                    }
                    replacements.push((example.output.clone(), lines));
                }
                Err(e) => failures.push(format!("{where_}\n    {e}")),
            }
            continue;
        }
        let mut message = where_;
        if run.code != example.code {
            message += &format!("\n    exit code: README states {}, the command returned {}", example.code, run.code);
        }
        if run.stdout != example.stdout {
            message += &format!("\n    stdout (- README, + actual):\n{}", diff(&example.stdout, &run.stdout));
        }
        if !run.stderr.is_empty() {
            message += &format!("\n    stderr:\n{}", indent(&run.stderr));
        }
        failures.push(message);
    }
    if update && !replacements.is_empty() {
        let mut lines: Vec<String> = readme.lines().map(str::to_string).collect();
        for (range, new) in replacements.iter().rev() {
            lines.splice(range.clone(), new.iter().cloned());
        }
        let text = lines.join("\n") + "\n";
        let tmp = path.with_extension("md.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        eprintln!("README.md: rewrote {} output blocks; review them with `git diff README.md`", replacements.len());
    }
    assert!(
        failures.is_empty(),
        "README.md does not show what its commands print:\n\n{}\n\n\
         If the new outputs are right, rewrite the README's blocks with\n    \
         {UPDATE_VAR}=1 cargo test --test integration readme\nand review `git diff README.md`.",
        failures.join("\n\n")
    );
    eprintln!("README.md: {} photolink commands run, every output as shown", parsed.examples.len());
}

#[test]
fn readme_shows_the_newcomer_commands_at_the_top() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let (line, info, body) = parse(&readme).first_block.expect("README.md has no code block");
    assert!(line < NEWCOMER_BLOCK_WITHIN_LINES, "the newcomer block starts on line {}, too far down", line + 1);
    assert_eq!(info, "sh", "the README's first block shows the newcomer commands, as ```sh");
    let commands: Vec<&str> = body.iter().map(|l| l.split(" #").next().unwrap_or("").trim()).collect();
    assert_eq!(commands, NEWCOMER_COMMANDS, "the README's first block must show exactly the two newcomer commands");
    // Keep both true: `.ci/run` runs `cargo test`, and `report` is a command of the default binary.
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == "cargo test"), ".ci/run no longer runs `cargo test`");
    Command::cargo_bin("photolink").unwrap().args(["report", "--help"]).assert().success();
}

#[test]
fn readme_convention_parses_as_documented() {
    let readme = [
        "# t",
        "```console",
        "$ photolink check examples/links/*.toml \\",
        "    --quiet 'a b'",
        "  table line",
        "",
        "$ echo $?",
        "1",
        "$ photolink presets",
        "```",
        "Prose with `photolink loss",
        "--medium smf` inline.",
        "```sh",
        "photolink presets",
        "```",
    ]
    .join("\n");
    let mut parsed = parse(&readme);
    assert_eq!(parsed.examples.len(), 2);
    let check = &parsed.examples[0];
    assert_eq!(check.line, 3);
    assert_eq!(check.text, "photolink check examples/links/*.toml --quiet 'a b'");
    let words: Vec<&str> = check.args.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(words, ["check", "examples/links/*.toml", "--quiet", "a b"]);
    assert_eq!(check.stdout, "  table line\n\n");
    assert_eq!(check.code, 1);
    assert_eq!(check.output, 4..8);
    assert_eq!((parsed.examples[1].stdout.as_str(), parsed.examples[1].code), ("", 0));
    assert_eq!(parsed.problems.len(), 2, "{:?}", parsed.problems);
    assert!(glob_match("*.toml", "fr4-3km-fails.toml") && !glob_match("*.toml", "x.toml.bak"));
    assert!(glob_match("a?c*", "abcdef") && !glob_match("a?c", "ac"));
    let dir = tempfile::tempdir().unwrap();
    for name in ["b.toml", "a.toml", ".hidden.toml", "c.txt"] {
        std::fs::write(dir.path().join(name), "").unwrap();
    }
    let example =
        Example { args: vec![("*.toml".into(), false), ("*.toml".into(), true)], ..parsed.examples.remove(1) };
    assert_eq!(expand(&example, dir.path()).unwrap(), ["a.toml", "b.toml", "*.toml"]);
    assert!(diff("a\nb\nc\n", "a\nB\nc\n").contains("    - b\n    + B\n"));
}

/// The tour's pulse response: 1 m of 30 AWG twinax at 26.5625 GBd through the COM reference Tx
/// edge and Rx filters (`PulseConfig::com`), 32 samples per UI, scaled to a 0.4 V symbol, as a
/// one-column CSV (`photolink ber --pulse`) with the recipe in its header.
fn pulse_csv() -> String {
    use photolink::channel::Medium;
    use photolink::eq::{ChannelSpectrum, CursorRule, PulseConfig, pulse_response};
    let (medium, length_m, symbol_rate_baud, amplitude_v): (&str, f64, f64, f64) =
        ("twinax-30awg", 1.0, 26.5625e9, 0.4);
    // The medium on 10 MHz ... 1.5 f_b, as `photolink eq --medium` samples it.
    let grid: Vec<f64> = (1..=(1.5 * symbol_rate_baud / 10e6).ceil() as usize).map(|i| i as f64 * 10e6).collect();
    let response = Medium::named(medium).unwrap().response(&grid, length_m).unwrap();
    let config = PulseConfig::com(symbol_rate_baud);
    let spectrum = ChannelSpectrum::from_response(&response, config).unwrap();
    let pulse = pulse_response(&spectrum, CursorRule::Peak).unwrap();
    let mut csv = format!(
        "# Pulse response of {length_m} m of {medium} at {} GBd, volts for a unit symbol sent at {amplitude_v} V,\n\
         # {} samples per UI, COM Tx edge ({:.1} ps) and Rx Butterworth ({:.3} GHz) filters, main cursor at sample {}.\n\
         # Made from the library by `pulse_csv` in tests/readme.rs, which checks it;\n\
         # `{UPDATE_VAR}=1 cargo test --test integration readme` rewrites it.\n\
         pulse_v\n",
        symbol_rate_baud / 1e9,
        pulse.samples_per_ui,
        config.tx_rise_time_s * 1e12,
        config.rx_bandwidth_hz / 1e9,
        pulse.cursor_index,
    );
    for v in &pulse.samples_v {
        csv += &format!("{:.6e}\n", v * amplitude_v);
    }
    csv
}

/// Checks the tour's pulse file against [`pulse_csv`]; in update mode rewrites it instead.
fn sync_pulse_file(update: bool) -> Result<(), String> {
    let path = repo().join(PULSE_FILE);
    let want = pulse_csv();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    let comments = |s: &str| s.lines().filter(|l| l.starts_with('#')).map(str::to_string).collect::<Vec<_>>();
    let samples = |s: &str| photolink::input::parse_samples(s, PULSE_FILE).unwrap_or_default();
    let (w, h) = (samples(&want), samples(&have));
    let peak = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    // Six significant digits in the file; the FFT may differ in the last bits across machines.
    let same = comments(&want) == comments(&have)
        && w.len() == h.len()
        && w.iter().zip(&h).all(|(a, b)| (a - b).abs() <= 1e-6 * peak);
    if same {
        return Ok(());
    }
    if update {
        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
        let tmp = path.with_extension("csv.tmp");
        std::fs::write(&tmp, &want).map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, &path).map_err(|e| e.to_string())?;
        eprintln!("{PULSE_FILE}: rewritten from its recipe");
        return Ok(());
    }
    Err(format!(
        "{PULSE_FILE} differs from its recipe (`pulse_csv` in tests/readme.rs): {} samples in the file, {} from \
         the recipe, or another header",
        h.len(),
        w.len()
    ))
}
