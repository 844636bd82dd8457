//! Watts per port and pJ/bit of every architecture at an 800G port (8 × 100G PAM4 lanes), with
//! the largest terms of each breakdown, and the same with a more efficient laser.
//!
//! `cargo run --release --example power_comparison`

use photolink::prelude::*;

fn main() -> Result<()> {
    let port = PortSpec::new(800e9, 8, Modulation::Pam4)?;
    let defaults = PowerParams::default();
    println!("{:<14} {:>9} {:>10}  largest terms", "architecture", "W/port", "pJ/bit");
    for r in photolink::power::evaluate_all(&Architecture::ALL, &port, &defaults)? {
        let mut terms: Vec<(&str, f64)> =
            photolink::power::Breakdown::NAMES.iter().copied().zip(r.breakdown.values()).collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top: Vec<String> = terms.iter().take(3).map(|(n, w)| format!("{n} {w:.2} W")).collect();
        println!("{:<14} {:>9.2} {:>10.2}  {}", r.name, r.watts_per_port, r.pj_per_bit, top.join(", "));
    }
    // Any parameter can be changed as `section.field=value`, as `photolink power --set` does.
    let mut better_laser = defaults.clone();
    better_laser.set("laser.wpe=0.3")?;
    better_laser.validate(&photolink::power::Origin::default())?;
    let cpo = photolink::power::evaluate(Architecture::Cpo, &port, &better_laser)?;
    println!("CPO with a 30 % wall-plug-efficient laser: {:.2} pJ/bit", cpo.pj_per_bit);
    Ok(())
}
