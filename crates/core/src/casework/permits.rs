//! Residence and work permits on protection grounds (issue 17 item 1).
//!
//! A permit is an application made for the person's benefit: a kind (trafficking victim,
//! cooperation with the authorities, humanitarian, family, international protection, work),
//! the authority it was made to, and dates: applied, decided, valid from, expires, and the
//! deadline for an appeal. It moves through [`may_move`]: a refused permit can be appealed, a
//! granted one renewed (granted again with new dates), and an expired or withdrawn one is
//! over — what follows it is a new application, a new permit.
//!
//! Two deadlines become tasks on the case's work list ([`reminder`]): a granted permit's
//! expiry, `permit_reminder_days` before it, and a refusal's appeal deadline, three days
//! before it. A refusal without an appeal deadline gets one from the profile's
//! `permit_appeal_days` ([`appeal_deadline`]).
//!
//! A permit is the person's migration status in another form: the store keeps it behind the
//! firewall exactly as the migration status.

use super::calendar::{Day, date_field};
use crate::validate::{NAME_MAX, Problems, required_value, text};
use crate::vocab::vocabulary;

vocabulary! {
    /// On what ground a permit is asked for.
    PermitKind {
        TraffickingVictim => "trafficking_victim",
        CooperationWithAuthorities => "cooperation_with_authorities",
        Humanitarian => "humanitarian",
        Family => "family",
        InternationalProtection => "international_protection",
        Work => "work",
        Other => "other",
    }
}

vocabulary! {
    /// Where a permit stands. `withdrawn` and `expired` are final.
    PermitStatus {
        Planned => "planned",
        Applied => "applied",
        Granted => "granted",
        Refused => "refused",
        Appealed => "appealed",
        Withdrawn => "withdrawn",
        Expired => "expired",
    }
}

/// Longest note and reference, in characters.
pub const NOTE_MAX: usize = 4_000;
/// Longest reference number, in characters.
pub const REFERENCE_MAX: usize = 200;
/// Days before an appeal deadline that its task is due.
pub const APPEAL_TASK_DAYS: i64 = 3;

impl PermitStatus {
    /// Whether nothing can follow: a new application is a new permit.
    pub fn is_final(self) -> bool {
        matches!(self, PermitStatus::Withdrawn | PermitStatus::Expired)
    }
}

/// Whether a permit may move from `from` to `to`. Granted to granted is a renewal.
pub fn may_move(from: PermitStatus, to: PermitStatus) -> bool {
    use PermitStatus::*;
    matches!(
        (from, to),
        (Planned, Applied | Withdrawn)
            | (Applied, Granted | Refused | Withdrawn)
            | (Refused, Appealed | Withdrawn)
            | (Appealed, Granted | Refused | Withdrawn)
            | (Granted, Granted | Expired | Withdrawn)
    )
}

/// The statuses a permit at `from` may move to, in vocabulary order.
pub fn next_statuses(from: PermitStatus) -> Vec<PermitStatus> {
    PermitStatus::ALL
        .iter()
        .copied()
        .filter(|to| may_move(from, *to))
        .collect()
}

/// The statuses a new permit may start at: it is recorded before or after it was applied for,
/// or with its first decision.
pub fn may_start(status: PermitStatus) -> bool {
    !status.is_final() && status != PermitStatus::Appealed
}

/// What a reminder task is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// A granted permit expires.
    Expiry,
    /// The appeal against a refusal must be lodged.
    Appeal,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Expiry => "expiry",
            ReminderKind::Appeal => "appeal",
        }
    }
    pub fn parse(s: &str) -> Option<ReminderKind> {
        match s {
            "expiry" => Some(ReminderKind::Expiry),
            "appeal" => Some(ReminderKind::Appeal),
            _ => None,
        }
    }
}

/// A reminder a permit needs on the work list: its kind, the date it is about and the day
/// the task is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reminder {
    pub kind: ReminderKind,
    pub on: Day,
    pub due: Day,
}

impl Reminder {
    /// The task's title: the kind of deadline and its date, nothing about the person.
    pub fn title(&self) -> String {
        match self.kind {
            ReminderKind::Expiry => format!("Permit expires on {}", self.on),
            ReminderKind::Appeal => format!("Permit appeal deadline on {}", self.on),
        }
    }
}

