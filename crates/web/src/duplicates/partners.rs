//! The partners page of a case: a partner organisation may hold a record of the same person.
//! Nothing about the partner is shown until the person agrees to be connected and the partner's
//! person agrees too; then the partner organisation is named and a referral consent is on
//! record. Every action is a plain form with the CSRF token; the store audits each.

use crate::AppState;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::done;
use crate::kit::form::StaffForm;
use crate::kit::{Id, Ids};
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::ConsentMethod;
use passage_core::casework::consent::RawAgreement;
use passage_store::casework::duplicates::PartnerSignal;
use uuid::Uuid;

pub struct SignalRow {
    pub id: String,
    pub status: String,
    pub our_consent: bool,
    pub partner_consent: bool,
    pub partner: String,
    pub found: String,
    pub resolved: String,
}

#[derive(Template)]
#[template(path = "partners.html")]
struct PartnersPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    rows: Vec<SignalRow>,
    methods: Vec<&'static str>,
}

fn row(nav: &Nav, s: PartnerSignal) -> SignalRow {
    SignalRow {
        id: s.id.to_string(),
        status: s.status,
        our_consent: s.our_consent,
        partner_consent: s.partner_consent,
        partner: s.partner_organisation.map(|o| o.name).unwrap_or_default(),
        found: nav.when(s.created_at),
        resolved: s.resolved_at.map(|t| nav.when(t)).unwrap_or_default(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, id).await?;
    let rows = state
        .store
        .partner_signals(actor, case.person.id)
        .await?
        .into_iter()
        .map(|x| row(&nav, x))
        .collect();
    Ok(page(&PartnersPage {
        csrf: nav.csrf.clone(),
        nav,
        case_id: case.id.to_string(),
        name: format!("{} {}", case.person.given_name, case.person.family_name)
            .trim()
            .to_string(),
        rows,
        methods: ConsentMethod::ALL.iter().map(|m| m.as_str()).collect(),
    }))
}

/// How and in which language the person agreed (the decline button posts nothing else).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct AgreementForm {
    method: String,
    language: String,
}
crate::form_body!(AgreementForm);

/// `consent` (the person agrees to be connected) or `decline` (the person does not).
pub async fn act(
    State(state): State<AppState>,
    Ids((id, signal, action)): Ids<(Uuid, Uuid, String)>,
    StaffForm(s, f): StaffForm<AgreementForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, id).await?;
    match action.as_str() {
        "consent" => {
            let (method, language) = RawAgreement {
                method: f.method,
                language: (!f.language.trim().is_empty()).then_some(f.language),
            }
            .validate()?;
            state
                .store
                .consent_partner_signal(actor, case.person.id, signal, method, language)
                .await?;
        }
        "decline" => {
            state
                .store
                .decline_partner_signal(actor, case.person.id, signal)
                .await?;
        }
        _ => return Err(WebError::not_found()),
    }
    Ok(done(&format!("/cases/{}/partners", case.id), "saved"))
}
