//! Labour inspection (issue 15 items 5 and 6): visits to an entity's workplaces (planned, done
//! or cancelled, alone or jointly with other organisations), what a visit found — per ILO
//! forced-labour indicator and per labour-law category — the orders it issued with their
//! compliance deadlines, the sanction it confirmed, the follow-up it planned; and the
//! risk score that ranks entities for inspection.
//!
//! Only inspectors and supervisors of a labour inspectorate record or read inspections
//! ([`inspection_access`]). An inspection never holds who complained: what complaints and cases
//! say of an entity reaches an inspector as counts, and a count under k gives no points and is
//! shown as nothing ([`score`]), so a ranking never points at one worker.

use super::entities::{LicenceStatus, RawSanction, Sanction, safe_count};
use crate::casework::calendar::{Day, date_field};
use crate::policy::{DenyReason, Principal};
use crate::validate::{Problems, required_value};
use crate::vocab::vocabulary;
use crate::{ErrorCode, OrgKind, Role};
use uuid::Uuid;

vocabulary! {
    /// Where a visit stands.
    VisitStatus {
        Planned => "planned",
        Done => "done",
        Cancelled => "cancelled",
    }
}

vocabulary! {
    /// The labour-law categories a finding or an order falls under.
    LawCategory {
        Wages => "wages",
        WorkingHours => "working_hours",
        HealthAndSafety => "health_and_safety",
        Contracts => "contracts",
        RecruitmentFees => "recruitment_fees",
        IdentityDocuments => "identity_documents",
        Accommodation => "accommodation",
        ChildLabour => "child_labour",
        SocialSecurity => "social_security",
    }
}

/// The ILO forced-labour indicators (2012), by the ids of the built-in screening instrument
/// `ilo_forced_labour`: a finding names one of these, so what an inspection found and what a
/// screening answered speak of the same thing.
pub const FORCED_LABOUR_INDICATORS: &[&str] = &[
    "fl_abuse_of_vulnerability",
    "fl_deception",
    "fl_restriction_of_movement",
    "fl_isolation",
    "fl_physical_and_sexual_violence",
    "fl_intimidation_and_threats",
    "fl_retention_of_identity_documents",
    "fl_withholding_of_wages",
    "fl_debt_bondage",
    "fl_abusive_working_and_living_conditions",
    "fl_excessive_overtime",
];

/// The most organisations one visit is joint with.
pub const JOINT_MAX: usize = 20;
/// The most orders one visit issues.
pub const ORDERS_MAX: usize = 50;

/// An order as typed: the law category it enforces and the day it must be complied with by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawOrder {
    pub category: String,
    pub deadline: String,
}

/// An order issued by a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    pub category: LawCategory,
    pub deadline: Day,
}

/// A visit as typed (a form or the API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawInspection {
    pub entity_id: String,
    pub status: String,
    pub planned_on: String,
    pub done_on: String,
    pub joint_with: Vec<String>,
    pub indicators: Vec<String>,
    pub law_categories: Vec<String>,
    pub orders: Vec<RawOrder>,
    pub sanction: Option<RawSanction>,
    pub follow_up_on: String,
}

/// A validated visit. Findings, orders, a sanction and a follow-up belong to a visit done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    pub entity_id: Uuid,
    pub status: VisitStatus,
    pub planned_on: Day,
    pub done_on: Option<Day>,
    pub joint_with: Vec<Uuid>,
    pub indicators: Vec<&'static str>,
    pub law_categories: Vec<LawCategory>,
    pub orders: Vec<Order>,
    pub sanction: Option<Sanction>,
    pub follow_up_on: Option<Day>,
}

fn only_when_done(p: &mut Problems, field: &str, given: bool, done: bool) {
    if given && !done {
        p.add(
            field,
            ErrorCode::InvalidValue,
            format!("{field} is recorded for a visit done only"),
        );
    }
}

