//! An incident: an event of discrimination, xenophobic violence or abuse, recorded without a
//! named person. When and where it happened (a day that is not after today, UTC; a country; a
//! region from the country's list, [`super::regions`]), what happened, the bias alleged, who did
//! it, how many people it affected by sex and age band, who told, how far it was verified, and
//! a narrative the store seals. Validation names every problem at once.

use super::regions::region;
use crate::casework::calendar::{Day, date_field};
use crate::validate::{NARRATIVE_MAX, Problems, text};
use crate::vocab::vocabulary;
use crate::{Country, ErrorCode};

vocabulary! {
    /// Where it happened.
    PlaceType {
        Street => "street",
        Workplace => "workplace",
        Housing => "housing",
        School => "school",
        HealthFacility => "health_facility",
        BorderCrossing => "border_crossing",
        DetentionCentre => "detention_centre",
        Transport => "transport",
        Online => "online",
        Other => "other",
    }
}

vocabulary! {
    /// What happened (one incident may be several).
    IncidentKind {
        Violence => "violence",
        Threats => "threats",
        HateSpeech => "hate_speech",
        DenialOfService => "denial_of_service",
        DiscriminationHousing => "discrimination_housing",
        DiscriminationHealth => "discrimination_health",
        DiscriminationEducation => "discrimination_education",
        DiscriminationEmployment => "discrimination_employment",
        DiscriminationPolicing => "discrimination_policing",
        PushBack => "push_back",
        AbuseInDetention => "abuse_in_detention",
        AbuseDuringReturn => "abuse_during_return",
        Other => "other",
    }
}

vocabulary! {
    /// The bias alleged.
    BiasMotive {
        Nationality => "nationality",
        Ethnicity => "ethnicity",
        Religion => "religion",
        Colour => "colour",
        Language => "language",
        MigrationStatus => "migration_status",
        Sex => "sex",
        GenderIdentity => "gender_identity",
        SexualOrientation => "sexual_orientation",
        Disability => "disability",
        Age => "age",
        Other => "other",
    }
}

vocabulary! {
    /// Who did it.
    PerpetratorType {
        PrivatePerson => "private_person",
        Employer => "employer",
        Landlord => "landlord",
        PoliceOfficial => "police_official",
        BorderOfficial => "border_official",
        DetentionOfficial => "detention_official",
        ImmigrationOfficial => "immigration_official",
        OtherOfficial => "other_official",
        Unknown => "unknown",
    }
}

vocabulary! {
    /// Who told the organisation.
    IncidentSource {
        Victim => "victim",
        Witness => "witness",
        Monitor => "monitor",
        Media => "media",
        Partner => "partner",
    }
}

vocabulary! {
    /// How far the account was verified (a supervisor's call).
    Verification {
        Unverified => "unverified",
        Verified => "verified",
        NotVerifiable => "not_verifiable",
        FalseReport => "false_report",
    }
}

/// The most people one count of an incident may hold.
pub const AFFECTED_MAX: u32 = 1_000_000;

/// How many people an incident affected, as typed: each band empty or a whole number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAffected {
    pub women: String,
    pub men: String,
    pub girls: String,
    pub boys: String,
    pub unknown: String,
}

/// How many people an incident affected, by sex and age band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Affected {
    pub women: u32,
    pub men: u32,
    pub girls: u32,
    pub boys: u32,
    pub unknown: u32,
}

impl Affected {
    /// The bands as (name, count), in the contract's order.
    pub fn bands(&self) -> [(&'static str, u32); 5] {
        [
            ("women", self.women),
            ("men", self.men),
            ("girls", self.girls),
            ("boys", self.boys),
            ("unknown", self.unknown),
        ]
    }
}

/// An incident as typed (a form or the API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawIncident {
    pub occurred_on: String,
    pub country: String,
    pub region: String,
    pub place_type: String,
    pub kinds: Vec<String>,
    pub bias_motives: Vec<String>,
    pub perpetrator_type: String,
    pub affected: RawAffected,
    pub source: String,
    pub narrative: String,
}

/// A validated incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub occurred_on: Day,
    pub country: Country,
    pub region: Option<&'static str>,
    pub place_type: PlaceType,
    /// One or more, each once, in vocabulary order.
    pub kinds: Vec<IncidentKind>,
    /// Zero or more, each once, in vocabulary order.
    pub bias_motives: Vec<BiasMotive>,
    pub perpetrator_type: Option<PerpetratorType>,
    pub affected: Affected,
    pub source: IncidentSource,
    pub narrative: String,
}

