//! Name search over encrypted names, with keyed blind indexes.
//!
//! A name is normalised (transliterated to Latin, accents and case removed, punctuation split),
//! and for every token each prefix of 2 to 12 characters is stored as a 32-bit keyed tag, under a
//! key scoped to the owning organisation. A query token matches a person when its tag (the
//! prefix itself, capped at 12) is among the person's. Candidates are decrypted and re-checked, so
//! tag collisions never show a wrong result. What the database alone reveals: how many prefix
//! tags each person has (about the length of their names) and which persons of one organisation
//! share a name prefix — never the names, and nothing across organisations. See ARCHITECTURE.md.
//!
//! Variant spellings ([`variants`]): each name also carries keyed tags of its canonical
//! spelling, its phonetic skeleton and its neighbouring tokens joined, under their own derived
//! key and the same organisation scope, so `Muhammad` finds Mohammed and `alrashidi` finds
//! Al-Rashidi. A query word matches a person when its prefix tag or one of its variant tags is
//! among the person's; the re-check after decryption applies the same derivation.

mod reindex;
pub mod variants;

use crate::Keys;

/// Version of the derivation of the tags in `person_name_terms`; persons indexed under an
/// older one are re-indexed when the store migrates (see `Store::reindex_names`).
pub const TERMS_VERSION: i64 = 1;

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

/// Every tag of a person's names, keyed and scoped by the owning organisation: the prefix
/// tags and the variant tags, sorted and deduplicated.
pub fn name_tags(keys: &Keys, org_id: &str, names: &[&str]) -> Vec<i64> {
    let mut tags: Vec<i64> = prefixes(names)
        .iter()
        .map(|p| keys.blind_tag("name", org_id, p))
        .chain(
            variants::name_keys(names)
                .iter()
                .map(|k| keys.blind_tag(variants::TAG_INDEX, org_id, k)),
        )
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// The tags one query word is looked up by (its prefix, cut, and its variant keys), in the
/// organisation's scope: the word matches a person holding any of them.
pub fn word_tags(keys: &Keys, org_id: &str, full: &str, cut: &str) -> Vec<i64> {
    let mut tags: Vec<i64> = std::iter::once(keys.blind_tag("name", org_id, cut))
        .chain(
            variants::query_keys(full)
                .iter()
                .map(|k| keys.blind_tag(variants::TAG_INDEX, org_id, k)),
        )
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// Whether every query word is a prefix of some token of the names, or shares a variant key
/// with them (the re-check after decryption, the same rule as the tags).
pub fn matches(query: &str, names: &[&str]) -> bool {
    let name_tokens: Vec<String> = names.iter().flat_map(|n| tokens(n)).collect();
    let terms = query_terms(query);
    if terms.is_empty() {
        return false;
    }
    let mut keys: Option<Vec<String>> = None;
    terms.iter().all(|(full, _)| {
        name_tokens.iter().any(|t| t.starts_with(full.as_str())) || {
            let keys = keys.get_or_insert_with(|| variants::name_keys(names));
            variants::query_keys(full).iter().any(|k| keys.contains(k))
        }
    })
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
    fn variant_spellings_pass_the_re_check_and_strangers_do_not() {
        assert!(matches("Muhammad", &["Mohammed", "Haddad"]));
        assert!(matches("mohamed haddad", &["Mohammed", "Haddad"]));
        assert!(matches("alrashidi", &["Karim", "Al-Rashidi"]));
        assert!(matches("al rashidi", &["Karim", "Al-Rashidi"]));
        assert!(matches("Olena", &["Олена", "Шевченко"]));
        assert!(!matches("Muhammad", &["Mahmoud", "Haddad"]));
        assert!(!matches("mohamed nasser", &["Mohammed", "Haddad"]));
    }

    #[test]
    fn tags_of_a_query_word_meet_the_tags_of_its_variants_only_in_scope() {
        let keys = Keys::from_bytes([7; 32]);
        let person = name_tags(&keys, "org-a", &["Mohammed", "Al-Rashidi"]);
        let hit = |org: &str, q: &str| {
            query_terms(q).iter().all(|(full, cut)| {
                word_tags(&keys, org, full, cut)
                    .iter()
                    .any(|t| person.contains(t))
            })
        };
        assert!(hit("org-a", "Muhammad"));
        assert!(hit("org-a", "alrashidi"));
        assert!(hit("org-a", "moh"));
        assert!(!hit("org-b", "Muhammad"), "tags are scoped by organisation");
        assert!(!hit("org-a", "Mahmoud"));
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
