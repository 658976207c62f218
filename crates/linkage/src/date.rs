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

/// How a date of birth was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateReading {
    /// No value.
    Empty,
    /// Read as written (a part written `00` is an unknown part, not an error; a month above 12
    /// with a day up to 12 is read as day and month swapped).
    Read(PartialDate),
    /// Well shaped but impossible as written (a 13th month, 30 February, a 32nd day): the
    /// possible parts are kept — the year, or the year and month.
    Impossible(PartialDate),
    /// Not a date at all: a damaged digit (`1968-|2-23`), a year before the common era
    /// (`-0044-03-15`, `44 BC`), another shape (`07/05/1990`). Nothing is kept: for
    /// comparison the date is missing.
    Unreadable,
}

impl DateReading {
    /// The date kept for comparison (the default, a missing date, when nothing is kept).
    pub fn kept(self) -> PartialDate {
        match self {
            DateReading::Read(d) | DateReading::Impossible(d) => d,
            DateReading::Empty | DateReading::Unreadable => PartialDate::default(),
        }
    }

    /// Whether the value was there but could not be read in full as written.
    pub fn is_unreadable(self) -> bool {
        matches!(self, DateReading::Impossible(_) | DateReading::Unreadable)
    }
}

/// Days in `month` of `year` (proleptic Gregorian), 0 for a month outside 1–12.
fn days_in_month(year: u32, month: u32) -> u32 {
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

impl PartialDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also with `/` or `.`, or `YYYYMMDD`), saying
    /// whether the value was read as written, read in part, or not at all. Never fails: a
    /// register with a damaged value is still compared on everything else.
    pub fn read(s: &str) -> DateReading {
        let s = s.trim();
        if s.is_empty() {
            return DateReading::Empty;
        }
        let compact;
        let parts: Vec<&str> = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            compact = [&s[0..4], &s[4..6], &s[6..8]];
            compact.to_vec()
        } else {
            s.split(['-', '/', '.']).collect()
        };
        if parts.len() > 3 || parts[0].len() != 4 {
            return DateReading::Unreadable;
        }
        let num = |p: &str, len: usize| -> Option<u32> {
            if !p.bytes().all(|b| b.is_ascii_digit()) || p.is_empty() || p.len() > len {
                return None;
            }
            p.parse::<u32>().ok()
        };
        let year = num(parts[0], 4);
        let month = if parts.len() > 1 {
            num(parts[1], 2)
        } else {
            Some(0)
        };
        let day = if parts.len() > 2 {
            num(parts[2], 2)
        } else {
            Some(0)
        };
        let (Some(year), Some(mut month), Some(mut day)) = (year, month, day) else {
            return DateReading::Unreadable;
        };
        if year == 0 {
            // `0000`: the register's way of writing an unknown year.
            return DateReading::Empty;
        }
        if month > 12 && (1..=12).contains(&day) {
            std::mem::swap(&mut month, &mut day);
        }
        let mut impossible = false;
        if month > 12 {
            impossible = true;
            month = 0;
            day = 0;
        } else if month == 0 {
            // An unknown month makes the day meaningless.
            day = 0;
        }
        if month != 0 && day > days_in_month(year, month) {
            impossible = true;
            day = 0;
        }
        let d = PartialDate {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        };
        if impossible {
            DateReading::Impossible(d)
        } else {
            DateReading::Read(d)
        }
    }

    /// Parses like [`PartialDate::read`], keeping what it can of an impossible value; an empty
    /// value is `None`. A value that is not a date is an error that names the shape, not the
    /// value.
    pub fn parse(s: &str) -> Result<Option<PartialDate>, LinkageError> {
        match PartialDate::read(s) {
            DateReading::Empty => Ok(None),
            DateReading::Read(d) | DateReading::Impossible(d) => Ok(Some(d)),
            DateReading::Unreadable => Err(LinkageError::BadDate {
                expected: "YYYY, YYYY-MM or YYYY-MM-DD",
            }),
        }
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
    fn noisy_dates_are_read_without_failing() {
        let full = |y, m, d| PartialDate {
            year: y,
            month: m,
            day: d,
        };
        // Damaged by character recognition, before the common era, another shape: nothing kept.
        for bad in [
            "1968-|2-23",
            "-0044-03-15",
            "44 BC",
            "0044 BC",
            "07/05/1990",
            "199O-05-07",
            "1990-05-07-1",
        ] {
            assert_eq!(PartialDate::read(bad), DateReading::Unreadable, "{bad}");
            assert!(PartialDate::read(bad).is_unreadable());
            assert_eq!(PartialDate::read(bad).kept(), PartialDate::default());
        }
        // Impossible as written: the possible parts are kept, and the value still counts as
        // unreadable.
        assert_eq!(
            PartialDate::read("2023-02-30"),
            DateReading::Impossible(full(2023, 2, 0))
        );
        assert_eq!(
            PartialDate::read("2023-02-29"),
            DateReading::Impossible(full(2023, 2, 0))
        );
        assert_eq!(
            PartialDate::read("1990-04-31"),
            DateReading::Impossible(full(1990, 4, 0))
        );
        assert_eq!(
            PartialDate::read("1990-13"),
            DateReading::Impossible(full(1990, 0, 0))
        );
        assert!(PartialDate::read("2023-02-30").is_unreadable());
        // Real dates, unknown parts and a swapped day and month are read.
        assert_eq!(
            PartialDate::read("2024-02-29"),
            DateReading::Read(full(2024, 2, 29))
        );
        assert_eq!(
            PartialDate::read("2000-02-29"),
            DateReading::Read(full(2000, 2, 29))
        );
        assert_eq!(
            PartialDate::read("1900-02-29"),
            DateReading::Impossible(full(1900, 2, 0))
        );
        assert_eq!(
            PartialDate::read("1990-00-00"),
            DateReading::Read(full(1990, 0, 0))
        );
        assert_eq!(
            PartialDate::read("1990-25-05"),
            DateReading::Read(full(1990, 5, 25))
        );
        assert_eq!(PartialDate::read("  "), DateReading::Empty);
        assert_eq!(PartialDate::read("0000"), DateReading::Empty);
        assert!(!PartialDate::read("1990-05-07").is_unreadable());
    }

    #[test]
    fn an_unreadable_date_compares_as_missing() {
        use crate::compare::level::MISSING;
        let unreadable = PartialDate::read("1968-|2-23").kept();
        assert_eq!(compare(unreadable, d("1968-12-23")), MISSING);
        assert_eq!(compare(unreadable, unreadable), MISSING);
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
