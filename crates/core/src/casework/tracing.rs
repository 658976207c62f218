//! Family tracing and age assessment (issue 17 item 4).
//!
//! A tracing request searches for the family of a separated child or adult: why they were
//! separated, the family members searched with what is known of them, and how the search ends.
//! A request is open until it is closed with a final status and an outcome note
//! ([`RawClose`]); a closed request takes no more changes.
//!
//! An age assessment records how an age was estimated and the range it gave. The benefit of
//! the doubt applies ([`treated_as_child`]): when the range includes any age under 18, or the
//! assessment is disputed, the person is treated as a child.

use super::calendar::{Day, date_field};
use crate::validate::{NAME_MAX, Problems, required_value, text};
use crate::vocab::vocabulary;

vocabulary! {
    /// Why the person was separated from their family.
    SeparationReason {
        Conflict => "conflict",
        Disaster => "disaster",
        MigrationJourney => "migration_journey",
        Trafficking => "trafficking",
        Detention => "detention",
        Other => "other",
    }
}

vocabulary! {
    /// Where a tracing request stands. Every status but `open` is final.
    TracingStatus {
        Open => "open",
        FamilyFound => "family_found",
        Reunited => "reunited",
        NotFound => "not_found",
        Closed => "closed",
    }
}

vocabulary! {
    /// How a searched family member is related to the person.
    FamilyRelation {
        Mother => "mother",
        Father => "father",
        Sibling => "sibling",
        Spouse => "spouse",
        Child => "child",
        Grandparent => "grandparent",
        OtherRelative => "other_relative",
        Guardian => "guardian",
    }
}

vocabulary! {
    /// Where the search for one family member stands.
    MemberStatus {
        Searching => "searching",
        Found => "found",
        ContactMade => "contact_made",
        Deceased => "deceased",
        NotFound => "not_found",
    }
}

vocabulary! {
    /// How an age was assessed.
    AssessmentMethod {
        Documents => "documents",
        Interview => "interview",
        MultiAgencyHolistic => "multi_agency_holistic",
        MedicalDental => "medical_dental",
        MedicalXray => "medical_xray",
        Other => "other",
    }
}

impl AssessmentMethod {
    /// Whether the method reads X-rays (of the hand and wrist, or of the teeth), whose error
    /// margin is several years either way: the page shows a caution note with its result.
    pub fn needs_caution(self) -> bool {
        matches!(
            self,
            AssessmentMethod::MedicalXray | AssessmentMethod::MedicalDental
        )
    }
}

/// The oldest age an assessment may give.
pub const AGE_MAX: u8 = 120;
/// The age of majority the benefit of the doubt is measured against.
pub const ADULT_AGE: u8 = 18;
/// Longest note (what is known of a family member, an outcome), in characters.
pub const NOTE_MAX: usize = 4_000;
/// Longest place, in characters.
pub const PLACE_MAX: usize = 500;

/// The benefit of the doubt: a person whose assessed range includes any age under 18, or
/// whose assessment is disputed, is treated as a child.
pub fn treated_as_child(lower: u8, _upper: u8, disputed: bool) -> bool {
    disputed || lower < ADULT_AGE
}

impl TracingStatus {
    /// Whether the request is still open (takes members, contacts and status changes).
    pub fn is_open(self) -> bool {
        self == TracingStatus::Open
    }
}

fn vocab<T>(
    p: &mut Problems,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: String,
) -> Option<T> {
    required_value(p, field, value, parse, || {
        format!("{field} must be one of {allowed}")
    })
}

fn required_day(p: &mut Problems, field: &str, value: &str) -> Option<Day> {
    date_field(p, field, value, true).flatten()
}

/// A tracing request as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawTracingRequest {
    pub opened_on: String,
    pub reason: String,
}

/// A validated tracing request; it opens with status `open`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTracingRequest {
    pub opened_on: Day,
    pub reason: SeparationReason,
}

impl RawTracingRequest {
    pub fn validate(self) -> Result<NewTracingRequest, Problems> {
        let mut p = Problems::default();
        let opened_on = required_day(&mut p, "opened_on", &self.opened_on);
        let reason = vocab(
            &mut p,
            "reason",
            &self.reason,
            SeparationReason::parse,
            SeparationReason::allowed(),
        );
        p.finish(())?;
        match (opened_on, reason) {
            (Some(opened_on), Some(reason)) => Ok(NewTracingRequest { opened_on, reason }),
            _ => Err(incomplete()),
        }
    }
}

fn incomplete() -> Problems {
    let mut p = Problems::default();
    p.add("", crate::ErrorCode::InvalidValue, "incomplete");
    p
}

/// A searched family member as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawMember {
    pub relation: String,
    pub name: String,
    pub last_known_place: String,
    pub known: String,
}

/// A validated family member; the search starts at `searching`. Name, place and what is
/// known are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub relation: FamilyRelation,
    pub name: String,
    pub last_known_place: Option<String>,
    pub known: Option<String>,
}

