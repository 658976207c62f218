//! International protection needs on a case, and where their rule
//! (`core::casework::protection::may_reach`) is applied.
//!
//! Recording a need is a write of the case's own organisation. The countries and the reason
//! are sealed; the case history says only that a need of a kind was recorded. A need is
//! recorded on a case but is the person's: the rule reads the needs of every case of the
//! person. In the same transaction every referral of the person's cases to an authority of a
//! listed country ends for its receiver (`referral.withdrawn`, outcome
//! `international_protection`), so that organisation's next read answers as for a referral
//! that does not exist.
//!
//! The rule is then applied wherever a case crosses to another organisation: [`check_reach`]
//! refuses a referral or a transfer with the rule's code, and [`reader_refused`] is asked
//! before a pending transfer's receiver reads or accepts it, so a transfer proposed before the
//! need still reads as not found.
//!
//! Who reads what: every reader of the case sees the kind and the countries (whoever works
//! the case must know whom it may not pass it on to); the reason, which is the person's
//! account of why they fled, only within the case's own organisation.

use super::{CaseAccess, gate, gate_write, is_supervisor_of, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::casework::protection::{
    NeedStatus, NewProtectionNeed, NewReview, ProtectionKind, ProtectionNeed, RaisedBy, Recipient,
    Refusal, ReviewOutcome, may_reach,
};
use passage_core::policy::{Action, Decision, DenyReason, Relation, decide};
use passage_core::referrals::ReferralStatus;
use passage_core::{Country, ErrorCode, OrgKind};
use sqlx::Row;
use uuid::Uuid;

/// A recorded need as a reader of the case sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionNeedRecord {
    pub id: Uuid,
    pub kind: ProtectionKind,
    pub countries: Vec<Country>,
    /// Only for readers in the case's own organisation.
    pub reason: Option<String>,
    pub recorded_at: i64,
    pub raised_by: RaisedBy,
    pub status: NeedStatus,
    /// The next review planned (`YYYY-MM-DD`), while the need is in force.
    pub next_review_on: Option<Day>,
    pub ended_at: Option<i64>,
    /// Why it ended: only for readers in the case's own organisation.
    pub end_reason: Option<String>,
    /// Oldest first.
    pub reviews: Vec<ReviewRecord>,
    /// What happened to the need, oldest first: raised, reviewed, changed, ended.
    pub history: Vec<NeedEvent>,
    /// The referrals made for it (only the referring organisation's own), newest first.
    pub referrals: Vec<NeedReferral>,
}

/// A review of a need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub id: Uuid,
    pub reviewed_on: Day,
    pub outcome: ReviewOutcome,
    /// Only for readers in the case's own organisation.
    pub note: Option<String>,
    pub next_review_on: Option<Day>,
    pub recorded_at: i64,
}

/// One step in a need's history: what, when and by whom (the name only within the case's own
/// organisation). The content (reason, note, countries before) stays in the record it belongs
/// to, sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedEvent {
    /// `raised`, `reviewed`, `changed` or `ended`.
    pub what: &'static str,
    pub at: i64,
    pub by: Option<String>,
}

/// A referral made for a need: to whom, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedReferral {
    pub id: Uuid,
    pub to_organisation_name: String,
    pub service_name: String,
    pub status: ReferralStatus,
    pub sent_at: i64,
}

/// A referral or transfer the rule refused for the case: when, and what was attempted (ids
/// only were audited).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedAttempt {
    /// `referral.create` or `transfer.create`.
    pub action: String,
    pub at: i64,
}

