//! Criminal and other proceedings, the perpetrators of a case and the victim's rights in them
//! (issue 17 item 3).
//!
//! A proceeding (criminal, labour, civil, administrative) moves through its stages forward
//! only ([`may_move`]): complaint, investigation, charge, trial, judgment, appeal, and closed
//! from any stage; nothing leaves closed. The victim has a role in it (witness, civil party,
//! complainant, none), protection measures are asked and granted or refused, hearings are
//! dated, and the outcome and sentence end it. Compensation ordered and paid joins the
//! remedies of the case.
//!
//! Perpetrators carry the HTCDS 2.0 `per_*` facts (role in process, a multi-select; sex,
//! age band, citizenship, relation to the victim, details). They are never persons in care.
//!
//! The person's stance on cooperating with law enforcement is recorded for the record only:
//! **assistance never depends on cooperation**, and nothing in needs, plan, services or
//! referrals reads it.

use super::calendar::{Day, date_field};
use crate::labour::money::{Amount, Money, money_field};
use crate::validate::{Problems, required_value, text};
use crate::vocab::{Sex, vocabulary};

vocabulary! {
    /// What kind of proceeding.
    ProceedingKind {
        Criminal => "criminal",
        Labour => "labour",
        Civil => "civil",
        Administrative => "administrative",
    }
}

vocabulary! {
    /// How far a proceeding has got, in order; `closed` is final.
    ProceedingStage {
        Complaint => "complaint",
        Investigation => "investigation",
        Charge => "charge",
        Trial => "trial",
        Judgment => "judgment",
        Appeal => "appeal",
        Closed => "closed",
    }
}

impl ProceedingStage {
    /// Its place in the order of stages, from 0.
    pub fn rank(self) -> usize {
        ProceedingStage::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(0)
    }
}

/// Whether a proceeding may move from stage `from` to `to`: forward only (a stage may be
/// skipped: a proceeding may start late or go straight to judgment), and to closed from any
/// open stage. Nothing leaves closed, and a stage never moves to itself.
pub fn may_move(from: ProceedingStage, to: ProceedingStage) -> bool {
    from != ProceedingStage::Closed && to.rank() > from.rank()
}

vocabulary! {
    /// The victim's role in a proceeding.
    VictimRole {
        Witness => "witness",
        CivilParty => "civil_party",
        Complainant => "complainant",
        None => "none",
    }
}

vocabulary! {
    /// A protection measure for the victim in a proceeding.
    MeasureKind {
        Anonymity => "anonymity",
        ScreenInCourt => "screen_in_court",
        VideoLink => "video_link",
        ClosedHearing => "closed_hearing",
        RestrainingOrder => "restraining_order",
        PoliceProtection => "police_protection",
        WitnessProtectionProgramme => "witness_protection_programme",
        Relocation => "relocation",
        Interpreter => "interpreter",
    }
}

vocabulary! {
    /// Where a protection measure stands.
    MeasureStatus {
        Asked => "asked",
        Granted => "granted",
        Refused => "refused",
    }
}

vocabulary! {
    /// What a hearing is for.
    HearingKind {
        Preliminary => "preliminary",
        Testimony => "testimony",
        Trial => "trial",
        Judgment => "judgment",
        Appeal => "appeal",
        Other => "other",
    }
}

vocabulary! {
    /// How a proceeding ended.
    ProceedingOutcome {
        Conviction => "conviction",
        Acquittal => "acquittal",
        Dismissed => "dismissed",
        Withdrawn => "withdrawn",
        Settled => "settled",
        Other => "other",
    }
}

