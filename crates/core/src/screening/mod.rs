//! Screening: recognising trafficking and forced labour with versioned indicator instruments.
//!
//! An [`Instrument`] is data (TOML files in `crates/core/instruments/`, more from the data
//! directory): indicators, each in one dimension with a strength and a question in four
//! languages. [`evaluate`] turns answers into a result that explains itself: which indicators
//! made each dimension positive, which rule decided the conclusion, and which unanswered
//! indicators could still change it. A result never gates help: needs are assessed whatever it
//! says.

mod evaluate;
mod instrument;

pub use evaluate::{
    DimensionResult, Evaluation, GroupResult, ScreeningError, dimension_positive, evaluate,
};
pub use instrument::{
    BUILTIN, Catalogue, Dimension, Indicator, Instrument, InstrumentError, Localised, Rule, builtin,
};

use crate::vocab::vocabulary;

/// The dimension ids of the ILO/European Commission operational indicators (2009).
pub const ILO_DIMENSIONS: [&str; 6] = [
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "exploitative_conditions",
    "coercion_at_destination",
    "abuse_of_vulnerability_at_destination",
];

/// The interview languages every question is written in.
pub const LANGUAGES: [&str; 4] = ["en", "fr", "es", "ar"];

/// HTCDS 2.0 `vic_MethodsOfControl` picklist.
pub const METHODS_OF_CONTROL: [&str; 16] = [
    "PhysicalThreats",
    "ThreatsLawEnforcement",
    "ThreatensChildrenFamily",
    "DebtBondage",
    "FalsePromises",
    "PhysicalAbuse",
    "SexualAbuse",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "RestrictsMedicalCare",
    "WithholdsNecessities",
    "PsychologicalAbuse",
    "PsychoactiveSubstance",
    "ExcessiveWorkingHours",
    "WithholdsDocuments",
    "Other",
];

/// HTCDS 2.0 `vic_TypeOfExploitation` picklist.
pub const TYPES_OF_EXPLOITATION: [&str; 11] = [
    "ForcedLabour",
    "SexualExploitation",
    "ChildLabour",
    "ForcedMarriage",
    "Servitude",
    "ForcedMilitaryByNonStateActors",
    "OrganRemoval",
    "ForcedBegging",
    "ForcedAdoption",
    "Surrogacy",
    "Other",
];

vocabulary! {
    /// Who an instrument is written for. For children, means of coercion are not required.
    Population {
        Adult => "adult",
        Child => "child",
    }
}

vocabulary! {
    /// What an instrument looks for.
    Exploitation {
        Labour => "labour",
        Sexual => "sexual",
        ForcedLabour => "forced_labour",
        Hotline => "hotline",
    }
}

vocabulary! {
    /// How strongly an indicator points to trafficking (ILO/EC 2009).
    Strength {
        Strong => "strong",
        Medium => "medium",
        Weak => "weak",
    }
}

vocabulary! {
    /// An answer. Only `yes` counts; `declined` is the person's right and is never pressed.
    Answer {
        Yes => "yes",
        No => "no",
        Unknown => "unknown",
        Declined => "declined",
    }
}

vocabulary! {
    /// The conclusion of a screening, lowest first: the order is the one the monotonicity
    /// property speaks of.
    Conclusion {
        NoIndicators => "no_indicators",
        InsufficientInformation => "insufficient_information",
        IndicatorsPresent => "indicators_present",
        PresumedTrafficking => "presumed_trafficking",
    }
}
