//! Link files: a link described once in TOML (format in `docs/link-file.md`).
//!
//! Every table denies unknown fields. Quantities take a unit (`length = "500m"`) or a bare number
//! in the SI base unit; dB and dBm fields carry the unit in their name. A file may start from a
//! built-in preset (`preset = "400GBASE-DR4"`) and override any of its fields: a table field the
//! file sets replaces the preset's, and a `channel` list replaces the preset's list as a whole.
//! The `[simulation]` table merges key by key: the file's keys win, the preset's others stay.

use crate::error::{Error, Result};
use crate::sim::LinkConfig;
use crate::units::{Quantity, parse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A quantity as written: a number in the SI base unit or a text with its unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Amount {
    /// SI base units (m, Hz, Bd, ...).
    Number(f64),
    /// With a unit, e.g. `"500m"`, `"53.125GBd"`.
    Text(String),
}

impl<'de> Deserialize<'de> for Amount {
    /// A number or a string (visited directly, so a wrong type is reported at its key and line).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Amount, D::Error> {
        struct Written;
        impl serde::de::Visitor<'_> for Written {
            type Value = Amount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number in the SI base unit or a quantity with its unit such as \"500m\"")
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Amount, E> {
                Ok(Amount::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Amount, E> {
                Ok(Amount::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Amount, E> {
                Ok(Amount::Number(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Amount, E> {
                Ok(Amount::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(Written)
    }
}

impl Amount {
    /// The value in SI base units; `field` names it in errors.
    pub fn si(&self, field: &str, kind: Quantity) -> Result<f64> {
        match self {
            Amount::Number(v) if v.is_finite() => Ok(*v),
            Amount::Number(v) => Err(Error::invalid(field, v, "expected a finite number")),
            Amount::Text(t) => parse(t, field, kind),
        }
    }
}

/// Optical or electrical budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// 802.3 optical PMD arithmetic in OMA (optical dB).
    Optical,
    /// Insertion loss at Nyquist against an electrical budget (electrical dB).
    Electrical,
}

/// The transmitter of an optical link (802.3 PAM4 PMD parameters).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransmitterFile {
    /// Minimum launch OMA_outer, dBm (the floor that applies at small TDECQ).
    pub oma_outer_min_dbm: Option<f64>,
    /// Minimum of OMA_outer − TDECQ, dBm.
    pub oma_minus_tdecq_min_dbm: Option<f64>,
    /// Maximum TDECQ, dB.
    pub tdecq_max_db: Option<f64>,
    /// This transmitter's TDECQ, dB (default: the maximum).
    pub tdecq_db: Option<f64>,
    /// This transmitter's launch OMA_outer, dBm (default: the minimum at its TDECQ).
    pub oma_outer_dbm: Option<f64>,
    /// Maximum launch OMA_outer, dBm.
    pub oma_outer_max_dbm: Option<f64>,
    /// Transmitter optical reflectance, dB (negative; a reflector of the MPI model).
    pub reflectance_db: Option<f64>,
}

/// The receiver: stressed sensitivity (optical) or the insertion-loss budget (electrical).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverFile {
    /// Stressed receiver sensitivity, OMA_outer, dBm.
    pub srs_oma_dbm: Option<f64>,
    /// Stressed eye closure of the SRS test, dB.
    pub secq_db: Option<f64>,
    /// Unstressed sensitivity floor, OMA_outer, dBm (informative).
    pub sensitivity_floor_dbm: Option<f64>,
    /// Electrical insertion-loss budget at Nyquist, dB.
    pub il_budget_db: Option<f64>,
    /// Receiver optical reflectance, dB (negative; a reflector of the MPI model).
    pub reflectance_db: Option<f64>,
}

/// One element of the channel, in signal order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", try_from = "SegmentFields")]
pub enum Segment {
    /// A fiber from the media catalogue (`smf`, `mmf-om4`, ...).
    Fiber {
        /// Catalogue name.
        medium: String,
        /// Length, e.g. `"500m"`.
        length: Amount,
        /// Operating wavelength (default: the medium's).
        wavelength: Option<Amount>,
        /// Attenuation used for budgeting, dB/km (default: the medium model at the wavelength).
        attenuation_db_per_km: Option<f64>,
    },
    /// Lumped losses: connectors, splices, a connection allowance.
    Connector {
        /// Loss of one, dB (optical for optical links, electrical at Nyquist otherwise).
        loss_db: f64,
        /// How many (default 1).
        count: Option<u32>,
        /// What it is, e.g. `"MPO connections"`.
        label: Option<String>,
        /// Discrete reflectance of each, dB (negative; optical links: a reflector of the MPI model).
        reflectance_db: Option<f64>,
    },
    /// A copper medium from the catalogue (`twinax-26awg`, `pcb-megtron7`, ...).
    Copper {
        /// Catalogue name.
        medium: String,
        /// Length.
        length: Amount,
    },
    /// A measured channel: Sdd21 (4-port) or S21 (2-port) of a Touchstone file.
    Touchstone {
        /// Path, relative to the link file.
        file: String,
    },
}

/// The `type` of a `[[channel]]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SegmentType {
    Fiber,
    Connector,
    Copper,
    Touchstone,
}

impl SegmentType {
    /// The keys a segment of this type takes besides `type`, the required ones first.
    fn keys(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            SegmentType::Fiber => (&["medium", "length"], &["wavelength", "attenuation_db_per_km"]),
            SegmentType::Connector => (&["loss_db"], &["count", "label", "reflectance_db"]),
            SegmentType::Copper => (&["medium", "length"], &[]),
            SegmentType::Touchstone => (&["file"], &[]),
        }
    }
}

/// A `[[channel]]` table as written: the keys of every segment type, each read with its own type
/// (so a wrong type is an error at its key and line, which serde's buffered internally tagged
/// enums cannot give), then checked against the segment's `type`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentFields {
    #[serde(rename = "type")]
    kind: SegmentType,
    medium: Option<String>,
    length: Option<Amount>,
    wavelength: Option<Amount>,
    attenuation_db_per_km: Option<f64>,
    loss_db: Option<f64>,
    count: Option<u32>,
    label: Option<String>,
    reflectance_db: Option<f64>,
    file: Option<String>,
}

impl TryFrom<SegmentFields> for Segment {
    type Error = String;

    fn try_from(f: SegmentFields) -> std::result::Result<Segment, String> {
        let kind = f.kind;
        let name = format!("{kind:?}").to_lowercase();
        let (required, optional) = kind.keys();
        let given = [
            ("medium", f.medium.is_some()),
            ("length", f.length.is_some()),
            ("wavelength", f.wavelength.is_some()),
            ("attenuation_db_per_km", f.attenuation_db_per_km.is_some()),
            ("loss_db", f.loss_db.is_some()),
            ("count", f.count.is_some()),
            ("label", f.label.is_some()),
            ("reflectance_db", f.reflectance_db.is_some()),
            ("file", f.file.is_some()),
        ];
        let takes = |key: &&str| required.contains(key) || optional.contains(key);
        if let Some((key, _)) = given.iter().find(|(key, set)| *set && !takes(key)) {
            let keys: Vec<&str> = required.iter().chain(optional).copied().collect();
            return Err(format!("unknown field `{key}` in a {name} segment, expected one of {}", keys.join(", ")));
        }
        let missing = |key: &str| format!("missing field `{key}` of a {name} segment");
        Ok(match kind {
            SegmentType::Fiber => Segment::Fiber {
                medium: f.medium.ok_or_else(|| missing("medium"))?,
                length: f.length.ok_or_else(|| missing("length"))?,
                wavelength: f.wavelength,
                attenuation_db_per_km: f.attenuation_db_per_km,
            },
            SegmentType::Connector => Segment::Connector {
                loss_db: f.loss_db.ok_or_else(|| missing("loss_db"))?,
                count: f.count,
                label: f.label,
                reflectance_db: f.reflectance_db,
            },
            SegmentType::Copper => Segment::Copper {
                medium: f.medium.ok_or_else(|| missing("medium"))?,
                length: f.length.ok_or_else(|| missing("length"))?,
            },
            SegmentType::Touchstone => Segment::Touchstone { file: f.file.ok_or_else(|| missing("file"))? },
        })
    }
}

/// Penalties the designer allocates on top of the transmitter's TDECQ, dB.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltiesFile {
    /// Multipath interference.
    pub mpi_db: Option<f64>,
    /// Reflections beyond those TDECQ covers.
    pub reflection_db: Option<f64>,
    /// Anything else the designer sets aside.
    pub other_db: Option<f64>,
}

/// FEC and error-ratio target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FecFile {
    /// `kp4`, `kr4` or `rs(n,k)`.
    pub code: Option<String>,
    /// Pre-FEC BER at which the receiver sensitivity is specified.
    pub pre_fec_ber: Option<f64>,
}