vocabulary! {
    /// HTCDS 2.0 `per_RoleInProcess`, in snake_case (a perpetrator may hold several).
    PerpetratorRole {
        TravellingPartner => "travelling_partner",
        Transporter => "transporter",
        RecruiterOrIntermediary => "recruiter_or_intermediary",
        BrokerTravelAgent => "broker_travel_agent",
        TransferredIndividual => "transferred_individual",
        HarbouredIndividual => "harboured_individual",
        SoldIndividual => "sold_individual",
        BoughtIndividual => "bought_individual",
        ReceivedIndividual => "received_individual",
        ControlledIndividual => "controlled_individual",
        Smuggler => "smuggler",
        Abuser => "abuser",
        Kidnapper => "kidnapper",
        Exploiter => "exploiter",
        Other => "other",
    }
}

vocabulary! {
    /// A perpetrator's age band.
    AgeBand {
        Under18 => "under_18",
        From18To25 => "18_25",
        From26To35 => "26_35",
        From36To50 => "36_50",
        Over50 => "over_50",
        Unknown => "unknown",
    }
}

vocabulary! {
    /// HTCDS 2.0 `vic_RelationshipToTrafficker`, in snake_case.
    PerpetratorRelation {
        Familial => "familial",
        Acquainted => "acquainted",
        Unacquainted => "unacquainted",
    }
}

vocabulary! {
    /// The person's stance on cooperating with law enforcement. Recorded, never a condition.
    CooperationStance {
        NotAsked => "not_asked",
        Cooperating => "cooperating",
        Declined => "declined",
        Withdrawn => "withdrawn",
    }
}

/// Longest authority, reference or place, in characters.
pub const SHORT_MAX: usize = 500;
/// Longest sentence or details, in characters.
pub const NOTE_MAX: usize = 4_000;

fn vocab<T>(
    p: &mut Problems,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: String,
) -> Option<T> {
    required_value(p, field, value, parse, || {
        format!("{field} must be one of {allowed}")
    })
}

fn optional_vocab<T>(
    p: &mut Problems,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: String,
) -> Option<Option<T>> {
    if value.trim().is_empty() {
        return Some(None);
    }
    vocab(p, field, value.trim(), parse, allowed).map(Some)
}

fn incomplete() -> Problems {
    let mut p = Problems::default();
    p.add("", crate::ErrorCode::InvalidValue, "incomplete");
    p
}

/// A proceeding as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawProceeding {
    pub kind: String,
    pub stage: String,
    pub authority: String,
    pub reference: String,
    pub victim_role: String,
}

/// A validated proceeding. Authority and reference are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProceeding {
    pub kind: ProceedingKind,
    pub stage: ProceedingStage,
    pub authority: Option<String>,
    pub reference: Option<String>,
    /// `none` when not given.
    pub victim_role: VictimRole,
}

impl RawProceeding {
    /// Kind and stage are required (a proceeding may not open closed); the victim's role is
    /// `none` unless given.
    pub fn validate(self) -> Result<NewProceeding, Problems> {
        let mut p = Problems::default();
        let kind = vocab(
            &mut p,
            "kind",
            &self.kind,
            ProceedingKind::parse,
            ProceedingKind::allowed(),
        );
        let stage = match vocab(
            &mut p,
            "stage",
            &self.stage,
            ProceedingStage::parse,
            ProceedingStage::allowed(),
        ) {
            Some(ProceedingStage::Closed) => {
                p.add(
                    "stage",
                    crate::ErrorCode::InvalidValue,
                    "a proceeding cannot be recorded closed; record it at its last stage and close it",
                );
                None
            }
            s => s,
        };
        let authority = text(&mut p, "authority", &self.authority, false, SHORT_MAX);
        let reference = text(&mut p, "reference", &self.reference, false, SHORT_MAX);
        let role = optional_vocab(
            &mut p,
            "victim_role",
            &self.victim_role,
            VictimRole::parse,
            VictimRole::allowed(),
        );
        p.finish(())?;
        match (kind, stage, role) {
            (Some(kind), Some(stage), Some(role)) => Ok(NewProceeding {
                kind,
                stage,
                authority,
                reference,
                victim_role: role.unwrap_or(VictimRole::None),
            }),
            _ => Err(incomplete()),
        }
    }
}

