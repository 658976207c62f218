//! The request and response types of investigations over the API; the OpenAPI schemas are
//! derived from them. Every field of a body is read as text and checked by the core rules, so a
//! missing or unknown value is a 422 naming the field, never a parse error.

use passage_core::oversight::investigations::{
    AuthorityKind, FindingOutcome, FollowUpState, InvestigationStatus, RawAnswer, RawFindings,
    RawFollowUp, RawInvestigation, RawQuestion, SubjectKind,
};
use passage_store::oversight::investigations::{
    InvestigationCounts, InvestigationItem, InvestigationView,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn strings(all: impl Iterator<Item = &'static str>) -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(all))
        .build()
}
fn subject_kind() -> utoipa::openapi::Object {
    strings(SubjectKind::ALL.iter().map(|v| v.as_str()))
}
fn authority_kind() -> utoipa::openapi::Object {
    strings(AuthorityKind::ALL.iter().map(|v| v.as_str()))
}
fn status() -> utoipa::openapi::Object {
    strings(InvestigationStatus::ALL.iter().map(|v| v.as_str()))
}
fn outcome() -> utoipa::openapi::Object {
    strings(FindingOutcome::ALL.iter().map(|v| v.as_str()))
}
fn state() -> utoipa::openapi::Object {
    strings(FollowUpState::ALL.iter().map(|v| v.as_str()))
}

/// What is taken up: a report, a case or an incident of your office, or a referral it received
/// and accepted, by id.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectInput {
    #[serde(default)]
    #[schema(required = true, schema_with = subject_kind)]
    pub kind: String,
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
}

/// The authority the investigation concerns.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityInput {
    #[serde(default)]
    #[schema(required = true, max_length = 300)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true, schema_with = authority_kind)]
    pub kind: String,
}

/// A complaint taken up for investigation.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestigationInput {
    #[serde(default)]
    pub subject: SubjectInput,
    #[serde(default)]
    pub authority: AuthorityInput,
    /// What is investigated (sealed).
    #[serde(default)]
    #[schema(required = true, max_length = 20000)]
    pub summary: String,
}

impl InvestigationInput {
    pub fn raw(self) -> RawInvestigation {
        RawInvestigation {
            subject_kind: self.subject.kind,
            subject_id: self.subject.id,
            authority_name: self.authority.name,
            authority_kind: self.authority.kind,
            summary: self.summary,
        }
    }
}

/// A question sent to the authority and the day a reply is due by.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    #[serde(default)]
    #[schema(required = true, max_length = 20000)]
    pub text: String,
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    #[schema(required = true)]
    pub sent_on: String,
    /// YYYY-MM-DD, on or after `sent_on`.
    #[serde(default)]
    #[schema(required = true)]
    pub reply_by: String,
}

impl QuestionInput {
    pub fn raw(self) -> RawQuestion {
        RawQuestion {
            text: self.text,
            sent_on: self.sent_on,
            reply_by: self.reply_by,
        }
    }
}

/// The authority's answer to a question.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// YYYY-MM-DD, not after today nor before the question was sent.
    #[serde(default)]
    #[schema(required = true)]
    pub received_on: String,
    #[serde(default)]
    #[schema(required = true, max_length = 20000)]
    pub text: String,
}

impl AnswerInput {
    pub fn raw(self) -> RawAnswer {
        RawAnswer {
            received_on: self.received_on,
            text: self.text,
        }
    }
}

/// The findings of the investigation.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingsInput {
    #[serde(default)]
    #[schema(required = true, schema_with = outcome)]
    pub outcome: String,
    #[serde(default)]
    #[schema(required = true, max_length = 20000)]
    pub text: String,
}

impl FindingsInput {
    pub fn raw(self) -> RawFindings {
        RawFindings {
            outcome: self.outcome,
            text: self.text,
        }
    }
}

/// A recommendation addressed to the authority.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationInput {
    #[serde(default)]
    #[schema(required = true, max_length = 20000)]
    pub text: String,
}

/// A step of a recommendation's follow-up.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    #[serde(default)]
    #[schema(required = true, schema_with = state)]
    pub state: String,
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    #[schema(required = true)]
    pub on: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl FollowUpInput {
    pub fn raw(self) -> RawFollowUp {
        RawFollowUp {
            state: self.state,
            on: self.on,
            note: self.note.unwrap_or_default(),
        }
    }
}

/// Closing: a reason is needed while a recommendation is still pending.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    #[serde(default)]
    pub reason: Option<String>,
}

/// A record made: its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationCreated {
    pub id: Uuid,
}

/// What an investigation is on.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectOut {
    #[schema(schema_with = subject_kind)]
    pub kind: &'static str,
    pub id: Uuid,
}

