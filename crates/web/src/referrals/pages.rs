//! The referral pages. In a case: `/cases/{id}/referrals`, the case's referrals with their
//! clocks and outcomes, and the Refer form (a service from the directory, the fields to share,
//! a note). For the organisation: `/referrals`, incoming and outgoing; `/referrals/{id}`, one
//! referral: the receiver reads only the shared fields and answers, opens a linked case and
//! closes; the referrer reads the status and outcome. A refusal re-renders the form with a
//! message chosen by its code, in the page's language.

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, with_status};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_core::casework::ConsentPurpose;
use passage_core::referrals::{MINIMAL, ReferralStatus, ShareField};
use passage_core::services::ServiceKind;
use passage_core::{DenyReason, ErrorCode};
use passage_store::StoreError;
use passage_store::casework::referrals::{Direction, NewReferral, Referral};
use passage_store::directory::DirectoryQuery;
use serde_json::Value;
use uuid::Uuid;

/// (value, label, selected) of a list.
type Choice = (String, String, bool);

/// One referral as a row of a list.
pub struct Row {
    id: String,
    service: String,
    /// The other organisation: the receiver for the referrer, the referrer for the receiver.
    organisation: String,
    status: &'static str,
    status_label: String,
    sent: String,
    /// "due … (2 h left)" while unanswered; "answered …" after.
    clock: String,
    overdue: bool,
    outcome: Option<String>,
}

fn row(nav: &Nav, r: &Referral, outgoing: bool) -> Row {
    let (clock, overdue) = match r.answered_at {
        None if r.status == ReferralStatus::Sent => (
            nav.t2(
                "referrals-due",
                "when",
                nav.when(r.answer_due),
                "left",
                nav.left(r.answer_due),
            ),
            r.answer_due < nav.now,
        ),
        Some(at) => (nav.t1("referrals-answered", "when", nav.when(at)), false),
        None => (String::new(), false),
    };
    Row {
        id: r.id.to_string(),
        service: r.service_name.clone(),
        organisation: if outgoing {
            r.to_organisation_name.clone()
        } else {
            r.from_organisation_name.clone()
        },
        status: r.status.as_str(),
        status_label: nav.label("referral_status", r.status.as_str()),
        sent: nav.when(r.sent_at),
        clock,
        overdue,
        outcome: r.outcome.clone(),
    }
}

/// A refusal from the rules as one line of the error summary, in the page's language, chosen
/// by its code (never by its words). Anything a person cannot fix stays an error.
fn refusal(nav: &Nav, e: StoreError, anchor: &str) -> Result<Vec<UiError>, WebError> {
    let key = match &e {
        StoreError::Rule { code, .. } => match code {
            ErrorCode::ConsentRequired => "referrals-refused-consent-required",
            ErrorCode::InternationalProtection => "referrals-refused-international-protection",
            ErrorCode::ServiceFull => "referrals-refused-service-full",
            ErrorCode::AlreadyLinked => "referrals-refused-already-linked",
            _ => "referrals-refused-not-now",
        },
        StoreError::Forbidden(DenyReason::ImmigrationFirewall) => "referrals-refused-firewall",
        StoreError::Invalid(_) => {
            return crate::kit::form::ui_errors(e, |f| format!("referral-{f}"));
        }
        _ => return Err(e.into()),
    };
    Ok(vec![UiError {
        anchor: anchor.to_string(),
        message: nav.t(key),
        code: None,
    }])
}

// ------------------------------------------------------------------ in the case

/// The Refer form as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ReferForm {
    service_id: String,
    purpose: String,
    shared_fields: Vec<String>,
    note: String,
    /// The international protection need the referral is made for (from the protection page).
    protection_need_id: String,
}

/// The need type the services are chosen by, and the protection need a referral is made for.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ServiceFilter {
    #[serde(rename = "type")]
    kind: String,
    need: String,
}

/// (value, label, hint, checked) of a field that may be shared.
type FieldChoice = (String, String, String, bool);

