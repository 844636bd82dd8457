//! Review-report section: eye diagrams of the four transmitter families (MZM, EML, microring,
//! VCSEL), each through its typical fiber, with OMA, ER, RLM and TDECQ.

use crate::error::Result;
use crate::metrics::{Eye, EyeReport};
use crate::output::fmt_sig;
use crate::plot::{eye::EyeChart, render};
use crate::sim::LinkConfig;
use crate::sim::{Simulation, simulate};
use crate::tx::ModulatorKind;
use std::path::{Path, PathBuf};

/// One eye of the section: modulator, fiber, length and wavelength, symbol rate.
struct Case {
    kind: ModulatorKind,
    file: &'static str,
    label: &'static str,
    fiber: &'static str,
    length_m: f64,
    wavelength_m: f64,
    baud: f64,
    /// The driver pre-distorts the PAM4 levels (a DSP transmitter) or drives them linearly.
    predistortion: bool,
}

const CASES: [Case; 4] = [
    Case {
        kind: ModulatorKind::Mzm,
        file: "eye_mzm.png",
        label: "MZM, 2 km SMF",
        fiber: "smf",
        length_m: 2000.0,
        wavelength_m: 1311e-9,
        baud: 53.125e9,
        predistortion: true,
    },
    Case {
        kind: ModulatorKind::Eam,
        file: "eye_eml.png",
        label: "EML, 2 km SMF",
        fiber: "smf",
        length_m: 2000.0,
        wavelength_m: 1311e-9,
        baud: 53.125e9,
        predistortion: true,
    },
    Case {
        kind: ModulatorKind::Ring,
        file: "eye_ring.png",
        label: "Si microring, 500 m SMF",
        fiber: "smf",
        length_m: 500.0,
        wavelength_m: 1311e-9,
        baud: 53.125e9,
        predistortion: false,
    },
    Case {
        kind: ModulatorKind::Vcsel,
        file: "eye_vcsel.png",
        label: "VCSEL, 100 m OM4",
        fiber: "mmf-om4",
        length_m: 100.0,
        wavelength_m: 850e-9,
        baud: 26.5625e9,
        predistortion: false,
    },
];

/// The simulated waveform of one case, with or without level pre-distortion.
fn simulate_case(c: &Case, predistortion: bool) -> Result<Simulation> {
    let mut cfg = LinkConfig { modulator: c.kind, ..LinkConfig::default() };
    cfg.fiber.medium = c.fiber.into();
    cfg.fiber.length_m = c.length_m;
    cfg.laser.wavelength_m = c.wavelength_m;
    cfg.signal.symbol_rate_baud = c.baud;
    cfg.driver.level_predistortion = predistortion;
    simulate(&cfg)
}

/// The PAM4 eye of a simulated waveform at the default SER contour.
fn eye_of(sim: &Simulation) -> Result<Eye<'_>> {
    Eye::analyze(&sim.waveform.samples, sim.samples_per_ui, 4, LinkConfig::default().analysis.contour_ser)
}

/// Writes the four eye charts into `dir` and returns the section's Markdown.
pub fn eye_section(dir: &Path, written: &mut Vec<PathBuf>) -> Result<String> {
    let mut md = String::from(
        "## Transmitter eyes and TDECQ\n\nSSPRQ PAM4 eyes of the four transmitter families with the \
         default models (`photolink eye --modulator ...`; equations and sources in `tx::modulator`), \
         through the 802.3 reference receiver (4th-order Bessel-Thomson at half the baud rate). The red \
         bars mark each eye's height and width on the 4.8e-4 SER contour.\n\n\
         | transmitter | level pre-distortion | OMA outer (dBm) | avg power (dBm) | ER (dB) | RLM | TDECQ (dB) |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let mut charts = String::new();
    // RLM of the DSP transmitters driven linearly instead, for the text.
    let mut linear_rlm = Vec::new();
    for c in &CASES {
        let sim = simulate_case(c, c.predistortion)?;
        let eye = eye_of(&sim)?;
        let r = EyeReport::measure(&eye, true)?;
        if c.predistortion {
            let linear = simulate_case(c, false)?;
            let rlm = EyeReport::measure(&eye_of(&linear)?, false)?.rlm;
            linear_rlm.push(format!("{} {}", c.label.split(',').next().unwrap_or(c.label), fmt_sig(rlm, 2)));
        }
        let title = format!("{}, PAM4 {} GBd", c.label, c.baud / 1e9);
        let file = dir.join(c.file);
        render(&file, &EyeChart::new(&eye, title, r.caption()))?;
        written.push(file);
        md += &format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            c.label,
            if c.predistortion { "yes (DSP)" } else { "no (linear drive)" },
            fmt_sig(r.oma_outer_dbm, 3),
            fmt_sig(r.average_power_dbm, 3),
            fmt_sig(r.extinction_ratio_db, 3),
            fmt_sig(r.rlm, 3),
            r.tdecq_db.map_or("-".into(), |t| fmt_sig(t, 3))
        );
        charts += &format!("![{}]({})\n\n", c.label, c.file);
    }
    md += &format!(
        "\nThe MZM and EML stand for DSP modules, whose transmitters pre-distort the PAM4 levels \
         (`--set driver.level_predistortion=true`): without it the MZM's cosine and the EML's \
         absorption curve compress the outer levels (RLM {} at these swings, against \
         the 0.95 that 802.3 PAM4 optics require). The ring (a linear-drive CPO transmitter) keeps its \
         Lorentzian's own spacing; the VCSEL's relaxation peaking shows as overshoot on the outer \
         levels. TDECQ is the optical power penalty against an ideal transmitter at the \
         KP4 FEC's SER 4.8e-4 after the 5-tap reference FFE; 802.3 DR4/FR4 allow 3.4 dB.\n\n",
        linear_rlm.join(", ")
    );
    Ok(md + &charts)
}
