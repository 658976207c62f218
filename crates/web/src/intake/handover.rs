//! Handing a report over to the competent organisation (issue 14): the API routes, and the
//! report page's form with the confirmation the server asks for before the report leaves the
//! queue. The rule is `passage_core::handover`; the move is `Store::hand_over_report`.

use crate::AppState;
use crate::kit::form::StaffForm;
use crate::kit::{ApiActor, ApiJson, Id, Nav, UiSession, WebError, done, page};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use passage_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The organisation to hand the report over to, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandOver {
    /// One of the organisations listed by `GET /api/v1/reports/{id}/hand-over-targets`.
    #[schema(format = Uuid)]
    pub organisation_id: String,
    /// Why this organisation is the competent one (at most 1000 characters; the receiver reads
    /// it, the sender no longer does).
    pub reason: String,
}

/// The report after the hand-over: in the receiver's queue; the sender keeps only a stub.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandedOver {
    pub report_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    /// Milliseconds since the epoch.
    pub handed_over_at: i64,
    #[schema(schema_with = handed_over_status)]
    pub status: &'static str,
}

fn handed_over_status() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["handed_over"])
}

/// An organisation the report may be handed over to.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverTarget {
    pub id: Uuid,
    pub name: String,
    /// The organisation's kind (never immigration enforcement, a consulate or law enforcement).
    pub kind: String,
}

fn target_id(raw: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        StoreError::invalid(
            "organisation_id",
            passage_core::ErrorCode::InvalidId,
            "organisation_id must be an organisation's id",
        )
    })
}

#[utoipa::path(get, path = "/api/v1/reports/{id}/hand-over-targets", tag = "intake",
    summary = "The organisations you may hand this report over to, by name",
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, description = "Success", body = Vec<HandoverTarget>),
        crate::kit::responses::Reads))]
pub async fn targets(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
) -> Result<Json<Vec<HandoverTarget>>, WebError> {
    let list = state.store.handover_targets(&actor, id).await?;
    Ok(Json(
        list.into_iter()
            .map(|t| HandoverTarget {
                id: t.id,
                name: t.name,
                kind: t.kind.as_str().to_string(),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/reports/{id}/hand-over", tag = "intake",
    summary = "Hand the report over to the competent organisation, with a reason",
    description = "The report moves to the organisation's triage queue as new, with a fresh \
        acknowledgement deadline; the reporter's receipt keeps working. Your organisation keeps \
        only a stub (the report's id, when it was received, to whom and when it was handed over). \
        Refused with 422: `immigration_firewall` (never immigration enforcement), \
        `handover_not_allowed` (a consulate, law enforcement, a ministry, your own organisation, \
        or a closed report), `already_linked` (the report has a case), `unknown_organisation`, \
        `required`/`too_long` (the reason). Nothing is written when refused.",
    params(("id" = uuid::Uuid, Path)),
    request_body = HandOver,
    responses(
        (status = 200, description = "Success", body = HandedOver),
        crate::kit::responses::Writes))]
pub async fn hand_over(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Id(id): Id,
    ApiJson(b): ApiJson<HandOver>,
) -> Result<Json<HandedOver>, WebError> {
    let target = target_id(&b.organisation_id)?;
    let moved = state
        .store
        .hand_over_report(
            &actor,
            id,
            target,
            passage_core::handover::reason(&b.reason)
                .map_err(passage_store::StoreError::Invalid)?,
        )
        .await?;
    Ok(Json(HandedOver {
        report_id: moved.report_id,
        organisation_id: moved.organisation_id,
        organisation_name: moved.organisation_name,
        handed_over_at: moved.at,
        status: "handed_over",
    }))
}

/// What the hand-over form posts: the organisation, the reason, and (on the confirmation page)
/// the confirmation.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct HandOverForm {
    organisation_id: String,
    reason: String,
    confirm: String,
}
crate::form_body!(HandOverForm);

#[derive(Template)]
#[template(path = "report_handover.html")]
struct HandOverPage {
    nav: Nav,
    csrf: String,
    id: Uuid,
    received: String,
    targets: Vec<(Uuid, String, bool)>,
    reason: String,
    errors: Vec<String>,
    /// The organisation chosen, when the page asks to confirm.
    confirming: Option<String>,
}

async fn form_page(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    f: &HandOverForm,
    errors: Vec<String>,
    confirming: Option<String>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let targets = state.store.handover_targets(actor, id).await?;
    let report = state.store.get_report(actor, id).await?;
    let chosen = f.organisation_id.trim();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&HandOverPage {
        csrf: nav.csrf.clone(),
        id,
        received: nav.when(report.item.received_at),
        targets: targets
            .into_iter()
            .map(|t| {
                let on = t.id.to_string() == chosen;
                (t.id, t.name, on)
            })
            .collect(),
        reason: f.reason.clone(),
        errors,
        confirming,
        nav,
    });
    *res.status_mut() = status;
    Ok(res)
}

/// The hand-over form of a report.
pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    form_page(&state, &s, id, &HandOverForm::default(), Vec::new(), None).await
}

