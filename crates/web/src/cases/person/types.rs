//! The request and response types of a person's identity, documents and consent, and of a
//! case's attachments and best-interests decisions. They belong to the API: requests turn into
//! core's `Raw*` inputs (which validate them), responses are built from the store's values by
//! `From`, and the OpenAPI schemas are derived from these types.

use passage_core::casework::child::RawBestInterests;
use passage_core::casework::consent::RawConsent;
use passage_core::casework::person::{
    Contact as CoreContact, ContactKind, RawContact, RawDocument, RawDocumentChanges,
    RawPersonChanges,
};
use passage_core::casework::{
    ConsentMethod, ConsentPurpose, DocumentHolder, DocumentKind, LegalBasis, Vulnerability,
};
use passage_store::casework as store;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// `null` or a value, told apart from a field left out.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A partial update: a field left out is unchanged; null or an empty value clears it
/// (given_name cannot be cleared). Send the version you read; a stale one answers 409
/// version_conflict. Names go in their own script in given_name/family_name and in Latin
/// letters in the *_latin fields; search finds the person by either.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonChanges {
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub family_name: Option<Option<String>>,
    /// Latin letters (accents allowed) only
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub given_name_latin: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub family_name_latin: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<String>>, max_items = 20)]
    pub aliases: Option<Option<Vec<String>>>,
    /// YYYY, YYYY-MM or YYYY-MM-DD: as much as is known
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub date_of_birth: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub sex: Option<Option<String>>,
    /// ISO 3166-1 alpha-2 codes
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<String>>, max_items = 20)]
    pub citizenships: Option<Option<Vec<String>>>,
    /// ISO 639 codes
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<String>>, max_items = 20)]
    pub languages: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<ContactInput>>, max_items = 20)]
    pub contacts: Option<Option<Vec<ContactInput>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = vulnerabilities_or_null)]
    pub vulnerabilities: Option<Option<Vec<String>>>,
    /// Firewalled and never required: only caseworkers and supervisors of the owning
    /// organisation may change it (403 otherwise).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub migration_status: Option<Option<String>>,
}

fn vulnerabilities_or_null() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{SchemaType, Type};
    let mut list = crate::kit::schema::vulnerabilities();
    list.schema_type = SchemaType::from_iter([Type::Array, Type::Null]);
    list.max_items = Some(20);
    list
}

/// One way to reach a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::contact_kind, required = true)]
    pub kind: String,
    #[serde(default)]
    #[schema(max_length = 500, required = true)]
    pub value: String,
}

impl From<ContactInput> for RawContact {
    fn from(c: ContactInput) -> RawContact {
        RawContact {
            kind: c.kind,
            value: c.value,
        }
    }
}

impl From<PersonChanges> for RawPersonChanges {
    fn from(b: PersonChanges) -> RawPersonChanges {
        RawPersonChanges {
            version: b.version,
            given_name: b.given_name,
            family_name: b.family_name,
            given_name_latin: b.given_name_latin,
            family_name_latin: b.family_name_latin,
            aliases: b.aliases,
            date_of_birth: b.date_of_birth,
            sex: b.sex,
            citizenships: b.citizenships,
            languages: b.languages,
            contacts: b
                .contacts
                .map(|c| c.map(|list| list.into_iter().map(RawContact::from).collect())),
            vulnerabilities: b.vulnerabilities,
            migration_status: b.migration_status,
        }
    }
}

/// A person's full identity. migration_status is absent unless you may read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub version: i64,
    pub given_name: String,
    pub family_name: String,
    pub given_name_latin: Option<String>,
    pub family_name_latin: Option<String>,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<String>,
    pub sex: Option<String>,
    pub citizenships: Vec<String>,
    pub languages: Vec<String>,
    pub contacts: Vec<Contact>,
    #[schema(schema_with = crate::kit::schema::vulnerabilities)]
    pub vulnerabilities: Vec<Vulnerability>,
    /// Present only for those who may read it (firewalled)
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub migration_status: Option<String>,
    /// A child by vulnerability or by date of birth
    pub is_child: bool,
    pub documents: Vec<IdentityDocument>,
    #[schema(schema_with = key_indicators)]
    pub key_indicators: Vec<&'static str>,
    /// Unix milliseconds
    pub created_at: i64,
    /// Unix milliseconds
    pub updated_at: Option<i64>,
}

fn key_indicators() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(crate::kit::schema::one_of(&[
            "identity_document_held_by_other",
        ]))
        .build()
}

/// One way to reach a person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contact {
    #[schema(schema_with = crate::kit::schema::contact_kind)]
    pub kind: ContactKind,
    pub value: String,
}

