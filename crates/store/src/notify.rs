//! Notifications of a referral's events (issue 14 items 2 and 8): the in-app inbox of each user
//! told (see `passage_core::notifications` for who), and a webhook notice to each organisation
//! concerned that has registered an endpoint. Both are written in the transaction of the event
//! itself, by one call from the referral's operation, so an event is never announced without
//! happening nor happens unannounced. Neither holds personal data: a kind, the referral's id,
//! the other organisation's id and the time.
//!
//! A referral received also takes its answer time from the service (`answer_hours`, 72 unless
//! the provider set another) here, and [`Store::remind_overdue_referrals`] sends the one
//! `referral_overdue` reminder of a referral still unanswered after it.

use crate::auth::{parse_roles, parse_uuid};
use crate::db::Tx;
use crate::{Actor, Store, StoreError};
use passage_core::OrgKind;
pub use passage_core::notifications::NotificationKind as Event;
use passage_core::notifications::{Party, notified};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A referral was sent: its answer time is set from the service, and the receiver is told.
pub(crate) async fn received(tx: &mut Tx, rid: &str) -> Result<(), StoreError> {
    referral_event(tx, Event::ReferralReceived, rid).await
}

/// A referral was accepted or declined: the referrer is told.
pub(crate) async fn answered(tx: &mut Tx, rid: &str) -> Result<(), StoreError> {
    referral_event(tx, Event::ReferralAnswered, rid).await
}

/// A referral ended with the consent it rested on: the receiver is told.
pub(crate) async fn withdrawn(tx: &mut Tx, rid: &str) -> Result<(), StoreError> {
    referral_event(tx, Event::ReferralWithdrawn, rid).await
}

/// Writes the notifications and webhook notices of `kind` for referral `rid`, in `tx`.
pub(crate) async fn referral_event(tx: &mut Tx, kind: Event, rid: &str) -> Result<(), StoreError> {
    let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT from_org, to_org, sent_by, service_id, sent_at FROM referrals WHERE id = $1",
    )
    .bind(rid)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let Some((from_org, to_org, sent_by, service, sent_at)) = row else {
        return Err(StoreError::NotFound);
    };
    if kind == Event::ReferralReceived {
        let (hours,): (i64,) =
            sqlx::query_as("SELECT answer_hours FROM directory_services WHERE id = $1")
                .bind(&service)
                .fetch_one(&mut *tx.tx)
                .await?;
        let hours = u32::try_from(hours.clamp(1, 24 * 365)).unwrap_or(72);
        sqlx::query("UPDATE referrals SET answer_due = $1 WHERE id = $2")
            .bind(passage_core::referrals::answer_due(sent_at, hours))
            .bind(rid)
            .execute(&mut *tx.tx)
            .await?;
    }
    for party in kind.parties() {
        let (org, other) = match party {
            Party::Receiver => (&to_org, &from_org),
            Party::Referrer => (&from_org, &to_org),
        };
        let org_kind: Option<(String,)> =
            sqlx::query_as("SELECT kind FROM organisations WHERE id = $1")
                .bind(org)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let org_kind = org_kind
            .and_then(|(k,)| OrgKind::parse(&k))
            .ok_or(StoreError::Corrupt("organisation kind"))?;
        if org_kind == OrgKind::ImmigrationEnforcement {
            // The firewall: never a notice, whatever reached this point.
            continue;
        }
        let users: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, roles FROM users WHERE org_id = $1 AND disabled = 0 ORDER BY id",
        )
        .bind(org)
        .fetch_all(&mut *tx.tx)
        .await?;
        for (user, roles) in users {
            let roles = parse_roles(&roles)?;
            if !notified(*party, org_kind, &roles, user == sent_by) {
                continue;
            }
            sqlx::query(
                "INSERT INTO notifications (id, user_id, kind, referral_id, other_org, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(&user)
            .bind(kind.as_str())
            .bind(rid)
            .bind(other)
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
        }
        let endpoint: Option<(String,)> =
            sqlx::query_as("SELECT id FROM org_webhooks WHERE org_id = $1")
                .bind(org)
                .fetch_optional(&mut *tx.tx)
                .await?;
        if endpoint.is_some() {
            let payload = serde_json::json!({
                "event": kind.as_str(),
                "referral_id": rid,
                "organisation_id": other,
                "at": crate::reports::rfc3339(tx.now),
            });
            sqlx::query(
                "INSERT INTO webhook_outbox (id, kind, payload, status, created_at, next_at, org_id) \
                 VALUES ($1, $2, $3, 'pending', $4, $4, $5)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(kind.as_str())
            .bind(payload.to_string())
            .bind(tx.now)
            .bind(org)
            .execute(&mut *tx.tx)
            .await?;
        }
    }
    Ok(())
}

/// One notification as its reader sees it: ids and times only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: Uuid,
    pub kind: Event,
    pub referral_id: Uuid,
    /// The other organisation of the referral.
    pub organisation_id: Uuid,
    /// Its name, for the inbox page.
    pub organisation_name: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// A user's inbox: the newest notifications first, and how many are unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inbox {
    pub notifications: Vec<Notification>,
    pub unread: i64,
}

/// The answer times a service may ask for, in hours (72 unless it sets another).
pub const ANSWER_HOURS: std::ops::RangeInclusive<i64> = 1..=720;

