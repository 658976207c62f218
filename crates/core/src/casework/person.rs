//! A person's full identity as a caseworker edits it: names in their own script and in Latin
//! letters, aliases, a partial date of birth, several citizenships, languages, contacts,
//! vulnerabilities, the firewalled migration status, and identity documents with who holds them.
//!
//! Changes are partial (PATCH): a field left out stays as it is; `null` or an empty value clears
//! it. Every problem is reported at once, with a stable code per field.

use crate::casework::{DocumentHolder, DocumentKind, Vulnerability};
use crate::date::PartialDate;
use crate::validate::{NAME_MAX, Problems, text};
use crate::vocab::vocabulary;
use crate::{Country, Sex};
use serde::{Deserialize, Deserializer, Serialize};

/// Most aliases, languages, contacts or citizenships one person can have.
pub const LIST_MAX: usize = 20;
/// Longest contact value (a postal address).
pub const CONTACT_MAX: usize = 500;
/// Longest document number.
pub const DOCUMENT_NUMBER_MAX: usize = 60;

vocabulary! {
    /// How a person can be reached.
    ContactKind {
        Phone => "phone",
        Email => "email",
        Address => "address",
        Other => "other",
    }
}

/// One way to reach a person (sealed at rest as part of a JSON array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
}

/// A contact as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub value: String,
}

/// Distinguishes a field left out (`None`) from one sent as `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to a person as submitted. Left out: unchanged; `null` or empty: cleared. `version`
/// is the version the caller read; a stale one is refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPersonChanges {
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub family_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub given_name_latin: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub family_name_latin: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub aliases: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "present")]
    pub date_of_birth: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub sex: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub citizenships: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "present")]
    pub languages: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "present")]
    pub contacts: Option<Option<Vec<RawContact>>>,
    #[serde(default, deserialize_with = "present")]
    pub vulnerabilities: Option<Option<Vec<String>>>,
    /// Firewalled: only those who may read it may change it; never required.
    #[serde(default, deserialize_with = "present")]
    pub migration_status: Option<Option<String>>,
}

/// What to do with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    Keep,
    Clear,
    Set(T),
}

impl<T> Change<T> {
    pub fn is_keep(&self) -> bool {
        matches!(self, Change::Keep)
    }
}

/// Validated changes to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonChanges {
    pub expected_version: i64,
    /// Never cleared: a person always has a given name (or a placeholder the caseworker typed).
    pub given_name: Option<String>,
    /// Cleared to the empty string (some people have one name).
    pub family_name: Option<String>,
    pub given_name_latin: Change<String>,
    pub family_name_latin: Change<String>,
    pub aliases: Change<Vec<String>>,
    pub date_of_birth: Change<PartialDate>,
    pub sex: Change<Sex>,
    pub citizenships: Change<Vec<Country>>,
    pub languages: Change<Vec<String>>,
    pub contacts: Change<Vec<Contact>>,
    pub vulnerabilities: Change<Vec<Vulnerability>>,
    pub migration_status: Change<String>,
}

impl PersonChanges {
    /// Whether the change touches a name, so the name search index must be rebuilt.
    pub fn touches_names(&self) -> bool {
        self.given_name.is_some()
            || self.family_name.is_some()
            || !self.given_name_latin.is_keep()
            || !self.family_name_latin.is_keep()
    }
}

/// A single optional text: `None` keep, `Some(None)`/empty clear, otherwise checked.
fn opt_text(
    p: &mut Problems,
    field: &str,
    value: Option<Option<String>>,
    max: usize,
) -> Change<String> {
    match value {
        None => Change::Keep,
        Some(None) => Change::Clear,
        Some(Some(v)) if v.trim().is_empty() => Change::Clear,
        Some(Some(v)) => text(p, field, &v, false, max).map_or(Change::Keep, Change::Set),
    }
}

/// Whether a name is written in Latin letters (with any accents), spaces and the punctuation of
/// names. Anything in another script belongs in the name field itself.
pub fn is_latin_name(name: &str) -> bool {
    name.chars().any(char::is_alphabetic)
        && name.chars().all(|c| {
            c.is_ascii_alphabetic()
                || matches!(c, ' ' | '-' | '\'' | '.' | '’')
                || ('\u{00C0}'..='\u{024F}').contains(&c) && c != '\u{00D7}' && c != '\u{00F7}'
                || ('\u{1E00}'..='\u{1EFF}').contains(&c)
                || ('\u{0300}'..='\u{036F}').contains(&c)
        })
}