impl RawInspection {
    /// Validates a visit against `today`: every problem at once, never a panic.
    pub fn validate(&self, today: Day) -> Result<NewInspection, Problems> {
        let mut p = Problems::default();
        let entity_id = match self.entity_id.trim() {
            "" => {
                p.add("entity_id", ErrorCode::Required, "entity_id is required");
                None
            }
            t => Uuid::parse_str(t).ok().or_else(|| {
                p.add(
                    "entity_id",
                    ErrorCode::InvalidValue,
                    "entity_id must be the id of an entity in the register",
                );
                None
            }),
        };
        let status = required_value(&mut p, "status", &self.status, VisitStatus::parse, || {
            format!("status must be one of: {}", VisitStatus::allowed())
        });
        let done = status == Some(VisitStatus::Done);
        let planned_on = date_field(&mut p, "planned_on", &self.planned_on, true).flatten();
        let done_on = date_field(&mut p, "done_on", &self.done_on, done).flatten();
        only_when_done(&mut p, "done_on", done_on.is_some(), done);
        if done_on.is_some_and(|d| d > today) {
            p.add(
                "done_on",
                ErrorCode::InTheFuture,
                "done_on is after today: a visit is recorded as done once it took place",
            );
        }
        let mut joint_with = Vec::new();
        if self.joint_with.len() > JOINT_MAX {
            p.add(
                "joint_with",
                ErrorCode::TooLong,
                format!("at most {JOINT_MAX} organisations"),
            );
        }
        for j in &self.joint_with {
            match Uuid::parse_str(j.trim()) {
                Ok(id) if !joint_with.contains(&id) => joint_with.push(id),
                Ok(_) => {}
                Err(_) => p.add(
                    "joint_with",
                    ErrorCode::InvalidValue,
                    "joint_with lists the ids of organisations of the network",
                ),
            }
        }
        let mut indicators: Vec<&'static str> = Vec::new();
        for i in &self.indicators {
            match FORCED_LABOUR_INDICATORS.iter().find(|k| **k == i.trim()) {
                Some(k) if !indicators.contains(k) => indicators.push(k),
                Some(_) => {}
                None => p.add(
                    "indicators",
                    ErrorCode::UnknownValue,
                    format!(
                        "indicators must be among: {}",
                        FORCED_LABOUR_INDICATORS.join(", ")
                    ),
                ),
            }
        }
        only_when_done(&mut p, "indicators", !indicators.is_empty(), done);
        let mut law_categories = Vec::new();
        for c in &self.law_categories {
            match LawCategory::parse(c.trim()) {
                Some(c) if !law_categories.contains(&c) => law_categories.push(c),
                Some(_) => {}
                None => p.add(
                    "law_categories",
                    ErrorCode::UnknownValue,
                    format!("law_categories must be among: {}", LawCategory::allowed()),
                ),
            }
        }
        only_when_done(&mut p, "law_categories", !law_categories.is_empty(), done);
        let mut orders = Vec::new();
        if self.orders.len() > ORDERS_MAX {
            p.add(
                "orders",
                ErrorCode::TooLong,
                format!("at most {ORDERS_MAX} orders"),
            );
        }
        for o in &self.orders {
            let category = LawCategory::parse(o.category.trim());
            if category.is_none() {
                p.add(
                    "orders.category",
                    ErrorCode::UnknownValue,
                    format!(
                        "an order's category must be one of: {}",
                        LawCategory::allowed()
                    ),
                );
            }
            let deadline = date_field(&mut p, "orders.deadline", &o.deadline, true).flatten();
            if let (Some(category), Some(deadline)) = (category, deadline) {
                if done_on.is_some_and(|d| deadline < d) {
                    p.add(
                        "orders.deadline",
                        ErrorCode::InvalidValue,
                        "an order's deadline comes after the visit that issued it",
                    );
                }
                orders.push(Order { category, deadline });
            }
        }
        only_when_done(&mut p, "orders", !self.orders.is_empty(), done);
        let sanction = match &self.sanction {
            None => None,
            Some(s) => match s.validate(today) {
                Ok(s) => Some(s),
                Err(q) => {
                    for e in q.0 {
                        p.add(&format!("sanction.{}", e.field), e.code, e.message);
                    }
                    None
                }
            },
        };
        only_when_done(&mut p, "sanction", self.sanction.is_some(), done);
        let follow_up_on = date_field(&mut p, "follow_up_on", &self.follow_up_on, false).flatten();
        only_when_done(&mut p, "follow_up_on", follow_up_on.is_some(), done);
        if let (Some(f), Some(d)) = (follow_up_on, done_on)
            && f <= d
        {
            p.add(
                "follow_up_on",
                ErrorCode::InvalidValue,
                "a follow-up visit comes after the visit done",
            );
        }
        match (entity_id, status, planned_on, p.0.is_empty()) {
            (Some(entity_id), Some(status), Some(planned_on), true) => Ok(NewInspection {
                entity_id,
                status,
                planned_on,
                done_on,
                joint_with,
                indicators,
                law_categories,
                orders,
                sanction,
                follow_up_on,
            }),
            _ => Err(p),
        }
    }
}