/// How many notifications an inbox shows at most.
pub const INBOX_LIMIT: i64 = 100;

impl Store {
    /// The signed-in user's own notifications, newest first (at most [`INBOX_LIMIT`]), and the
    /// number unread. Notifications hold no personal data; reading them is not audited.
    pub async fn inbox(&self, actor: &Actor) -> Result<Inbox, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.kind, n.referral_id, n.other_org, o.name, n.created_at, n.read_at \
             FROM notifications n JOIN organisations o ON o.id = n.other_org \
             WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2",
        )
        .bind(actor.user_id().to_string())
        .bind(INBOX_LIMIT)
        .fetch_all(&self.pool)
        .await?;
        let mut notifications = Vec::with_capacity(rows.len());
        for r in rows {
            notifications.push(Notification {
                id: parse_uuid(&r.try_get::<String, _>("id")?)?,
                kind: Event::parse(&r.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("notification kind"))?,
                referral_id: parse_uuid(&r.try_get::<String, _>("referral_id")?)?,
                organisation_id: parse_uuid(&r.try_get::<String, _>("other_org")?)?,
                organisation_name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                read_at: r.try_get("read_at")?,
            });
        }
        Ok(Inbox {
            notifications,
            unread: self.unread_notifications(actor).await?,
        })
    }

    /// How many of the user's notifications are unread (the count in every page's header).
    pub async fn unread_notifications(&self, actor: &Actor) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(actor.user_id().to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// Marks one of the user's own notifications read (again is harmless); anyone else's, or
    /// none: not found.
    pub async fn mark_notification_read(&self, actor: &Actor, id: Uuid) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let nid = id.to_string();
        let done = sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3",
        )
        .bind(tx.now)
        .bind(&nid)
        .bind(actor.user_id().to_string())
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        let outcome = if done == 0 { "not_found" } else { "ok" };
        tx.audit(actor.event("notification.read", "notification", Some(nid), outcome))
            .await?;
        tx.commit().await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Sets the answer time of a service (`ANSWER_HOURS`): referrals sent to it from now on
    /// are due that many hours after they are sent. Its organisation's administrators and
    /// supervisors only, as any change to a directory entry; refusals are audited.
    pub async fn set_answer_hours(
        &self,
        actor: &Actor,
        service_id: Uuid,
        hours: i64,
    ) -> Result<(), StoreError> {
        use passage_core::services::{DirectoryAction, directory_access};
        let action = "directory.answer_hours";
        let mut tx = self.begin().await?;
        let sid = service_id.to_string();
        let owner: Option<(String,)> =
            sqlx::query_as("SELECT org_id FROM directory_services WHERE id = $1")
                .bind(&sid)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let refusal = match owner {
            None => Some(StoreError::NotFound),
            Some((owner,)) => {
                let owner = parse_uuid(&owner)?;
                match directory_access(actor.principal(), DirectoryAction::Manage, owner) {
                    Err(reason) => Some(StoreError::Forbidden(reason)),
                    Ok(()) if !ANSWER_HOURS.contains(&hours) => Some(StoreError::invalid(
                        "answer_hours",
                        passage_core::ErrorCode::InvalidValue,
                        "between 1 and 720 hours",
                    )),
                    Ok(()) => None,
                }
            }
        };
        if let Some(err) = refusal {
            let outcome = match &err {
                StoreError::NotFound => "not_found",
                StoreError::Forbidden(_) => "denied",
                _ => "invalid",
            };
            tx.audit(actor.event(action, "directory_service", Some(sid), outcome))
                .await?;
            tx.commit().await?;
            return Err(err);
        }
        sqlx::query(
            "UPDATE directory_services SET answer_hours = $1, version = version + 1, \
             updated_by = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(hours)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&sid)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(action, "directory_service", Some(sid), "ok"))
            .await?;
        tx.commit().await
    }

    /// Sends the one overdue reminder of every referral still `sent` after its answer time
    /// (by the store's clock): each in its own transaction, with its notifications, webhook
    /// notices and the `reminded_at` mark, so it fires once even with several sweepers.
    /// Returns how many were reminded. System operation for the server's background sweep.
    pub async fn remind_overdue_referrals(&self) -> Result<usize, StoreError> {
        let now = self.clock.now_ms();
        let due: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM referrals WHERE status = 'sent' AND answer_due <= $1 \
             AND reminded_at IS NULL ORDER BY answer_due, id LIMIT 200",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut reminded = 0;
        for (rid,) in due {
            let mut tx = self.begin().await?;
            let marked = sqlx::query(
                "UPDATE referrals SET reminded_at = $1 WHERE id = $2 AND status = 'sent' \
                 AND answer_due <= $1 AND reminded_at IS NULL",
            )
            .bind(tx.now)
            .bind(&rid)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
            if marked == 0 {
                continue;
            }
            referral_event(&mut tx, Event::ReferralOverdue, &rid).await?;
            tx.audit(crate::audit::Event {
                actor_user: None,
                actor_org: None,
                action: "referral.overdue",
                object_type: "referral",
                object_id: Some(rid),
                outcome: "reminded",
                purpose: Some("answer reminder"),
            })
            .await?;
            tx.commit().await?;
            reminded += 1;
        }
        Ok(reminded)
    }
}
