//! Intake rules: receipts, urgency and emergency triggers, SLA clocks, the triage order,
//! routing of reports to an organisation (never to immigration enforcement), and how a report's
//! categories become a case's types.

use crate::casework::calendar::Day;
use crate::validate::{NARRATIVE_MAX, Problems, text};
use crate::{CaseType, Category, Country, OrgKind, Urgency};
use uuid::Uuid;

/// Digits in a receipt (GlobaLeaks' convention: looks like a phone number, easy to keep).
pub const RECEIPT_DIGITS: usize = 16;

/// Normalises what a reporter typed as a receipt: digits of any keyboard's script read as
/// ASCII ([`crate::numerals::ascii_digits`]), spaces, dashes and separators are ignored. `None`
/// when it cannot be a receipt, so no lookup (and no slow hash) is spent on it.
pub fn normalise_receipt(input: &str) -> Option<String> {
    let digits: String = crate::numerals::ascii_digits(input)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | ',' | '.'))
        .collect();
    (digits.len() == RECEIPT_DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Groups a receipt in fours for display: `1234 5678 9012 3456`.
pub fn display_receipt(receipt: &str) -> String {
    receipt
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Turns 8 random bytes into a uniformly distributed 16-digit receipt (rejection sampling, so
/// no digit string is likelier than another). `None` asks for new bytes.
pub fn receipt_from_random(bytes: [u8; 8]) -> Option<String> {
    const SPACE: u64 = 10_000_000_000_000_000; // 10^16
    let limit = u64::MAX - (u64::MAX % SPACE);
    let n = u64::from_le_bytes(bytes);
    (n < limit).then(|| format!("{:016}", n % SPACE))
}

/// Emergency triggers a hotline operator can tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Triggers {
    pub immediate_danger: bool,
    pub child: bool,
    pub urgent_medical: bool,
}

impl Triggers {
    pub fn any(self) -> bool {
        self.immediate_danger || self.child || self.urgent_medical
    }
}

/// The urgency a report gets: any emergency trigger makes it an emergency whatever was chosen;
/// a public report about a child in danger, someone not free to leave or sexual exploitation
/// starts high.
pub fn urgency(chosen: Option<Urgency>, categories: &[Category], triggers: Triggers) -> Urgency {
    if triggers.any() {
        return Urgency::Emergency;
    }
    let chosen = chosen.unwrap_or(Urgency::Normal);
    if categories.iter().any(|c| {
        matches!(
            c,
            Category::ChildInDanger | Category::NotFreeToLeave | Category::SexualExploitation
        )
    }) {
        chosen.min(Urgency::High)
    } else {
        chosen
    }
}

/// Minutes within which a report of each urgency must be acknowledged (configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sla {
    pub emergency_minutes: i64,
    pub high_minutes: i64,
    pub normal_minutes: i64,
    pub low_minutes: i64,
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            emergency_minutes: 15,
            high_minutes: 4 * 60,
            normal_minutes: 48 * 60,
            low_minutes: 7 * 24 * 60,
        }
    }
}

impl Sla {
    /// When acknowledgement is due, in milliseconds.
    pub fn due(&self, urgency: Urgency, received_ms: i64) -> i64 {
        let minutes = match urgency {
            Urgency::Emergency => self.emergency_minutes,
            Urgency::High => self.high_minutes,
            Urgency::Normal => self.normal_minutes,
            Urgency::Low => self.low_minutes,
        };
        received_ms + minutes * 60_000
    }
}

/// Triage order: most urgent first, then oldest first.
pub fn triage_key(urgency: Urgency, received_ms: i64) -> (Urgency, i64) {
    (urgency, received_ms)
}

/// A routing rule: reports matching the category and country (either may be "any") go to an
/// organisation. Rules are tried in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingRule {
    pub category: Option<Category>,
    pub country: Option<Country>,
    pub org_id: Uuid,
    pub org_kind: OrgKind,
}

/// The organisation a report goes to: the first matching rule whose organisation may receive
/// reports, else the fallback. Immigration enforcement is skipped whatever the rules say.
///
/// A report may have several categories; a rule matches when it names any of them, so the
/// administrator's order of the rules decides which organisation a report with several gets
/// (put the specialised receivers first). A rule for any category (`None`) matches every
/// report, including one without a category.
pub fn route(
    rules: &[RoutingRule],
    categories: &[Category],
    country: Option<Country>,
    fallback: Option<(Uuid, OrgKind)>,
) -> Option<Uuid> {
    let allowed = |kind: OrgKind| kind != OrgKind::ImmigrationEnforcement;
    rules
        .iter()
        .filter(|r| allowed(r.org_kind))
        .find(|r| {
            r.category.is_none_or(|c| categories.contains(&c))
                && r.country.is_none_or(|c| Some(c) == country)
        })
        .map(|r| r.org_id)
        .or(fallback
            .filter(|(_, kind)| allowed(*kind))
            .map(|(id, _)| id))
}