/// Whether an organisation of `kind` may be present at a visit as a joint agency. A visit to
/// an entity that workers' complaints name is reached by those complaints: immigration
/// enforcement never joins it (a joint visit with it turns a complaint into a raid, and a
/// worker who complains would be the one removed). Any other kind may join.
pub fn joint_agency_allowed(kind: OrgKind, named_in_complaints: bool) -> Result<(), ErrorCode> {
    if named_in_complaints && kind == OrgKind::ImmigrationEnforcement {
        Err(ErrorCode::JointWithEnforcement)
    } else {
        Ok(())
    }
}

/// Who may record and read inspections, their work list and the targets: an inspector or a
/// supervisor of a labour inspectorate. Immigration enforcement meets the firewall before any
/// role is looked at; the same roles elsewhere are out of scope.
pub fn inspection_access(who: &Principal) -> Result<(), DenyReason> {
    if who.org_kind == OrgKind::ImmigrationEnforcement {
        return Err(DenyReason::ImmigrationFirewall);
    }
    let inspects = who
        .roles
        .iter()
        .any(|r| matches!(r, Role::Inspector | Role::Supervisor));
    match (inspects, who.org_kind == OrgKind::LabourInspectorate) {
        (true, true) => Ok(()),
        (true, false) => Err(DenyReason::OutOfScope),
        _ => Err(DenyReason::NoGrant),
    }
}

/// What the ranking weighs for one entity, as the store counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskFactors {
    /// Complaints (reports and cases, a report and its case once) naming the entity across
    /// the network, before suppression.
    pub complaints: u64,
    /// Distinct forced-labour indicators found by past visits.
    pub indicators_found: u64,
    pub licence_status: LicenceStatus,
    /// Days since the last visit done; `None` when never visited.
    pub days_since_visit: Option<u64>,
}

/// The factors of a score, by the name each part carries.
pub const FACTOR_COMPLAINTS: &str = "complaints";
pub const FACTOR_INDICATORS: &str = "indicators_found";
pub const FACTOR_LICENCE: &str = "licence_status";
pub const FACTOR_LAST_VISIT: &str = "days_since_last_visit";

/// One part of a score: what was weighed, its value as shown, and the points it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScorePart {
    pub factor: &'static str,
    pub value: PartValue,
    pub points: u64,
}

/// A part's value: a count (`None` when withheld under k, or never visited), or a licence
/// status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartValue {
    Count(Option<u64>),
    Status(LicenceStatus),
}

/// A score and the parts it is the sum of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskScore {
    pub score: u64,
    pub parts: Vec<ScorePart>,
}

/// Points per complaint, and the most complaints give.
const PER_COMPLAINT: u64 = 3;
const COMPLAINTS_MAX: u64 = 60;
/// Points per indicator found, and the most they give.
const PER_INDICATOR: u64 = 10;
const INDICATORS_MAX: u64 = 110;
/// Points per 30 days since the last visit, the most they give, and the points of an entity
/// never visited (more than any time since a visit).
const PER_MONTH: u64 = 1;
const MONTHS_MAX: u64 = 20;
const NEVER_VISITED: u64 = 25;

fn licence_points(s: LicenceStatus) -> u64 {
    match s {
        LicenceStatus::Revoked => 30,
        LicenceStatus::Suspended => 20,
        LicenceStatus::Unknown => 10,
        LicenceStatus::Licensed => 0,
    }
}

/// The risk score of an entity and its parts. Complaints are counted only from `k` on: a count
/// under k is shown as nothing and gives no points, so neither the score nor the ranking tells
/// one worker's complaint apart from none. Every part is monotone in its factor.
pub fn score(f: &RiskFactors, k: u64) -> RiskScore {
    let complaints = safe_count(f.complaints, k);
    let complaint_points = complaints
        .map_or(0, |n| n.saturating_mul(PER_COMPLAINT))
        .min(COMPLAINTS_MAX);
    let indicator_points = f
        .indicators_found
        .saturating_mul(PER_INDICATOR)
        .min(INDICATORS_MAX);
    let visit_points = match f.days_since_visit {
        None => NEVER_VISITED,
        Some(d) => ((d / 30).saturating_mul(PER_MONTH)).min(MONTHS_MAX),
    };
    let parts = vec![
        ScorePart {
            factor: FACTOR_COMPLAINTS,
            value: PartValue::Count(complaints),
            points: complaint_points,
        },
        ScorePart {
            factor: FACTOR_INDICATORS,
            value: PartValue::Count(Some(f.indicators_found)),
            points: indicator_points,
        },
        ScorePart {
            factor: FACTOR_LICENCE,
            value: PartValue::Status(f.licence_status),
            points: licence_points(f.licence_status),
        },
        ScorePart {
            factor: FACTOR_LAST_VISIT,
            value: PartValue::Count(f.days_since_visit),
            points: visit_points,
        },
    ];
    RiskScore {
        score: parts.iter().map(|p| p.points).sum(),
        parts,
    }
}