/// A link file as written (every field optional until resolved against its preset).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkFile {
    /// Display name.
    pub name: Option<String>,
    /// A built-in preset this file starts from.
    pub preset: Option<String>,
    /// `optical` or `electrical`.
    pub kind: Option<LinkKind>,
    /// `nrz` or `pam4`.
    pub modulation: Option<String>,
    /// Symbol rate, e.g. `"53.125GBd"`.
    pub symbol_rate: Option<Amount>,
    /// Transmitter.
    pub transmitter: Option<TransmitterFile>,
    /// Receiver.
    pub receiver: Option<ReceiverFile>,
    /// Channel segments in signal order.
    pub channel: Option<Vec<Segment>>,
    /// Allocated penalties.
    pub penalties: Option<PenaltiesFile>,
    /// FEC and target.
    pub fec: Option<FecFile>,
    /// The transmitter and receiver models of the physical budget (laser, driver with Tx FFE,
    /// modulator, photodiode and TIA, reference receiver), as the `[...]` tables of an `eye` link
    /// file under `[simulation]`; rate, modulation and fiber come from this file.
    pub simulation: Option<SimulationTable>,
    /// Where each number comes from: field path → source (standard clause, table, quality tag).
    pub sources: Option<BTreeMap<String, String>>,
    /// Field paths whose values are recalled but not verified against the standard's text.
    pub unverified: Option<Vec<String>>,
}

