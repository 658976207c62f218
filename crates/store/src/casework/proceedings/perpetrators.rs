//! The perpetrators of a case and their links to its proceedings.

use super::{PerpetratorRecord, finish, open_opt, own, refuse, seal_opt, stage_of};
use crate::auth::parse_uuid;
use crate::casework::CaseAccess;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::proceedings::{
    AgeBand, NewPerpetrator, PerpetratorRelation, PerpetratorRole,
};
use passage_core::vocab::Sex;
use passage_core::{Country, ErrorCode};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;

/// A perpetrator's HTCDS facts as sealed: one JSON value.
#[derive(Serialize, Deserialize, Default)]
struct SealedFacts {
    roles: Vec<String>,
    sex: Option<String>,
    age_band: Option<String>,
    citizenship: Option<String>,
    relation: Option<String>,
}

async fn read_perpetrators(
    tx: &mut Tx,
    case: &CaseAccess,
) -> Result<Vec<PerpetratorRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, facts, details, created_at FROM perpetrators WHERE case_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(case.key())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let json = tx.keys.open_str(
            Field::PerpetratorFacts,
            &id,
            &r.try_get::<Vec<u8>, _>("facts")?,
        )?;
        let f: SealedFacts =
            serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("perpetrator facts"))?;
        let roles = f
            .roles
            .iter()
            .map(|r| PerpetratorRole::parse(r).ok_or(StoreError::Corrupt("perpetrator role")))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(PerpetratorRecord {
            roles,
            sex: f.sex.as_deref().and_then(Sex::parse),
            age_band: f.age_band.as_deref().and_then(AgeBand::parse),
            citizenship: f.citizenship.as_deref().and_then(Country::parse),
            relation: f.relation.as_deref().and_then(PerpetratorRelation::parse),
            details: open_opt(tx, Field::PerpetratorDetails, &id, r.try_get("details")?)?,
            recorded_at: r.try_get("created_at")?,
            id: parse_uuid(&id)?,
        });
    }
    Ok(out)
}

impl Store {
    /// Records a perpetrator of the case (HTCDS `per_*` facts, all sealed). Returns its id.
    pub async fn record_perpetrator(
        &self,
        actor: &Actor,
        case_id: Uuid,
        p: NewPerpetrator,
    ) -> Result<Uuid, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, true, "perpetrator.record").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let facts = SealedFacts {
            roles: p.roles.iter().map(|r| r.as_str().to_string()).collect(),
            sex: p.sex.map(|s| s.as_str().to_string()),
            age_band: p.age_band.map(|a| a.as_str().to_string()),
            citizenship: p.citizenship.map(|c| c.as_str().to_string()),
            relation: p.relation.map(|r| r.as_str().to_string()),
        };
        let json =
            serde_json::to_string(&facts).map_err(|_| StoreError::Corrupt("perpetrator facts"))?;
        let sealed = tx.keys.seal_str(Field::PerpetratorFacts, &key, &json)?;
        let details = seal_opt(&tx, Field::PerpetratorDetails, &key, p.details.as_deref())?;
        sqlx::query(
            "INSERT INTO perpetrators (id, case_id, facts, details, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(sealed)
        .bind(details)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        finish(
            tx,
            actor,
            &case,
            "perpetrator.record",
            "perpetrator",
            key,
            ("perpetrator", None, Some("recorded")),
        )
        .await?;
        Ok(id)
    }

    /// The perpetrators of a case, oldest first.
    pub async fn perpetrators(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<PerpetratorRecord>, StoreError> {
        let (mut tx, case) = own(self, actor, case_id, false, "perpetrator.list").await?;
        let out = read_perpetrators(&mut tx, &case).await?;
        tx.audit(actor.event("perpetrator.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Links a perpetrator of the same case to a proceeding. A perpetrator of another case is
    /// `invalid_value` on `perpetrator_id`; linking twice is `already_linked`.
    pub async fn link_perpetrator(
        &self,
        actor: &Actor,
        case_id: Uuid,
        pid: Uuid,
        perpetrator: Uuid,
    ) -> Result<(), StoreError> {
        let action = "proceeding.perpetrator";
        let (mut tx, case) = own(self, actor, case_id, true, action).await?;
        let key = pid.to_string();
        if let Err(e) = stage_of(&mut tx, &case, pid).await {
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let of_case: Option<(String,)> =
            sqlx::query_as("SELECT id FROM perpetrators WHERE id = $1 AND case_id = $2")
                .bind(perpetrator.to_string())
                .bind(case.key())
                .fetch_optional(&mut *tx.tx)
                .await?;
        if of_case.is_none() {
            let e = StoreError::invalid(
                "perpetrator_id",
                ErrorCode::InvalidValue,
                "perpetrator_id must be a perpetrator of this case",
            );
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        let linked: Option<(String,)> = sqlx::query_as(
            "SELECT proceeding_id FROM proceeding_perpetrators WHERE proceeding_id = $1 AND perpetrator_id = $2",
        )
        .bind(&key)
        .bind(perpetrator.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if linked.is_some() {
            let e = StoreError::Rule {
                code: ErrorCode::AlreadyLinked,
                message: "This perpetrator is already linked to the proceeding.".into(),
            };
            return refuse(tx, actor, action, "proceeding", key, e).await;
        }
        sqlx::query(
            "INSERT INTO proceeding_perpetrators (proceeding_id, perpetrator_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(&key)
        .bind(perpetrator.to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(action, "proceeding", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
