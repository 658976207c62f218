//! What the staff forms share: reading a posted form by field name, the error summary's items,
//! and the redirect after a successful post.

use crate::WebError;
use crate::extract::form_pairs;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// One problem shown in an error summary: the id of the field it links to, and the message.
pub struct UiError {
    pub anchor: String,
    pub message: String,
}

/// A posted form's fields in order; repeated names are kept (checkboxes).
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(form_pairs(body))
    }
    /// The last value of a field, or empty.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    /// A field's value unless blank.
    pub fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name);
        (!v.trim().is_empty()).then_some(v)
    }
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }
    /// The version the form was rendered with, if it has one.
    pub fn version_opt(&self) -> Option<i64> {
        self.get("version").trim().parse().ok()
    }
    /// The version the form was rendered with; a form without one is refused.
    pub fn version(&self) -> Result<i64, WebError> {
        self.version_opt().ok_or_else(|| {
            WebError::new(
                StatusCode::BAD_REQUEST,
                "invalid_form",
                "This form is missing its version. Reload the page and try again.",
            )
        })
    }
}

/// 303 to `to`: post, redirect, get.
pub fn see_other(to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    res
}
