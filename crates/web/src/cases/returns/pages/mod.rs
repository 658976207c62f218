//! The "Return" page of a case: the return assessment (risks, family), the person's informed
//! choices with whether a plan may go ahead, travel documents asked of a consulate through a
//! referral, the journey plan, and the hand-over of reintegration follow-up with the visits
//! that flowed back, each shown per dimension of the survey with the dimension's computed
//! score. And the partner's page on its hand-over referral, where the visits are recorded.
//! Every form posts here and comes back with the saved line or its errors.

mod forms;
mod partner;

pub use forms::{add_choice, add_risk, documents, documents_status, family, handover, journey};
pub use partner::{partner, record_visit};

use crate::AppState;
use crate::kit::form::{error_status, ui_errors, with_status};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::returns::{
    ChoiceFacts, Dimension, DocumentStatus, FamilyWilling, ReturnChoice, ReturnRisk, VisitMonth,
    dimension_scores, item_named, may_plan,
};
use passage_store::StoreError;
use passage_store::casework::returns::{LinkedReferral, VisitRecord};
use uuid::Uuid;

/// One answer as the page shows it.
pub struct AnswerRow {
    item: String,
    answer: String,
}

/// A dimension of one visit: its answers and its computed score.
pub struct DimensionRow {
    id: &'static str,
    label: String,
    score: String,
    answers: Vec<AnswerRow>,
}

/// A visit as the page shows it.
pub struct VisitRow {
    id: String,
    month: String,
    visited_on: String,
    note: Option<String>,
    dimensions: Vec<DimensionRow>,
}

/// A visit and when it falls due.
pub struct DueRow {
    month: String,
    due_on: String,
    recorded: bool,
}

/// A referral the return rests on, as the page shows it.
pub struct ReferralRow {
    organisation: String,
    status: String,
    ended: bool,
}

/// A risk as the page shows it.
pub struct RiskRow {
    risk: String,
    note: Option<String>,
}

/// A choice as the page shows it.
pub struct ChoiceRow {
    on: String,
    language: String,
    interpreter: bool,
    choice: String,
    voluntary: bool,
    words: Option<String>,
}

/// The journey plan as the page shows it.
pub struct JourneyRow {
    country: String,
    departure_on: String,
    legs: Option<String>,
    escort: bool,
    reception: Option<String>,
    arrival_on: String,
}

/// A survey item in the visit form.
pub struct ItemField {
    key: &'static str,
    id: String,
    label: String,
    answers: Vec<(&'static str, String)>,
}

/// A dimension's items in the visit form.
pub struct DimensionFields {
    id: &'static str,
    label: String,
    items: Vec<ItemField>,
}

/// A risk as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct RiskForm {
    risk: String,
    note: String,
}
crate::form_body!(RiskForm);

/// The family assessment as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct FamilyForm {
    willing: String,
    note: String,
}
crate::form_body!(FamilyForm);

/// The person's choice as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ChoiceForm {
    language: String,
    informed_on: String,
    interpreter: Option<String>,
    choice: String,
    voluntary: Option<String>,
    own_words: String,
}
crate::form_body!(ChoiceForm);

/// The journey plan as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct JourneyForm {
    country: String,
    departure_on: String,
    legs: String,
    escort: Option<String>,
    reception: String,
    arrival_on: String,
}
crate::form_body!(JourneyForm);

/// A referral chosen.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    referral_id: String,
}
crate::form_body!(ReferralForm);

/// A document status chosen.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}
crate::form_body!(StatusForm);

