//! Deadlines from jurisdiction profiles. A profile is configuration (a TOML file the binary
//! reads; a default and a UK profile ship with Passage): which countries it covers, the length of
//! the recovery and reflection period, the reasonable-grounds decision target in working days,
//! move-on support after a conclusive decision, follow-up visits after closure, and holidays.

use super::IdentificationStatus;
use super::calendar::Day;
use super::permits::PermitKind;
use serde::{Deserialize, Serialize};

/// One jurisdiction's deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// ISO 3166-1 alpha-2 codes; empty for the default profile.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Days of recovery and reflection after a positive reasonable-grounds decision
    /// (CETS 197 art. 13: at least 30).
    pub recovery_reflection_days: i64,
    /// Working days from the case's opening to the reasonable-grounds decision.
    pub reasonable_grounds_working_days: u32,
    /// Days of move-on support after a positive conclusive-grounds decision (0: none).
    #[serde(default)]
    pub move_on_support_days: i64,
    /// Follow-up visits after closure, in months.
    #[serde(default)]
    pub follow_up_months: Vec<i64>,
    /// Days that are not working days, `YYYY-MM-DD`.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Days before a granted permit expires that its renewal becomes a task.
    #[serde(default = "default_permit_reminder_days")]
    pub permit_reminder_days: i64,
    /// Days after a refusal of a permit within which an appeal must be lodged, when the
    /// decision gives no date.
    #[serde(default = "default_permit_appeal_days")]
    pub permit_appeal_days: i64,
    /// The permits on protection grounds the jurisdiction offers, by their local names.
    #[serde(default)]
    pub permit_types: Vec<PermitType>,
}

/// A permit the jurisdiction offers: its kind, its local name, and how long it is granted
/// for at most.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PermitType {
    pub kind: PermitKind,
    pub name: String,
    #[serde(default)]
    pub max_months: Option<u32>,
}

/// Days before expiry a permit's reminder is due, unless the profile says.
pub const PERMIT_REMINDER_DAYS: i64 = 60;
/// Days to appeal a refusal of a permit, unless the profile says.
pub const PERMIT_APPEAL_DAYS: i64 = 14;

fn default_permit_reminder_days() -> i64 {
    PERMIT_REMINDER_DAYS
}

fn default_permit_appeal_days() -> i64 {
    PERMIT_APPEAL_DAYS
}

/// What a deadline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    ReasonableGroundsDecision,
    RecoveryReflectionPeriod,
    MoveOnSupport,
    FollowUpVisit,
    /// A hearing of a proceeding of the case (its day).
    Hearing,
}

/// A computed deadline. `met` is true once what it waits for has happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: String,
    pub met: bool,
}

/// The facts of a case the deadlines depend on.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    pub opened: Option<Day>,
    pub identification: Option<(IdentificationStatus, Day)>,
    /// The day a conclusive-grounds (actual victim) decision was made.
    pub conclusive: Option<Day>,
    pub closed: Option<Day>,
}

impl Profile {
    /// Checks a profile read from configuration.
    pub fn validate(&self) -> Result<(), String> {
        if self.recovery_reflection_days < 30 {
            return Err(format!(
                "{}: the recovery and reflection period must be at least 30 days (CETS 197 art. 13)",
                self.name
            ));
        }
        if !(1..=365).contains(&self.permit_reminder_days) {
            return Err(format!(
                "{}: permit_reminder_days must be from 1 to 365",
                self.name
            ));
        }
        if !(1..=365).contains(&self.permit_appeal_days) {
            return Err(format!(
                "{}: permit_appeal_days must be from 1 to 365",
                self.name
            ));
        }
        if let Some(bad) = self.permit_types.iter().find(|t| t.name.trim().is_empty()) {
            return Err(format!(
                "{}: the permit type of kind {} needs a name",
                self.name, bad.kind
            ));
        }
        if let Some(bad) = self.holidays.iter().find(|h| Day::parse(h).is_none()) {
            return Err(format!("{}: holiday {bad} is not YYYY-MM-DD", self.name));
        }
        if let Some(bad) = self
            .countries
            .iter()
            .find(|c| crate::Country::parse(c).is_none())
        {
            return Err(format!(
                "{}: {bad} is not an ISO 3166-1 alpha-2 code",
                self.name
            ));
        }
        Ok(())
    }

    fn holidays(&self) -> Vec<Day> {
        self.holidays.iter().filter_map(|h| Day::parse(h)).collect()
    }

    /// The deadlines of a case under this profile, in due order.
    pub fn deadlines(&self, facts: &CaseFacts) -> Vec<Deadline> {
        let mut out = Vec::new();
        let decided = facts.identification;
        if let Some(opened) = facts.opened {
            out.push(Deadline {
                kind: DeadlineKind::ReasonableGroundsDecision,
                due: opened
                    .plus_working_days(self.reasonable_grounds_working_days, &self.holidays())
                    .to_string(),
                met: decided.is_some(),
            });
        }
        if let Some((status, on)) = decided
            && status != IdentificationStatus::NotAVictim
        {
            // A positive reasonable-grounds decision starts the recovery and reflection period;
            // a direct conclusive decision starts it too.
            out.push(Deadline {
                kind: DeadlineKind::RecoveryReflectionPeriod,
                due: on.plus_days(self.recovery_reflection_days).to_string(),
                met: false,
            });
        }
        if let Some(on) = facts.conclusive
            && self.move_on_support_days > 0
        {
            out.push(Deadline {
                kind: DeadlineKind::MoveOnSupport,
                due: on.plus_days(self.move_on_support_days).to_string(),
                met: false,
            });
        }
        if let Some(closed) = facts.closed {
            for m in &self.follow_up_months {
                out.push(Deadline {
                    kind: DeadlineKind::FollowUpVisit,
                    due: closed.plus_months(*m).to_string(),
                    met: false,
                });
            }
        }
        out.sort_by(|a, b| a.due.cmp(&b.due));
        out
    }
}

