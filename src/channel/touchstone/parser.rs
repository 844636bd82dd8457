//! The line-oriented Touchstone reader behind [`Network::parse`] and [`Network::read`].

use super::{MAX_FREQUENCIES, MAX_PORTS, Network};
use crate::error::{Error, Result};
use num_complex::Complex64;

/// How the two numbers of each matrix element are written.
#[derive(Debug, Clone, Copy)]
enum DataFormat {
    RealImag,
    MagAngle,
    DbAngle,
}

impl DataFormat {
    fn complex(self, a: f64, b: f64) -> Complex64 {
        match self {
            DataFormat::RealImag => Complex64::new(a, b),
            DataFormat::MagAngle => Complex64::from_polar(a, b.to_radians()),
            DataFormat::DbAngle => Complex64::from_polar(10f64.powf(a / 20.0), b.to_radians()),
        }
    }
}

/// Which part of the matrix a Version 2 file lists.
#[derive(Debug, Clone, Copy, PartialEq)]
enum MatrixFormat {
    Full,
    Upper,
    Lower,
}

/// Where the parser is in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    /// Before the data: option line, keywords.
    Header,
    /// Inside `[Begin Information]` … `[End Information]`.
    Information,
    /// Network data.
    Network,
    /// Noise parameters (Version 1 after the network data, or Version 2 `[Noise Data]`).
    Noise,
    /// After `[End]`.
    Done,
}

/// Values per noise-parameter line: frequency, NFmin (dB), |Γopt|, ∠Γopt, Rn/R.
const NOISE_VALUES_PER_LINE: usize = 5;

/// Reads one file: the state carried from line to line.
pub(super) struct Parser<'a> {
    /// Bytes of text expected (the file's size, 0 when unknown): sizes the first allocation.
    size_hint: usize,
    file: &'a str,
    /// Port count from the extension or the caller.
    expected_ports: Option<usize>,
    version2: bool,
    /// Whether any non-comment line has been seen (`[Version]` must be the first).
    seen_content: bool,
    option_line_seen: bool,
    freq_scale: f64,
    format: DataFormat,
    option_z0_ohm: f64,
    /// `[Number of Ports]` (Version 2).
    declared_ports: Option<usize>,
    /// `[Two-Port Data Order]` is `12_21` (Version 2).
    two_port_12_21: Option<bool>,
    matrix: MatrixFormat,
    /// `[Number of Frequencies]` and its line (Version 2).
    declared_freqs: Option<(usize, usize)>,
    /// `[Reference]` impedances and, while fewer than N have been read, its line.
    reference_ohm: Vec<f64>,
    reference_open: Option<usize>,
    section: Section,
    layout: Layout,
    record: Vec<f64>,
    record_first_line: usize,
    record_last_line: usize,
    freq_hz: Vec<f64>,
    s: Vec<Complex64>,
}

/// Where each (pair of) numbers of a frequency point goes in the N×N matrix.
#[derive(Default)]
struct Layout {
    ports: usize,
    /// Per element listed: its matrix index and the index of its mirror, if filled by symmetry.
    slots: Vec<(usize, Option<usize>)>,
}

impl Layout {
    fn values_per_freq(&self) -> usize {
        1 + 2 * self.slots.len()
    }
}

impl<'a> Parser<'a> {
    /// A parser for about `size_hint` bytes of text, named `file` in errors, with the port count
    /// the name or caller gives.
    pub(super) fn new(size_hint: usize, file: &'a str, expected_ports: Option<usize>) -> Self {
        Parser {
            size_hint,
            file,
            expected_ports,
            version2: false,
            seen_content: false,
            option_line_seen: false,
            freq_scale: 1e9,
            format: DataFormat::MagAngle,
            option_z0_ohm: 50.0,
            declared_ports: None,
            two_port_12_21: None,
            matrix: MatrixFormat::Full,
            declared_freqs: None,
            reference_ohm: Vec::new(),
            reference_open: None,
            section: Section::Header,
            layout: Layout::default(),
            record: Vec::new(),
            record_first_line: 0,
            record_last_line: 0,
            freq_hz: Vec::new(),
            s: Vec::new(),
        }
    }

    fn error(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Parse { file: self.file.to_string(), line, message: message.into() }
    }

    /// Reads text already in memory into a [`Network`].
    pub(super) fn run(mut self, text: &str) -> Result<Network> {
        for (index, raw) in text.lines().enumerate() {
            if !self.take(index + 1, raw)? {
                break;
            }
        }
        self.finish()
    }

