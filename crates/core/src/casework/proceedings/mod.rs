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

mod hearings;
mod outcome;
mod perpetrators;
#[cfg(test)]
mod tests;

pub use hearings::{
    HEARING_TASK_DAYS_BEFORE, HearingChange, NewHearing, RawHearing, RawHearingChange,
};
pub use outcome::{NewOutcome, NewPayment, RawOutcome, RawPayment, compensation, measure};
pub use perpetrators::{NewPerpetrator, RawPerpetrator};

use super::calendar::{Day, date_field};
use crate::validate::{Problems, required_value, text};
use crate::vocab::vocabulary;

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
