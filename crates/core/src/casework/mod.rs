//! Case management rules: the vocabularies of casework, the case lifecycle, deadlines from
//! jurisdiction profiles and the calendar arithmetic they need. Pure; the store applies them.

pub mod calendar;
pub mod changes;
pub mod child;
pub mod consent;
pub mod corrections;
pub mod deadlines;
pub mod files;
pub mod lifecycle;
pub mod notes;
pub mod pdf;
pub mod permits;
pub mod person;
pub mod proceedings;
pub mod protection;
pub mod retention;
pub mod returns;
pub mod tracing;

use crate::vocab::vocabulary;

vocabulary! {
    /// How much danger the person is in; high risk closes only with a supervisor's approval.
    RiskLevel {
        Low => "low",
        Medium => "medium",
        High => "high",
    }
}

vocabulary! {
    /// Vulnerabilities of a person (DESIGN.md vocabulary).
    Vulnerability {
        Child => "child",
        UnaccompaniedOrSeparatedChild => "unaccompanied_or_separated_child",
        Pregnancy => "pregnancy",
        Disability => "disability",
        SeriousIllness => "serious_illness",
        OlderPerson => "older_person",
        DomesticWorker => "domestic_worker",
        GbvSurvivor => "gbv_survivor",
    }
}

vocabulary! {
    /// The domains of a needs assessment.
    NeedDomain {
        Safety => "safety",
        Shelter => "shelter",
        Health => "health",
        MentalHealthPsychosocial => "mental_health_psychosocial",
        Legal => "legal",
        Documentation => "documentation",
        Livelihood => "livelihood",
        Education => "education",
        Family => "family",
    }
}

vocabulary! {
    /// Identification status, HTCDS `vic_TraffickingStatus`.
    IdentificationStatus {
        PossibleVictim => "possible_victim",
        ActualVictim => "actual_victim",
        NotAVictim => "not_a_victim",
    }
}

vocabulary! {
    /// The durable solution a case closes with.
    Outcome {
        StayWithResidence => "stay_with_residence",
        AsylumClaim => "asylum_claim",
        ReturnWithReintegration => "return_with_reintegration",
        Resettlement => "resettlement",
        LocalIntegration => "local_integration",
        LostContact => "lost_contact",
        Other => "other",
    }
}

vocabulary! {
    /// The purpose a consent is given for.
    ConsentPurpose {
        Services => "services",
        Referral => "referral",
        CrossBorderSharing => "cross_border_sharing",
        Statistics => "statistics",
    }
}

vocabulary! {
    /// The legal basis of processing or sharing: consent, or another basis recorded with a
    /// reason (ICRC Handbook; IOM principles).
    LegalBasis {
        Consent => "consent",
        BestInterestsOfChild => "best_interests_of_child",
        VitalInterest => "vital_interest",
    }
}

vocabulary! {
    /// How a consent was given or withdrawn.
    ConsentMethod {
        Verbal => "verbal",
        Written => "written",
        Digital => "digital",
    }
}

vocabulary! {
    /// Who holds an identity document. Anyone but the person is a key indicator of control.
    DocumentHolder {
        Person => "person",
        Employer => "employer",
        Recruiter => "recruiter",
        Authorities => "authorities",
        Organisation => "organisation",
        Other => "other",
        Unknown => "unknown",
    }
}

vocabulary! {
    /// Kinds of identity document.
    DocumentKind {
        Passport => "passport",
        NationalId => "national_id",
        ResidencePermit => "residence_permit",
        WorkPermit => "work_permit",
        Visa => "visa",
        BirthCertificate => "birth_certificate",
        Other => "other",
    }
}

vocabulary! {
    /// Who may read a note: `normal` every reader of the case; `restricted` the case's own
    /// organisation; `sensitive` its author and the organisation's supervisors.
    Confidentiality {
        Normal => "normal",
        Restricted => "restricted",
        Sensitive => "sensitive",
    }
}

vocabulary! {
    /// Services delivered to a person.
    ServiceType {
        Shelter => "shelter",
        Medical => "medical",
        Psychosocial => "psychosocial",
        Legal => "legal",
        Interpretation => "interpretation",
        Documentation => "documentation",
        Financial => "financial",
        Livelihood => "livelihood",
        Education => "education",
        FamilyTracing => "family_tracing",
        Return => "return",
        Other => "other",
    }
}

vocabulary! {
    /// What kind of document an attachment is, chosen when it is uploaded.
    AttachmentKind {
        IdentityDocument => "identity_document",
        TravelDocument => "travel_document",
        EmploymentContract => "employment_contract",
        Payslip => "payslip",
        MedicalRecord => "medical_record",
        LegalDocument => "legal_document",
        PoliceReport => "police_report",
        PhotoEvidence => "photo_evidence",
        Correspondence => "correspondence",
        Other => "other",
    }
}