/// The case types a report's categories suggest when a case is opened from it. Never
/// trafficking: confiscated documents, debt or not being free to leave are indicators of forced
/// labour, and whether they add up to trafficking is an identification decision made after a
/// screening, not a label a hotline call puts on a person. They open as labour exploitation.
pub fn case_types_for(categories: &[Category]) -> Vec<CaseType> {
    let mut out = Vec::new();
    for c in categories {
        let t = match c {
            Category::UnpaidWages
            | Category::RecruitmentFraud
            | Category::DocumentsTaken
            | Category::Debt
            | Category::NotFreeToLeave => CaseType::LabourExploitation,
            Category::ThreatsViolence | Category::SomethingElse => CaseType::OtherViolation,
            Category::Discrimination => CaseType::DiscriminationXenophobicViolence,
            Category::DetentionBorderAbuse => CaseType::Detention,
            Category::DeniedHealthEducation => CaseType::DeniedAccessHealthEducation,
            Category::ChildInDanger => CaseType::ChildProtection,
            // Sexual exploitation may be trafficking, which is decided after a screening.
            Category::SexualExploitation => CaseType::GenderBasedViolence,
            Category::SmugglingDangerousJourney => CaseType::SmugglingAbuse,
            Category::Housing | Category::AbuseByOfficials => CaseType::OtherViolation,
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        out.push(CaseType::OtherViolation);
    }
    out
}

/// Days a public report and its receipt are kept unless a deployment says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;

/// The day a public report received at `received_ms` (and its receipt) is erased, when
/// `days` is the deployment's retention period: the reporter is told this day at submission.
/// A report nobody has handled by then is kept until it is handled, and erased at once after.
pub fn expires_on(received_ms: i64, days: u32) -> Day {
    Day::from_unix_ms(received_ms).plus_days(i64::from(days))
}

/// Reports received before this instant (milliseconds) have reached their day of erasure
/// ([`expires_on`]) by `today`.
pub fn retention_cutoff(today: Day, days: u32) -> i64 {
    (today.0 - i64::from(days) + 1) * 86_400_000
}

/// Maximum length of a message between reporter and staff.
pub const MESSAGE_MAX: usize = 5_000;

/// Checks a message body.
pub fn message_body(body: &str) -> Result<crate::validate::Text, Problems> {
    crate::validate::Text::parse("body", body, MESSAGE_MAX)
}

/// Checks a narrative.
pub fn narrative(problems: &mut Problems, value: &str) -> Option<String> {
    text(problems, "narrative", value, true, NARRATIVE_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn receipts_are_sixteen_digits_typed_any_way() {
        assert_eq!(
            normalise_receipt("1234 5678-9012 3456").as_deref(),
            Some("1234567890123456")
        );
        assert_eq!(normalise_receipt("123456789012345"), None);
        assert_eq!(normalise_receipt("12345678901234567"), None);
        assert_eq!(normalise_receipt("1234567890abcdef"), None);
        assert_eq!(display_receipt("1234567890123456"), "1234 5678 9012 3456");
    }

    proptest! {
        #[test]
        fn random_receipts_are_well_formed(bytes in any::<[u8; 8]>()) {
            if let Some(r) = receipt_from_random(bytes) {
                prop_assert_eq!(normalise_receipt(&r), Some(r.clone()));
            }
        }

        #[test]
        fn triggers_always_make_an_emergency(chosen in proptest::option::of(0usize..4), danger: bool, child: bool, medical: bool) {
            let t = Triggers { immediate_danger: danger, child, urgent_medical: medical };
            let u = urgency(chosen.map(|i| Urgency::ALL[i]), &[], t);
            prop_assert_eq!(u == Urgency::Emergency, t.any() || chosen == Some(0));
        }
    }

    #[test]
    fn urgency_floors_and_order() {
        assert_eq!(
            urgency(
                Some(Urgency::Low),
                &[Category::ChildInDanger],
                Triggers::default()
            ),
            Urgency::High
        );
        assert_eq!(
            urgency(
                Some(Urgency::Low),
                &[Category::UnpaidWages],
                Triggers::default()
            ),
            Urgency::Low
        );
        assert!(triage_key(Urgency::Emergency, 500) < triage_key(Urgency::High, 100));
        assert!(triage_key(Urgency::High, 100) < triage_key(Urgency::High, 200));
        let sla = Sla::default();
        assert_eq!(sla.due(Urgency::Emergency, 0), 15 * 60_000);
    }

    #[test]
    fn routing_never_reaches_immigration_enforcement() {
        let (hotline, police, immigration) =
            (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let gb = Country::parse("GB");
        let rules = vec![
            RoutingRule {
                category: Some(Category::DetentionBorderAbuse),
                country: None,
                org_id: immigration,
                org_kind: OrgKind::ImmigrationEnforcement,
            },
            RoutingRule {
                category: Some(Category::ThreatsViolence),
                country: gb,
                org_id: police,
                org_kind: OrgKind::LawEnforcement,
            },
        ];
        let fallback = Some((hotline, OrgKind::Hotline));
        assert_eq!(
            route(&rules, &[Category::DetentionBorderAbuse], gb, fallback),
            Some(hotline)
        );
        assert_eq!(
            route(&rules, &[Category::ThreatsViolence], gb, fallback),
            Some(police)
        );
        assert_eq!(
            route(
                &rules,
                &[Category::ThreatsViolence],
                Country::parse("FR"),
                fallback
            ),
            Some(hotline)
        );
        assert_eq!(
            route(
                &rules,
                &[Category::DetentionBorderAbuse],
                gb,
                Some((immigration, OrgKind::ImmigrationEnforcement))
            ),
            None
        );
    }

    #[test]
    fn a_report_expires_on_the_day_it_was_promised_and_not_before() {
        let received = Day::from_ymd(2026, 1, 1).expect("day").0 * 86_400_000 + 79_200_000;
        let day = expires_on(received, 365);
        assert_eq!(day.to_string(), "2027-01-01");
        let eve = Day::from_ymd(2026, 12, 31).expect("day");
        assert!(
            received >= retention_cutoff(eve, 365),
            "kept the day before"
        );
        assert!(received < retention_cutoff(day, 365), "erased on the day");
        assert_eq!(
            expires_on(received, 0),
            Day::from_ymd(2026, 1, 1).expect("day")
        );
    }

    #[test]
    fn categories_become_case_types() {
        assert_eq!(
            case_types_for(&[Category::UnpaidWages, Category::RecruitmentFraud]),
            vec![CaseType::LabourExploitation]
        );
        assert_eq!(case_types_for(&[]), vec![CaseType::OtherViolation]);
    }

    #[test]
    fn the_new_categories_open_the_right_case_types_and_the_first_matching_rule_routes() {
        assert_eq!(
            case_types_for(&[
                Category::SexualExploitation,
                Category::SmugglingDangerousJourney,
                Category::Housing,
                Category::AbuseByOfficials,
            ]),
            vec![
                CaseType::GenderBasedViolence,
                CaseType::SmugglingAbuse,
                CaseType::OtherViolation
            ]
        );
        let (hotline, shelter, ombuds) =
            (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let rules = vec![
            RoutingRule {
                category: Some(Category::Housing),
                country: None,
                org_id: shelter,
                org_kind: OrgKind::Ngo,
            },
            RoutingRule {
                category: Some(Category::AbuseByOfficials),
                country: None,
                org_id: ombuds,
                org_kind: OrgKind::Ombudsperson,
            },
        ];
        let fallback = Some((hotline, OrgKind::Hotline));
        assert_eq!(
            route(
                &rules,
                &[Category::AbuseByOfficials, Category::Housing],
                None,
                fallback
            ),
            Some(shelter),
            "the administrator's first matching rule decides, whatever order the boxes were ticked in"
        );
        assert_eq!(
            route(&rules, &[Category::AbuseByOfficials], None, fallback),
            Some(ombuds)
        );
        assert_eq!(
            route(
                &rules,
                &[Category::SomethingElse, Category::Housing],
                None,
                fallback
            ),
            Some(shelter),
            "a rule for any of the report's categories matches"
        );
        assert_eq!(
            route(&rules, &[Category::SomethingElse], None, fallback),
            Some(hotline)
        );
    }

    #[test]
    fn no_category_pre_types_a_case_as_trafficking() {
        for c in Category::ALL {
            let types = case_types_for(&[*c]);
            assert_eq!(types.len(), 1, "{c:?} suggests one type");
            assert!(
                !types.contains(&CaseType::Trafficking),
                "{c:?} must not pre-type a case as trafficking"
            );
        }
        let all = case_types_for(Category::ALL);
        assert!(!all.contains(&CaseType::Trafficking));
        assert_eq!(
            case_types_for(&[Category::DocumentsTaken, Category::NotFreeToLeave]),
            vec![CaseType::LabourExploitation]
        );
    }
}
