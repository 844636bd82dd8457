//! A standard PMD preset's link budget the 802.3 way, its maximum reach, and the same link
//! simulated (transmitter eye, TDECQ through the fiber, MPI) for the physical margin.
//!
//! `cargo run --release --example preset_budget [PRESET]` (default 400GBASE-DR4)

use photolink::budget::max_reach_m;
use photolink::prelude::*;

fn main() -> Result<()> {
    let name = std::env::args().nth(1).unwrap_or_else(|| "400GBASE-DR4".into());
    let link = preset(&name)?;
    let here = std::path::Path::new(".");
    let budget = evaluate(&link, here)?;
    for row in &budget.rows {
        println!("{:<48} {:>9.3} {:<4} {}", row.item, row.value_db, row.unit, row.source);
    }
    println!("802.3 margin {:.3} dB ({})", budget.margin_db, if budget.pass { "pass" } else { "FAIL" });
    if let Some(reach_m) = max_reach_m(&link, here, None)? {
        println!("maximum reach at zero margin: {reach_m:.0} m");
    }
    let sim = physical(&link, here)?;
    println!(
        "simulated: OMA {:.2} dBm, TDECQ {:.2} dB (ISI {:.2}, RIN {:.2}, channel {:.2}); physical margin {:.3} dB",
        sim.oma_outer_dbm, sim.tdecq_db, sim.isi_db, sim.rin_db, sim.channel_penalty_db, sim.margin_db
    );
    Ok(())
}
