//! The "Return" page of a case: the return assessment (risks, family), the person's informed
//! choices with whether a plan may go ahead, travel documents asked of a consulate through a
//! referral, the journey plan, and the hand-over of reintegration follow-up with the visits
//! that flowed back, each shown per dimension of the survey with the dimension's computed
//! score. And the partner's page on its hand-over referral, where the visits are recorded.
//! Every form posts here and comes back with the saved line or its errors.

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::returns::{
    ChoiceFacts, Dimension, DocumentStatus, FamilyWilling, ITEMS, RawChoice, RawFamily, RawJourney,
    RawRisk, RawVisit, ReturnChoice, ReturnRisk, VisitMonth, dimension_scores, document_status,
    item_named, may_plan,
};
use passage_core::validate::staff_id;
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

/// A visit as typed: the month, the date, the note, and one field per survey item.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitForm {
    month: String,
    visited_on: String,
    note: String,
    #[serde(flatten)]
    answers: std::collections::BTreeMap<String, String>,
}
crate::form_body!(VisitForm);

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

#[derive(Template)]
#[template(path = "reintegration.html")]
struct PartnerPage {
    nav: Nav,
    csrf: String,
    referral_id: String,
    errors: Vec<UiError>,
    arrival_on: Option<String>,
    due: Vec<DueRow>,
    visits: Vec<VisitRow>,
    months: Vec<(&'static str, String)>,
    dimensions: Vec<DimensionFields>,
    form: VisitForm,
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

pub async fn add_risk(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<RiskForm>,
) -> Result<Response, WebError> {
    let raw = RawRisk {
        risk: form.risk,
        note: form.note,
    };
    let result = match invalid(raw.validate()) {
        Ok(r) => state
            .store
            .add_return_risk(&s.session.actor, case_id, r)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "risk", c, j).await
}

pub async fn family(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<FamilyForm>,
) -> Result<Response, WebError> {
    let raw = RawFamily {
        willing: form.willing,
        note: form.note,
    };
    let result = match invalid(raw.validate()) {
        Ok(f) => {
            state
                .store
                .set_return_family(&s.session.actor, case_id, f)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "family", c, j).await
}

pub async fn add_choice(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ChoiceForm>,
) -> Result<Response, WebError> {
    let raw = RawChoice {
        language: form.language.clone(),
        informed_on: form.informed_on.clone(),
        interpreter: form.interpreter.is_some(),
        choice: form.choice.clone(),
        voluntary: form.voluntary.is_some(),
        own_words: form.own_words.clone(),
    };
    let result = match invalid(raw.validate()) {
        Ok(c) => state
            .store
            .record_return_choice(&s.session.actor, case_id, c)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    answer(
        &state,
        &s,
        case_id,
        result,
        "choice",
        form,
        JourneyForm::default(),
    )
    .await
}

pub async fn journey(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<JourneyForm>,
) -> Result<Response, WebError> {
    let raw = RawJourney {
        country: form.country.clone(),
        departure_on: form.departure_on.clone(),
        legs: form.legs.clone(),
        escort: form.escort.is_some(),
        reception: form.reception.clone(),
        arrival_on: form.arrival_on.clone(),
    };
    let result = match invalid(raw.validate()) {
        Ok(j) => {
            state
                .store
                .set_return_journey(&s.session.actor, case_id, j)
                .await
        }
        Err(e) => Err(e),
    };
    answer(
        &state,
        &s,
        case_id,
        result,
        "journey",
        ChoiceForm::default(),
        form,
    )
    .await
}

pub async fn documents(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ReferralForm>,
) -> Result<Response, WebError> {
    let result = match invalid(staff_id("referral_id", &form.referral_id)) {
        Ok(r) => {
            state
                .store
                .link_travel_documents(&s.session.actor, case_id, r)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "documents", c, j).await
}

pub async fn documents_status(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<StatusForm>,
) -> Result<Response, WebError> {
    let result = match invalid(document_status(&form.status)) {
        Ok(st) => {
            state
                .store
                .set_document_status(&s.session.actor, case_id, st)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "document-status", c, j).await
}

pub async fn handover(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ReferralForm>,
) -> Result<Response, WebError> {
    let result = match invalid(staff_id("referral_id", &form.referral_id)) {
        Ok(r) => {
            state
                .store
                .link_reintegration_handover(&s.session.actor, case_id, r)
                .await
        }
        Err(e) => Err(e),
    };
    let (c, j) = (ChoiceForm::default(), JourneyForm::default());
    answer(&state, &s, case_id, result, "handover", c, j).await
}

fn item_id(key: &str) -> String {
    format!("visit-answers-{}", key.replace('_', "-"))
}

async fn render_partner(
    state: &AppState,
    s: &UiSession,
    rid: Uuid,
    errors: Vec<UiError>,
    form: VisitForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let f = state
        .store
        .reintegration_follow_up(&s.session.actor, rid)
        .await?;
    let dimensions = Dimension::ALL
        .iter()
        .map(|d| DimensionFields {
            id: d.as_str(),
            label: nav.label("reintegration_dimension", d.as_str()),
            items: ITEMS
                .iter()
                .filter(|i| i.dimension == *d)
                .map(|i| ItemField {
                    key: i.key,
                    id: item_id(i.key),
                    label: nav.t(&format!("return-item-{}", i.key)),
                    answers: i
                        .answers
                        .iter()
                        .rev()
                        .chain(i.excluded.iter())
                        .map(|a| (*a, nav.t(&format!("return-answer-{a}"))))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&PartnerPage {
            csrf: nav.csrf.clone(),
            referral_id: rid.to_string(),
            errors,
            arrival_on: f.arrival_on.map(|d| d.to_string()),
            due: due_rows(&nav, f.arrival_on, &f.visits),
            visits: visit_rows(&nav, f.visits),
            months: labels(&nav, "visit_month", VisitMonth::ALL, |x| x.as_str()),
            dimensions,
            form,
            nav,
        }),
        status,
    ))
}

pub async fn partner(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render_partner(&state, &s, id, Vec::new(), VisitForm::default()).await
}

pub async fn record_visit(
    State(state): State<AppState>,
    Id(rid): Id,
    StaffForm(s, form): StaffForm<VisitForm>,
) -> Result<Response, WebError> {
    let raw = RawVisit {
        month: form.month.clone(),
        visited_on: form.visited_on.clone(),
        // Only the survey's own items are read from the form: its other fields (the
        // anti-forgery token) are not answers.
        answers: ITEMS
            .iter()
            .filter_map(|i| {
                form.answers
                    .get(i.key)
                    .map(|a| (i.key.to_string(), a.clone()))
            })
            .collect(),
        note: form.note.clone(),
    };
    let result = match invalid(raw.validate()) {
        Ok(v) => state
            .store
            .record_reintegration_visit(&s.session.actor, rid, v)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done(&format!("/referrals/{rid}/reintegration"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| anchor("visit", f))?;
            render_partner(&state, &s, rid, errors, form).await
        }
    }
}

impl VisitForm {
    /// The answer typed for item `key`, to show the form again as it was.
    pub fn answer(&self, key: &str) -> &str {
        self.answers.get(key).map_or("", String::as_str)
    }
}