#[derive(Template)]
#[template(path = "case_referrals.html")]
struct CaseReferralsPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    rows: Vec<Row>,
    can_refer: bool,
    kinds: Vec<Choice>,
    services: Vec<Choice>,
    fields: Vec<FieldChoice>,
    note: String,
    /// The protection need the referral is made for, if any (a hidden field of the form).
    need: String,
    errors: Vec<UiError>,
}

async fn case_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    kind: String,
    form: ReferForm,
    fresh: bool,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let referrals = state.store.case_referrals(actor, case_id).await?;
    let nav = Nav::of(state, s).await?;
    let can_refer = case.organisation_id == actor.org_id();
    let services = if can_refer {
        let query = DirectoryQuery {
            kind: ServiceKind::parse(&kind),
            ..Default::default()
        };
        state
            .store
            .service_directory(actor, &query)
            .await?
            .into_iter()
            .filter(|d| d.organisation_id != actor.org_id())
            .map(|d| {
                let id = d.id.to_string();
                let label = format!(
                    "{} · {} ({})",
                    d.name,
                    d.organisation_name,
                    nav.label("service_kind", d.kind.as_str())
                );
                let chosen = id == form.service_id;
                (id, label, chosen)
            })
            .collect()
    } else {
        Vec::new()
    };
    let fields = ShareField::ALL
        .iter()
        .map(|f| {
            let v = f.as_str();
            let checked = if fresh {
                MINIMAL.contains(f)
            } else {
                form.shared_fields.iter().any(|x| x == v)
            };
            let hint = match f {
                ShareField::MigrationStatus => nav.t("referrals-share-status-hint"),
                ShareField::Summary => nav.t("referrals-share-summary-hint"),
                _ => String::new(),
            };
            (v.to_string(), nav.label("share_field", v), hint, checked)
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&CaseReferralsPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            rows: referrals.iter().map(|r| row(&nav, r, true)).collect(),
            can_refer,
            kinds: ServiceKind::ALL
                .iter()
                .map(|k| {
                    (
                        k.as_str().to_string(),
                        nav.label("service_kind", k.as_str()),
                        k.as_str() == kind,
                    )
                })
                .collect(),
            services,
            fields,
            note: form.note,
            need: form.protection_need_id,
            errors,
            nav,
        }),
        status,
    ))
}

pub async fn case_referrals(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
    Query(f): Query<ServiceFilter>,
) -> Result<Response, WebError> {
    let need = Uuid::parse_str(f.need.trim())
        .map(|n| n.to_string())
        .unwrap_or_default();
    case_page(
        &state,
        &s,
        id,
        f.kind,
        ReferForm {
            protection_need_id: need,
            ..ReferForm::default()
        },
        true,
        Vec::new(),
    )
    .await
}

pub async fn refer(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ReferForm>,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let no_service = || {
        vec![UiError {
            anchor: "referral-service".into(),
            message: nav.t("referrals-choose-service"),
            code: None,
        }]
    };
    let purpose = ConsentPurpose::parse(form.purpose.trim()).unwrap_or(ConsentPurpose::Referral);
    let fields: Vec<ShareField> = form
        .shared_fields
        .iter()
        .filter_map(|f| ShareField::parse(f))
        .collect();
    let errors = match Uuid::parse_str(form.service_id.trim()) {
        Err(_) => no_service(),
        Ok(service_id) => {
            let note = Some(form.note.clone()).filter(|n| !n.trim().is_empty());
            let new = NewReferral {
                service_id,
                purpose,
                shared_fields: fields,
                note,
                protection_need_id: Uuid::parse_str(form.protection_need_id.trim()).ok(),
            };
            match state
                .store
                .create_referral(&s.session.actor, case_id, new)
                .await
            {
                Ok(_) => return Ok(done(&format!("/cases/{case_id}/referrals"), "referred")),
                // A service that does not exist is a choice to make again; a case the user
                // may not reach is found missing by the page below.
                Err(StoreError::NotFound) => no_service(),
                Err(e) => refusal(&nav, e, "referral-service")?,
            }
        }
    };
    case_page(&state, &s, case_id, String::new(), form, false, errors).await
}

// ------------------------------------------------------------------ the organisation's lists

