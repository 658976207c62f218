//! The rights pages as data: Markdown files with a `+++` TOML front matter (title, country,
//! stage, language, slug, date of last review, optional helplines and emergency numbers). The
//! defaults are built in; a deployment's folder is read at start and may add pages or replace
//! a default one (same country, stage, slug and language). Everything is checked before the
//! server starts: a broken file stops it with one error naming the file.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/rights.rs"));
}

/// The stages of the migration cycle, in their order.
pub const STAGES: &[&str] = &["pre_departure", "transit", "destination", "return"];

/// The usual topics, in the order a list shows them.
const TOPICS: &[&str] = &[
    "work",
    "passport",
    "recruitment-fees",
    "health",
    "children",
    "detention",
    "complain",
];

/// The language every page must exist in, and the one shown when the reader's is missing.
pub const FALLBACK: &str = "en";

/// Why the rights content cannot be served, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("rights page {file}: {reason}")]
pub struct RightsError {
    pub file: String,
    pub reason: String,
}

fn refuse(file: &str, reason: impl Into<String>) -> RightsError {
    RightsError {
        file: file.to_string(),
        reason: reason.into(),
    }
}

/// A helpline as listed in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Helpline {
    pub name: String,
    pub number: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    country: String,
    stage: String,
    language: String,
    slug: String,
    reviewed: toml::value::Datetime,
    #[serde(default)]
    helplines: Vec<Helpline>,
    #[serde(default)]
    emergency: Vec<String>,
}

impl Helpline {
    /// The number as a `tel:` target: digits and `+` only.
    pub fn tel(&self) -> String {
        self.number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// One page in one language.
#[derive(Debug, Clone)]
pub struct RightsPage {
    pub title: String,
    pub country: String,
    pub stage: String,
    pub language: String,
    pub slug: String,
    /// `YYYY-MM-DD`.
    pub reviewed: String,
    pub helplines: Vec<Helpline>,
    pub emergency: Vec<String>,
    /// The body, already rendered to safe HTML.
    pub html: String,
    /// Where it came from, for errors.
    pub file: String,
}

/// (country, stage, slug) → language → page.
type Pages = BTreeMap<(String, String, String), BTreeMap<String, RightsPage>>;

/// Every rights page, checked.
#[derive(Debug, Clone, Default)]
pub struct RightsLibrary {
    pages: Arc<Pages>,
}

fn is_date(d: &toml::value::Datetime) -> bool {
    d.date.is_some() && d.time.is_none() && d.offset.is_none()
}

/// Parses and checks one file's text; `languages` are the public pages' languages.
pub fn parse(file: &str, text: &str, languages: &[&str]) -> Result<RightsPage, RightsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("+++") {
        return Err(refuse(
            file,
            "the file must start with a +++ line (front matter)",
        ));
    }
    let mut front = String::new();
    let mut closed = false;
    for line in lines.by_ref() {
        if line.trim_end() == "+++" {
            closed = true;
            break;
        }
        front.push_str(line);
    }
    if !closed {
        return Err(refuse(file, "the front matter has no closing +++ line"));
    }
    let body: String = lines.collect();
    let m: FrontMatter = toml::from_str(&front)
        .map_err(|e| refuse(file, format!("front matter: {}", e.message())))?;
    if m.title.trim().is_empty() {
        return Err(refuse(file, "title is empty"));
    }
    if !languages.contains(&m.language.as_str()) {
        return Err(refuse(
            file,
            format!(
                "language {:?} is not one of the public pages' languages ({})",
                m.language,
                languages.join(", ")
            ),
        ));
    }
    if !(m.country.len() == 2 && crate::names::country_name(FALLBACK, &m.country).is_some()) {
        return Err(refuse(
            file,
            format!("country {:?} is not an ISO 3166-1 alpha-2 code", m.country),
        ));
    }
    if !STAGES.contains(&m.stage.as_str()) {
        return Err(refuse(
            file,
            format!("stage {:?} is not one of {}", m.stage, STAGES.join(", ")),
        ));
    }
    if m.slug.is_empty()
        || m.slug.len() > 60
        || !m
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(refuse(
            file,
            format!("slug {:?} must be lowercase letters, digits and -", m.slug),
        ));
    }
    if !is_date(&m.reviewed) {
        return Err(refuse(file, "reviewed must be a date such as 2026-11-30"));
    }
    if m.helplines
        .iter()
        .any(|h| h.name.trim().is_empty() || h.number.trim().is_empty())
    {
        return Err(refuse(file, "every helpline needs a name and a number"));
    }
    if m.emergency.iter().any(|n| n.trim().is_empty()) {
        return Err(refuse(file, "an emergency number is empty"));
    }
    Ok(RightsPage {
        html: super::markdown::render(&body, &m.language),
        title: m.title.trim().to_string(),
        country: m.country,
        stage: m.stage,
        language: m.language,
        slug: m.slug,
        reviewed: m.reviewed.to_string(),
        helplines: m.helplines,
        emergency: m.emergency,
        file: file.to_string(),
    })
}

