//! The worker's account and claims part of the OpenAPI document, generated from the handlers'
//! annotations and the types of [`super::types`].

use super::api;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::fees,
    api::record_fee,
    api::debts,
    api::record_debt,
    api::contracts,
    api::record_contract,
    api::wages,
    api::record_wages,
    api::claims,
    api::record_claim,
    api::change_claim
))]
pub(crate) struct Part;