#[derive(Template)]
#[template(path = "return.html")]
struct ReturnPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    risks: Vec<RiskRow>,
    family_willing: Option<String>,
    family_note: Option<String>,
    choices: Vec<ChoiceRow>,
    may_plan: bool,
    journey: Option<JourneyRow>,
    journey_refused: bool,
    documents: Option<ReferralRow>,
    document_status: Option<String>,
    handover: Option<ReferralRow>,
    due: Vec<DueRow>,
    visits: Vec<VisitRow>,
    referrals: Vec<(String, String)>,
    languages: Vec<String>,
    risk_kinds: Vec<(&'static str, String)>,
    willing_kinds: Vec<(&'static str, String)>,
    choice_kinds: Vec<(&'static str, String)>,
    document_kinds: Vec<(&'static str, String)>,
    choice_form: ChoiceForm,
    journey_form: JourneyForm,
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

fn referral_row(nav: &Nav, r: LinkedReferral) -> ReferralRow {
    ReferralRow {
        organisation: r.organisation_name,
        status: nav.label("referral_status", r.status.as_str()),
        ended: r.access_ended,
    }
}

fn visit_rows(nav: &Nav, visits: Vec<VisitRecord>) -> Vec<VisitRow> {
    visits
        .into_iter()
        .map(|v| {
            let scores = dimension_scores(&v.answers);
            let dimensions = Dimension::ALL
                .iter()
                .map(|d| {
                    let score = scores
                        .iter()
                        .find(|s| s.dimension == *d)
                        .and_then(|s| s.score)
                        .map_or_else(|| "–".to_string(), |s| format!("{s:.2}"));
                    DimensionRow {
                        id: d.as_str(),
                        label: nav.label("reintegration_dimension", d.as_str()),
                        score,
                        answers: v
                            .answers
                            .iter()
                            .filter(|(k, _)| item_named(k).is_some_and(|i| i.dimension == *d))
                            .map(|(k, a)| AnswerRow {
                                item: nav.t(&format!("return-item-{k}")),
                                answer: nav.t(&format!("return-answer-{a}")),
                            })
                            .collect(),
                    }
                })
                .collect();
            VisitRow {
                id: v.id.to_string(),
                month: nav.label("visit_month", v.month.as_str()),
                visited_on: v.visited_on.to_string(),
                note: v.note,
                dimensions,
            }
        })
        .collect()
}

fn due_rows(
    nav: &Nav,
    arrival: Option<passage_core::casework::calendar::Day>,
    visits: &[VisitRecord],
) -> Vec<DueRow> {
    let Some(arrival) = arrival else {
        return Vec::new();
    };
    VisitMonth::ALL
        .iter()
        .map(|m| DueRow {
            month: nav.label("visit_month", m.as_str()),
            due_on: m.due_on(arrival).to_string(),
            recorded: visits.iter().any(|v| v.month == *m),
        })
        .collect()
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    choice_form: ChoiceForm,
    journey_form: JourneyForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let v = state.store.return_view(actor, case_id).await?;
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
    let latest = v.choices.first().map(|c| ChoiceFacts {
        choice: c.choice,
        voluntary: c.voluntary,
    });
    let due = due_rows(&nav, v.journey.as_ref().map(|j| j.arrival_on), &v.visits);
    let status = error_status(&errors);
    Ok(with_status(
        page(&ReturnPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            risks: v
                .risks
                .into_iter()
                .map(|r| RiskRow {
                    risk: nav.label("return_risk", r.risk.as_str()),
                    note: r.note,
                })
                .collect(),
            family_willing: v
                .family_willing
                .map(|w| nav.label("family_willing", w.as_str())),
            family_note: v.family_note,
            choices: v
                .choices
                .into_iter()
                .map(|c| ChoiceRow {
                    on: c.informed_on.to_string(),
                    language: c.language,
                    interpreter: c.interpreter,
                    choice: nav.label("return_choice", c.choice.as_str()),
                    voluntary: c.voluntary,
                    words: c.own_words,
                })
                .collect(),
            may_plan: may_plan(latest).is_ok(),
            journey: v.journey.map(|j| JourneyRow {
                country: j.country.as_str().to_string(),
                departure_on: j.departure_on.to_string(),
                legs: j.legs,
                escort: j.escort,
                reception: j.reception,
                arrival_on: j.arrival_on.to_string(),
            }),
            journey_refused: v.journey_refused,
            documents: v.documents.map(|r| referral_row(&nav, r)),
            document_status: v
                .document_status
                .map(|d| nav.label("document_status", d.as_str())),
            handover: v.handover.map(|r| referral_row(&nav, r)),
            due,
            visits: visit_rows(&nav, v.visits),
            referrals,
            languages: v.languages,
            risk_kinds: labels(&nav, "return_risk", ReturnRisk::ALL, |x| x.as_str()),
            willing_kinds: labels(&nav, "family_willing", FamilyWilling::ALL, |x| x.as_str()),
            choice_kinds: labels(&nav, "return_choice", ReturnChoice::ALL, |x| x.as_str()),
            document_kinds: labels(&nav, "document_status", DocumentStatus::ALL, |x| x.as_str()),
            choice_form,
            journey_form,
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
        ChoiceForm::default(),
        JourneyForm::default(),
    )
    .await
}

fn anchor(prefix: &str, field: &str) -> String {
    format!("{prefix}-{}", field.replace(['_', '.'], "-"))
}

async fn answer(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    result: Result<(), StoreError>,
    prefix: &str,
    choice_form: ChoiceForm,
    journey_form: JourneyForm,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/return"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| anchor(prefix, f))?;
            render(state, s, case_id, errors, choice_form, journey_form).await
        }
    }
}

fn invalid<T>(r: Result<T, passage_core::validate::Problems>) -> Result<T, StoreError> {
    r.map_err(StoreError::Invalid)
}
