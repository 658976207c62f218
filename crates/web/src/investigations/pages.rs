//! Investigations' pages, for the ombudsperson and the supervisor of an ombudsperson's office:
//! `/investigations` (the work list, investigations with an overdue question first, and the
//! form that takes a complaint up — reached from a report or a case page with its subject
//! filled in) and `/investigations/{id}` (everything recorded, with the forms that add to it).
//! The office's analyst reads counts on `/investigations`, nothing else.

use crate::AppState;
use crate::kit::form::{StaffForm, again, ui_errors};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_core::oversight::investigations::{
    AuthorityKind, FindingOutcome, FollowUpState, InvestigationAction, InvestigationStatus,
    RawAnswer, RawFindings, RawFollowUp, RawInvestigation, RawQuestion, SubjectKind,
};
use passage_store::Store;
use uuid::Uuid;

/// (value, label, selected) of a list.
type Choice = (String, String, bool);

fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: impl Fn(&str) -> String,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let n = name(*v);
            (n.to_string(), label(n), n == selected)
        })
        .collect()
}

// ------------------------------------------------------------------ the work list

/// The form that takes a complaint up, as typed (also the query a report or case page sends).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct TakeUpForm {
    subject_kind: String,
    subject_id: String,
    authority_name: String,
    authority_kind: String,
    summary: String,
}
crate::form_body!(TakeUpForm);

impl TakeUpForm {
    fn raw(&self) -> RawInvestigation {
        RawInvestigation {
            subject_kind: self.subject_kind.clone(),
            subject_id: self.subject_id.clone(),
            authority_name: self.authority_name.clone(),
            authority_kind: self.authority_kind.clone(),
            summary: self.summary.clone(),
        }
    }
}

fn take_up_anchor(field: &str) -> String {
    let f = match field {
        "subject.kind" | "not_found" => "subject_kind",
        "subject.id" => "subject_id",
        "authority.name" => "authority_name",
        "authority.kind" => "authority_kind",
        f => f,
    };
    format!("take-up-{f}")
}

/// An investigation as a line of the work list.
pub struct Line {
    id: String,
    authority: String,
    authority_kind: String,
    subject_kind: String,
    opened_on: String,
    status: String,
    overdue: u64,
    open_questions: u64,
    next_reply_by: String,
}

#[derive(Template)]
#[template(path = "investigations.html")]
struct WorkListPage {
    nav: Nav,
    /// The reader works investigations (else only the counts are shown).
    works: bool,
    lines: Vec<Line>,
    /// (status label, count), and questions overdue.
    counts: Vec<(String, u64)>,
    overdue_questions: u64,
    subject_kinds: Vec<Choice>,
    authority_kinds: Vec<Choice>,
    form: TakeUpForm,
    errors: Vec<UiError>,
}

async fn work_list_page(
    state: &AppState,
    s: &UiSession,
    form: TakeUpForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let works = Store::may_investigate(actor, InvestigationAction::Work);
    let counts = state.store.investigation_counts(actor).await?;
    let lines = if works {
        state.store.investigation_work_list(actor).await?
    } else {
        Vec::new()
    };
    let nav = Nav::of(state, s).await?;
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&WorkListPage {
            works,
            lines: lines
                .into_iter()
                .map(|i| Line {
                    id: i.id.to_string(),
                    authority: i.authority_name,
                    authority_kind: nav.label("authority_kind", i.authority_kind.as_str()),
                    subject_kind: nav.label("subject_kind", i.subject_kind.as_str()),
                    opened_on: i.opened_on,
                    status: nav.label("investigation_status", i.status.as_str()),
                    overdue: i.overdue_questions,
                    open_questions: i.open_questions,
                    next_reply_by: i.next_reply_by.unwrap_or_default(),
                })
                .collect(),
            counts: counts
                .by_status
                .iter()
                .map(|(st, n)| (nav.label("investigation_status", st.as_str()), *n))
                .collect(),
            overdue_questions: counts.overdue_questions,
            subject_kinds: choices(
                SubjectKind::ALL,
                SubjectKind::as_str,
                |v| nav.label("subject_kind", v),
                &form.subject_kind,
            ),
            authority_kinds: choices(
                AuthorityKind::ALL,
                AuthorityKind::as_str,
                |v| nav.label("authority_kind", v),
                &form.authority_kind,
            ),
            form,
            errors,
            nav,
        }),
        has_errors,
    ))
}