/// The profiles in force: the one whose countries include the case's country, else the default.
#[derive(Debug, Clone)]
pub struct Profiles {
    default: Profile,
    others: Vec<Profile>,
}

impl Profiles {
    pub fn new(default: Profile, others: Vec<Profile>) -> Result<Profiles, String> {
        default.validate()?;
        for p in &others {
            p.validate()?;
        }
        Ok(Profiles { default, others })
    }

    pub fn for_country(&self, country: Option<&str>) -> &Profile {
        country
            .and_then(|c| {
                self.others
                    .iter()
                    .find(|p| p.countries.iter().any(|x| x.eq_ignore_ascii_case(c)))
            })
            .unwrap_or(&self.default)
    }
}

impl Default for Profiles {
    /// The shipped default: CETS 197 minimums, 5 working days, follow-ups at 3, 6 and 12 months.
    fn default() -> Self {
        Profiles {
            default: Profile {
                name: "default".into(),
                countries: vec![],
                recovery_reflection_days: 30,
                reasonable_grounds_working_days: 5,
                move_on_support_days: 0,
                follow_up_months: vec![3, 6, 12],
                holidays: vec![],
                permit_reminder_days: PERMIT_REMINDER_DAYS,
                permit_appeal_days: PERMIT_APPEAL_DAYS,
                permit_types: vec![],
            },
            others: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_positive_reasonable_grounds_decision_starts_thirty_days() {
        let p = Profiles::default();
        let facts = CaseFacts {
            opened: Day::parse("2026-01-05"),
            identification: Some((
                IdentificationStatus::PossibleVictim,
                Day::parse("2026-01-10").unwrap(),
            )),
            ..Default::default()
        };
        let d = p.for_country(Some("FR")).deadlines(&facts);
        assert_eq!(d[0].kind, DeadlineKind::ReasonableGroundsDecision);
        assert_eq!((d[0].due.as_str(), d[0].met), ("2026-01-12", true));
        assert_eq!(d[1].kind, DeadlineKind::RecoveryReflectionPeriod);
        assert_eq!(d[1].due, "2026-02-09");
        let not = CaseFacts {
            identification: Some((IdentificationStatus::NotAVictim, Day(0))),
            ..Default::default()
        };
        assert!(p.default.deadlines(&not).is_empty());
    }

    #[test]
    fn profiles_are_chosen_by_country_and_checked() {
        let uk = Profile {
            name: "uk".into(),
            countries: vec!["GB".into()],
            recovery_reflection_days: 30,
            reasonable_grounds_working_days: 5,
            move_on_support_days: 45,
            follow_up_months: vec![],
            holidays: vec!["2026-12-25".into()],
            permit_reminder_days: 60,
            permit_appeal_days: 14,
            permit_types: vec![],
        };
        let ps = Profiles::new(Profiles::default().default, vec![uk.clone()]).unwrap();
        assert_eq!(ps.for_country(Some("gb")).name, "uk");
        assert_eq!(ps.for_country(None).name, "default");
        let mut short = uk.clone();
        short.recovery_reflection_days = 29;
        assert!(short.validate().is_err());
        let facts = CaseFacts {
            conclusive: Day::parse("2026-03-01"),
            closed: Day::parse("2026-03-31"),
            ..Default::default()
        };
        let d = uk.deadlines(&facts);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].kind, d[0].due.as_str()),
            (DeadlineKind::MoveOnSupport, "2026-04-15")
        );
        let d = ps.for_country(Some("FR")).deadlines(&facts);
        let due: Vec<&str> = d.iter().map(|d| d.due.as_str()).collect();
        assert_eq!(due, ["2026-06-30", "2026-09-30", "2027-03-31"]);
    }

    #[test]
    fn permit_settings_default_and_are_checked() {
        let p: Profile = toml::from_str(
            "name = \"x\"\nrecovery_reflection_days = 30\nreasonable_grounds_working_days = 5\n",
        )
        .expect("old profile reads");
        assert_eq!(p.permit_reminder_days, 60);
        assert_eq!(p.permit_appeal_days, 14);
        assert!(p.permit_types.is_empty());
        let p: Profile = toml::from_str(
            "name = \"y\"\nrecovery_reflection_days = 30\nreasonable_grounds_working_days = 5\n\
             permit_reminder_days = 90\npermit_appeal_days = 10\n\
             [[permit_types]]\nkind = \"trafficking_victim\"\nname = \"VTS\"\nmax_months = 30\n",
        )
        .expect("permit profile reads");
        assert_eq!(p.permit_reminder_days, 90);
        assert_eq!(p.permit_types[0].kind, PermitKind::TraffickingVictim);
        assert_eq!(p.permit_types[0].max_months, Some(30));
        assert!(p.validate().is_ok());
        let unknown = toml::from_str::<Profile>(
            "name = \"z\"\nrecovery_reflection_days = 30\nreasonable_grounds_working_days = 5\n\
             [[permit_types]]\nkind = \"work\"\nname = \"W\"\nduration = 3\n",
        );
        assert!(
            unknown.is_err(),
            "unknown fields of a permit type are refused"
        );
        let bad_kind = toml::from_str::<Profile>(
            "name = \"z\"\nrecovery_reflection_days = 30\nreasonable_grounds_working_days = 5\n\
             [[permit_types]]\nkind = \"tourist\"\nname = \"T\"\n",
        );
        assert!(bad_kind.is_err());
        let mut zero = p.clone();
        zero.permit_appeal_days = 0;
        assert!(zero.validate().is_err());
    }
}
