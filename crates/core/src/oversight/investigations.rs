//! An ombudsperson's investigations: the complaint taken up (its subject), the authority
//! concerned, the questions sent to that authority with a reply deadline and the answers
//! received, the findings, the recommendations addressed to the authority and the follow-up of
//! each one. Who may do what is [`investigation_access`]; when an investigation may close is
//! [`may_close`]; a question is overdue by [`question_overdue`].
//!
//! Nothing of an investigation reaches another organisation: it is its office's own, and the
//! subject is checked to be the office's (a report, case or incident of its own, a referral it
//! received and accepted) by the store, one check per subject kind.

use crate::casework::calendar::{Day, date_field};
use crate::policy::{DenyReason, Principal};
use crate::validate::{Problems, text};
use crate::vocab::vocabulary;
use crate::{ErrorCode, OrgKind, Role};
use uuid::Uuid;

vocabulary! {
    /// What an investigation was opened on.
    SubjectKind {
        Report => "report",
        Case => "case",
        Referral => "referral",
        Incident => "incident",
    }
}

vocabulary! {
    /// The kind of authority an investigation concerns.
    AuthorityKind {
        Police => "police",
        BorderAgency => "border_agency",
        ImmigrationAuthority => "immigration_authority",
        DetentionAuthority => "detention_authority",
        LocalAuthority => "local_authority",
        HealthAuthority => "health_authority",
        EducationAuthority => "education_authority",
        LabourAuthority => "labour_authority",
        Employer => "employer",
        Other => "other",
    }
}

vocabulary! {
    /// Where an investigation stands.
    InvestigationStatus {
        Open => "open",
        FindingsIssued => "findings_issued",
        FollowUp => "follow_up",
        Closed => "closed",
    }
}

vocabulary! {
    /// What the findings concluded.
    FindingOutcome {
        ViolationFound => "violation_found",
        NoViolationFound => "no_violation_found",
        PartlyFound => "partly_found",
        Inconclusive => "inconclusive",
    }
}

vocabulary! {
    /// Where a recommendation stands with the authority it was addressed to.
    FollowUpState {
        Pending => "pending",
        Accepted => "accepted",
        PartlyImplemented => "partly_implemented",
        Implemented => "implemented",
        Rejected => "rejected",
    }
}

/// The longest authority name.
pub const AUTHORITY_NAME_MAX: usize = 300;
/// The longest summary, question, answer, finding, recommendation, note or reason.
pub const TEXT_MAX: usize = 20_000;

/// What may be done with investigations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvestigationAction {
    /// Take a complaint up for investigation.
    Open,
    /// Read one, list them, send questions, record answers, findings, recommendations and
    /// their follow-up.
    Work,
    /// Close one.
    Close,
    /// Count them (no content).
    Count,
}

impl InvestigationAction {
    pub const ALL: &'static [InvestigationAction] = &[
        InvestigationAction::Open,
        InvestigationAction::Work,
        InvestigationAction::Close,
        InvestigationAction::Count,
    ];
}

/// Who may do `action`: the ombudsperson and the supervisor of an ombudsperson's office open
/// and work investigations; only the supervisor closes; the office's analyst counts them.
/// Immigration enforcement meets the firewall before any role is looked at; the same roles in
/// an organisation of another kind are out of scope; anyone else has no grant.
pub fn investigation_access(
    who: &Principal,
    action: InvestigationAction,
) -> Result<(), DenyReason> {
    if who.org_kind == OrgKind::ImmigrationEnforcement {
        return Err(DenyReason::ImmigrationFirewall);
    }
    let roles: &[Role] = match action {
        InvestigationAction::Open | InvestigationAction::Work => {
            &[Role::Ombudsperson, Role::Supervisor]
        }
        InvestigationAction::Close => &[Role::Supervisor],
        InvestigationAction::Count => &[Role::Ombudsperson, Role::Supervisor, Role::Analyst],
    };
    if !who.roles.iter().any(|r| roles.contains(r)) {
        Err(DenyReason::NoGrant)
    } else if who.org_kind != OrgKind::Ombudsperson {
        Err(DenyReason::OutOfScope)
    } else {
        Ok(())
    }
}

fn required_vocab<T>(
    p: &mut Problems,
    field: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    allowed: String,
) -> Option<T> {
    match value.trim() {
        "" => {
            p.add(field, ErrorCode::Required, format!("{field} is required"));
            None
        }
        v => parse(v).or_else(|| {
            p.add(
                field,
                ErrorCode::UnknownValue,
                format!("{field} must be one of: {allowed}"),
            );
            None
        }),
    }
}

