//! The "Tracing and age" page of a case: age assessments with the benefit of the doubt and a
//! caution for X-ray methods, a link to the best-interests determination, and tracing
//! requests with their family members and the referrals that carry steps to partners. Every
//! form posts here and comes back with the saved line or its errors.

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Ids, UiError, UiSession, WebError, done};
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::tracing::{
    AssessmentMethod, FamilyRelation, MemberStatus, RawAgeAssessment, RawClose, RawMember,
    RawTracingRequest, SeparationReason, TracingStatus,
};
use passage_store::StoreError;
use uuid::Uuid;

/// An age assessment as the page shows it.
pub struct AgeRow {
    on: String,
    method: String,
    by: String,
    range: String,
    disputed: bool,
    child: bool,
    caution: bool,
}

/// A family member as the page shows it.
pub struct MemberRow {
    id: String,
    relation: String,
    name: String,
    place: Option<String>,
    known: Option<String>,
    status: String,
    status_id: &'static str,
}

/// A contact as the page shows it.
pub struct ContactRow {
    organisation: String,
    status: String,
}

/// A tracing request as the page shows it.
pub struct RequestRow {
    id: String,
    opened_on: String,
    reason: String,
    status: String,
    open: bool,
    outcome: Option<String>,
    members: Vec<MemberRow>,
    contacts: Vec<ContactRow>,
}

/// The age-assessment form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct AgeForm {
    assessed_on: String,
    method: String,
    assessed_by: String,
    age_lower: String,
    age_upper: String,
    disputed: Option<String>,
}
crate::form_body!(AgeForm);

/// The form that opens a request.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct OpenForm {
    opened_on: String,
    reason: String,
}
crate::form_body!(OpenForm);

/// The form that adds a family member.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct MemberForm {
    relation: String,
    name: String,
    last_known_place: String,
    known: String,
}
crate::form_body!(MemberForm);

/// A member's status.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}
crate::form_body!(StatusForm);

/// A referral chosen as a tracing step.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ContactForm {
    referral_id: String,
}
crate::form_body!(ContactForm);

/// Closing a request.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CloseForm {
    status: String,
    outcome: String,
}
crate::form_body!(CloseForm);

#[derive(Template)]
#[template(path = "tracing.html")]
struct TracingPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    ages: Vec<AgeRow>,
    treated_as_child: bool,
    has_best_interests: bool,
    requests: Vec<RequestRow>,
    referrals: Vec<(String, String)>,
    methods: Vec<(&'static str, String)>,
    reasons: Vec<(&'static str, String)>,
    relations: Vec<(&'static str, String)>,
    member_statuses: Vec<(&'static str, String)>,
    final_statuses: Vec<(&'static str, String)>,
    age: AgeForm,
    open_form: OpenForm,
}

fn labels<T: Copy>(
    nav: &Nav,
    kind: &str,
    all: &[T],
    id: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, String)> {
    all.iter()
        .map(|v| (id(*v), nav.label(kind, id(*v))))
        .collect()
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    age: AgeForm,
    open_form: OpenForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let assessments = state.store.age_assessments(actor, case_id).await?;
    let requests = state.store.tracing_requests(actor, case_id).await?;
    let has_best_interests = !state
        .store
        .list_best_interests(actor, case_id)
        .await?
        .is_empty();
    let referrals = state
        .store
        .case_referrals(actor, case_id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id.to_string(),
                format!(
                    "{} · {} · {}",
                    r.to_organisation_name,
                    r.service_name,
                    nav.label("referral_status", r.status.as_str())
                ),
            )
        })
        .collect();
    let treated_as_child = assessments.iter().any(|a| a.treated_as_child);
    let ages = assessments
        .into_iter()
        .map(|a| AgeRow {
            on: a.assessed_on.to_string(),
            method: nav.label("assessment_method", a.method.as_str()),
            by: a.assessed_by,
            range: format!("{}–{}", a.age_lower, a.age_upper),
            disputed: a.disputed,
            child: a.treated_as_child,
            caution: a.method.needs_caution(),
        })
        .collect();
    let requests = requests
        .into_iter()
        .map(|r| RequestRow {
            id: r.id.to_string(),
            opened_on: r.opened_on.to_string(),
            reason: nav.label("separation_reason", r.reason.as_str()),
            status: nav.label("tracing_status", r.status.as_str()),
            open: r.status.is_open(),
            outcome: r.outcome,
            members: r
                .members
                .into_iter()
                .map(|m| MemberRow {
                    id: m.id.to_string(),
                    relation: nav.label("family_relation", m.relation.as_str()),
                    name: m.name,
                    place: m.last_known_place,
                    known: m.known,
                    status: nav.label("member_status", m.status.as_str()),
                    status_id: m.status.as_str(),
                })
                .collect(),
            contacts: r
                .contacts
                .into_iter()
                .map(|c| ContactRow {
                    organisation: c.organisation_name,
                    status: nav.label("referral_status", c.referral_status.as_str()),
                })
                .collect(),
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&TracingPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            ages,
            treated_as_child,
            has_best_interests,
            requests,
            referrals,
            methods: labels(&nav, "assessment_method", AssessmentMethod::ALL, |v| {
                v.as_str()
            }),
            reasons: labels(&nav, "separation_reason", SeparationReason::ALL, |v| {
                v.as_str()
            }),
            relations: labels(&nav, "family_relation", FamilyRelation::ALL, |v| v.as_str()),
            member_statuses: labels(&nav, "member_status", MemberStatus::ALL, |v| v.as_str()),
            final_statuses: labels(&nav, "tracing_status", &TracingStatus::ALL[1..], |v| {
                v.as_str()
            }),
            age,
            open_form,
            nav,
        }),
        status,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render(
        &state,
        &s,
        id,
        Vec::new(),
        AgeForm::default(),
        OpenForm::default(),
    )
    .await
}

async fn answer(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    result: Result<(), StoreError>,
    prefix: &str,
    age: AgeForm,
    open_form: OpenForm,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/tracing"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("{prefix}-{}", f.replace('_', "-")))?;
            render(state, s, case_id, errors, age, open_form).await
        }
    }
}

