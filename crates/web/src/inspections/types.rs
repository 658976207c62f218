//! The request and response types of labour inspection over the API; the OpenAPI schemas are
//! derived from them. Every field of a body is read as text and checked by the core rules, so a
//! missing or unknown value is a 422 naming the field, never a parse error. No response type
//! here has a field for a complaint, a case, a report or a person.

use passage_core::labour::entities::RawSanction;
use passage_core::labour::inspection::{
    LawCategory, PartValue, RawInspection, RawOrder, ScorePart, VisitStatus,
};
use passage_core::stats::Cell;
use passage_store::labour::inspections::{InspectionView, Target, WorkList};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

fn strings(all: impl Iterator<Item = &'static str>) -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(all))
        .build()
}

fn visit_status() -> utoipa::openapi::Object {
    strings(VisitStatus::ALL.iter().map(|v| v.as_str()))
}
fn law_category() -> utoipa::openapi::Object {
    strings(LawCategory::ALL.iter().map(|v| v.as_str()))
}

/// An order a visit issued: the labour-law category it enforces and its compliance deadline.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    #[serde(default)]
    #[schema(required = true, schema_with = law_category)]
    pub category: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(required = true)]
    pub deadline: String,
}

/// A sanction a visit confirmed: it is recorded in the register and shown on the public
/// recruiter check.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SanctionInput {
    #[serde(default)]
    #[schema(required = true, max_length = 1000)]
    pub description: String,
    #[serde(default)]
    #[schema(required = true, max_length = 200)]
    pub authority: String,
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    #[schema(required = true)]
    pub decided_on: String,
}

/// A visit to record. Findings, orders, a sanction and a follow-up belong to a visit done.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    #[serde(default)]
    #[schema(required = true)]
    pub entity_id: String,
    #[serde(default)]
    #[schema(required = true, schema_with = visit_status)]
    pub status: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    #[schema(required = true)]
    pub planned_on: String,
    /// YYYY-MM-DD; required for a visit done.
    #[serde(default)]
    pub done_on: Option<String>,
    /// Other organisations of the network the visit was joint with, by id.
    #[serde(default)]
    pub joint_with: Vec<String>,
    /// ILO forced-labour indicators found, by the ids of the built-in screening instrument.
    #[serde(default)]
    pub indicators: Vec<String>,
    /// Labour-law categories in breach.
    #[serde(default)]
    pub law_categories: Vec<String>,
    #[serde(default)]
    pub orders: Vec<OrderInput>,
    #[serde(default)]
    pub sanction: Option<SanctionInput>,
    /// YYYY-MM-DD: plans a follow-up visit on that day.
    #[serde(default)]
    pub follow_up_on: Option<String>,
}

impl InspectionInput {
    pub fn raw(&self) -> RawInspection {
        RawInspection {
            entity_id: self.entity_id.clone(),
            status: self.status.clone(),
            planned_on: self.planned_on.clone(),
            done_on: self.done_on.clone().unwrap_or_default(),
            joint_with: self.joint_with.clone(),
            indicators: self.indicators.clone(),
            law_categories: self.law_categories.clone(),
            orders: self
                .orders
                .iter()
                .map(|o| RawOrder {
                    category: o.category.clone(),
                    deadline: o.deadline.clone(),
                })
                .collect(),
            sanction: self.sanction.as_ref().map(|s| RawSanction {
                description: s.description.clone(),
                authority: s.authority.clone(),
                decided_on: s.decided_on.clone(),
            }),
            follow_up_on: self.follow_up_on.clone().unwrap_or_default(),
        }
    }
}