fn latin(p: &mut Problems, field: &str, value: Option<Option<String>>) -> Change<String> {
    match opt_text(p, field, value, NAME_MAX) {
        Change::Set(v) if !is_latin_name(&v) => {
            p.add(
                field,
                crate::ErrorCode::NotLatin,
                format!(
                    "{field} must be written in Latin letters (accents are fine); put the name in its own script in the name field"
                ),
            );
            Change::Keep
        }
        other => other,
    }
}

/// Whether `code` is an ISO 639 language code as Passage stores them: two or three lower-case
/// ASCII letters (639-1 or 639-2/3).
pub fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// Normalises a language code (trim, lower case) and checks it.
pub fn language_code(input: &str) -> Option<String> {
    let v = input.trim().to_ascii_lowercase();
    is_language_code(&v).then_some(v)
}

/// Whether a phone number looks like one: digits with the usual separators, 5 to 20 digits.
pub fn is_phone(value: &str) -> bool {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.' | '/'))
        && value.chars().skip(1).all(|c| c != '+')
}

/// Whether an e-mail address has the shape `local@domain.tld`, with no spaces.
pub fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn list<T: PartialEq>(
    p: &mut Problems,
    field: &str,
    value: Option<Option<Vec<String>>>,
    mut parse: impl FnMut(&mut Problems, &str) -> Option<T>,
) -> Change<Vec<T>> {
    let items = match value {
        None => return Change::Keep,
        Some(None) => return Change::Clear,
        Some(Some(items)) => items,
    };
    let before = p.0.len();
    let mut out = Vec::new();
    for item in items.iter().filter(|i| !i.trim().is_empty()) {
        if let Some(v) = parse(p, item)
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    if out.len() > LIST_MAX {
        p.add(
            field,
            crate::ErrorCode::TooMany,
            format!("at most {LIST_MAX} {field}"),
        );
    }
    if p.0.len() > before {
        Change::Keep
    } else if out.is_empty() {
        Change::Clear
    } else {
        Change::Set(out)
    }
}

impl RawPersonChanges {
    pub fn validate(self, today_year: u16) -> Result<PersonChanges, Problems> {
        let mut p = Problems::default();
        let version = self.version;
        if version.is_none() {
            p.add(
                "version",
                crate::ErrorCode::Required,
                "send the version you read, so a change made meanwhile is not overwritten",
            );
        }
        let given_name = match self.given_name {
            None => None,
            Some(v) => text(
                &mut p,
                "given_name",
                v.as_deref().unwrap_or(""),
                true,
                NAME_MAX,
            ),
        };
        let family_name = self.family_name.map(|v| {
            text(
                &mut p,
                "family_name",
                v.as_deref().unwrap_or(""),
                false,
                NAME_MAX,
            )
            .unwrap_or_default()
        });
        let given_name_latin = latin(&mut p, "given_name_latin", self.given_name_latin);
        let family_name_latin = latin(&mut p, "family_name_latin", self.family_name_latin);
        let aliases = list(&mut p, "aliases", self.aliases, |p, a| {
            text(p, "aliases", a, false, NAME_MAX)
        });
        let date_of_birth = match opt_text(&mut p, "date_of_birth", self.date_of_birth, 10) {
            Change::Set(d) => match PartialDate::parse(&d, today_year) {
                Ok(d) => Change::Set(d),
                Err(msg) => {
                    p.add("date_of_birth", crate::ErrorCode::InvalidDate, msg);
                    Change::Keep
                }
            },
            Change::Clear => Change::Clear,
            Change::Keep => Change::Keep,
        };
        let sex = match opt_text(&mut p, "sex", self.sex, 40) {
            Change::Set(s) => match Sex::parse_lenient(&s) {
                Some(s) => Change::Set(s),
                None => {
                    p.add(
                        "sex",
                        crate::ErrorCode::InvalidValue,
                        format!("sex must be one of: {}", Sex::allowed()),
                    );
                    Change::Keep
                }
            },
            Change::Clear => Change::Clear,
            Change::Keep => Change::Keep,
        };
        let citizenships = list(&mut p, "citizenships", self.citizenships, |p, c| {
            Country::parse(c.trim()).or_else(|| {
                p.add(
                    "citizenships",
                    crate::ErrorCode::InvalidCountry,
                    format!(
                        "'{}' is not an ISO 3166-1 alpha-2 country code",
                        short(c.trim())
                    ),
                );
                None
            })
        });
        let languages = list(&mut p, "languages", self.languages, |p, l| {
            language_code(l).or_else(|| {
                p.add(
                    "languages",
                    crate::ErrorCode::InvalidValue,
                    "languages must be ISO 639 codes such as en, fr, ar or tl",
                );
                None
            })
        });
        let contacts = match self.contacts {
            None => Change::Keep,
            Some(None) => Change::Clear,
            Some(Some(raw)) => contacts(&mut p, raw),
        };
        let vulnerabilities = list(&mut p, "vulnerabilities", self.vulnerabilities, |p, v| {
            Vulnerability::parse(v.trim()).or_else(|| {
                p.add(
                    "vulnerabilities",
                    crate::ErrorCode::InvalidValue,
                    format!(
                        "vulnerabilities must be among: {}",
                        Vulnerability::allowed()
                    ),
                );
                None
            })
        });
        let migration_status = opt_text(&mut p, "migration_status", self.migration_status, 200);
        p.finish(())?;
        Ok(PersonChanges {
            expected_version: version.unwrap_or_default(),
            given_name,
            family_name,
            given_name_latin,
            family_name_latin,
            aliases,
            date_of_birth,
            sex,
            citizenships,
            languages,
            contacts,
            vulnerabilities,
            migration_status,
        })
    }
}

/// The first characters of a value quoted back in a message.
fn short(v: &str) -> String {
    v.chars().take(20).collect()
}

fn contacts(p: &mut Problems, raw: Vec<RawContact>) -> Change<Vec<Contact>> {
    let before = p.0.len();
    let mut out: Vec<Contact> = Vec::new();
    for c in raw.into_iter().filter(|c| !c.value.trim().is_empty()) {
        let Some(kind) = ContactKind::parse(c.kind.trim()) else {
            p.add(
                "contacts",
                crate::ErrorCode::InvalidValue,
                format!(
                    "a contact's kind must be one of: {}",
                    ContactKind::allowed()
                ),
            );
            continue;
        };
        let Some(value) = text(p, "contacts", &c.value, true, CONTACT_MAX) else {
            continue;
        };
        // A phone number typed in another script's digits is kept in ASCII digits.
        let value = match kind {
            ContactKind::Phone => crate::numerals::ascii_digits(&value).into_owned(),
            _ => value,
        };
        let ok = match kind {
            ContactKind::Phone => is_phone(&value),
            ContactKind::Email => is_email(&value),
            ContactKind::Address | ContactKind::Other => true,
        };
        if !ok {
            p.add(
                "contacts",
                crate::ErrorCode::InvalidContact,
                format!(
                    "'{}' is not a valid {}",
                    short(&value),
                    if kind == ContactKind::Phone {
                        "phone number (digits, +, spaces, dashes)"
                    } else {
                        "e-mail address"
                    }
                ),
            );
            continue;
        }
        let contact = Contact { kind, value };
        if !out.contains(&contact) {
            out.push(contact);
        }
    }
    if out.len() > LIST_MAX {
        p.add(
            "contacts",
            crate::ErrorCode::TooMany,
            format!("at most {LIST_MAX} contacts"),
        );
    }
    if p.0.len() > before {
        Change::Keep
    } else if out.is_empty() {
        Change::Clear
    } else {
        Change::Set(out)
    }
}

/// Comma list of language codes as sealed at rest.
pub fn encode_codes<T: AsRef<str>>(codes: &[T]) -> String {
    codes
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(",")
}

/// The codes of a sealed comma list (unknown entries are dropped).
pub fn decode_languages(text: &str) -> Vec<String> {
    text.split(',').filter_map(language_code).collect()
}

pub fn decode_vulnerabilities(text: &str) -> Vec<Vulnerability> {
    text.split(',')
        .filter_map(|v| Vulnerability::parse(v.trim()))
        .collect()
}

/// Whether what is recorded marks the person as a child: the vulnerabilities say so, or the
/// date of birth shows they were under 18 on `today` (`(year, month, day)`). A year-only date
/// counts from its last possible day, so nobody is taken for an adult too early.
pub fn is_child(
    vulnerabilities: &[Vulnerability],
    date_of_birth: Option<PartialDate>,
    today: (i64, u32, u32),
) -> bool {
    if vulnerabilities.iter().any(|v| {
        matches!(
            v,
            Vulnerability::Child | Vulnerability::UnaccompaniedOrSeparatedChild
        )
    }) {
        return true;
    }
    let Some(dob) = date_of_birth else {
        return false;
    };
    let month = u32::from(dob.month.unwrap_or(12));
    let day = u32::from(
        dob.day
            .unwrap_or_else(|| crate::date::days_in_month(dob.year, month as u8)),
    );
    let (y, m, d) = today;
    let mut age = y - i64::from(dob.year);
    if (m, d) < (month, day) {
        age -= 1;
    }
    age < 18
}

/// An identity document as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub held_by: String,
}