/// The reminder a permit needs: a granted permit with an expiry, `reminder_days` before it;
/// a refused one with an appeal deadline, [`APPEAL_TASK_DAYS`] before it; otherwise none.
pub fn reminder(
    status: PermitStatus,
    expires_on: Option<Day>,
    appeal_deadline: Option<Day>,
    reminder_days: i64,
) -> Option<Reminder> {
    match (status, expires_on, appeal_deadline) {
        (PermitStatus::Granted, Some(on), _) => Some(Reminder {
            kind: ReminderKind::Expiry,
            on,
            due: on.plus_days(-reminder_days.max(0)),
        }),
        (PermitStatus::Refused, _, Some(on)) => Some(Reminder {
            kind: ReminderKind::Appeal,
            on,
            due: on.plus_days(-APPEAL_TASK_DAYS),
        }),
        _ => None,
    }
}

/// The appeal deadline of a refusal decided on `decided_on`: the one given, else
/// `appeal_days` after the decision.
pub fn appeal_deadline(given: Option<Day>, decided_on: Day, appeal_days: i64) -> Day {
    given.unwrap_or_else(|| decided_on.plus_days(appeal_days.max(0)))
}

/// The dates of a permit; every one optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PermitDates {
    pub applied_on: Option<Day>,
    pub decided_on: Option<Day>,
    pub valid_from: Option<Day>,
    pub expires_on: Option<Day>,
    pub appeal_deadline: Option<Day>,
}

impl PermitDates {
    /// The order the dates must keep: decided on or after applied, expiring after valid from.
    pub fn check(&self, p: &mut Problems) {
        if let (Some(a), Some(d)) = (self.applied_on, self.decided_on)
            && d < a
        {
            p.add(
                "decided_on",
                crate::ErrorCode::InvalidValue,
                "decided_on must not be before applied_on",
            );
        }
        if let (Some(v), Some(e)) = (self.valid_from, self.expires_on)
            && e <= v
        {
            p.add(
                "expires_on",
                crate::ErrorCode::InvalidValue,
                "expires_on must be after valid_from",
            );
        }
    }
}

/// The dates as typed.
#[derive(Debug, Clone, Default)]
pub struct RawDates {
    pub applied_on: String,
    pub decided_on: String,
    pub valid_from: String,
    pub expires_on: String,
    pub appeal_deadline: String,
}

fn day(p: &mut Problems, field: &str, value: &str) -> Option<Day> {
    date_field(p, field, value, false).flatten()
}

impl RawDates {
    fn read(&self, p: &mut Problems) -> PermitDates {
        let dates = PermitDates {
            applied_on: day(p, "applied_on", &self.applied_on),
            decided_on: day(p, "decided_on", &self.decided_on),
            valid_from: day(p, "valid_from", &self.valid_from),
            expires_on: day(p, "expires_on", &self.expires_on),
            appeal_deadline: day(p, "appeal_deadline", &self.appeal_deadline),
        };
        dates.check(p);
        dates
    }
}

fn incomplete() -> Problems {
    let mut p = Problems::default();
    p.add("", crate::ErrorCode::InvalidValue, "incomplete");
    p
}

/// A permit as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawPermit {
    pub kind: String,
    pub status: String,
    pub authority: String,
    pub reference: String,
    pub dates: RawDates,
    pub note: String,
}

/// A validated permit. Authority, reference and note are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPermit {
    pub kind: PermitKind,
    pub status: PermitStatus,
    pub authority: Option<String>,
    pub reference: Option<String>,
    pub dates: PermitDates,
    pub note: Option<String>,
}