/// What became of a planned visit: done (with what it found, ordered, confirmed and planned
/// next) or cancelled.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// done or cancelled.
    #[serde(default)]
    #[schema(required = true, schema_with = visit_status)]
    pub status: String,
    /// YYYY-MM-DD; required for a visit done.
    #[serde(default)]
    pub done_on: Option<String>,
    #[serde(default)]
    pub joint_with: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub law_categories: Vec<String>,
    #[serde(default)]
    pub orders: Vec<OrderInput>,
    #[serde(default)]
    pub sanction: Option<SanctionInput>,
    #[serde(default)]
    pub follow_up_on: Option<String>,
}

impl OutcomeInput {
    pub fn raw(self) -> RawInspection {
        InspectionInput {
            entity_id: String::new(),
            status: self.status,
            planned_on: String::new(),
            done_on: self.done_on,
            joint_with: self.joint_with,
            indicators: self.indicators,
            law_categories: self.law_categories,
            orders: self.orders,
            sanction: self.sanction,
            follow_up_on: self.follow_up_on,
        }
        .raw()
    }
}

/// The day an order was complied with.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplianceInput {
    /// YYYY-MM-DD, not after today.
    #[serde(default)]
    #[schema(required = true)]
    pub complied_on: String,
}

/// A record made: its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionCreated {
    pub id: Uuid,
}

/// One part of a score: `complaints` (reports and cases naming the entity, `null` under k and
/// then worth no points), `indicators_found` (distinct forced-labour indicators found by past
/// visits), `licence_status` (revoked, suspended and unknown weigh more) and
/// `days_since_last_visit` (`null` when never visited, which weighs most).
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetPart {
    pub factor: &'static str,
    /// A count, a licence status, or `null`.
    #[schema(value_type = Object)]
    pub value: Value,
    pub points: u64,
}

impl From<&ScorePart> for TargetPart {
    fn from(p: &ScorePart) -> TargetPart {
        TargetPart {
            factor: p.factor,
            value: match &p.value {
                PartValue::Count(Some(n)) => Value::from(*n),
                PartValue::Count(None) => Value::Null,
                PartValue::Status(s) => Value::from(s.as_str()),
            },
            points: p.points,
        }
    }
}

/// An entity ranked for inspection: its score and the parts it is the sum of.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetItem {
    pub entity_id: Uuid,
    pub score: u64,
    pub parts: Vec<TargetPart>,
}

impl From<&Target> for TargetItem {
    fn from(t: &Target) -> TargetItem {
        TargetItem {
            entity_id: t.entity_id,
            score: t.risk.score,
            parts: t.risk.parts.iter().map(TargetPart::from).collect(),
        }
    }
}

/// The country and sector of a ranking.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetQuery {
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// An ISIC Rev.4 section letter (A–U).
    pub sector: Option<String>,
}

/// An organisation a visit was joint with.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agency {
    pub id: Uuid,
    pub name: String,
}

/// An order as a visit shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderItem {
    pub id: Uuid,
    #[schema(schema_with = law_category)]
    pub category: &'static str,
    pub deadline: String,
    pub complied_on: Option<String>,
    /// Past its deadline and not complied with.
    pub overdue: bool,
}

/// A sanction a visit confirmed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SanctionItem {
    pub description: String,
    pub authority: String,
    pub decided_on: String,
}

/// A follow-up visit planned from a visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpItem {
    pub id: Uuid,
    pub planned_on: String,
    #[schema(schema_with = visit_status)]
    pub status: &'static str,
}

/// Complaints naming the entity under one category, across the network; `null` under k.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryCount {
    pub category: String,
    pub count: Option<u64>,
}

/// A visit, as its inspectorate reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionDetail {
    pub id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    #[schema(schema_with = visit_status)]
    pub status: &'static str,
    pub planned_on: String,
    pub done_on: Option<String>,
    pub joint_with: Vec<Agency>,
    /// ILO forced-labour indicators found, by the ids of the built-in screening instrument.
    pub indicators: Vec<String>,
    pub law_categories: Vec<&'static str>,
    pub orders: Vec<OrderItem>,
    pub sanctions: Vec<SanctionItem>,
    pub follow_up_of: Option<Uuid>,
    pub follow_ups: Vec<FollowUpItem>,
    /// What complaints and cases say of the entity: counts by category, `null` under k.
    pub complaints_by_category: Vec<CategoryCount>,
    /// Complaints whose forced-labour screening answered yes, by indicator, `null` under k.
    pub complaints_by_indicator: Vec<IndicatorCount>,
}