/// The `[simulation]` table as written. It is kept as TOML so that a file's keys merge key by key
/// onto its preset's (a file setting `[simulation.laser]` keeps the preset's driver); it is
/// checked against the simulator's strict models when the file is parsed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimulationTable(toml::Table);

impl SimulationTable {
    /// The simulator configuration: the models' published defaults under the keys set here.
    pub fn config(&self) -> Result<LinkConfig> {
        toml::Value::Table(self.0.clone())
            .try_into()
            .map_err(|e: toml::de::Error| Error::invalid("simulation", "table", e.message().to_string()))
    }

    /// Checks the configuration ([`Self::config`]) with the simulator's ranges; an error names
    /// the field by its path in the link file (`simulation.laser.rin_db_per_hz`).
    pub fn validate(&self) -> Result<()> {
        self.config()?.validate().map_err(|e| e.with_field(|field| format!("simulation.{field}")))
    }

    /// Whether the table sets the dotted `path` (e.g. `modulator`, `laser.wavelength_m`).
    pub fn sets(&self, path: &str) -> bool {
        let mut table = &self.0;
        let mut keys = path.split('.').peekable();
        while let Some(key) = keys.next() {
            match (table.get(key), keys.peek()) {
                (Some(_), None) => return true,
                (Some(toml::Value::Table(t)), Some(_)) => table = t,
                _ => return false,
            }
        }
        false
    }

