//! Translations for the public pages, from the Fluent files in `locales/` (embedded at build
//! time: adding a language is adding a file). The language is chosen by `?lang=`, then by
//! `Accept-Language`, then English. Placeables are not wrapped in isolation marks (HTML uses
//! `<bdi>` where direction matters).

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use unic_langid::LanguageIdentifier;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

pub struct I18n {
    bundles: Vec<(String, FluentBundle<FluentResource>)>,
}

/// Scripts written right to left.
const RTL: &[&str] = &["ar", "fa", "he", "ps", "ur", "yi"];

impl I18n {
    pub fn load() -> I18n {
        let mut bundles = Vec::new();
        for (code, source) in embedded::LOCALES {
            let Ok(lang) = code.parse::<LanguageIdentifier>() else {
                tracing::error!(code, "locale file name is not a language tag; skipped");
                continue;
            };
            let resource = match FluentResource::try_new(source.to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    tracing::error!(
                        code,
                        errors = errors.len(),
                        "locale file has syntax errors; the rest is used"
                    );
                    r
                }
            };
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            bundle.set_use_isolating(false);
            if bundle.add_resource(resource).is_err() {
                tracing::error!(code, "locale file defines a message twice");
            }
            bundles.push((code.to_string(), bundle));
        }
        // English first: the fallback.
        bundles.sort_by_key(|(c, _)| (c != "en", c.clone()));
        I18n { bundles }
    }

    /// (code, own name) of every language, for the chooser.
    pub fn languages(&self) -> Vec<(String, String)> {
        self.bundles
            .iter()
            .map(|(c, _)| (c.clone(), self.t(c, "lang-name")))
            .collect()
    }

    pub fn has(&self, code: &str) -> bool {
        self.bundles.iter().any(|(c, _)| c == code)
    }

    /// The language to use: an explicit choice, else the browser's preference, else English.
    pub fn negotiate(&self, chosen: Option<&str>, accept_language: Option<&str>) -> String {
        if let Some(c) = chosen.map(|c| c.trim().to_ascii_lowercase())
            && self.has(&c)
        {
            return c;
        }
        let mut prefs: Vec<(f32, String)> = accept_language
            .unwrap_or("")
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim().to_ascii_lowercase();
                let q = it
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                let primary = tag.split('-').next()?.to_string();
                Some((q, primary))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        prefs
            .into_iter()
            .map(|(_, p)| p)
            .find(|p| self.has(p))
            .unwrap_or_else(|| "en".into())
    }

    /// A message in `lang`, falling back to English, then to its id.
    pub fn t(&self, lang: &str, id: &str) -> String {
        let lookup = |code: &str| {
            let (_, bundle) = self.bundles.iter().find(|(c, _)| c == code)?;
            let pattern = bundle.get_message(id)?.value()?;
            let mut errors = Vec::new();
            Some(
                bundle
                    .format_pattern(pattern, None, &mut errors)
                    .into_owned(),
            )
        };
        lookup(lang)
            .or_else(|| lookup("en"))
            .unwrap_or_else(|| id.to_string())
    }

    pub fn dir(lang: &str) -> &'static str {
        if RTL.contains(&lang) { "rtl" } else { "ltr" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<String> {
        source
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    #[test]
    fn every_language_translates_every_message() {
        let en = embedded::LOCALES
            .iter()
            .find(|(c, _)| *c == "en")
            .expect("English")
            .1;
        for (code, source) in embedded::LOCALES {
            assert!(
                FluentResource::try_new(source.to_string()).is_ok(),
                "{code} has syntax errors"
            );
            assert_eq!(
                ids(source),
                ids(en),
                "{code} must have the same messages as English, in order"
            );
        }
        assert!(embedded::LOCALES.len() >= 4);
    }

    #[test]
    fn negotiation_and_direction() {
        let i = I18n::load();
        assert_eq!(i.negotiate(Some("AR"), None), "ar");
        assert_eq!(
            i.negotiate(Some("xx"), Some("es-MX,es;q=0.9,en;q=0.5")),
            "es"
        );
        assert_eq!(i.negotiate(None, Some("de-DE, fr;q=0.8")), "fr");
        assert_eq!(i.negotiate(None, None), "en");
        assert_eq!(I18n::dir("ar"), "rtl");
        assert_eq!(i.t("fr", "reply-submit"), "Envoyer");
        assert_eq!(i.t("fr", "no-such-message"), "no-such-message");
    }
}
