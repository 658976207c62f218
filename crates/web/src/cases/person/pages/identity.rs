//! The person page: identity, contacts, vulnerabilities, and documents with who holds them.

use super::*;
use crate::kit::{Id, Ids};

/// The identity form as shown (from the record) or as typed (after an error).
/// Posted, lists chosen from are repeated names (citizenships and languages are also typed as
/// codes separated by spaces).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PersonForm {
    version: String,
    given_name: String,
    family_name: String,
    given_name_latin: String,
    family_name_latin: String,
    aliases: String,
    date_of_birth: String,
    sex: String,
    #[serde(deserialize_with = "crate::kit::form::joined")]
    citizenships: String,
    #[serde(deserialize_with = "crate::kit::form::joined")]
    languages: String,
    contacts: String,
    vulnerabilities: Vec<String>,
    migration_status: String,
}
crate::form_body!(PersonForm);

impl PersonForm {
    fn of(p: &PersonDetails) -> PersonForm {
        PersonForm {
            version: p.version.to_string(),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            given_name_latin: p.given_name_latin.clone().unwrap_or_default(),
            family_name_latin: p.family_name_latin.clone().unwrap_or_default(),
            aliases: p.aliases.join(", "),
            date_of_birth: p.date_of_birth.clone().unwrap_or_default(),
            sex: p.sex.clone().unwrap_or_default(),
            citizenships: p.citizenships.join(" "),
            languages: p.languages.join(" "),
            contacts: p
                .contacts
                .iter()
                .map(|c| format!("{}: {}", c.kind, c.value))
                .collect::<Vec<_>>()
                .join("\n"),
            vulnerabilities: p
                .vulnerabilities
                .iter()
                .map(|v| v.as_str().to_string())
                .collect(),
            migration_status: p.migration_status.clone().unwrap_or_default(),
        }
    }

    /// The change request: every field shown is sent (an empty one clears); the migration
    /// status only when the form showed it.
    fn raw(&self, status_allowed: bool) -> RawPersonChanges {
        let set = |v: &str| Some(Some(v.to_string()));
        let split = |v: &str, seps: &[char]| {
            Some(Some(
                v.split(seps)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            ))
        };
        RawPersonChanges {
            version: self.version.trim().parse().ok(),
            given_name: set(&self.given_name),
            family_name: set(&self.family_name),
            given_name_latin: set(&self.given_name_latin),
            family_name_latin: set(&self.family_name_latin),
            aliases: split(&self.aliases, &[',', '\n']),
            date_of_birth: set(&self.date_of_birth),
            sex: set(&self.sex),
            citizenships: split(&self.citizenships, &[' ', ',']),
            languages: split(&self.languages, &[' ', ',']),
            contacts: Some(Some(
                self.contacts
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(contact_line)
                    .collect(),
            )),
            vulnerabilities: Some(Some(self.vulnerabilities.clone())),
            migration_status: status_allowed.then(|| Some(self.migration_status.clone())),
        }
    }
}

/// `kind: value`, or a bare value whose kind is guessed (an address with @ is e-mail, mostly
/// digits a phone number, anything else other).
fn contact_line(line: &str) -> RawContact {
    if let Some((kind, value)) = line.split_once(':')
        && ContactKind::parse(kind.trim().to_ascii_lowercase().as_str()).is_some()
    {
        return RawContact {
            kind: kind.trim().to_ascii_lowercase(),
            value: value.trim().to_string(),
        };
    }
    let value = line.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let kind = if value.contains('@') {
        "email"
    } else if digits * 2 > value.chars().filter(|c| !c.is_whitespace()).count() {
        "phone"
    } else {
        "other"
    };
    RawContact {
        kind: kind.into(),
        value: value.to_string(),
    }
}

