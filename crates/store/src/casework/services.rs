//! Services delivered to the person of a case: the type, who provided it (free text, sealed:
//! it may name a person), the day it was delivered (never in the future) and a sealed note.

use super::gate;
use super::tasks::{date_field, today};
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::ServiceType;
use passage_core::policy::Action;
use passage_core::validate::{Problems, text};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

pub const PROVIDER_MAX: usize = 200;
pub const NOTE_MAX: usize = 5_000;

/// One service delivered.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Service {
    pub id: Uuid,
    pub case_id: Uuid,
    pub service_type: ServiceType,
    pub provider: String,
    /// YYYY-MM-DD.
    pub delivered_on: String,
    pub note: Option<String>,
    pub recorded_by: Uuid,
    pub created_at: i64,
}

/// A service as typed.
#[derive(Debug, Clone, Default)]
pub struct NewService {
    pub service_type: String,
    pub provider: String,
    pub delivered_on: String,
    pub note: Option<String>,
}

fn service_from_row(keys: &crate::Keys, row: &sqlx::any::AnyRow) -> Result<Service, StoreError> {
    let id: String = row.try_get("id")?;
    Ok(Service {
        id: parse_uuid(&id)?,
        case_id: parse_uuid(&row.try_get::<String, _>("case_id")?)?,
        service_type: ServiceType::parse(&row.try_get::<String, _>("service_type")?)
            .ok_or(StoreError::Corrupt("service type"))?,
        provider: keys.open_str(
            Field::ServiceProvider,
            &id,
            &row.try_get::<Vec<u8>, _>("provider_sealed")?,
        )?,
        delivered_on: row.try_get("delivered_on")?,
        note: row
            .try_get::<Option<Vec<u8>>, _>("note")?
            .map(|b| keys.open_str(Field::ServiceNote, &id, &b))
            .transpose()?,
        recorded_by: parse_uuid(&row.try_get::<String, _>("created_by")?)?,
        created_at: row.try_get("created_at")?,
    })
}

const SERVICE_COLUMNS: &str =
    "id, case_id, service_type, provider_sealed, delivered_on, note, created_by, created_at";

impl Store {
    /// Records a service delivered to the case's person.
    pub async fn record_service(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewService,
    ) -> Result<Service, StoreError> {
        let mut p = Problems::default();
        let kind = ServiceType::parse(new.service_type.trim());
        if kind.is_none() {
            p.add(
                "service_type",
                passage_core::ErrorCode::UnknownValue,
                format!("service_type must be one of: {}", ServiceType::allowed()),
            );
        }
        let provider = text(&mut p, "provider", &new.provider, true, PROVIDER_MAX);
        let delivered = date_field(&mut p, "delivered_on", &new.delivered_on, true);
        let note = text(
            &mut p,
            "note",
            new.note.as_deref().unwrap_or(""),
            false,
            NOTE_MAX,
        );
        let today = today(self.clock.now_ms());
        if let Some(Some(d)) = delivered
            && d.to_string() > today
        {
            p.add(
                "delivered_on",
                passage_core::ErrorCode::InTheFuture,
                "delivered_on cannot be in the future: record a service once it was delivered",
            );
        }
        let (Some(kind), Some(provider), Some(Some(delivered)), true) =
            (kind, provider, delivered, p.0.is_empty())
        else {
            return Err(StoreError::Invalid(p));
        };
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::UpdateCase, "service.create").await?;
        let id = Uuid::now_v7().to_string();
        let sealed_provider = tx.keys.seal_str(Field::ServiceProvider, &id, &provider)?;
        let sealed_note = note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::ServiceNote, &id, n))
            .transpose()?;
        sqlx::query(
            "INSERT INTO services (id, case_id, service_type, provider, provider_sealed, delivered_on, note, created_by, created_at) \
             VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(case.key())
        .bind(kind.as_str())
        .bind(sealed_provider)
        .bind(delivered.to_string())
        .bind(sealed_note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("service.create", "service", Some(id.clone()), "ok"))
            .await?;
        let service = Service {
            id: parse_uuid(&id)?,
            case_id,
            service_type: kind,
            provider,
            delivered_on: delivered.to_string(),
            note,
            recorded_by: actor.user_id(),
            created_at: tx.now,
        };
        tx.commit().await?;
        Ok(service)
    }

    /// The services delivered on a case, most recent first.
    pub async fn list_services(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<Service>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "service.list").await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SERVICE_COLUMNS} FROM services WHERE case_id = $1 ORDER BY delivered_on DESC, created_at DESC"
        )))
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let services = rows
            .iter()
            .map(|r| service_from_row(&tx.keys, r))
            .collect::<Result<Vec<_>, _>>()?;
        tx.audit(actor.event("service.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(services)
    }
}
