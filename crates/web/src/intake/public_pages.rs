//! The public pages: the complaint form, the receipt, follow-up. No account, no JavaScript, no
//! third-party asset; the language comes from `?lang=` or the browser; a quick-exit link on
//! every page. The form carries a signed time token: a script that posts at once is asked to
//! wait, a person writing a report never notices.

use super::receipts::with_receipt;
use crate::AppState;
use crate::i18n::I18n;
use crate::kit::ClientSource;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::intake::display_receipt;
use passage_core::reports::RawPublicReport;
use passage_core::{Category, Channel};
use serde::Deserialize;
use std::sync::Arc;

/// What every public page needs: the language, its direction, the chooser, translations.
pub struct PublicPage {
    pub lang: String,
    pub dir: &'static str,
    pub path: String,
    /// More of the query the language chooser keeps (`&country=GB&stage=destination`).
    pub keep: String,
    pub languages: Vec<(String, String)>,
    i18n: Arc<I18n>,
}

impl PublicPage {
    pub(crate) fn new(
        state: &AppState,
        path: impl Into<String>,
        chosen: Option<&str>,
        headers: &HeaderMap,
    ) -> PublicPage {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let lang = state.i18n.negotiate(chosen, accept);
        PublicPage {
            dir: I18n::dir(&lang),
            languages: state.i18n.languages(),
            path: path.into(),
            keep: String::new(),
            lang,
            i18n: state.i18n.clone(),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.i18n.t(&self.lang, id)
    }

    /// A message with one placeholder filled.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.i18n.t_args(&self.lang, id, &[(name, &value)])
    }

    /// Every country as (code, name) in the page's language, sorted for its reader.
    pub fn countries(&self) -> &'static [(&'static str, &'static str)] {
        crate::names::countries(&self.lang)
    }
}