/// Posted from the form: checked, then a confirmation page; posted confirmed: handed over, and
/// back to the queue the report has left.
pub async fn post(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, f): StaffForm<HandOverForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let nav = Nav::of(&state, &s).await?;
    let tell = |p: passage_core::validate::Problems| -> Vec<String> {
        p.0.into_iter()
            .map(|e| nav.problem(&e.field, &e.code, &e.message))
            .collect()
    };
    let target = match target_id(&f.organisation_id) {
        Ok(t) => t,
        Err(StoreError::Invalid(_)) => {
            let errors = vec![nav.t("staff-handover-choose")];
            return form_page(&state, &s, id, &f, errors, None).await;
        }
        Err(e) => return Err(e.into()),
    };
    if f.confirm != "yes" {
        // Check what can be checked without moving anything, then ask to confirm.
        let targets = state.store.handover_targets(actor, id).await?;
        let mut errors = match passage_core::handover::reason(&f.reason) {
            Ok(_) => Vec::new(),
            Err(p) => tell(p),
        };
        let name = targets.into_iter().find(|t| t.id == target).map(|t| t.name);
        if name.is_none() {
            errors.push(nav.t("staff-handover-choose"));
        }
        if !errors.is_empty() {
            return form_page(&state, &s, id, &f, errors, None).await;
        }
        return form_page(&state, &s, id, &f, Vec::new(), name).await;
    }
    let reason = match passage_core::handover::reason(&f.reason) {
        Ok(reason) => reason,
        Err(p) => {
            let errors = tell(p);
            return form_page(&state, &s, id, &f, errors, None).await;
        }
    };
    match state
        .store
        .hand_over_report(actor, id, target, reason)
        .await
    {
        Ok(_) => Ok(done("/reports", "handover-done")),
        Err(StoreError::Invalid(p)) => {
            let errors = tell(p);
            form_page(&state, &s, id, &f, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The stubs of reports the organisation handed over, for the triage page.
pub struct Stub {
    pub id: Uuid,
    pub received: String,
    pub to: String,
    pub at: String,
}

pub async fn stubs(state: &AppState, nav: &Nav, s: &UiSession) -> Result<Vec<Stub>, WebError> {
    Ok(state
        .store
        .handed_over_reports(&s.session.actor, 50)
        .await?
        .into_iter()
        .map(|h| Stub {
            id: h.report_id,
            received: nav.when(h.received_at),
            to: h.to_organisation,
            at: nav.when(h.at),
        })
        .collect())
}

/// The hand-overs of a report as its holder reads them: (from, when, reason).
pub async fn records(
    state: &AppState,
    nav: &Nav,
    s: &UiSession,
    id: Uuid,
) -> Result<Vec<(String, String, String)>, WebError> {
    Ok(state
        .store
        .report_handovers(&s.session.actor, id)
        .await?
        .into_iter()
        .map(|h| (h.from_organisation, nav.when(h.at), h.reason))
        .collect())
}