fn years(typed: &str) -> Option<i64> {
    let t = typed.trim();
    if t.is_empty() {
        None
    } else {
        // A value that is not a number is out of range: the rule names the field.
        Some(t.parse::<i64>().unwrap_or(-1))
    }
}

pub async fn record_age(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<AgeForm>,
) -> Result<Response, WebError> {
    let raw = RawAgeAssessment {
        assessed_on: form.assessed_on.clone(),
        method: form.method.clone(),
        assessed_by: form.assessed_by.clone(),
        age_lower: years(&form.age_lower),
        age_upper: years(&form.age_upper),
        disputed: form.disputed.is_some(),
    };
    let result = match raw.validate() {
        Ok(a) => state
            .store
            .record_age_assessment(&s.session.actor, case_id, a)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    answer(
        &state,
        &s,
        case_id,
        result,
        "age",
        form,
        OpenForm::default(),
    )
    .await
}

pub async fn open(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<OpenForm>,
) -> Result<Response, WebError> {
    let raw = RawTracingRequest {
        opened_on: form.opened_on.clone(),
        reason: form.reason.clone(),
    };
    let result = match raw.validate() {
        Ok(r) => state
            .store
            .open_tracing(&s.session.actor, case_id, r)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    answer(
        &state,
        &s,
        case_id,
        result,
        "tracing",
        AgeForm::default(),
        form,
    )
    .await
}

pub async fn add_member(
    State(state): State<AppState>,
    Ids((case_id, tid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<MemberForm>,
) -> Result<Response, WebError> {
    let raw = RawMember {
        relation: form.relation,
        name: form.name,
        last_known_place: form.last_known_place,
        known: form.known,
    };
    let result = match raw.validate() {
        Ok(m) => state
            .store
            .add_tracing_member(&s.session.actor, case_id, tid, m)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    let prefix = format!("member-{tid}");
    answer(
        &state,
        &s,
        case_id,
        result,
        &prefix,
        AgeForm::default(),
        OpenForm::default(),
    )
    .await
}

pub async fn member_status(
    State(state): State<AppState>,
    Ids((case_id, tid, mid)): Ids<(Uuid, Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<StatusForm>,
) -> Result<Response, WebError> {
    let result = match passage_core::casework::tracing::member_status(&form.status) {
        Ok(st) => {
            state
                .store
                .set_tracing_member_status(&s.session.actor, case_id, tid, mid, st)
                .await
        }
        Err(p) => Err(StoreError::Invalid(p)),
    };
    let prefix = format!("status-{mid}");
    answer(
        &state,
        &s,
        case_id,
        result,
        &prefix,
        AgeForm::default(),
        OpenForm::default(),
    )
    .await
}

pub async fn add_contact(
    State(state): State<AppState>,
    Ids((case_id, tid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<ContactForm>,
) -> Result<Response, WebError> {
    let result = match passage_core::validate::staff_id("referral_id", &form.referral_id) {
        Ok(r) => state
            .store
            .add_tracing_contact(&s.session.actor, case_id, tid, r)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    let prefix = format!("contact-{tid}");
    answer(
        &state,
        &s,
        case_id,
        result,
        &prefix,
        AgeForm::default(),
        OpenForm::default(),
    )
    .await
}

pub async fn close(
    State(state): State<AppState>,
    Ids((case_id, tid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<CloseForm>,
) -> Result<Response, WebError> {
    let raw = RawClose {
        status: form.status,
        outcome: form.outcome,
    };
    let result = match raw.validate() {
        Ok(c) => {
            state
                .store
                .close_tracing(&s.session.actor, case_id, tid, c)
                .await
        }
        Err(p) => Err(StoreError::Invalid(p)),
    };
    let prefix = format!("close-{tid}");
    answer(
        &state,
        &s,
        case_id,
        result,
        &prefix,
        AgeForm::default(),
        OpenForm::default(),
    )
    .await
}