pub struct DocRow {
    id: Uuid,
    kind: String,
    number: String,
    country: String,
    held_by: String,
    indicator: bool,
    unknown: bool,
    version: i64,
    holders: Vec<(&'static str, String, bool)>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    nav: Nav,
    case_id: String,
    csrf: String,
    name: String,
    errors: Vec<UiError>,
    p: PersonDetails,
    vulnerabilities_shown: String,
    contacts_shown: Vec<String>,
    citizenships_shown: String,
    languages_shown: String,
    sex_shown: Option<String>,
    /// (code, name, chosen) of every country and language, for the lists.
    countries: Vec<(&'static str, &'static str, bool)>,
    languages: Vec<(&'static str, &'static str, bool)>,
    form: PersonForm,
    sexes: Vec<(&'static str, bool)>,
    vulnerability_options: Vec<(&'static str, String, bool)>,
    docs: Vec<DocRow>,
    doc_kinds: Vec<(&'static str, String)>,
    holders: Vec<(&'static str, String)>,
    doc_form: DocForm,
    link: LinkStatus,
}

/// The add-a-document form, as posted and as shown again after an error.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct DocForm {
    kind: String,
    number: String,
    country: String,
    held_by: String,
}
crate::form_body!(DocForm);

impl DocForm {
    fn raw(&self) -> RawDocument {
        RawDocument {
            kind: self.kind.clone(),
            number: Some(self.number.clone()),
            country: Some(self.country.clone()),
            held_by: self.held_by.clone(),
        }
    }
}

/// The options of a list of names, with the codes of `chosen` (separated by spaces or commas)
/// selected.
fn choices(
    all: &'static [(&'static str, &'static str)],
    chosen: &str,
    upper: bool,
) -> Vec<(&'static str, &'static str, bool)> {
    let chosen: Vec<String> = chosen
        .split([' ', ','])
        .filter(|c| !c.is_empty())
        .map(|c| {
            if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    all.iter()
        .map(|(code, name)| (*code, *name, chosen.iter().any(|c| c == code)))
        .collect()
}

async fn person_page(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    form: Option<PersonForm>,
    doc_form: DocForm,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let p = state.store.person_details(actor, case.person.id).await?;
    let link = state
        .store
        .person_link_status(actor, case.person.id)
        .await?;
    let form = form.unwrap_or_else(|| PersonForm::of(&p));
    let docs = p
        .documents
        .iter()
        .map(|d| DocRow {
            id: d.id,
            kind: nav.label("document_kind", d.kind.as_str()),
            number: d.number.clone().unwrap_or_default(),
            country: d
                .country
                .as_deref()
                .map(|c| nav.country(c))
                .unwrap_or_default(),
            held_by: nav.label("document_holder", d.held_by.as_str()),
            indicator: d.key_indicator,
            unknown: d.held_by == DocumentHolder::Unknown,
            version: d.version,
            holders: DocumentHolder::ALL
                .iter()
                .map(|h| {
                    (
                        h.as_str(),
                        nav.label("document_holder", h.as_str()),
                        *h == d.held_by,
                    )
                })
                .collect(),
        })
        .collect();
    let sexes = Sex::ALL
        .iter()
        .map(|x| (x.as_str(), form.sex == x.as_str()))
        .collect();
    let vulnerability_options = Vulnerability::ALL
        .iter()
        .map(|v| {
            (
                v.as_str(),
                nav.label("vulnerability", v.as_str()),
                form.vulnerabilities.iter().any(|x| x == v.as_str()),
            )
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&PersonPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: full_name(&case),
            errors,
            vulnerabilities_shown: nav.labels("vulnerability", &p.vulnerabilities),
            contacts_shown: p
                .contacts
                .iter()
                .map(|c| format!("{}: {}", nav.label("contact", c.kind.as_str()), c.value))
                .collect(),
            citizenships_shown: p
                .citizenships
                .iter()
                .map(|c| nav.country(c))
                .collect::<Vec<_>>()
                .join(", "),
            languages_shown: p
                .languages
                .iter()
                .map(|l| nav.language(l))
                .collect::<Vec<_>>()
                .join(", "),
            sex_shown: p.sex.as_deref().map(|x| nav.label("sex", x)),
            countries: choices(nav.countries(), &form.citizenships, true),
            languages: choices(nav.languages_named(), &form.languages, false),
            form,
            sexes,
            vulnerability_options,
            docs,
            doc_kinds: DocumentKind::ALL
                .iter()
                .map(|k| (k.as_str(), nav.label("document_kind", k.as_str())))
                .collect(),
            holders: DocumentHolder::ALL
                .iter()
                .map(|h| (h.as_str(), nav.label("document_holder", h.as_str())))
                .collect(),
            doc_form,
            link,
            p,
            nav,
        }),
        status,
    ))
}

pub async fn person(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    person_page(&state, &s, id, Vec::new(), None, DocForm::default()).await
}

pub async fn update_person(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, typed): StaffForm<PersonForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let current = state.store.person_details(actor, case.person.id).await?;
    let result = match typed
        .raw(current.migration_status_allowed)
        .validate(this_year())
    {
        Ok(changes) => state
            .store
            .update_person(actor, case.person.id, changes)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/person"), "saved")),
        Err(e) => {
            let conflict = matches!(e, StoreError::VersionConflict { .. });
            let errors = ui_errors(e, |f| match f {
                "version" => "given_name".to_string(),
                other => other.to_string(),
            })?;
            // After a conflict the form shows what is stored now.
            let form = (!conflict).then_some(typed);
            let res = person_page(&state, &s, case_id, errors, form, DocForm::default()).await?;
            Ok(if conflict {
                with_status(res, StatusCode::CONFLICT)
            } else {
                res
            })
        }
    }
}

pub async fn add_document(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, doc_form): StaffForm<DocForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let result = match doc_form.raw().validate() {
        Ok(doc) => state
            .store
            .add_person_document(actor, case.person.id, doc)
            .await
            .map(|_| ()),
        Err(p) => Err(StoreError::Invalid(p)),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/person#documents"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("doc-{f}"))?;
            person_page(&state, &s, case_id, errors, None, doc_form).await
        }
    }
}

/// Who holds a document now (the remove button posts nothing else).
#[derive(serde::Deserialize)]
pub struct HolderForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    held_by: String,
}
crate::form_body!(HolderForm);

