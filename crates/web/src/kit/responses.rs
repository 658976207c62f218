//! The error answers the API's operations share, named once for the document instead of
//! listed again on every handler. Each variant is one status answered with the `Error` body;
//! the enums are never built, only read by the document's generator.

#![allow(dead_code)]

use crate::kit::ErrorBody;

/// A read of one record: no session, or no such record (or not one the caller may see).
#[derive(utoipa::IntoResponses)]
pub(crate) enum Reads {
    #[response(status = 401, description = "Structured error")]
    Unauthenticated(ErrorBody),
    #[response(status = 404, description = "Structured error")]
    NotFound(ErrorBody),
}

/// A change to a record with a JSON body and the version it was read at.
#[derive(utoipa::IntoResponses)]
pub(crate) enum Writes {
    #[response(status = 400, description = "Structured error")]
    BadRequest(ErrorBody),
    #[response(status = 401, description = "Structured error")]
    Unauthenticated(ErrorBody),
    #[response(status = 403, description = "Structured error")]
    Forbidden(ErrorBody),
    #[response(status = 404, description = "Structured error")]
    NotFound(ErrorBody),
    #[response(status = 409, description = "Structured error")]
    Conflict(ErrorBody),
    #[response(status = 422, description = "Structured error")]
    Invalid(ErrorBody),
}

/// As [`Writes`], where a body of another media type is refused with 415.
#[derive(utoipa::IntoResponses)]
pub(crate) enum JsonWrites {
    #[response(status = 400, description = "Structured error")]
    BadRequest(ErrorBody),
    #[response(status = 401, description = "Structured error")]
    Unauthenticated(ErrorBody),
    #[response(status = 403, description = "Structured error")]
    Forbidden(ErrorBody),
    #[response(status = 404, description = "Structured error")]
    NotFound(ErrorBody),
    #[response(status = 409, description = "Structured error")]
    Conflict(ErrorBody),
    #[response(status = 415, description = "Structured error")]
    UnsupportedMediaType(ErrorBody),
    #[response(status = 422, description = "Structured error")]
    Invalid(ErrorBody),
}

/// A change without versions: a bad body, no session, no such record, or invalid input.
#[derive(utoipa::IntoResponses)]
pub(crate) enum Changes {
    #[response(status = 400, description = "Structured error")]
    BadRequest(ErrorBody),
    #[response(status = 401, description = "Structured error")]
    Unauthenticated(ErrorBody),
    #[response(status = 403, description = "Structured error")]
    Forbidden(ErrorBody),
    #[response(status = 404, description = "Structured error")]
    NotFound(ErrorBody),
    #[response(status = 422, description = "Structured error")]
    Invalid(ErrorBody),
}

/// An action only some roles may take on a record.
#[derive(utoipa::IntoResponses)]
pub(crate) enum Guarded {
    #[response(status = 401, description = "Structured error")]
    Unauthenticated(ErrorBody),
    #[response(status = 403, description = "Structured error")]
    Forbidden(ErrorBody),
    #[response(status = 404, description = "Structured error")]
    NotFound(ErrorBody),
    #[response(status = 422, description = "Structured error")]
    Invalid(ErrorBody),
}

/// An answer about no one record that some roles may not have.
#[derive(utoipa::IntoResponses)]
pub(crate) enum Refusals {
    #[response(status = 401, description = "Structured error")]
    Unauthenticated(ErrorBody),
    #[response(status = 403, description = "Structured error")]
    Forbidden(ErrorBody),
}