/// The authority concerned.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorityOut {
    pub name: String,
    #[schema(schema_with = authority_kind)]
    pub kind: &'static str,
}

/// An investigation on the work list.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationListItem {
    pub id: Uuid,
    pub subject_kind: &'static str,
    pub authority: AuthorityOut,
    pub opened_on: String,
    #[schema(schema_with = status)]
    pub status: &'static str,
    /// Questions past their reply deadline without an answer.
    pub overdue_questions: u64,
    pub open_questions: u64,
    pub next_reply_by: Option<String>,
}

impl From<InvestigationItem> for InvestigationListItem {
    fn from(i: InvestigationItem) -> Self {
        InvestigationListItem {
            id: i.id,
            subject_kind: i.subject_kind.as_str(),
            authority: AuthorityOut {
                name: i.authority_name,
                kind: i.authority_kind.as_str(),
            },
            opened_on: i.opened_on,
            status: i.status.as_str(),
            overdue_questions: i.overdue_questions,
            open_questions: i.open_questions,
            next_reply_by: i.next_reply_by,
        }
    }
}

/// A question and its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionOut {
    pub id: Uuid,
    pub text: String,
    pub sent_on: String,
    pub reply_by: String,
    pub answered_on: Option<String>,
    pub answer: Option<String>,
    pub overdue: bool,
}

/// A step of a follow-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpOut {
    #[schema(schema_with = state)]
    pub state: &'static str,
    pub on: String,
    pub note: Option<String>,
}

/// A recommendation, its state now and its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationOut {
    pub id: Uuid,
    pub text: String,
    #[schema(schema_with = state)]
    pub state: &'static str,
    pub history: Vec<FollowUpOut>,
}

/// The findings.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingsOut {
    #[schema(schema_with = outcome)]
    pub outcome: &'static str,
    pub text: String,
    pub on: String,
}

/// One investigation with everything recorded on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationDetail {
    pub id: Uuid,
    pub subject: SubjectOut,
    pub authority: AuthorityOut,
    pub opened_on: String,
    #[schema(schema_with = status)]
    pub status: &'static str,
    pub summary: String,
    pub findings: Option<FindingsOut>,
    pub questions: Vec<QuestionOut>,
    pub recommendations: Vec<RecommendationOut>,
    pub closed_on: Option<String>,
    pub close_reason: Option<String>,
}

impl From<InvestigationView> for InvestigationDetail {
    fn from(v: InvestigationView) -> Self {
        InvestigationDetail {
            id: v.id,
            subject: SubjectOut {
                kind: v.subject_kind.as_str(),
                id: v.subject_id,
            },
            authority: AuthorityOut {
                name: v.authority_name,
                kind: v.authority_kind.as_str(),
            },
            opened_on: v.opened_on,
            status: v.status.as_str(),
            summary: v.summary,
            findings: v.findings.map(|f| FindingsOut {
                outcome: f.outcome.as_str(),
                text: f.text,
                on: f.on,
            }),
            questions: v
                .questions
                .into_iter()
                .map(|q| QuestionOut {
                    id: q.id,
                    text: q.text,
                    sent_on: q.sent_on,
                    reply_by: q.reply_by,
                    answered_on: q.answered_on,
                    answer: q.answer,
                    overdue: q.overdue,
                })
                .collect(),
            recommendations: v
                .recommendations
                .into_iter()
                .map(|r| RecommendationOut {
                    id: r.id,
                    text: r.text,
                    state: r.state.as_str(),
                    history: r
                        .history
                        .into_iter()
                        .map(|h| FollowUpOut {
                            state: h.state.as_str(),
                            on: h.on,
                            note: h.note,
                        })
                        .collect(),
                })
                .collect(),
            closed_on: v.closed_on,
            close_reason: v.close_reason,
        }
    }
}

/// How many investigations the office has in each status, and questions overdue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsOut {
    pub open: u64,
    pub findings_issued: u64,
    pub follow_up: u64,
    pub closed: u64,
    pub overdue_questions: u64,
}

impl From<InvestigationCounts> for CountsOut {
    fn from(c: InvestigationCounts) -> Self {
        let n = |s: InvestigationStatus| {
            c.by_status
                .iter()
                .find(|(k, _)| *k == s)
                .map_or(0, |(_, n)| *n)
        };
        CountsOut {
            open: n(InvestigationStatus::Open),
            findings_issued: n(InvestigationStatus::FindingsIssued),
            follow_up: n(InvestigationStatus::FollowUp),
            closed: n(InvestigationStatus::Closed),
            overdue_questions: c.overdue_questions,
        }
    }
}
