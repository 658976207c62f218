//! International protection needs, and the rule that reads them.
//!
//! A person who seeks asylum, is a refugee or fears return has a need for international
//! protection concerning one or more countries: the countries they fled. The danger is that
//! the state they fled learns where they are or what they told. So a case with such a need is
//! never referred, transferred or shown to an *authority* of a listed country — its consulate
//! above all — whatever a consent says (a consent given under pressure from that state's
//! officials is exactly what the rule guards against).
//!
//! Which organisations are authorities of a state ([`is_state_authority`]): every kind that is
//! an organ of a state — consulate, ministry, law enforcement, immigration enforcement, labour
//! inspectorate and ombudsperson. An ombudsperson or inspectorate is independent at home, but
//! still an organ of the state it belongs to, and a refugee's file in the hands of the state
//! they fled is the harm whichever organ holds it. NGOs, hotlines, service providers and
//! international organisations are not authorities: they are reached only with consent, as
//! always. Immigration enforcement is refused anything personal by the firewall in any case.
//!
//! Whose country an organisation is: an organisation's `country` is the state it belongs to —
//! for a consulate, the state it represents (the Philippine consulate in Lisbon is `PH`), for
//! the others the state where they act. An authority of a country that is *not* listed (the
//! host country's inspectorate, another state's consulate) is not touched by this rule.

use crate::casework::calendar::{Day, date_field};
use crate::validate::{Problems, text};
use crate::vocab::vocabulary;
use crate::{Country, OrgKind};
use serde::Deserialize;

vocabulary! {
    /// Why the person needs international protection.
    ProtectionKind {
        AsylumSeeker => "asylum_seeker",
        Refugee => "refugee",
        FearOfReturn => "fear_of_return",
    }
}

vocabulary! {
    /// Who raised the need: the person themself, or someone for them.
    RaisedBy {
        ThePerson => "the_person",
        Caseworker => "caseworker",
        LegalRepresentative => "legal_representative",
        RefugeeAgency => "refugee_agency",
        Other => "other",
    }
}

vocabulary! {
    /// Whether a need counts for the rule: in force until a supervisor ends it.
    NeedStatus {
        InForce => "in_force",
        Ended => "ended",
    }
}

vocabulary! {
    /// What a review found: the need stands as it was, it changed (its countries or kind), or
    /// it is over (a review cannot end a need by itself: ending is a supervisor's, with a
    /// reason; a review that finds it over asks for that).
    ReviewOutcome {
        Confirmed => "confirmed",
        Changed => "changed",
        Ended => "ended",
    }
}

/// Most countries one protection need lists.
pub const COUNTRIES_MAX: usize = 10;
/// Longest reason, in characters.
pub const REASON_MAX: usize = 2_000;

/// A protection need as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProtectionNeed {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub reason: String,
    /// Who raised it; blank is `caseworker` (the need was recorded by the case's staff).
    #[serde(default)]
    pub raised_by: String,
    /// When the need is first to be reviewed (`YYYY-MM-DD`), if a review is planned.
    #[serde(default)]
    pub next_review_on: String,
}

/// A validated protection need: the kind, the countries the person fled (at least one, no
/// repeats, in the order given), the reason (sealed at rest), who raised it and when it is
/// first reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProtectionNeed {
    pub kind: ProtectionKind,
    pub countries: Vec<Country>,
    pub reason: String,
    pub raised_by: RaisedBy,
    pub next_review_on: Option<Day>,
}

impl RawProtectionNeed {
    /// Checks every field and reports every problem at once.
    pub fn validate(self) -> Result<NewProtectionNeed, Problems> {
        let mut p = Problems::default();
        let kind = crate::validate::required_value(
            &mut p,
            "kind",
            &self.kind,
            ProtectionKind::parse,
            || format!("kind must be one of {}", ProtectionKind::allowed()),
        );
        let countries = countries_field(&mut p, &self.countries, true);
        let reason = text(&mut p, "reason", &self.reason, true, REASON_MAX);
        let raised_by = if self.raised_by.trim().is_empty() {
            Some(RaisedBy::Caseworker)
        } else {
            crate::validate::required_value(
                &mut p,
                "raised_by",
                &self.raised_by,
                RaisedBy::parse,
                || format!("raised_by must be one of {}", RaisedBy::allowed()),
            )
        };
        let next = date_field(&mut p, "next_review_on", &self.next_review_on, false);
        p.finish(())?;
        Ok(NewProtectionNeed {
            kind: kind.unwrap_or(ProtectionKind::FearOfReturn),
            countries,
            reason: reason.unwrap_or_default(),
            raised_by: raised_by.unwrap_or(RaisedBy::Caseworker),
            next_review_on: next.flatten(),
        })
    }
}

