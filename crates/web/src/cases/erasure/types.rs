//! The request and response bodies of erasure and the legal hold.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether a case is under a legal hold and whether its person was erased.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErasureState {
    pub legal_hold: bool,
    /// When the person was erased (ms since the epoch); absent while they are not.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub erased_at: Option<i64>,
}

impl From<passage_store::erasure::ErasureState> for ErasureState {
    fn from(s: passage_store::erasure::ErasureState) -> Self {
        ErasureState {
            legal_hold: s.legal_hold,
            erased_at: s.erased_at,
        }
    }
}

/// Sets or lifts the legal hold.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Hold {
    pub hold: bool,
}

/// Erases the person of the case: the reason is required and `confirm` must be true.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Erase {
    pub reason: String,
    pub confirm: bool,
}

/// What the erasure did, counted (never a value).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Erased {
    /// The person had been erased before: nothing more was done.
    pub already: bool,
    pub documents: u64,
    pub attachments: u64,
    pub name_terms: u64,
    pub link_keys: u64,
    /// Free-text values of the person's cases emptied.
    pub texts: u64,
}

impl From<passage_store::erasure::Erased> for Erased {
    fn from(e: passage_store::erasure::Erased) -> Self {
        Erased {
            already: e.already,
            documents: e.documents,
            attachments: e.attachments,
            name_terms: e.name_terms,
            link_keys: e.link_keys,
            texts: e.texts,
        }
    }
}
