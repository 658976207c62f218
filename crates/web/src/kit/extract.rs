//! Extractors: the signed-in actor (bearer token for the API, session cookie for the UI) and a
//! JSON body whose rejections become structured errors.

use crate::AppState;
use crate::kit::WebError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use passage_store::auth::Session;
use passage_store::{Actor, SessionKind};
use serde::de::DeserializeOwned;

/// The actor behind an API bearer token.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let token = bearer(&parts.headers).ok_or_else(WebError::unauthenticated)?;
        match state.store.authenticate(&token, SessionKind::Api).await? {
            Some(session) => Ok(ApiActor(session.actor)),
            None => Err(WebError::unauthenticated()),
        }
    }
}

pub fn bearer(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The signed-in UI session (cookie). Missing or expired: redirect to the sign-in page.
/// It carries what the page frame needs to choose the language: a `?lang=` in the address,
/// the browser's `Accept-Language`, and the path (the language picker comes back to it).
pub struct UiSession {
    pub session: Session,
    pub lang_query: Option<String>,
    pub accept_language: Option<String>,
    pub path: String,
    /// The page was asked to refresh itself (`?auto=1`): a timing the user turns on and off.
    pub auto_refresh: bool,
    /// What the form that led here did (`?done=saved` after a save), shown once as a status
    /// line; only a word naming a `staff-done-*` message is kept.
    pub done: Option<String>,
}

/// The `lang` parameter of a query string, if any.
pub fn lang_param(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
}

/// The `done` parameter of a query string when it is one short word of lower-case letters and
/// hyphens (the name of a `staff-done-*` message), else nothing.
pub fn done_param(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v.into_owned())
        .filter(|v| {
            !v.is_empty() && v.len() <= 40 && v.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        })
}

impl FromRequestParts<AppState> for UiSession {
    type Rejection = axum::response::Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::{IntoResponse, Redirect};
        let Some(token) = cookie(&parts.headers, state.cookie_name()) else {
            return Err(Redirect::to("/login").into_response());
        };
        match state.store.authenticate(&token, SessionKind::Ui).await {
            Ok(Some(session)) => Ok(UiSession {
                session,
                lang_query: lang_param(parts.uri.query()),
                accept_language: parts
                    .headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
                path: parts.uri.path().to_string(),
                auto_refresh: form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
                    .any(|(k, v)| k == "auto" && v == "1"),
                done: done_param(parts.uri.query()),
            }),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

/// A cookie's value by name.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// JSON body with structured errors for every way it can be wrong.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                passage_core::ErrorCode::InvalidBody,
                format!(
                    "The JSON does not have the expected fields or types: {}",
                    data_error_text(&e.body_text())
                ),
            )),
            Err(JsonRejection::JsonSyntaxError(_)) => Err(WebError::new(
                StatusCode::BAD_REQUEST,
                passage_core::ErrorCode::MalformedJson,
                "The body is not valid JSON.",
            )),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                passage_core::ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with Content-Type: application/json.",
            )),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(WebError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                passage_core::ErrorCode::BodyTooLarge,
                "The body is too large.",
            )),
            Err(_) => Err(WebError::new(
                StatusCode::BAD_REQUEST,
                passage_core::ErrorCode::UnreadableBody,
                "The body could not be read.",
            )),
        }
    }
}

/// serde's message names the field and the expectation (it may quote the sender's own value,
/// which goes back to the sender only: errors are logged by code, never by message).
fn data_error_text(text: &str) -> String {
    let t = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("Failed to deserialize the JSON body into the target type: ");
    t.chars().take(200).collect()
}

/// Splits and percent-decodes an `application/x-www-form-urlencoded` body, keeping repeated keys.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// One id from the path. A segment that is not an id answers 404, as any record the caller may
/// not see, before the handler runs.
pub struct Id(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = axum::response::Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ids(id) = Ids::from_request_parts(parts, state).await?;
        Ok(Id(id))
    }
}

/// Several path segments in route order, as a tuple: `Ids<(Uuid, Uuid)>`, or with a `String`
/// for a segment that names an action. A segment that does not parse answers 404, as [`Id`].
pub struct Ids<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Ids<T> {
    type Rejection = axum::response::Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::Path;
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        use axum::response::IntoResponse;
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Ids(value)),
            Err(PathRejection::FailedToDeserializePathParams(e))
                if matches!(
                    e.kind(),
                    ErrorKind::ParseError { .. }
                        | ErrorKind::ParseErrorAtIndex { .. }
                        | ErrorKind::ParseErrorAtKey { .. }
                        | ErrorKind::DeserializeError { .. }
                        | ErrorKind::Message(_)
                ) =>
            {
                Err(WebError::not_found().into_response())
            }
            // Not UTF-8, or a route that does not match its extractor: as a plain `Path`.
            Err(other) => Err(other.into_response()),
        }
    }
}