fn one_of<T: Copy>(
    p: &mut Problems,
    field: &str,
    typed: &str,
    required: bool,
    parse: fn(&str) -> Option<T>,
    allowed: fn() -> String,
) -> Option<Option<T>> {
    match typed.trim() {
        "" if required => {
            p.add(field, ErrorCode::Required, format!("{field} is required"));
            None
        }
        "" => Some(None),
        v => match parse(v) {
            Some(t) => Some(Some(t)),
            None => {
                p.add(
                    field,
                    ErrorCode::UnknownValue,
                    format!("{field} must be one of: {}", allowed()),
                );
                None
            }
        },
    }
}

fn many_of<T: Copy + Ord>(
    p: &mut Problems,
    field: &str,
    typed: &[String],
    parse: fn(&str) -> Option<T>,
    allowed: fn() -> String,
) -> Option<Vec<T>> {
    let mut out = Vec::new();
    let mut bad = false;
    for t in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match parse(t) {
            Some(v) => out.push(v),
            None => bad = true,
        }
    }
    if bad {
        p.add(
            field,
            ErrorCode::UnknownValue,
            format!("{field} must each be one of: {}", allowed()),
        );
        return None;
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// A count of people as typed: empty is 0; a negative or a non-number is refused.
fn count(p: &mut Problems, band: &str, typed: &str) -> Option<u32> {
    let field = format!("affected.{band}");
    let t = typed.trim();
    if t.is_empty() {
        return Some(0);
    }
    match t.parse::<i64>() {
        Ok(n) if n < 0 => {
            p.add(
                &field,
                ErrorCode::NegativeAmount,
                format!("{field} is a number of people: 0 or more"),
            );
            None
        }
        Ok(n) if n <= i64::from(AFFECTED_MAX) => u32::try_from(n).ok(),
        Ok(_) => {
            p.add(
                &field,
                ErrorCode::InvalidValue,
                format!("{field} must be at most {AFFECTED_MAX}"),
            );
            None
        }
        Err(_) => {
            p.add(
                &field,
                ErrorCode::InvalidValue,
                format!("{field} must be a whole number"),
            );
            None
        }
    }
}

impl RawAffected {
    fn validate(&self, p: &mut Problems) -> Option<Affected> {
        let women = count(p, "women", &self.women);
        let men = count(p, "men", &self.men);
        let girls = count(p, "girls", &self.girls);
        let boys = count(p, "boys", &self.boys);
        let unknown = count(p, "unknown", &self.unknown);
        Some(Affected {
            women: women?,
            men: men?,
            girls: girls?,
            boys: boys?,
            unknown: unknown?,
        })
    }
}

/// A day an event happened on: a date, not after `today` (UTC).
pub fn occurred(p: &mut Problems, field: &str, typed: &str, today: Day) -> Option<Day> {
    let day = date_field(p, field, typed, true).flatten()?;
    if day > today {
        p.add(
            field,
            ErrorCode::InTheFuture,
            format!("{field} is after today: record an event once it happened"),
        );
        return None;
    }
    Some(day)
}

/// A country's region as typed: one of the country's list, or absent (always absent for a
/// country without a list). `None` outside after a problem.
fn region_in(
    p: &mut Problems,
    country: Option<Country>,
    typed: &str,
) -> Option<Option<&'static str>> {
    let t = typed.trim();
    if t.is_empty() {
        return Some(None);
    }
    let country = country?;
    match region(country, t) {
        Some(r) => Some(Some(r.code)),
        None => {
            let list = super::regions::regions_of(country);
            let message = if list.is_empty() {
                format!("region must be empty: Passage has no region list for {country}")
            } else {
                format!(
                    "region must be one of: {}",
                    list.iter().map(|r| r.code).collect::<Vec<_>>().join(", ")
                )
            };
            p.add("region", ErrorCode::UnknownValue, message);
            None
        }
    }
}

