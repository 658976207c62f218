//! Business names: "Al Noor Manpower", "AlNoor manpower LLC" and "AL-NOOR MANPOWER CO." are
//! one recruiter. A name is written in Latin letters ([`normalize::text`], any script), its
//! trailing legal forms dropped (LLC, Ltd, SARL, GmbH, Co. …), and two names are compared both
//! word by word ([`compare::token_set`]) and with the spaces taken out
//! ([`compare::jaro_winkler`]), so that words run together or split apart still meet. A score
//! only offers a match for someone to confirm; nothing here merges.

use crate::{compare, normalize};

/// Legal forms dropped from the end of a name, as [`normalize::text`] writes them.
const LEGAL_FORMS: &[&[&str]] = &[
    &["llc"],
    &["l", "l", "c"],
    &["ltd"],
    &["limited"],
    &["sarl"],
    &["s", "a", "r", "l"],
    &["sa"],
    &["sas"],
    &["sl"],
    &["s", "l"],
    &["s", "a"],
    &["s", "a", "s"],
    &["s", "r", "l"],
    &["b", "v"],
    &["srl"],
    &["spa"],
    &["gmbh"],
    &["ag"],
    &["bv"],
    &["nv"],
    &["co"],
    &["company"],
    &["inc"],
    &["incorporated"],
    &["corp"],
    &["corporation"],
    &["plc"],
    &["pte"],
    &["pvt"],
    &["private"],
    &["pty"],
    &["fze"],
    &["fzco"],
    &["fz"],
    &["wll"],
    &["w", "l", "l"],
    &["est"],
    &["establishment"],
    &["and"],
    &["sdn", "bhd"],
    &["bhd"],
    &["sdn"],
    &["tbk"],
    &["pt"],
    &["cv"],
    &["ug"],
    &["kg"],
    &["oy"],
    &["ab"],
    &["as"],
    &["ooo"],
    &["jsc"],
];

/// Scores at or above this are offered as a likely match.
pub const OFFER: f64 = 0.86;

/// A business name ready to compare: its words without legal forms, and those words joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessName {
    pub words: Vec<String>,
    pub joined: String,
}

/// Writes `name` for comparison: Latin lowercase words, trailing legal forms dropped (never
/// every word: "Co" alone stays "co").
pub fn business_name(name: &str) -> BusinessName {
    let mut words: Vec<String> = normalize::text(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    loop {
        let before = words.len();
        for form in LEGAL_FORMS {
            let tail = words.len().saturating_sub(form.len());
            if words.len() > form.len()
                && words[tail..].iter().zip(form.iter()).all(|(w, f)| w == f)
            {
                words.truncate(words.len() - form.len());
                break;
            }
        }
        if words.len() == before {
            break;
        }
    }
    let joined = words.concat();
    BusinessName { words, joined }
}

/// How alike two business names are, in [0, 1]: the better of the word-set overlap and the
/// Jaro–Winkler similarity of the names with their spaces taken out.
pub fn similarity(a: &BusinessName, b: &BusinessName) -> f64 {
    if a.joined.is_empty() || b.joined.is_empty() {
        return 0.0;
    }
    if a.joined == b.joined {
        return 1.0;
    }
    let wa: Vec<&str> = a.words.iter().map(String::as_str).collect();
    let wb: Vec<&str> = b.words.iter().map(String::as_str).collect();
    let words = compare::token_set(&wa, &wb);
    let joined = compare::jaro_winkler(a.joined.as_bytes(), b.joined.as_bytes());
    words.max(joined)
}

/// [`similarity`] of two names as typed.
pub fn score(a: &str, b: &str) -> f64 {
    similarity(&business_name(a), &business_name(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn legal_forms_spacing_and_case_do_not_separate_one_recruiter() {
        for other in [
            "AlNoor manpower LLC",
            "AL-NOOR MANPOWER CO.",
            "Al Noor Manpower Ltd",
            "al noor  manpower l.l.c.",
            "Al Noor Manpower S.A.R.L.",
            "Al Noor Manpower GmbH",
        ] {
            let s = score("Al Noor Manpower", other);
            assert!(s >= 0.999, "{other}: {s}");
        }
    }

    #[test]
    fn a_typo_is_offered_and_another_business_is_not() {
        assert!(score("Al Noor Manpower", "Al Nour Manpower LLC") >= OFFER);
        assert!(score("Gulf Star Recruitment", "Gulf Star Recruitmnet") >= OFFER);
        assert!(score("Al Noor Manpower", "Sunrise Domestic Helpers") < OFFER);
        assert!(score("Agro Sur SL", "Green Fields Farming") < OFFER);
    }

    #[test]
    fn other_scripts_meet_their_latin_spelling() {
        let cyr = business_name("Северная Звезда ООО");
        assert_eq!(cyr.words, ["severnaia", "zvezda"]);
        assert!(similarity(&cyr, &business_name("Severnaya Zvezda LLC")) >= OFFER);
        let accented = score("Agrícola Almería S.L.", "Agricola Almeria");
        assert!(accented >= 0.999, "{accented}");
    }

    #[test]
    fn a_legal_form_alone_is_a_name() {
        assert_eq!(business_name("Co").words, ["co"]);
        assert_eq!(business_name("LLC Ltd").words, ["llc"]);
        assert_eq!(score("", "Anything"), 0.0);
    }

    proptest! {
        #[test]
        fn a_score_is_symmetric_bounded_and_one_for_itself(a in "[A-Za-z .\\-]{0,30}", b in "[A-Za-z .\\-]{0,30}") {
            let (x, y) = (score(&a, &b), score(&b, &a));
            prop_assert!((x - y).abs() < 1e-9);
            prop_assert!((0.0..=1.0).contains(&x));
            if !business_name(&a).joined.is_empty() {
                prop_assert!((score(&a, &a) - 1.0).abs() < 1e-9);
            }
        }

        #[test]
        fn case_spacing_and_a_legal_form_never_change_the_name(name in "[A-Za-z]{2,10}( [A-Za-z]{2,10}){0,3}", form in prop::sample::select(vec!["LLC", "Ltd", "SARL", "GmbH", "Co.", "Inc"])) {
            let varied = format!("  {}   {form}", name.to_uppercase().replace(' ', "  "));
            prop_assert!((score(&name, &varied) - 1.0).abs() < 1e-9, "{} vs {}", name, varied);
        }
    }
}
