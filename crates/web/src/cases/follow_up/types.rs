//! The request and response types of the follow-up API, owned by the API: responses are built
//! from the store's values by `From`, and the OpenAPI schemas are derived from these types.

use passage_store::casework::follow_up as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One follow-up visit, planned or done. (Named apart from intake's `FollowUp`, the status of
/// a report as its receipt shows it.)
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = FollowUpVisit)]
pub struct FollowUp {
    pub id: Uuid,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub due_on: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub done_on: Option<String>,
    /// 1 not sustainable, 2 fragile, 3 sustainable
    pub economic: Option<i64>,
    /// 1 not sustainable, 2 fragile, 3 sustainable
    pub social: Option<i64>,
    /// 1 not sustainable, 2 fragile, 3 sustainable
    pub psychosocial: Option<i64>,
    pub note: Option<String>,
    pub overdue: bool,
    pub version: i64,
}

impl From<store::FollowUp> for FollowUp {
    fn from(f: store::FollowUp) -> FollowUp {
        FollowUp {
            id: f.id,
            due_on: f.due_on,
            done_on: f.done_on,
            economic: f.economic,
            social: f.social,
            psychosocial: f.psychosocial,
            note: f.note,
            overdue: f.overdue,
            version: f.version,
        }
    }
}

/// A visit done and its sustainability check, against the version read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub done_on: String,
    /// 1 not sustainable, 2 fragile, 3 sustainable
    #[schema(minimum = 1, maximum = 3)]
    pub economic: i64,
    /// 1 not sustainable, 2 fragile, 3 sustainable
    #[schema(minimum = 1, maximum = 3)]
    pub social: i64,
    /// 1 not sustainable, 2 fragile, 3 sustainable
    #[schema(minimum = 1, maximum = 3)]
    pub psychosocial: i64,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: Option<String>,
    pub version: i64,
}

impl From<Visit> for store::Visit {
    fn from(b: Visit) -> store::Visit {
        store::Visit {
            done_on: b.done_on,
            economic: b.economic.to_string(),
            social: b.social.to_string(),
            psychosocial: b.psychosocial.to_string(),
            note: b.note,
            version: b.version,
        }
    }
}

/// The visit recorded: its id as sent and its new version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitRecorded {
    #[schema(format = Uuid)]
    pub id: String,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    /// The response serialises exactly as the store value it replaced, and the answer to a
    /// recorded visit as the object written out before.
    #[test]
    fn responses_serialise_as_before() {
        for done in [false, true] {
            let f = store::FollowUp {
                id: Uuid::from_u128(1),
                due_on: "2026-03-01".into(),
                done_on: done.then(|| "2026-03-02".into()),
                economic: done.then_some(1),
                social: done.then_some(2),
                psychosocial: done.then_some(3),
                note: done.then(|| "stable".into()),
                overdue: !done,
                version: 2,
            };
            assert_eq!(
                to_value(FollowUp::from(f.clone())).expect("web"),
                to_value(f).expect("store")
            );
        }
        let id = "00000000-0000-0000-0000-000000000001".to_string();
        assert_eq!(
            to_value(VisitRecorded {
                id: id.clone(),
                version: 3
            })
            .expect("web"),
            json!({ "id": id, "version": 3 })
        );
    }
}