fn seal_countries(countries: &[Country]) -> String {
    countries
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn open_countries(tx: &Tx, id: &str, sealed: &[u8]) -> Result<Vec<Country>, StoreError> {
    let text = tx
        .keys
        .open_str(Field::ProtectionNeedCountries, id, sealed)?;
    text.split(',')
        .map(|c| Country::parse(c).ok_or(StoreError::Corrupt("protection need country")))
        .collect()
}

/// The needs the rule reads for a case: those in force recorded on any case of the same
/// person. A need is the person's, not one case's: a consulate of the country fled must not
/// find the person through their other case. An ended need no longer counts (from its end on:
/// what the rule ended while it was in force stays ended).
pub(crate) async fn needs_of(
    tx: &mut Tx,
    case_id: &str,
) -> Result<Vec<ProtectionNeed>, StoreError> {
    let rows = sqlx::query(
        "SELECT n.id, n.kind, n.countries FROM protection_needs n JOIN cases c ON c.id = n.case_id \
         WHERE c.person_id = (SELECT person_id FROM cases WHERE id = $1) AND n.status = 'in_force'",
    )
    .bind(case_id)
    .fetch_all(&mut *tx.tx)
    .await?;
    // Read for readers outside the case's gate too (a receiving consulate).
    tx.load_keys_in_rows(&rows, &["countries"]).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.try_get("id")?;
        out.push(ProtectionNeed {
            kind: ProtectionKind::parse(&row.try_get::<String, _>("kind")?)
                .ok_or(StoreError::Corrupt("protection need kind"))?,
            countries: open_countries(tx, &id, &row.try_get::<Vec<u8>, _>("countries")?)?,
        });
    }
    Ok(out)
}

/// What an organisation is, as the rule reads it; `None` if there is no such organisation.
async fn recipient(tx: &mut Tx, org_id: Uuid) -> Result<Option<Recipient>, StoreError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT kind, country FROM organisations WHERE id = $1")
            .bind(org_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((kind, country)) = row else {
        return Ok(None);
    };
    Ok(Some(Recipient {
        kind: OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))?,
        country: Country::parse(&country).ok_or(StoreError::Corrupt("organisation country"))?,
    }))
}

/// Immigration enforcement is refused before any case is looked at: the answer is the same
/// for every case, so it tells nothing of one.
pub(crate) fn firewall(actor: &Actor) -> Result<(), StoreError> {
    match decide(actor.principal(), Action::ReadCase, Relation::Unrelated) {
        Decision::Deny(DenyReason::ImmigrationFirewall) => {
            Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
        }
        _ => Ok(()),
    }
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Rule {
        code: r.code(),
        message: r.message(),
    }
}

/// Whether the case may reach (be shared with, referred or transferred to) organisation
/// `org_id`: refused with `international_protection` when the person has a protection need
/// listing the country of that organisation and it is an authority of a state. Call it in the
/// transaction that would send the case, after the gate. An unknown organisation is
/// `unknown_organisation`.
pub(crate) async fn check_reach(
    tx: &mut Tx,
    case: &CaseAccess,
    org_id: Uuid,
) -> Result<(), StoreError> {
    let Some(to) = recipient(tx, org_id).await? else {
        return Err(StoreError::invalid(
            "organisation_id",
            passage_core::ErrorCode::UnknownOrganisation,
            "no such organisation",
        ));
    };
    let needs = needs_of(tx, &case.key()).await?;
    may_reach(&needs, to).map_err(refused)
}

/// Whether the rule refuses organisation `org_id` (a transfer's receiver) the case `case_id`.
pub(crate) async fn reader_refused(
    tx: &mut Tx,
    case_id: Uuid,
    org_id: Uuid,
) -> Result<bool, StoreError> {
    let Some(reader) = recipient(tx, org_id).await? else {
        return Ok(true);
    };
    if !passage_core::casework::protection::is_state_authority(reader.kind) {
        return Ok(false);
    }
    let needs = needs_of(tx, &case_id.to_string()).await?;
    Ok(may_reach(&needs, reader).is_err())
}

/// Ends at once the receiver's access to every referral of the person's cases made to an
/// organisation the rule now refuses (`referrals::end_access`, `international_protection`).
/// A pending transfer to such an organisation is refused when answered (`transfers`).
async fn end_refused_referrals(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
) -> Result<(), StoreError> {
    let referrals: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.id, r.to_org FROM referrals r JOIN cases c ON c.id = r.case_id \
         WHERE c.person_id = $1 AND r.status <> 'withdrawn' AND r.access_ended_at IS NULL \
         ORDER BY r.id",
    )
    .bind(case.person_id().to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let needs = needs_of(tx, &case.key()).await?;
    for (id, org) in referrals {
        let refuse = match recipient(tx, parse_uuid(&org)?).await? {
            Some(to) => may_reach(&needs, to).is_err(),
            None => false,
        };
        if refuse {
            super::referrals::end_access(tx, actor, &id, "international_protection").await?;
        }
    }
    Ok(())
}

