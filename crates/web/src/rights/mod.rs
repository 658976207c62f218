//! Rights information along the migration cycle: public pages by country, stage (before
//! departure, in transit, at destination, on return) and language, written as Markdown files a
//! deployment can extend without a rebuild, checked at start. No script, no third-party asset,
//! each page small enough for a cheap phone; a page missing in the reader's language is shown
//! in English with a notice, never blank.

mod content;
mod markdown;
mod pages;

pub use content::{RightsError, RightsLibrary};

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/rights", get(pages::index))
        .route("/rights/{country}/{stage}/{slug}", get(pages::page))
}
