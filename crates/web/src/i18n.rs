//! Translations for the public and the staff pages, from the Fluent files in `locales/`
//! (embedded at build time: adding a language is adding a file). Public pages choose the
//! language by `?lang=`, then `Accept-Language`, then English; staff pages put the user's saved
//! choice between the two (`kit::page::choose_language`). Staff messages are `staff-*`,
//! vocabulary labels `v-{kind}-{id}`. Placeables are not wrapped in isolation marks (HTML uses
//! `<bdi>` where direction matters).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

pub struct I18n {
    bundles: Vec<(String, FluentBundle<FluentResource>)>,
}

/// Scripts written right to left.
const RTL: &[&str] = &["ar", "fa", "he", "ps", "ur", "yi"];

/// The codes of the languages the pages are written in (one per locale file).
pub fn codes() -> impl Iterator<Item = &'static str> {
    embedded::LOCALES.iter().map(|(code, _)| *code)
}

impl I18n {
    pub fn load() -> I18n {
        let mut bundles = Vec::new();
        for (code, source) in embedded::LOCALES {
            let Ok(lang) = code.parse::<LanguageIdentifier>() else {
                tracing::error!(code, "locale file name is not a language tag; skipped");
                continue;
            };
            let resource = match FluentResource::try_new(source.to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    tracing::error!(
                        code,
                        errors = errors.len(),
                        "locale file has syntax errors; the rest is used"
                    );
                    r
                }
            };
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            bundle.set_use_isolating(false);
            if bundle.add_resource(resource).is_err() {
                tracing::error!(code, "locale file defines a message twice");
            }
            bundles.push((code.to_string(), bundle));
        }
        // English first: the fallback.
        bundles.sort_by_key(|(c, _)| (c != "en", c.clone()));
        I18n { bundles }
    }

    /// (code, own name) of every language, for the chooser.
    pub fn languages(&self) -> Vec<(String, String)> {
        self.bundles
            .iter()
            .map(|(c, _)| (c.clone(), self.t(c, "lang-name")))
            .collect()
    }

    pub fn has(&self, code: &str) -> bool {
        self.bundles.iter().any(|(c, _)| c == code)
    }

    /// The language to use: an explicit choice, else the browser's preference, else English.
    pub fn negotiate(&self, chosen: Option<&str>, accept_language: Option<&str>) -> String {
        if let Some(c) = chosen.map(|c| c.trim().to_ascii_lowercase())
            && self.has(&c)
        {
            return c;
        }
        let mut prefs: Vec<(f32, String)> = accept_language
            .unwrap_or("")
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim().to_ascii_lowercase();
                let q = it
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                let primary = tag.split('-').next()?.to_string();
                Some((q, primary))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        prefs
            .into_iter()
            .map(|(_, p)| p)
            .find(|p| self.has(p))
            .unwrap_or_else(|| "en".into())
    }

    /// A message in `lang`, falling back to English, then to its id.
    pub fn t(&self, lang: &str, id: &str) -> String {
        self.lookup(lang, id, None)
            .or_else(|| self.lookup("en", id, None))
            .unwrap_or_else(|| id.to_string())
    }

    /// A message in `lang` (falling back to English) only if it exists.
    pub fn find(&self, lang: &str, id: &str) -> Option<String> {
        self.lookup(lang, id, None)
            .or_else(|| self.lookup("en", id, None))
    }

    /// A message with its placeholders (`{ $count }`) filled, falling back as [`I18n::t`].
    pub fn t_args(&self, lang: &str, id: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            let text = v.to_string();
            // A small count is passed as a number, so plural forms (`[one]`, `[few]`…) choose
            // by it; anything else (ids, codes, zero-padded digits) stays text.
            let count = (!text.is_empty()
                && text.len() <= 9
                && text.bytes().all(|b| b.is_ascii_digit())
                && (text == "0" || !text.starts_with('0')))
            .then(|| text.parse::<i64>().ok())
            .flatten();
            match count {
                Some(n) => fargs.set(*k, FluentValue::from(n)),
                None => fargs.set(*k, FluentValue::from(text)),
            }
        }
        self.lookup(lang, id, Some(&fargs))
            .or_else(|| self.lookup("en", id, Some(&fargs)))
            .unwrap_or_else(|| id.to_string())
    }

    /// The label of a vocabulary value (message `v-{kind}-{id}`), falling back to English, then
    /// to the id written as words: a value is never shown by its id.
    pub fn label(&self, lang: &str, kind: &str, id: &str) -> String {
        let key = format!("v-{kind}-{id}");
        self.lookup(lang, &key, None)
            .or_else(|| self.lookup("en", &key, None))
            .unwrap_or_else(|| {
                let words = id.replace('_', " ");
                let mut c = words.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            })
    }

    fn lookup(&self, code: &str, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (_, bundle) = self.bundles.iter().find(|(c, _)| c == code)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        Some(
            bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned(),
        )
    }

    pub fn dir(lang: &str) -> &'static str {
        if RTL.contains(&lang) { "rtl" } else { "ltr" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<String> {
        source
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    #[test]
    fn every_language_translates_every_message() {
        let en = embedded::LOCALES
            .iter()
            .find(|(c, _)| *c == "en")
            .expect("English")
            .1;
        for (code, source) in embedded::LOCALES {
            assert!(
                FluentResource::try_new(source.to_string()).is_ok(),
                "{code} has syntax errors"
            );
            assert_eq!(
                ids(source),
                ids(en),
                "{code} must have the same messages as English, in order"
            );
        }
        assert!(embedded::LOCALES.len() >= 4);
    }

    /// The `{ $name }` placeholders of every message whose id starts with `prefix`.
    fn placeholders(source: &str, prefix: &str) -> Vec<(String, Vec<String>)> {
        source
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| {
                let mut names: Vec<String> = v
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split('}').next())
                    .map(|p| p.trim().to_string())
                    .collect();
                names.sort();
                (k.trim().to_string(), names)
            })
            .collect()
    }

    #[test]
    fn every_staff_message_is_in_every_language_with_the_same_placeholders() {
        let en = embedded::LOCALES
            .iter()
            .find(|(c, _)| *c == "en")
            .expect("English")
            .1;
        let staff = placeholders(en, "staff-");
        assert!(staff.len() > 50, "the staff pages are translated");
        for (code, source) in embedded::LOCALES {
            assert_eq!(
                placeholders(source, "staff-"),
                staff,
                "{code}: staff messages and their placeholders must match English"
            );
            // A translation, not a copy: most staff messages differ from English.
            if *code != "en" {
                let ours = placeholders(source, "staff-");
                let bundle_en: Vec<_> = en.lines().filter(|l| l.starts_with("staff-")).collect();
                let same = source
                    .lines()
                    .filter(|l| l.starts_with("staff-"))
                    .filter(|l| bundle_en.contains(l))
                    .count();
                assert!(
                    same * 10 < ours.len(),
                    "{code} copies English: {same} lines"
                );
            }
        }
    }

    #[test]
    fn every_vocabulary_value_has_a_label_in_every_language() {
        use passage_core::casework as cw;
        use passage_core::screening as sc;
        use passage_core::services as sv;
        fn all<T: Copy + std::fmt::Display>(values: &[T]) -> Vec<String> {
            values.iter().map(ToString::to_string).collect()
        }
        let vocabularies: Vec<(&str, Vec<String>)> = vec![
            ("org_kind", all(passage_core::OrgKind::ALL)),
            ("role", all(passage_core::Role::ALL)),
            ("case_type", all(passage_core::CaseType::ALL)),
            ("stage", all(passage_core::Stage::ALL)),
            ("sex", all(passage_core::Sex::ALL)),
            ("case_status", all(passage_core::CaseStatus::ALL)),
            ("category", all(passage_core::Category::ALL)),
            ("channel", all(passage_core::Channel::ALL)),
            ("reporter", all(passage_core::ReporterType::ALL)),
            ("urgency", all(passage_core::Urgency::ALL)),
            ("report_status", all(passage_core::ReportStatus::ALL)),
            ("risk", all(cw::RiskLevel::ALL)),
            ("vulnerability", all(cw::Vulnerability::ALL)),
            ("need", all(cw::NeedDomain::ALL)),
            ("identification", all(cw::IdentificationStatus::ALL)),
            ("outcome", all(cw::Outcome::ALL)),
            ("consent_purpose", all(cw::ConsentPurpose::ALL)),
            ("legal_basis", all(cw::LegalBasis::ALL)),
            ("consent_method", all(cw::ConsentMethod::ALL)),
            ("document_holder", all(cw::DocumentHolder::ALL)),
            ("document_kind", all(cw::DocumentKind::ALL)),
            ("confidentiality", all(cw::Confidentiality::ALL)),
            ("service", all(cw::ServiceType::ALL)),
            ("attachment_kind", all(cw::AttachmentKind::ALL)),
            ("contact", all(cw::person::ContactKind::ALL)),
            ("protection_kind", all(cw::protection::ProtectionKind::ALL)),
            ("protection_raised_by", all(cw::protection::RaisedBy::ALL)),
            ("protection_status", all(cw::protection::NeedStatus::ALL)),
            (
                "protection_review_outcome",
                all(cw::protection::ReviewOutcome::ALL),
            ),
            ("separation_reason", all(cw::tracing::SeparationReason::ALL)),
            ("tracing_status", all(cw::tracing::TracingStatus::ALL)),
            ("family_relation", all(cw::tracing::FamilyRelation::ALL)),
            ("member_status", all(cw::tracing::MemberStatus::ALL)),
            ("assessment_method", all(cw::tracing::AssessmentMethod::ALL)),
            ("return_risk", all(cw::returns::ReturnRisk::ALL)),
            ("family_willing", all(cw::returns::FamilyWilling::ALL)),
            ("return_choice", all(cw::returns::ReturnChoice::ALL)),
            ("document_status", all(cw::returns::DocumentStatus::ALL)),
            ("visit_month", all(cw::returns::VisitMonth::ALL)),
            ("reintegration_dimension", all(cw::returns::Dimension::ALL)),
            ("permit_kind", all(cw::permits::PermitKind::ALL)),
            ("permit_status", all(cw::permits::PermitStatus::ALL)),
            ("proceeding_kind", all(cw::proceedings::ProceedingKind::ALL)),
            (
                "proceeding_stage",
                all(cw::proceedings::ProceedingStage::ALL),
            ),
            ("victim_role", all(cw::proceedings::VictimRole::ALL)),
            ("measure_kind", all(cw::proceedings::MeasureKind::ALL)),
            ("measure_status", all(cw::proceedings::MeasureStatus::ALL)),
            ("hearing_kind", all(cw::proceedings::HearingKind::ALL)),
            (
                "proceeding_outcome",
                all(cw::proceedings::ProceedingOutcome::ALL),
            ),
            (
                "perpetrator_role",
                all(cw::proceedings::PerpetratorRole::ALL),
            ),
            ("age_band", all(cw::proceedings::AgeBand::ALL)),
            (
                "perpetrator_relation",
                all(cw::proceedings::PerpetratorRelation::ALL),
            ),
            (
                "cooperation_stance",
                all(cw::proceedings::CooperationStance::ALL),
            ),
            ("fee_kind", all(passage_core::labour::worker::FeeKind::ALL)),
            ("wage_period", all(passage_core::labour::WagePeriod::ALL)),
            (
                "contract_version",
                all(passage_core::labour::worker::ContractVersion::ALL),
            ),
            (
                "contract_term",
                passage_core::labour::worker::Term::ALL
                    .iter()
                    .map(|t| t.as_str().to_string())
                    .collect(),
            ),
            (
                "claim_kind",
                all(passage_core::labour::remedies::ClaimKind::ALL),
            ),
            (
                "claim_subject",
                all(passage_core::labour::remedies::ClaimSubject::ALL),
            ),
            (
                "claim_stage",
                all(passage_core::labour::remedies::ClaimStage::ALL),
            ),
            (
                "visit_status",
                all(passage_core::labour::inspection::VisitStatus::ALL),
            ),
            (
                "law_category",
                all(passage_core::labour::inspection::LawCategory::ALL),
            ),
            (
                "subject_kind",
                all(passage_core::oversight::investigations::SubjectKind::ALL),
            ),
            (
                "authority_kind",
                all(passage_core::oversight::investigations::AuthorityKind::ALL),
            ),
            (
                "investigation_status",
                all(passage_core::oversight::investigations::InvestigationStatus::ALL),
            ),
            (
                "finding_outcome",
                all(passage_core::oversight::investigations::FindingOutcome::ALL),
            ),
            (
                "follow_up_state",
                all(passage_core::oversight::investigations::FollowUpState::ALL),
            ),
            (
                "fl_indicator",
                all(passage_core::labour::inspection::FORCED_LABOUR_INDICATORS),
            ),
            (
                "risk_factor",
                all(&[
                    passage_core::labour::inspection::FACTOR_COMPLAINTS,
                    passage_core::labour::inspection::FACTOR_INDICATORS,
                    passage_core::labour::inspection::FACTOR_LICENCE,
                    passage_core::labour::inspection::FACTOR_LAST_VISIT,
                ]),
            ),
            ("population", all(sc::Population::ALL)),
            ("exploitation", all(sc::Exploitation::ALL)),
            ("strength", all(sc::Strength::ALL)),
            ("answer", all(sc::Answer::ALL)),
            ("conclusion", all(sc::Conclusion::ALL)),
            ("service_kind", all(sv::ServiceKind::ALL)),
            ("service_sex", all(sv::ServedSex::ALL)),
            ("service_ages", all(sv::AgeGroup::ALL)),
            (
                "transfer_status",
                all(passage_core::transfers::TransferStatus::ALL),
            ),
            ("share_field", all(passage_core::referrals::ShareField::ALL)),
            (
                "correction_outcome",
                all(passage_core::casework::corrections::CorrectionOutcome::ALL),
            ),
            (
                "referral_status",
                all(passage_core::referrals::ReferralStatus::ALL),
            ),
        ];
        let i = I18n::load();
        for (code, source) in embedded::LOCALES {
            for (kind, ids) in &vocabularies {
                for id in ids {
                    let key = format!("v-{kind}-{id}");
                    assert!(
                        source.lines().any(|l| l.starts_with(&format!("{key} = "))),
                        "{code} has no label for {key}"
                    );
                }
            }
        }
        assert_eq!(
            i.label("en", "case_type", "labour_exploitation"),
            "Labour exploitation"
        );
        assert_eq!(i.label("fr", "case_status", "closed"), "Clos");
        assert_eq!(i.label("en", "no_such_kind", "some_value"), "Some value");
    }

    #[test]
    fn negotiation_and_direction() {
        let i = I18n::load();
        assert_eq!(i.negotiate(Some("AR"), None), "ar");
        assert_eq!(
            i.negotiate(Some("xx"), Some("es-MX,es;q=0.9,en;q=0.5")),
            "es"
        );
        assert_eq!(i.negotiate(None, Some("de-DE, fr;q=0.8")), "fr");
        assert_eq!(i.negotiate(None, None), "en");
        assert_eq!(I18n::dir("ar"), "rtl");
        assert_eq!(i.t("fr", "reply-submit"), "Envoyer");
        assert_eq!(i.t("fr", "no-such-message"), "no-such-message");
    }
}