/// Keeps a need's next review on the case's work list: while the need is in force and a
/// review is planned, an open task is due that day (created the first time, assigned to the
/// case's caseworker or else to the actor, moved when the day moves, created anew when the
/// last one was done); when the need ends or no review is planned the task is done. The
/// task's title names no person and no country.
async fn review_task(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    need_key: &str,
    next: Option<Day>,
) -> Result<(), StoreError> {
    let task: Option<(Option<String>,)> =
        sqlx::query_as("SELECT task_id FROM protection_needs WHERE id = $1")
            .bind(need_key)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let task = task.and_then(|(t,)| t);
    let open: Option<(String, Option<String>)> = match &task {
        Some(t) => {
            sqlx::query_as("SELECT id, due_on FROM tasks WHERE id = $1 AND done_at IS NULL")
                .bind(t)
                .fetch_optional(&mut *tx.tx)
                .await?
        }
        None => None,
    };
    match (next, open) {
        (None, Some((id, _))) => {
            sqlx::query("UPDATE tasks SET done_at = $1, version = version + 1 WHERE id = $2")
                .bind(tx.now)
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
            tx.audit(actor.event("task.complete", "task", Some(id), "ok"))
                .await?;
        }
        (Some(day), Some((id, due))) => {
            if due.as_deref() != Some(day.to_string().as_str()) {
                sqlx::query("UPDATE tasks SET due_on = $1, version = version + 1 WHERE id = $2")
                    .bind(day.to_string())
                    .bind(&id)
                    .execute(&mut *tx.tx)
                    .await?;
                tx.audit(actor.event("task.reschedule", "task", Some(id), "ok"))
                    .await?;
            }
        }
        (Some(day), None) => {
            let assigned: Option<(Option<String>,)> =
                sqlx::query_as("SELECT assigned_to FROM cases WHERE id = $1")
                    .bind(case.key())
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            let staff = super::tasks::case_staff(tx, case).await?;
            let assignee = assigned
                .and_then(|(a,)| a)
                .and_then(|a| Uuid::parse_str(&a).ok())
                .filter(|a| staff.iter().any(|m| m.id == *a))
                .unwrap_or(actor.user_id());
            let id = Uuid::now_v7().to_string();
            let sealed = tx.keys.seal_str(
                Field::TaskTitle,
                &id,
                "Review of the international protection need",
            )?;
            sqlx::query(
                "INSERT INTO tasks (id, case_id, org_id, title, assigned_to, due_on, done_at, \
                 created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, 1)",
            )
            .bind(&id)
            .bind(case.key())
            .bind(case.org_id().to_string())
            .bind(sealed)
            .bind(assignee.to_string())
            .bind(day.to_string())
            .bind(actor.user_id().to_string())
            .bind(tx.now)
            .execute(&mut *tx.tx)
            .await?;
            sqlx::query("UPDATE protection_needs SET task_id = $1 WHERE id = $2")
                .bind(&id)
                .bind(need_key)
                .execute(&mut *tx.tx)
                .await?;
            tx.audit(actor.event("task.create", "task", Some(id), "ok"))
                .await?;
        }
        (None, None) => {}
    }
    Ok(())
}

/// A need of this case, as a write reads it: its status and sealed countries. Another case's
/// need, or none, is not found.
async fn need_on_case(
    tx: &mut Tx,
    case: &CaseAccess,
    need_id: Uuid,
) -> Result<Option<(NeedStatus, Vec<u8>)>, StoreError> {
    let row: Option<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT status, countries FROM protection_needs WHERE id = $1 AND case_id = $2",
    )
    .bind(need_id.to_string())
    .bind(case.key())
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.map(|(st, c)| {
        NeedStatus::parse(&st)
            .map(|st| (st, c))
            .ok_or(StoreError::Corrupt("protection need status"))
    })
    .transpose()
}

/// Refuses a write on a need: the audit row (ids only) is kept, the rest rolls back.
async fn refuse_need(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    case: &CaseAccess,
    err: StoreError,
) -> StoreError {
    let outcome = match &err {
        StoreError::Rule { code, .. } => code.as_str(),
        StoreError::Forbidden(_) => "forbidden",
        _ => "not_found",
    };
    let done = async {
        tx.audit(actor.event(action, "case", Some(case.key()), outcome))
            .await?;
        tx.commit().await
    };
    match done.await {
        Ok(()) => err,
        Err(e) => e,
    }
}