impl RawIncident {
    /// Validates an incident against `today` (UTC): every problem at once, never a panic.
    pub fn validate(&self, today: Day) -> Result<NewIncident, Problems> {
        let mut p = Problems::default();
        let occurred_on = occurred(&mut p, "occurred_on", &self.occurred_on, today);
        let country = match self.country.trim() {
            "" => {
                p.add("country", ErrorCode::Required, "country is required");
                None
            }
            c => Country::parse(c).or_else(|| {
                p.add(
                    "country",
                    ErrorCode::InvalidCountry,
                    "country must be an ISO 3166-1 alpha-2 code such as GB",
                );
                None
            }),
        };
        let region = region_in(&mut p, country, &self.region);
        let place_type = one_of(
            &mut p,
            "place_type",
            &self.place_type,
            true,
            PlaceType::parse,
            PlaceType::allowed,
        )
        .flatten();
        let kinds = many_of(
            &mut p,
            "kinds",
            &self.kinds,
            IncidentKind::parse,
            IncidentKind::allowed,
        );
        if kinds.as_ref().is_some_and(Vec::is_empty) {
            p.add(
                "kinds",
                ErrorCode::Required,
                "kinds needs at least one kind",
            );
        }
        let bias_motives = many_of(
            &mut p,
            "bias_motives",
            &self.bias_motives,
            BiasMotive::parse,
            BiasMotive::allowed,
        );
        let perpetrator_type = one_of(
            &mut p,
            "perpetrator_type",
            &self.perpetrator_type,
            false,
            PerpetratorType::parse,
            PerpetratorType::allowed,
        );
        let affected = self.affected.validate(&mut p);
        let source = one_of(
            &mut p,
            "source",
            &self.source,
            true,
            IncidentSource::parse,
            IncidentSource::allowed,
        )
        .flatten();
        let narrative = text(&mut p, "narrative", &self.narrative, true, NARRATIVE_MAX);
        match (
            occurred_on,
            country,
            region,
            place_type,
            kinds,
            bias_motives,
            perpetrator_type,
            affected,
            source,
            narrative,
        ) {
            (
                Some(occurred_on),
                Some(country),
                Some(region),
                Some(place_type),
                Some(kinds),
                Some(bias_motives),
                Some(perpetrator_type),
                Some(affected),
                Some(source),
                Some(narrative),
            ) if p.0.is_empty() => Ok(NewIncident {
                occurred_on,
                country,
                region,
                place_type,
                kinds,
                bias_motives,
                perpetrator_type,
                affected,
                source,
                narrative,
            }),
            _ => Err(p),
        }
    }
}

