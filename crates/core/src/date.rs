//! Partial dates: a date of birth is often known only as a year, or a year and a month.

use serde::{Deserialize, Serialize};
use std::fmt;

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, each part checked against the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Earliest year accepted for a date of birth or an event.
pub const MIN_YEAR: u16 = 1900;

impl PartialDate {
    /// Parses and checks a partial date; `today_year` bounds the year from above.
    pub fn parse(input: &str, today_year: u16) -> Result<PartialDate, String> {
        let bad = || format!("'{input}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
        let input = crate::numerals::ascii_digits(input);
        let parts: Vec<&str> = input.trim().split('-').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        let widths = [4, 2, 2];
        let mut nums = [0u16; 3];
        for (i, part) in parts.iter().enumerate() {
            if part.len() != widths[i] || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            nums[i] = part.parse().map_err(|_| bad())?;
        }
        let year = nums[0];
        if year < MIN_YEAR || year > today_year {
            return Err(format!("year {year} is outside {MIN_YEAR}–{today_year}"));
        }
        let month = if parts.len() >= 2 {
            Some(nums[1] as u8)
        } else {
            None
        };
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(format!("month {m} does not exist"));
        }
        let day = if parts.len() == 3 {
            Some(nums[2] as u8)
        } else {
            None
        };
        if let (Some(m), Some(d)) = (month, day)
            && (d == 0 || d > days_in_month(year, m))
        {
            return Err(format!("{input} does not exist in the calendar"));
        }
        Ok(PartialDate { year, month, day })
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PartialDate::parse(&value, 9999)
    }
}

impl From<PartialDate> for String {
    fn from(d: PartialDate) -> String {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A date typed in Arabic-Indic or Persian digits, with the Arabic date separator, reads
    /// as the date it is.
    #[test]
    fn dates_in_other_scripts_read_as_typed() {
        let a = PartialDate::parse("١٩٩٤-٠٣-١٧", 2026).expect("Arabic-Indic");
        let b = PartialDate::parse("۱۹۹۴\u{060D}۰۳\u{060D}۱۷", 2026).expect("Persian");
        let c = PartialDate::parse("1994-03-17", 2026).expect("ASCII");
        assert_eq!((a, b), (c, c));
        assert_eq!(
            crate::casework::calendar::Day::parse("٢٠٢٦-١٢-٠٦").map(|d| d.to_string()),
            Some("2026-12-06".to_string())
        );
    }

    #[test]
    fn accepts_the_three_precisions() {
        assert_eq!(
            PartialDate::parse("1990", 2026).map(|d| d.to_string()),
            Ok("1990".into())
        );
        assert_eq!(
            PartialDate::parse("1990-07", 2026).map(|d| d.to_string()),
            Ok("1990-07".into())
        );
        assert_eq!(
            PartialDate::parse("2000-02-29", 2026).map(|d| d.to_string()),
            Ok("2000-02-29".into())
        );
    }

    #[test]
    fn rejects_what_the_calendar_does_not_have() {
        for bad in [
            "",
            "90",
            "1990-7",
            "1990-13",
            "1990-00",
            "1900-02-29",
            "2023-04-31",
            "3000",
            "1990-01-01-01",
            "199O",
            "1850",
        ] {
            assert!(PartialDate::parse(bad, 2026).is_err(), "{bad} accepted");
        }
    }

    proptest! {
        #[test]
        fn display_round_trips(y in 1900u16..=2026, m in 1u8..=12, d in 1u8..=31) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            match PartialDate::parse(&text, 2026) {
                Ok(date) => { prop_assert!(d <= days_in_month(y, m)); prop_assert_eq!(date.to_string(), text); }
                Err(_) => prop_assert!(d > days_in_month(y, m)),
            }
        }
    }
}