fn not_after_today(p: &mut Problems, field: &str, day: Option<Day>, today: Day) {
    if day.is_some_and(|d| d > today) {
        p.add(
            field,
            ErrorCode::InTheFuture,
            format!("{field} is after today: record it once it happened"),
        );
    }
}

/// An investigation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawInvestigation {
    pub subject_kind: String,
    pub subject_id: String,
    pub authority_name: String,
    pub authority_kind: String,
    pub summary: String,
}

/// A validated investigation to open (today).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvestigation {
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    pub authority_name: String,
    pub authority_kind: AuthorityKind,
    pub summary: String,
}

impl RawInvestigation {
    /// Every problem at once, each naming its field.
    pub fn validate(&self) -> Result<NewInvestigation, Problems> {
        let mut p = Problems::default();
        let subject_kind = required_vocab(
            &mut p,
            "subject.kind",
            &self.subject_kind,
            SubjectKind::parse,
            SubjectKind::allowed(),
        );
        let subject_id = match self.subject_id.trim() {
            "" => {
                p.add("subject.id", ErrorCode::Required, "subject.id is required");
                None
            }
            v => Uuid::parse_str(v).ok().or_else(|| {
                p.add(
                    "subject.id",
                    ErrorCode::InvalidId,
                    "subject.id must be the id of a report, a case or a referral",
                );
                None
            }),
        };
        let authority_name = text(
            &mut p,
            "authority.name",
            &self.authority_name,
            true,
            AUTHORITY_NAME_MAX,
        );
        let authority_kind = required_vocab(
            &mut p,
            "authority.kind",
            &self.authority_kind,
            AuthorityKind::parse,
            AuthorityKind::allowed(),
        );
        let summary = text(&mut p, "summary", &self.summary, true, TEXT_MAX);
        match (
            subject_kind,
            subject_id,
            authority_name,
            authority_kind,
            summary,
        ) {
            (
                Some(subject_kind),
                Some(subject_id),
                Some(authority_name),
                Some(authority_kind),
                Some(summary),
            ) if p.0.is_empty() => Ok(NewInvestigation {
                subject_kind,
                subject_id,
                authority_name,
                authority_kind,
                summary,
            }),
            _ => Err(p),
        }
    }
}

/// A question as typed: what is asked of the authority, when it was sent, and the day a reply
/// is due by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawQuestion {
    pub text: String,
    pub sent_on: String,
    pub reply_by: String,
}

/// A validated question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub text: String,
    pub sent_on: Day,
    pub reply_by: Day,
}

impl RawQuestion {
    /// Sent by today, due on or after the day sent.
    pub fn validate(&self, today: Day) -> Result<NewQuestion, Problems> {
        let mut p = Problems::default();
        let text = text(&mut p, "text", &self.text, true, TEXT_MAX);
        let sent_on = date_field(&mut p, "sent_on", &self.sent_on, true).flatten();
        not_after_today(&mut p, "sent_on", sent_on, today);
        let reply_by = date_field(&mut p, "reply_by", &self.reply_by, true).flatten();
        if let (Some(s), Some(r)) = (sent_on, reply_by)
            && r < s
        {
            p.add(
                "reply_by",
                ErrorCode::InvalidValue,
                "reply_by comes on or after the day the question was sent",
            );
        }
        match (text, sent_on, reply_by) {
            (Some(text), Some(sent_on), Some(reply_by)) if p.0.is_empty() => Ok(NewQuestion {
                text,
                sent_on,
                reply_by,
            }),
            _ => Err(p),
        }
    }
}

/// An answer received, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAnswer {
    pub received_on: String,
    pub text: String,
}

/// A validated answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnswer {
    pub received_on: Day,
    pub text: String,
}

impl RawAnswer {
    /// Received by today and not before the question was sent (`sent_on`).
    pub fn validate(&self, sent_on: Day, today: Day) -> Result<NewAnswer, Problems> {
        let mut p = Problems::default();
        let received_on = date_field(&mut p, "received_on", &self.received_on, true).flatten();
        not_after_today(&mut p, "received_on", received_on, today);
        if received_on.is_some_and(|d| d < sent_on) {
            p.add(
                "received_on",
                ErrorCode::InvalidValue,
                "received_on comes on or after the day the question was sent",
            );
        }
        let text = text(&mut p, "text", &self.text, true, TEXT_MAX);
        match (received_on, text) {
            (Some(received_on), Some(text)) if p.0.is_empty() => {
                Ok(NewAnswer { received_on, text })
            }
            _ => Err(p),
        }
    }
}

/// Findings as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFindings {
    pub outcome: String,
    pub text: String,
}

/// Validated findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFindings {
    pub outcome: FindingOutcome,
    pub text: String,
}