/// An order is past its deadline when it has not been complied with by then.
pub fn order_overdue(deadline: Day, complied: bool, today: Day) -> bool {
    !complied && deadline < today
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Day {
        Day::parse("2026-06-01").expect("day")
    }

    fn raw() -> RawInspection {
        RawInspection {
            entity_id: Uuid::now_v7().to_string(),
            status: "done".into(),
            planned_on: "2026-05-01".into(),
            done_on: "2026-05-02".into(),
            joint_with: vec![Uuid::now_v7().to_string()],
            indicators: vec!["fl_debt_bondage".into(), "fl_withholding_of_wages".into()],
            law_categories: vec!["wages".into()],
            orders: vec![RawOrder {
                category: "wages".into(),
                deadline: "2026-07-01".into(),
            }],
            sanction: None,
            follow_up_on: "2026-08-01".into(),
        }
    }

    fn fields(p: &Problems) -> Vec<(&str, ErrorCode)> {
        p.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn the_indicators_are_those_of_the_built_in_forced_labour_instrument() {
        let catalogue = crate::screening::builtin().expect("catalogue");
        let ilo = catalogue.get("ilo_forced_labour").expect("instrument");
        for id in FORCED_LABOUR_INDICATORS {
            assert!(ilo.indicator(id).is_some(), "{id}");
        }
        assert_eq!(ilo.indicators.len(), FORCED_LABOUR_INDICATORS.len());
    }

    #[test]
    fn a_visit_done_keeps_its_findings_orders_and_follow_up() {
        let v = raw().validate(today()).expect("valid");
        assert_eq!(v.status, VisitStatus::Done);
        assert_eq!(v.indicators, ["fl_debt_bondage", "fl_withholding_of_wages"]);
        assert_eq!(v.orders.len(), 1);
        assert_eq!(v.follow_up_on, Day::parse("2026-08-01"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let p = RawInspection::default()
            .validate(today())
            .expect_err("empty");
        assert_eq!(
            fields(&p),
            [
                ("entity_id", ErrorCode::Required),
                ("status", ErrorCode::Required),
                ("planned_on", ErrorCode::Required)
            ]
        );
        let p = RawInspection {
            status: "planned".into(),
            done_on: String::new(),
            follow_up_on: String::new(),
            ..raw()
        }
        .validate(today())
        .expect_err("findings of a planned visit");
        assert_eq!(
            fields(&p),
            [
                ("indicators", ErrorCode::InvalidValue),
                ("law_categories", ErrorCode::InvalidValue),
                ("orders", ErrorCode::InvalidValue)
            ]
        );
        let p = RawInspection {
            indicators: vec!["fl_made_up".into()],
            law_categories: vec!["taxes".into()],
            orders: vec![RawOrder {
                category: "wages".into(),
                deadline: "2026-04-01".into(),
            }],
            done_on: "2026-09-01".into(),
            follow_up_on: "2026-01-01".into(),
            ..raw()
        }
        .validate(today())
        .expect_err("bad");
        assert_eq!(
            fields(&p),
            [
                ("done_on", ErrorCode::InTheFuture),
                ("indicators", ErrorCode::UnknownValue),
                ("law_categories", ErrorCode::UnknownValue),
                ("orders.deadline", ErrorCode::InvalidValue),
                ("follow_up_on", ErrorCode::InvalidValue)
            ]
        );
    }

    fn who(kind: OrgKind, roles: &[Role]) -> Principal {
        Principal {
            user_id: Uuid::nil(),
            org_id: Uuid::nil(),
            org_kind: kind,
            roles: roles.to_vec(),
        }
    }

    fn kinds() -> impl Strategy<Value = OrgKind> {
        proptest::sample::select(OrgKind::ALL.to_vec())
    }

    fn roles() -> impl Strategy<Value = Vec<Role>> {
        proptest::collection::vec(proptest::sample::select(Role::ALL.to_vec()), 0..4)
    }

    fn statuses() -> impl Strategy<Value = LicenceStatus> {
        proptest::sample::select(LicenceStatus::ALL.to_vec())
    }

    fn factors() -> impl Strategy<Value = RiskFactors> {
        (
            0u64..200,
            0u64..20,
            statuses(),
            proptest::option::of(0u64..5_000),
        )
            .prop_map(|(c, i, l, d)| RiskFactors {
                complaints: c,
                indicators_found: i,
                licence_status: l,
                days_since_visit: d,
            })
    }

    fn licence_rank(s: LicenceStatus) -> u8 {
        match s {
            LicenceStatus::Licensed => 0,
            LicenceStatus::Unknown => 1,
            LicenceStatus::Suspended => 2,
            LicenceStatus::Revoked => 3,
        }
    }

    proptest! {
        /// Org kind × roles: only an inspector or a supervisor of a labour inspectorate;
        /// immigration enforcement meets the firewall whatever its roles.
        #[test]
        fn only_a_labour_inspectorates_inspectors_and_supervisors(kind in kinds(), rs in roles()) {
            let got = inspection_access(&who(kind, &rs));
            let inspects = rs.iter().any(|r| matches!(r, Role::Inspector | Role::Supervisor));
            let expected = if kind == OrgKind::ImmigrationEnforcement {
                Err(DenyReason::ImmigrationFirewall)
            } else if inspects && kind == OrgKind::LabourInspectorate {
                Ok(())
            } else if inspects {
                Err(DenyReason::OutOfScope)
            } else {
                Err(DenyReason::NoGrant)
            };
            prop_assert_eq!(got, expected);
        }

        /// More of any factor never lowers the score.
        #[test]
        fn the_score_is_monotone_in_each_factor(f in factors(), more in 0u64..100, s in statuses(), k in 1u64..20) {
            let base = score(&f, k).score;
            let c = RiskFactors { complaints: f.complaints + more, ..f };
            prop_assert!(score(&c, k).score >= base);
            let i = RiskFactors { indicators_found: f.indicators_found + more, ..f };
            prop_assert!(score(&i, k).score >= base);
            if licence_rank(s) >= licence_rank(f.licence_status) {
                let l = RiskFactors { licence_status: s, ..f };
                prop_assert!(score(&l, k).score >= base);
            }
            if let Some(d) = f.days_since_visit {
                let later = RiskFactors { days_since_visit: Some(d + more * 30), ..f };
                prop_assert!(score(&later, k).score >= base);
                let never = RiskFactors { days_since_visit: None, ..f };
                prop_assert!(score(&never, k).score > base);
            }
        }

        /// A count under k changes nothing: the same score as no complaint, and no value shown.
        #[test]
        fn suppressed_counts_never_change_the_score(f in factors(), k in 2u64..20, n in 1u64..20) {
            let n = n % k;
            prop_assume!(n > 0);
            let none = RiskFactors { complaints: 0, ..f };
            let few = RiskFactors { complaints: n, ..f };
            let s = score(&few, k);
            prop_assert_eq!(s.score, score(&none, k).score);
            prop_assert_eq!(&s.parts[0].value, &PartValue::Count(None));
        }

        /// The score is the sum of its parts, and every factor is among them by name.
        #[test]
        fn the_score_is_explained_by_its_parts(f in factors(), k in 1u64..20) {
            let s = score(&f, k);
            prop_assert_eq!(s.score, s.parts.iter().map(|p| p.points).sum::<u64>());
            let names: Vec<&str> = s.parts.iter().map(|p| p.factor).collect();
            prop_assert_eq!(names, vec![FACTOR_COMPLAINTS, FACTOR_INDICATORS, FACTOR_LICENCE, FACTOR_LAST_VISIT]);
        }
    }

    #[test]
    fn immigration_enforcement_never_joins_a_visit_reached_by_complaints() {
        for kind in OrgKind::ALL {
            for complaints in [false, true] {
                let refused = *kind == OrgKind::ImmigrationEnforcement && complaints;
                assert_eq!(
                    joint_agency_allowed(*kind, complaints),
                    if refused {
                        Err(ErrorCode::JointWithEnforcement)
                    } else {
                        Ok(())
                    },
                    "{kind:?} complaints={complaints}"
                );
            }
        }
    }

    #[test]
    fn an_order_is_overdue_only_past_its_deadline_and_not_complied() {
        let d = today();
        assert!(!order_overdue(d, false, d));
        assert!(order_overdue(d, false, d.plus_days(1)));
        assert!(!order_overdue(d, true, d.plus_days(1)));
    }
}