/// Adds `page`; a second file for the same page and language from the same source is refused.
fn add(pages: &mut Pages, page: RightsPage, replacing: bool) -> Result<(), RightsError> {
    let key = (page.country.clone(), page.stage.clone(), page.slug.clone());
    let langs = pages.entry(key).or_default();
    if let Some(before) = langs.get(&page.language)
        && !(replacing && before.file.starts_with("(built in)"))
    {
        return Err(refuse(
            &page.file,
            format!("the same page and language as {}", before.file),
        ));
    }
    langs.insert(page.language.clone(), page);
    Ok(())
}

fn markdown_files(dir: &Path) -> Result<Vec<PathBuf>, RightsError> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| refuse(&d.display().to_string(), e.to_string()))?;
        for entry in entries {
            let path = entry
                .map_err(|e| refuse(&d.display().to_string(), e.to_string()))?
                .path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

impl RightsLibrary {
    /// The built-in pages and, when given, a deployment's folder (which may replace them).
    pub fn load(extra: Option<&Path>) -> Result<RightsLibrary, RightsError> {
        let languages: Vec<&str> = crate::i18n::codes().collect();
        let mut pages = Pages::new();
        for (name, text) in embedded::RIGHTS {
            let file = format!("(built in) content/rights/{name}");
            add(&mut pages, parse(&file, text, &languages)?, false)?;
        }
        if let Some(dir) = extra {
            for path in markdown_files(dir)? {
                let file = path.display().to_string();
                let text =
                    std::fs::read_to_string(&path).map_err(|e| refuse(&file, e.to_string()))?;
                add(&mut pages, parse(&file, &text, &languages)?, true)?;
            }
        }
        for langs in pages.values() {
            if !langs.contains_key(FALLBACK)
                && let Some(any) = langs.values().next()
            {
                return Err(refuse(
                    &any.file,
                    "the page has no English version to fall back on",
                ));
            }
        }
        Ok(RightsLibrary {
            pages: Arc::new(pages),
        })
    }

    /// The built-in pages only (checked by the tests, so this never comes back empty).
    pub fn built_in() -> RightsLibrary {
        RightsLibrary::load(None).unwrap_or_default()
    }

    /// Countries with pages, with their stages in cycle order.
    pub fn countries(&self) -> BTreeMap<&str, Vec<&'static str>> {
        let mut out: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
        for (country, stage, _) in self.pages.keys() {
            let stages = out.entry(country.as_str()).or_default();
            if let Some(s) = STAGES.iter().find(|s| **s == stage.as_str())
                && !stages.contains(s)
            {
                stages.push(s);
            }
        }
        for stages in out.values_mut() {
            stages.sort_by_key(|s| STAGES.iter().position(|x| x == s));
        }
        out
    }

    /// The pages of a country and stage, each in `lang` or else in English.
    /// The usual topics first, in this order; others after them by slug.
    pub fn index(&self, country: &str, stage: &str, lang: &str) -> Vec<&RightsPage> {
        let mut found: Vec<&RightsPage> = self
            .pages
            .iter()
            .filter(|((c, s, _), _)| c == country && s == stage)
            .filter_map(|(_, langs)| langs.get(lang).or_else(|| langs.get(FALLBACK)))
            .collect();
        found.sort_by_key(|p| {
            (
                TOPICS
                    .iter()
                    .position(|t| *t == p.slug)
                    .unwrap_or(TOPICS.len()),
                p.slug.clone(),
            )
        });
        found
    }

    /// One page in `lang`, or else in English (the caller shows the notice when the language
    /// differs).
    pub fn page(&self, country: &str, stage: &str, slug: &str, lang: &str) -> Option<&RightsPage> {
        let langs = self
            .pages
            .get(&(country.to_string(), stage.to_string(), slug.to_string()))?;
        langs.get(lang).or_else(|| langs.get(FALLBACK))
    }

    /// The address of every page in every public language (a missing language included: it is
    /// served in English), and of every country and stage's list.
    pub fn addresses(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (country, stage, slug) in self.pages.keys() {
            for lang in crate::i18n::codes() {
                out.push(format!("/rights/{country}/{stage}/{slug}?lang={lang}"));
            }
        }
        for (country, stages) in self.countries() {
            for stage in stages {
                for lang in crate::i18n::codes() {
                    out.push(format!(
                        "/rights?lang={lang}&country={country}&stage={stage}"
                    ));
                }
            }
        }
        out
    }

    /// Every page in every language it is written in.
    #[cfg(test)]
    fn all(&self) -> impl Iterator<Item = &RightsPage> {
        self.pages.values().flat_map(|langs| langs.values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LANGS: &[&str] = &["en", "fr", "es", "ar"];

    fn file(front: &str, body: &str) -> String {
        format!("+++\n{front}\n+++\n{body}")
    }

    const GOOD: &str = "title = \"Your rights at work\"\ncountry = \"GB\"\nstage = \"destination\"\nlanguage = \"en\"\nslug = \"work\"\nreviewed = 2026-11-30";

    #[test]
    fn a_good_file_is_read() {
        let p = parse("work.en.md", &file(GOOD, "Hello **you**.\n"), LANGS).unwrap();
        assert_eq!(p.title, "Your rights at work");
        assert_eq!(p.reviewed, "2026-11-30");
        assert_eq!(p.html, "<p>Hello <strong>you</strong>.</p>\n");
    }

    #[test]
    fn every_bad_file_is_named() {
        let cases: Vec<(String, &str)> = vec![
            ("no front matter".into(), "front matter"),
            ("+++\ntitle = \"x\"\n".into(), "closing"),
            (file("title = ", ""), "front matter"),
            (
                file(&GOOD.replace("language = \"en\"", "language = \"de\""), ""),
                "language",
            ),
            (file(&GOOD.replace("GB", "XX"), ""), "country"),
            (file(&GOOD.replace("destination", "arrival"), ""), "stage"),
            (file(&GOOD.replace("\"work\"", "\"Work Here\""), ""), "slug"),
            (
                file(&GOOD.replace("2026-11-30", "\"last week\""), ""),
                "front matter",
            ),
            (
                file(&GOOD.replace("2026-11-30", "2026-11-30T10:00:00Z"), ""),
                "reviewed",
            ),
            (file(&format!("{GOOD}\nauthor = \"me\""), ""), "author"),
            (file(&GOOD.replace("Your rights at work", " "), ""), "title"),
            (
                file(
                    &format!("{GOOD}\nhelplines = [{{ name = \"\", number = \"1\" }}]"),
                    "",
                ),
                "helpline",
            ),
        ];
        for (text, word) in cases {
            let e = parse("content/broken.md", &text, LANGS).unwrap_err();
            let said = e.to_string();
            assert!(said.contains("content/broken.md"), "{said}");
            assert!(said.contains(word), "{said} should mention {word}");
        }
    }

    #[test]
    fn raw_html_in_a_file_is_shown_as_text() {
        let p = parse(
            "x.md",
            &file(
                GOOD,
                "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n",
            ),
            LANGS,
        )
        .unwrap();
        assert!(!p.html.contains("<script"), "{}", p.html);
        assert!(!p.html.contains("<img"), "{}", p.html);
        assert!(p.html.contains("&lt;script&gt;"), "{}", p.html);
    }

    #[test]
    fn a_missing_language_falls_back_to_english() {
        let mut pages = Pages::new();
        let en = parse("en.md", &file(GOOD, "English"), LANGS).unwrap();
        add(&mut pages, en, false).unwrap();
        let lib = RightsLibrary {
            pages: Arc::new(pages),
        };
        let shown = lib.page("GB", "destination", "work", "fr").unwrap();
        assert_eq!(shown.language, "en");
        assert_eq!(lib.index("GB", "destination", "ar")[0].language, "en");
        assert!(lib.page("GB", "destination", "fees", "en").is_none());
    }

    #[test]
    fn two_files_for_one_page_and_language_are_refused() {
        let mut pages = Pages::new();
        let a = parse("a.md", &file(GOOD, ""), LANGS).unwrap();
        let b = parse("b.md", &file(GOOD, ""), LANGS).unwrap();
        add(&mut pages, a, false).unwrap();
        let e = add(&mut pages, b, true).unwrap_err().to_string();
        assert!(e.contains("b.md") && e.contains("a.md"), "{e}");
    }

    #[test]
    fn the_built_in_pages_are_valid_and_complete() {
        let lib = RightsLibrary::load(None).unwrap();
        let countries = lib.countries();
        assert_eq!(countries.get("GB"), Some(&vec!["destination"]));
        assert_eq!(countries.get("PH"), Some(&vec!["pre_departure", "return"]));
        assert_eq!(lib.index("GB", "destination", "en").len(), 7);
        // Every built-in page is written in every public language.
        for p in lib.all().filter(|p| p.language == FALLBACK) {
            for lang in LANGS {
                let shown = lib.page(&p.country, &p.stage, &p.slug, lang).unwrap();
                assert_eq!(&shown.language, lang, "{} has no {lang}", p.file);
            }
        }
    }
}