impl RawFindings {
    pub fn validate(&self) -> Result<NewFindings, Problems> {
        let mut p = Problems::default();
        let outcome = required_vocab(
            &mut p,
            "outcome",
            &self.outcome,
            FindingOutcome::parse,
            FindingOutcome::allowed(),
        );
        let text = text(&mut p, "text", &self.text, true, TEXT_MAX);
        match (outcome, text) {
            (Some(outcome), Some(text)) if p.0.is_empty() => Ok(NewFindings { outcome, text }),
            _ => Err(p),
        }
    }
}

/// A step of a recommendation's follow-up, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFollowUp {
    pub state: String,
    pub on: String,
    pub note: String,
}

/// A validated follow-up step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    pub state: FollowUpState,
    pub on: Day,
    pub note: Option<String>,
}

impl RawFollowUp {
    /// A state, a day not after today, and an optional note.
    pub fn validate(&self, today: Day) -> Result<NewFollowUp, Problems> {
        let mut p = Problems::default();
        let state = required_vocab(
            &mut p,
            "state",
            &self.state,
            FollowUpState::parse,
            FollowUpState::allowed(),
        );
        let on = date_field(&mut p, "on", &self.on, true).flatten();
        not_after_today(&mut p, "on", on, today);
        let note = text(&mut p, "note", &self.note, false, TEXT_MAX);
        match (state, on) {
            (Some(state), Some(on)) if p.0.is_empty() => Ok(NewFollowUp { state, on, note }),
            _ => Err(p),
        }
    }
}

/// A question is overdue when its reply deadline has passed without an answer.
pub fn question_overdue(reply_by: Day, answered: bool, today: Day) -> bool {
    !answered && reply_by < today
}