/// A stage change as submitted, checked against the stage as stored.
pub fn stage_change(at: ProceedingStage, value: &str) -> Result<ProceedingStage, Problems> {
    let mut p = Problems::default();
    let to = vocab(
        &mut p,
        "stage",
        value,
        ProceedingStage::parse,
        ProceedingStage::allowed(),
    );
    p.finish(())?;
    let to = to.ok_or_else(incomplete)?;
    if may_move(at, to) {
        Ok(to)
    } else {
        let mut p = Problems::default();
        p.add(
            "stage",
            crate::ErrorCode::TransitionNotAllowed,
            format!("a proceeding at {at} cannot move to {to}"),
        );
        Err(p)
    }
}

/// A perpetrator as submitted (HTCDS `per_*`).
#[derive(Debug, Clone, Default)]
pub struct RawPerpetrator {
    pub roles: Vec<String>,
    pub sex: String,
    pub age_band: String,
    pub citizenship: String,
    pub relation: String,
    pub details: String,
}

/// A validated perpetrator. Every value is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewPerpetrator {
    pub roles: Vec<PerpetratorRole>,
    pub sex: Option<Sex>,
    pub age_band: Option<AgeBand>,
    pub citizenship: Option<crate::Country>,
    pub relation: Option<PerpetratorRelation>,
    pub details: Option<String>,
}

impl RawPerpetrator {
    /// At least one role in the process is required; the rest is optional but checked.
    pub fn validate(self) -> Result<NewPerpetrator, Problems> {
        let mut p = Problems::default();
        let mut roles = Vec::new();
        let typed: Vec<&str> = self
            .roles
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .collect();
        if typed.is_empty() {
            p.add(
                "roles",
                crate::ErrorCode::Required,
                "roles is required: at least one role in the process",
            );
        }
        for r in typed {
            match PerpetratorRole::parse(r) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => {
                    p.add(
                        "roles",
                        crate::ErrorCode::UnknownValue,
                        format!("roles must each be one of {}", PerpetratorRole::allowed()),
                    );
                    break;
                }
            }
        }
        let sex = optional_vocab(&mut p, "sex", &self.sex, Sex::parse, Sex::allowed());
        let age_band = optional_vocab(
            &mut p,
            "age_band",
            &self.age_band,
            AgeBand::parse,
            AgeBand::allowed(),
        );
        let citizenship = if self.citizenship.trim().is_empty() {
            Some(None)
        } else {
            match crate::Country::parse(self.citizenship.trim()) {
                Some(c) => Some(Some(c)),
                None => {
                    p.add(
                        "citizenship",
                        crate::ErrorCode::InvalidValue,
                        "citizenship must be an ISO 3166-1 alpha-2 country code",
                    );
                    None
                }
            }
        };
        let relation = optional_vocab(
            &mut p,
            "relation",
            &self.relation,
            PerpetratorRelation::parse,
            PerpetratorRelation::allowed(),
        );
        let details = text(&mut p, "details", &self.details, false, NOTE_MAX);
        p.finish(())?;
        match (sex, age_band, citizenship, relation) {
            (Some(sex), Some(age_band), Some(citizenship), Some(relation)) => {
                roles.sort();
                Ok(NewPerpetrator {
                    roles,
                    sex,
                    age_band,
                    citizenship,
                    relation,
                    details,
                })
            }
            _ => Err(incomplete()),
        }
    }
}

/// A protection measure as submitted: the measure and where it stands.
pub fn measure(kind: &str, status: &str) -> Result<(MeasureKind, MeasureStatus), Problems> {
    let mut p = Problems::default();
    let k = vocab(
        &mut p,
        "kind",
        kind,
        MeasureKind::parse,
        MeasureKind::allowed(),
    );
    let s = vocab(
        &mut p,
        "status",
        status,
        MeasureStatus::parse,
        MeasureStatus::allowed(),
    );
    p.finish(())?;
    match (k, s) {
        (Some(k), Some(s)) => Ok((k, s)),
        _ => Err(incomplete()),
    }
}

