//! The triage queue, one report with its actions, and the hotline desk.

use crate::AppState;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::form::StaffForm;
use crate::kit::{Id, Ids};
use crate::kit::{Nav, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::reports::{LANGUAGES, RawHotlineReport};
use passage_core::validate::FieldError;
use passage_core::validate::Text;
use passage_core::{Category, ReportStatus, ReporterType, Urgency};
use passage_store::StoreError;
use passage_store::cases::NameSearch;
use passage_store::casework::screening::NewScreening;
use passage_store::reports::CLOSE_REASON_MAX;
use passage_store::reports::ReportView;
use serde::Deserialize;
use std::collections::BTreeMap;
use uuid::Uuid;

pub struct Row {
    id: Uuid,
    /// The id (for the row's class) and its label.
    urgency: String,
    urgency_label: String,
    received: String,
    due: String,
    /// The time left before the answer is due, or how late it is, when the page was made.
    left: String,
    /// Still waiting for someone to take it up: the time left is shown.
    waiting: bool,
    overdue: bool,
    categories: String,
    channel: String,
    status: String,
    /// The narrative's opening words: the link's text, so a screen reader's list of links
    /// tells the reports apart.
    excerpt: String,
    language: String,
    place: String,
    /// The reporter wrote last and nobody has answered.
    awaiting_reply: bool,
    /// The organisation that handed the report over to this one.
    handed_over_by: Option<String>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct QueuePage {
    nav: Nav,
    items: Vec<Row>,
    alerts: Vec<(Uuid, String)>,
    /// Reports this organisation handed over: stubs, no content.
    handed_over: Vec<super::handover::Stub>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    status: Option<String>,
}

pub async fn queue(
    State(state): State<AppState>,
    s: UiSession,
    Query(q): Query<QueueQuery>,
) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let actor = &s.session.actor;
    let status = q.status.as_deref().and_then(ReportStatus::parse);
    let mut items = state.store.triage_queue(actor, status, 200).await?;
    if status.is_none() {
        items.retain(|r| r.item.status != ReportStatus::Closed);
    }
    let alerts = state
        .store
        .open_alerts(actor)
        .await?
        .into_iter()
        .map(|(_, report, at)| (report, nav.when(at)))
        .collect();
    let items = items
        .into_iter()
        .map(|t| {
            let place = match (&t.item.country, &t.place) {
                (Some(c), Some(p)) => format!("{p}, {}", nav.country(c)),
                (Some(c), None) => nav.country(c),
                (None, Some(p)) => p.clone(),
                (None, None) => String::new(),
            };
            let r = t.item;
            Row {
                id: r.id,
                urgency: r.urgency.to_string(),
                urgency_label: nav.label("urgency", r.urgency.as_str()),
                received: nav.when(r.received_at),
                due: nav.when(r.due_at),
                left: nav.left(r.due_at),
                waiting: r.status == ReportStatus::New,
                overdue: r.overdue,
                categories: nav.labels("category", &r.categories),
                channel: nav.label("channel", r.channel.as_str()),
                status: nav.label("report_status", r.status.as_str()),
                excerpt: t.excerpt,
                language: nav.language(&r.language),
                place,
                awaiting_reply: t.awaiting_reply,
                handed_over_by: t.handed_over_by,
            }
        })
        .collect();
    let handed_over = super::handover::stubs(&state, &nav, &s).await?;
    Ok(page(&QueuePage {
        nav,
        items,
        alerts,
        handed_over,
    }))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Nav,
    csrf: String,
    r: ReportView,
    /// The messages, each staff reply with its delivery state.
    thread: Vec<super::delivery::ThreadLine>,
    item_overdue: bool,
    received: String,
    categories: String,
    country: String,
    place: String,
    employer: String,
    contact: String,
    callback_time: String,
    urgency: String,
    status_label: String,
    channel: String,
    language: String,
    reporter: String,
    errors: Vec<String>,
    /// The desk's red-flag screen: the conclusion in words and the questions answered yes.
    red_flags: Option<(String, Vec<String>)>,
    /// The name searched to link the report to a case, and the cases found (none searched yet
    /// is `None`).
    q: String,
    matches: Option<Vec<CaseMatch>>,
    /// The closing confirmation was missing: its box is marked as the problem.
    confirm_missing: bool,
    /// The person of the case the report is linked to, when the reader may open that case.
    linked_person: Option<String>,
    /// The organisations the report may be handed over to (none when it may not leave).
    handover_targets: Vec<(Uuid, String)>,
    /// How the report came here: (from which organisation, when, why).
    handed_over: Vec<(String, String, String)>,
}

/// A case found by name on the report page, with a Link button.
pub struct CaseMatch {
    id: Uuid,
    name: String,
    types: String,
    status: String,
    opened: String,
}

/// The report page's query: the name to look for among the cases the user may link to.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    q: String,
}

