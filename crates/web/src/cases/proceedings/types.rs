//! The request and response types of the proceedings API, owned by the API: responses are
//! built from the store's values by `From`, and the OpenAPI schemas are derived from these
//! types.

use passage_core::casework::proceedings::{
    AgeBand, CooperationStance, HearingKind, MeasureKind, MeasureStatus, PerpetratorRelation,
    PerpetratorRole, ProceedingKind, ProceedingOutcome, ProceedingStage, RawHearing,
    RawHearingChange, RawOutcome, RawPerpetrator, RawProceeding, VictimRole,
};
use passage_store::casework::proceedings as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A proceeding as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProceeding {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::proceeding_kind, required = true)]
    pub kind: String,
    /// Where the proceeding stands now (not closed)
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::proceeding_stage, required = true)]
    pub stage: String,
    /// The court, prosecutor, police unit or tribunal; sealed at rest
    #[serde(default)]
    #[schema(max_length = 500)]
    pub authority: Option<String>,
    /// The authority's reference; sealed at rest
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reference: Option<String>,
    /// The victim's role (none when absent)
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::victim_role)]
    pub victim_role: Option<String>,
}

impl From<NewProceeding> for RawProceeding {
    fn from(b: NewProceeding) -> RawProceeding {
        RawProceeding {
            kind: b.kind,
            stage: b.stage,
            authority: b.authority.unwrap_or_default(),
            reference: b.reference.unwrap_or_default(),
            victim_role: b.victim_role.unwrap_or_default(),
        }
    }
}

/// A stage change: a later stage, or closed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::proceeding_stage, required = true)]
    pub stage: String,
}

/// A perpetrator as sent (HTCDS 2.0 `per_*`); every value is sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerpetrator {
    /// HTCDS per_RoleInProcess, at least one
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::perpetrator_roles, required = true)]
    pub roles: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::sex)]
    pub sex: Option<String>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::age_band)]
    pub age_band: Option<String>,
    /// ISO 3166-1 alpha-2
    #[serde(default)]
    pub citizenship: Option<String>,
    /// Relation to the victim
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::perpetrator_relation)]
    pub relation: Option<String>,
    /// HTCDS per_RoleDetails
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub details: Option<String>,
}

impl From<NewPerpetrator> for RawPerpetrator {
    fn from(b: NewPerpetrator) -> RawPerpetrator {
        RawPerpetrator {
            roles: b.roles,
            sex: b.sex.unwrap_or_default(),
            age_band: b.age_band.unwrap_or_default(),
            citizenship: b.citizenship.unwrap_or_default(),
            relation: b.relation.unwrap_or_default(),
            details: b.details.unwrap_or_default(),
        }
    }
}

/// A perpetrator of the case linked to a proceeding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerpetratorLink {
    #[serde(default)]
    #[schema(format = Uuid, required = true)]
    pub perpetrator_id: String,
}

/// A protection measure asked, granted or refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureChange {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::measure_kind, required = true)]
    pub kind: String,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::measure_status, required = true)]
    pub status: String,
}

/// A hearing as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHearing {
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub date: String,
    /// HH:MM
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::hearing_kind, required = true)]
    pub kind: String,
    /// Sealed at rest
    #[serde(default)]
    #[schema(max_length = 500)]
    pub place: Option<String>,
}

impl From<NewHearing> for RawHearing {
    fn from(b: NewHearing) -> RawHearing {
        RawHearing {
            date: b.date,
            time: b.time.unwrap_or_default(),
            kind: b.kind,
            place: b.place.unwrap_or_default(),
        }
    }
}

/// A hearing moved to a new date (and time), or cancelled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HearingUpdate {
    /// YYYY-MM-DD, required unless cancelled
    #[serde(default)]
    #[schema(format = Date)]
    pub date: Option<String>,
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub cancelled: bool,
}

impl From<HearingUpdate> for RawHearingChange {
    fn from(b: HearingUpdate) -> RawHearingChange {
        RawHearingChange {
            date: b.date.unwrap_or_default(),
            time: b.time.unwrap_or_default(),
            cancelled: b.cancelled,
        }
    }
}

/// How a proceeding ended.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutcome {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::proceeding_outcome, required = true)]
    pub outcome: String,
    /// Sealed at rest
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub sentence: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date)]
    pub decided_on: Option<String>,
}

impl From<NewOutcome> for RawOutcome {
    fn from(b: NewOutcome) -> RawOutcome {
        RawOutcome {
            outcome: b.outcome,
            sentence: b.sentence.unwrap_or_default(),
            decided_on: b.decided_on.unwrap_or_default(),
        }
    }
}

/// Compensation ordered, in minor units of an ISO 4217 currency.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompensation {
    #[serde(default)]
    #[schema(minimum = 0, required = true)]
    pub amount: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    pub currency: String,
}

/// A payment of ordered compensation, in minor units of the order's currency.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    #[serde(default)]
    #[schema(minimum = 1, required = true)]
    pub amount: Option<i64>,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub paid_on: String,
}

/// The person's stance on cooperating with law enforcement, and since when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCooperation {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::cooperation_stance, required = true)]
    pub stance: String,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub stated_on: String,
}