impl RawPermit {
    /// Checks every field; a new permit starts at planned, applied, granted or refused.
    pub fn validate(self) -> Result<NewPermit, Problems> {
        let mut p = Problems::default();
        let kind = required_value(&mut p, "kind", &self.kind, PermitKind::parse, || {
            format!("kind must be one of {}", PermitKind::allowed())
        });
        let status = required_value(&mut p, "status", &self.status, PermitStatus::parse, || {
            format!("status must be one of {}", PermitStatus::allowed())
        });
        if let Some(s) = status
            && !may_start(s)
        {
            p.add(
                "status",
                crate::ErrorCode::InvalidValue,
                "a new permit is planned, applied, granted or refused",
            );
        }
        let authority = text(&mut p, "authority", &self.authority, false, NAME_MAX);
        let reference = text(&mut p, "reference", &self.reference, false, REFERENCE_MAX);
        let dates = self.dates.read(&mut p);
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(())?;
        match (kind, status) {
            (Some(kind), Some(status)) => Ok(NewPermit {
                kind,
                status,
                authority,
                reference,
                dates,
                note,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// A change of status as submitted: the new status, the day it happened (the decision's day
/// for a grant or a refusal), and the dates it brings.
#[derive(Debug, Clone, Default)]
pub struct RawStatusChange {
    pub status: String,
    pub on: String,
    pub valid_from: String,
    pub expires_on: String,
    pub appeal_deadline: String,
    pub note: String,
}

/// A validated change of status; whether it may follow the permit's status is the store's
/// question to [`may_move`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: PermitStatus,
    pub on: Option<Day>,
    pub valid_from: Option<Day>,
    pub expires_on: Option<Day>,
    pub appeal_deadline: Option<Day>,
    pub note: Option<String>,
}

impl RawStatusChange {
    pub fn validate(self) -> Result<StatusChange, Problems> {
        let mut p = Problems::default();
        let status = required_value(&mut p, "status", &self.status, PermitStatus::parse, || {
            format!("status must be one of {}", PermitStatus::allowed())
        });
        let on = day(&mut p, "on", &self.on);
        let valid_from = day(&mut p, "valid_from", &self.valid_from);
        let expires_on = day(&mut p, "expires_on", &self.expires_on);
        let appeal_deadline = day(&mut p, "appeal_deadline", &self.appeal_deadline);
        PermitDates {
            valid_from,
            expires_on,
            ..Default::default()
        }
        .check(&mut p);
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(())?;
        let status = status.ok_or_else(incomplete)?;
        Ok(StatusChange {
            status,
            on,
            valid_from,
            expires_on,
            appeal_deadline,
            note,
        })
    }
}

impl StatusChange {
    /// The permit's dates after this change on `today`: a grant or a refusal is decided on
    /// `on` (else today); a grant brings its validity; a refusal its appeal deadline, given or
    /// `appeal_days` after the decision; an application its day.
    pub fn apply(&self, before: PermitDates, today: Day, appeal_days: i64) -> PermitDates {
        let on = self.on.unwrap_or(today);
        let mut d = before;
        match self.status {
            PermitStatus::Applied => d.applied_on = Some(on),
            PermitStatus::Granted => {
                d.decided_on = Some(on);
                d.valid_from = self.valid_from.or(Some(on));
                d.expires_on = self.expires_on;
                d.appeal_deadline = None;
            }
            PermitStatus::Refused => {
                d.decided_on = Some(on);
                d.appeal_deadline = Some(appeal_deadline(self.appeal_deadline, on, appeal_days));
            }
            _ => {}
        }
        d
    }
}

/// A correction of a permit's details as submitted (not its status): every field replaces
/// the recorded one.
#[derive(Debug, Clone, Default)]
pub struct RawPermitDetails {
    pub authority: String,
    pub reference: String,
    pub dates: RawDates,
    pub note: String,
}

/// A validated correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitDetails {
    pub authority: Option<String>,
    pub reference: Option<String>,
    pub dates: PermitDates,
    pub note: Option<String>,
}

impl RawPermitDetails {
    pub fn validate(self) -> Result<PermitDetails, Problems> {
        let mut p = Problems::default();
        let authority = text(&mut p, "authority", &self.authority, false, NAME_MAX);
        let reference = text(&mut p, "reference", &self.reference, false, REFERENCE_MAX);
        let dates = self.dates.read(&mut p);
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(PermitDetails {
            authority,
            reference,
            dates,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(e: &Problems) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    fn d(s: &str) -> Day {
        Day::parse(s).expect("day")
    }

    #[test]
    fn a_permit_is_checked_field_by_field() {
        let e = RawPermit::default().validate().expect_err("empty");
        assert_eq!(fields(&e), vec!["kind", "status"]);
        let e = RawPermit {
            kind: "tourist".into(),
            status: "expired".into(),
            dates: RawDates {
                applied_on: "2026-05-02".into(),
                decided_on: "2026-05-01".into(),
                valid_from: "2026-06-01".into(),
                expires_on: "2026-06-01".into(),
                appeal_deadline: "soon".into(),
            },
            ..Default::default()
        }
        .validate()
        .expect_err("bad");
        assert_eq!(
            fields(&e),
            vec![
                "kind",
                "status",
                "appeal_deadline",
                "decided_on",
                "expires_on"
            ]
        );
        let ok = RawPermit {
            kind: "trafficking_victim".into(),
            status: "applied".into(),
            authority: "Home Office".into(),
            reference: "VTS-2026-0042".into(),
            dates: RawDates {
                applied_on: "2026-05-02".into(),
                ..Default::default()
            },
            note: String::new(),
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.kind, PermitKind::TraffickingVictim);
        assert_eq!(ok.dates.applied_on, Some(d("2026-05-02")));
        assert_eq!(ok.note, None);
    }

    #[test]
    fn reminders_follow_the_status() {
        let exp = d("2027-03-01");
        let r = reminder(PermitStatus::Granted, Some(exp), None, 60).expect("expiry");
        assert_eq!((r.kind, r.due), (ReminderKind::Expiry, d("2026-12-31")));
        assert_eq!(r.title(), "Permit expires on 2027-03-01");
        let r =
            reminder(PermitStatus::Refused, Some(exp), Some(d("2026-12-20")), 60).expect("appeal");
        assert_eq!((r.kind, r.due), (ReminderKind::Appeal, d("2026-12-17")));
        for s in [
            PermitStatus::Planned,
            PermitStatus::Applied,
            PermitStatus::Appealed,
            PermitStatus::Withdrawn,
            PermitStatus::Expired,
        ] {
            assert_eq!(reminder(s, Some(exp), Some(exp), 60), None, "{s}");
        }
        assert_eq!(reminder(PermitStatus::Granted, None, None, 60), None);
    }

    #[test]
    fn a_refusal_gets_its_appeal_deadline_from_the_profile_unless_given() {
        let change = RawStatusChange {
            status: "refused".into(),
            on: "2026-11-02".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        let after = change.apply(PermitDates::default(), d("2026-11-10"), 14);
        assert_eq!(after.decided_on, Some(d("2026-11-02")));
        assert_eq!(after.appeal_deadline, Some(d("2026-11-16")));
        let given = RawStatusChange {
            status: "refused".into(),
            appeal_deadline: "2026-12-01".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        let after = given.apply(PermitDates::default(), d("2026-11-10"), 14);
        assert_eq!(after.decided_on, Some(d("2026-11-10")));
        assert_eq!(after.appeal_deadline, Some(d("2026-12-01")));
        let e = RawStatusChange {
            status: "granted".into(),
            valid_from: "2026-12-01".into(),
            expires_on: "2026-11-01".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("expires before valid");
        assert_eq!(fields(&e), vec!["expires_on"]);
    }

    #[test]
    fn the_transitions_a_caseworker_relies_on() {
        use PermitStatus::*;
        assert!(may_move(Refused, Appealed));
        assert!(may_move(Appealed, Granted));
        assert!(may_move(Granted, Granted), "a renewal");
        assert!(may_move(Granted, Expired));
        assert!(
            !may_move(Expired, Applied),
            "a new application is a new permit"
        );
        assert!(!may_move(Granted, Appealed));
        assert!(!may_move(Planned, Granted));
        assert_eq!(next_statuses(Refused), vec![Appealed, Withdrawn]);
        assert!(!may_start(Expired) && !may_start(Appealed) && may_start(Granted));
    }

    fn status() -> impl Strategy<Value = PermitStatus> {
        prop::sample::select(PermitStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn every_history_keeps_the_rules(start in status(), tries in prop::collection::vec(status(), 0..24)) {
            prop_assume!(may_start(start));
            let mut at = start;
            let mut history = vec![start];
            for to in tries {
                if may_move(at, to) {
                    // Nothing ever goes back to planned, and only a refusal is appealed.
                    prop_assert_ne!(to, PermitStatus::Planned);
                    if to == PermitStatus::Appealed { prop_assert_eq!(at, PermitStatus::Refused); }
                    if to == PermitStatus::Expired { prop_assert_eq!(at, PermitStatus::Granted); }
                    at = to;
                    history.push(to);
                }
            }
            // Once final, the permit stayed final: nothing follows it in its history.
            if let Some(i) = history.iter().position(|s| s.is_final()) {
                prop_assert_eq!(i, history.len() - 1);
            }
            // A grant comes only from an application, an appeal or a grant (a renewal).
            for w in history.windows(2) {
                if w[1] == PermitStatus::Granted {
                    prop_assert!(matches!(w[0], PermitStatus::Applied | PermitStatus::Appealed | PermitStatus::Granted));
                }
            }
        }

        #[test]
        fn a_final_status_is_followed_by_nothing(from in status(), to in status()) {
            if from.is_final() { prop_assert!(!may_move(from, to)); }
            // Every status that is not final has a way out (at least a withdrawal).
            if !from.is_final() { prop_assert!(may_move(from, PermitStatus::Withdrawn)); }
        }

        #[test]
        fn the_reminder_is_due_before_its_date(days in 0i64..400, offset in -2000i64..2000, granted: bool) {
            let on = Day::parse("2027-01-01").expect("day").plus_days(offset);
            let status = if granted { PermitStatus::Granted } else { PermitStatus::Refused };
            let r = reminder(status, Some(on), Some(on), days).expect("a reminder");
            prop_assert_eq!(r.on, on);
            prop_assert!(r.due <= on);
            let before = if granted { days } else { APPEAL_TASK_DAYS };
            prop_assert_eq!(r.due.plus_days(before), on);
        }
    }
}