impl From<CoreContact> for Contact {
    fn from(c: CoreContact) -> Contact {
        Contact {
            kind: c.kind,
            value: c.value,
        }
    }
}

/// An identity document as a reader sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityDocument {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::document_kind)]
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub country: Option<String>,
    #[schema(schema_with = crate::kit::schema::document_holder)]
    pub held_by: DocumentHolder,
    /// Held by anyone but the person (employer, recruiter, authorities, organisation, other):
    /// a key indicator of control
    pub key_indicator: bool,
    pub version: i64,
}

impl From<store::person::DocumentView> for IdentityDocument {
    fn from(d: store::person::DocumentView) -> IdentityDocument {
        IdentityDocument {
            id: d.id,
            kind: d.kind,
            number: d.number,
            country: d.country,
            held_by: d.held_by,
            key_indicator: d.key_indicator,
            version: d.version,
        }
    }
}

impl From<store::person::PersonDetails> for Person {
    fn from(p: store::person::PersonDetails) -> Person {
        Person {
            id: p.id,
            organisation_id: p.organisation_id,
            version: p.version,
            given_name: p.given_name,
            family_name: p.family_name,
            given_name_latin: p.given_name_latin,
            family_name_latin: p.family_name_latin,
            aliases: p.aliases,
            date_of_birth: p.date_of_birth,
            sex: p.sex,
            citizenships: p.citizenships,
            languages: p.languages,
            contacts: p.contacts.into_iter().map(Contact::from).collect(),
            vulnerabilities: p.vulnerabilities,
            migration_status: p.migration_status,
            is_child: p.is_child,
            documents: p
                .documents
                .into_iter()
                .map(IdentityDocument::from)
                .collect(),
            key_indicators: p.key_indicators,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// What was changed, and its new version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Versioned {
    pub id: Uuid,
    pub version: i64,
}

/// An identity document and who holds it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIdentityDocument {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::document_kind, required = true)]
    pub kind: String,
    #[serde(default)]
    #[schema(max_length = 60)]
    pub number: Option<String>,
    /// ISO 3166-1 alpha-2 of the issuer
    #[serde(default)]
    pub country: Option<String>,
    /// Who has the document now
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::document_holder, required = true)]
    pub held_by: String,
}

impl From<NewIdentityDocument> for RawDocument {
    fn from(b: NewIdentityDocument) -> RawDocument {
        RawDocument {
            kind: b.kind,
            number: b.number,
            country: b.country,
            held_by: b.held_by,
        }
    }
}

/// Who holds a document now, its number or its country, with the version read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityDocumentChanges {
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::document_holder)]
    pub held_by: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 60)]
    pub number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub country: Option<Option<String>>,
}

impl From<IdentityDocumentChanges> for RawDocumentChanges {
    fn from(b: IdentityDocumentChanges) -> RawDocumentChanges {
        RawDocumentChanges {
            version: b.version,
            held_by: b.held_by,
            number: b.number,
            country: b.country,
        }
    }
}

/// A referral consent names the organisation (never immigration enforcement: 422
/// immigration_firewall). A basis other than consent needs a reason and is audited as
/// consent.legal_basis.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::consent_purpose, required = true)]
    pub purpose: String,
    #[serde(default)]
    #[schema(format = Uuid)]
    pub organisation_id: Option<String>,
    /// consent when left out
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::legal_basis)]
    pub basis: Option<String>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::consent_method)]
    pub method: Option<String>,
    /// ISO 639 code
    #[serde(default)]
    pub language: Option<String>,
    /// Required for best_interests_of_child and vital_interest
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl From<NewConsent> for RawConsent {
    fn from(b: NewConsent) -> RawConsent {
        RawConsent {
            purpose: b.purpose,
            organisation_id: b.organisation_id,
            basis: b.basis,
            method: b.method,
            language: b.language,
            reason: b.reason,
        }
    }
}

/// One consent record as a reader sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Consent {
    pub id: Uuid,
    pub person_id: Uuid,
    #[schema(schema_with = crate::kit::schema::consent_purpose)]
    pub purpose: ConsentPurpose,
    pub organisation_id: Option<Uuid>,
    pub organisation_name: Option<String>,
    #[schema(schema_with = crate::kit::schema::legal_basis)]
    pub basis: LegalBasis,
    #[schema(schema_with = crate::kit::schema::consent_method_or_null)]
    pub method: Option<ConsentMethod>,
    pub language: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: Uuid,
    pub recorded_by_name: String,
    /// Unix milliseconds
    pub given_at: i64,
    /// Unix milliseconds
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<Uuid>,
    pub withdrawn_by_name: Option<String>,
    #[schema(schema_with = crate::kit::schema::consent_method_or_null)]
    pub withdrawal_method: Option<ConsentMethod>,
    /// Not withdrawn
    pub in_force: bool,
}