    /// Reads a file line by line ([`crate::input::LineReader`]: only the current line is held)
    /// into a [`Network`]. Bytes that are not UTF-8 (a Latin-1 `µ` in a comment) are replaced.
    pub(super) fn run_lines(mut self, mut lines: crate::input::LineReader<impl std::io::BufRead>) -> Result<Network> {
        while let Some((line, bytes)) = lines.next_line()? {
            if !self.take(line, &String::from_utf8_lossy(bytes))? {
                break;
            }
        }
        self.finish()
    }

    /// Feeds line `line`; false once the network data has ended.
    fn take(&mut self, line: usize, raw: &str) -> Result<bool> {
        let content = raw.split('!').next().unwrap_or("").trim();
        if !content.is_empty() {
            self.line(line, content)?;
        }
        Ok(self.section != Section::Done)
    }

    fn line(&mut self, line: usize, content: &str) -> Result<()> {
        let first_line = !self.seen_content;
        self.seen_content = true;
        if self.section == Section::Information {
            if keyword(content).is_some_and(|(name, _)| name.eq_ignore_ascii_case("End Information")) {
                self.section = Section::Header;
            }
            return Ok(());
        }
        if content.starts_with('[') {
            return self.keyword_line(line, content, first_line);
        }
        if let Some(options) = content.strip_prefix('#') {
            return self.option_line(line, options);
        }
        match self.section {
            Section::Noise => self.noise_line(line, content),
            _ if self.reference_open.is_some() => self.reference_values(line, content),
            _ => self.data_line(line, content),
        }
    }