    /// `over`'s keys on top of `base`'s, sub-table by sub-table.
    fn merged(mut base: toml::Table, over: toml::Table) -> toml::Table {
        for (key, value) in over {
            let merged = match (base.remove(&key), value) {
                (Some(toml::Value::Table(b)), toml::Value::Table(o)) => toml::Value::Table(Self::merged(b, o)),
                (_, value) => value,
            };
            base.insert(key, merged);
        }
        base
    }

    fn overlay(base: Option<Self>, over: Option<Self>) -> Option<Self> {
        match (base, over) {
            (Some(b), Some(o)) => Some(Self(Self::merged(b.0, o.0))),
            (b, o) => o.or(b),
        }
    }
}

/// `over` field by field on top of `base`.
macro_rules! overlay {
    ($base:expr, $over:expr; $($f:ident),*) => {{
        let (base, over) = ($base, $over);
        match (base, over) {
            (Some(b), Some(o)) => Some(Self { $($f: o.$f.or(b.$f)),* }),
            (b, o) => o.or(b),
        }
    }};
}

impl TransmitterFile {
    fn overlay(base: Option<Self>, over: Option<Self>) -> Option<Self> {
        overlay!(base, over; oma_outer_min_dbm, oma_minus_tdecq_min_dbm, tdecq_max_db, tdecq_db, oma_outer_dbm, oma_outer_max_dbm, reflectance_db)
    }
}

impl ReceiverFile {
    fn overlay(base: Option<Self>, over: Option<Self>) -> Option<Self> {
        overlay!(base, over; srs_oma_dbm, secq_db, sensitivity_floor_dbm, il_budget_db, reflectance_db)
    }
}

impl PenaltiesFile {
    fn overlay(base: Option<Self>, over: Option<Self>) -> Option<Self> {
        overlay!(base, over; mpi_db, reflection_db, other_db)
    }
}

impl FecFile {
    fn overlay(base: Option<Self>, over: Option<Self>) -> Option<Self> {
        overlay!(base, over; code, pre_fec_ber)
    }
}

impl LinkFile {
    /// Parses link-file text; `file` names it in errors (with the line of the problem).
    pub fn parse(text: &str, file: &str) -> Result<LinkFile> {
        /// The `[simulation]` table read with the simulator's strict models, so that an unknown
        /// or mistyped key is reported with its line.
        #[derive(Deserialize)]
        struct Strict {
            #[serde(rename = "simulation")]
            _simulation: Option<LinkConfig>,
        }
        let link: LinkFile = crate::error::parse_toml(text, file)?;
        if link.simulation.is_some() {
            crate::error::parse_toml::<Strict>(text, file)?;
        }
        Ok(link)
    }

    /// Reads and parses a link file.
    pub fn read(path: &Path) -> Result<LinkFile> {
        let text = crate::input::read_toml_text(path)?;
        Self::parse(&text, &path.display().to_string())
    }

    /// This file on top of `base` (a preset): fields set here win; a channel list replaces.
    pub fn over(self, base: LinkFile) -> LinkFile {
        // A channel list of the file replaces the preset's, and with it the preset's citations.
        let replaced = |path: &String| self.channel.is_some() && path.starts_with("channel.");
        let mut sources = base.sources.unwrap_or_default();
        sources.retain(|path, _| !replaced(path));
        sources.extend(self.sources.clone().unwrap_or_default());
        let mut unverified = base.unverified.unwrap_or_default();
        unverified.retain(|path| !replaced(path));
        unverified.extend(self.unverified.clone().unwrap_or_default());
        LinkFile {
            name: self.name.or(base.name),
            preset: self.preset.or(base.preset),
            kind: self.kind.or(base.kind),
            modulation: self.modulation.or(base.modulation),
            symbol_rate: self.symbol_rate.or(base.symbol_rate),
            transmitter: TransmitterFile::overlay(base.transmitter, self.transmitter),
            receiver: ReceiverFile::overlay(base.receiver, self.receiver),
            channel: self.channel.or(base.channel),
            penalties: PenaltiesFile::overlay(base.penalties, self.penalties),
            fec: FecFile::overlay(base.fec, self.fec),
            simulation: SimulationTable::overlay(base.simulation, self.simulation),
            sources: Some(sources),
            unverified: Some(unverified),
        }
    }