/// A hearing as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawHearing {
    pub date: String,
    pub time: String,
    pub kind: String,
    pub place: String,
}

/// A validated hearing. The place is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHearing {
    pub date: Day,
    /// HH:MM, 24 hours.
    pub time: Option<String>,
    pub kind: HearingKind,
    pub place: Option<String>,
}

/// How many days before a hearing its preparation task is due.
pub const HEARING_TASK_DAYS_BEFORE: i64 = 7;

impl NewHearing {
    /// The day the hearing's preparation task is due.
    pub fn task_due(&self) -> Day {
        self.date.plus_days(-HEARING_TASK_DAYS_BEFORE)
    }
}

fn time_of_day(p: &mut Problems, field: &str, value: &str) -> Option<Option<String>> {
    let v = value.trim();
    if v.is_empty() {
        return Some(None);
    }
    let ok = v.len() == 5
        && v.as_bytes()[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && v[..2]
            .bytes()
            .chain(v[3..].bytes())
            .all(|b| b.is_ascii_digit());
    if ok {
        Some(Some(v.to_string()))
    } else {
        p.add(
            field,
            crate::ErrorCode::InvalidValue,
            format!("{field} must be a time written HH:MM"),
        );
        None
    }
}

impl RawHearing {
    pub fn validate(self) -> Result<NewHearing, Problems> {
        let mut p = Problems::default();
        let date = date_field(&mut p, "date", &self.date, true).flatten();
        let time = time_of_day(&mut p, "time", &self.time);
        let kind = vocab(
            &mut p,
            "kind",
            &self.kind,
            HearingKind::parse,
            HearingKind::allowed(),
        );
        let place = text(&mut p, "place", &self.place, false, SHORT_MAX);
        p.finish(())?;
        match (date, time, kind) {
            (Some(date), Some(time), Some(kind)) => Ok(NewHearing {
                date,
                time,
                kind,
                place,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// A hearing moved (to a new date and time) or cancelled, as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawHearingChange {
    pub date: String,
    pub time: String,
    pub cancelled: bool,
}

/// A validated change to a hearing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HearingChange {
    Moved { date: Day, time: Option<String> },
    Cancelled,
}

impl RawHearingChange {
    pub fn validate(self) -> Result<HearingChange, Problems> {
        if self.cancelled {
            return Ok(HearingChange::Cancelled);
        }
        let mut p = Problems::default();
        let date = date_field(&mut p, "date", &self.date, true).flatten();
        let time = time_of_day(&mut p, "time", &self.time);
        p.finish(())?;
        match (date, time) {
            (Some(date), Some(time)) => Ok(HearingChange::Moved { date, time }),
            _ => Err(incomplete()),
        }
    }
}

/// An outcome as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawOutcome {
    pub outcome: String,
    pub sentence: String,
    pub decided_on: String,
}

/// A validated outcome. The sentence is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutcome {
    pub outcome: ProceedingOutcome,
    pub sentence: Option<String>,
    pub decided_on: Option<Day>,
}

impl RawOutcome {
    pub fn validate(self) -> Result<NewOutcome, Problems> {
        let mut p = Problems::default();
        let outcome = vocab(
            &mut p,
            "outcome",
            &self.outcome,
            ProceedingOutcome::parse,
            ProceedingOutcome::allowed(),
        );
        let sentence = text(&mut p, "sentence", &self.sentence, false, NOTE_MAX);
        let decided_on = date_field(&mut p, "decided_on", &self.decided_on, false);
        p.finish(())?;
        match (outcome, decided_on) {
            (Some(outcome), Some(decided_on)) => Ok(NewOutcome {
                outcome,
                sentence,
                decided_on,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// Compensation ordered, as submitted: the amount and its currency.
pub fn compensation(amount: &Amount, currency: &str) -> Result<Money, Problems> {
    let mut p = Problems::default();
    let m = money_field(&mut p, "amount", "currency", amount, currency, true);
    p.finish(())?;
    m.flatten().ok_or_else(incomplete)
}

/// A payment of ordered compensation, as submitted (in the order's currency).
#[derive(Debug, Clone, Default)]
pub struct RawPayment {
    pub amount: Amount,
    pub paid_on: String,
}

/// A validated payment, in minor units of the order's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub minor: i64,
    pub paid_on: Day,
}

impl RawPayment {
    /// Checks the payment against the order's currency.
    pub fn validate(
        self,
        currency: crate::labour::money::Currency,
    ) -> Result<NewPayment, Problems> {
        let mut p = Problems::default();
        let m = money_field(
            &mut p,
            "amount",
            "currency",
            &self.amount,
            currency.as_str(),
            true,
        );
        let paid_on = date_field(&mut p, "paid_on", &self.paid_on, true).flatten();
        if let Some(Some(m)) = m
            && m.minor == 0
        {
            p.add(
                "amount",
                crate::ErrorCode::InvalidValue,
                "amount must be more than zero",
            );
        }
        p.finish(())?;
        match (m.flatten(), paid_on) {
            (Some(m), Some(paid_on)) => Ok(NewPayment {
                minor: m.minor,
                paid_on,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// A stance on cooperation as submitted.
pub fn cooperation(stance: &str, on: &str) -> Result<(CooperationStance, Day), Problems> {
    let mut p = Problems::default();
    let s = vocab(
        &mut p,
        "stance",
        stance,
        CooperationStance::parse,
        CooperationStance::allowed(),
    );
    let d = date_field(&mut p, "stated_on", on, true).flatten();
    p.finish(())?;
    match (s, d) {
        (Some(s), Some(d)) => Ok((s, d)),
        _ => Err(incomplete()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(e: &Problems) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    fn stage() -> impl Strategy<Value = ProceedingStage> {
        proptest::sample::select(ProceedingStage::ALL.to_vec())
    }

    #[test]
    fn a_proceeding_needs_kind_and_an_open_stage() {
        let e = RawProceeding::default().validate().expect_err("empty");
        assert_eq!(fields(&e), vec!["kind", "stage"]);
        let e = RawProceeding {
            kind: "criminal".into(),
            stage: "closed".into(),
            victim_role: "judge".into(),
            ..Default::default()
        }
        .validate()
        .expect_err("closed, bad role");
        assert_eq!(fields(&e), vec!["stage", "victim_role"]);
        let p = RawProceeding {
            kind: "criminal".into(),
            stage: "trial".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(p.victim_role, VictimRole::None);
        assert_eq!(p.authority, None);
    }

    #[test]
    fn perpetrators_need_a_role_and_checked_facts() {
        let e = RawPerpetrator::default().validate().expect_err("no role");
        assert_eq!(fields(&e), vec!["roles"]);
        let e = RawPerpetrator {
            roles: vec!["exploiter".into(), "villain".into()],
            sex: "x".into(),
            age_band: "old".into(),
            citizenship: "Narnia".into(),
            relation: "friend".into(),
            details: String::new(),
        }
        .validate()
        .expect_err("bad");
        assert_eq!(
            fields(&e),
            vec!["roles", "sex", "age_band", "citizenship", "relation"]
        );
        let ok = RawPerpetrator {
            roles: vec!["exploiter".into(), "recruiter_or_intermediary".into()],
            sex: "masculine".into(),
            age_band: "36_50".into(),
            citizenship: "gb".into(),
            relation: "acquainted".into(),
            details: "Owner of the farm".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(
            ok.roles,
            vec![
                PerpetratorRole::RecruiterOrIntermediary,
                PerpetratorRole::Exploiter
            ]
        );
    }

    #[test]
    fn perpetrator_roles_are_the_htcds_picklist() {
        let htcds = "TravellingPartner;Transporter;RecruiterOrIntermediary;BrokerTravelAgent;TransferredIndividual;HarbouredIndividual;SoldIndividual;BoughtIndividual;ReceivedIndividual;ControlledIndividual;Smuggler;Abuser;Kidnapper;Exploiter;Other";
        let ours: Vec<String> = PerpetratorRole::ALL
            .iter()
            .map(|r| r.as_str().replace('_', ""))
            .collect();
        let theirs: Vec<String> = htcds.split(';').map(|v| v.to_lowercase()).collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn hearings_and_their_task() {
        let h = RawHearing {
            date: "2026-12-14".into(),
            time: "09:30".into(),
            kind: "trial".into(),
            place: "Crown Court, room 2".into(),
        }
        .validate()
        .expect("valid");
        assert_eq!(h.task_due().to_string(), "2026-12-07");
        let e = RawHearing {
            date: "soon".into(),
            time: "9.30".into(),
            kind: "party".into(),
            place: String::new(),
        }
        .validate()
        .expect_err("bad");
        assert_eq!(fields(&e), vec!["date", "time", "kind"]);
        assert!(matches!(
            RawHearingChange {
                cancelled: true,
                ..Default::default()
            }
            .validate(),
            Ok(HearingChange::Cancelled)
        ));
        let e = RawHearingChange::default().validate().expect_err("no date");
        assert_eq!(fields(&e), vec!["date"]);
    }

    #[test]
    fn outcomes_measures_money_and_cooperation() {
        let e = RawOutcome::default().validate().expect_err("empty");
        assert_eq!(fields(&e), vec!["outcome"]);
        assert!(measure("video_link", "granted").is_ok());
        let e = measure("cake", "maybe").expect_err("bad");
        assert_eq!(fields(&e), vec!["kind", "status"]);
        let e = compensation(&Amount::Missing, "").expect_err("empty");
        assert_eq!(fields(&e), vec!["amount", "currency"]);
        let eur = crate::labour::money::Currency::parse("EUR").expect("eur");
        let e = RawPayment {
            amount: Amount::Minor(0),
            paid_on: "2026-01-01".into(),
        }
        .validate(eur)
        .expect_err("zero");
        assert_eq!(fields(&e), vec!["amount"]);
        let e = cooperation("maybe", "").expect_err("bad");
        assert_eq!(fields(&e), vec!["stance", "stated_on"]);
    }

    proptest! {
        #[test]
        fn stages_move_forward_only_and_closed_is_final(from in stage(), to in stage()) {
            let allowed = may_move(from, to);
            // Nothing leaves closed; nothing moves to itself or back.
            if from == ProceedingStage::Closed { prop_assert!(!allowed); }
            if to.rank() <= from.rank() { prop_assert!(!allowed); }
            // Every open stage may close, and every later stage may be reached.
            if from != ProceedingStage::Closed && to.rank() > from.rank() { prop_assert!(allowed); }
            // The checked change agrees with the rule and names the field when refused.
            match stage_change(from, to.as_str()) {
                Ok(s) => { prop_assert!(allowed); prop_assert_eq!(s, to); }
                Err(p) => {
                    prop_assert!(!allowed);
                    prop_assert_eq!(p.0[0].field.as_str(), "stage");
                    prop_assert_eq!(p.0[0].code, crate::ErrorCode::TransitionNotAllowed);
                }
            }
        }

        #[test]
        fn any_walk_of_allowed_moves_ends_closed_within_seven_steps(
            picks in proptest::collection::vec(0usize..7, 0..20)
        ) {
            let mut at = ProceedingStage::Complaint;
            let mut steps = 0;
            for pick in picks {
                let next = ProceedingStage::ALL[pick];
                if may_move(at, next) {
                    prop_assert!(next.rank() > at.rank());
                    at = next;
                    steps += 1;
                }
            }
            prop_assert!(steps < ProceedingStage::ALL.len());
        }
    }
}
