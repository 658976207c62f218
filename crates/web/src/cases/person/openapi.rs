//! The person part of the OpenAPI document (full identity and identity documents, consent,
//! attachments and best-interests decisions for children), generated from the handlers'
//! annotations and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::get_person,
    api::patch_person,
    api::add_document,
    api::update_document,
    api::remove_document,
    api::record_consent,
    api::list_consents,
    api::withdraw_consent,
    api::upload_attachment,
    api::list_attachments,
    api::download_attachment,
    api::record_best_interests,
    api::list_best_interests,
    api::sign_off,
))]
pub(crate) struct Part;