#[derive(Template)]
#[template(path = "referrals.html")]
struct ListPage {
    nav: Nav,
    incoming: Vec<Row>,
    outgoing: Vec<Row>,
}

pub async fn list(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let incoming = state
        .store
        .list_referrals(actor, Direction::Incoming)
        .await?;
    let outgoing = state
        .store
        .list_referrals(actor, Direction::Outgoing)
        .await?;
    let nav = Nav::of(&state, &s).await?;
    Ok(page(&ListPage {
        incoming: incoming.iter().map(|r| row(&nav, r, false)).collect(),
        outgoing: outgoing.iter().map(|r| row(&nav, r, true)).collect(),
        nav,
    }))
}

// ------------------------------------------------------------------ one referral

/// A shared field as the receiver reads it: its label and its value in words.
pub struct Shared {
    field: &'static str,
    label: String,
    value: String,
}

fn words(nav: &Nav, field: ShareField, v: &Value) -> String {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let join = |items: Vec<String>| items.join(", ");
    match field {
        ShareField::Languages => join(strings(v).iter().map(|l| nav.language(l)).collect()),
        ShareField::Citizenships => join(strings(v).iter().map(|c| nav.country(c)).collect()),
        ShareField::Vulnerabilities => nav.labels("vulnerability", &strings(v)),
        ShareField::CaseTypes => nav.labels("case_type", &strings(v)),
        ShareField::Sex => v.as_str().map(|s| nav.label("sex", s)).unwrap_or_default(),
        ShareField::Contacts => join(
            v.as_array()
                .map(|a| {
                    a.iter()
                        .map(|c| {
                            let kind = c.get("kind").and_then(Value::as_str).unwrap_or_default();
                            let value = c.get("value").and_then(Value::as_str).unwrap_or_default();
                            format!("{}: {value}", nav.label("contact", kind))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
        ShareField::Needs => join(
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter(|n| !n.get("met").and_then(Value::as_bool).unwrap_or(false))
                        .map(|n| {
                            let domain =
                                n.get("domain").and_then(Value::as_str).unwrap_or_default();
                            let label = nav.label("need", domain);
                            match n.get("description").and_then(Value::as_str) {
                                Some(d) if !d.trim().is_empty() => format!("{label} ({d})"),
                                _ => label,
                            }
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ => match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        },
    }
}

#[derive(Template)]
#[template(path = "referral.html")]
struct OnePage {
    nav: Nav,
    csrf: String,
    id: String,
    service: String,
    from: String,
    to: String,
    status: &'static str,
    status_label: String,
    sent: String,
    clock: String,
    overdue: bool,
    closed: Option<String>,
    outcome: Option<String>,
    /// When and why the receiver lost access (the referrer only ever sees this).
    access_ended: Option<(String, String)>,
    note: Option<String>,
    /// The referrer's case, for the referrer only.
    case_id: Option<String>,
    /// The receiver's own case opened from it, for the receiver only.
    linked_case_id: Option<String>,
    receiver: bool,
    shared: Vec<Shared>,
    may_answer: bool,
    may_open_case: bool,
    may_close: bool,
    /// The receiver records reintegration visits on this hand-over referral.
    reintegration: bool,
    reason: String,
    outcome_typed: String,
    errors: Vec<UiError>,
}

/// What a refused answer typed, to show again.
#[derive(Default)]
struct Typed {
    reason: String,
    outcome: String,
}

async fn one_page(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    typed: Typed,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let r = state.store.referral(actor, id).await?;
    let nav = Nav::of(state, s).await?;
    let receiver = r.to_organisation_id == actor.org_id();
    let shared = match (&r.shared, receiver) {
        (Some(Value::Object(values)), true) => r
            .shared_fields
            .iter()
            .map(|f| Shared {
                field: f.as_str(),
                label: nav.label("share_field", f.as_str()),
                value: values
                    .get(f.as_str())
                    .map(|v| words(&nav, *f, v))
                    .unwrap_or_default(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut shared = shared;
    // The permits come with the migration status only (the store adds them then).
    if let (Some(Value::Object(values)), true) = (&r.shared, receiver)
        && let Some(Value::Array(permits)) = values.get("permits")
        && !permits.is_empty()
    {
        let text = |p: &Value, k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let value = permits
            .iter()
            .map(|p| {
                let mut line = format!(
                    "{} · {}",
                    nav.label("permit_kind", &text(p, "kind")),
                    nav.label("permit_status", &text(p, "status"))
                );
                let expires = text(p, "expires_on");
                if !expires.is_empty() {
                    line.push_str(&format!(" · {} {expires}", nav.t("permits-expires-on")));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("; ");
        shared.push(Shared {
            field: "permits",
            label: nav.t("permits-shared"),
            value,
        });
    }
    let line = row(&nav, &r, !receiver);
    let reintegration = receiver
        && r.status == ReferralStatus::Accepted
        && state.store.records_reintegration_on(actor, id).await?;
    let status = error_status(&errors);
    Ok(with_status(
        page(&OnePage {
            csrf: nav.csrf.clone(),
            id: r.id.to_string(),
            service: r.service_name.clone(),
            from: r.from_organisation_name.clone(),
            to: r.to_organisation_name.clone(),
            status: r.status.as_str(),
            status_label: line.status_label,
            sent: line.sent,
            clock: line.clock,
            overdue: line.overdue,
            closed: r.closed_at.map(|at| nav.when(at)),
            outcome: r.outcome.clone(),
            access_ended: r.access_ended_at.map(|at| {
                let why = match r.access_ended_reason.as_deref() {
                    Some("international_protection") => "referrals-ended-protection",
                    _ => "referrals-ended-consent",
                };
                (nav.when(at), nav.t(why))
            }),
            note: r.note.clone(),
            case_id: if receiver {
                None
            } else {
                r.case_id.map(|c| c.to_string())
            },
            linked_case_id: r.linked_case_id.map(|c| c.to_string()),
            receiver,
            shared,
            may_answer: receiver && r.status == ReferralStatus::Sent,
            may_open_case: receiver
                && r.status == ReferralStatus::Accepted
                && r.linked_case_id.is_none()
                && nav.creates_cases,
            may_close: receiver && r.status == ReferralStatus::Accepted,
            reintegration,
            reason: typed.reason,
            outcome_typed: typed.outcome,
            errors,
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
    one_page(&state, &s, id, Typed::default(), Vec::new()).await
}

/// An answer as posted: a decline's reason or a closing outcome, each on its own form.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    reason: String,
    outcome: String,
}
crate::form_body!(ReferForm, AnswerForm);

/// The receiver's steps: accept, decline (with a reason), open-case, close (with an outcome).
pub async fn step(
    State(state): State<AppState>,
    Ids((id, step)): Ids<(Uuid, String)>,
    StaffForm(s, form): StaffForm<AnswerForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let store = &state.store;
    let back = format!("/referrals/{id}");
    let (result, anchor) = match step.as_str() {
        "accept" => (
            store
                .answer_referral(actor, id, ReferralStatus::Accepted, None)
                .await
                .map(|()| done(&back, "accepted")),
            "referral-accept",
        ),
        "decline" => (
            store
                .answer_referral(
                    actor,
                    id,
                    ReferralStatus::Declined,
                    Some(form.reason.clone()),
                )
                .await
                .map(|()| done(&back, "declined")),
            "referral-reason",
        ),
        "open-case" => (
            store
                .open_case_from_referral(actor, id)
                .await
                .map(|case| done(&format!("/cases/{case}"), "case-opened")),
            "referral-open-case",
        ),
        "close" => (
            store
                .close_referral(actor, id, &form.outcome)
                .await
                .map(|()| done(&back, "referral-closed")),
            "referral-outcome",
        ),
        _ => return Err(WebError::not_found()),
    };
    match result {
        Ok(res) => Ok(res),
        Err(e) => {
            let nav = Nav::of(&state, &s).await?;
            let errors = refusal(&nav, e, anchor)?;
            let typed = Typed {
                reason: form.reason,
                outcome: form.outcome,
            };
            one_page(&state, &s, id, typed, errors).await
        }
    }
}
