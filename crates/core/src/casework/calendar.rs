//! Civil-date arithmetic for deadlines: days since 1970-01-01, ISO dates, weekdays and working
//! days. Proleptic Gregorian calendar (days-from-civil algorithm).

/// A calendar date, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Day> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (i64::from(m) + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Day> {
        let s = crate::numerals::ascii_digits(s);
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let t = std::str::from_utf8(&b[r]).ok()?;
            t.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| t.parse().ok())?
        };
        Day::from_ymd(num(0..4)?, num(5..7)? as u32, num(8..10)? as u32)
    }

    /// The day a Unix time in milliseconds falls on (UTC).
    pub fn from_unix_ms(ms: i64) -> Day {
        Day(ms.div_euclid(86_400_000))
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    pub fn plus_days(self, n: i64) -> Day {
        Day(self.0 + n)
    }

    /// The same day of the month `n` months later, or the month's last day if it is shorter.
    pub fn plus_months(self, n: i64) -> Day {
        let (y, m, d) = self.ymd();
        let total = y * 12 + i64::from(m) - 1 + n;
        let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
        Day::from_ymd(y, m, d.min(days_in_month(y, m))).unwrap_or(self)
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// `n` working days later: Saturdays, Sundays and `holidays` do not count.
    pub fn plus_working_days(self, n: u32, holidays: &[Day]) -> Day {
        let mut day = self;
        let mut left = n;
        while left > 0 {
            day = day.plus_days(1);
            if day.weekday() < 5 && !holidays.contains(&day) {
                left -= 1;
            }
        }
        day
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether a typed date (YYYY-MM-DD) is a day before `today`: a due date there is asked to be
/// confirmed before it is saved. Text that is not a date is not in the past (it is refused as
/// a date elsewhere).
pub fn is_past(typed: &str, today: Day) -> bool {
    Day::parse(typed.trim()).is_some_and(|d| d < today)
}

/// Checks a date field (YYYY-MM-DD); `None` after recording the problem.
pub fn date_field(
    problems: &mut crate::validate::Problems,
    field: &str,
    value: &str,
    required: bool,
) -> Option<Option<Day>> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            problems.add(
                field,
                crate::ErrorCode::Required,
                format!("{field} is required"),
            );
            return None;
        }
        return Some(None);
    }
    match Day::parse(v) {
        Some(d) if (1900..=2200).contains(&d.ymd().0) => Some(Some(d)),
        _ => {
            problems.add(
                field,
                crate::ErrorCode::InvalidDate,
                format!("{field} must be a date written YYYY-MM-DD"),
            );
            None
        }
    }
}

/// A required date as typed (a new due date, say), validated before the store sees it.
pub fn required_date(field: &str, value: &str) -> Result<Day, crate::validate::Problems> {
    let mut p = crate::validate::Problems::default();
    match date_field(&mut p, field, value, true) {
        Some(Some(day)) => Ok(day),
        _ => Err(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_day_before_today_is_past() {
        let today = Day::parse("2026-03-10").expect("day");
        assert!(is_past("2026-03-09", today));
        assert!(is_past(" 2025-12-31 ", today));
        assert!(!is_past("2026-03-10", today));
        assert!(!is_past("2026-03-11", today));
        assert!(!is_past("", today));
        assert!(!is_past("yesterday", today));
    }
    use proptest::prelude::*;

    #[test]
    fn known_dates() {
        assert_eq!(Day::parse("1970-01-01"), Some(Day(0)));
        assert_eq!(Day::parse("2026-11-28").map(|d| d.weekday()), Some(5));
        assert_eq!(Day::parse("2024-02-30"), None);
        assert_eq!(Day::parse("2024-2-3"), None);
        let d = Day::parse("2026-01-31").unwrap();
        assert_eq!(d.plus_months(1).to_string(), "2026-02-28");
        assert_eq!(d.plus_days(30).to_string(), "2026-03-02");
        // Friday + 5 working days = the next Friday; a holiday pushes it to Monday.
        let fri = Day::parse("2026-12-18").unwrap();
        assert_eq!(fri.plus_working_days(5, &[]).to_string(), "2026-12-25");
        let xmas = Day::parse("2026-12-25").unwrap();
        assert_eq!(fri.plus_working_days(5, &[xmas]).to_string(), "2026-12-28");
    }

    proptest! {
        #[test]
        fn ymd_round_trips(n in -800_000i64..800_000) {
            let (y, m, d) = Day(n).ymd();
            prop_assert_eq!(Day::from_ymd(y, m, d), Some(Day(n)));
            let printable = (0..10_000).contains(&y);
            prop_assert_eq!(Day::parse(&Day(n).to_string()).filter(|_| printable), printable.then_some(Day(n)));
        }

        #[test]
        fn working_days_never_land_on_a_weekend(n in 0i64..30_000, k in 1u32..40) {
            let end = Day(n).plus_working_days(k, &[]);
            prop_assert!(end.weekday() < 5);
            prop_assert!(end.0 - n >= i64::from(k) && end.0 - n <= i64::from(k) + 2 * (i64::from(k) / 5 + 1));
        }
    }
}

#[cfg(test)]
mod required_date_tests {
    use super::*;

    #[test]
    fn a_required_date_is_present_well_formed_and_plausible() {
        assert_eq!(
            required_date("due_on", " 2099-05-05 ").ok(),
            Day::from_ymd(2099, 5, 5)
        );
        for bad in ["", "next week", "1850-01-01", "2099-02-30"] {
            let p = required_date("due_on", bad).expect_err(bad);
            assert_eq!(p.0[0].field, "due_on", "{bad}");
        }
    }
}