pub async fn work_list(
    State(state): State<AppState>,
    s: UiSession,
    Query(q): Query<TakeUpForm>,
) -> Result<Response, WebError> {
    let form = TakeUpForm {
        subject_kind: q.subject_kind,
        subject_id: q.subject_id,
        ..Default::default()
    };
    work_list_page(&state, &s, form, Vec::new()).await
}

pub async fn open(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<TakeUpForm>,
) -> Result<Response, WebError> {
    let actor = s.session.actor.clone();
    state.store.investigation_firewall(&actor).await?;
    match state.store.open_investigation(&actor, &form.raw()).await {
        Ok(id) => Ok(done(&format!("/investigations/{id}"), "saved")),
        Err(passage_store::StoreError::NotFound) => Err(WebError::not_found()),
        Err(e) => {
            let errors = ui_errors(e, take_up_anchor)?;
            work_list_page(&state, &s, form, errors).await
        }
    }
}

// ------------------------------------------------------------------ one investigation

/// A question as shown.
pub struct QuestionRow {
    id: String,
    text: String,
    sent_on: String,
    reply_by: String,
    answered_on: String,
    answer: String,
    overdue: bool,
}

/// A recommendation as shown, with its history: (state label, day, note).
pub struct RecommendationRow {
    id: String,
    text: String,
    state: String,
    history: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "investigation.html")]
struct InvestigationPage {
    nav: Nav,
    id: String,
    subject_kind: String,
    subject_link: String,
    authority: String,
    authority_kind: String,
    opened_on: String,
    status: String,
    closed: bool,
    summary: String,
    findings: Option<(String, String, String)>,
    questions: Vec<QuestionRow>,
    recommendations: Vec<RecommendationRow>,
    closed_on: String,
    close_reason: String,
    /// The reader may close it (a supervisor of the office) and it is not closed.
    may_close: bool,
    outcomes: Vec<Choice>,
    states: Vec<Choice>,
    today: String,
    errors: Vec<UiError>,
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    investigation_page(&state, &s, id, Vec::new()).await
}

async fn investigation_page(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let v = state.store.investigation(actor, id).await?;
    let nav = Nav::of(state, s).await?;
    let closed = v.status == InvestigationStatus::Closed;
    let has_errors = !errors.is_empty();
    let subject_link = match v.subject_kind {
        SubjectKind::Report => format!("/reports/{}", v.subject_id),
        SubjectKind::Case => format!("/cases/{}", v.subject_id),
        SubjectKind::Referral => format!("/referrals/{}", v.subject_id),
        SubjectKind::Incident => format!("/incidents/{}", v.subject_id),
    };
    Ok(again(
        page(&InvestigationPage {
            id: v.id.to_string(),
            subject_kind: nav.label("subject_kind", v.subject_kind.as_str()),
            subject_link,
            authority: v.authority_name,
            authority_kind: nav.label("authority_kind", v.authority_kind.as_str()),
            opened_on: v.opened_on,
            status: nav.label("investigation_status", v.status.as_str()),
            closed,
            summary: v.summary,
            findings: v.findings.map(|f| {
                (
                    nav.label("finding_outcome", f.outcome.as_str()),
                    f.text,
                    f.on,
                )
            }),
            questions: v
                .questions
                .into_iter()
                .map(|q| QuestionRow {
                    id: q.id.to_string(),
                    text: q.text,
                    sent_on: q.sent_on,
                    reply_by: q.reply_by,
                    answered_on: q.answered_on.unwrap_or_default(),
                    answer: q.answer.unwrap_or_default(),
                    overdue: q.overdue,
                })
                .collect(),
            recommendations: v
                .recommendations
                .into_iter()
                .map(|r| RecommendationRow {
                    id: r.id.to_string(),
                    text: r.text,
                    state: nav.label("follow_up_state", r.state.as_str()),
                    history: r
                        .history
                        .into_iter()
                        .map(|h| {
                            (
                                nav.label("follow_up_state", h.state.as_str()),
                                h.on,
                                h.note.unwrap_or_default(),
                            )
                        })
                        .collect(),
                })
                .collect(),
            closed_on: v.closed_on.unwrap_or_default(),
            close_reason: v.close_reason.unwrap_or_default(),
            may_close: !closed && Store::may_investigate(actor, InvestigationAction::Close),
            outcomes: choices(
                FindingOutcome::ALL,
                FindingOutcome::as_str,
                |x| nav.label("finding_outcome", x),
                "",
            ),
            states: choices(
                FollowUpState::ALL,
                FollowUpState::as_str,
                |x| nav.label("follow_up_state", x),
                "",
            ),
            today: crate::kit::today(state).to_string(),
            errors,
            nav,
        }),
        has_errors,
    ))
}

