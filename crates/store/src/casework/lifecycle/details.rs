//! Editing a case's details against the version the caller read: each changed field into the
//! history, the assignee checked against who may work on the case.

use super::*;
use crate::casework::history::FieldChanges;

impl Store {
    /// Changes a case's details if it is still at the version the caller read. The assignee
    /// must be an active user of the case's organisation who may open the case. Every changed
    /// field is recorded in the history; the new version comes back.
    pub async fn update_case(
        &self,
        actor: &Actor,
        case_id: Uuid,
        changes: CaseChanges,
    ) -> Result<i64, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "case.update").await?;
        if changes.version != case.version() {
            return Err(StoreError::VersionConflict {
                current: case.version(),
            });
        }
        let cid = case.key();
        let row = sqlx::query("SELECT stage, summary, assigned_to FROM cases WHERE id = $1")
            .bind(&cid)
            .fetch_one(&mut *tx.tx)
            .await?;
        let old_stage: String = row.try_get("stage")?;
        let old_summary_sealed: Vec<u8> = row.try_get("summary")?;
        let old_assignee: Option<String> = row.try_get("assigned_to")?;
        let old_types: Vec<(String,)> = sqlx::query_as(
            "SELECT case_type FROM case_types WHERE case_id = $1 ORDER BY case_type",
        )
        .bind(&cid)
        .fetch_all(&mut *tx.tx)
        .await?;
        let old_types: Vec<String> = old_types.into_iter().map(|t| t.0).collect();
        let old_summary = tx
            .keys
            .open_str(Field::CaseSummary, &cid, &old_summary_sealed)?;

        let mut history = FieldChanges::default();
        let stage = changes
            .stage
            .map_or(old_stage.clone(), |s| s.as_str().to_string());
        history.text("stage", &old_stage, &stage);
        let new_types: Option<Vec<String>> = changes.types.map(|t| {
            let mut v: Vec<String> = t.iter().map(|t| CaseType::as_str(*t).to_string()).collect();
            v.sort();
            v
        });
        let types_changed = new_types
            .as_ref()
            .filter(|t| history.list("types", &old_types, t, ","));
        let risk = changes.risk.unwrap_or(case.risk());
        history.text("risk", case.risk().as_str(), risk.as_str());
        let country = match &changes.country {
            Change::Keep => case.country().map(str::to_string),
            Change::Clear => None,
            Change::Set(c) => Some(c.as_str().to_string()),
        };
        history.value("country", case.country(), country.as_deref());
        let summary = changes
            .summary
            .filter(|s| history.text("summary", &old_summary, s));
        let assignee = match changes.assigned_to {
            Change::Keep => old_assignee.clone(),
            Change::Clear => None,
            Change::Set(u) => Some(u.to_string()),
        };
        if history.value("assigned_to", old_assignee.as_deref(), assignee.as_deref())
            && let Some(a) = &assignee
            && !assignable(&mut tx, &case)
                .await?
                .iter()
                .any(|m| m.id.to_string() == *a)
        {
            return Err(StoreError::invalid(
                "assigned_to",
                passage_core::ErrorCode::UnknownUser,
                "assigned_to must be an active user of the case's organisation who can work on the case",
            ));
        }
        if history.is_empty() {
            // Nothing differs from what is stored: the case stays at its version.
            tx.commit().await?;
            return Ok(case.version());
        }
        let version = bump_version(&mut tx, &case, changes.version).await?;
        let summary_sealed = match &summary {
            Some(s) => {
                let pk = tx
                    .person_key_for_write(&case.person_id().to_string())
                    .await?;
                tx.keys.seal_str_for(&pk, Field::CaseSummary, &cid, s)?
            }
            None => old_summary_sealed,
        };
        sqlx::query(
            "UPDATE cases SET stage = $1, summary = $2, assigned_to = $3, country = $4, risk = $5 WHERE id = $6",
        )
        .bind(&stage)
        .bind(summary_sealed)
        .bind(assignee)
        .bind(country)
        .bind(risk.as_str())
        .bind(&cid)
        .execute(&mut *tx.tx)
        .await?;
        if let Some(types) = types_changed {
            sqlx::query("DELETE FROM case_types WHERE case_id = $1")
                .bind(&cid)
                .execute(&mut *tx.tx)
                .await?;
            for t in types {
                sqlx::query("INSERT INTO case_types (case_id, case_type) VALUES ($1, $2)")
                    .bind(&cid)
                    .bind(t)
                    .execute(&mut *tx.tx)
                    .await?;
            }
        }
        history.record(&mut tx, actor, &case).await?;
        tx.audit(actor.event("case.update", "case", Some(cid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(version)
    }
}
