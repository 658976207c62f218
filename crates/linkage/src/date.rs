//! Partial dates of birth: a year, a year and month, or a full date.

use crate::LinkageError;

/// A date of birth known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PartialDate {
    /// Year (0 when unknown: the date is missing).
    pub year: u16,
    /// Month 1–12, 0 when unknown.
    pub month: u8,
    /// Day 1–31, 0 when unknown.
    pub day: u8,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/` or `.`); an empty value is
    /// `None`. Anything else is an error that names the value's shape, not the value.
    pub fn parse(s: &str) -> Result<Option<PartialDate>, LinkageError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let bad = || LinkageError::BadDate {
            expected: "YYYY, YYYY-MM or YYYY-MM-DD",
        };
        let num = |p: &str, len: usize| -> Result<u32, LinkageError> {
            if p.len() != len && !(len == 2 && p.len() == 1) {
                return Err(bad());
            }
            p.parse::<u32>().map_err(|_| bad())
        };
        if parts.len() > 3 || parts[0].len() != 4 {
            return Err(bad());
        }
        let year = num(parts[0], 4)?;
        let month = if parts.len() > 1 {
            num(parts[1], 2)?
        } else {
            0
        };
        let day = if parts.len() > 2 {
            num(parts[2], 2)?
        } else {
            0
        };
        if year == 0 || month > 12 || day > 31 || (parts.len() > 1 && month == 0) {
            return Err(bad());
        }
        if parts.len() > 2 && day == 0 {
            return Err(bad());
        }
        Ok(Some(PartialDate {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        }))
    }

    /// Whether the date is known to the day.
    pub fn is_full(&self) -> bool {
        self.year != 0 && self.month != 0 && self.day != 0
    }
}

/// Agreement levels of two dates of birth, strongest first.
pub(crate) fn compare(a: PartialDate, b: PartialDate) -> u8 {
    use crate::compare::level::*;
    if a.year == 0 || b.year == 0 {
        return MISSING;
    }
    if a.is_full() && b.is_full() {
        if a == b {
            return 0;
        }
        let swapped = a.year == b.year && a.month == b.day && a.day == b.month;
        let one_off =
            (a.year != b.year) as u8 + (a.month != b.month) as u8 + (a.day != b.day) as u8 == 1
                && (a.year == b.year || digit_typo(a.year as u32, b.year as u32))
                && (a.month == b.month || digit_typo(a.month as u32, b.month as u32))
                && (a.day == b.day || digit_typo(a.day as u32, b.day as u32));
        if swapped || one_off {
            return 1;
        }
    }
    if a.year == b.year {
        if a.month != 0 && a.month == b.month {
            return 2;
        }
        return 3;
    }
    if a.year.abs_diff(b.year) <= 1 || digit_typo(a.year as u32, b.year as u32) {
        if a.month != 0 && a.month == b.month && a.day == b.day {
            return 1;
        }
        return 4;
    }
    5
}

/// Two numbers written with one digit different or two adjacent digits swapped.
fn digit_typo(a: u32, b: u32) -> bool {
    let (a, b) = (format!("{a:04}"), format!("{b:04}"));
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// Names of the date levels, strongest first.
pub(crate) const LEVELS: &[&str] = &[
    "exact",
    "typo or day/month swapped",
    "year and month",
    "year only",
    "year off by one",
    "disagree",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap().unwrap()
    }

    #[test]
    fn parses_partial_dates() {
        assert_eq!(
            d("1990"),
            PartialDate {
                year: 1990,
                month: 0,
                day: 0
            }
        );
        assert_eq!(
            d("1990-05"),
            PartialDate {
                year: 1990,
                month: 5,
                day: 0
            }
        );
        assert_eq!(
            d("1990-05-07"),
            PartialDate {
                year: 1990,
                month: 5,
                day: 7
            }
        );
        assert_eq!(PartialDate::parse("").unwrap(), None);
        for bad in [
            "90",
            "1990-13",
            "1990-00-01",
            "07/05/1990",
            "abcd",
            "1990-05-07-1",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn levels() {
        assert_eq!(compare(d("1990-05-07"), d("1990-05-07")), 0);
        assert_eq!(compare(d("1990-05-07"), d("1990-07-05")), 1);
        assert_eq!(compare(d("1990-05-07"), d("1990-05-17")), 1);
        assert_eq!(compare(d("1990-05-07"), d("1909-05-07")), 1);
        assert_eq!(compare(d("1990-05-07"), d("1990-05")), 2);
        assert_eq!(compare(d("1990-05-07"), d("1990")), 3);
        assert_eq!(compare(d("1990"), d("1990")), 3);
        assert_eq!(compare(d("1990-05-07"), d("1991-02-01")), 4);
        assert_eq!(compare(d("1990-05-07"), d("1975-05-07")), 5);
    }
}