async fn report_page(
    state: &AppState,
    s: &UiSession,
    id: Uuid,
    errors: Vec<String>,
    q: &str,
    confirm_missing: bool,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let r = state.store.get_report(&s.session.actor, id).await?;
    let q: String = q.trim().chars().take(200).collect();
    let matches = if q.is_empty() || r.case_id.is_some() {
        None
    } else {
        Some(
            state
                .store
                .cases_named(&s.session.actor, &q, NameSearch::Readable)
                .await?
                .into_iter()
                .map(|c| CaseMatch {
                    id: c.id,
                    name: c.person_name,
                    types: nav.labels("case_type", &c.types),
                    status: nav.label("case_status", c.status.as_str()),
                    opened: nav.when(c.created_at),
                })
                .collect(),
        )
    };
    let red_flags = state
        .store
        .report_screenings(&s.session.actor, id)
        .await?
        .into_iter()
        .find_map(|x| {
            let result = x.result?;
            let instrument = state.store.instruments().get(&x.instrument);
            let yes = result
                .dimensions
                .iter()
                .flat_map(|d| d.present.iter())
                .map(|id| {
                    instrument
                        .and_then(|i| i.indicator(id))
                        .map(|ind| ind.question.en.clone())
                        .unwrap_or_else(|| id.clone())
                })
                .collect();
            Some((
                nav.t(crate::screening::pages::conclusion_text(result.conclusion)),
                yes,
            ))
        });
    let handover_targets =
        if passage_core::handover::may_leave(r.item.status, r.case_id.is_some()).is_ok() {
            match state.store.handover_targets(&s.session.actor, id).await {
                Ok(list) => list.into_iter().map(|t| (t.id, t.name)).collect(),
                Err(StoreError::NotFound) => Vec::new(),
                Err(e) => return Err(e.into()),
            }
        } else {
            Vec::new()
        };
    let handed_over = super::handover::records(state, &nav, s, id).await?;
    // The linked case by its person's name, for those who may open it; others keep the plain
    // link, which answers as any case they may not see.
    let linked_person = match r.case_id {
        Some(case) => match state.store.get_case(&s.session.actor, case).await {
            Ok(c) => Some(format!("{} {}", c.person.given_name, c.person.family_name))
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            Err(StoreError::NotFound | StoreError::Forbidden(_)) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&ReportPage {
        linked_person,
        handover_targets,
        handed_over,
        csrf: nav.csrf.clone(),
        item_overdue: r.item.overdue,
        received: nav.when(r.item.received_at),
        categories: nav.labels("category", &r.item.categories),
        country: r
            .item
            .country
            .as_deref()
            .map(|c| nav.country(c))
            .unwrap_or_default(),
        place: r.place.clone().unwrap_or_default(),
        employer: r
            .employer
            .clone()
            .unwrap_or_else(|| nav.t("staff-report-not-given")),
        contact: r
            .contact
            .clone()
            .unwrap_or_else(|| nav.label("reporter", "anonymous")),
        callback_time: r.callback_time.clone().unwrap_or_default(),
        urgency: nav.label("urgency", r.item.urgency.as_str()),
        status_label: nav.label("report_status", r.item.status.as_str()),
        channel: nav.label("channel", r.item.channel.as_str()),
        language: nav.language(&r.item.language),
        reporter: nav.label("reporter", r.reporter_type.as_str()),
        thread: super::delivery::thread(&nav, &r.messages),
        r,
        errors,
        red_flags,
        q,
        matches,
        confirm_missing,
        nav,
    });
    *res.status_mut() = status;
    Ok(res)
}

/// A photo or document sent with a report, as a download (for the report's organisation
/// only; anyone else gets the not-found page).
pub async fn download_attachment(
    State(state): State<AppState>,
    s: UiSession,
    Ids((report, attachment)): Ids<(Uuid, Uuid)>,
) -> Result<Response, WebError> {
    let file = state
        .store
        .get_report_attachment(&s.session.actor, report, attachment)
        .await?;
    Ok(crate::cases::person::shared::file_response(
        &file.meta.filename,
        &file.meta.content_type,
        file.content,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let q = query.map(|Query(q)| q.q).unwrap_or_default();
    report_page(&state, &s, id, Vec::new(), &q, false).await
}

/// What the report page's buttons post: a message, the case to link, or why it is closed (with
/// the box that confirms it).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportActionForm {
    body: String,
    case_id: String,
    reason: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    confirm: bool,
}

/// A call logged at the desk; the red-flag screen's radio groups are named `rf_<indicator>`.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CallPost {
    caller_type: String,
    language: String,
    urgency: String,
    categories: Vec<String>,
    narrative: String,
    country: String,
    place: String,
    employer: String,
    contact: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    callback_consent: bool,
    callback_time: String,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    immediate_danger: bool,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    child: bool,
    #[serde(deserialize_with = "crate::kit::form::ticked")]
    urgent_medical: bool,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}
crate::form_body!(ReportActionForm, CallPost);

/// One handler for every action button of the report page.
pub async fn act(
    State(state): State<AppState>,
    Ids((id, action)): Ids<(Uuid, String)>,
    StaffForm(s, f): StaffForm<ReportActionForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let back = format!("/reports/{id}");
    let mut word = "saved";
    let outcome = match action.as_str() {
        "acknowledge" => state
            .store
            .acknowledge_report(actor, id)
            .await
            .map(|_| back),
        "message" => match passage_core::intake::message_body(&f.body) {
            Ok(body) => state
                .store
                .staff_message(actor, id, body)
                .await
                .map(|_| back),
            Err(p) => Err(StoreError::Invalid(p)),
        },
        "open-case" => state
            .store
            .open_case_from_report(actor, id)
            .await
            .map(|c| format!("/cases/{c}")),
        "link" => match Uuid::parse_str(f.case_id.trim()) {
            Ok(case) => {
                word = "names-linked";
                state.store.link_report(actor, id, case).await.map(|_| back)
            }
            Err(_) => Err(StoreError::invalid(
                "case_id",
                passage_core::ErrorCode::InvalidId,
                "paste the id of the case (from its address)",
            )),
        },
        // Closing ends the reporter's conversation: the page asks for a ticked confirmation,
        // and without it nothing is closed (the reason typed is checked as well).
        "close" if !f.confirm => {
            let nav = Nav::of(&state, &s).await?;
            let mut errors = vec![nav.t("staff-names-close-confirm-needed")];
            if let Err(p) = Text::parse("reason", &f.reason, CLOSE_REASON_MAX) {
                errors.extend(p.0.into_iter().map(|e| e.message));
            }
            return report_page(&state, &s, id, errors, "", true).await;
        }
        "close" => {
            word = "names-closed";
            match Text::parse("reason", &f.reason, CLOSE_REASON_MAX) {
                Ok(reason) => state
                    .store
                    .close_report(actor, id, reason)
                    .await
                    .map(|_| back),
                Err(p) => Err(StoreError::Invalid(p)),
            }
        }
        _ => return Err(WebError::not_found()),
    };
    match outcome {
        Ok(to) => Ok(done(&to, word)),
        Err(StoreError::Invalid(p)) => {
            report_page(
                &state,
                &s,
                id,
                p.0.into_iter().map(|e| e.message).collect(),
                "",
                false,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Default)]
pub struct CallForm {
    immediate_danger: bool,
    child: bool,
    urgent_medical: bool,
    narrative: String,
    country: String,
    place: String,
    employer: String,
    contact: String,
    callback_consent: bool,
    callback_time: String,
}

#[derive(Template)]
#[template(path = "hotline.html")]
struct DeskPage {
    nav: Nav,
    csrf: String,
    f: CallForm,
    errors: Vec<FieldError>,
    caller_types: Vec<(&'static str, bool)>,
    languages: Vec<(&'static str, bool)>,
    urgencies: Vec<(&'static str, bool)>,
    categories: Vec<(&'static str, bool)>,
    red_flags: Vec<RedFlag>,
}

/// One question of the desk's red-flag screen, with the answer typed so far.
pub struct RedFlag {
    pub id: String,
    pub question: String,
    /// (language code, text) in the other interview languages, for a call in one of them.
    pub other: Vec<(&'static str, String)>,
    pub answer: String,
}

/// The desk's red-flag screen (the `hotline_red_flags` instrument), if installed.
pub const RED_FLAGS: &str = "hotline_red_flags";

/// The red flags, each question in the desk's language (`lang`) and in the other interview
/// languages for a call in one of them.
fn red_flags(state: &AppState, lang: &str, typed: &BTreeMap<String, String>) -> Vec<RedFlag> {
    let Some(i) = state.store.instruments().get(RED_FLAGS) else {
        return Vec::new();
    };
    // A desk in a language the instrument lacks reads the questions in English.
    let shown = if matches!(lang, "fr" | "es" | "ar") {
        lang
    } else {
        "en"
    };
    i.indicators
        .iter()
        .map(|x| RedFlag {
            id: x.id.clone(),
            question: x.question.get(lang).to_string(),
            other: ["en", "fr", "es", "ar"]
                .into_iter()
                .filter(|code| *code != shown)
                .map(|code| (code, x.question.get(code).to_string()))
                .collect(),
            answer: typed.get(&x.id).cloned().unwrap_or_default(),
        })
        .collect()
}

fn desk_page(
    nav: Nav,
    f: CallForm,
    raw: &RawHotlineReport,
    errors: Vec<FieldError>,
    red_flags: Vec<RedFlag>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let pick = |all: Vec<&'static str>, chosen: &str, default: &str| {
        let chosen = if chosen.is_empty() { default } else { chosen };
        all.into_iter().map(|v| (v, v == chosen)).collect()
    };
    let mut res = page(&DeskPage {
        csrf: nav.csrf.clone(),
        nav,
        errors,
        caller_types: pick(
            ReporterType::ALL.iter().map(|r| r.as_str()).collect(),
            &raw.caller_type,
            "victim",
        ),
        languages: pick(LANGUAGES.to_vec(), &raw.language, "en"),
        urgencies: pick(
            Urgency::ALL.iter().map(|u| u.as_str()).collect(),
            raw.urgency.as_deref().unwrap_or(""),
            "normal",
        ),
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), raw.categories.iter().any(|x| x == c.as_str())))
            .collect(),
        f,
        red_flags,
    });
    *res.status_mut() = status;
    res
}

pub async fn desk(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    let nav = Nav::of(&state, &s).await?;
    let flags = red_flags(&state, &nav.lang, &BTreeMap::new());
    Ok(desk_page(
        nav,
        CallForm::default(),
        &RawHotlineReport::default(),
        Vec::new(),
        flags,
    ))
}

pub async fn log_call(
    State(state): State<AppState>,
    StaffForm(s, f): StaffForm<CallPost>,
) -> Result<Response, WebError> {
    let opt = |v: &str| Some(v.to_string()).filter(|v| !v.trim().is_empty());
    let raw = RawHotlineReport {
        caller_type: f.caller_type,
        language: f.language,
        urgency: opt(&f.urgency),
        categories: f.categories,
        narrative: f.narrative,
        country: opt(&f.country),
        place: opt(&f.place),
        employer: opt(&f.employer),
        contact: opt(&f.contact),
        callback_consent: f.callback_consent,
        callback_time: opt(&f.callback_time),
        immediate_danger: f.immediate_danger,
        child: f.child,
        urgent_medical: f.urgent_medical,
    };
    let form = CallForm {
        immediate_danger: raw.immediate_danger,
        child: raw.child,
        urgent_medical: raw.urgent_medical,
        narrative: raw.narrative.clone(),
        country: f.country,
        place: f.place,
        employer: f.employer,
        contact: f.contact,
        callback_consent: raw.callback_consent,
        callback_time: f.callback_time,
    };
    let nav = Nav::of(&state, &s).await?;
    // The red-flag screen: radio groups named `rf_<indicator>`; none answered is no screen.
    let flags: BTreeMap<String, String> = f
        .fields
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix("rf_").map(|id| (id.to_string(), v)))
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let report = match raw.clone().validate() {
        Ok(r) => r,
        Err(p) => {
            let flags = red_flags(&state, &nav.lang, &flags);
            return Ok(desk_page(nav, form, &raw, p.0, flags));
        }
    };
    let screen = (!flags.is_empty()).then(|| NewScreening {
        instrument: RED_FLAGS.into(),
        language: if passage_core::screening::LANGUAGES.contains(&raw.language.as_str()) {
            raw.language.clone()
        } else {
            "en".into()
        },
        answers: flags.clone(),
        complete: true,
    });
    let sla = state.store.intake_options().sla;
    match state
        .store
        .create_screened_hotline_report(&s.session.actor, report, &sla, screen)
        .await
    {
        Ok(id) => Ok(done(&format!("/reports/{id}"), "saved")),
        Err(StoreError::Invalid(p)) => {
            let flags = red_flags(&state, &nav.lang, &flags);
            Ok(desk_page(nav, form, &raw, p.0, flags))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::CallPost;
    use crate::kit::form::typed_body;

    #[test]
    fn a_call_reads_its_choices_its_ticks_and_its_red_flags() {
        let one: CallPost = typed_body(b"csrf=t&categories=labour&child=on&rf_locked=yes").unwrap();
        assert_eq!(one.categories, ["labour"]);
        assert!(one.child && !one.urgent_medical);
        assert_eq!(one.fields.get("rf_locked").map(String::as_str), Some("yes"));
        let two: CallPost = typed_body(b"categories=labour&categories=sexual").unwrap();
        assert_eq!(two.categories, ["labour", "sexual"]);
    }
}