    fn option_line(&mut self, line: usize, options: &str) -> Result<()> {
        if self.section != Section::Header {
            return Err(self.error(line, "option line (#) after the network data started"));
        }
        if std::mem::replace(&mut self.option_line_seen, true) {
            return Ok(()); // the specification: only the first option line counts
        }
        let mut tokens = options.split_ascii_whitespace();
        while let Some(token) = tokens.next() {
            match token.to_ascii_uppercase().as_str() {
                "HZ" => self.freq_scale = 1.0,
                "KHZ" => self.freq_scale = 1e3,
                "MHZ" => self.freq_scale = 1e6,
                "GHZ" => self.freq_scale = 1e9,
                "S" => {}
                "Y" | "Z" | "H" | "G" => {
                    return Err(self
                        .error(line, format!("{token} parameters are not supported; only S parameters can be read")));
                }
                "RI" => self.format = DataFormat::RealImag,
                "MA" => self.format = DataFormat::MagAngle,
                "DB" => self.format = DataFormat::DbAngle,
                "R" => {
                    let z = tokens
                        .next()
                        .ok_or_else(|| self.error(line, "option R needs a reference impedance in ohms"))?;
                    self.option_z0_ohm = self.impedance(line, z)?;
                }
                _ => {
                    return Err(self.error(
                        line,
                        format!(
                            "unknown option {token:?} in the option line; expected a frequency \
                             unit (Hz, kHz, MHz, GHz), the parameter S, a format (RI, MA, DB) or \
                             R <ohms>"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn keyword_line(&mut self, line: usize, content: &str, first_line: bool) -> Result<()> {
        let Some((name, rest)) = keyword(content) else {
            return Err(self.error(line, format!("keyword without closing ']': {content:?}")));
        };
        let name = name.to_ascii_lowercase();
        if name == "version" {
            return self.version(line, rest, first_line);
        }
        if !self.version2 {
            return Err(self.error(
                line,
                format!("keyword [{name}] in a Version 1 file (a Version 2 file starts with [Version])"),
            ));
        }
        if let Some(open_line) = self.reference_open {
            return Err(self.error(
                line,
                format!(
                    "[Reference] on line {open_line} lists {} impedances, expected one per port",
                    self.reference_ohm.len()
                ),
            ));
        }
        match (self.section, name.as_str()) {
            (Section::Header, "number of ports") => self.number_of_ports(line, rest),
            (Section::Header, "two-port data order") => self.two_port_order(line, rest),
            (Section::Header, "number of frequencies") => {
                self.declared_freqs = Some((self.count(line, rest, "[Number of Frequencies]")?, line));
                Ok(())
            }
            (Section::Header, "number of noise frequencies") => {
                self.count(line, rest, "[Number of Noise Frequencies]").map(drop)
            }
            (Section::Header, "reference") => {
                self.reference_open = Some(line);
                self.reference_values(line, rest)
            }
            (Section::Header, "matrix format") => self.matrix_format(line, rest),
            (Section::Header, "mixed-mode order") => Err(self.error(
                line,
                "mixed-mode Touchstone data ([Mixed-Mode Order]) is not supported; export \
                 single-ended S-parameters",
            )),
            (Section::Header, "begin information") => {
                self.section = Section::Information;
                Ok(())
            }
            (Section::Header, "network data") => self.start_network_data(line),
            (Section::Network, "noise data") => self.end_network_data(line, Section::Noise),
            (Section::Network | Section::Noise, "end") => self.end_network_data(line, Section::Done),
            _ => Err(self.error(line, format!("unexpected keyword [{name}] here (unknown, or out of order)"))),
        }
    }

    fn version(&mut self, line: usize, rest: &str, first_line: bool) -> Result<()> {
        if !first_line {
            return Err(self.error(line, "[Version] must be the first line that is not a comment"));
        }
        match rest.trim() {
            "2.0" | "2.1" => {
                self.version2 = true;
                Ok(())
            }
            other => Err(self.error(
                line,
                format!(
                    "unsupported Touchstone version {other:?}; expected 2.0 or 2.1 (Version 1 \
                     files have no [Version] line)"
                ),
            )),
        }
    }

    fn number_of_ports(&mut self, line: usize, rest: &str) -> Result<()> {
        let ports = self.count(line, rest, "[Number of Ports]")?;
        if ports > MAX_PORTS {
            return Err(self.error(line, format!("[Number of Ports] {ports} is above the supported {MAX_PORTS}")));
        }
        if let Some(expected) = self.expected_ports.filter(|&e| e != ports) {
            return Err(self.error(
                line,
                format!(
                    "[Number of Ports] {ports} disagrees with the {expected} ports expected \
                     (from the .s{expected}p name or the caller)"
                ),
            ));
        }
        self.declared_ports = Some(ports);
        Ok(())
    }

    fn two_port_order(&mut self, line: usize, rest: &str) -> Result<()> {
        self.two_port_12_21 = Some(match rest.trim() {
            "12_21" => true,
            "21_12" => false,
            other => {
                return Err(self.error(line, format!("[Two-Port Data Order] {other:?}; expected 12_21 or 21_12")));
            }
        });
        Ok(())
    }

    fn matrix_format(&mut self, line: usize, rest: &str) -> Result<()> {
        self.matrix = match rest.trim().to_ascii_lowercase().as_str() {
            "full" => MatrixFormat::Full,
            "upper" => MatrixFormat::Upper,
            "lower" => MatrixFormat::Lower,
            _ => {
                return Err(
                    self.error(line, format!("[Matrix Format] {:?}; expected Full, Upper or Lower", rest.trim()))
                );
            }
        };
        Ok(())
    }

    /// A positive whole number after a keyword.
    fn count(&self, line: usize, rest: &str, what: &str) -> Result<usize> {
        match rest.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(self.error(line, format!("{what} {:?}; expected a positive whole number", rest.trim()))),
        }
    }

    fn impedance(&self, line: usize, token: &str) -> Result<f64> {
        let z = self.number(line, token)?;
        if z > 0.0 { Ok(z) } else { Err(self.error(line, format!("reference impedance {z} ohm; expected > 0 ohm"))) }
    }

    fn reference_values(&mut self, line: usize, values: &str) -> Result<()> {
        let Some(ports) = self.declared_ports else {
            return Err(self.error(line, "[Reference] before [Number of Ports]"));
        };
        for token in values.split_ascii_whitespace() {
            if self.reference_ohm.len() == ports {
                return Err(
                    self.error(line, format!("[Reference] lists more than the {ports} impedances (one per port)"))
                );
            }
            let z = self.impedance(line, token)?;
            self.reference_ohm.push(z);
        }
        if self.reference_ohm.len() == ports {
            self.reference_open = None;
        }
        Ok(())
    }

    fn start_network_data(&mut self, line: usize) -> Result<()> {
        let Some(ports) = self.declared_ports else {
            return Err(self.error(line, "[Network Data] before [Number of Ports]"));
        };
        if self.declared_freqs.is_none() {
            return Err(self.error(line, "[Network Data] before [Number of Frequencies]"));
        }
        let two_port_12_21 = match (ports, self.matrix, self.two_port_12_21) {
            (2, MatrixFormat::Full, None) => {
                return Err(self.error(line, "a 2-port Version 2 file needs [Two-Port Data Order] (12_21 or 21_12)"));
            }
            (_, _, order) => order.unwrap_or(true),
        };
        self.begin_data(ports, two_port_12_21);
        Ok(())
    }

    /// Sets up the data layout and preallocates for the expected number of frequencies.
    fn begin_data(&mut self, ports: usize, two_port_12_21: bool) {
        self.layout = Layout { ports, slots: slots(ports, self.matrix, two_port_12_21) };
        let values_per_freq = self.layout.values_per_freq();
        // Every value takes at least a digit and a separator; real files average ~20 bytes. The
        // first allocation stops at FIRST_RESERVE points (beyond, the vectors grow as read), so a
        // file that is mostly comments does not reserve for the points its size suggests.
        const FIRST_RESERVE: usize = 16_384;
        let from_size = self.size_hint / (values_per_freq * 8) + 1;
        let freqs = self.declared_freqs.map_or(from_size, |(n, _)| n.min(from_size)).min(FIRST_RESERVE);
        self.freq_hz.reserve(freqs);
        self.s.reserve(freqs * ports * ports);
        self.record.reserve(values_per_freq);
        self.section = Section::Network;
    }

    fn end_network_data(&mut self, line: usize, next: Section) -> Result<()> {
        self.check_record_complete()?;
        if let Some((declared, declared_line)) = self.declared_freqs
            && declared != self.freq_hz.len()
        {
            return Err(self.error(
                line,
                format!(
                    "[Number of Frequencies] on line {declared_line} says {declared}, the network \
                     data hold {}",
                    self.freq_hz.len()
                ),
            ));
        }
        self.section = next;
        Ok(())
    }

    fn data_line(&mut self, line: usize, content: &str) -> Result<()> {
        if self.section == Section::Header {
            if self.version2 {
                return Err(self.error(line, "data before [Network Data]"));
            }
            let ports = self.expected_ports.ok_or_else(|| {
                self.error(
                    line,
                    "cannot tell the number of ports: a Version 1 file needs an .sNp name \
                     (e.g. .s4p) or an explicit port count",
                )
            })?;
            if !(1..=MAX_PORTS).contains(&ports) {
                return Err(self.error(line, format!("{ports} ports; expected 1..={MAX_PORTS}")));
            }
            self.begin_data(ports, false);
        }
        if self.record.is_empty() && self.starts_v1_noise(content) {
            self.section = Section::Noise;
            return self.noise_line(line, content);
        }
        for token in content.split_ascii_whitespace() {
            let value = self.number(line, token)?;
            if self.record.is_empty() {
                self.record_first_line = line;
            }
            self.record.push(value);
            if self.record.len() == self.layout.values_per_freq() {
                self.store_record(line)?;
            }
        }
        self.record_last_line = line;
        Ok(())
    }

    /// A 2-port Version 1 file appends noise parameters: a line of five numbers whose frequency
    /// is not above the last network frequency.
    fn starts_v1_noise(&self, content: &str) -> bool {
        let (Some(&last_hz), Some(first)) = (self.freq_hz.last(), content.split_ascii_whitespace().next()) else {
            return false;
        };
        !self.version2
            && self.layout.ports == 2
            && content.split_ascii_whitespace().count() == NOISE_VALUES_PER_LINE
            && first.parse::<f64>().is_ok_and(|f| f * self.freq_scale <= last_hz)
    }

    fn noise_line(&mut self, line: usize, content: &str) -> Result<()> {
        let mut values = 0;
        for token in content.split_ascii_whitespace() {
            self.number(line, token)?;
            values += 1;
        }
        if values == NOISE_VALUES_PER_LINE {
            Ok(())
        } else {
            Err(self.error(
                line,
                format!(
                    "noise data line with {values} values; expected {NOISE_VALUES_PER_LINE} \
                     (frequency, NFmin, |Γopt|, ∠Γopt, Rn)"
                ),
            ))
        }
    }

    /// Moves one complete frequency point from `record` into the network; `line` is the line
    /// of its last value.
    fn store_record(&mut self, line: usize) -> Result<()> {
        let freq_hz = self.record[0] * self.freq_scale;
        if !(freq_hz.is_finite() && freq_hz >= 0.0) {
            return Err(self.error(
                self.record_first_line,
                format!("frequency {freq_hz} Hz; expected a finite frequency >= 0 Hz"),
            ));
        }
        if let Some(&last_hz) = self.freq_hz.last()
            && freq_hz <= last_hz
        {
            return Err(self.error(
                self.record_first_line,
                format!(
                    "frequency {freq_hz} Hz is not above the previous {last_hz} Hz; frequencies \
                     must increase"
                ),
            ));
        }
        if self.freq_hz.len() == MAX_FREQUENCIES {
            return Err(self.error(
                self.record_first_line,
                format!("more than {MAX_FREQUENCIES} frequency points; expected at most {MAX_FREQUENCIES}"),
            ));
        }
        let ports = self.layout.ports;
        let start = self.s.len();
        self.s.resize(start + ports * ports, Complex64::new(0.0, 0.0));
        let matrix = &mut self.s[start..];
        let mut overflow = None;
        for (&(index, mirror), pair) in self.layout.slots.iter().zip(self.record[1..].chunks_exact(2)) {
            let value = self.format.complex(pair[0], pair[1]);
            if !value.is_finite() {
                overflow = Some((pair[0], pair[1]));
            }
            matrix[index] = value;
            if let Some(mirror) = mirror {
                matrix[mirror] = value;
            }
        }
        if let Some((a, b)) = overflow {
            return Err(self.error(line, format!("S-parameter value ({a} {b}) at {freq_hz} Hz overflows")));
        }
        self.freq_hz.push(freq_hz);
        self.record.clear();
        Ok(())
    }

    fn check_record_complete(&self) -> Result<()> {
        if self.record.is_empty() {
            return Ok(());
        }
        Err(self.error(
            self.record_last_line,
            format!(
                "the data end in the middle of a frequency point: {} of {} values (frequency \
                 and {} numbers of a {}-port matrix)",
                self.record.len(),
                self.layout.values_per_freq(),
                self.layout.values_per_freq() - 1,
                self.layout.ports
            ),
        ))
    }

    fn finish(mut self) -> Result<Network> {
        if let Some(open_line) = self.reference_open {
            return Err(self.error(open_line, "[Reference] lists fewer impedances than ports"));
        }
        match self.section {
            Section::Information => {
                return Err(self.error(0, "[Begin Information] without [End Information]"));
            }
            // A missing `[End]` is tolerated: the frequency count still catches truncation.
            Section::Network => self.end_network_data(0, Section::Done)?,
            _ => {}
        }
        if self.freq_hz.is_empty() {
            let what = if self.seen_content { "no network data" } else { "empty file" };
            return Err(self.error(0, format!("{what}: expected at least one frequency point")));
        }
        let ports = self.layout.ports;
        if self.reference_ohm.is_empty() {
            self.reference_ohm = vec![self.option_z0_ohm; ports];
        }
        Ok(Network { freq_hz: self.freq_hz, ports, z0_ohm: self.reference_ohm, s: self.s })
    }

    /// A finite number, or a line-numbered error naming the token.
    fn number(&self, line: usize, token: &str) -> Result<f64> {
        match token.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            Ok(_) => Err(self.error(line, format!("{token:?} is not a finite number"))),
            Err(_) => Err(self.error(line, format!("expected a number, found {token:?}"))),
        }
    }
}

/// `[Name] rest` split into `Name` and `rest`.
fn keyword(content: &str) -> Option<(&str, &str)> {
    let (name, rest) = content.strip_prefix('[')?.split_once(']')?;
    Some((name.trim(), rest))
}

/// The matrix slot of each element in the order the file lists them.
fn slots(ports: usize, matrix: MatrixFormat, two_port_12_21: bool) -> Vec<(usize, Option<usize>)> {
    let index = |i: usize, j: usize| i * ports + j;
    match matrix {
        // S11 S21 S12 S22: the 2-port exception of Version 1 and `[Two-Port Data Order] 21_12`.
        MatrixFormat::Full if ports == 2 && !two_port_12_21 => {
            vec![(0, None), (2, None), (1, None), (3, None)]
        }
        MatrixFormat::Full => (0..ports * ports).map(|k| (k, None)).collect(),
        MatrixFormat::Upper => (0..ports)
            .flat_map(|i| (i..ports).map(move |j| (i, j)))
            .map(|(i, j)| (index(i, j), (i != j).then(|| index(j, i))))
            .collect(),
        MatrixFormat::Lower => (0..ports)
            .flat_map(|i| (0..=i).map(move |j| (i, j)))
            .map(|(i, j)| (index(i, j), (i != j).then(|| index(j, i))))
            .collect(),
    }
}
