//! Synthetic cases for benchmarks and load tests (`passage demo generate`). Each person and case
//! is written exactly as a registration would write it (sealed fields, name index, audit event),
//! through the same insert functions, but many to a transaction, and with status and risk set
//! directly: this bypasses the lifecycle rules, hence operator only. The actor comes from
//! [`crate::operator::Operator::impersonate`], and the seeding itself is reached only through
//! [`crate::operator::Operator::seed_cases`]; both are audited as the operator.

use crate::cases::{insert_case, insert_person};
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::casework::{ConsentPurpose, LegalBasis, RiskLevel};
use passage_core::records::{NewCase, NewPerson};
use passage_core::{CaseStatus, CaseType, Stage};
use uuid::Uuid;

/// One synthetic case.
#[derive(Debug, Clone)]
pub struct SeedCase {
    pub person: NewPerson,
    pub types: Vec<CaseType>,
    pub stage: Stage,
    pub status: CaseStatus,
    pub risk: RiskLevel,
    pub summary: String,
    /// Give the case an open task that was due a week ago.
    pub overdue_task: bool,
    /// How many days ago the case was opened (0: now), for a world with history: the
    /// statistics count only whole months that have ended.
    pub opened_days_ago: u32,
    /// Record the person's consent to statistics, given when the case was opened.
    pub statistics_consent: bool,
}

impl Store {
    /// Writes a batch of synthetic cases for `actor`'s organisation in one transaction.
    pub(crate) async fn seed_cases(
        &self,
        actor: &Actor,
        batch: Vec<SeedCase>,
    ) -> Result<usize, StoreError> {
        let n = batch.len();
        let mut tx = self.begin().await?;
        let week_ago = Day::from_unix_ms(tx.now).plus_days(-7).to_string();
        for c in batch {
            let person_id = insert_person(&mut tx, actor, c.person).await?;
            let case_id = insert_case(
                &mut tx,
                actor,
                NewCase {
                    person_id,
                    types: c.types,
                    stage: c.stage,
                    summary: c.summary,
                },
            )
            .await?;
            let opened_at = tx.now - i64::from(c.opened_days_ago) * 86_400_000;
            sqlx::query("UPDATE cases SET status = $1, risk = $2, created_at = $3 WHERE id = $4")
                .bind(c.status.as_str())
                .bind(c.risk.as_str())
                .bind(opened_at)
                .bind(case_id.to_string())
                .execute(&mut *tx.tx)
                .await?;
            if c.statistics_consent {
                sqlx::query(
                    "INSERT INTO consents (id, person_id, purpose, organisation_id, basis, recorded_by, given_at) \
                     VALUES ($1, $2, $3, NULL, $4, $5, $6)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(person_id.to_string())
                .bind(ConsentPurpose::Statistics.as_str())
                .bind(LegalBasis::Consent.as_str())
                .bind(actor.user_id().to_string())
                .bind(opened_at)
                .execute(&mut *tx.tx)
                .await?;
            }
            if c.overdue_task {
                let id = Uuid::now_v7().to_string();
                let title =
                    tx.keys
                        .seal_str(Field::TaskTitle, &id, "Call back about the documents")?;
                sqlx::query(
                    "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, due_on, done_at, created_by, created_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, NULL, $5, $7, 1)",
                )
                .bind(&id)
                .bind(case_id.to_string())
                .bind(actor.org_id().to_string())
                .bind(title)
                .bind(actor.user_id().to_string())
                .bind(&week_ago)
                .bind(tx.now)
                .execute(&mut *tx.tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(n)
    }

    /// After a bulk load: refreshes the planner's statistics on PostgreSQL (`ANALYZE`), so the
    /// first queries are planned from the data rather than from guesses; autovacuum would do
    /// it later. SQLite keeps its default planning (no statistics tables are created).
    /// Operator only, audited.
    pub(crate) async fn refresh_statistics(&self, by: &crate::Authority) -> Result<(), StoreError> {
        if !matches!(by, crate::Authority::Operator(_)) {
            return Err(StoreError::Forbidden(
                passage_core::policy::DenyReason::NoGrant,
            ));
        }
        if self.backend() == crate::Backend::Postgres {
            for table in [
                "persons",
                "person_name_terms",
                "cases",
                "case_types",
                "tasks",
            ] {
                sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {table}")))
                    .execute(&self.pool)
                    .await?;
            }
        }
        let mut tx = self.begin().await?;
        tx.audit(by.event("db.analyze", "database", None, "ok"))
            .await?;
        tx.commit().await
    }
}