pub(crate) fn render(t: &impl Template, status: StatusCode, lang: &str) -> Response {
    let mut res = crate::kit::page(t);
    *res.status_mut() = status;
    if let Ok(v) = header::HeaderValue::from_str(lang) {
        res.headers_mut().insert(header::CONTENT_LANGUAGE, v);
    }
    res
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

#[derive(Default)]
pub struct ReportForm {
    category: String,
    narrative: String,
    country: String,
    place: String,
    employer: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct FormPage {
    p: PublicPage,
    token: String,
    form: ReportForm,
    categories: Vec<(&'static str, String, bool)>,
    errors: Vec<(String, String)>,
}

fn form_page(
    state: &AppState,
    p: PublicPage,
    form: ReportForm,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let categories = Category::ALL
        .iter()
        .map(|c| {
            (
                c.as_str(),
                p.t(&format!("cat-{}", c.as_str())),
                form.category == c.as_str(),
            )
        })
        .collect();
    let lang = p.lang.clone();
    render(
        &FormPage {
            token: super::form_token::issue(state),
            p,
            form,
            categories,
            errors,
        },
        status,
        &lang,
    )
}

pub async fn report_form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let p = PublicPage::new(&state, "/report", q.lang.as_deref(), &headers);
    form_page(&state, p, ReportForm::default(), Vec::new(), StatusCode::OK)
}

#[derive(Template)]
#[template(path = "report_done.html")]
struct DonePage {
    p: PublicPage,
    receipt: String,
}

pub async fn submit_report(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let posted = crate::kit::Form::parse(&body);
    let field = |name: &str| posted.first(name);
    let p = PublicPage::new(&state, "/report", Some(&field("lang")), &headers);
    let form = ReportForm {
        category: field("category"),
        narrative: field("narrative"),
        country: field("country"),
        place: field("place"),
        employer: field("employer"),
        contact: field("contact"),
    };
    let fail = |p: PublicPage, form: ReportForm, field: &str, key: &str, status: StatusCode| {
        let msg = p.t(key);
        form_page(&state, p, form, vec![(field.to_string(), msg)], status)
    };
    if !field("website").is_empty() {
        // Only a script fills the hidden field; a person who somehow did is told, and loses nothing.
        return fail(
            p,
            form,
            "narrative",
            "error-too-fast",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match super::form_token::check(&state, &field("t")) {
        super::form_token::Check::TooFast(_) => {
            return fail(
                p,
                form,
                "narrative",
                "error-too-fast",
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        super::form_token::Check::Good => {}
        super::form_token::Check::Expired => {
            return fail(
                p,
                form,
                "narrative",
                "error-form-expired",
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    }
    if !state.guard.submission(ip) {
        return fail(
            p,
            form,
            "narrative",
            "error-too-many",
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let opt = |v: &str| (!v.trim().is_empty()).then(|| v.to_string());
    let raw = RawPublicReport {
        language: p.lang.clone(),
        category: form.category.clone(),
        narrative: form.narrative.clone(),
        country: opt(&form.country),
        place: opt(&form.place),
        employer: opt(&form.employer),
        contact: opt(&form.contact),
    };
    let report = match raw.validate() {
        Ok(r) => r,
        Err(problems) => {
            let errors = problems
                .0
                .iter()
                .map(|e| {
                    let key = match (e.field.as_str(), e.code) {
                        (_, passage_core::ErrorCode::TooLong) => "error-too-long",
                        ("category", _) => "error-category",
                        ("country", _) => "error-country",
                        _ => "error-narrative",
                    };
                    (e.field.clone(), p.t(key))
                })
                .collect();
            return form_page(&state, p, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match state
        .store
        .submit_public_report(report, Channel::WebForm)
        .await
    {
        Ok(receipt) => {
            let lang = p.lang.clone();
            render(
                &DonePage {
                    p,
                    receipt: display_receipt(&receipt),
                },
                StatusCode::CREATED,
                &lang,
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "public report not stored");
            fail(
                p,
                form,
                "narrative",
                "error-unavailable",
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    }
}

#[derive(Template)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    p: PublicPage,
    error: Option<String>,
    error_field: &'static str,
    status: Option<String>,
    sent: bool,
    receipt: String,
    messages: Vec<(String, String, String, String)>,
}

fn follow_page(p: PublicPage, error: Option<&str>, status: StatusCode) -> Response {
    let lang = p.lang.clone();
    let error = error.map(|k| p.t(k));
    let error_field = if error.is_some() { "receipt" } else { "" };
    render(
        &FollowUpPage {
            p,
            error,
            error_field,
            status: None,
            sent: false,
            receipt: String::new(),
            messages: Vec::new(),
        },
        status,
        &lang,
    )
}

/// The follow-up page refusing for a while, with the wait in `Retry-After`.
fn too_many(p: PublicPage, e: &crate::kit::WebError) -> Response {
    let mut res = follow_page(p, Some("error-too-many"), StatusCode::TOO_MANY_REQUESTS);
    if let Some(secs) = e.retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    res
}

pub async fn follow_up_form(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    follow_page(
        PublicPage::new(&state, "/report/follow-up", q.lang.as_deref(), &headers),
        None,
        StatusCode::OK,
    )
}

async fn show_report(
    state: &AppState,
    ip: std::net::IpAddr,
    p: PublicPage,
    receipt: &str,
    sent: bool,
) -> Response {
    let store = state.store.clone();
    match with_receipt(state, ip, receipt, async |r| store.follow_up(r).await).await {
        Ok(f) => {
            let messages = f
                .messages
                .into_iter()
                .map(|m| {
                    let who = p.t(if m.from == "staff" {
                        "from-staff"
                    } else {
                        "from-reporter"
                    });
                    (
                        m.from,
                        who,
                        m.at.replace('T', " ").trim_end_matches('Z').to_string(),
                        m.body,
                    )
                })
                .collect();
            let status = p.t(&format!("status-{}", f.status));
            let lang = p.lang.clone();
            let receipt: String = receipt.chars().filter(char::is_ascii_digit).collect();
            render(
                &FollowUpPage {
                    p,
                    error: None,
                    error_field: "",
                    status: Some(status),
                    sent,
                    receipt,
                    messages,
                },
                StatusCode::OK,
                &lang,
            )
        }
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => too_many(p, &e),
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            follow_page(p, Some("error-receipt"), StatusCode::NOT_FOUND)
        }
        Err(_) => follow_page(
            p,
            Some("error-unavailable"),
            StatusCode::SERVICE_UNAVAILABLE,
        ),
    }
}

pub async fn follow_up(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let posted = crate::kit::Form::parse(&body);
    let field = |name: &str| posted.first(name);
    let p = PublicPage::new(&state, "/report/follow-up", Some(&field("lang")), &headers);
    show_report(&state, ip, p, &field("receipt"), false).await
}

pub async fn reply(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let posted = crate::kit::Form::parse(&body);
    let field = |name: &str| posted.first(name);
    let p = PublicPage::new(&state, "/report/follow-up", Some(&field("lang")), &headers);
    let (receipt, text) = (field("receipt"), field("body"));
    let store = state.store.clone();
    let sent = match passage_core::intake::message_body(&text) {
        Ok(text) => {
            with_receipt(&state, ip, &receipt, async |r| {
                store.reporter_message(r, text.clone()).await
            })
            .await
        }
        Err(p) => Err(passage_store::StoreError::Invalid(p).into()),
    };
    match sent {
        Ok(()) => show_report(&state, ip, p, &receipt, true).await,
        Err(e) if e.body.code == "validation_failed" => {
            let mut res = show_report(&state, ip, p, &receipt, false).await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            follow_page(p, Some("error-receipt"), StatusCode::NOT_FOUND)
        }
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => too_many(p, &e),
        Err(_) => follow_page(
            p,
            Some("error-unavailable"),
            StatusCode::SERVICE_UNAVAILABLE,
        ),
    }
}

/// The quick exit's script (see `static/exit.js`).
pub async fn exit_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/exit.js"),
    )
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/public.css"),
    )
}