/// Whether an investigation may close: every recommendation has a follow-up state other than
/// pending, or a reason is given for closing with some still pending. A closed investigation
/// does not close again. `reason` is the text typed (blank is none).
pub fn may_close(
    status: InvestigationStatus,
    latest_states: &[FollowUpState],
    reason: &str,
) -> Result<(), ErrorCode> {
    if status == InvestigationStatus::Closed {
        return Err(ErrorCode::InvestigationClosed);
    }
    let pending = latest_states.contains(&FollowUpState::Pending);
    if pending && reason.trim().is_empty() {
        return Err(ErrorCode::RecommendationsPending);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Day {
        Day::parse("2026-06-01").expect("day")
    }

    fn who(kind: OrgKind, roles: &[Role]) -> Principal {
        Principal {
            user_id: Uuid::nil(),
            org_id: Uuid::nil(),
            org_kind: kind,
            roles: roles.to_vec(),
        }
    }

    fn fields(p: &Problems) -> Vec<(&str, ErrorCode)> {
        p.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    proptest! {
        /// Org kind × roles × action: the ombudsperson and the supervisor of an ombudsperson's
        /// office work; the supervisor alone closes; the analyst counts; immigration enforcement
        /// meets the firewall whatever its roles; those roles elsewhere are out of scope.
        #[test]
        fn only_an_ombudspersons_office_works_its_investigations(
            k in 0..OrgKind::ALL.len(),
            rs in proptest::sample::subsequence(Role::ALL.to_vec(), 0..=Role::ALL.len()),
            a in 0..InvestigationAction::ALL.len(),
        ) {
            let (kind, action) = (OrgKind::ALL[k], InvestigationAction::ALL[a]);
            let got = investigation_access(&who(kind, &rs), action);
            let has = |r: Role| rs.contains(&r);
            let granted = match action {
                InvestigationAction::Open | InvestigationAction::Work => has(Role::Ombudsperson) || has(Role::Supervisor),
                InvestigationAction::Close => has(Role::Supervisor),
                InvestigationAction::Count => has(Role::Ombudsperson) || has(Role::Supervisor) || has(Role::Analyst),
            };
            let expected = if kind == OrgKind::ImmigrationEnforcement {
                Err(DenyReason::ImmigrationFirewall)
            } else if !granted {
                Err(DenyReason::NoGrant)
            } else if kind != OrgKind::Ombudsperson {
                Err(DenyReason::OutOfScope)
            } else {
                Ok(())
            };
            prop_assert_eq!(got, expected);
        }

        /// Closing: refused while a recommendation is pending unless a reason is given, and
        /// never twice.
        #[test]
        fn closing_needs_every_recommendation_followed_up_or_a_reason(
            states in proptest::collection::vec(proptest::sample::select(FollowUpState::ALL.to_vec()), 0..6),
            reason in proptest::sample::select(vec!["", "  ", "The authority was dissolved"]),
            s in 0..InvestigationStatus::ALL.len(),
        ) {
            let status = InvestigationStatus::ALL[s];
            let got = may_close(status, &states, reason);
            let expected = if status == InvestigationStatus::Closed {
                Err(ErrorCode::InvestigationClosed)
            } else if states.contains(&FollowUpState::Pending) && reason.trim().is_empty() {
                Err(ErrorCode::RecommendationsPending)
            } else {
                Ok(())
            };
            prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn the_analyst_counts_but_never_reads() {
        let analyst = who(OrgKind::Ombudsperson, &[Role::Analyst]);
        assert_eq!(
            investigation_access(&analyst, InvestigationAction::Count),
            Ok(())
        );
        assert_eq!(
            investigation_access(&analyst, InvestigationAction::Work),
            Err(DenyReason::NoGrant)
        );
        let ombudsperson = who(OrgKind::Ombudsperson, &[Role::Ombudsperson]);
        assert_eq!(
            investigation_access(&ombudsperson, InvestigationAction::Close),
            Err(DenyReason::NoGrant)
        );
        let officer = who(OrgKind::ImmigrationEnforcement, Role::ALL);
        for action in InvestigationAction::ALL {
            assert_eq!(
                investigation_access(&officer, *action),
                Err(DenyReason::ImmigrationFirewall)
            );
        }
    }

    #[test]
    fn an_investigation_names_each_bad_field() {
        let p = RawInvestigation::default().validate().expect_err("empty");
        assert_eq!(
            fields(&p),
            [
                ("subject.kind", ErrorCode::Required),
                ("subject.id", ErrorCode::Required),
                ("authority.name", ErrorCode::Required),
                ("authority.kind", ErrorCode::Required),
                ("summary", ErrorCode::Required),
            ]
        );
        let p = RawInvestigation {
            subject_kind: "incident_of_the_future".into(),
            subject_id: "not-an-id".into(),
            authority_name: "Border Force".into(),
            authority_kind: "army".into(),
            summary: "Push-back at the border".into(),
        }
        .validate()
        .expect_err("bad");
        assert_eq!(
            fields(&p),
            [
                ("subject.kind", ErrorCode::UnknownValue),
                ("subject.id", ErrorCode::InvalidId),
                ("authority.kind", ErrorCode::UnknownValue),
            ]
        );
        let ok = RawInvestigation {
            subject_kind: "case".into(),
            subject_id: Uuid::nil().to_string(),
            authority_name: "  Border Force ".into(),
            authority_kind: "border_agency".into(),
            summary: "Push-back at the border".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(ok.authority_name, "Border Force");
        assert_eq!(ok.authority_kind, AuthorityKind::BorderAgency);
    }

    #[test]
    fn questions_answers_and_follow_ups_are_dated_sensibly() {
        let p = RawQuestion {
            text: "Why was she detained?".into(),
            sent_on: "2026-07-01".into(),
            reply_by: "2026-06-20".into(),
        }
        .validate(today())
        .expect_err("future and backwards");
        assert_eq!(
            fields(&p),
            [
                ("sent_on", ErrorCode::InTheFuture),
                ("reply_by", ErrorCode::InvalidValue)
            ]
        );
        let q = RawQuestion {
            text: "Why was she detained?".into(),
            sent_on: "2026-05-01".into(),
            reply_by: "2026-05-31".into(),
        }
        .validate(today())
        .expect("valid");
        let p = RawAnswer {
            received_on: "2026-04-01".into(),
            text: String::new(),
        }
        .validate(q.sent_on, today())
        .expect_err("before the question");
        assert_eq!(
            fields(&p),
            [
                ("received_on", ErrorCode::InvalidValue),
                ("text", ErrorCode::Required)
            ]
        );
        let p = RawFollowUp {
            state: "forgotten".into(),
            on: "2026-06-02".into(),
            note: String::new(),
        }
        .validate(today())
        .expect_err("bad");
        assert_eq!(
            fields(&p),
            [
                ("state", ErrorCode::UnknownValue),
                ("on", ErrorCode::InTheFuture)
            ]
        );
        let p = RawFindings {
            outcome: "guilty".into(),
            text: "x".into(),
        }
        .validate()
        .expect_err("bad");
        assert_eq!(fields(&p), [("outcome", ErrorCode::UnknownValue)]);
    }

    #[test]
    fn a_question_is_overdue_only_past_its_deadline_without_an_answer() {
        let d = today();
        assert!(!question_overdue(d, false, d));
        assert!(question_overdue(d, false, d.plus_days(1)));
        assert!(!question_overdue(d, true, d.plus_days(1)));
    }
}