/// After a form of the investigation page: back to it with the status line, or shown again
/// with the refusal at the form's fields (`prefix-field`).
async fn after(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    prefix: &str,
    result: Result<(), passage_store::StoreError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(&format!("/investigations/{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| {
                if passage_core::ErrorCode::parse(f).is_some() {
                    format!("{prefix}-form")
                } else {
                    format!("{prefix}-{}", f.replace('.', "-"))
                }
            })?;
            investigation_page(state, s, id, errors).await
        }
    }
}

/// A question as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    text: String,
    sent_on: String,
    reply_by: String,
}
crate::form_body!(QuestionForm);

pub async fn question(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<QuestionForm>,
) -> Result<Response, WebError> {
    let raw = RawQuestion {
        text: form.text,
        sent_on: form.sent_on,
        reply_by: form.reply_by,
    };
    let r = state
        .store
        .send_investigation_question(&s.session.actor, id, &raw)
        .await
        .map(|_| ());
    after(&state, &s, id, "question", r).await
}

/// An answer as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    received_on: String,
    text: String,
}
crate::form_body!(AnswerForm);

pub async fn answer(
    State(state): State<AppState>,
    Ids((id, qid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<AnswerForm>,
) -> Result<Response, WebError> {
    let raw = RawAnswer {
        received_on: form.received_on,
        text: form.text,
    };
    let r = state
        .store
        .answer_investigation_question(&s.session.actor, id, qid, &raw)
        .await;
    after(&state, &s, id, &format!("answer-{qid}"), r).await
}

/// Findings as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct FindingsForm {
    outcome: String,
    text: String,
}
crate::form_body!(FindingsForm);

pub async fn findings(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<FindingsForm>,
) -> Result<Response, WebError> {
    let raw = RawFindings {
        outcome: form.outcome,
        text: form.text,
    };
    let r = state
        .store
        .record_investigation_findings(&s.session.actor, id, &raw)
        .await;
    after(&state, &s, id, "findings", r).await
}

/// A recommendation as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct RecommendationForm {
    text: String,
}
crate::form_body!(RecommendationForm);

pub async fn recommendation(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<RecommendationForm>,
) -> Result<Response, WebError> {
    let r = state
        .store
        .add_investigation_recommendation(&s.session.actor, id, &form.text)
        .await
        .map(|_| ());
    after(&state, &s, id, "recommendation", r).await
}

/// A follow-up step as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct FollowUpForm {
    state: String,
    on: String,
    note: String,
}
crate::form_body!(FollowUpForm);

pub async fn follow_up(
    State(state): State<AppState>,
    Ids((id, rid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<FollowUpForm>,
) -> Result<Response, WebError> {
    let raw = RawFollowUp {
        state: form.state,
        on: form.on,
        note: form.note,
    };
    let r = state
        .store
        .follow_up_recommendation(&s.session.actor, id, rid, &raw)
        .await;
    after(&state, &s, id, &format!("follow-up-{rid}"), r).await
}

/// Closing as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CloseForm {
    reason: String,
}
crate::form_body!(CloseForm);

pub async fn close(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<CloseForm>,
) -> Result<Response, WebError> {
    let r = state
        .store
        .close_investigation(&s.session.actor, id, &form.reason)
        .await;
    after(&state, &s, id, "close", r).await
}