/// A validated identity document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub country: Option<Country>,
    pub held_by: DocumentHolder,
}

impl RawDocument {
    pub fn validate(self) -> Result<NewDocument, Problems> {
        let mut p = Problems::default();
        let kind = DocumentKind::parse(self.kind.trim());
        if kind.is_none() {
            p.add(
                "kind",
                crate::ErrorCode::InvalidValue,
                format!("kind must be one of: {}", DocumentKind::allowed()),
            );
        }
        let held_by = holder(&mut p, &self.held_by);
        let number = self
            .number
            .as_deref()
            .and_then(|n| text(&mut p, "number", n, false, DOCUMENT_NUMBER_MAX));
        let country = document_country(&mut p, self.country.as_deref());
        p.finish(())?;
        Ok(NewDocument {
            kind: kind.unwrap_or(DocumentKind::Other),
            number,
            country,
            held_by: held_by.unwrap_or(DocumentHolder::Unknown),
        })
    }
}

fn holder(p: &mut Problems, value: &str) -> Option<DocumentHolder> {
    let h = DocumentHolder::parse(value.trim());
    if h.is_none() {
        p.add(
            "held_by",
            crate::ErrorCode::InvalidValue,
            format!(
                "held_by must be one of: {} (who has the document now)",
                DocumentHolder::allowed()
            ),
        );
    }
    h
}

