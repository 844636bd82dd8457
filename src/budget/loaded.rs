//! A link ready to evaluate: read from a link file or taken from a preset, kept with what places
//! its errors (the file's text, [`crate::error::locate`]) and resolves its Touchstone paths.
//!
//! ```
//! use photolink::budget::LoadedLink;
//!
//! let dr4 = LoadedLink::preset("400GBASE-DR4")?.with_first_length(600.0)?;
//! assert!(!dr4.evaluate()?.pass);
//! # Ok::<(), photolink::Error>(())
//! ```

use super::evaluate::{Budget, evaluate, first_length_segment, max_reach_m};
use super::physical::{PhysicalBudget, physical};
use super::presets::preset;
use super::spec::{LinkFile, SimulationTable};
use super::{SweepPoint, sweep};
use crate::error::{Result, locate};
use std::path::{Path, PathBuf};

/// A resolved link with its label, its base directory and (for a file) its text.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedLink {
    /// The file's path as given, or `preset NAME`.
    pub label: String,
    /// The link, its preset (if any) filled in.
    pub link: LinkFile,
    /// The directory Touchstone paths are relative to: the file's, or `.` for a preset.
    pub base_dir: PathBuf,
    /// The file's text (none for a preset).
    text: Option<String>,
}

impl LoadedLink {
    /// Reads the link file at `path` and fills in its preset; every error names the file, and the
    /// line where the file sets the offending field.
    pub fn read(path: &Path) -> Result<LoadedLink> {
        let text = crate::input::read_toml_text(path)?;
        let label = path.display().to_string();
        let link = LinkFile::parse(&text, &label)?.resolved().map_err(|e| locate(e, &text, &label))?;
        let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let loaded = LoadedLink { label, link, base_dir, text: Some(text) };
        // The budget checks every other field as it evaluates; the simulation table, which only
        // `--physical` reads, is checked here so that every command rejects it.
        loaded.locate(loaded.link.simulation.as_ref().map_or(Ok(()), SimulationTable::validate))?;
        Ok(loaded)
    }

    /// The built-in preset `name` (see [`super::preset_names`]).
    pub fn preset(name: &str) -> Result<LoadedLink> {
        Ok(LoadedLink {
            label: format!("preset {name}"),
            link: preset(name)?,
            base_dir: PathBuf::from("."),
            text: None,
        })
    }

    /// `result`, with a field error placed at the line of the file that sets the field.
    pub fn locate<T>(&self, result: Result<T>) -> Result<T> {
        match &self.text {
            Some(text) => result.map_err(|e| locate(e, text, &self.label)),
            None => result,
        }
    }

    /// The same link with its first fiber or copper segment `length_m` long (the segment
    /// [`Self::max_reach_m`] acts on).
    pub fn with_first_length(mut self, length_m: f64) -> Result<LoadedLink> {
        let path = format!("channel.{}.length", self.locate(first_length_segment(&self.link))?);
        self.link = self.locate(self.link.with_value(&path, length_m))?;
        Ok(self)
    }

    /// The 802.3-style budget ([`evaluate`]).
    pub fn evaluate(&self) -> Result<Budget> {
        self.locate(evaluate(&self.link, &self.base_dir))
    }

    /// The longest first fiber or copper segment that still closes ([`max_reach_m`]), m.
    pub fn max_reach_m(&self) -> Result<Option<f64>> {
        self.locate(max_reach_m(&self.link, &self.base_dir, None))
    }

    /// The budget with the link simulated ([`physical`]).
    pub fn physical(&self) -> Result<PhysicalBudget> {
        self.locate(physical(&self.link, &self.base_dir))
    }

    /// The margin with the field at `param` set to each of `values` ([`sweep`]).
    pub fn sweep(&self, param: &str, values: &[f64], progress: &(dyn Fn() + Sync)) -> Result<Vec<SweepPoint>> {
        self.locate(sweep(&self.link, &self.base_dir, param, values, progress))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn file_errors_point_at_the_line_that_set_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dr4.toml");
        let text = "preset = \"400GBASE-DR4\"\n[transmitter]\ntdecq_db = 25.0\n";
        std::fs::write(&path, text).unwrap();
        let loaded = LoadedLink::read(&path).unwrap();
        assert_eq!(loaded.base_dir, dir.path());
        let e = loaded.evaluate().unwrap_err().to_string();
        assert!(e.contains("dr4.toml:3:") && e.contains("transmitter.tdecq_db"), "{e}");
        // A preset has no lines: the field error stays as the library raised it.
        let preset = LoadedLink::preset("400GBASE-DR4").unwrap();
        let e = preset.with_first_length(-1.0).unwrap().evaluate().unwrap_err();
        assert!(matches!(&e, Error::InvalidParameter { field, .. } if field == "channel.0.length"), "{e}");
    }

    #[test]
    fn the_first_length_is_the_one_the_reach_search_moves() {
        let dr4 = LoadedLink::preset("400GBASE-DR4").unwrap();
        let reach = dr4.max_reach_m().unwrap().unwrap();
        let at_reach = dr4.clone().with_first_length(reach).unwrap().evaluate().unwrap();
        assert!(at_reach.pass && at_reach.margin_db.abs() < 1e-3, "{}", at_reach.margin_db);
    }
}
