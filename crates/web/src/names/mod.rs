//! Names of countries (ISO 3166-1 alpha-2: every code `passage_core::Country` accepts) and of
//! languages (ISO 639-1) in the language of the page, each list sorted as a reader of that
//! language expects, so forms offer names while what is posted stays the code. English is the
//! product's own list; the others are generated into `tables.rs`.

mod english;
mod tables;

pub use english::{COUNTRIES, LANGUAGES};

/// Every country as (code, name) in `lang` (English for a language without a list), by name.
pub fn countries(lang: &str) -> &'static [(&'static str, &'static str)] {
    match lang {
        "fr" => tables::COUNTRIES_FR,
        "es" => tables::COUNTRIES_ES,
        "ar" => tables::COUNTRIES_AR,
        _ => COUNTRIES,
    }
}

/// Every language as (code, name) in `lang` (English for a language without a list), by name.
pub fn languages(lang: &str) -> &'static [(&'static str, &'static str)] {
    match lang {
        "fr" => tables::LANGUAGES_FR,
        "es" => tables::LANGUAGES_ES,
        "ar" => tables::LANGUAGES_AR,
        _ => LANGUAGES,
    }
}

/// A country's name in `lang` from its code (any case).
pub fn country_name(lang: &str, code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    countries(lang)
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// A language's name in `lang` from its code (any case).
pub fn language_name(lang: &str, code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    languages(lang)
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(rows: &[(&str, &str)]) -> Vec<String> {
        let mut c: Vec<String> = rows.iter().map(|(c, _)| c.to_string()).collect();
        c.sort();
        c
    }

    #[test]
    fn every_page_language_names_every_country_and_language_once() {
        for lang in ["en", "fr", "es", "ar"] {
            assert_eq!(codes(countries(lang)), codes(COUNTRIES), "{lang} countries");
            assert_eq!(codes(languages(lang)), codes(LANGUAGES), "{lang} languages");
            assert_eq!(codes(countries(lang)).len(), 249, "{lang}: every country");
        }
    }

    #[test]
    fn every_code_listed_is_one_the_product_accepts() {
        for (code, name) in COUNTRIES {
            assert!(
                passage_core::Country::parse(code).is_some(),
                "{code} ({name}) is not accepted"
            );
        }
        for (code, _) in LANGUAGES {
            assert!(
                passage_core::casework::person::is_language_code(code),
                "{code}"
            );
        }
    }

    #[test]
    fn names_are_in_the_page_language_not_english() {
        assert_eq!(country_name("ar", "lb"), Some("لبنان"));
        assert_eq!(country_name("fr", "LB"), Some("Liban"));
        assert_eq!(country_name("es", "LB"), Some("Líbano"));
        assert_eq!(country_name("en", "LB"), Some("Lebanon"));
        assert_eq!(language_name("ar", "ti"), Some("التغرينية"));
        assert_eq!(language_name("fr", "ar"), Some("arabe"));
        // An Arabic list holds Arabic script, not English left over.
        for (code, name) in countries("ar").iter().chain(languages("ar")) {
            assert!(
                name.chars()
                    .any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch)),
                "{code}: {name} is not written in Arabic"
            );
        }
        // A language without a list of its own falls back to English.
        assert_eq!(country_name("de", "LB"), Some("Lebanon"));
    }

    #[test]
    fn each_list_is_sorted_for_its_reader() {
        // French: an accented first letter sorts with its base letter (Égypte among the E's).
        let fr: Vec<&str> = countries("fr").iter().map(|(_, n)| *n).collect();
        let egypt = fr.iter().position(|n| *n == "Égypte").expect("Égypte");
        let zambia = fr.iter().position(|n| *n == "Zambie").expect("Zambie");
        assert!(egypt < zambia, "Égypte is not after Zambie");
        assert_eq!(fr.first(), Some(&"Afghanistan"));
        // Arabic: the article does not gather every «ال…» name in one place.
        let ar: Vec<&str> = countries("ar").iter().map(|(_, n)| *n).collect();
        let jordan = ar.iter().position(|n| *n == "الأردن").expect("Jordan");
        let yemen = ar.iter().position(|n| *n == "اليمن").expect("Yemen");
        assert!(jordan < ar.len() / 4, "الأردن sorts under alif");
        assert!(yemen > ar.len() * 3 / 4, "اليمن sorts under ya");
    }
}
