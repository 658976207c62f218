//! The protection page of a case: the person's international protection needs with who raised
//! them, their reviews, history and the referrals made for them; the banner saying whom the
//! case is never shown to; and (for the case's own organisation) the forms to record a need,
//! review it, refer for it, and (a supervisor) end it. The overview shows the same banner
//! ([`banner`]).

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Ids, UiError, UiSession, WebError, done, today};
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::Role;
use passage_core::casework::protection::{
    NeedStatus, ProtectionKind, RaisedBy, RawEnd, RawProtectionNeed, RawReview, ReviewOutcome,
};
use passage_store::StoreError;
use passage_store::casework::protection::ProtectionNeedRecord;
use uuid::Uuid;

/// One step of a need's history as the page shows it.
pub struct EventRow {
    what: String,
    at: String,
    by: Option<String>,
}

/// One review as the page shows it.
pub struct ReviewRow {
    on: String,
    outcome: String,
    note: Option<String>,
    next: Option<String>,
}

/// One referral made for a need.
pub struct ReferralRow {
    id: String,
    to: String,
    status: String,
    sent: String,
}

/// One need as the page shows it.
pub struct NeedRow {
    id: String,
    kind: String,
    status: String,
    in_force: bool,
    countries: String,
    raised_by: String,
    reason: Option<String>,
    at: String,
    next_review: Option<String>,
    ended_at: Option<String>,
    end_reason: Option<String>,
    history: Vec<EventRow>,
    reviews: Vec<ReviewRow>,
    referrals: Vec<ReferralRow>,
}

/// A need in force as the banner shows it.
pub struct BannerNeed {
    pub(crate) kind: String,
    pub(crate) countries: String,
    pub(crate) next_review: Option<String>,
    /// Only within the case's own organisation.
    pub(crate) reason: Option<String>,
}

/// The record form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ProtectionForm {
    kind: String,
    countries: Vec<String>,
    reason: String,
    raised_by: String,
    next_review_on: String,
}
crate::form_body!(ProtectionForm);

impl ProtectionForm {
    fn chose(&self, code: &str) -> bool {
        self.countries.iter().any(|c| c == code)
    }
}

/// The review form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    reviewed_on: String,
    outcome: String,
    note: String,
    next_review_on: String,
    countries: Vec<String>,
}
crate::form_body!(ReviewForm);

/// The end form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct EndForm {
    reason: String,
}
crate::form_body!(EndForm);