fn ended() -> StoreError {
    StoreError::Rule {
        code: ErrorCode::ProtectionNeedEnded,
        message: "The need has ended: record a new one if the person needs protection again."
            .into(),
    }
}

fn day_of(v: Option<String>) -> Result<Option<Day>, StoreError> {
    v.map(|d| Day::parse(&d).ok_or(StoreError::Corrupt("protection need day")))
        .transpose()
}

impl Store {
    /// Records an international protection need on a case (the owner's organisation only) and
    /// ends at once any share of the case with an authority of a listed country. Returns the
    /// need's id.
    pub async fn record_protection_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        need: NewProtectionNeed,
    ) -> Result<Uuid, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "protection_need.record").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let countries = tx.keys.seal_str(
            Field::ProtectionNeedCountries,
            &key,
            &seal_countries(&need.countries),
        )?;
        let reason = tx
            .keys
            .seal_str(Field::ProtectionNeedReason, &key, &need.reason)?;
        sqlx::query(
            "INSERT INTO protection_needs (id, case_id, kind, countries, reason, recorded_by, recorded_at, \
             raised_by, status, next_review_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'in_force', $9)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(need.kind.as_str())
        .bind(countries)
        .bind(reason)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(need.raised_by.as_str())
        .bind(need.next_review_on.map(|d| d.to_string()))
        .execute(&mut *tx.tx)
        .await?;
        review_task(&mut tx, actor, &case, &key, need.next_review_on).await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "protection_need",
            None,
            Some(need.kind.as_str()),
        )
        .await?;
        end_refused_referrals(&mut tx, actor, &case).await?;
        tx.audit(actor.event("protection_need.record", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The protection needs of a case, oldest first. The reason only for readers in the case's
    /// own organisation.
    pub async fn protection_needs(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<ProtectionNeedRecord>, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) =
            gate(tx, actor, case_id, Action::ReadCase, "protection_need.list").await?;
        let own = case.org_id() == actor.org_id();
        let names: std::collections::HashMap<String, String> = if own {
            sqlx::query_as("SELECT id, display_name FROM users WHERE org_id = $1")
                .bind(actor.org_id().to_string())
                .fetch_all(&mut *tx.tx)
                .await?
                .into_iter()
                .collect()
        } else {
            Default::default()
        };
        let name = |u: Option<String>| -> Option<String> { u.and_then(|u| names.get(&u).cloned()) };
        let rows = sqlx::query(
            "SELECT id, kind, countries, reason, recorded_at, recorded_by, raised_by, status, \
             next_review_on, ended_at, ended_by, end_reason FROM protection_needs \
             WHERE case_id = $1 ORDER BY recorded_at, id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let reason = if own {
                Some(tx.keys.open_str(
                    Field::ProtectionNeedReason,
                    &id,
                    &row.try_get::<Vec<u8>, _>("reason")?,
                )?)
            } else {
                None
            };
            let end_reason = match row.try_get::<Option<Vec<u8>>, _>("end_reason")? {
                Some(sealed) if own => Some(tx.keys.open_str(
                    Field::ProtectionNeedEndReason,
                    &id,
                    &sealed,
                )?),
                _ => None,
            };
            let status = NeedStatus::parse(&row.try_get::<String, _>("status")?)
                .ok_or(StoreError::Corrupt("protection need status"))?;
            let recorded_at: i64 = row.try_get("recorded_at")?;
            let ended_at: Option<i64> = row.try_get("ended_at")?;
            let mut history = vec![NeedEvent {
                what: "raised",
                at: recorded_at,
                by: name(Some(row.try_get("recorded_by")?)),
            }];
            let review_rows = sqlx::query(
                "SELECT id, reviewed_on, outcome, note, countries_before, next_review_on, \
                 recorded_by, recorded_at FROM protection_reviews WHERE need_id = $1 \
                 ORDER BY recorded_at, id",
            )
            .bind(&id)
            .fetch_all(&mut *tx.tx)
            .await?;
            let mut reviews = Vec::with_capacity(review_rows.len());
            for r in review_rows {
                let rid: String = r.try_get("id")?;
                let at: i64 = r.try_get("recorded_at")?;
                let by = name(Some(r.try_get("recorded_by")?));
                let outcome = ReviewOutcome::parse(&r.try_get::<String, _>("outcome")?)
                    .ok_or(StoreError::Corrupt("protection review outcome"))?;
                history.push(NeedEvent {
                    what: "reviewed",
                    at,
                    by: by.clone(),
                });
                if r.try_get::<Option<Vec<u8>>, _>("countries_before")?
                    .is_some()
                {
                    history.push(NeedEvent {
                        what: "changed",
                        at,
                        by,
                    });
                }
                let note = if own {
                    Some(tx.keys.open_str(
                        Field::ProtectionReviewNote,
                        &rid,
                        &r.try_get::<Vec<u8>, _>("note")?,
                    )?)
                } else {
                    None
                };
                reviews.push(ReviewRecord {
                    id: parse_uuid(&rid)?,
                    reviewed_on: day_of(Some(r.try_get("reviewed_on")?))?
                        .ok_or(StoreError::Corrupt("protection review day"))?,
                    outcome,
                    note,
                    next_review_on: day_of(r.try_get("next_review_on")?)?,
                    recorded_at: at,
                });
            }
            if let Some(at) = ended_at {
                history.push(NeedEvent {
                    what: "ended",
                    at,
                    by: name(row.try_get("ended_by")?),
                });
            }
            let referral_rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
                "SELECT r.id, o.name, s.name, r.status, r.sent_at FROM referrals r \
                 JOIN organisations o ON o.id = r.to_org \
                 JOIN directory_services s ON s.id = r.service_id \
                 WHERE r.protection_need_id = $1 AND r.from_org = $2 ORDER BY r.sent_at DESC, r.id",
            )
            .bind(&id)
            .bind(actor.org_id().to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
            let mut referrals = Vec::with_capacity(referral_rows.len());
            for (rid, org, service, st, sent_at) in referral_rows {
                referrals.push(NeedReferral {
                    id: parse_uuid(&rid)?,
                    to_organisation_name: org,
                    service_name: service,
                    status: ReferralStatus::parse(&st)
                        .ok_or(StoreError::Corrupt("referral status"))?,
                    sent_at,
                });
            }
            out.push(ProtectionNeedRecord {
                id: parse_uuid(&id)?,
                kind: ProtectionKind::parse(&row.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("protection need kind"))?,
                countries: open_countries(&tx, &id, &row.try_get::<Vec<u8>, _>("countries")?)?,
                reason,
                recorded_at,
                raised_by: RaisedBy::parse(&row.try_get::<String, _>("raised_by")?)
                    .ok_or(StoreError::Corrupt("protection need raised_by"))?,
                next_review_on: if status == NeedStatus::InForce {
                    day_of(row.try_get("next_review_on")?)?
                } else {
                    None
                },
                status,
                ended_at,
                end_reason,
                reviews,
                history,
                referrals,
            });
        }
        tx.audit(actor.event("protection_need.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Records a review of a need of the case (the owner's organisation only, while the need
    /// is in force): the day, the outcome, the note (sealed), the next review (kept as a task
    /// on the case's work list). An outcome `changed` may give the countries from now on: the
    /// ones before are kept sealed for the history, and any share with an authority of a
    /// country now listed ends at once. Returns the review's id.
    pub async fn review_protection_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        need_id: Uuid,
        review: NewReview,
    ) -> Result<Uuid, StoreError> {
        let action = "protection_need.review";
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, action).await?;
        let (status, before) = match need_on_case(&mut tx, &case, need_id).await? {
            Some(n) => n,
            None => return Err(refuse_need(tx, actor, action, &case, StoreError::NotFound).await),
        };
        if status == NeedStatus::Ended {
            return Err(refuse_need(tx, actor, action, &case, ended()).await);
        }
        let need_key = need_id.to_string();
        let id = Uuid::now_v7();
        let key = id.to_string();
        let note = tx
            .keys
            .seal_str(Field::ProtectionReviewNote, &key, &review.note)?;
        let old = open_countries(&tx, &need_key, &before)?;
        let changed = review.countries.as_ref().filter(|c| **c != old);
        let countries_before = match changed {
            Some(_) => Some(tx.keys.seal_str(
                Field::ProtectionReviewCountriesBefore,
                &key,
                &seal_countries(&old),
            )?),
            None => None,
        };
        sqlx::query(
            "INSERT INTO protection_reviews (id, need_id, reviewed_on, outcome, note, countries_before, \
             next_review_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&key)
        .bind(&need_key)
        .bind(review.reviewed_on.to_string())
        .bind(review.outcome.as_str())
        .bind(note)
        .bind(countries_before)
        .bind(review.next_review_on.map(|d| d.to_string()))
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        if let Some(countries) = changed {
            let sealed = tx.keys.seal_str(
                Field::ProtectionNeedCountries,
                &need_key,
                &seal_countries(countries),
            )?;
            sqlx::query("UPDATE protection_needs SET countries = $1 WHERE id = $2")
                .bind(sealed)
                .bind(&need_key)
                .execute(&mut *tx.tx)
                .await?;
        }
        sqlx::query("UPDATE protection_needs SET next_review_on = $1 WHERE id = $2")
            .bind(review.next_review_on.map(|d| d.to_string()))
            .bind(&need_key)
            .execute(&mut *tx.tx)
            .await?;
        review_task(&mut tx, actor, &case, &need_key, review.next_review_on).await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "protection_need_review",
            None,
            Some(review.outcome.as_str()),
        )
        .await?;
        if changed.is_some() {
            end_refused_referrals(&mut tx, actor, &case).await?;
        }
        tx.audit(actor.event(action, "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends a need of the case: a supervisor of the case's organisation only (403 for anyone
    /// else who may write the case), with a reason (sealed). From then on the need no longer
    /// counts for the rule; what the rule already ended (a referral's access) stays ended. Its
    /// review task is done.
    pub async fn end_protection_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        need_id: Uuid,
        reason: String,
    ) -> Result<(), StoreError> {
        let action = "protection_need.end";
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, action).await?;
        if !is_supervisor_of(actor, &case) {
            let err = StoreError::Forbidden(DenyReason::NoGrant);
            return Err(refuse_need(tx, actor, action, &case, err).await);
        }
        match need_on_case(&mut tx, &case, need_id).await? {
            None => return Err(refuse_need(tx, actor, action, &case, StoreError::NotFound).await),
            Some((NeedStatus::Ended, _)) => {
                return Err(refuse_need(tx, actor, action, &case, ended()).await);
            }
            Some(_) => {}
        }
        let key = need_id.to_string();
        let sealed = tx
            .keys
            .seal_str(Field::ProtectionNeedEndReason, &key, &reason)?;
        sqlx::query(
            "UPDATE protection_needs SET status = 'ended', ended_by = $1, ended_at = $2, \
             end_reason = $3, next_review_on = NULL WHERE id = $4 AND status = 'in_force'",
        )
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(sealed)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        review_task(&mut tx, actor, &case, &key, None).await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "protection_need",
            Some("in_force"),
            Some("ended"),
        )
        .await?;
        tx.audit(actor.event(action, "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The referrals and transfers of the case that the rule refused, newest first: for the
    /// case's own organisation (others get an empty list). Read from the audit, which holds
    /// ids only.
    pub async fn protection_refusals(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<RefusedAttempt>, StoreError> {
        firewall(actor)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate(
            tx,
            actor,
            case_id,
            Action::ReadCase,
            "protection_need.refusals",
        )
        .await?;
        let rows: Vec<(String, i64)> = if case.org_id() == actor.org_id() {
            sqlx::query_as(
                "SELECT action, at FROM audit_events WHERE object_type = 'case' AND object_id = $1 \
                 AND outcome = 'international_protection' \
                 AND action IN ('referral.create', 'transfer.create') ORDER BY seq DESC",
            )
            .bind(case.key())
            .fetch_all(&mut *tx.tx)
            .await?
        } else {
            Vec::new()
        };
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(action, at)| RefusedAttempt { action, at })
            .collect())
    }

    /// Whether the case may reach organisation `org_id` (a share, a referral, a transfer), for
    /// a reader of the case who is about to choose a recipient: `Ok`, or the rule's refusal
    /// (`international_protection`).
    pub async fn check_reach(
        &self,
        actor: &Actor,
        case_id: Uuid,
        org_id: Uuid,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(
            tx,
            actor,
            case_id,
            Action::ReadCase,
            "protection_need.check",
        )
        .await?;
        let result = check_reach(&mut tx, &case, org_id).await;
        let outcome = match &result {
            Ok(()) => "ok",
            Err(StoreError::Rule { .. }) => "international_protection",
            Err(_) => "invalid",
        };
        tx.audit(actor.event("protection_need.check", "case", Some(case.key()), outcome))
            .await?;
        tx.commit().await?;
        result
    }
}