    /// The file with its preset (if any) filled in.
    pub fn resolved(self) -> Result<LinkFile> {
        match self.preset.clone() {
            Some(name) => Ok(self.over(super::presets::preset(&name)?)),
            None => Ok(self),
        }
    }

    /// The same link with the numeric field at the dotted path `param` (e.g. `channel.0.length`,
    /// `transmitter.tdecq_db`) set to `value` (SI base units or dB). A field the file leaves unset
    /// is set too; serde then checks its name and type.
    pub fn with_value(&self, param: &str, value: f64) -> Result<LinkFile> {
        let rejected = |e: toml::de::Error| Error::invalid("param", param, e.message().to_string());
        match self.set_at(param, toml::Value::Float(value))?.try_into() {
            Ok(link) => Ok(link),
            // Integer fields (counts) take a whole value as an integer.
            Err(_) if value.fract() == 0.0 && value.abs() < 1e15 => {
                self.set_at(param, toml::Value::Integer(value as i64))?.try_into().map_err(rejected)
            }
            Err(e) => Err(rejected(e)),
        }
    }

    /// This link as a TOML document with `new` at the dotted path `param` (tables the file leaves out are
    /// created; array elements must exist; an existing value must be a number or a quantity).
    fn set_at(&self, param: &str, new: toml::Value) -> Result<toml::Value> {
        let mut doc = toml::Value::try_from(self).map_err(|e| Error::invalid("link", "?", e.to_string()))?;
        let bad_path = || Error::invalid("param", param, "expected the dotted path of a numeric field");
        let keys: Vec<&str> = param.split('.').collect();
        let (last, parents) = keys.split_last().ok_or_else(bad_path)?;
        let mut node = &mut doc;
        for key in parents {
            node = match node {
                toml::Value::Table(t) => {
                    t.entry(key.to_string()).or_insert_with(|| toml::Value::Table(Default::default()))
                }
                toml::Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get_mut(i)).ok_or_else(bad_path)?,
                _ => return Err(bad_path()),
            };
        }
        let toml::Value::Table(table) = node else { return Err(bad_path()) };
        match table.get(*last) {
            None | Some(toml::Value::Float(_) | toml::Value::Integer(_) | toml::Value::String(_)) => {
                table.insert(last.to_string(), new);
                Ok(doc)
            }
            Some(_) => Err(Error::invalid("param", param, "expected a numeric field")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::locate;

    const DR4_500M: &str = r#"
name = "my link"
preset = "400GBASE-DR4"
[transmitter]
tdecq_db = 2.5
[[channel]]
type = "fiber"
medium = "smf"
length = "500m"
"#;

    #[test]
    fn files_override_their_preset_field_by_field() {
        let f = LinkFile::parse(DR4_500M, "dr4.toml").unwrap().resolved().unwrap();
        let tx = f.transmitter.unwrap();
        assert_eq!(tx.tdecq_db, Some(2.5));
        assert_eq!(tx.tdecq_max_db, Some(3.4));
        assert_eq!(f.channel.unwrap().len(), 1);
        assert_eq!(f.name.as_deref(), Some("my link"));
    }

    #[test]
    fn a_simulation_table_merges_key_by_key_onto_the_preset() {
        let text = "preset = \"400GBASE-DR4\"\n[simulation.laser]\nrin_db_per_hz = -128.0\n";
        let sim = LinkFile::parse(text, "rin.toml").unwrap().resolved().unwrap().simulation.unwrap();
        let cfg = sim.config().unwrap();
        assert_eq!(cfg.laser.rin_db_per_hz, -128.0);
        assert!(cfg.driver.level_predistortion, "the preset's DSP pre-distortion stays");
        assert!(!sim.sets("modulator") && sim.sets("laser.rin_db_per_hz") && sim.sets("driver"));
        assert!(!sim.sets("laser.wavelength_m") && !sim.sets("laser.rin_db_per_hz.x"));
        // The file's key wins over the preset's.
        let text = "preset = \"400GBASE-DR4\"\n[simulation.driver]\nlevel_predistortion = false\n";
        let sim = LinkFile::parse(text, "lin.toml").unwrap().resolved().unwrap().simulation.unwrap();
        assert!(!sim.config().unwrap().driver.level_predistortion);
        // Unknown keys inside [simulation] are errors with their line.
        let e = LinkFile::parse("name = \"x\"\n[simulation.driver]\nswing = 1\n", "s.toml").unwrap_err().to_string();
        assert!(e.starts_with("s.toml:3:") && e.contains("swing"), "{e}");
    }

    #[test]
    fn unknown_fields_are_errors_with_their_line() {
        let e = LinkFile::parse("name = \"x\"\n[transmitter]\ntdecq = 3\n", "l.toml").unwrap_err().to_string();
        assert!(e.starts_with("l.toml:3:") && e.contains("tdecq"), "{e}");
        let e = LinkFile::parse("[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\nlength = 1\ncolour = 2\n", "l.toml");
        assert!(e.unwrap_err().to_string().contains("colour"));
        assert!(LinkFile::parse("[[channel]]\ntype = \"plasma\"\n", "l.toml").is_err());
    }

    #[test]
    fn the_documented_example_is_a_valid_link() {
        let doc = include_str!("../../docs/link-file.md");
        let start = doc.find("```toml\n").unwrap() + 8;
        let text = &doc[start..start + doc[start..].find("```").unwrap()];
        let link = LinkFile::parse(text, "docs/link-file.md").unwrap();
        let b = super::super::evaluate(&link, Path::new(".")).unwrap();
        // DR4 numbers with a 2.1 dB TDECQ, 1.0 dBm launch, 3.0 dB channel, 0.1 dB MPI:
        // 1.0 − 3.0 − 0.1 − max(−4.4, −1.9 − 3.4 + 2.1) = 1.1 dB.
        assert!((b.margin_db - 1.1).abs() < 1e-9, "{}", b.margin_db);
    }

    /// Issue 14: `length = true` and `count = 2.5` gave serde's text with neither the field nor
    /// (inside a `[[channel]]` table) the line. Every key of the documented example, given a value
    /// of a type no field takes (a boolean for the one boolean, a table, an array), is reported
    /// at its line with its dotted path.
    #[test]
    fn every_documented_field_of_the_wrong_type_is_named_at_its_line() {
        let doc = include_str!("../../docs/link-file.md");
        let start = doc.find("```toml\n").unwrap() + 8;
        let text = &doc[start..start + doc[start..].find("```").unwrap()];
        let (mut table, mut channels, mut checked) = (String::new(), 0, 0);
        for (i, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap().trim();
            if let Some(header) = code.strip_prefix("[[").and_then(|h| h.strip_suffix("]]")) {
                table = format!("{header}.{channels}.");
                channels += 1;
            } else if let Some(header) = code.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
                table = format!("{header}.");
            }
            let Some((key, value)) = code.split_once(" = ") else { continue };
            let path = format!("{table}{}", key.trim().trim_matches('"'));
            let wrong = if value.trim() == "true" { "1.5" } else { "true" };
            for bad in [wrong, "{ a = 1 }", "[[1]]"] {
                let edited: String = text
                    .lines()
                    .enumerate()
                    .map(|(j, l)| if j == i { format!("{key} = {bad}\n") } else { format!("{l}\n") })
                    .collect();
                let e = LinkFile::parse(&edited, "l.toml").err().unwrap_or_else(|| panic!("{path} = {bad}"));
                let e = e.to_string();
                assert!(e.starts_with(&format!("l.toml:{}: {path}", i + 1)), "{path} = {bad}: {e}");
                checked += 1;
            }
        }
        assert_eq!(checked, 3 * 33, "the documented example has 33 keys");
        // Wrong scalar types, with serde's type names said in words.
        let e = LinkFile::parse("[[channel]]\ntype = \"connector\"\nloss_db = 1\ncount = 2.5\n", "l.toml");
        assert_eq!(
            e.unwrap_err().to_string(),
            "l.toml:4: channel.0.count: invalid type: floating point `2.5`, expected a whole number >= 0"
        );
        let e = LinkFile::parse("[transmitter]\ntdecq_db = \"3dB\"\n", "l.toml").unwrap_err().to_string();
        assert_eq!(
            e,
            "l.toml:2: transmitter.tdecq_db: invalid type: string \"3dB\", expected a plain number in dB (the unit is in the field's name)"
        );
        let e = LinkFile::parse("channel = [{ type = \"fiber\", medium = \"smf\", length = true }]\n", "l.toml");
        let e = e.unwrap_err().to_string();
        assert!(e.starts_with("l.toml:1: channel.0.length: invalid type: boolean `true`, expected a number"), "{e}");
        let e = LinkFile::parse("name = \"x\"\nkind = 3\n", "l.toml").unwrap_err().to_string();
        assert_eq!(e, "l.toml:2: kind: invalid type, expected a name (a string)");
        // A segment's keys are those of its type.
        let e = LinkFile::parse("[[channel]]\ntype = \"connector\"\nmedium = \"smf\"\nloss_db = 1\n", "l.toml");
        let e = e.unwrap_err().to_string();
        assert!(e.starts_with("l.toml:1: channel.0: unknown field `medium` in a connector segment"), "{e}");
        let e = LinkFile::parse("[[channel]]\ntype = \"fiber\"\nmedium = \"smf\"\n", "l.toml").unwrap_err();
        assert_eq!(e.to_string(), "l.toml:1: channel.0: missing field `length` of a fiber segment");
    }

    #[test]
    fn evaluation_errors_get_the_line_of_their_field() {
        let text = "[[channel]]\ntype = \"fiber\"\n[[channel]]\ntype = \"connector\"\nloss_db = -1\n[transmitter]\ntdecq_db = 99\n";
        let at = |field: &str| locate(Error::invalid(field, "v", "range"), text, "l.toml").to_string();
        assert!(at("channel.1.loss_db").starts_with("l.toml:5:"), "{}", at("channel.1.loss_db"));
        assert!(at("transmitter.tdecq_db").starts_with("l.toml:7:"));
        assert!(at("receiver.srs_oma_dbm").starts_with("invalid receiver.srs_oma_dbm"));
    }

    #[test]
    fn any_numeric_field_can_be_set_by_path() {
        let f = LinkFile::parse(DR4_500M, "dr4.toml").unwrap();
        let g = f.with_value("channel.0.length", 2000.0).unwrap();
        assert!(matches!(&g.channel.unwrap()[0], Segment::Fiber { length: Amount::Number(l), .. } if *l == 2000.0));
        let g = f.with_value("transmitter.tdecq_db", 3.0).unwrap();
        assert_eq!(g.transmitter.unwrap().tdecq_db, Some(3.0));
        assert!(f.with_value("channel.3.length", 1.0).is_err());
        // Fields the file leaves unset can be swept; unknown ones are errors.
        assert_eq!(f.with_value("penalties.mpi_db", 0.5).unwrap().penalties.unwrap().mpi_db, Some(0.5));
        assert!(f.with_value("penalties.colour_db", 0.5).unwrap_err().to_string().contains("colour_db"));
        assert!(f.with_value("name", 1.0).is_err());
    }
}
