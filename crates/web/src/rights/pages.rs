//! `/rights` (choose a country and a stage; then the list of that country and stage's pages,
//! its helplines and emergency numbers, links to the service finder and the complaint form)
//! and `/rights/{country}/{stage}/{slug}` (one page). Public, no script, cacheable: nothing on
//! them depends on who reads them but the language.

use super::content::{Helpline, RightsPage, STAGES};
use crate::AppState;
use crate::intake::PublicPage;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct IndexQuery {
    lang: Option<String>,
    country: String,
    stage: String,
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct LangQuery {
    lang: Option<String>,
}

/// (value, label, selected) of a list.
type Choice = (String, String, bool);

/// A page as listed: link, title, whether it is shown in English for want of a translation.
pub struct Listed {
    href: String,
    title: String,
    fallback: bool,
}

#[derive(Template)]
#[template(path = "rights_index.html")]
struct IndexPage {
    p: PublicPage,
    countries: Vec<Choice>,
    stages: Vec<Choice>,
    /// Country and stage chosen, in words.
    chosen: Option<(String, String)>,
    /// Each country with pages, and a link to each of its stages: (country, [(href, stage)]).
    places: Vec<(String, Vec<(String, String)>)>,
    country: String,
    pages: Vec<Listed>,
    helplines: Vec<Helpline>,
    emergency: Vec<String>,
    not_found: bool,
}

#[derive(Template)]
#[template(path = "rights_page.html")]
struct OnePage<'a> {
    p: PublicPage,
    page: &'a RightsPage,
    /// The reader's language is missing: the notice, in the reader's language.
    fallback: Option<String>,
    back: String,
    place: String,
    /// The direction of the page's own language (an English fallback on an Arabic page).
    article_dir: &'static str,
    reviewed: String,
}

fn country_name(lang: &str, code: &str) -> String {
    crate::names::country_name(lang, code).map_or_else(|| code.to_string(), str::to_string)
}

/// Public, non-personal and the same for every reader of a language: browsers and proxies may
/// keep it for an hour.
fn cacheable(mut res: Response) -> Response {
    if res.status() == StatusCode::OK {
        let h = res.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
    res
}

fn helplines(pages: &[&RightsPage]) -> (Vec<Helpline>, Vec<String>) {
    let mut lines: Vec<Helpline> = Vec::new();
    let mut emergency: Vec<String> = Vec::new();
    for p in pages {
        for h in &p.helplines {
            if !lines.iter().any(|l| l.number == h.number) {
                lines.push(h.clone());
            }
        }
        for n in &p.emergency {
            if !emergency.contains(n) {
                emergency.push(n.clone());
            }
        }
    }
    (lines, emergency)
}

pub async fn index(
    State(state): State<AppState>,
    Query(q): Query<IndexQuery>,
    headers: HeaderMap,
) -> Response {
    render_index(&state, q, &headers, false)
}

/// The chooser and, once a country and stage with pages are chosen, their list; a country or
/// stage that names nothing here (or `missing`, a page that is not there) answers 404 with the
/// chooser and a notice.
fn render_index(state: &AppState, q: IndexQuery, headers: &HeaderMap, missing: bool) -> Response {
    let mut p = PublicPage::new(state, "/rights", q.lang.as_deref(), headers);
    let lang = p.lang.clone();
    let library = &state.config.rights;
    let all = library.countries();
    let country = q.country.trim().to_ascii_uppercase();
    let stage = q.stage.trim().to_string();
    let has_country = all.contains_key(country.as_str());
    let has_stage = all
        .get(country.as_str())
        .is_some_and(|s| s.contains(&stage.as_str()));
    let found = has_country && has_stage;
    // Nothing asked yet, a country with pages whose stage is still to choose, or a stage alone:
    // the chooser. Anything else that is not found names nothing here.
    let choosing = (country.is_empty() && (stage.is_empty() || STAGES.contains(&stage.as_str())))
        || (has_country && stage.is_empty());
    let not_found = missing || !(found || choosing);
    let countries = all
        .keys()
        .map(|c| (c.to_string(), country_name(&lang, c), *c == country))
        .collect();
    // Every pair with pages, as links: the way there without a dead end or a script.
    let places = all
        .iter()
        .map(|(c, stages)| {
            let links = stages
                .iter()
                .map(|s| {
                    (
                        format!("/rights?lang={lang}&country={c}&stage={s}"),
                        p.t(&format!("rights-stage-{s}")),
                    )
                })
                .collect();
            (country_name(&lang, c), links)
        })
        .collect();
    let stages = STAGES
        .iter()
        .map(|s| {
            (
                s.to_string(),
                p.t(&format!("rights-stage-{s}")),
                *s == stage,
            )
        })
        .collect();
    let (pages, chosen, lines, emergency) = if found {
        p.keep = format!("&country={country}&stage={stage}");
        let listed = library.index(&country, &stage, &lang);
        let (lines, emergency) = helplines(&listed);
        let pages = listed
            .iter()
            .map(|page| Listed {
                href: format!("/rights/{country}/{stage}/{}?lang={lang}", page.slug),
                title: page.title.clone(),
                fallback: page.language != lang,
            })
            .collect();
        let chosen = (
            country_name(&lang, &country),
            p.t(&format!("rights-stage-{stage}")),
        );
        (pages, Some(chosen), lines, emergency)
    } else {
        (Vec::new(), None, Vec::new(), Vec::new())
    };
    let status = if not_found {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let res = crate::intake::render_public(
        &IndexPage {
            p,
            countries,
            stages,
            chosen,
            places,
            country: if found { country } else { String::new() },
            pages,
            helplines: lines,
            emergency,
            not_found,
        },
        status,
        &lang,
    );
    cacheable(res)
}

pub async fn page(
    State(state): State<AppState>,
    Path((country, stage, slug)): Path<(String, String, String)>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let p = PublicPage::new(
        &state,
        format!("/rights/{country}/{stage}/{slug}"),
        q.lang.as_deref(),
        &headers,
    );
    let lang = p.lang.clone();
    let Some(page) = state.config.rights.page(&country, &stage, &slug, &lang) else {
        // No such page: the chooser, with its not-found notice, in the reader's language.
        let q = IndexQuery {
            lang: Some(lang),
            ..Default::default()
        };
        return render_index(&state, q, &headers, true);
    };
    // One more read of this page in this language today: a number, nothing about the reader
    // (no cookie, address or session is looked at). Pages served from a cache on the way never
    // reach here, so the count is a lower bound. A failure to count never fails the page.
    if let Err(e) = state
        .store
        .count_rights_read(&page.country, &page.stage, &page.slug, &lang)
        .await
    {
        tracing::warn!(error = %e, "rights page read not counted");
    }
    let fallback = (page.language != lang).then(|| {
        p.t1(
            "rights-fallback",
            "language",
            state.i18n.t(&lang, "lang-name"),
        )
    });
    let res = crate::intake::render_public(
        &OnePage {
            back: format!("/rights?lang={lang}&country={country}&stage={stage}"),
            place: format!(
                "{} · {}",
                country_name(&lang, &country),
                p.t(&format!("rights-stage-{stage}"))
            ),
            reviewed: p.t1("rights-reviewed", "date", &page.reviewed),
            article_dir: crate::i18n::I18n::dir(&page.language),
            fallback,
            page,
            p,
        },
        StatusCode::OK,
        &lang,
    );
    cacheable(res)
}
