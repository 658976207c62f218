//! Name search over encrypted names, with keyed blind indexes.
//!
//! A name is normalised (transliterated to Latin, accents and case removed, punctuation split),
//! and for every token each prefix of 2 to 12 characters is stored as a 32-bit keyed tag, under a
//! key scoped to the owning organisation. A query token matches a person when its tag (the
//! prefix itself, capped at 12) is among the person's. Candidates are decrypted and re-checked, so
//! tag collisions never show a wrong result. What the database alone reveals: how many prefix
//! tags each person has (about the length of their names) and which persons of one organisation
//! share a name prefix — never the names, and nothing across organisations. See ARCHITECTURE.md.

/// Shortest searchable token.
pub const MIN_TOKEN: usize = 2;
/// Longest indexed prefix; longer query tokens are cut to it and re-checked after decryption.
pub const MAX_PREFIX: usize = 12;

/// Lower-case Latin tokens of a name, whatever its script.
pub fn tokens(name: &str) -> Vec<String> {
    let latin = deunicode::deunicode(name).to_lowercase();
    latin
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every indexed prefix of the tokens of `names`, deduplicated.
pub fn prefixes(names: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = names
        .iter()
        .flat_map(|n| tokens(n))
        .flat_map(|t| (MIN_TOKEN..=t.len().min(MAX_PREFIX)).map(move |n| t[..n].to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The query's tokens as looked up (cut to the longest indexed prefix). Tokens shorter than
/// [`MIN_TOKEN`] are dropped.
pub fn query_terms(query: &str) -> Vec<(String, String)> {
    tokens(query)
        .into_iter()
        .filter(|t| t.len() >= MIN_TOKEN)
        .map(|t| {
            let cut = t[..t.len().min(MAX_PREFIX)].to_string();
            (t, cut)
        })
        .collect()
}

/// Whether every query token is a prefix of some token of the names (the re-check).
pub fn matches(query: &str, names: &[&str]) -> bool {
    let name_tokens: Vec<String> = names.iter().flat_map(|n| tokens(n)).collect();
    let terms = query_terms(query);
    !terms.is_empty()
        && terms
            .iter()
            .all(|(full, _)| name_tokens.iter().any(|t| t.starts_with(full.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_accents_and_scripts() {
        assert_eq!(
            tokens("José  ÁLVAREZ-Núñez"),
            vec!["jose", "alvarez", "nunez"]
        );
        assert_eq!(tokens("Олена"), vec!["olena"]);
        assert!(!tokens("أمينة").is_empty());
    }

    #[test]
    fn partial_case_and_accent_insensitive_matching() {
        let names = ["María José", "Núñez García"];
        assert!(matches("maria", &names));
        assert!(matches("NUN", &names));
        assert!(matches("garc mar", &names));
        assert!(!matches("garcia lopez", &names));
        assert!(!matches("ez", &names), "only prefixes match");
        assert!(!matches("a", &names), "one letter is not a search");
    }

    #[test]
    fn prefixes_cover_every_query_prefix() {
        let p = prefixes(&["Alexandrovna"]);
        for (_, cut) in query_terms("alexandrovnaa") {
            assert_eq!(cut.len(), MAX_PREFIX);
        }
        assert!(p.contains(&"al".to_string()) && p.contains(&"alexandrovna".to_string()));
        assert!(!p.contains(&"a".to_string()));
    }
}
