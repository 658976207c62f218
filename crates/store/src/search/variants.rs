//! Variant spellings of names for the search: keys that several spellings of one name share,
//! derived the same way from the stored names (at write time) and from the query.
//!
//! For every name token, and for every two neighbouring tokens written together:
//! - `c:` the canonical spelling: any script transliterated to Latin (Arabic with its own
//!   table), titles and particles dropped, and a list of common names mapped to one spelling
//!   (Muhammad, Mohammed, Mohamed, Muhamad → muhammad; Olena, Elena, Yelena → elena);
//! - `p:` a phonetic skeleton of the canonical spelling (first sound, then consonants only,
//!   repeats collapsed, similar consonants merged), kept when it has at least
//!   [`MIN_PHONETIC`] letters so that short names do not all meet;
//! - `j:` two neighbouring tokens joined (Al-Rashidi → alrashidi), so a name typed without
//!   its separator is found.
//!
//! The keys are never stored: each becomes a keyed blind tag under its own derived key
//! ([`TAG_INDEX`]), scoped by the owning organisation as the prefix tags are.

use passage_linkage::normalize::name_tokens;

/// The blind index the variant tags are derived under (apart from the prefix tags).
pub const TAG_INDEX: &str = "name variant";

/// Shortest phonetic skeleton indexed: "MR" (Maria, Mira, Mari, Omar…) meets too many.
pub const MIN_PHONETIC: usize = 3;

/// The variant keys of one word (a query word, or one token of a name).
pub fn word_keys(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in name_tokens(word) {
        push_token(&mut out, &t.canonical, &t.phonetic);
    }
    out.sort();
    out.dedup();
    out
}

fn push_token(out: &mut Vec<String>, canonical: &str, phonetic: &str) {
    if canonical.chars().count() >= super::MIN_TOKEN {
        out.push(format!("c:{canonical}"));
    }
    if phonetic.len() >= MIN_PHONETIC && phonetic.is_ascii() {
        out.push(format!("p:{phonetic}"));
    }
}

/// The variant keys of a person's names: every token's, and every two neighbouring tokens'
/// joined (as a query word, so "alrashidi" finds Al-Rashidi).
pub fn name_keys(names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for name in names {
        for t in name_tokens(name) {
            push_token(&mut out, &t.canonical, &t.phonetic);
        }
        let tokens = super::tokens(name);
        for pair in tokens.windows(2) {
            let joined = format!("{}{}", pair[0], pair[1]);
            out.push(format!("j:{joined}"));
            out.extend(word_keys(&joined));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The keys a query word is looked up by: its own variant keys, and itself as a joined pair.
pub fn query_keys(word: &str) -> Vec<String> {
    let mut out = word_keys(word);
    out.push(format!("j:{word}"));
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meets(query: &str, name: &str) -> bool {
        let keys = name_keys(&[name]);
        query_keys(query).iter().any(|k| keys.contains(k))
    }

    #[test]
    fn spellings_of_one_name_meet() {
        for q in ["Muhammad", "Mohamed", "muhamad", "MOHAMMAD", "محمد"] {
            assert!(meets(q, "Mohammed"), "{q}");
        }
        assert!(meets("alrashidi", "Al-Rashidi"));
        assert!(meets("alrashidi", "al Rashidi"));
        assert!(meets("Olena", "Олена"));
        assert!(meets("Elena", "Олена"));
        assert!(meets("Youssef", "Yusuf"));
        assert!(meets("Hussein", "Husayn"));
        // Not in the list of common names: the phonetic skeleton carries it.
        assert!(meets("Oluwaseun", "Oluwasseun"));
        assert!(meets("Tesfaye", "Tesfay"));
        assert!(meets("Nkosinathi", "Nkosinati"));
    }

    #[test]
    fn other_names_do_not() {
        for (q, name) in [
            ("Muhammad", "Mahmoud"),
            ("Olena", "Olga"),
            ("Maria", "Omar"),
            ("alrashidi", "Rashidi Alamin"),
            ("Ahmed", "Hamid"),
        ] {
            assert!(!meets(q, name), "{q} {name}");
        }
    }

    #[test]
    fn keys_never_hold_a_short_phonetic_skeleton() {
        for k in name_keys(&["Mira Ali", "Omar Eli"]) {
            if let Some(p) = k.strip_prefix("p:") {
                assert!(p.len() >= MIN_PHONETIC, "{k}");
            }
        }
    }
}
