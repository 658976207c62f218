//! What the staff forms share: reading a posted form into a struct, the error summary's items,
//! and the redirect after a successful post.

use crate::WebError;
use crate::kit::form_pairs;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// One problem shown in an error summary: the id of the field it links to, and the message.
pub struct UiError {
    pub anchor: String,
    pub message: String,
    /// The field and code of a refusal from the rules, so the page can tell it in its language
    /// (`Nav::ui_problem`); `message` stays the rule's own English words.
    pub code: Option<(String, passage_core::ErrorCode)>,
}

/// A public page's posted fields in order (staff forms are read into structs by
/// [`StaffForm`]).
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(form_pairs(body))
    }
    /// The first value of a field, or empty.
    pub fn first(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// The body of a form that is only a button: nothing but its CSRF token.
#[derive(serde::Deserialize)]
pub struct Button {}
crate::form_body!(Button);

/// The version a form was rendered with, if it has one.
pub fn version_opt(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// The version a form was rendered with; a form without one is refused.
pub fn version(text: &str) -> Result<i64, WebError> {
    version_opt(text).ok_or_else(|| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::InvalidForm,
            "This form is missing its version. Reload the page and try again.",
        )
    })
}

/// Reads a field chosen from a list, repeated once per choice, as its values joined by spaces.
pub fn joined<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(<Vec<String> as serde::Deserialize>::deserialize(d)?.join(" "))
}

/// Reads a checkbox: ticked when it was sent with a value (an unticked box is not sent).
pub fn ticked<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(!<String as serde::Deserialize>::deserialize(d)?.is_empty())
}

/// 303 to `to`: post, redirect, get.
pub fn see_other(to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res
}

/// 303 to `to` with a status line naming what was done: `done(&url, "saved")` shows the
/// message `staff-done-saved` on the page it lands on (before any `#fragment` of `to`).
pub fn done(to: &str, what: &str) -> Response {
    let (path, fragment) = to.split_once('#').map_or((to, None), |(p, f)| (p, Some(f)));
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut url = format!("{path}{sep}done={what}");
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    see_other(&url)
}

/// What a staff form's body can be read into: a struct deriving `Deserialize` registered with
/// [`form_body!`](crate::form_body).
pub trait FormBody: Sized {
    fn from_body(body: &[u8]) -> Result<Self, WebError>;
}

/// Parses a form body into a struct with the HTML-form rules: repeated names fill a `Vec`, a
/// missing field takes its `#[serde(default)]`. A body that does not fit is a 400: the page
/// that posted it does not match this server.
pub fn typed_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    serde_html_form::from_bytes(body).map_err(|_| {
        WebError::new(
            StatusCode::BAD_REQUEST,
            passage_core::ErrorCode::InvalidForm,
            "This form could not be read. Reload the page and try again.",
        )
    })
}

/// Makes structs usable as a [`StaffForm`] body: `form_body!(PlanForm, TaskForm);`.
#[macro_export]
macro_rules! form_body {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::kit::form::FormBody for $t {
            fn from_body(body: &[u8]) -> Result<Self, $crate::WebError> {
                $crate::kit::form::typed_body(body)
            }
        }
    )+};
}

/// A staff form posted by a signed-in user: the session (a missing one is sent to sign in),
/// the CSRF token checked in constant time, and the body read into `T`. Handlers get the
/// session and the typed form; none repeats the preamble.
pub struct StaffForm<T>(pub crate::kit::UiSession, pub T);

impl<T: FormBody> axum::extract::FromRequest<crate::AppState> for StaffForm<T> {
    type Rejection = Response;
    async fn from_request(
        req: axum::extract::Request,
        state: &crate::AppState,
    ) -> Result<Self, Response> {
        use axum::extract::FromRequestParts;
        let (mut parts, body) = req.into_parts();
        let session = crate::kit::UiSession::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, state.config.body_limit)
            .await
            .map_err(|_| {
                WebError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    passage_core::ErrorCode::BodyTooLarge,
                    "The form is too large.",
                )
                .into_response()
            })?;
        let csrf = form_pairs(&bytes)
            .into_iter()
            .rev()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v)
            .unwrap_or_default();
        crate::kit::check_csrf(&session.session.csrf, &csrf)
            .map_err(IntoResponse::into_response)?;
        let form = T::from_body(&bytes).map_err(IntoResponse::into_response)?;
        Ok(StaffForm(session, form))
    }
}

/// Turns a refusal a person can fix into summary lines; anything else stays an error.
/// `anchor` maps a store field name to the id of the input it came from.
pub fn ui_errors(
    e: passage_store::StoreError,
    anchor: impl Fn(&str) -> String,
) -> Result<Vec<UiError>, WebError> {
    use passage_store::StoreError;
    match e {
        StoreError::Invalid(p) => Ok(p
            .0
            .into_iter()
            .map(|f| UiError {
                code: Some((f.field.clone(), f.code)),
                anchor: anchor(&f.field),
                message: f.message,
            })
            .collect()),
        StoreError::VersionConflict { .. } => Ok(vec![UiError {
            code: Some((String::new(), passage_core::ErrorCode::VersionConflict)),
            anchor: anchor("version"),
            message: "Someone changed this while you were editing. The page now shows the current version; apply your change again.".into(),
        }]),
        StoreError::Rule { code, message } => Ok(vec![UiError {
            code: None,
            anchor: anchor(code.as_str()),
            message,
        }]),
        other => Err(other.into()),
    }
}

/// A form page shown again: 422 when it carries errors, as it is otherwise.
pub fn again(res: Response, errors: bool) -> Response {
    if errors {
        with_status(res, StatusCode::UNPROCESSABLE_ENTITY)
    } else {
        res
    }
}

/// The status of a form page with these errors: 422 when there are any, else 200.
pub fn error_status(errors: &[UiError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A response with another status (a form shown again after a conflict is a 409).
pub fn with_status(mut res: Response, status: StatusCode) -> Response {
    *res.status_mut() = status;
    res
}