pub async fn document_action(
    State(state): State<AppState>,
    Ids((case_id, doc, action)): Ids<(Uuid, Uuid, String)>,
    StaffForm(s, f): StaffForm<HolderForm>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let result = match action.as_str() {
        "holder" => {
            let raw = RawDocumentChanges {
                version: crate::kit::form::version_opt(&f.version),
                held_by: Some(f.held_by),
                ..Default::default()
            };
            match raw.validate() {
                Ok(c) => state
                    .store
                    .update_person_document(actor, case.person.id, doc, c)
                    .await
                    .map(|_| ()),
                Err(p) => Err(StoreError::Invalid(p)),
            }
        }
        "remove" => {
            state
                .store
                .remove_person_document(actor, case.person.id, doc)
                .await
        }
        _ => return Err(WebError::not_found()),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/person#documents"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("holder-{doc}"))?;
            person_page(&state, &s, case_id, errors, None, DocForm::default()).await
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::PersonForm;
    use crate::kit::form::typed_body;

    #[test]
    fn lists_chosen_from_are_joined_and_ticks_are_kept() {
        let f: PersonForm = typed_body(
            b"version=4&given_name=A&citizenships=SY&citizenships=LB&languages=ar&vulnerabilities=minor&vulnerabilities=disability",
        )
        .unwrap();
        assert_eq!((f.version.as_str(), f.given_name.as_str()), ("4", "A"));
        assert_eq!(
            (f.citizenships.as_str(), f.languages.as_str()),
            ("SY LB", "ar")
        );
        assert_eq!(f.vulnerabilities, ["minor", "disability"]);
        let none: PersonForm = typed_body(b"version=4").unwrap();
        assert_eq!(none.citizenships, "");
    }
}