/// The source an incident recorded from a public report starts with: `witness` when the
/// reporter said they saw it, `victim` otherwise.
pub fn source_of_report(reporter: crate::ReporterType) -> IncidentSource {
    match reporter {
        crate::ReporterType::Witness => IncidentSource::Witness,
        _ => IncidentSource::Victim,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Day {
        Day::parse("2026-06-01").expect("day")
    }

    fn raw() -> RawIncident {
        RawIncident {
            occurred_on: "2026-05-20".into(),
            country: "gb".into(),
            region: "london".into(),
            place_type: "street".into(),
            kinds: vec!["violence".into(), "hate_speech".into(), "violence".into()],
            bias_motives: vec!["religion".into()],
            perpetrator_type: "private_person".into(),
            affected: RawAffected {
                women: "2".into(),
                ..Default::default()
            },
            source: "witness".into(),
            narrative: "  Two women were attacked at a bus stop.  ".into(),
        }
    }

    fn fields(p: &Problems) -> Vec<(&str, ErrorCode)> {
        p.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn the_vocabularies_keep_the_contract_spellings() {
        let kinds: Vec<&str> = IncidentKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds.len(), 13);
        assert!(kinds.contains(&"discrimination_policing") && kinds.contains(&"push_back"));
        assert_eq!(PlaceType::ALL.len(), 10);
        assert_eq!(BiasMotive::ALL.len(), 12);
        assert_eq!(PerpetratorType::ALL.len(), 9);
        let sources: Vec<&str> = IncidentSource::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            sources,
            ["victim", "witness", "monitor", "media", "partner"]
        );
        let v: Vec<&str> = Verification::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            v,
            ["unverified", "verified", "not_verifiable", "false_report"]
        );
    }

    #[test]
    fn a_valid_incident_is_trimmed_and_each_kind_kept_once() {
        let i = raw().validate(today()).expect("valid");
        assert_eq!(i.country.as_str(), "GB");
        assert_eq!(i.region, Some("london"));
        assert_eq!(i.kinds, [IncidentKind::Violence, IncidentKind::HateSpeech]);
        assert_eq!(i.affected.women, 2);
        assert_eq!(i.affected.men, 0);
        assert_eq!(i.narrative, "Two women were attacked at a bus stop.");
        let i = RawIncident {
            region: String::new(),
            perpetrator_type: String::new(),
            bias_motives: Vec::new(),
            occurred_on: "2026-06-01".into(),
            ..raw()
        }
        .validate(today())
        .expect("today, without region, perpetrator or motive");
        assert_eq!((i.region, i.perpetrator_type), (None, None));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let p = RawIncident {
            occurred_on: "2026-06-02".into(),
            country: "XX".into(),
            place_type: "beach".into(),
            kinds: vec!["rudeness".into()],
            bias_motives: vec!["height".into()],
            perpetrator_type: "alien".into(),
            affected: RawAffected {
                men: "-1".into(),
                girls: "two".into(),
                ..Default::default()
            },
            source: "rumour".into(),
            narrative: String::new(),
            ..raw()
        }
        .validate(today())
        .expect_err("bad");
        assert_eq!(
            fields(&p),
            [
                ("occurred_on", ErrorCode::InTheFuture),
                ("country", ErrorCode::InvalidCountry),
                ("place_type", ErrorCode::UnknownValue),
                ("kinds", ErrorCode::UnknownValue),
                ("bias_motives", ErrorCode::UnknownValue),
                ("perpetrator_type", ErrorCode::UnknownValue),
                ("affected.men", ErrorCode::NegativeAmount),
                ("affected.girls", ErrorCode::InvalidValue),
                ("source", ErrorCode::UnknownValue),
                ("narrative", ErrorCode::Required),
            ]
        );
        let p = RawIncident {
            kinds: Vec::new(),
            ..raw()
        }
        .validate(today())
        .expect_err("no kind");
        assert_eq!(fields(&p), [("kinds", ErrorCode::Required)]);
    }

    #[test]
    fn a_region_belongs_to_the_country_and_a_country_without_a_list_takes_none() {
        for (country, region, ok) in [
            ("GB", "scotland", true),
            ("GB", "ncr", false),
            ("PH", "ncr", true),
            ("PH", "london", false),
            ("FR", "london", false),
            ("FR", "", true),
        ] {
            let r = RawIncident {
                country: country.into(),
                region: region.into(),
                ..raw()
            }
            .validate(today());
            assert_eq!(r.is_ok(), ok, "{country} {region}");
            if let Err(p) = r {
                assert_eq!(fields(&p), [("region", ErrorCode::UnknownValue)]);
            }
        }
    }

    #[test]
    fn a_witness_report_becomes_a_witness_account() {
        assert_eq!(
            source_of_report(crate::ReporterType::Witness),
            IncidentSource::Witness
        );
        for r in [
            crate::ReporterType::Victim,
            crate::ReporterType::Relative,
            crate::ReporterType::Anonymous,
        ] {
            assert_eq!(source_of_report(r), IncidentSource::Victim);
        }
    }

    proptest! {
        /// Any count typed is accepted exactly when it is a whole number from 0 to the limit,
        /// and a negative one is always named as such.
        #[test]
        fn counts_are_whole_and_never_negative(n in -2_000_000i64..2_000_000) {
            let r = RawIncident {
                affected: RawAffected { boys: n.to_string(), ..Default::default() },
                ..raw()
            }
            .validate(today());
            match r {
                Ok(i) => {
                    prop_assert!((0..=i64::from(AFFECTED_MAX)).contains(&n));
                    prop_assert_eq!(i64::from(i.affected.boys), n);
                }
                Err(p) => {
                    prop_assert!(n < 0 || n > i64::from(AFFECTED_MAX));
                    let want = if n < 0 { ErrorCode::NegativeAmount } else { ErrorCode::InvalidValue };
                    prop_assert_eq!(fields(&p), vec![("affected.boys", want)]);
                }
            }
        }

        /// A day after today is always refused; any day up to today is accepted.
        #[test]
        fn never_in_the_future(offset in -4000i64..4000) {
            let day = today().plus_days(offset);
            let r = RawIncident { occurred_on: day.to_string(), ..raw() }.validate(today());
            prop_assert_eq!(r.is_ok(), offset <= 0);
        }

        /// Whatever is typed, validation answers and never panics.
        #[test]
        fn any_input_is_answered(s in ".{0,30}", kinds in proptest::collection::vec(".{0,12}", 0..4)) {
            let _ = RawIncident {
                occurred_on: s.clone(),
                country: s.clone(),
                region: s.clone(),
                place_type: s.clone(),
                kinds,
                perpetrator_type: s.clone(),
                source: s.clone(),
                narrative: s,
                ..raw()
            }
            .validate(today());
        }
    }
}