fn document_country(p: &mut Problems, value: Option<&str>) -> Option<Country> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    Country::parse(v).or_else(|| {
        p.add(
            "country",
            crate::ErrorCode::InvalidCountry,
            format!("'{}' is not an ISO 3166-1 alpha-2 country code", short(v)),
        );
        None
    })
}

/// Changes to an identity document: who holds it now, its number and country.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDocumentChanges {
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub held_by: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub country: Option<Option<String>>,
}

/// Validated changes to an identity document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentChanges {
    pub expected_version: i64,
    pub held_by: Option<DocumentHolder>,
    pub number: Change<String>,
    pub country: Change<Country>,
}

impl RawDocumentChanges {
    pub fn validate(self) -> Result<DocumentChanges, Problems> {
        let mut p = Problems::default();
        if self.version.is_none() {
            p.add(
                "version",
                crate::ErrorCode::Required,
                "send the version you read",
            );
        }
        let held_by = self.held_by.as_deref().and_then(|h| holder(&mut p, h));
        let number = opt_text(&mut p, "number", self.number, DOCUMENT_NUMBER_MAX);
        let country = match self.country {
            None => Change::Keep,
            Some(v) => match document_country(&mut p, v.as_deref()) {
                Some(c) => Change::Set(c),
                None if v.as_deref().is_some_and(|v| !v.trim().is_empty()) => Change::Keep,
                None => Change::Clear,
            },
        };
        p.finish(())?;
        Ok(DocumentChanges {
            expected_version: self.version.unwrap_or_default(),
            held_by,
            number,
            country,
        })
    }
}

