//! What the incident and monitoring pages share: lists of choices for their forms.

use crate::kit::Nav;

/// (value, label, selected) of a list.
pub(crate) type Choice = (String, String, bool);

pub(crate) fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: impl Fn(&str) -> String,
    selected: &[String],
) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let n = name(*v);
            (n.to_string(), label(n), selected.iter().any(|s| s == n))
        })
        .collect()
}

/// Every country by name in the page's language, `chosen` selected.
pub(crate) fn countries(nav: &Nav, chosen: &str) -> Vec<Choice> {
    let mut out: Vec<Choice> = nav
        .countries()
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string(), c.eq_ignore_ascii_case(chosen)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}
