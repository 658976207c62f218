//! Where a case opened from a report came from: the report's country (the case's own country),
//! place, employer and categories, kept on the case when it is opened so the caseworker does
//! not type them again. Read back only by the owning organisation.

use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::Category;
use passage_core::policy::{Action, Relation};
use sqlx::Row;
use uuid::Uuid;

/// What a case kept of the report it was opened from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseOrigin {
    pub categories: Vec<Category>,
    pub place: Option<String>,
    pub employer: Option<String>,
}

impl CaseOrigin {
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.place.is_none() && self.employer.is_none()
    }
}

/// Copies the report's country, place, employer and categories onto the new case (inside the
/// transaction that opens it). Place and employer are re-sealed under the case's id.
pub(super) async fn keep(
    tx: &mut Tx,
    report: &sqlx::any::AnyRow,
    report_id: &str,
    case_id: Uuid,
    categories: &[Category],
) -> Result<(), StoreError> {
    let k = tx.keys.clone();
    let cid = case_id.to_string();
    let moved = |from: Field, to: Field, col: &str| -> Result<Option<Vec<u8>>, StoreError> {
        report
            .try_get::<Option<Vec<u8>>, _>(col)?
            .map(|b| k.open_str(from, report_id, &b))
            .transpose()?
            .filter(|v| !v.trim().is_empty())
            .map(|v| k.seal_str(to, &cid, &v))
            .transpose()
    };
    let place = moved(Field::ReportPlace, Field::CaseOriginPlace, "place")?;
    let employer = moved(Field::ReportEmployer, Field::CaseOriginEmployer, "employer")?;
    let country: Option<String> = report.try_get("country")?;
    let cats = categories
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",");
    sqlx::query(
        "UPDATE cases SET country = $1, origin_place = $2, origin_employer = $3, origin_categories = $4 WHERE id = $5",
    )
    .bind(country)
    .bind(place)
    .bind(employer)
    .bind(Some(cats).filter(|c| !c.is_empty()))
    .bind(&cid)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

impl Store {
    /// What the case kept of the report it was opened from, for readers in the owning
    /// organisation. Missing and forbidden cases are the gate's `NotFound`.
    pub async fn case_origin(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<CaseOrigin, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) =
            crate::casework::gate(tx, actor, case_id, Action::ReadCase, "case.read").await?;
        if !matches!(case.relation(), Relation::Own | Relation::Organisation) {
            tx.commit().await?;
            return Ok(CaseOrigin::default());
        }
        let row = sqlx::query(
            "SELECT origin_place, origin_employer, origin_categories FROM cases WHERE id = $1",
        )
        .bind(case.key())
        .fetch_one(&mut *tx.tx)
        .await?;
        let k = tx.keys.clone();
        let cid = case.key();
        let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
            row.try_get::<Option<Vec<u8>>, _>(col)?
                .map(|b| k.open_str(field, &cid, &b))
                .transpose()
        };
        let origin = CaseOrigin {
            categories: row
                .try_get::<Option<String>, _>("origin_categories")?
                .unwrap_or_default()
                .split(',')
                .filter_map(Category::parse)
                .collect(),
            place: open(Field::CaseOriginPlace, "origin_place")?,
            employer: open(Field::CaseOriginEmployer, "origin_employer")?,
        };
        tx.audit(actor.event("case.read_origin", "case", Some(cid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(origin)
    }
}
