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
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/` or `.`, or `YYYYMMDD`); an
    /// empty value is `None`. A value of the wrong shape is an error that names the shape, not
    /// the value. A well-shaped value with an impossible part keeps what it can: a month above
    /// 12 with a day up to 12 is read as day and month swapped, otherwise an impossible month
    /// leaves the year and an impossible day leaves the year and month (registers write
    /// `00` for an unknown part).
    pub fn parse(s: &str) -> Result<Option<PartialDate>, LinkageError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let bad = || LinkageError::BadDate {
            expected: "YYYY, YYYY-MM or YYYY-MM-DD",
        };
        let compact;
        let parts: Vec<&str> = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            compact = [&s[0..4], &s[4..6], &s[6..8]];
            compact.to_vec()
        } else {
            s.split(['-', '/', '.']).collect()
        };
        if parts.len() > 3 || parts[0].len() != 4 {
            return Err(bad());
        }
        let num = |p: &str, len: usize| -> Result<u32, LinkageError> {
            if !p.bytes().all(|b| b.is_ascii_digit()) || p.is_empty() || p.len() > len {
                return Err(bad());
            }
            p.parse::<u32>().map_err(|_| bad())
        };
        let year = num(parts[0], 4)?;
        let mut month = if parts.len() > 1 {
            num(parts[1], 2)?
        } else {
            0
        };
        let mut day = if parts.len() > 2 {
            num(parts[2], 2)?
        } else {
            0
        };
        if year == 0 {
            return Ok(None);
        }
        if month > 12 && (1..=12).contains(&day) {
            std::mem::swap(&mut month, &mut day);
        }
        if month == 0 || month > 12 {
            month = 0;
            day = 0;
        }
        if day > 31 {
            day = 0;
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
    if a.year.abs_diff(b.year) <= 1 {
        return 4;
    }
    5
}

/// Two numbers written with one digit different or two adjacent digits swapped.
fn digit_typo(a: u32, b: u32) -> bool {
    let digits = |mut v: u32| {
        let mut d = [0u8; 4];
        for k in (0..4).rev() {
            d[k] = (v % 10) as u8;
            v /= 10;
        }
        d
    };
    if a > 9999 || b > 9999 {
        return false;
    }
    let (a, b) = (digits(a), digits(b));
    let mut diff = [0usize; 4];
    let mut n = 0;
    for i in 0..4 {
        if a[i] != b[i] {
            diff[n] = i;
            n += 1;
        }
    }
    match n {
        1 => true,
        2 => {
            let (i, j) = (diff[0], diff[1]);
            j == i + 1 && a[i] == b[j] && a[j] == b[i]
        }
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
        assert_eq!(d("19900507"), d("1990-05-07"));
        assert_eq!(d("1990-13"), d("1990"));
        assert_eq!(d("1990-00-01"), d("1990"));
        assert_eq!(d("1990-05-00"), d("1990-05"));
        assert_eq!(d("1990-25-05"), d("1990-05-25"));
        for bad in [
            "90",
            "07/05/1990",
            "abcd",
            "1990-05-07-1",
            "1990-5x",
            "199O",
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
        assert_eq!(compare(d("1990-05"), d("1991-05")), 4);
        assert_eq!(compare(d("1985"), d("1975")), 5);
        assert_eq!(compare(d("1990-05-07"), d("1975-05-07")), 5);
    }
}
