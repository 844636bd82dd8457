//! Invariants of the physical models (proptest).

use photolink::channel::{Budgets, Medium, reach_table};
use photolink::signal::Modulation;
use photolink::units::{Quantity, parse, parse_list};
use proptest::prelude::*;

fn media() -> Vec<Medium> {
    Medium::catalogue()
}

proptest! {
    /// Passivity and monotonicity: loss >= 0, and non-decreasing in length and in frequency.
    #[test]
    fn loss_is_passive_and_monotone(
        idx in 0usize..13, f in 1e6f64..110e9, df in 0f64..50e9, l in 0f64..1000.0, dl in 0f64..1000.0,
    ) {
        let m = &media()[idx % media().len()];
        let base = m.loss_db(f, l);
        prop_assert!(base >= 0.0);
        prop_assert!(m.loss_db(f, l + dl) >= base);
        prop_assert!(m.loss_db(f + df, l) >= base - 1e-12);
        // The electrical response is passive too.
        let h = m.response(&[f], l).unwrap().h[0].norm();
        prop_assert!(h <= 1.0 + 1e-12);
    }

    /// Reach never grows with lane rate.
    #[test]
    fn reach_decreases_with_rate(idx in 0usize..13, r in 1e9f64..400e9, factor in 1.0f64..4.0, budget in 1f64..40.0) {
        let m = vec![media()[idx % media().len()].clone()];
        let b = Budgets { copper_db: budget, fiber_db: budget };
        let rs = reach_table(&m, &[r, r * factor], Modulation::Pam4, b, &[]).unwrap();
        prop_assert!(rs[1].reach_m <= rs[0].reach_m * (1.0 + 1e-12));
    }

    /// The unit parsers never panic on arbitrary text.
    #[test]
    fn parsers_never_panic(s in "\\PC{0,24}") {
        let _ = parse(&s, "f", Quantity::Length);
        let _ = parse_list(&s, "f", Quantity::Frequency);
        let _ = photolink::units::parse_power_dbm(&s, "f");
    }
}