/// The countries as typed: ISO codes, once each in the order given, at most
/// [`COUNTRIES_MAX`]; at least one when `required`.
fn countries_field(p: &mut Problems, raw: &[String], required: bool) -> Vec<Country> {
    let mut countries: Vec<Country> = Vec::new();
    let mut bad = false;
    for raw in raw {
        match Country::parse(raw) {
            Some(c) if !countries.contains(&c) => countries.push(c),
            Some(_) => {}
            None => bad = true,
        }
    }
    if bad {
        p.add(
            "countries",
            crate::ErrorCode::InvalidCountry,
            "countries must be ISO 3166-1 alpha-2 codes",
        );
    } else if countries.is_empty() && required {
        p.add(
            "countries",
            crate::ErrorCode::Required,
            "name at least one country the person fled or fears return to",
        );
    } else if countries.len() > COUNTRIES_MAX {
        p.add(
            "countries",
            crate::ErrorCode::TooMany,
            format!("at most {COUNTRIES_MAX} countries"),
        );
    }
    countries
}

/// Longest review note or end reason, in characters.
pub const NOTE_MAX: usize = 4_000;

/// A review as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub reviewed_on: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
    /// `YYYY-MM-DD`; blank when no further review is planned.
    #[serde(default)]
    pub next_review_on: String,
    /// For an outcome `changed`: the countries from now on (blank keeps them).
    #[serde(default)]
    pub countries: Vec<String>,
}

/// A validated review: the day, the outcome, the note (sealed), the next review day (not
/// before the review), and for `changed` the new countries if they changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub reviewed_on: Day,
    pub outcome: ReviewOutcome,
    pub note: String,
    pub next_review_on: Option<Day>,
    pub countries: Option<Vec<Country>>,
}

impl RawReview {
    /// Checks every field and reports every problem at once. A review on `today` or before;
    /// the next review after the review.
    pub fn validate(self, today: Day) -> Result<NewReview, Problems> {
        let mut p = Problems::default();
        let on = date_field(&mut p, "reviewed_on", &self.reviewed_on, true).flatten();
        if on.is_some_and(|d| d > today) {
            p.add(
                "reviewed_on",
                crate::ErrorCode::InvalidDate,
                "a review is recorded once it has taken place",
            );
        }
        let outcome = crate::validate::required_value(
            &mut p,
            "outcome",
            &self.outcome,
            ReviewOutcome::parse,
            || format!("outcome must be one of {}", ReviewOutcome::allowed()),
        );
        let note = text(&mut p, "note", &self.note, true, NOTE_MAX);
        let next = date_field(&mut p, "next_review_on", &self.next_review_on, false).flatten();
        if let (Some(on), Some(next)) = (on, next)
            && next <= on
        {
            p.add(
                "next_review_on",
                crate::ErrorCode::InvalidDate,
                "the next review comes after this one",
            );
        }
        let countries = countries_field(&mut p, &self.countries, false);
        if !countries.is_empty() && outcome.is_some_and(|o| o != ReviewOutcome::Changed) {
            p.add(
                "countries",
                crate::ErrorCode::InvalidValue,
                "the countries change only with the outcome changed",
            );
        }
        p.finish(())?;
        Ok(NewReview {
            reviewed_on: on.unwrap_or(today),
            outcome: outcome.unwrap_or(ReviewOutcome::Confirmed),
            note: note.unwrap_or_default(),
            next_review_on: next,
            countries: Some(countries).filter(|c| !c.is_empty()),
        })
    }
}

/// Why a need ends, as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnd {
    #[serde(default)]
    pub reason: String,
}

impl RawEnd {
    /// The reason, required (sealed at rest).
    pub fn validate(self) -> Result<String, Problems> {
        let mut p = Problems::default();
        let reason = text(&mut p, "reason", &self.reason, true, NOTE_MAX);
        p.finish(())?;
        Ok(reason.unwrap_or_default())
    }
}

/// A recorded need, as the rule reads it: only the countries matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionNeed {
    pub kind: ProtectionKind,
    pub countries: Vec<Country>,
}

/// An organisation that would receive a case or see it: its kind and the state it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipient {
    pub kind: OrgKind,
    pub country: Country,
}

/// Why a case may not reach a recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The listed country the recipient is an authority of.
    pub country: Country,
}

impl Refusal {
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InternationalProtection
    }

    /// What to tell the caseworker. It names no person and no reason; the country is the
    /// recipient's own, which the caller chose.
    pub fn message(&self) -> String {
        format!(
            "The person has international protection needs concerning {}: the case is never referred, transferred or shown to a consulate or other authority of that country.",
            self.country
        )
    }
}

