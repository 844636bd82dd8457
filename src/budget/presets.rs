//! Built-in link presets of standard PMDs and host links, each a link file (`src/budget/presets/`)
//! whose `[sources]` table cites the clause and table of every number and whose `unverified` list
//! marks the values recalled but not checked against the standard's text (the quality tags of
//! `docs/references.md`).
//!
//! The LPO preset reuses the DR8 lane's optics and differs in its simulated transmitter (linear, where
//! the DSP presets pre-distort the levels); its host electrical channel has no published budget
//! (only NVIDIA's "about 22 dB to a pluggable", via press, secondary), so it is not in the preset.

use super::spec::LinkFile;
use crate::error::{Error, Result};

/// `(name, link file)` of every preset, optical first.
const PRESETS: [(&str, &str); 10] = [
    ("100GBASE-DR", include_str!("presets/100gbase-dr.toml")),
    ("400GBASE-DR4", include_str!("presets/400gbase-dr4.toml")),
    ("800GBASE-DR8", include_str!("presets/800gbase-dr8.toml")),
    ("800G-LPO-DR8", include_str!("presets/800g-lpo-dr8.toml")),
    ("400GBASE-FR4", include_str!("presets/400gbase-fr4.toml")),
    ("400GBASE-SR8", include_str!("presets/400gbase-sr8.toml")),
    ("100GBASE-CR1", include_str!("presets/100gbase-cr1.toml")),
    ("100GBASE-KR1", include_str!("presets/100gbase-kr1.toml")),
    ("200GBASE-KR1", include_str!("presets/200gbase-kr1.toml")),
    ("CEI-112G-XSR-CPO", include_str!("presets/cei-112g-xsr-cpo.toml")),
];

/// Names of the presets.
pub fn preset_names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.0).collect()
}

/// The preset `name` (case-insensitive) as a link file.
pub fn preset(name: &str) -> Result<LinkFile> {
    let (key, text) = PRESETS.iter().find(|p| p.0.eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
        Error::invalid("preset", format!("'{name}'"), format!("expected one of {}", preset_names().join(", ")))
    })?;
    let mut file = LinkFile::parse(text, &format!("preset {key}"))?;
    file.preset = Some(key.to_string());
    Ok(file)
}

/// Every preset, parsed.
pub fn presets() -> Result<Vec<LinkFile>> {
    PRESETS.iter().map(|p| preset(p.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_cites_its_numbers() {
        for p in presets().unwrap() {
            let sources = p.sources.as_ref().unwrap();
            for path in p.unverified.as_ref().unwrap() {
                // An unverified value's source says so, rather than claiming a primary source.
                let source =
                    sources.get(path).unwrap_or_else(|| panic!("{:?}: unverified {path} has no source", p.name));
                assert!(source.contains("unverified"), "{:?}: {path} is unverified but cited as {source:?}", p.name);
            }
            // A value cited as primary names the standard, summary or datasheet it was read in.
            for (path, source) in sources {
                if source.contains("primary") {
                    assert!(
                        ["IEEE", "TIA", "OIF", "datasheet"].iter().any(|s| source.contains(s)),
                        "{:?}: {path} is cited as primary without naming its source: {source:?}",
                        p.name
                    );
                }
            }
            // Every number of the transmitter, receiver and penalties tables is cited.
            let doc = toml::Value::try_from(&p).unwrap();
            for table in ["transmitter", "receiver", "penalties"] {
                for key in doc
                    .get(table)
                    .and_then(|t| t.as_table())
                    .map(|t| t.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
                {
                    let path = format!("{table}.{key}");
                    assert!(sources.contains_key(&path), "{:?}: {path} has no source", p.name);
                }
            }
            assert!(!sources.is_empty());
            // Every field is in range, the simulation table included (what loading a file checks).
            crate::budget::evaluate::check_fields(&p).unwrap();
            if let Some(table) = &p.simulation {
                table.validate().unwrap();
            }
        }
        assert!(preset("400gbase-dr4").is_ok());
        let e = preset("400GBASE-XX").unwrap_err().to_string();
        assert!(e.contains("400GBASE-FR4"), "{e}");
    }
}
