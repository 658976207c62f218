//! The public pages: the complaint form, the receipt, follow-up. No account, no JavaScript, no
//! third-party asset; the language comes from `?lang=` or the browser; a quick-exit link on
//! every page. The form carries a signed time token: a script that posts at once is asked to
//! wait, a person writing a report never notices.

use super::receipts::with_receipt;
use crate::AppState;
use crate::i18n::I18n;
use crate::kit::ClientSource;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_core::intake::display_receipt;
use passage_core::reports::RawPublicReport;
use passage_core::{Category, Channel, ErrorCode};
use passage_store::StoreError;
use passage_store::reports::public::PublicFile;
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
    /// The categories ticked, in the form's order (routing takes the first rule that names any of them).
    categories: Vec<String>,
    /// "I saw this happen to someone else".
    witness: bool,
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
    /// The largest file accepted, in words ("10 MB").
    max_file: String,
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
                form.categories.iter().any(|x| x == c.as_str()),
            )
        })
        .collect();
    let lang = p.lang.clone();
    let max_file = format!("{} MB", state.config.attachment_limit.div_ceil(1024 * 1024));
    render(
        &FormPage {
            token: super::form_token::issue(state),
            p,
            form,
            categories,
            errors,
            max_file,
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
    /// When the report and its receipt will be erased, in words.
    expiry: String,
}

/// What the complaint form posted: its fields, the file if one was chosen, and whether the
/// body could be read at all (`Some(key)` names the problem).
struct Posted {
    fields: crate::kit::Form,
    file: Option<PublicFile>,
    problem: Option<(&'static str, StatusCode)>,
}

/// Reads the form as `multipart/form-data` (with its optional file) or, from older pages and
/// clients, as URL-encoded fields. The body is bounded by the attachment limit.
async fn read_posted(req: Request, limit: usize) -> Posted {
    let (parts, body) = req.into_parts();
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let failed = |key, status| Posted {
        fields: crate::kit::Form(Vec::new()),
        file: None,
        problem: Some((key, status)),
    };
    let Ok(bytes) = axum::body::to_bytes(body, limit.saturating_add(64 * 1024)).await else {
        return failed("error-file-large", StatusCode::PAYLOAD_TOO_LARGE);
    };
    if !multipart {
        return Posted {
            fields: crate::kit::Form::parse(&bytes),
            file: None,
            problem: None,
        };
    }
    let req = Request::from_parts(parts, axum::body::Body::from(bytes));
    let Ok(mut form) = Multipart::from_request(req, &()).await else {
        return failed("error-file-damaged", StatusCode::BAD_REQUEST);
    };
    let (mut fields, mut file) = (Vec::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return failed("error-file-damaged", StatusCode::BAD_REQUEST),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            match field.bytes().await {
                // A file input left empty still sends an empty part.
                Ok(b) if b.is_empty() && file_name.is_empty() => {}
                Ok(b) => {
                    file = Some(PublicFile {
                        name: file_name,
                        bytes: b.to_vec(),
                    })
                }
                Err(_) => return failed("error-file-damaged", StatusCode::BAD_REQUEST),
            }
        } else {
            match field.text().await {
                Ok(t) => fields.push((name, t)),
                Err(_) => return failed("error-file-damaged", StatusCode::BAD_REQUEST),
            }
        }
    }
    Posted {
        fields: crate::kit::Form(fields),
        file,
        problem: None,
    }
}

/// The words for a refused file, and the status that names it.
fn file_problem(code: ErrorCode) -> Option<(&'static str, StatusCode)> {
    match code {
        ErrorCode::UnsupportedFileType | ErrorCode::EmptyFile => {
            Some(("error-file-type", StatusCode::UNSUPPORTED_MEDIA_TYPE))
        }
        ErrorCode::FileTooLarge => Some(("error-file-large", StatusCode::PAYLOAD_TOO_LARGE)),
        ErrorCode::MalformedFile => Some(("error-file-damaged", StatusCode::UNPROCESSABLE_ENTITY)),
        ErrorCode::MetadataNotRemovable => {
            Some(("error-file-metadata", StatusCode::UNPROCESSABLE_ENTITY))
        }
        _ => None,
    }
}

pub async fn submit_report(
    State(state): State<AppState>,
    ClientSource(ip): ClientSource,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let Posted {
        fields: posted,
        file,
        problem,
    } = read_posted(req, state.config.attachment_limit).await;
    let field = |name: &str| posted.first(name);
    let p = PublicPage::new(&state, "/report", Some(&field("lang")), &headers);
    let all = |name: &str| -> Vec<String> {
        posted
            .0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    };
    // The form lists categories in one order; whatever order they came in, that one is kept.
    let mut categories = all("category");
    categories.extend(all("categories"));
    categories.sort_by_key(|c| {
        Category::ALL
            .iter()
            .position(|x| x.as_str() == c)
            .unwrap_or(usize::MAX)
    });
    let form = ReportForm {
        categories,
        witness: !field("witness").is_empty(),
        narrative: field("narrative"),
        country: field("country"),
        place: field("place"),
        employer: field("employer"),
        contact: field("contact"),
    };
    // A browser cannot fill a file field again: when the form comes back for another reason,
    // the reporter is told to choose the file again rather than find it silently gone.
    let had_file = file.is_some();
    let again = |p: &PublicPage, errors: &mut Vec<(String, String)>| {
        if had_file && !errors.iter().any(|(f, _)| f == "file") {
            errors.push(("file".to_string(), p.t("error-file-again")));
        }
    };
    let fail = |p: PublicPage, form: ReportForm, field: &str, key: &str, status: StatusCode| {
        let mut errors = vec![(field.to_string(), p.t(key))];
        again(&p, &mut errors);
        form_page(&state, p, form, errors, status)
    };
    if let Some((key, status)) = problem {
        return fail(p, form, "file", key, status);
    }
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
        category: String::new(),
        categories: form.categories.clone(),
        witness: form.witness,
        narrative: form.narrative.clone(),
        country: opt(&form.country),
        place: opt(&form.place),
        employer: opt(&form.employer),
        contact: opt(&form.contact),
    };
    let report = match raw.validate() {
        Ok(r) => r,
        Err(problems) => {
            let mut errors: Vec<(String, String)> = problems
                .0
                .iter()
                .map(|e| {
                    let key = match (e.field.as_str(), e.code) {
                        (_, passage_core::ErrorCode::TooLong) => "error-too-long",
                        ("category" | "categories", _) => "error-category",
                        ("country", _) => "error-country",
                        _ => "error-narrative",
                    };
                    let anchor = match e.field.as_str() {
                        "categories" => "category".to_string(),
                        other => other.to_string(),
                    };
                    (anchor, p.t(key))
                })
                .collect();
            again(&p, &mut errors);
            return form_page(&state, p, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match state
        .store
        .submit_public_report_with(
            report,
            Channel::WebForm,
            file,
            state.config.attachment_limit,
        )
        .await
    {
        Ok(done) => {
            let lang = p.lang.clone();
            render(
                &DonePage {
                    expiry: p.t1("expiry-notice", "date", &done.expires_on),
                    p,
                    receipt: display_receipt(&done.receipt),
                },
                StatusCode::CREATED,
                &lang,
            )
        }
        Err(StoreError::Rule { code, .. }) => {
            let (key, status) = file_problem(code)
                .unwrap_or(("error-unavailable", StatusCode::UNPROCESSABLE_ENTITY));
            fail(p, form, "file", key, status)
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
    /// When the report and its receipt will be erased, in words.
    expiry: Option<String>,
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
            expiry: None,
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
            let expiry = Some(p.t1("expiry-notice", "date", &f.expires_on));
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
                    expiry,
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