/// What was recorded: its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProceedingRecorded {
    pub id: Uuid,
}

/// A perpetrator as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Perpetrator {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::perpetrator_roles)]
    pub roles: Vec<PerpetratorRole>,
    #[schema(schema_with = crate::kit::schema::sex_or_null)]
    pub sex: Option<passage_core::Sex>,
    #[schema(schema_with = crate::kit::schema::age_band_or_null)]
    pub age_band: Option<AgeBand>,
    pub citizenship: Option<String>,
    #[schema(schema_with = crate::kit::schema::perpetrator_relation_or_null)]
    pub relation: Option<PerpetratorRelation>,
    pub details: Option<String>,
}

impl From<store::PerpetratorRecord> for Perpetrator {
    fn from(p: store::PerpetratorRecord) -> Perpetrator {
        Perpetrator {
            id: p.id,
            roles: p.roles,
            sex: p.sex,
            age_band: p.age_band,
            citizenship: p.citizenship.map(|c| c.to_string()),
            relation: p.relation,
            details: p.details,
        }
    }
}

/// One move of a proceeding's stage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageMove {
    #[schema(schema_with = crate::kit::schema::proceeding_stage_or_null)]
    pub from: Option<ProceedingStage>,
    #[schema(schema_with = crate::kit::schema::proceeding_stage)]
    pub to: ProceedingStage,
    /// Who moved it
    pub by: String,
    /// Unix milliseconds
    pub at: i64,
}

/// A protection measure and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Measure {
    #[schema(schema_with = crate::kit::schema::measure_kind)]
    pub kind: MeasureKind,
    #[schema(schema_with = crate::kit::schema::measure_status)]
    pub status: MeasureStatus,
}

/// A hearing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hearing {
    pub id: Uuid,
    /// YYYY-MM-DD
    pub date: String,
    pub time: Option<String>,
    #[schema(schema_with = crate::kit::schema::hearing_kind)]
    pub kind: HearingKind,
    pub place: Option<String>,
    pub cancelled: bool,
    /// The preparation task on the case's work list, due seven days before
    pub task_id: Option<Uuid>,
}

/// A payment of ordered compensation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Payment {
    pub id: Uuid,
    /// Minor units
    pub amount: i64,
    /// YYYY-MM-DD
    pub paid_on: String,
}

/// Compensation ordered and what was paid, in minor units.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Compensation {
    pub ordered: i64,
    pub paid: i64,
    pub currency: String,
    pub payments: Vec<Payment>,
}

/// A proceeding with everything recorded of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proceeding {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::proceeding_kind)]
    pub kind: ProceedingKind,
    #[schema(schema_with = crate::kit::schema::proceeding_stage)]
    pub stage: ProceedingStage,
    pub authority: Option<String>,
    pub reference: Option<String>,
    #[schema(schema_with = crate::kit::schema::victim_role)]
    pub victim_role: VictimRole,
    #[schema(schema_with = crate::kit::schema::proceeding_outcome_or_null)]
    pub outcome: Option<ProceedingOutcome>,
    pub sentence: Option<String>,
    pub decided_on: Option<String>,
    pub stages: Vec<StageMove>,
    /// Ids of the case's perpetrators linked to it
    pub perpetrators: Vec<Uuid>,
    pub measures: Vec<Measure>,
    pub hearings: Vec<Hearing>,
    pub compensation: Option<Compensation>,
}

impl From<store::ProceedingRecord> for Proceeding {
    fn from(p: store::ProceedingRecord) -> Proceeding {
        Proceeding {
            id: p.id,
            kind: p.kind,
            stage: p.stage,
            authority: p.authority,
            reference: p.reference,
            victim_role: p.victim_role,
            outcome: p.outcome,
            sentence: p.sentence,
            decided_on: p.decided_on.map(|d| d.to_string()),
            stages: p
                .stages
                .into_iter()
                .map(|s| StageMove {
                    from: s.from,
                    to: s.to,
                    by: s.by,
                    at: s.at,
                })
                .collect(),
            perpetrators: p.perpetrators,
            measures: p
                .measures
                .into_iter()
                .map(|m| Measure {
                    kind: m.kind,
                    status: m.status,
                })
                .collect(),
            hearings: p
                .hearings
                .into_iter()
                .map(|h| Hearing {
                    id: h.id,
                    date: h.date.to_string(),
                    time: h.time,
                    kind: h.kind,
                    place: h.place,
                    cancelled: h.cancelled,
                    task_id: h.task_id,
                })
                .collect(),
            compensation: p.compensation.map(|c| Compensation {
                ordered: c.ordered.minor,
                paid: c.paid.minor,
                currency: c.ordered.currency.as_str().to_string(),
                payments: c
                    .payments
                    .into_iter()
                    .map(|x| Payment {
                        id: x.id,
                        amount: x.money.minor,
                        paid_on: x.paid_on.to_string(),
                    })
                    .collect(),
            }),
        }
    }
}

/// The person's stance on cooperation, as last recorded. Assistance never depends on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cooperation {
    #[schema(schema_with = crate::kit::schema::cooperation_stance_or_null)]
    pub stance: Option<CooperationStance>,
    /// YYYY-MM-DD
    pub stated_on: Option<String>,
}
