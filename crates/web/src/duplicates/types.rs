//! The request and response types of the duplicate-persons API, owned by the API: responses are
//! built from the store's values by `From`, and the OpenAPI schemas are derived from these types.

use passage_store::casework::duplicates as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One candidate pair in the review queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuplicateCandidate {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub other_id: Uuid,
    pub other_name: String,
    pub probability: f64,
    /// Which fields agreed, how, and by how many bits; never their values
    pub explanation: Vec<Evidence>,
    pub names_swapped: bool,
    pub created_at: i64,
}

/// One field's part in a score: the field, how it agreed, and its weight in bits. No values.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evidence {
    pub field: String,
    pub level: String,
    pub bits: f64,
}

impl From<store::DuplicateCandidate> for DuplicateCandidate {
    fn from(c: store::DuplicateCandidate) -> DuplicateCandidate {
        DuplicateCandidate {
            id: c.id,
            person_id: c.person_id,
            person_name: c.person_name,
            other_id: c.other_id,
            other_name: c.other_name,
            probability: c.probability,
            explanation: c
                .explanation
                .into_iter()
                .map(|e| Evidence {
                    field: e.field,
                    level: e.level,
                    bits: e.bits,
                })
                .collect(),
            names_swapped: c.names_swapped,
            created_at: c.created_at,
        }
    }
}

/// A merge that can be undone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Merge {
    pub id: Uuid,
    pub kept_id: Uuid,
    pub kept_name: String,
    pub merged_id: Uuid,
    pub moved_cases: Vec<Uuid>,
    pub at: i64,
    pub undone_at: Option<i64>,
}

impl From<store::Merge> for Merge {
    fn from(m: store::Merge) -> Merge {
        Merge {
            id: m.id,
            kept_id: m.kept_id,
            kept_name: m.kept_name,
            merged_id: m.merged_id,
            moved_cases: m.moved_cases,
            at: m.at,
            undone_at: m.undone_at,
        }
    }
}

/// The pair merged: the merge's id undoes it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Merged {
    pub merge: Uuid,
}

/// The pair recorded as different people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dismissed {
    /// The candidate's id as sent
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(schema_with = distinct)]
    pub status: &'static str,
}

fn distinct() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["distinct"])
}

/// The merge undone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Undone {
    /// The merge's id as sent
    #[schema(format = Uuid)]
    pub merge: String,
    pub undone: bool,
}

/// What a reader of a person may know of duplicates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkStatus {
    pub pending_review: bool,
    pub merged_into: Option<Uuid>,
    /// a partner organisation may hold a record of this person; nothing more is said. Told to
    /// the holding organisation's duplicate reviewers, and to the registering side only once
    /// the holder's person agreed to be connected; never through a shared case
    pub partner_may_hold: bool,
    /// the person's duplicate check after registration has not finished: `pending_review`
    /// and the partner signals may still change
    pub duplicate_check_running: bool,
}

impl From<store::LinkStatus> for LinkStatus {
    fn from(s: store::LinkStatus) -> LinkStatus {
        LinkStatus {
            pending_review: s.pending_review,
            merged_into: s.merged_into,
            partner_may_hold: s.partner_may_hold,
            duplicate_check_running: s.duplicate_check_running,
        }
    }
}

/// What one side may know of a partner signal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartnerSignal {
    pub id: Uuid,
    /// declined is shown only to the side that declined; withdrawn once a person withdrew the
    /// referral consent the connection recorded (the partner is no longer named)
    #[schema(schema_with = signal_status)]
    pub status: String,
    /// this side recorded its person's agreement to be connected
    pub our_consent: bool,
    /// the partner recorded its person's agreement (it asks to connect)
    pub partner_consent: bool,
    /// named only once both sides recorded the person's agreement
    pub partner_organisation: Option<PartnerOrganisation>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

fn signal_status() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["open", "connected", "withdrawn", "declined"])
}

/// The partner organisation named once a signal is connected.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartnerOrganisation {
    pub id: Uuid,
    pub name: String,
}

impl From<store::PartnerSignal> for PartnerSignal {
    fn from(s: store::PartnerSignal) -> PartnerSignal {
        PartnerSignal {
            id: s.id,
            status: s.status,
            our_consent: s.our_consent,
            partner_consent: s.partner_consent,
            partner_organisation: s.partner_organisation.map(|o| PartnerOrganisation {
                id: o.id,
                name: o.name,
            }),
            created_at: s.created_at,
            resolved_at: s.resolved_at,
        }
    }
}

/// How the person agreed to be connected with the partner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerConsent {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::consent_method, required = true)]
    pub method: String,
    /// ISO 639 code of the language the person was asked in
    #[serde(default)]
    pub language: Option<String>,
}

impl From<PartnerConsent> for passage_core::casework::consent::RawAgreement {
    fn from(b: PartnerConsent) -> passage_core::casework::consent::RawAgreement {
        passage_core::casework::consent::RawAgreement {
            method: b.method,
            language: b.language,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    fn same<S: Serialize + Clone, W: Serialize + From<S>>(store_value: S) {
        assert_eq!(
            to_value(W::from(store_value.clone())).expect("web"),
            to_value(store_value).expect("store")
        );
    }

    /// Each response serialises exactly as the store value, or the object written out, that it
    /// replaced.
    #[test]
    fn responses_serialise_as_before() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        same::<_, DuplicateCandidate>(store::DuplicateCandidate {
            id: a,
            person_id: a,
            person_name: "Ana Lima".into(),
            other_id: b,
            other_name: "Ana Lyma".into(),
            probability: 0.93,
            explanation: vec![store::Evidence {
                field: "family_name".into(),
                level: "phonetic".into(),
                bits: 4.5,
            }],
            names_swapped: false,
            created_at: 1,
            person_case: None,
            other_case: None,
        });
        for undone in [None, Some(9)] {
            same::<_, Merge>(store::Merge {
                id: a,
                kept_id: a,
                kept_name: "Ana".into(),
                merged_id: b,
                moved_cases: vec![b],
                at: 3,
                undone_at: undone,
            });
        }
        for (merged, running) in [(None, false), (Some(b), true)] {
            same::<_, LinkStatus>(store::LinkStatus {
                pending_review: true,
                merged_into: merged,
                partner_may_hold: false,
                duplicate_check_running: running,
            });
        }
        for connected in [false, true] {
            same::<_, PartnerSignal>(store::PartnerSignal {
                id: a,
                status: if connected { "connected" } else { "open" }.into(),
                our_consent: true,
                partner_consent: connected,
                partner_organisation: connected.then(|| store::PartnerOrganisation {
                    id: b,
                    name: "Partner".into(),
                }),
                created_at: 4,
                resolved_at: connected.then_some(5),
            });
        }
        let id = a.to_string();
        assert_eq!(
            to_value(Merged { merge: a }).expect("web"),
            json!({ "merge": a })
        );
        assert_eq!(
            to_value(Dismissed {
                id: id.clone(),
                status: "distinct"
            })
            .expect("web"),
            json!({ "id": id, "status": "distinct" })
        );
        assert_eq!(
            to_value(Undone {
                merge: id.clone(),
                undone: true
            })
            .expect("web"),
            json!({ "merge": id, "undone": true })
        );
    }
}
