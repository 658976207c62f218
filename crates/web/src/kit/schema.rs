//! Schema pieces the derived API types share: core's closed vocabularies as string enums listing
//! every spelling (taken from the vocabulary itself, so a new value is documented by being
//! added), and the reference to the error-code schema.

use passage_core::Urgency;
use passage_core::casework::{Confidentiality, NeedDomain, ServiceType};
use utoipa::openapi::schema::{Object, ObjectBuilder, Ref, SchemaType, Type};

/// A vocabulary as a string schema with its spellings.
fn vocabulary<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(all.iter().map(|v| name(*v))))
        .build()
}

/// A vocabulary that may be absent: a string of its spellings, or null.
fn nullable_vocabulary<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Object {
    let values = all
        .iter()
        .map(|v| serde_json::Value::from(name(*v)))
        .chain([serde_json::Value::Null]);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values))
        .build()
}

pub(crate) fn need_domain() -> Object {
    vocabulary(NeedDomain::ALL, NeedDomain::as_str)
}

pub(crate) fn need_domain_or_null() -> Object {
    nullable_vocabulary(NeedDomain::ALL, NeedDomain::as_str)
}

pub(crate) fn urgency() -> Object {
    vocabulary(Urgency::ALL, Urgency::as_str)
}

pub(crate) fn confidentiality() -> Object {
    vocabulary(Confidentiality::ALL, Confidentiality::as_str)
}

pub(crate) fn service_type() -> Object {
    vocabulary(ServiceType::ALL, ServiceType::as_str)
}

/// The generated list of every error code (see `openapi::error_code_schema`).
pub(crate) fn error_code() -> Ref {
    Ref::from_schema_name("ErrorCode")
}

/// Why a `forbidden` was refused, as clients may see it: only the immigration firewall is named.
pub(crate) fn deny_reason() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["immigration_firewall"]))
        .description(Some(
            "Present when the immigration firewall refused a `forbidden`.",
        ))
        .build()
}

/// The problems of a request, field by field.
pub(crate) fn field_errors() -> utoipa::openapi::schema::Array {
    let string = || ObjectBuilder::new().schema_type(Type::String).build();
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property("field", string())
                .property("code", error_code())
                .property("message", string()),
        )
        .build()
}

pub(crate) fn org_kind() -> Object {
    vocabulary(passage_core::OrgKind::ALL, passage_core::OrgKind::as_str)
}

pub(crate) fn roles() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(vocabulary(
            passage_core::Role::ALL,
            passage_core::Role::as_str,
        ))
        .build()
}

pub(crate) fn role() -> Object {
    vocabulary(passage_core::Role::ALL, passage_core::Role::as_str)
}

pub(crate) fn country() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("ISO 3166-1 alpha-2"))
        .build()
}

pub(crate) fn consent_method() -> Object {
    vocabulary(
        passage_core::casework::ConsentMethod::ALL,
        passage_core::casework::ConsentMethod::as_str,
    )
}

/// A string limited to the given spellings, for values the store keeps as text.
pub(crate) fn one_of(values: &[&'static str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
}

/// A vocabulary's schema functions: `name()` a string of its spellings, `name_or_null()` the
/// same or null, `name_list()` an array of them.
macro_rules! vocabulary_schemas {
    ($($one:ident, $or_null:ident, $list:ident => $ty:path;)+) => {$(
        #[allow(dead_code)]
        pub(crate) fn $one() -> Object {
            vocabulary(<$ty>::ALL, <$ty>::as_str)
        }
        #[allow(dead_code)]
        pub(crate) fn $or_null() -> Object {
            nullable_vocabulary(<$ty>::ALL, <$ty>::as_str)
        }
        #[allow(dead_code)]
        pub(crate) fn $list() -> utoipa::openapi::schema::Array {
            utoipa::openapi::schema::ArrayBuilder::new()
                .items(vocabulary(<$ty>::ALL, <$ty>::as_str))
                .build()
        }
    )+};
}

vocabulary_schemas! {
    permit_kind, permit_kind_or_null, permit_kinds
        => passage_core::casework::permits::PermitKind;
    permit_status, permit_status_or_null, permit_statuses
        => passage_core::casework::permits::PermitStatus;
    proceeding_kind, proceeding_kind_or_null, proceeding_kinds
        => passage_core::casework::proceedings::ProceedingKind;
    proceeding_stage, proceeding_stage_or_null, proceeding_stages
        => passage_core::casework::proceedings::ProceedingStage;
    victim_role, victim_role_or_null, victim_roles
        => passage_core::casework::proceedings::VictimRole;
    measure_kind, measure_kind_or_null, measure_kinds
        => passage_core::casework::proceedings::MeasureKind;
    measure_status, measure_status_or_null, measure_statuses
        => passage_core::casework::proceedings::MeasureStatus;
    hearing_kind, hearing_kind_or_null, hearing_kinds
        => passage_core::casework::proceedings::HearingKind;
    proceeding_outcome, proceeding_outcome_or_null, proceeding_outcomes
        => passage_core::casework::proceedings::ProceedingOutcome;
    perpetrator_role, perpetrator_role_or_null, perpetrator_roles
        => passage_core::casework::proceedings::PerpetratorRole;
    age_band, age_band_or_null, age_bands
        => passage_core::casework::proceedings::AgeBand;
    perpetrator_relation, perpetrator_relation_or_null, perpetrator_relations
        => passage_core::casework::proceedings::PerpetratorRelation;
    cooperation_stance, cooperation_stance_or_null, cooperation_stances
        => passage_core::casework::proceedings::CooperationStance;
    sex, sex_or_null, sexes => passage_core::Sex;
    separation_reason, separation_reason_or_null, separation_reasons
        => passage_core::casework::tracing::SeparationReason;
    return_risk, return_risk_or_null, return_risks
        => passage_core::casework::returns::ReturnRisk;
    family_willing, family_willing_or_null, family_willings
        => passage_core::casework::returns::FamilyWilling;
    return_choice, return_choice_or_null, return_choices
        => passage_core::casework::returns::ReturnChoice;
    document_status, document_status_or_null, document_statuses
        => passage_core::casework::returns::DocumentStatus;
    visit_month, visit_month_or_null, visit_months
        => passage_core::casework::returns::VisitMonth;
    reintegration_dimension, reintegration_dimension_or_null, reintegration_dimensions
        => passage_core::casework::returns::Dimension;
    tracing_status, tracing_status_or_null, tracing_statuses
        => passage_core::casework::tracing::TracingStatus;
    family_relation, family_relation_or_null, family_relations
        => passage_core::casework::tracing::FamilyRelation;
    member_status, member_status_or_null, member_statuses
        => passage_core::casework::tracing::MemberStatus;
    assessment_method, assessment_method_or_null, assessment_methods
        => passage_core::casework::tracing::AssessmentMethod;
    risk_level, risk_level_or_null, risk_levels => passage_core::casework::RiskLevel;
    identification_status, identification_status_or_null, identification_statuses
        => passage_core::casework::IdentificationStatus;
    outcome, outcome_or_null, outcomes => passage_core::casework::Outcome;
    stage, stage_or_null, stages => passage_core::Stage;
    case_type, case_type_or_null, case_types => passage_core::CaseType;
    case_status, case_status_or_null, case_statuses => passage_core::CaseStatus;
    population, population_or_null, populations => passage_core::screening::Population;
    exploitation, exploitation_or_null, exploitations => passage_core::screening::Exploitation;
    strength, strength_or_null, strengths => passage_core::screening::Strength;
    answer, answer_or_null, answers => passage_core::screening::Answer;
    conclusion, conclusion_or_null, conclusions => passage_core::screening::Conclusion;
}

/// Answers by indicator id.
pub(crate) fn answers_by_indicator() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(utoipa::openapi::Schema::Object(answer())))
        .description(Some("indicator id → answer"))
        .build()
}