#[derive(Template)]
#[template(path = "protection.html")]
struct ProtectionPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    rows: Vec<NeedRow>,
    mark: String,
    banner: Vec<BannerNeed>,
    can_record: bool,
    can_end: bool,
    kinds: Vec<(&'static str, String)>,
    raisers: Vec<(&'static str, String)>,
    outcomes: Vec<(&'static str, String)>,
    refusals: Vec<String>,
    today: String,
    form: ProtectionForm,
}

/// The countries every need in force lists, once each, by name in the page's language: empty
/// when the person has no need in force.
pub(crate) fn mark(nav: &Nav, needs: &[ProtectionNeedRecord]) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for n in needs.iter().filter(|n| n.status == NeedStatus::InForce) {
        for c in &n.countries {
            if !codes.contains(&c.as_str()) {
                codes.push(c.as_str());
            }
        }
    }
    codes
        .iter()
        .map(|c| nav.country(c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn countries(nav: &Nav, n: &ProtectionNeedRecord) -> String {
    n.countries
        .iter()
        .map(|c| nav.country(c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The needs in force, for the banner of the case's pages: kind, countries, next review, and
/// the reason where the reader may read it.
pub(crate) fn banner(nav: &Nav, needs: &[ProtectionNeedRecord]) -> Vec<BannerNeed> {
    needs
        .iter()
        .filter(|n| n.status == NeedStatus::InForce)
        .map(|n| BannerNeed {
            kind: nav.label("protection_kind", n.kind.as_str()),
            countries: countries(nav, n),
            next_review: n.next_review_on.map(|d| d.to_string()),
            reason: n.reason.clone(),
        })
        .collect()
}

fn row(nav: &Nav, n: ProtectionNeedRecord) -> NeedRow {
    NeedRow {
        id: n.id.to_string(),
        kind: nav.label("protection_kind", n.kind.as_str()),
        status: nav.label("protection_status", n.status.as_str()),
        in_force: n.status == NeedStatus::InForce,
        countries: countries(nav, &n),
        raised_by: nav.label("protection_raised_by", n.raised_by.as_str()),
        at: nav.when(n.recorded_at),
        next_review: n.next_review_on.map(|d| d.to_string()),
        ended_at: n.ended_at.map(|t| nav.when(t)),
        history: n
            .history
            .iter()
            .map(|e| EventRow {
                what: nav.t(&format!("protection-event-{}", e.what)),
                at: nav.when(e.at),
                by: e.by.clone(),
            })
            .collect(),
        reviews: n
            .reviews
            .iter()
            .map(|r| ReviewRow {
                on: r.reviewed_on.to_string(),
                outcome: nav.label("protection_review_outcome", r.outcome.as_str()),
                note: r.note.clone(),
                next: r.next_review_on.map(|d| d.to_string()),
            })
            .collect(),
        referrals: n
            .referrals
            .iter()
            .map(|r| ReferralRow {
                id: r.id.to_string(),
                to: format!("{} · {}", r.service_name, r.to_organisation_name),
                status: nav.label("referral_status", r.status.as_str()),
                sent: nav.when(r.sent_at),
            })
            .collect(),
        reason: n.reason,
        end_reason: n.end_reason,
    }
}

/// The referrals and transfers the rule refused for the case, one line each (the case's own
/// organisation only; others read none).
pub(crate) async fn refusals(
    state: &AppState,
    nav: &Nav,
    actor: &passage_store::Actor,
    case_id: Uuid,
) -> Result<Vec<String>, WebError> {
    Ok(state
        .store
        .protection_refusals(actor, case_id)
        .await?
        .into_iter()
        .map(|r| {
            let what = if r.action == "transfer.create" {
                "protection-refused-transfer"
            } else {
                "protection-refused-referral"
            };
            nav.t1(what, "when", nav.when(r.at))
        })
        .collect())
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: ProtectionForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let needs = state.store.protection_needs(actor, case_id).await?;
    let refusals = refusals(state, &nav, actor, case_id).await?;
    let mark = mark(&nav, &needs);
    let banner = banner(&nav, &needs);
    let rows = needs.into_iter().map(|n| row(&nav, n)).collect();
    let kinds = ProtectionKind::ALL
        .iter()
        .map(|k| (k.as_str(), nav.label("protection_kind", k.as_str())))
        .collect();
    let raisers = RaisedBy::ALL
        .iter()
        .map(|k| (k.as_str(), nav.label("protection_raised_by", k.as_str())))
        .collect();
    let outcomes = ReviewOutcome::ALL
        .iter()
        .map(|k| {
            (
                k.as_str(),
                nav.label("protection_review_outcome", k.as_str()),
            )
        })
        .collect();
    let own = case.organisation_id == actor.org_id();
    let status = error_status(&errors);
    Ok(with_status(
        page(&ProtectionPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            rows,
            mark,
            banner,
            can_record: own,
            can_end: own && actor.has_role(Role::Supervisor),
            kinds,
            raisers,
            outcomes,
            refusals,
            today: today(state).to_string(),
            form,
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
    render(&state, &s, id, Vec::new(), ProtectionForm::default()).await
}

pub async fn record(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ProtectionForm>,
) -> Result<Response, WebError> {
    let raw = RawProtectionNeed {
        kind: form.kind.clone(),
        countries: form.countries.clone(),
        reason: form.reason.clone(),
        raised_by: form.raised_by.clone(),
        next_review_on: form.next_review_on.clone(),
    };
    let result = match raw.validate() {
        Ok(need) => state
            .store
            .record_protection_need(&s.session.actor, case_id, need)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/protection"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("protection-{f}"))?;
            render(&state, &s, case_id, errors, form).await
        }
    }
}

pub async fn review(
    State(state): State<AppState>,
    Ids((case_id, nid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<ReviewForm>,
) -> Result<Response, WebError> {
    let raw = RawReview {
        reviewed_on: form.reviewed_on,
        outcome: form.outcome,
        note: form.note,
        next_review_on: form.next_review_on,
        countries: form.countries,
    };
    let result = match raw.validate(today(&state)) {
        Ok(r) => state
            .store
            .review_protection_need(&s.session.actor, case_id, nid, r)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/protection"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("review-{nid}-{f}"))?;
            render(&state, &s, case_id, errors, ProtectionForm::default()).await
        }
    }
}

pub async fn end(
    State(state): State<AppState>,
    Ids((case_id, nid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<EndForm>,
) -> Result<Response, WebError> {
    let result = match (RawEnd {
        reason: form.reason,
    })
    .validate()
    {
        Ok(reason) => {
            state
                .store
                .end_protection_need(&s.session.actor, case_id, nid, reason)
                .await
        }
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/protection"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("end-{nid}-{f}"))?;
            render(&state, &s, case_id, errors, ProtectionForm::default()).await
        }
    }
}