/// Whether organisations of this kind are organs of a state (see the module documentation).
/// Exhaustive on purpose: a new kind of organisation must be placed here.
pub fn is_state_authority(kind: OrgKind) -> bool {
    match kind {
        OrgKind::Consulate
        | OrgKind::Ministry
        | OrgKind::LawEnforcement
        | OrgKind::ImmigrationEnforcement
        | OrgKind::LabourInspectorate
        | OrgKind::Ombudsperson => true,
        OrgKind::Ngo
        | OrgKind::Hotline
        | OrgKind::ServiceProvider
        | OrgKind::InternationalOrganisation => false,
    }
}

/// The rule: a case whose person has protection needs may not reach (be referred, transferred,
/// shared or shown to) an authority of any country a need lists. Everything else is left to
/// the other rules (consent, the firewall).
pub fn may_reach(needs: &[ProtectionNeed], recipient: Recipient) -> Result<(), Refusal> {
    if !is_state_authority(recipient.kind) {
        return Ok(());
    }
    if needs
        .iter()
        .any(|n| n.countries.contains(&recipient.country))
    {
        return Err(Refusal {
            country: recipient.country,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw(kind: &str, countries: &[&str], reason: &str) -> RawProtectionNeed {
        RawProtectionNeed {
            kind: kind.into(),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            reason: reason.into(),
            ..Default::default()
        }
    }

    fn c(code: &str) -> Country {
        Country::parse(code).expect("country")
    }

    #[test]
    fn kinds_round_trip() {
        for k in ProtectionKind::ALL {
            assert_eq!(ProtectionKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(ProtectionKind::parse("Refugee"), None);
    }

    #[test]
    fn a_valid_need_keeps_its_countries_once_in_order() {
        let n = raw("refugee", &["er", "SD", "ER"], "  Fled conscription  ")
            .validate()
            .expect("valid");
        assert_eq!(n.kind, ProtectionKind::Refugee);
        assert_eq!(n.countries, vec![c("ER"), c("SD")]);
        assert_eq!(n.reason, "Fled conscription");
    }

    #[test]
    fn every_problem_is_reported_with_its_field_and_code() {
        let codes = |r: RawProtectionNeed| -> Vec<(String, &'static str)> {
            r.validate()
                .expect_err("invalid")
                .0
                .into_iter()
                .map(|f| (f.field, f.code.as_str()))
                .collect()
        };
        assert_eq!(
            codes(raw("", &[], "")),
            vec![
                ("kind".into(), "required"),
                ("countries".into(), "required"),
                ("reason".into(), "required"),
            ]
        );
        assert_eq!(
            codes(raw("stateless", &["ZZ"], "x")),
            vec![
                ("kind".into(), "unknown_value"),
                ("countries".into(), "invalid_country"),
            ]
        );
        let many: Vec<&str> = vec![
            "AF", "AL", "AM", "AO", "AR", "AT", "AU", "AZ", "BA", "BD", "BE",
        ];
        assert_eq!(
            codes(raw("refugee", &many, &"x".repeat(REASON_MAX + 1))),
            vec![
                ("countries".into(), "too_many"),
                ("reason".into(), "too_long"),
            ]
        );
    }

    #[test]
    fn the_consulate_of_the_country_fled_is_refused_another_consulate_is_not() {
        let needs = [ProtectionNeed {
            kind: ProtectionKind::AsylumSeeker,
            countries: vec![c("ER")],
        }];
        let refused = may_reach(
            &needs,
            Recipient {
                kind: OrgKind::Consulate,
                country: c("ER"),
            },
        )
        .expect_err("refused");
        assert_eq!(refused.code(), crate::ErrorCode::InternationalProtection);
        assert_eq!(refused.country, c("ER"));
        assert_eq!(
            may_reach(
                &needs,
                Recipient {
                    kind: OrgKind::Consulate,
                    country: c("PH"),
                },
            ),
            Ok(())
        );
        assert_eq!(
            may_reach(
                &needs,
                Recipient {
                    kind: OrgKind::Ngo,
                    country: c("ER"),
                },
            ),
            Ok(()),
            "an NGO in the country is reached with consent, as always"
        );
        assert_eq!(
            may_reach(
                &[],
                Recipient {
                    kind: OrgKind::Consulate,
                    country: c("ER"),
                },
            ),
            Ok(())
        );
    }

    #[test]
    fn authorities_are_the_organs_of_a_state() {
        let authorities: Vec<&str> = OrgKind::ALL
            .iter()
            .filter(|k| is_state_authority(**k))
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            authorities,
            vec![
                "consulate",
                "labour_inspectorate",
                "law_enforcement",
                "immigration_enforcement",
                "ombudsperson",
                "ministry",
            ]
        );
    }

    fn day(s: &str) -> Day {
        Day::parse(s).expect("day")
    }

    fn review(on: &str, outcome: &str, note: &str, next: &str, countries: &[&str]) -> RawReview {
        RawReview {
            reviewed_on: on.into(),
            outcome: outcome.into(),
            note: note.into(),
            next_review_on: next.into(),
            countries: countries.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn who_raised_it_is_kept_and_blank_means_a_caseworker() {
        let mut r = raw(
            "fear_of_return",
            &["PH"],
            "Threats from the recruiter's family",
        );
        assert_eq!(
            r.clone().validate().expect("valid").raised_by,
            RaisedBy::Caseworker
        );
        r.raised_by = "the_person".into();
        r.next_review_on = "2026-12-01".into();
        let n = r.clone().validate().expect("valid");
        assert_eq!(n.raised_by, RaisedBy::ThePerson);
        assert_eq!(n.next_review_on, Some(day("2026-12-01")));
        r.raised_by = "a_neighbour".into();
        r.next_review_on = "soon".into();
        let fields: Vec<String> = r
            .validate()
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, vec!["raised_by", "next_review_on"]);
    }

    #[test]
    fn a_review_has_taken_place_and_plans_the_next_one_after_it() {
        let today = day("2026-06-10");
        let ok = review(
            "2026-06-10",
            "changed",
            " Also fears SD ",
            "2026-12-10",
            &["ER", "SD"],
        )
        .validate(today)
        .expect("valid");
        assert_eq!(ok.outcome, ReviewOutcome::Changed);
        assert_eq!(ok.note, "Also fears SD");
        assert_eq!(ok.countries, Some(vec![c("ER"), c("SD")]));
        assert_eq!(ok.next_review_on, Some(day("2026-12-10")));
        let confirmed = review("2026-06-01", "confirmed", "Same", "", &[])
            .validate(today)
            .expect("valid");
        assert_eq!(
            (confirmed.countries, confirmed.next_review_on),
            (None, None)
        );
        let codes: Vec<(String, &str)> = review("2026-07-01", "", "", "2026-06-01", &["PH"])
            .validate(today)
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|f| (f.field, f.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("reviewed_on".into(), "invalid_date"),
                ("outcome".into(), "required"),
                ("note".into(), "required"),
                ("next_review_on".into(), "invalid_date"),
            ]
        );
        let codes: Vec<(String, &str)> = review("2026-06-01", "confirmed", "x", "", &["PH"])
            .validate(today)
            .expect_err("countries only when changed")
            .0
            .into_iter()
            .map(|f| (f.field, f.code.as_str()))
            .collect();
        assert_eq!(codes, vec![("countries".into(), "invalid_value")]);
    }

    #[test]
    fn ending_needs_a_reason() {
        assert!(
            RawEnd {
                reason: "  ".into()
            }
            .validate()
            .is_err()
        );
        assert_eq!(
            RawEnd {
                reason: " Naturalised ".into()
            }
            .validate(),
            Ok("Naturalised".to_string())
        );
    }

    fn any_country() -> impl Strategy<Value = Country> {
        prop::sample::select(vec![
            c("ER"),
            c("SD"),
            c("AF"),
            c("PH"),
            c("UA"),
            c("PT"),
            c("SY"),
        ])
    }

    proptest! {
        #[test]
        fn a_valid_review_always_plans_its_next_review_after_itself(
            on in 0i64..400, next in 0i64..400, today in 0i64..400,
        ) {
            let base = day("2026-01-01");
            let (on, next, today) = (base.plus_days(on), base.plus_days(next), base.plus_days(today));
            let r = review(&on.to_string(), "confirmed", "Seen", &next.to_string(), &[]).validate(today);
            prop_assert_eq!(r.is_ok(), on <= today && next > on);
            if let Ok(r) = r {
                prop_assert!(r.next_review_on.is_some_and(|n| n > r.reviewed_on));
            }
        }

        #[test]
        fn the_rule_refuses_exactly_the_authorities_of_listed_countries(
            listed in prop::collection::vec(prop::collection::vec(any_country(), 1..3), 0..3),
            kind in prop::sample::select(OrgKind::ALL.to_vec()),
            country in any_country(),
        ) {
            let needs: Vec<ProtectionNeed> = listed
                .into_iter()
                .map(|countries| ProtectionNeed { kind: ProtectionKind::Refugee, countries })
                .collect();
            let is_listed = needs.iter().any(|n| n.countries.contains(&country));
            let result = may_reach(&needs, Recipient { kind, country });
            prop_assert_eq!(result.is_err(), is_state_authority(kind) && is_listed);
            if let Err(r) = result {
                prop_assert_eq!(r.country, country);
            }
        }
    }
}