/// Whether who holds a document is a key indicator of control (ILO indicators of forced
/// labour: retention of identity documents). Anyone but the person holding it is one; an
/// unknown holder is not, but the page asks the caseworker to find out.
pub fn holder_is_indicator(holder: DocumentHolder) -> bool {
    !matches!(holder, DocumentHolder::Person | DocumentHolder::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(v: &str) -> Option<Option<String>> {
        Some(Some(v.to_string()))
    }

    fn l(v: &[&str]) -> Option<Option<Vec<String>>> {
        Some(Some(v.iter().map(|x| x.to_string()).collect()))
    }

    #[test]
    fn left_out_keeps_null_or_empty_clears() {
        let c = RawPersonChanges {
            version: Some(3),
            given_name_latin: Some(None),
            aliases: l(&[]),
            sex: s(""),
            ..Default::default()
        }
        .validate(2026)
        .expect("valid");
        assert_eq!(c.expected_version, 3);
        assert_eq!(c.given_name, None);
        assert_eq!(c.given_name_latin, Change::Clear);
        assert_eq!(c.aliases, Change::Clear);
        assert_eq!(c.sex, Change::Clear);
        assert_eq!(c.family_name_latin, Change::Keep);
        assert_eq!(c.migration_status, Change::Keep);
        assert!(c.touches_names());
        let c = RawPersonChanges {
            version: Some(1),
            languages: l(&["EN", "tl", "en"]),
            ..Default::default()
        }
        .validate(2026)
        .expect("valid");
        assert_eq!(c.languages, Change::Set(vec!["en".into(), "tl".into()]));
        assert!(!c.touches_names());
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let contact = |kind: &str, value: &str| RawContact {
            kind: kind.into(),
            value: value.into(),
        };
        let e = RawPersonChanges {
            given_name: s(" "),
            given_name_latin: s("Олена"),
            date_of_birth: s("1990-13"),
            citizenships: l(&["PH", "ZZ"]),
            languages: l(&["english"]),
            contacts: Some(Some(vec![contact("phone", "call me"), contact("fax", "1")])),
            vulnerabilities: l(&["child", "tall"]),
            ..Default::default()
        }
        .validate(2026)
        .expect_err("invalid");
        let fields: Vec<(&str, &str)> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
        assert_eq!(
            fields,
            vec![
                ("version", "required"),
                ("given_name", "required"),
                ("given_name_latin", "not_latin"),
                ("date_of_birth", "invalid_date"),
                ("citizenships", "invalid_country"),
                ("languages", "invalid_value"),
                ("contacts", "invalid_contact"),
                ("contacts", "invalid_value"),
                ("vulnerabilities", "invalid_value"),
            ]
        );
    }

    #[test]
    fn latin_names() {
        for ok in [
            "Amina",
            "José Núñez-García",
            "O'Brien",
            "Nguyễn Thị",
            "Łukasz",
        ] {
            assert!(is_latin_name(ok), "{ok}");
        }
        for bad in ["أمينة", "Олена", "王", "A×B", "123", "", "--"] {
            assert!(!is_latin_name(bad), "{bad}");
        }
    }

    #[test]
    fn contacts_are_checked_by_kind() {
        assert!(is_phone("+63 917 123 4567"));
        assert!(is_phone("(02) 8123-4567"));
        assert!(!is_phone("1234"));
        assert!(!is_phone("12+345678"));
        assert!(is_email("a.b@example.org"));
        for bad in ["a@b", "@b.org", "a b@c.org", "a@@b.org", "a@.org", "a@b."] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    /// A phone number typed with an Arabic or Persian keyboard is accepted and kept in ASCII
    /// digits, so it can be dialled and found.
    #[test]
    fn phone_numbers_in_other_scripts_are_kept_as_ascii_digits() {
        let mut p = Problems::default();
        let got = contacts(
            &mut p,
            vec![
                RawContact {
                    kind: "phone".into(),
                    value: "\u{200F}+٩٦١ ٣ ١٢٣ ٤٥٦".into(),
                },
                RawContact {
                    kind: "phone".into(),
                    value: "۰۹۱۲ ۳۴۵ ۶۷۸۹".into(),
                },
            ],
        );
        assert!(p.0.is_empty(), "{p:?}");
        let Change::Set(got) = got else {
            panic!("contacts set");
        };
        let values: Vec<&str> = got.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["+961 3 123 456", "0912 345 6789"]);
    }

    #[test]
    fn children_by_vulnerability_or_age() {
        let today = (2026, 6, 15);
        let dob = |s: &str| Some(PartialDate::parse(s, 2026).expect("date"));
        assert!(is_child(&[Vulnerability::Child], None, today));
        assert!(is_child(&[], dob("2008-06-16"), today), "17 until tomorrow");
        assert!(!is_child(&[], dob("2008-06-15"), today), "18 today");
        assert!(
            is_child(&[], dob("2008"), today),
            "a year only counts from its end"
        );
        assert!(!is_child(&[], dob("2007"), today));
        assert!(!is_child(&[Vulnerability::Pregnancy], None, today));
    }

    #[test]
    fn documents() {
        let d = RawDocument {
            kind: "passport".into(),
            number: Some(" P1234567 ".into()),
            country: Some("ph".into()),
            held_by: "employer".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(d.number.as_deref(), Some("P1234567"));
        assert_eq!(d.country.map(|c| c.as_str().to_string()), Some("PH".into()));
        assert!(holder_is_indicator(d.held_by));
        assert!(!holder_is_indicator(DocumentHolder::Person));
        let e = RawDocument {
            kind: "ticket".into(),
            held_by: "boss".into(),
            country: Some("XX".into()),
            ..Default::default()
        }
        .validate()
        .expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["kind", "held_by", "country"]);
        let c = RawDocumentChanges {
            version: Some(2),
            held_by: Some("person".into()),
            number: Some(None),
            country: None,
        }
        .validate()
        .expect("valid");
        assert_eq!(c.held_by, Some(DocumentHolder::Person));
        assert_eq!((c.number, c.country), (Change::Clear, Change::Keep));
    }

    proptest! {
        #[test]
        fn validation_never_panics(
            given in proptest::option::of(proptest::option::of(".{0,300}")),
            latin in proptest::option::of(proptest::option::of(".{0,50}")),
            dob in proptest::option::of(proptest::option::of(".{0,12}")),
            langs in proptest::option::of(proptest::option::of(proptest::collection::vec(".{0,5}", 0..25))),
            contacts in proptest::collection::vec((".{0,8}", ".{0,40}"), 0..5),
            vulns in proptest::option::of(proptest::option::of(proptest::collection::vec(".{0,20}", 0..5))),
        ) {
            let _ = RawPersonChanges {
                version: Some(1),
                given_name: given,
                given_name_latin: latin,
                date_of_birth: dob,
                languages: langs,
                contacts: Some(Some(contacts.into_iter().map(|(kind, value)| RawContact { kind, value }).collect())),
                vulnerabilities: vulns,
                ..Default::default()
            }
            .validate(2026);
        }

        #[test]
        fn ascii_letter_names_are_latin(name in "[A-Za-z][A-Za-z '\\-]{0,40}") {
            prop_assert!(is_latin_name(&name));
        }

        #[test]
        fn a_letter_of_another_script_is_never_latin(
            prefix in "[A-Za-z]{0,10}",
            c in prop_oneof![Just('Ж'), Just('ب'), Just('中'), Just('ก'), Just('अ')],
        ) {
            let name = format!("{prefix}{c}");
            prop_assert!(!is_latin_name(&name));
        }

        #[test]
        fn language_codes_are_two_or_three_letters(code in ".{0,6}") {
            let ok = language_code(&code).is_some();
            let t = code.trim().to_ascii_lowercase();
            prop_assert_eq!(ok, (2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase()));
        }

        #[test]
        fn valid_languages_survive_the_sealed_form(codes in proptest::collection::vec("[a-z]{2,3}", 0..20)) {
            let c = RawPersonChanges { version: Some(1), languages: Some(Some(codes.clone())), ..Default::default() }
                .validate(2026)
                .expect("valid codes");
            match c.languages {
                Change::Set(v) => {
                    prop_assert_eq!(decode_languages(&encode_codes(&v)), v.clone());
                    prop_assert!(v.iter().all(|l| codes.contains(l)));
                }
                Change::Clear => prop_assert!(codes.is_empty()),
                Change::Keep => prop_assert!(false, "a valid list is never kept"),
            }
        }

        #[test]
        fn accepted_phones_have_enough_digits(v in "[0-9+ ()-]{0,25}") {
            if is_phone(&v) {
                let n = v.bytes().filter(u8::is_ascii_digit).count();
                prop_assert!((5..=20).contains(&n));
            }
        }
    }
}
