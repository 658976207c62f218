//! The request and response types of the return API, owned by the API: responses are built
//! from the store's values by `From`, and the OpenAPI schemas are derived from these types.

use passage_core::casework::returns::{
    Dimension, DocumentStatus, FamilyWilling, RawChoice, RawFamily, RawJourney, RawRisk, RawVisit,
    ReturnChoice, ReturnRisk, VisitMonth, dimension_scores, item_named,
};
use passage_store::casework::returns as store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A risk on return as sent; the note is sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReturnRisk {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::return_risk, required = true)]
    pub risk: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl From<NewReturnRisk> for RawRisk {
    fn from(b: NewReturnRisk) -> RawRisk {
        RawRisk {
            risk: b.risk,
            note: b.note.unwrap_or_default(),
        }
    }
}

/// The family assessment as sent; the note is sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilyAssessment {
    /// Whether the family is willing and able to receive the person
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::family_willing, required = true)]
    pub willing: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl From<FamilyAssessment> for RawFamily {
    fn from(b: FamilyAssessment) -> RawFamily {
        RawFamily {
            willing: b.willing,
            note: b.note.unwrap_or_default(),
        }
    }
}

/// The person's informed choice as sent. The language must be one of the person's
/// languages; the person's own words are sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReturnChoice {
    /// The language the person was informed in (ISO 639 code)
    #[serde(default)]
    #[schema(required = true)]
    pub language: String,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub informed_on: String,
    #[serde(default)]
    pub interpreter: bool,
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::return_choice, required = true)]
    pub choice: String,
    /// The choice was made freely
    #[serde(default)]
    pub voluntary: bool,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub own_words: Option<String>,
}

impl From<NewReturnChoice> for RawChoice {
    fn from(b: NewReturnChoice) -> RawChoice {
        RawChoice {
            language: b.language,
            informed_on: b.informed_on,
            interpreter: b.interpreter,
            choice: b.choice,
            voluntary: b.voluntary,
            own_words: b.own_words.unwrap_or_default(),
        }
    }
}

/// The journey plan as sent. Route legs and reception are sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JourneyPlan {
    /// The country of return (ISO 3166-1 alpha-2)
    #[serde(default)]
    #[schema(required = true)]
    pub country: String,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub departure_on: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub legs: Option<String>,
    #[serde(default)]
    pub escort: bool,
    /// Who receives the person on arrival, and how
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub reception: Option<String>,
    /// YYYY-MM-DD; the reintegration visits fall due 3, 6 and 12 months after it
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub arrival_on: String,
}

impl From<JourneyPlan> for RawJourney {
    fn from(b: JourneyPlan) -> RawJourney {
        RawJourney {
            country: b.country,
            departure_on: b.departure_on,
            legs: b.legs.unwrap_or_default(),
            escort: b.escort,
            reception: b.reception.unwrap_or_default(),
            arrival_on: b.arrival_on,
        }
    }
}

/// A referral of the case, made through the referral network.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkReferral {
    #[serde(default)]
    #[schema(format = Uuid, required = true)]
    pub referral_id: String,
}

/// Where the travel documents stand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentStatusChange {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::document_status, required = true)]
    pub status: String,
}

/// A reintegration visit as sent: every item of the survey answered (`answers`, item →
/// answer), each from its own scale. Answers and note are sealed at rest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReintegrationVisit {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::visit_month, required = true)]
    pub month: String,
    /// YYYY-MM-DD
    #[serde(default)]
    #[schema(format = Date, required = true)]
    pub visited_on: String,
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl From<NewReintegrationVisit> for RawVisit {
    fn from(b: NewReintegrationVisit) -> RawVisit {
        RawVisit {
            month: b.month,
            visited_on: b.visited_on,
            answers: b.answers.into_iter().collect(),
            note: b.note.unwrap_or_default(),
        }
    }
}

/// What was recorded: its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnRecorded {
    pub id: Uuid,
}

/// A risk on return.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnRiskRecord {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::return_risk)]
    pub risk: ReturnRisk,
    pub note: Option<String>,
}

/// A recorded choice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnChoiceRecord {
    pub id: Uuid,
    pub language: String,
    /// YYYY-MM-DD
    pub informed_on: String,
    pub interpreter: bool,
    #[schema(schema_with = crate::kit::schema::return_choice)]
    pub choice: ReturnChoice,
    pub voluntary: bool,
    pub own_words: Option<String>,
}

/// The journey plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Journey {
    pub country: String,
    pub departure_on: String,
    pub legs: Option<String>,
    pub escort: bool,
    pub reception: Option<String>,
    pub arrival_on: String,
}

/// A referral the return rests on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnReferral {
    pub referral_id: Uuid,
    pub organisation_name: String,
    /// The referral's status
    pub status: String,
    /// The receiver's access ended (consent withdrawn or protection)
    pub access_ended: bool,
}

impl From<store::LinkedReferral> for ReturnReferral {
    fn from(r: store::LinkedReferral) -> ReturnReferral {
        ReturnReferral {
            referral_id: r.referral_id,
            organisation_name: r.organisation_name,
            status: r.status.as_str().to_string(),
            access_ended: r.access_ended,
        }
    }
}

/// One answer of a visit, with the item's dimension.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyAnswer {
    pub item: String,
    #[schema(schema_with = crate::kit::schema::reintegration_dimension)]
    pub dimension: Dimension,
    pub answer: String,
}

