//! Routing rules: which organisation receives a report, by category and country. The rules are
//! configuration kept by the system administrator; `core::intake::route` applies them and never
//! picks an immigration-enforcement organisation, whatever a rule says.

use crate::{Store, StoreError};
use passage_core::intake::RoutingRule;
use passage_core::{Category, Country, OrgKind};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A rule as the administrator lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleView {
    pub position: i64,
    pub category: Option<Category>,
    pub country: Option<String>,
    pub org_id: Uuid,
    pub org_name: String,
}

impl Store {
    /// The routing rules in order, with their organisations' kinds.
    pub(crate) async fn routing_rules(
        &self,
    ) -> Result<(Vec<RoutingRule>, Option<(Uuid, OrgKind)>), StoreError> {
        let rows = sqlx::query(
            "SELECT r.category, r.country, r.org_id, o.kind AS org_kind FROM routing_rules r JOIN organisations o ON o.id = r.org_id ORDER BY r.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut rules = Vec::new();
        for row in rows {
            let kind = OrgKind::parse(&row.try_get::<String, _>("org_kind")?)
                .ok_or(StoreError::Corrupt("organisation kind"))?;
            rules.push(RoutingRule {
                category: row
                    .try_get::<Option<String>, _>("category")?
                    .and_then(|c| Category::parse(&c)),
                country: row
                    .try_get::<Option<String>, _>("country")?
                    .and_then(|c| Country::parse(&c)),
                org_id: crate::auth::parse_uuid(&row.try_get::<String, _>("org_id")?)?,
                org_kind: kind,
            });
        }
        // Without a matching rule, reports go to the oldest hotline.
        let fallback: Option<(String, String)> =
            sqlx::query_as("SELECT id, kind FROM organisations WHERE kind = 'hotline' ORDER BY created_at, id LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        let fallback = match fallback {
            Some((id, kind)) => Some((
                crate::auth::parse_uuid(&id)?,
                OrgKind::parse(&kind).ok_or(StoreError::Corrupt("kind"))?,
            )),
            None => None,
        };
        Ok((rules, fallback))
    }

    /// Adds a routing rule (operator or system administrator). Rules naming an immigration
    /// enforcement organisation are refused: routing skips them anyway.
    pub async fn add_routing_rule(
        &self,
        by: &crate::Authority,
        category: Option<Category>,
        country: Option<Country>,
        org_id: Uuid,
    ) -> Result<(), StoreError> {
        by.require_system_admin()?;
        let kind: Option<(String,)> =
            sqlx::query_as("SELECT kind FROM organisations WHERE id = $1")
                .bind(org_id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        match kind.and_then(|(k,)| OrgKind::parse(&k)) {
            None => {
                return Err(StoreError::invalid(
                    "org_id",
                    passage_core::ErrorCode::UnknownOrganisation,
                    "no such organisation",
                ));
            }
            Some(OrgKind::ImmigrationEnforcement) => {
                return Err(StoreError::invalid(
                    "org_id",
                    passage_core::ErrorCode::ImmigrationFirewall,
                    "reports are never routed to immigration enforcement",
                ));
            }
            Some(_) => {}
        }
        let mut tx = self.begin().await?;
        let (pos,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM routing_rules")
                .fetch_one(&mut *tx.tx)
                .await?;
        let id = Uuid::now_v7().to_string();
        sqlx::query("INSERT INTO routing_rules (id, position, category, country, org_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(pos)
            .bind(category.map(|c| c.as_str().to_string()))
            .bind(country.map(|c| c.as_str().to_string()))
            .bind(org_id.to_string())
            .execute(&mut *tx.tx)
            .await?;
        tx.audit(by.event("routing.add", "routing_rule", Some(id), "ok"))
            .await?;
        tx.commit().await
    }

    /// The rules in the order they are tried (system administrator).
    pub async fn list_routing_rules(
        &self,
        by: &crate::Authority,
    ) -> Result<Vec<RuleView>, StoreError> {
        by.require_system_admin()?;
        let rows = sqlx::query(
            "SELECT r.position, r.category, r.country, r.org_id, o.name AS org_name FROM routing_rules r JOIN organisations o ON o.id = r.org_id ORDER BY r.position",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RuleView {
                    position: row.try_get("position")?,
                    category: row
                        .try_get::<Option<String>, _>("category")?
                        .and_then(|c| Category::parse(&c)),
                    country: row.try_get("country")?,
                    org_id: crate::auth::parse_uuid(&row.try_get::<String, _>("org_id")?)?,
                    org_name: row.try_get("org_name")?,
                })
            })
            .collect()
    }
}
