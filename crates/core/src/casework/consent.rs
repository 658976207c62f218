//! Consent and the other legal bases of processing (ICRC Handbook on data protection in
//! humanitarian action; IOM data protection principles). A consent is given for a purpose, a
//! referral consent names the organisation referred to, and any basis other than consent is
//! recorded with its reason. Withdrawal takes effect at once.

use crate::casework::person::language_code;
use crate::casework::{ConsentMethod, ConsentPurpose, LegalBasis};
use crate::validate::{Problems, text};
use serde::Deserialize;
use uuid::Uuid;

/// Longest reason for a basis other than consent.
pub const REASON_MAX: usize = 2_000;

/// A consent (or another legal basis) as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConsent {
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub organisation_id: Option<String>,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A validated consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    pub purpose: ConsentPurpose,
    pub organisation_id: Option<Uuid>,
    pub basis: LegalBasis,
    pub method: Option<ConsentMethod>,
    pub language: Option<String>,
    pub reason: Option<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// How the person agreed, by name; a problem on `method` otherwise.
fn parse_method(p: &mut Problems, m: &str) -> Option<ConsentMethod> {
    ConsentMethod::parse(m).or_else(|| {
        p.add(
            "method",
            crate::ErrorCode::InvalidValue,
            format!("method must be one of: {}", ConsentMethod::allowed()),
        );
        None
    })
}

/// The ISO 639 language the person was asked in; a problem on `language` otherwise.
fn parse_language(p: &mut Problems, l: &str) -> Option<String> {
    language_code(l).or_else(|| {
        p.add(
            "language",
            crate::ErrorCode::InvalidValue,
            "language must be an ISO 639 code such as en, fr, ar or tl",
        );
        None
    })
}

/// A person's agreement as submitted where the purpose is fixed by the request (being
/// connected with a partner who may hold their record): how it was given, required, and the
/// language the person was asked in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgreement {
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub language: Option<String>,
}

impl RawAgreement {
    pub fn validate(self) -> Result<(ConsentMethod, Option<String>), Problems> {
        let mut p = Problems::default();
        let method = match self.method.trim() {
            "" => {
                p.add(
                    "method",
                    crate::ErrorCode::Required,
                    format!("say how the person agreed: {}", ConsentMethod::allowed()),
                );
                None
            }
            m => parse_method(&mut p, m),
        };
        let language = blank(&self.language).and_then(|l| parse_language(&mut p, l));
        match method {
            Some(m) if p.0.is_empty() => Ok((m, language)),
            _ => Err(p),
        }
    }
}

impl RawConsent {
    pub fn validate(self) -> Result<NewConsent, Problems> {
        let mut p = Problems::default();
        let purpose = ConsentPurpose::parse(self.purpose.trim());
        if purpose.is_none() {
            p.add(
                "purpose",
                crate::ErrorCode::InvalidValue,
                format!("purpose must be one of: {}", ConsentPurpose::allowed()),
            );
        }
        let organisation_id = match blank(&self.organisation_id) {
            None => None,
            Some(o) => Uuid::parse_str(o).ok().or_else(|| {
                p.add(
                    "organisation_id",
                    crate::ErrorCode::InvalidId,
                    "organisation_id must be an organisation's id",
                );
                None
            }),
        };
        if purpose == Some(ConsentPurpose::Referral)
            && organisation_id.is_none()
            && blank(&self.organisation_id).is_none()
        {
            p.add(
                "organisation_id",
                crate::ErrorCode::Required,
                "a referral consent names the organisation the person agrees to be referred to",
            );
        }
        let basis = match blank(&self.basis) {
            None => Some(LegalBasis::Consent),
            Some(b) => LegalBasis::parse(b).or_else(|| {
                p.add(
                    "basis",
                    crate::ErrorCode::InvalidValue,
                    format!("basis must be one of: {}", LegalBasis::allowed()),
                );
                None
            }),
        };
        let method = blank(&self.method).and_then(|m| parse_method(&mut p, m));
        let language = blank(&self.language).and_then(|l| parse_language(&mut p, l));
        let reason = self
            .reason
            .as_deref()
            .and_then(|r| text(&mut p, "reason", r, false, REASON_MAX));
        if matches!(
            basis,
            Some(LegalBasis::BestInterestsOfChild | LegalBasis::VitalInterest)
        ) && reason.is_none()
            && !p.0.iter().any(|f| f.field == "reason")
        {
            p.add(
                "reason",
                crate::ErrorCode::Required,
                "a basis other than consent needs the reason it applies",
            );
        }
        p.finish(())?;
        Ok(NewConsent {
            purpose: purpose.unwrap_or(ConsentPurpose::Services),
            organisation_id,
            basis: basis.unwrap_or(LegalBasis::Consent),
            method,
            language,
            reason,
        })
    }
}