/// A text in each interview language.
pub(crate) fn localised() -> Object {
    let text = || ObjectBuilder::new().schema_type(Type::String).build();
    let mut b = ObjectBuilder::new().schema_type(Type::Object);
    for lang in passage_core::screening::LANGUAGES {
        b = b.property(lang, text()).required(lang);
    }
    b.build()
}

/// What a deadline is for, in the spelling it is sent with.
pub(crate) fn deadline_kind() -> Object {
    use passage_core::casework::deadlines::DeadlineKind;
    let kinds = [
        DeadlineKind::ReasonableGroundsDecision,
        DeadlineKind::RecoveryReflectionPeriod,
        DeadlineKind::MoveOnSupport,
        DeadlineKind::FollowUpVisit,
        DeadlineKind::Hearing,
    ]
    .map(|k| serde_json::to_value(k).unwrap_or(serde_json::Value::Null));
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(kinds))
        .build()
}

vocabulary_schemas! {
    category, category_or_null, categories => passage_core::Category;
    report_status, report_status_or_null, report_statuses => passage_core::ReportStatus;
    reporter_type, reporter_type_or_null, reporter_types => passage_core::ReporterType;
    channel, channel_or_null, channels => passage_core::Channel;
}

/// An ISO 639 language code.
pub(crate) fn language_code() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[a-z]{2,3}$"))
        .description(Some("ISO 639 code of the narrative's language"))
        .build()
}

vocabulary_schemas! {
    document_kind, document_kind_or_null, document_kinds => passage_core::casework::DocumentKind;
    document_holder, document_holder_or_null, document_holders
        => passage_core::casework::DocumentHolder;
    vulnerability, vulnerability_or_null, vulnerabilities => passage_core::casework::Vulnerability;
    consent_purpose, consent_purpose_or_null, consent_purposes
        => passage_core::casework::ConsentPurpose;
    legal_basis, legal_basis_or_null, legal_bases => passage_core::casework::LegalBasis;
    correction_outcome, correction_outcome_or_null, correction_outcomes
        => passage_core::casework::corrections::CorrectionOutcome;
    consent_method_, consent_method_or_null, consent_methods
        => passage_core::casework::ConsentMethod;
    contact_kind, contact_kind_or_null, contact_kinds => passage_core::casework::person::ContactKind;
    protection_kind, protection_kind_or_null, protection_kinds
        => passage_core::casework::protection::ProtectionKind;
    protection_raised_by, protection_raised_by_or_null, protection_raised_bys
        => passage_core::casework::protection::RaisedBy;
    protection_status, protection_status_or_null, protection_statuses
        => passage_core::casework::protection::NeedStatus;
    protection_review_outcome, protection_review_outcome_or_null, protection_review_outcomes
        => passage_core::casework::protection::ReviewOutcome;
    fee_kind, fee_kind_or_null, fee_kinds => passage_core::labour::worker::FeeKind;
    contract_version, contract_version_or_null, contract_versions
        => passage_core::labour::worker::ContractVersion;
    wage_period, wage_period_or_null, wage_periods => passage_core::labour::WagePeriod;
    claim_kind, claim_kind_or_null, claim_kinds => passage_core::labour::remedies::ClaimKind;
    claim_subject, claim_subject_or_null, claim_subjects
        => passage_core::labour::remedies::ClaimSubject;
    claim_stage, claim_stage_or_null, claim_stages => passage_core::labour::remedies::ClaimStage;
}