/// Complaints naming the entity whose screening found one indicator; `null` under k.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorCount {
    pub indicator: String,
    pub count: Option<u64>,
}

impl InspectionDetail {
    pub fn of(v: InspectionView, cells: Vec<Cell>) -> InspectionDetail {
        InspectionDetail {
            id: v.id,
            entity_id: v.entity_id,
            entity_name: v.entity_name,
            status: v.status.as_str(),
            planned_on: v.planned_on,
            done_on: v.done_on,
            joint_with: v
                .joint_with
                .into_iter()
                .map(|(id, name)| Agency { id, name })
                .collect(),
            indicators: v.indicators,
            law_categories: v.law_categories.iter().map(|c| c.as_str()).collect(),
            orders: v
                .orders
                .into_iter()
                .map(|o| OrderItem {
                    id: o.id,
                    category: o.category.as_str(),
                    deadline: o.deadline,
                    complied_on: o.complied_on,
                    overdue: o.overdue,
                })
                .collect(),
            sanctions: v
                .sanctions
                .into_iter()
                .map(|(description, authority, decided_on)| SanctionItem {
                    description,
                    authority,
                    decided_on,
                })
                .collect(),
            follow_up_of: v.follow_up_of,
            complaints_by_indicator: v
                .reported_indicators
                .into_iter()
                .map(|c| IndicatorCount {
                    indicator: c.key,
                    count: c.count,
                })
                .collect(),
            follow_ups: v
                .follow_ups
                .into_iter()
                .map(|(id, planned_on, s)| FollowUpItem {
                    id,
                    planned_on,
                    status: s.as_str(),
                })
                .collect(),
            complaints_by_category: cells
                .into_iter()
                .map(|c| CategoryCount {
                    category: c.key,
                    count: c.count,
                })
                .collect(),
        }
    }
}

/// A visit on the work list.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitListItem {
    pub id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    pub planned_on: String,
    /// Planned as the follow-up of an earlier visit.
    pub follow_up: bool,
}

/// An order past its deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueOrderItem {
    pub id: Uuid,
    pub inspection_id: Uuid,
    pub entity_id: Uuid,
    pub entity_name: String,
    #[schema(schema_with = law_category)]
    pub category: &'static str,
    pub deadline: String,
}

/// The inspectorate's work list.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkListView {
    /// Visits planned, by date.
    pub planned: Vec<VisitListItem>,
    /// Follow-up visits planned before today and not yet done.
    pub overdue_follow_ups: Vec<VisitListItem>,
    /// Orders past their compliance deadline.
    pub overdue_orders: Vec<OverdueOrderItem>,
}

impl From<WorkList> for WorkListView {
    fn from(l: WorkList) -> WorkListView {
        let visit = |v: passage_store::labour::inspections::VisitItem| VisitListItem {
            id: v.id,
            entity_id: v.entity_id,
            entity_name: v.entity_name,
            planned_on: v.planned_on,
            follow_up: v.follow_up,
        };
        WorkListView {
            planned: l.planned.into_iter().map(visit).collect(),
            overdue_follow_ups: l.overdue_follow_ups.into_iter().map(visit).collect(),
            overdue_orders: l
                .overdue_orders
                .into_iter()
                .map(|o| OverdueOrderItem {
                    id: o.id,
                    inspection_id: o.inspection_id,
                    entity_id: o.entity_id,
                    entity_name: o.entity_name,
                    category: o.category.as_str(),
                    deadline: o.deadline,
                })
                .collect(),
        }
    }
}
