//! Retention of closed cases: the deployment keeps a closed case for a number of years and its
//! attachments for a number of days after closing; then the purge erases them. Pure: the
//! instants before which a closing is old enough, from the store's clock.

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// How long closed cases and their attachments are kept (configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRetention {
    /// A closed case (its person, notes, attachments, name index) is erased this many years
    /// after it was closed.
    pub case_years: u32,
    /// A closed case's attachments are erased this many days after it was closed (earlier
    /// than the rest: files are the bulkiest and most sensitive part).
    pub attachment_days: u32,
}

impl Default for CaseRetention {
    /// Seven years for a closed case (long enough for proceedings, appeals and compensation
    /// claims that follow a trafficking case); one year for its attachments.
    fn default() -> Self {
        CaseRetention {
            case_years: 7,
            attachment_days: 365,
        }
    }
}

impl CaseRetention {
    /// A case closed before this instant (Unix milliseconds) has outlived its retention.
    /// A year is counted as 365 days and a quarter, so leap days never shorten it.
    pub fn case_cutoff(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(i64::from(self.case_years).saturating_mul(365 * DAY_MS + DAY_MS / 4))
    }

    /// A closed case's attachments closed before this instant are erased.
    pub fn attachment_cutoff(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(i64::from(self.attachment_days).saturating_mul(DAY_MS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_is_kept_its_full_years_leap_days_included() {
        let r = CaseRetention {
            case_years: 4,
            attachment_days: 30,
        };
        let now = 10_000 * DAY_MS;
        // Four calendar years always hold 1,461 days at most: the cutoff is never later.
        assert_eq!(r.case_cutoff(now), now - 1_461 * DAY_MS);
        assert_eq!(r.attachment_cutoff(now), now - 30 * DAY_MS);
    }

    #[test]
    fn cutoffs_never_overflow() {
        let r = CaseRetention {
            case_years: u32::MAX,
            attachment_days: u32::MAX,
        };
        assert!(r.case_cutoff(0) < 0);
        assert!(r.attachment_cutoff(i64::MIN + 1) <= 0);
    }
}
