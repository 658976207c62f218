//! The linkage side of duplicate detection: a person's linkage keys (blind tags, so the table
//! holds no name sound or date in clear) and the scores of one person against candidates.

use crate::keys::Keys;
use passage_linkage::normalize::{alnum_upper, name_tokens, phone_digits};
use passage_linkage::{Column, InputRecord};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What linkage compares of a person, decrypted inside the store; never leaves it.
#[derive(Debug, Clone, Default)]
pub struct LinkIdentity {
    pub id: Uuid,
    pub org_id: Uuid,
    pub given: String,
    pub family: String,
    pub given_latin: Option<String>,
    pub family_latin: Option<String>,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub citizenship: Option<String>,
    pub phone: Option<String>,
    pub document: Option<String>,
}

/// One field's part in a score: the field, how it agreed, and its weight in bits. No values.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    pub field: String,
    pub level: String,
    pub bits: f64,
}

/// A score with its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub probability: f64,
    pub names_swapped: bool,
    pub fields: Vec<Evidence>,
}

/// The blind linkage keys of a person: the sound of every name token (in any script, Latin
/// forms and aliases included), the full date of birth and the birth year, and a document
/// number (twice: a shared document alone makes two persons candidates).
pub fn link_keys(keys: &Keys, p: &LinkIdentity) -> Vec<i64> {
    let mut plain: Vec<String> = Vec::new();
    let names = [
        Some(&p.given),
        Some(&p.family),
        p.given_latin.as_ref(),
        p.family_latin.as_ref(),
    ];
    for name in names.into_iter().flatten().chain(&p.aliases) {
        for t in name_tokens(name) {
            // A person registered from a report is "Unknown" until the caseworker learns more.
            if t.phonetic.len() >= 2 && t.text != "unknown" {
                plain.push(format!("n:{}", t.phonetic));
            }
        }
    }
    if let Some(d) = &p.date_of_birth {
        if d.len() == 10 {
            plain.push(format!("d:{d}"));
        }
        if d.len() >= 4 {
            plain.push(format!("y:{}", &d[..4]));
        }
    }
    if let Some(doc) = p
        .document
        .as_deref()
        .map(alnum_upper)
        .filter(|d| d.len() >= 4)
    {
        plain.push(format!("doc:{doc}"));
        plain.push(format!("doc2:{doc}"));
    }
    if let Some(phone) = p
        .phone
        .as_deref()
        .map(phone_digits)
        .filter(|d| d.len() >= 7)
    {
        plain.push(format!("ph:{}", &phone[phone.len() - 7..]));
    }
    let mut tags: Vec<i64> = plain
        .iter()
        .map(|v| keys.blind_tag("link", "", v))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags
}

fn record(p: &LinkIdentity) -> InputRecord<'_> {
    let mut r = InputRecord::default();
    // The caseworker's Latin spelling when there is one, else the name as written (the
    // linkage normalisation transliterates any script).
    r.set(
        Column::GivenName,
        p.given_latin.as_deref().unwrap_or(&p.given),
    );
    r.set(
        Column::FamilyName,
        p.family_latin.as_deref().unwrap_or(&p.family),
    );
    if let Some(d) = &p.date_of_birth {
        r.set(Column::DateOfBirth, d);
    }
    if let Some(s) = &p.sex {
        r.set(Column::Sex, s);
    }
    if let Some(c) = &p.citizenship {
        r.set(Column::Citizenship, c);
    }
    if let Some(ph) = &p.phone {
        r.set(Column::Phone, ph);
    }
    if let Some(d) = &p.document {
        r.set(Column::DocumentNumber, d);
    }
    r
}

/// Scores `me` against each of `others`, in order.
pub fn score(me: &LinkIdentity, others: &[LinkIdentity]) -> Vec<Scored> {
    let mine = record(me);
    let theirs: Vec<InputRecord<'_>> = others.iter().map(record).collect();
    match passage_linkage::compare_one(&mine, &theirs) {
        Ok(explanations) => explanations
            .into_iter()
            .map(|e| Scored {
                probability: e.probability,
                names_swapped: e.names_swapped,
                fields: e
                    .fields
                    .into_iter()
                    .filter(|f| f.level != "missing")
                    .map(|f| Evidence {
                        field: f.field,
                        level: f.level.to_string(),
                        bits: (f.bits * 10.0).round() / 10.0,
                    })
                    .collect(),
            })
            .collect(),
        // A date the linkage cannot read compares as nothing: no candidate, no error for the
        // person's registration (the date was validated when it was recorded).
        Err(_) => others
            .iter()
            .map(|_| Scored {
                probability: 0.0,
                names_swapped: false,
                fields: Vec::new(),
            })
            .collect(),
    }
}
