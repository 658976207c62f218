//! The request and response types of the monitoring views and visits over the API.

use passage_core::monitoring::visits::{RawVisit, VisitKind};
use passage_core::stats::Cell;
use passage_store::monitoring::views::Figures;
use passage_store::monitoring::visits::{VisitSummary, VisitView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn visit_kind() -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(VisitKind::ALL.iter().map(|v| v.as_str())))
        .build()
}

/// One published count: `null` with `suppressed` set when it is under k.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitoringCell {
    /// The region, month (YYYY-MM), kind, motive, place type or perpetrator type; empty for
    /// incidents without a region or a perpetrator type.
    pub key: String,
    pub count: Option<u64>,
    pub suppressed: bool,
}

fn cells(v: &[Cell]) -> Vec<MonitoringCell> {
    v.iter()
        .map(|c| MonitoringCell {
            key: c.key.clone(),
            count: c.count,
            suppressed: c.suppressed,
        })
        .collect()
}

/// Incidents of every organisation in one country and span of days, counted; each dimension
/// suppressed on its own, and no total.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresView {
    pub country: String,
    pub from: String,
    pub to: String,
    /// Counts under this are suppressed.
    pub min_cell: u64,
    pub regions: Vec<MonitoringCell>,
    pub months: Vec<MonitoringCell>,
    pub kinds: Vec<MonitoringCell>,
    pub bias_motives: Vec<MonitoringCell>,
    pub place_types: Vec<MonitoringCell>,
    pub perpetrator_types: Vec<MonitoringCell>,
}

impl From<&Figures> for FiguresView {
    fn from(f: &Figures) -> FiguresView {
        FiguresView {
            country: f.country.as_str().to_string(),
            from: f.from.clone(),
            to: f.to.clone(),
            min_cell: f.k,
            regions: cells(&f.regions),
            months: cells(&f.months),
            kinds: cells(&f.kinds),
            bias_motives: cells(&f.motives),
            place_types: cells(&f.places),
            perpetrator_types: cells(&f.perpetrators),
        }
    }
}

/// A monitoring visit to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    #[serde(default)]
    #[schema(required = true, schema_with = visit_kind)]
    pub kind: String,
    /// The detention centre or the operation (an institution, not a person).
    #[serde(default)]
    #[schema(required = true, max_length = 200)]
    pub place_name: String,
    /// YYYY-MM-DD, not after today (UTC).
    #[serde(default)]
    #[schema(required = true)]
    pub visited_on: String,
    /// Sealed at rest.
    #[serde(default)]
    #[schema(required = true, max_length = 20000)]
    pub findings: String,
}

impl VisitInput {
    pub fn raw(&self) -> RawVisit {
        RawVisit {
            kind: self.kind.clone(),
            place_name: self.place_name.clone(),
            visited_on: self.visited_on.clone(),
            findings: self.findings.clone(),
        }
    }
}

/// A visit as the list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitItem {
    pub id: Uuid,
    #[schema(schema_with = visit_kind)]
    pub kind: &'static str,
    pub place_name: String,
    pub visited_on: String,
}

impl From<&VisitSummary> for VisitItem {
    fn from(v: &VisitSummary) -> VisitItem {
        VisitItem {
            id: v.id,
            kind: v.kind.as_str(),
            place_name: v.place_name.clone(),
            visited_on: v.visited_on.clone(),
        }
    }
}

/// One visit with its findings and the incidents recorded from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitDetail {
    #[serde(flatten)]
    pub item: VisitItem,
    pub findings: String,
    pub incident_ids: Vec<Uuid>,
}

impl From<&VisitView> for VisitDetail {
    fn from(v: &VisitView) -> VisitDetail {
        VisitDetail {
            item: VisitItem::from(&v.summary),
            findings: v.findings.clone(),
            incident_ids: v.incidents.iter().map(|(i, _)| *i).collect(),
        }
    }
}
