//! The statistical facts of a case: the few coarse values figures are made of, and nothing that
//! names anyone. The store keeps one fact row per case, refreshed at each daily release, and
//! every figure is counted from those rows, never from the sealed record.
//!
//! Coarse on purpose, in the conventions of the CTDC global dataset: an age band at the case's
//! opening (0–8, 9–17, 18–20, 21–23, 24–26, 27–29, 30–38, 39–47, 48+), one citizenship (the
//! first recorded, `ZZ` when none), a sex in the HTCDS picklist or `unknown`.

use passage_core::Sex;
use passage_core::casework::calendar::Day;
use passage_core::date::PartialDate;

/// CTDC's age bands, youngest first, with their lower bounds.
pub const AGE_BANDS: [(&str, u32); 9] = [
    ("0-8", 0),
    ("9-17", 9),
    ("18-20", 18),
    ("21-23", 21),
    ("24-26", 24),
    ("27-29", 27),
    ("30-38", 30),
    ("39-47", 39),
    ("48+", 48),
];

/// What a value is when it is not known (CTDC writes `-99` in its files; the figures say
/// `unknown`).
pub const UNKNOWN: &str = "unknown";
/// The citizenship of nobody known (ISO 3166 user-assigned, as CTDC).
pub const NO_CITIZENSHIP: &str = "ZZ";

/// The band of an age in whole years.
pub fn age_band(age: u32) -> &'static str {
    AGE_BANDS
        .iter()
        .rev()
        .find(|(_, from)| age >= *from)
        .map_or(AGE_BANDS[0].0, |(band, _)| band)
}

/// The age band on `on` of someone born on `dob` (a partial date: a year alone is read as the
/// middle of that year, a month alone as its 15th), or `unknown` when the date of birth is
/// missing, unreadable or after `on`.
pub fn age_band_on(dob: Option<&str>, on: Day) -> &'static str {
    let (y, m, d) = on.ymd();
    let Ok(year) = u16::try_from(y) else {
        return UNKNOWN;
    };
    let Some(born) = dob.and_then(|t| PartialDate::parse(t, year).ok()) else {
        return UNKNOWN;
    };
    let (bm, bd) = match (born.month, born.day) {
        (Some(m), Some(d)) => (u32::from(m), u32::from(d)),
        (Some(m), None) => (u32::from(m), 15),
        _ => (7, 1),
    };
    let mut age = i64::from(year) - i64::from(born.year);
    if (m, d) < (bm, bd) {
        age -= 1;
    }
    u32::try_from(age).map_or(UNKNOWN, age_band)
}

/// The sex of a fact: the HTCDS value, or `unknown` (which "not specified or unknown" joins).
pub fn sex(value: Option<&str>) -> &'static str {
    match value.and_then(Sex::parse_lenient) {
        None | Some(Sex::NonSpecifiedUnknown) => UNKNOWN,
        Some(s) => s.as_str(),
    }
}

/// The citizenship of a fact: the first recorded ISO alpha-2 code, or `ZZ`.
pub fn citizenship(values: &[String]) -> String {
    values
        .iter()
        .find_map(|c| passage_core::Country::parse(c.trim()))
        .map_or_else(|| NO_CITIZENSHIP.to_string(), |c| c.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn bands_follow_ctdc() {
        assert_eq!(age_band(0), "0-8");
        assert_eq!(age_band(8), "0-8");
        assert_eq!(age_band(9), "9-17");
        assert_eq!(age_band(17), "9-17");
        assert_eq!(age_band(18), "18-20");
        assert_eq!(age_band(29), "27-29");
        assert_eq!(age_band(47), "39-47");
        assert_eq!(age_band(48), "48+");
        assert_eq!(age_band(90), "48+");
    }

    #[test]
    fn ages_are_taken_on_the_day_and_partial_dates_are_read_in_the_middle() {
        let on = day("2026-06-10");
        assert_eq!(
            age_band_on(Some("2008-06-10"), on),
            "18-20",
            "birthday today"
        );
        assert_eq!(age_band_on(Some("2008-06-11"), on), "9-17", "not yet 18");
        assert_eq!(
            age_band_on(Some("2008"), on),
            "9-17",
            "mid-2008: 17 in June"
        );
        assert_eq!(age_band_on(Some("2008-05"), on), "18-20");
        assert_eq!(age_band_on(None, on), UNKNOWN);
        assert_eq!(
            age_band_on(Some("1968-|2-23"), on),
            UNKNOWN,
            "unreadable is unknown"
        );
        assert_eq!(age_band_on(Some("2027"), on), UNKNOWN, "not born yet");
    }

    #[test]
    fn sex_and_citizenship_are_coarse() {
        assert_eq!(sex(Some("female")), "feminine");
        assert_eq!(sex(Some("non_specified_unknown")), UNKNOWN);
        assert_eq!(sex(Some("??")), UNKNOWN);
        assert_eq!(sex(None), UNKNOWN);
        assert_eq!(citizenship(&["xx".into(), "PH".into(), "GB".into()]), "PH");
        assert_eq!(citizenship(&[]), NO_CITIZENSHIP);
    }

    proptest! {
        /// Every age has exactly one band, and older never means a younger band.
        #[test]
        fn bands_are_ordered(a in 0u32..130, b in 0u32..130) {
            let idx = |x: u32| AGE_BANDS.iter().position(|(band, _)| *band == age_band(x)).unwrap();
            if a <= b { prop_assert!(idx(a) <= idx(b)); }
        }
    }
}