impl RawMember {
    pub fn validate(self) -> Result<NewMember, Problems> {
        let mut p = Problems::default();
        let relation = vocab(
            &mut p,
            "relation",
            &self.relation,
            FamilyRelation::parse,
            FamilyRelation::allowed(),
        );
        let name = text(&mut p, "name", &self.name, true, NAME_MAX);
        let last_known_place = text(
            &mut p,
            "last_known_place",
            &self.last_known_place,
            false,
            PLACE_MAX,
        );
        let known = text(&mut p, "known", &self.known, false, NOTE_MAX);
        p.finish(())?;
        match (relation, name) {
            (Some(relation), Some(name)) => Ok(NewMember {
                relation,
                name,
                last_known_place,
                known,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// A member's new status, as submitted.
pub fn member_status(value: &str) -> Result<MemberStatus, Problems> {
    let mut p = Problems::default();
    let s = vocab(
        &mut p,
        "status",
        value,
        MemberStatus::parse,
        MemberStatus::allowed(),
    );
    p.finish(())?;
    s.ok_or_else(incomplete)
}

/// Closing a request, as submitted: the final status (by default `closed`) and the outcome.
#[derive(Debug, Clone, Default)]
pub struct RawClose {
    pub status: String,
    pub outcome: String,
}

/// A validated closing: a final status and the outcome note (sealed at rest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseTracing {
    pub status: TracingStatus,
    pub outcome: String,
}

impl RawClose {
    /// The status must be final (not `open`) and the outcome note is required.
    pub fn validate(self) -> Result<CloseTracing, Problems> {
        let mut p = Problems::default();
        let typed = if self.status.trim().is_empty() {
            "closed"
        } else {
            self.status.trim()
        };
        let status = match TracingStatus::parse(typed) {
            Some(s) if !s.is_open() => Some(s),
            _ => {
                p.add(
                    "status",
                    crate::ErrorCode::InvalidValue,
                    "status must be one of family_found, reunited, not_found, closed",
                );
                None
            }
        };
        let outcome = match text(&mut p, "outcome", &self.outcome, false, NOTE_MAX) {
            Some(o) => Some(o),
            None => {
                if !p.0.iter().any(|f| f.field == "outcome") {
                    p.add(
                        "outcome",
                        crate::ErrorCode::OutcomeRequired,
                        "closing a tracing request needs an outcome note",
                    );
                }
                None
            }
        };
        p.finish(())?;
        match (status, outcome) {
            (Some(status), Some(outcome)) => Ok(CloseTracing { status, outcome }),
            _ => Err(incomplete()),
        }
    }
}

/// An age assessment as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawAgeAssessment {
    pub assessed_on: String,
    pub method: String,
    pub assessed_by: String,
    pub age_lower: Option<i64>,
    pub age_upper: Option<i64>,
    pub disputed: bool,
}

/// A validated age assessment. Who assessed is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgeAssessment {
    pub assessed_on: Day,
    pub method: AssessmentMethod,
    pub assessed_by: String,
    pub age_lower: u8,
    pub age_upper: u8,
    pub disputed: bool,
}

impl NewAgeAssessment {
    /// The benefit of the doubt, for this assessment.
    pub fn treated_as_child(&self) -> bool {
        treated_as_child(self.age_lower, self.age_upper, self.disputed)
    }
}

fn age(p: &mut Problems, field: &str, value: Option<i64>) -> Option<u8> {
    match value {
        None => {
            p.add(
                field,
                crate::ErrorCode::Required,
                format!("{field} is required"),
            );
            None
        }
        Some(v) if (0..=i64::from(AGE_MAX)).contains(&v) => u8::try_from(v).ok(),
        Some(_) => {
            p.add(
                field,
                crate::ErrorCode::InvalidValue,
                format!("{field} must be a whole number of years from 0 to {AGE_MAX}"),
            );
            None
        }
    }
}

impl RawAgeAssessment {
    /// Checks every field; the range must run from lower to upper (lower ≤ upper), 0–120.
    pub fn validate(self) -> Result<NewAgeAssessment, Problems> {
        let mut p = Problems::default();
        let assessed_on = required_day(&mut p, "assessed_on", &self.assessed_on);
        let method = vocab(
            &mut p,
            "method",
            &self.method,
            AssessmentMethod::parse,
            AssessmentMethod::allowed(),
        );
        let assessed_by = text(&mut p, "assessed_by", &self.assessed_by, true, NAME_MAX);
        let lower = age(&mut p, "age_lower", self.age_lower);
        let upper = age(&mut p, "age_upper", self.age_upper);
        if let (Some(l), Some(u)) = (lower, upper)
            && l > u
        {
            p.add(
                "age_upper",
                crate::ErrorCode::InvalidValue,
                "age_upper must not be below age_lower",
            );
        }
        p.finish(())?;
        match (assessed_on, method, assessed_by, lower, upper) {
            (Some(assessed_on), Some(method), Some(assessed_by), Some(l), Some(u)) => {
                Ok(NewAgeAssessment {
                    assessed_on,
                    method,
                    assessed_by,
                    age_lower: l,
                    age_upper: u,
                    disputed: self.disputed,
                })
            }
            _ => Err(incomplete()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(e: &Problems) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    fn assessment(l: i64, u: i64) -> RawAgeAssessment {
        RawAgeAssessment {
            assessed_on: "2026-11-02".into(),
            method: "multi_agency_holistic".into(),
            assessed_by: "Social worker, city team".into(),
            age_lower: Some(l),
            age_upper: Some(u),
            disputed: false,
        }
    }

    #[test]
    fn a_range_reaching_below_eighteen_is_a_child() {
        assert!(treated_as_child(16, 19, false));
        assert!(treated_as_child(17, 17, false));
        assert!(!treated_as_child(18, 25, false));
        assert!(treated_as_child(18, 25, true), "disputed");
        let a = assessment(16, 19).validate().expect("valid");
        assert!(a.treated_as_child());
    }

    #[test]
    fn the_range_is_checked() {
        let e = assessment(19, 16).validate().expect_err("reversed");
        assert_eq!(fields(&e), vec!["age_upper"]);
        let e = assessment(-1, 121).validate().expect_err("out of range");
        assert_eq!(fields(&e), vec!["age_lower", "age_upper"]);
        let e = RawAgeAssessment::default().validate().expect_err("empty");
        assert_eq!(
            fields(&e),
            vec![
                "assessed_on",
                "method",
                "assessed_by",
                "age_lower",
                "age_upper"
            ]
        );
    }

    #[test]
    fn xray_methods_carry_a_caution() {
        assert!(AssessmentMethod::MedicalXray.needs_caution());
        assert!(AssessmentMethod::MedicalDental.needs_caution());
        assert!(!AssessmentMethod::Interview.needs_caution());
    }

    #[test]
    fn closing_needs_a_final_status_and_an_outcome() {
        let e = RawClose::default().validate().expect_err("no outcome");
        assert_eq!(fields(&e), vec!["outcome"]);
        assert_eq!(e.0[0].code, crate::ErrorCode::OutcomeRequired);
        let e = RawClose {
            status: "open".into(),
            outcome: "Found".into(),
        }
        .validate()
        .expect_err("open is not final");
        assert_eq!(fields(&e), vec!["status"]);
        let c = RawClose {
            status: String::new(),
            outcome: "Search ended after a year".into(),
        }
        .validate()
        .expect("closed by default");
        assert_eq!(c.status, TracingStatus::Closed);
        let c = RawClose {
            status: "reunited".into(),
            outcome: "With her mother".into(),
        }
        .validate()
        .expect("reunited");
        assert_eq!(c.status, TracingStatus::Reunited);
    }

    #[test]
    fn requests_and_members_are_checked() {
        let e = RawTracingRequest {
            opened_on: "yesterday".into(),
            reason: "war".into(),
        }
        .validate()
        .expect_err("bad");
        assert_eq!(fields(&e), vec!["opened_on", "reason"]);
        let e = RawMember::default().validate().expect_err("empty");
        assert_eq!(fields(&e), vec!["relation", "name"]);
        assert!(member_status("lost").is_err());
        assert_eq!(member_status("found").ok(), Some(MemberStatus::Found));
    }

    proptest! {
        #[test]
        fn the_benefit_of_the_doubt(l in 0u8..=120, width in 0u8..=120, disputed: bool) {
            let u = l.saturating_add(width).min(AGE_MAX);
            let child = treated_as_child(l, u, disputed);
            // Some age in the range is under 18 exactly when the lower bound is.
            let some_age_under_18 = (l..=u).any(|a| a < ADULT_AGE);
            prop_assert_eq!(child, disputed || some_age_under_18);
            // A disputed assessment is always a child's; an undisputed one only then.
            if disputed { prop_assert!(child); }
            if !disputed && l >= ADULT_AGE { prop_assert!(!child); }
            // Validation agrees with the rule and accepts every in-range pair.
            let raw = RawAgeAssessment {
                assessed_on: "2026-01-01".into(),
                method: "interview".into(),
                assessed_by: "Team".into(),
                age_lower: Some(i64::from(l)),
                age_upper: Some(i64::from(u)),
                disputed,
            };
            let a = raw.validate().expect("valid");
            prop_assert_eq!(a.treated_as_child(), child);
        }

        #[test]
        fn a_reversed_range_is_refused(l in 1u8..=120, d in 1u8..=120) {
            let u = l.saturating_sub(d);
            prop_assume!(u < l);
            prop_assert!(assessment(i64::from(l), i64::from(u)).validate().is_err());
        }
    }
}
