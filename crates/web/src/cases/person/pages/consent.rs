//! The consent page: consents in force and withdrawn, recording and withdrawing one.

use super::*;
use crate::kit::{Id, Ids};

pub struct ConsentRow {
    id: Uuid,
    purpose: String,
    organisation: String,
    basis: String,
    other_basis: bool,
    method: String,
    language: String,
    reason: String,
    recorded: String,
    in_force: bool,
    withdrawn: String,
}

/// The consent form, as posted and as shown again after an error.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ConsentForm {
    purpose: String,
    organisation_id: String,
    basis: String,
    method: String,
    language: String,
    reason: String,
}
crate::form_body!(ConsentForm);

impl ConsentForm {
    fn raw(&self) -> RawConsent {
        RawConsent {
            purpose: self.purpose.clone(),
            organisation_id: Some(self.organisation_id.clone()),
            basis: Some(self.basis.clone()),
            method: Some(self.method.clone()),
            language: Some(self.language.clone()),
            reason: Some(self.reason.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    nav: Nav,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    rows: Vec<ConsentRow>,
    form: ConsentForm,
    purposes: Vec<(&'static str, String, bool)>,
    organisations: Vec<(String, String, bool)>,
    bases: Vec<(&'static str, String, bool)>,
    methods: Vec<(&'static str, String, bool)>,
    languages: &'static [(&'static str, &'static str)],
}

async fn consent_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: ConsentForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let list = state.store.list_consents(actor, case.person.id).await?;
    let rows = list
        .into_iter()
        .map(|c| ConsentRow {
            id: c.id,
            purpose: nav.label("consent_purpose", c.purpose.as_str()),
            organisation: c.organisation_name.unwrap_or_default(),
            other_basis: c.basis != LegalBasis::Consent,
            basis: nav.label("legal_basis", c.basis.as_str()),
            method: c
                .method
                .map(|m| nav.label("consent_method", m.as_str()))
                .unwrap_or_default(),
            language: c.language.map(|l| nav.language(&l)).unwrap_or_default(),
            reason: c.reason.unwrap_or_default(),
            recorded: format!("{} · {}", c.recorded_by_name, nav.when(c.given_at)),
            in_force: c.in_force,
            withdrawn: match c.withdrawn_at {
                Some(at) => format!(
                    "{}{}",
                    nav.t2(
                        "staff-consent-withdrawn",
                        "when",
                        nav.when(at),
                        "by",
                        c.withdrawn_by_name.unwrap_or_default()
                    ),
                    c.withdrawal_method
                        .map(|m| format!(" ({})", nav.label("consent_method", m.as_str())))
                        .unwrap_or_default()
                ),
                None => String::new(),
            },
        })
        .collect();
    // Immigration enforcement is never offered (and the store refuses it anyway).
    let organisations = state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| passage_core::policy::may_receive_shared_records(o.kind))
        .map(|o| {
            let id = o.id.to_string();
            let selected = form.organisation_id == id;
            (id, o.name, selected)
        })
        .collect();
    let basis = if form.basis.is_empty() {
        "consent"
    } else {
        form.basis.as_str()
    };
    let status = error_status(&errors);
    Ok(with_status(
        page(&ConsentPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            rows,
            purposes: ConsentPurpose::ALL
                .iter()
                .map(|p| {
                    (
                        p.as_str(),
                        nav.label("consent_purpose", p.as_str()),
                        form.purpose == p.as_str(),
                    )
                })
                .collect(),
            organisations,
            bases: LegalBasis::ALL
                .iter()
                .map(|b| {
                    (
                        b.as_str(),
                        nav.label("legal_basis", b.as_str()),
                        basis == b.as_str(),
                    )
                })
                .collect(),
            methods: ConsentMethod::ALL
                .iter()
                .map(|m| {
                    (
                        m.as_str(),
                        nav.label("consent_method", m.as_str()),
                        form.method == m.as_str(),
                    )
                })
                .collect(),
            languages: nav.languages_named(),
            form,
            nav,
        }),
        status,
    ))
}

pub async fn consent(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    consent_page(&state, &s, id, Vec::new(), ConsentForm::default()).await
}

pub async fn record_consent(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ConsentForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let result = match form.raw().validate() {
        Ok(c) => state
            .store
            .record_consent(actor, case.person.id, c)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/consent"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| match f {
                "immigration_firewall" | "unknown_organisation" => "organisation_id".into(),
                other => other.to_string(),
            })?;
            consent_page(&state, &s, case_id, errors, form).await
        }
    }
}

/// How the person withdrew their consent.
#[derive(serde::Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    method: String,
}
crate::form_body!(WithdrawForm);

pub async fn withdraw_consent(
    State(state): State<AppState>,
    Ids((case_id, consent)): Ids<(Uuid, Uuid)>,
    StaffForm(s, f): StaffForm<WithdrawForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let method = withdrawal_method(Some(&f.method))?;
    state
        .store
        .withdraw_consent(actor, case.person.id, consent, method)
        .await?;
    Ok(done(&format!("/cases/{case_id}/consent"), "saved"))
}

// ---------------------------------------------------------------------------------------------