impl From<store::consent::ConsentView> for Consent {
    fn from(c: store::consent::ConsentView) -> Consent {
        Consent {
            id: c.id,
            person_id: c.person_id,
            purpose: c.purpose,
            organisation_id: c.organisation_id,
            organisation_name: c.organisation_name,
            basis: c.basis,
            method: c.method,
            language: c.language,
            reason: c.reason,
            recorded_by: c.recorded_by,
            recorded_by_name: c.recorded_by_name,
            given_at: c.given_at,
            withdrawn_at: c.withdrawn_at,
            withdrawn_by: c.withdrawn_by,
            withdrawn_by_name: c.withdrawn_by_name,
            withdrawal_method: c.withdrawal_method,
            in_force: c.in_force,
        }
    }
}

/// How the person withdrew.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WithdrawQuery {
    #[param(schema_with = crate::kit::schema::consent_method)]
    pub method: Option<String>,
}

/// An attachment without its content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attachment {
    pub id: Uuid,
    pub case_id: Uuid,
    pub filename: String,
    #[schema(schema_with = attachment_type)]
    pub content_type: String,
    /// Bytes stored, after image metadata was removed
    pub size: i64,
    pub created_by: Uuid,
    pub created_by_name: String,
    /// Unix milliseconds
    pub created_at: i64,
    /// What the uploader said the file is
    pub description: Option<String>,
    /// The document type, from the attachment-kind vocabulary
    #[schema(schema_with = attachment_kind)]
    pub kind: Option<String>,
}

fn attachment_kind() -> utoipa::openapi::schema::Object {
    let kinds: Vec<&str> = passage_core::casework::AttachmentKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    crate::kit::schema::one_of(&kinds)
}

fn attachment_type() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&[
        "application/pdf",
        "image/jpeg",
        "image/png",
        "text/plain; charset=utf-8",
    ])
}

impl From<store::attachments::AttachmentMeta> for Attachment {
    fn from(a: store::attachments::AttachmentMeta) -> Attachment {
        Attachment {
            id: a.id,
            case_id: a.case_id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            created_by: a.created_by,
            created_by_name: a.created_by_name,
            created_at: a.created_at,
            description: a.description,
            kind: a.kind.map(|k| k.as_str().to_string()),
        }
    }
}

/// The bytes of a file, as sent or downloaded.
pub struct FileBytes;

impl utoipa::PartialSchema for FileBytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for FileBytes {}

/// A file sent as a multipart form.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// What the file is, in a few words (sealed at rest).
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// The document type, from the attachment kinds.
    pub kind: Option<String>,
}

/// A best-interests assessment and decision; it waits for a supervisor's sign-off.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBestInterests {
    #[serde(default)]
    #[schema(max_length = 20000, required = true)]
    pub assessment: String,
    #[serde(default)]
    #[schema(max_length = 20000, required = true)]
    pub decision: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub guardian_name: Option<String>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub guardian_contact: Option<String>,
}

impl From<NewBestInterests> for RawBestInterests {
    fn from(b: NewBestInterests) -> RawBestInterests {
        RawBestInterests {
            assessment: b.assessment,
            decision: b.decision,
            guardian_name: b.guardian_name,
            guardian_contact: b.guardian_contact,
        }
    }
}

/// A best-interests assessment and decision as a reader sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BestInterests {
    pub id: Uuid,
    pub case_id: Uuid,
    pub assessment: String,
    pub decision: String,
    pub guardian_name: Option<String>,
    pub guardian_contact: Option<String>,
    pub created_by: Uuid,
    pub created_by_name: String,
    /// Unix milliseconds
    pub created_at: i64,
    pub signed_off_by: Option<Uuid>,
    pub signed_off_by_name: Option<String>,
    /// Unix milliseconds
    pub signed_off_at: Option<i64>,
    /// Signed off by a supervisor: until then the decision is not final
    #[serde(rename = "final")]
    pub is_final: bool,
}

impl From<store::child::BestInterestsView> for BestInterests {
    fn from(b: store::child::BestInterestsView) -> BestInterests {
        BestInterests {
            id: b.id,
            case_id: b.case_id,
            assessment: b.assessment,
            decision: b.decision,
            guardian_name: b.guardian_name,
            guardian_contact: b.guardian_contact,
            created_by: b.created_by,
            created_by_name: b.created_by_name,
            created_at: b.created_at,
            signed_off_by: b.signed_off_by,
            signed_off_by_name: b.signed_off_by_name,
            signed_off_at: b.signed_off_at,
            is_final: b.is_final,
        }
    }
}