/// The audit action a record on this basis is logged under: consent as `consent.record`, any
/// other basis as `consent.legal_basis`, so overrides of a person's say can be reviewed apart.
pub fn audit_action(basis: LegalBasis) -> &'static str {
    match basis {
        LegalBasis::Consent => "consent.record",
        LegalBasis::BestInterestsOfChild | LegalBasis::VitalInterest => "consent.legal_basis",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw(purpose: &str) -> RawConsent {
        RawConsent {
            purpose: purpose.into(),
            ..Default::default()
        }
    }

    #[test]
    fn consent_is_the_default_basis() {
        let c = raw("services").validate().expect("valid");
        assert_eq!(c.basis, LegalBasis::Consent);
        assert_eq!(audit_action(c.basis), "consent.record");
    }

    #[test]
    fn a_referral_names_an_organisation() {
        let e = raw("referral").validate().expect_err("needs org");
        assert_eq!(e.0[0].field, "organisation_id");
        let org = Uuid::now_v7();
        let c = RawConsent {
            organisation_id: Some(org.to_string()),
            method: Some("verbal".into()),
            language: Some("TL".into()),
            ..raw("referral")
        }
        .validate()
        .expect("valid");
        assert_eq!(c.organisation_id, Some(org));
        assert_eq!(c.method, Some(ConsentMethod::Verbal));
        assert_eq!(c.language.as_deref(), Some("tl"));
    }

    #[test]
    fn other_bases_need_a_reason_and_are_audited_apart() {
        let e = RawConsent {
            basis: Some("vital_interest".into()),
            ..raw("services")
        }
        .validate()
        .expect_err("needs reason");
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code.as_str()),
            ("reason", "required")
        );
        let c = RawConsent {
            basis: Some("best_interests_of_child".into()),
            reason: Some("The child is 9 and alone; the guardian is not yet appointed.".into()),
            ..raw("referral")
        };
        let e = c.clone().validate().expect_err("referral still needs org");
        assert_eq!(e.0.len(), 1);
        let c = RawConsent {
            organisation_id: Some(Uuid::now_v7().to_string()),
            ..c
        }
        .validate()
        .expect("valid");
        assert_eq!(audit_action(c.basis), "consent.legal_basis");
    }

    #[test]
    fn bad_values_are_named() {
        let e = RawConsent {
            purpose: "marketing".into(),
            organisation_id: Some("acme".into()),
            basis: Some("contract".into()),
            method: Some("telepathy".into()),
            language: Some("english".into()),
            reason: None,
        }
        .validate()
        .expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["purpose", "organisation_id", "basis", "method", "language"]
        );
    }

    #[test]
    fn an_agreement_says_how_it_was_given() {
        let ok = RawAgreement {
            method: " verbal ".into(),
            language: Some("uk".into()),
        }
        .validate()
        .expect("valid");
        assert_eq!(ok, (ConsentMethod::Verbal, Some("uk".into())));
        let e = RawAgreement::default()
            .validate()
            .expect_err("method needed");
        assert_eq!(
            (e.0[0].field.as_str(), e.0[0].code.as_str()),
            ("method", "required")
        );
        let e = RawAgreement {
            method: "nod".into(),
            language: Some("ukrainian".into()),
        }
        .validate()
        .expect_err("both wrong");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["method", "language"]);
    }

    /// A purpose as a form would send it: mostly a word of the vocabulary (sometimes padded),
    /// otherwise anything at all.
    fn purpose() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(ConsentPurpose::ALL).prop_map(|p| p.as_str().to_string()),
            1 => proptest::sample::select(ConsentPurpose::ALL).prop_map(|p| format!(" {p} ")),
            1 => ".{0,20}",
        ]
    }

    /// A basis: absent, a word of the vocabulary, or anything at all.
    fn basis() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            1 => Just(None),
            3 => proptest::sample::select(LegalBasis::ALL).prop_map(|b| Some(b.as_str().to_string())),
            1 => proptest::option::of(".{0,30}"),
        ]
    }

    /// An organisation: absent, blank, an id, or anything at all.
    fn organisation() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            1 => Just(None),
            1 => Just(Some("  ".to_string())),
            2 => any::<u128>().prop_map(|n| Some(Uuid::from_u128(n).to_string())),
            1 => proptest::option::of(".{0,40}"),
        ]
    }

    /// A reason: absent, blank, a sentence, or anything at all.
    fn reason() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            1 => Just(None),
            1 => Just(Some(" ".to_string())),
            2 => "[A-Za-z][A-Za-z ]{0,39}".prop_map(Some),
            1 => proptest::option::of(".{0,40}"),
        ]
    }

    /// Whatever is submitted, validation never panics; and every consent it accepts keeps
    /// the rules: its purpose is the one submitted, a basis other than consent carries its
    /// reason, and a referral names its organisation. The run also counts the cases that were
    /// accepted, so the rules are checked on many consents and on each kind that has a rule,
    /// not vacuously on none.
    #[test]
    fn never_panics_and_other_bases_always_carry_a_reason() {
        use proptest::test_runner::{Config, TestRunner};
        use std::cell::Cell;
        let (accepted, other_basis, referral) = (Cell::new(0u32), Cell::new(0u32), Cell::new(0u32));
        let cases = 512;
        let mut runner = TestRunner::new(Config {
            cases,
            ..Config::default()
        });
        runner
            .run(
                &(purpose(), basis(), reason(), organisation()),
                |(purpose, basis, reason, org)| {
                    let submitted = ConsentPurpose::parse(purpose.trim());
                    let raw = RawConsent {
                        purpose,
                        basis,
                        reason,
                        organisation_id: org,
                        ..Default::default()
                    };
                    if let Ok(c) = raw.validate() {
                        accepted.set(accepted.get() + 1);
                        prop_assert_eq!(Some(c.purpose), submitted);
                        if c.basis != LegalBasis::Consent {
                            other_basis.set(other_basis.get() + 1);
                            prop_assert!(c.reason.as_deref().is_some_and(|r| !r.trim().is_empty()));
                        }
                        if c.purpose == ConsentPurpose::Referral {
                            referral.set(referral.get() + 1);
                            prop_assert!(c.organisation_id.is_some());
                        }
                    }
                    Ok(())
                },
            )
            .unwrap();
        // The generators make roughly a third of cases valid; demand a fair share of them,
        // and some of each kind the rules are about.
        assert!(
            accepted.get() >= cases / 8,
            "only {} of {cases} cases were accepted",
            accepted.get()
        );
        assert!(other_basis.get() >= 10, "{} other bases", other_basis.get());
        assert!(referral.get() >= 10, "{} referrals", referral.get());
    }
}