/// A dimension's score computed from the answers: the mean of its scored items, 0 (least
/// sustainable) to 1, every item weighing the same.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DimensionScore {
    #[schema(schema_with = crate::kit::schema::reintegration_dimension)]
    pub dimension: Dimension,
    pub score: Option<f64>,
    /// How many items were scored (an item answered not_applicable is left out)
    pub items: usize,
}

/// A reintegration visit as recorded by the partner in the country of origin.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReintegrationVisit {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::visit_month)]
    pub month: VisitMonth,
    /// YYYY-MM-DD
    pub visited_on: String,
    pub answers: Vec<SurveyAnswer>,
    pub scores: Vec<DimensionScore>,
    pub note: Option<String>,
}

pub(crate) fn scores_of(answers: &[(String, String)]) -> Vec<DimensionScore> {
    dimension_scores(answers)
        .into_iter()
        .map(|d| DimensionScore {
            dimension: d.dimension,
            score: d.score,
            items: d.items,
        })
        .collect()
}

impl From<store::VisitRecord> for ReintegrationVisit {
    fn from(v: store::VisitRecord) -> ReintegrationVisit {
        ReintegrationVisit {
            id: v.id,
            month: v.month,
            visited_on: v.visited_on.to_string(),
            scores: scores_of(&v.answers),
            answers: v
                .answers
                .into_iter()
                .filter_map(|(k, a)| {
                    item_named(&k).map(|i| SurveyAnswer {
                        item: k,
                        dimension: i.dimension,
                        answer: a,
                    })
                })
                .collect(),
            note: v.note,
        }
    }
}

/// A visit and when it falls due.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitDue {
    #[schema(schema_with = crate::kit::schema::visit_month)]
    pub month: VisitMonth,
    /// YYYY-MM-DD, counted from the arrival date
    pub due_on: String,
}

fn due(arrival: Option<passage_core::casework::calendar::Day>) -> Vec<VisitDue> {
    arrival
        .map(|a| {
            VisitMonth::ALL
                .iter()
                .map(|m| VisitDue {
                    month: *m,
                    due_on: m.due_on(a).to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The return prepared on a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Return {
    pub risks: Vec<ReturnRiskRecord>,
    #[schema(schema_with = crate::kit::schema::family_willing_or_null)]
    pub family_willing: Option<FamilyWilling>,
    pub family_note: Option<String>,
    /// Newest first: the first is the one that decides whether a plan may go ahead
    pub choices: Vec<ReturnChoiceRecord>,
    pub journey: Option<Journey>,
    /// A protection need recorded after the plan lists its country: the plan may not go ahead
    pub journey_refused: bool,
    /// The referral to a consulate that asked for travel documents
    pub documents: Option<ReturnReferral>,
    #[schema(schema_with = crate::kit::schema::document_status_or_null)]
    pub document_status: Option<DocumentStatus>,
    /// The cross-border referral that handed reintegration follow-up over
    pub handover: Option<ReturnReferral>,
    pub visits_due: Vec<VisitDue>,
    /// The visits the partner recorded, flowing back
    pub visits: Vec<ReintegrationVisit>,
}

impl From<store::ReturnView> for Return {
    fn from(v: store::ReturnView) -> Return {
        Return {
            risks: v
                .risks
                .into_iter()
                .map(|r| ReturnRiskRecord {
                    id: r.id,
                    risk: r.risk,
                    note: r.note,
                })
                .collect(),
            family_willing: v.family_willing,
            family_note: v.family_note,
            choices: v
                .choices
                .into_iter()
                .map(|c| ReturnChoiceRecord {
                    id: c.id,
                    language: c.language,
                    informed_on: c.informed_on.to_string(),
                    interpreter: c.interpreter,
                    choice: c.choice,
                    voluntary: c.voluntary,
                    own_words: c.own_words,
                })
                .collect(),
            visits_due: due(v.journey.as_ref().map(|j| j.arrival_on)),
            journey: v.journey.map(|j| Journey {
                country: j.country.as_str().to_string(),
                departure_on: j.departure_on.to_string(),
                legs: j.legs,
                escort: j.escort,
                reception: j.reception,
                arrival_on: j.arrival_on.to_string(),
            }),
            journey_refused: v.journey_refused,
            documents: v.documents.map(ReturnReferral::from),
            document_status: v.document_status,
            handover: v.handover.map(ReturnReferral::from),
            visits: v.visits.into_iter().map(ReintegrationVisit::from).collect(),
        }
    }
}

/// What the partner in the country of origin reads on its hand-over referral.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReintegrationFollowUp {
    pub referral_id: Uuid,
    /// YYYY-MM-DD
    pub arrival_on: Option<String>,
    pub visits_due: Vec<VisitDue>,
    pub visits: Vec<ReintegrationVisit>,
}

impl From<store::ReintegrationFollowUp> for ReintegrationFollowUp {
    fn from(f: store::ReintegrationFollowUp) -> ReintegrationFollowUp {
        ReintegrationFollowUp {
            referral_id: f.referral_id,
            arrival_on: f.arrival_on.map(|d| d.to_string()),
            visits_due: due(f.arrival_on),
            visits: f.visits.into_iter().map(ReintegrationVisit::from).collect(),
        }
    }
}
