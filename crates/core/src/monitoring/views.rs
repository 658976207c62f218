//! What the monitoring views publish: counts only, across organisations, each dimension
//! (region, month, kind, bias motive, place type, perpetrator type) suppressed on its own by
//! [`crate::stats::suppress`] with the deployment's k — the same helper and threshold as the
//! statistics page — so a count under k reads "fewer than k" and, when a dimension would hide
//! only one cell, a second is hidden with it. No total is published: with the cells of a
//! dimension it would give a lone hidden cell back (the differencing attack). The filters are
//! checked here, and the months a trend covers listed.

use crate::casework::calendar::{Day, date_field};
use crate::stats::{Cell, suppress};
use crate::validate::Problems;
use crate::{Country, ErrorCode};

/// The most months a trend shows.
pub const MONTHS_MAX: usize = 120;

/// The filters of a list or a view, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFilter {
    pub country: String,
    pub from: String,
    pub to: String,
}

/// Checked filters: a country, and the first and last day (inclusive) of the events counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    pub country: Option<Country>,
    pub from: Option<Day>,
    pub to: Option<Day>,
}

impl RawFilter {
    pub fn validate(&self) -> Result<Filter, Problems> {
        let mut p = Problems::default();
        let country = match self.country.trim() {
            "" => Some(None),
            c => match Country::parse(c) {
                Some(c) => Some(Some(c)),
                None => {
                    p.add(
                        "country",
                        ErrorCode::InvalidCountry,
                        "country must be an ISO 3166-1 alpha-2 code such as GB",
                    );
                    None
                }
            },
        };
        let from = date_field(&mut p, "from", &self.from, false);
        let to = date_field(&mut p, "to", &self.to, false);
        if let (Some(Some(f)), Some(Some(t))) = (from, to)
            && t < f
        {
            p.add("to", ErrorCode::InvalidValue, "to must not be before from");
        }
        match (country, from, to) {
            (Some(country), Some(from), Some(to)) if p.0.is_empty() => {
                Ok(Filter { country, from, to })
            }
            _ => Err(p),
        }
    }
}

/// Publishes one dimension's counts: [`suppress`] with `k`, nothing else.
pub fn publish(counts: &[(String, u64)], k: u64) -> Vec<Cell> {
    suppress(counts, k)
}

/// The months (`YYYY-MM`) from `from`'s to `to`'s, at most [`MONTHS_MAX`] (the latest kept).
pub fn months(from: Day, to: Day) -> Vec<String> {
    let month = |d: Day| {
        let (y, m, _) = d.ymd();
        y * 12 + i64::from(m) - 1
    };
    let (a, b) = (month(from), month(to));
    let start = a.max(b - MONTHS_MAX as i64 + 1);
    (start..=b)
        .map(|n| format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1))
        .collect()
}

/// The shade (0 to 4) of a map tile: 0 for nothing, 1 for a suppressed count, and 2 to 4 by
/// the count's share of the largest published one.
pub fn shade(count: Option<u64>, max: u64) -> u8 {
    match count {
        Some(0) => 0,
        None => 1,
        Some(n) if max == 0 => u8::from(n > 0) * 2,
        Some(n) => match n * 3 / max.max(1) {
            0 => 2,
            1 => 3,
            _ => 4,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn counts(v: &[u64]) -> Vec<(String, u64)> {
        v.iter()
            .enumerate()
            .map(|(i, n)| (format!("r{i}"), *n))
            .collect()
    }

    #[test]
    fn filters_name_each_bad_field() {
        let f = RawFilter {
            country: "gb".into(),
            from: "2026-01-01".into(),
            to: String::new(),
        }
        .validate()
        .expect("valid");
        assert_eq!(
            f.country.map(|c| c.as_str().to_string()).as_deref(),
            Some("GB")
        );
        assert_eq!(f.to, None);
        let p = RawFilter {
            country: "Atlantis".into(),
            from: "2026-02-01".into(),
            to: "2026-01-01".into(),
        }
        .validate()
        .expect_err("bad");
        let got: Vec<&str> = p.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(got, ["country", "to"]);
    }

    #[test]
    fn months_cover_the_range() {
        let d = |s: &str| Day::parse(s).expect("day");
        assert_eq!(
            months(d("2025-11-20"), d("2026-02-03")),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert_eq!(months(d("2000-01-01"), d("2026-02-03")).len(), MONTHS_MAX);
        assert!(months(d("2026-03-01"), d("2026-02-03")).is_empty());
    }

    #[test]
    fn a_lone_small_region_takes_a_second_with_it() {
        // London 12, Wales 3, Scotland 0: Wales is under k, and with no total published
        // London is hidden with it, so no difference gives Wales back.
        let out = publish(&counts(&[12, 3, 0]), 10);
        let shown: Vec<Option<u64>> = out.iter().map(|c| c.count).collect();
        assert_eq!(shown, [None, None, Some(0)]);
    }

    #[test]
    fn shades_rise_with_the_count() {
        assert_eq!(shade(Some(0), 40), 0);
        assert_eq!(shade(None, 40), 1);
        assert_eq!(shade(Some(10), 40), 2);
        assert_eq!(shade(Some(20), 40), 3);
        assert_eq!(shade(Some(40), 40), 4);
    }

    proptest! {
        /// The differencing attack: whoever knows a dimension's true total (from another
        /// dimension, or a total published somewhere) and subtracts every published cell learns
        /// only the sum of the hidden ones. That sum is never one hidden cell's count unless the
        /// total itself is under k, when every dimension hides it too.
        #[test]
        fn no_hidden_cell_is_recovered_by_difference(
            v in proptest::collection::vec(0u64..30, 1..14),
            k in 2u64..15,
        ) {
            let out = publish(&counts(&v), k);
            let total: u64 = v.iter().sum();
            let published: u64 = out.iter().filter_map(|c| c.count).sum();
            let hidden: Vec<u64> = out
                .iter()
                .zip(&v)
                .filter(|(c, _)| c.suppressed)
                .map(|(_, n)| *n)
                .collect();
            prop_assert_eq!(total - published, hidden.iter().sum::<u64>());
            for (c, n) in out.iter().zip(&v) {
                if let Some(shown) = c.count {
                    prop_assert!(shown == 0 || shown >= k);
                    prop_assert_eq!(shown, *n);
                } else {
                    prop_assert!(*n > 0);
                }
            }
            if hidden.len() == 1 {
                prop_assert!(total < k, "a lone hidden cell with a total of {} ≥ k", total);
            }
        }
    }
}