/// A best-interests decision recorded, not final until signed off.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BestInterestsRecorded {
    pub id: Uuid,
    #[serde(rename = "final")]
    pub is_final: bool,
}

/// A best-interests decision signed off: final.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BestInterestsSignedOff {
    pub id: Uuid,
    pub case_id: Uuid,
    #[serde(rename = "final")]
    pub is_final: bool,
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
        for full in [false, true] {
            same::<_, Person>(store::person::PersonDetails {
                id: a,
                organisation_id: b,
                version: 3,
                given_name: "Ана".into(),
                family_name: "Лима".into(),
                given_name_latin: full.then(|| "Ana".into()),
                family_name_latin: full.then(|| "Lima".into()),
                aliases: vec!["Ani".into()],
                date_of_birth: full.then(|| "1990".into()),
                sex: full.then(|| "feminine".into()),
                citizenships: vec!["UA".into()],
                languages: vec!["uk".into()],
                contacts: vec![CoreContact {
                    kind: ContactKind::ALL[0],
                    value: "+380".into(),
                }],
                vulnerabilities: vec![Vulnerability::ALL[0]],
                migration_status: full.then(|| "irregular".into()),
                migration_status_allowed: full,
                is_child: full,
                documents: vec![store::person::DocumentView {
                    id: b,
                    kind: DocumentKind::ALL[0],
                    number: full.then(|| "X1".into()),
                    country: full.then(|| "UA".into()),
                    held_by: DocumentHolder::ALL[1],
                    key_indicator: true,
                    version: 1,
                }],
                key_indicators: vec!["identity_document_held_by_other"],
                created_at: 4,
                updated_at: full.then_some(5),
            });
            same::<_, Consent>(store::consent::ConsentView {
                id: a,
                person_id: b,
                purpose: ConsentPurpose::ALL[0],
                organisation_id: full.then_some(b),
                organisation_name: full.then(|| "Shelter".into()),
                basis: LegalBasis::ALL[0],
                method: full.then_some(ConsentMethod::ALL[0]),
                language: full.then(|| "en".into()),
                reason: full.then(|| "child".into()),
                recorded_by: a,
                recorded_by_name: "Ana".into(),
                given_at: 6,
                withdrawn_at: full.then_some(7),
                withdrawn_by: full.then_some(a),
                withdrawn_by_name: full.then(|| "Ana".into()),
                withdrawal_method: full.then_some(ConsentMethod::ALL[1]),
                in_force: !full,
            });
            same::<_, BestInterests>(store::child::BestInterestsView {
                id: a,
                case_id: b,
                assessment: "safe with aunt".into(),
                decision: "placement".into(),
                guardian_name: full.then(|| "Aunt".into()),
                guardian_contact: full.then(|| "+1".into()),
                created_by: a,
                created_by_name: "Ana".into(),
                created_at: 8,
                signed_off_by: full.then_some(b),
                signed_off_by_name: full.then(|| "Bo".into()),
                signed_off_at: full.then_some(9),
                is_final: full,
            });
        }
        same::<_, Attachment>(store::attachments::AttachmentMeta {
            id: a,
            case_id: b,
            filename: "statement.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1024,
            created_by: a,
            created_by_name: "Ana".into(),
            created_at: 10,
            description: Some("Payslip for March".into()),
            kind: Some(passage_core::casework::AttachmentKind::Payslip),
        });
        assert_eq!(
            to_value(Versioned { id: a, version: 2 }).expect("web"),
            json!({ "id": a, "version": 2 })
        );
        assert_eq!(
            to_value(BestInterestsRecorded {
                id: a,
                is_final: false
            })
            .expect("web"),
            json!({ "id": a, "final": false })
        );
        assert_eq!(
            to_value(BestInterestsSignedOff {
                id: a,
                case_id: b,
                is_final: true
            })
            .expect("web"),
            json!({ "id": a, "case_id": b, "final": true })
        );
    }

    /// A field left out, a null and a value stay apart on the way in.
    #[test]
    fn changes_tell_null_from_absent() {
        let read = |v: serde_json::Value| {
            RawPersonChanges::from(serde_json::from_value::<PersonChanges>(v).expect("changes"))
        };
        assert_eq!(read(json!({"version": 1})).sex, None);
        assert_eq!(read(json!({"version": 1, "sex": null})).sex, Some(None));
        let contacts = read(json!({"version": 1, "contacts": [{"kind": "phone", "value": "1"}]}))
            .contacts
            .expect("sent")
            .expect("not null");
        assert_eq!(contacts[0].kind, "phone");
        assert!(
            serde_json::from_value::<PersonChanges>(json!({"contacts": [{"kind": "x", "y": 1}]}))
                .is_err()
        );
    }
}
