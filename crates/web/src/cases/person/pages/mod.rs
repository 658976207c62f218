//! Staff pages of a case's person, consent, attachments and child protection: identity with
//! documents and who holds them, consents in force and withdrawn, file upload and download,
//! best-interests decisions with the supervisor's sign-off. Plain forms (multipart for the
//! upload), a CSRF token in each, errors summarised and linked to their fields.

use super::shared::{
    attachment_response, malformed_multipart, missing_file, read_body, too_large, upload_error,
    withdrawal_method,
};
use crate::AppState;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::form::StaffForm;
use crate::kit::form::{error_status, ui_errors, with_status};
use crate::kit::this_year;
use crate::kit::{Nav, check_csrf, page, when};
use crate::kit::{UiError, done};
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{
    ContactKind, RawContact, RawDocument, RawDocumentChanges, RawPersonChanges,
};
use passage_core::casework::{
    ConsentMethod, ConsentPurpose, DocumentHolder, DocumentKind, LegalBasis, Vulnerability,
};
use passage_core::{Role, Sex};
use passage_store::StoreError;
use passage_store::cases::CaseView;
use passage_store::casework::duplicates::LinkStatus;
use passage_store::casework::person::PersonDetails;
use uuid::Uuid;

fn full_name(c: &CaseView) -> String {
    format!("{} {}", c.person.given_name, c.person.family_name)
        .trim()
        .to_string()
}

pub(super) mod attachments;
pub(super) mod child;
pub(super) mod consent;
pub(super) mod identity;
