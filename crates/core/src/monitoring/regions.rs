//! The regions an incident may be placed in, shipped as data: a short list per country, each
//! region with its tile on the monitoring map (a square at a fixed column and row, so a map is
//! drawn on the server without any geometry). A country without a list takes no region.

use crate::Country;

/// A region of a country and its tile on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// The stable code, shown by label (`v-region-<code>`).
    pub code: &'static str,
    pub col: u8,
    pub row: u8,
}

const fn r(code: &'static str, col: u8, row: u8) -> Region {
    Region { code, col, row }
}

/// The United Kingdom's twelve ITL1 regions (the former NUTS1), north to south.
const GB: &[Region] = &[
    r("scotland", 1, 0),
    r("northern_ireland", 0, 1),
    r("north_east", 2, 1),
    r("north_west", 1, 2),
    r("yorkshire_humber", 2, 2),
    r("wales", 0, 3),
    r("west_midlands", 1, 3),
    r("east_midlands", 2, 3),
    r("east_of_england", 3, 3),
    r("south_west", 1, 4),
    r("london", 2, 4),
    r("south_east", 3, 4),
];

/// The Philippines' seventeen administrative regions, Luzon to Mindanao.
const PH: &[Region] = &[
    r("ilocos", 0, 0),
    r("car", 1, 0),
    r("cagayan_valley", 2, 0),
    r("central_luzon", 1, 1),
    r("ncr", 2, 1),
    r("mimaropa", 1, 2),
    r("calabarzon", 2, 2),
    r("bicol", 3, 2),
    r("western_visayas", 1, 3),
    r("central_visayas", 2, 3),
    r("eastern_visayas", 3, 3),
    r("zamboanga_peninsula", 1, 4),
    r("northern_mindanao", 2, 4),
    r("caraga", 3, 4),
    r("barmm", 1, 5),
    r("soccsksargen", 2, 5),
    r("davao", 3, 5),
];

/// The regions of `country`, in map order; empty when Passage ships no list for it.
pub fn regions_of(country: Country) -> &'static [Region] {
    match country.as_str() {
        "GB" => GB,
        "PH" => PH,
        _ => &[],
    }
}

/// The region `code` of `country`, if it is one.
pub fn region(country: Country, code: &str) -> Option<&'static Region> {
    regions_of(country).iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn c(code: &str) -> Country {
        Country::parse(code).expect("country")
    }

    #[test]
    fn the_lists_hold_the_official_regions_each_on_its_own_tile() {
        assert_eq!(regions_of(c("GB")).len(), 12);
        assert_eq!(regions_of(c("PH")).len(), 17);
        assert!(regions_of(c("FR")).is_empty());
        for country in ["GB", "PH"] {
            let list = regions_of(c(country));
            let codes: BTreeSet<_> = list.iter().map(|r| r.code).collect();
            let tiles: BTreeSet<_> = list.iter().map(|r| (r.col, r.row)).collect();
            assert_eq!(codes.len(), list.len(), "{country}: a code twice");
            assert_eq!(
                tiles.len(),
                list.len(),
                "{country}: two regions on one tile"
            );
            for r in list {
                assert!(r.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
                assert_eq!(region(c(country), r.code), Some(r));
            }
        }
        assert_eq!(region(c("GB"), "ncr"), None);
        for code in [
            "north_east",
            "north_west",
            "yorkshire_humber",
            "east_midlands",
            "west_midlands",
            "east_of_england",
            "london",
            "south_east",
            "south_west",
            "wales",
            "scotland",
            "northern_ireland",
        ] {
            assert!(region(c("GB"), code).is_some(), "{code}");
        }
    }
}
