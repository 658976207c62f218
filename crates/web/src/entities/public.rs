//! The public recruiter check, `/recruiters`: licence status and confirmed sanctions from the
//! register, in the public languages, without a script.

use crate::AppState;
use crate::kit::WebError;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PublicQuery {
    lang: Option<String>,
    q: String,
}

/// One recruiter as the public check shows it.
pub struct PublicRow {
    name: String,
    kind: String,
    country: String,
    licence_number: String,
    status: String,
    status_value: &'static str,
    authority: String,
    date: String,
    sanctions: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "recruiters_public.html")]
struct PublicCheck {
    p: crate::intake::PublicPage,
    q: String,
    rows: Vec<PublicRow>,
    searched: bool,
}

pub async fn public(
    State(state): State<AppState>,
    Query(q): Query<PublicQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let p = crate::intake::PublicPage::new(&state, "/recruiters", q.lang.as_deref(), &headers);
    let typed: String = q.q.trim().chars().take(200).collect();
    let found = state.store.public_recruiters(&typed).await?;
    let lang = p.lang.clone();
    let rows = found
        .into_iter()
        .map(|r| PublicRow {
            name: r.name,
            kind: p.t(&format!("v-entity_kind-{}", r.kind.as_str())),
            country: crate::names::country_name(&lang, r.country.as_str())
                .map_or_else(|| r.country.as_str().to_string(), str::to_string),
            licence_number: r.licence_number.unwrap_or_default(),
            status: p.t(&format!("v-licence_status-{}", r.licence_status.as_str())),
            status_value: r.licence_status.as_str(),
            authority: r.licence_authority.unwrap_or_default(),
            date: r.licence_date.unwrap_or_default(),
            sanctions: r
                .sanctions
                .into_iter()
                .map(|x| (x.decided_on, x.authority, x.description))
                .collect(),
        })
        .collect();
    Ok(crate::intake::render_public(
        &PublicCheck {
            p,
            searched: !typed.is_empty(),
            q: typed,
            rows,
        },
        axum::http::StatusCode::OK,
        &lang,
    ))
}
