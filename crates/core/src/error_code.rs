//! The one list of error codes Passage answers with: stable snake_case spellings that clients,
//! pages and tests choose by, never by a message's text. Core rules, the store and the web
//! layer all name their refusals with a variant here; the OpenAPI document lists every code
//! with its meaning; a test in the web crate checks that each one is produced somewhere.
//!
//! A spelling, once released, never changes: add a variant rather than rename one.

use serde::{Serialize, Serializer};

macro_rules! codes {
    ($( $variant:ident = $code:literal : $meaning:literal ),+ $(,)?) => {
        /// A stable error code. See the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $( #[doc = $meaning] $variant ),+
        }

        impl ErrorCode {
            /// Every code, in the order of the list.
            pub const ALL: &'static [ErrorCode] = &[$( ErrorCode::$variant ),+];

            /// The code's stable spelling.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code ),+ }
            }

            /// What the code means, for the API document.
            pub const fn meaning(self) -> &'static str {
                match self { $( ErrorCode::$variant => $meaning ),+ }
            }
        }
    };
}

codes! {
    // Requests and sessions
    NotFound = "not_found": "There is no such record, or the caller may not see it; the two are indistinguishable.",
    Unauthenticated = "unauthenticated": "No valid session or bearer token.",
    InvalidCredentials = "invalid_credentials": "The e-mail address or password is wrong.",
    SecondFactorRequired = "second_factor_required": "The password is right and this user must also give a one-time code (`totp`), or first enrol a second factor on the sign-in page.",
    Forbidden = "forbidden": "The caller's roles do not allow this (the body's `reason` says whether the immigration firewall refused it).",
    CsrfFailed = "csrf_failed": "A form's anti-forgery token is missing or stale.",
    RateLimited = "rate_limited": "Too many attempts from this client; wait and retry.",
    TooManyAttempts = "too_many_attempts": "Recent failed attempts from this client call for a wait; retry after the seconds in `Retry-After`.",
    TooFast = "too_fast": "A public report was sent sooner after its form token was issued than a person could write it; wait (`Retry-After`) and send again.",
    FormTokenInvalid = "form_token_invalid": "A public report's form token is missing, forged or older than a day; fetch a new one.",
    ServerBusy = "server_busy": "The server is at its limit of concurrent password and receipt checks; retry shortly.",
    StorageFull = "storage_full": "The database's disk is full: nothing was written; retry once the operator has freed space (the server resumes by itself).",
    DatabaseUnavailable = "database_unavailable": "The database cannot be reached (restarting, or the connection is lost): nothing was written; retry shortly.",
    InternalError = "internal_error": "A fault on the server; nothing acknowledged was lost.",
    BadSignature = "bad_signature": "A gateway callback's signature does not verify.",
    BodyTooLarge = "body_too_large": "The request body exceeds the limit.",
    MalformedJson = "malformed_json": "The body is not the JSON this route expects.",
    MalformedMultipart = "malformed_multipart": "The multipart upload could not be read.",
    InvalidBody = "invalid_body": "The body could not be read.",
    UnreadableBody = "unreadable_body": "The body is not valid text in the declared encoding.",
    UnsupportedMediaType = "unsupported_media_type": "The body's content type is not accepted here.",
    InvalidForm = "invalid_form": "A posted form does not match this server's page; reload it.",
    InvalidQuery = "invalid_query": "A query parameter has a value that cannot be used.",
    PeriodNotReleased = "period_not_released": "Figures are released by whole months once a month has ended; the period asked for has no released month yet.",
    PrivacyBudgetSpent = "privacy_budget_spent": "A differentially private release would spend more of its dataset's privacy budget (epsilon) than is left; the message says what is left.",
    MissingFields = "missing_fields": "A gateway message lacks a required field.",
    MissingUrn = "missing_urn": "A gateway message lacks the sender's address.",
    // Validation of fields
    ValidationFailed = "validation_failed": "One or more fields are invalid; `fields` lists them.",
    Required = "required": "A required field is empty.",
    InvalidValue = "invalid_value": "A value is not one of those allowed.",
    UnknownValue = "unknown_value": "A value is not in the vocabulary.",
    InvalidId = "invalid_id": "An identifier does not parse.",
    InvalidDate = "invalid_date": "A date does not parse or is impossible.",
    InFuture = "in_future": "A date lies in the future.",
    InTheFuture = "in_the_future": "A decision or event is dated in the future.",
    InvalidCharacters = "invalid_characters": "A value holds characters that are not allowed.",
    InvalidContact = "invalid_contact": "A contact detail is not a phone number, e-mail or handle.",
    InvalidCountry = "invalid_country": "Not an ISO 3166 country code.",
    InvalidEmail = "invalid_email": "Not an e-mail address.",
    NotLatin = "not_latin": "A transliterated name holds non-Latin letters.",
    TooLong = "too_long": "A value is longer than allowed.",
    TooMany = "too_many": "A list has more entries than allowed.",
    PasswordTooShort = "password_too_short": "The password is shorter than the minimum.",
    PasswordTooLong = "password_too_long": "The password is longer than the maximum.",
    QueryTooShort = "query_too_short": "A search needs more characters.",
    UnsupportedLanguage = "unsupported_language": "The language is not one Passage speaks.",
    Unsupported = "unsupported": "The operation is not supported for this record.",
    Unknown = "unknown": "The value names nothing known.",
    // Records and rules
    Conflict = "conflict": "A unique value is taken.",
    VersionConflict = "version_conflict": "The record changed since it was read; nothing was written.",
    ImmigrationFirewall = "immigration_firewall": "Personal data never goes to immigration enforcement.",
    UnknownCase = "unknown_case": "The case does not exist or may not be seen.",
    UnknownPerson = "unknown_person": "The person does not exist or may not be seen.",
    UnknownUser = "unknown_user": "The user does not exist in this organisation.",
    UnknownOrganisation = "unknown_organisation": "The organisation does not exist.",
    UnknownReceipt = "unknown_receipt": "No report has this receipt and passphrase.",
    RoleNotGrantable = "role_not_grantable": "This role cannot be given by this administrator.",
    RoleNotAllowed = "role_not_allowed": "Organisations of this kind do not hold this role.",
    EnrolmentInvalid = "enrolment_invalid": "The enrolment link is unknown, used or expired.",
    InvalidCode = "invalid_code": "The one-time code is wrong or was used already.",
    CannotDisableSelf = "cannot_disable_self": "An administrator cannot disable their own account.",
    NotAssignable = "not_assignable": "The person cannot be assigned this work.",
    ConfidentialityNotAllowed = "confidentiality_not_allowed": "The writer may not choose this confidentiality.",
    AlreadyDone = "already_done": "The item is done already.",
    AlreadyUndone = "already_undone": "The item is not done.",
    AlreadyDecided = "already_decided": "The approval or signal was decided already.",
    AlreadyLinked = "already_linked": "The records are linked already.",
    NeedNotRecorded = "need_not_recorded": "A plan item needs its need recorded first.",
    TransitionNotAllowed = "transition_not_allowed": "A case cannot move from its status to that one.",
    ReasonRequired = "reason_required": "This move needs a reason.",
    OutcomeRequired = "outcome_required": "Closing a case needs an outcome.",
    SupervisorApprovalRequired = "supervisor_approval_required": "Closing a high-risk or child case needs a supervisor's approval.",
    SupervisorRequired = "supervisor_required": "Only a supervisor of the case's organisation may sign off.",
    OwnDecision = "own_decision": "Nobody signs off their own decision.",
    AlreadySignedOff = "already_signed_off": "The decision is signed off already.",
    EmptyFile = "empty_file": "The uploaded file is empty.",
    FileTooLarge = "file_too_large": "The uploaded file is larger than allowed.",
    UnsupportedFileType = "unsupported_file_type": "The file's type is not accepted.",
    MalformedFile = "malformed_file": "The file's content does not match its type.",
    MetadataNotRemovable = "metadata_not_removable": "The file's hidden metadata (a PDF's author, dates, XMP) cannot be removed safely, so it is not stored: an encrypted PDF, or one whose document information is in a compressed object stream.",
    SignalClosed = "signal_closed": "The partner signal is closed.",
    InternationalProtection = "international_protection": "The person has international protection needs concerning the receiving organisation's country: a case is never referred, transferred or shown to a consulate or other authority of a country the person fled.",
    ProtectionNeedEnded = "protection_need_ended": "The international protection need has ended: it is no longer reviewed, ended again or referred for; record a new need if the person needs protection again.",
    HandoverNotAllowed = "handover_not_allowed": "The report cannot be handed over: the organisation does not receive reports (a consulate, law enforcement, a ministry, the report's own organisation), or the report is closed.",
    ServiceFull = "service_full": "No place is free at the service: choose another or ask when one frees.",
    ConsentRequired = "consent_required": "Sharing on consent needs the person's consent naming that organisation recorded first.",
    TransferPending = "transfer_pending": "The case is already in a transfer waiting for the receiver's answer.",
    LegalHold = "legal_hold": "A case of the person is under a legal hold: the person is not erased until a supervisor lifts the hold.",
    CaseClosed = "case_closed": "The case is closed: it is not transferred.",
    PersonHasOtherCases = "person_has_other_cases": "The person has other cases at this organisation: a transfer moves the person with the case, so transfer or close those first.",
    NonRefoulement = "non_refoulement": "A return is never planned to a country the person has international protection needs concerning (non-refoulement).",
    ReturnNotChosen = "return_not_chosen": "A return plan goes ahead only when the person's latest recorded choice is to return, made voluntarily.",
    OwnOrganisation = "own_organisation": "The case already belongs to this organisation.",
    // Oversight
    RecommendationsPending = "recommendations_pending": "An investigation closes once every recommendation's follow-up is past pending, or with a reason for closing.",
    InvestigationClosed = "investigation_closed": "The investigation is closed: nothing more is recorded on it.",
    // Labour
    UnknownCurrency = "unknown_currency": "An amount's currency is not an ISO 4217 code.",
    JointWithEnforcement = "joint_with_enforcement": "A visit to an entity that workers' complaints name is never joint with immigration enforcement: it would turn a complaint into a raid.",
    NegativeAmount = "negative_amount": "An amount or a count is negative; a sum is recorded as what it is, and which way it went is said by the record.",
    // Screening
    UnknownInstrument = "unknown_instrument": "No screening instrument by that id.",
    InstrumentUnavailable = "instrument_unavailable": "The instrument is not available in this language.",
    InstrumentChanged = "instrument_changed": "The instrument changed since the screening began.",
    UnknownIndicator = "unknown_indicator": "An answer names an indicator the instrument lacks.",
    InvalidAnswer = "invalid_answer": "An answer is not one the question allows.",
    ScreeningInProgress = "screening_in_progress": "The screening is not finished.",
    ScreeningCompleted = "screening_completed": "The screening is finished and cannot change.",
}

impl ErrorCode {
    /// The code of a spelling, if it is one.
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_unique_snake_case_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        assert!(ErrorCode::ALL.len() > 50);
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} is listed twice");
            assert!(
                !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{s} is not snake_case"
            );
            assert!(!s.starts_with('_') && !s.ends_with('_') && !s.contains("__"));
            assert_eq!(ErrorCode::parse(s), Some(*code));
            assert!(!code.meaning().is_empty());
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }

    #[test]
    fn serialises_as_its_spelling() {
        let json = serde_json_like(ErrorCode::VersionConflict);
        assert_eq!(json, "version_conflict");
    }

    fn serde_json_like(c: ErrorCode) -> String {
        // toml is core's only serialiser; a string value round-trips through it unchanged.
        #[derive(Serialize)]
        struct W {
            c: ErrorCode,
        }
        let t = toml::to_string(&W { c }).expect("serialise");
        t.trim()
            .trim_start_matches("c = ")
            .trim_matches('"')
            .to_string()
    }
}
