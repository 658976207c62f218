//! A case's history and the supervisor's approvals: listing what waits, approving (the case
//! closes, recording who approved) and rejecting.

use super::*;
use passage_core::validate::{Problems, Text};

impl Store {
    /// The history of a case, oldest first: who changed which field from what to what, and
    /// when. Only readers of the case see it; a change of migration status only those who may
    /// read migration status (and then only that it changed).
    pub async fn case_history(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "case.history").await?;
        let status_allowed = decide(
            actor.principal(),
            Action::ReadMigrationStatus,
            case.relation(),
        )
        .is_allowed();
        let names = user_names(&mut tx, case.org_id()).await?;
        let rows = sqlx::query(
            "SELECT h.id, h.field, h.old_value, h.new_value, h.by_user, u.display_name, h.at \
             FROM case_history h LEFT JOIN users u ON u.id = h.by_user \
             WHERE h.case_id = $1 ORDER BY h.at, h.id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let field: String = row.try_get("field")?;
            if field.contains("migration_status") && !status_allowed {
                continue;
            }
            let hid: String = row.try_get("id")?;
            let open = |col: &str| -> Result<Option<String>, StoreError> {
                row.try_get::<Option<Vec<u8>>, _>(col)?
                    .map(|b| tx.keys.open_str(Field::CaseHistoryValue, &hid, &b))
                    .transpose()
            };
            let (mut old, mut new) = (open("old_value")?, open("new_value")?);
            if field == "assigned_to" {
                let name = |v: Option<String>| v.map(|u| names.get(&u).cloned().unwrap_or(u));
                old = name(old);
                new = name(new);
            }
            let by_id: String = row.try_get("by_user")?;
            out.push(HistoryEntry {
                field,
                old,
                new,
                by: row
                    .try_get::<Option<String>, _>("display_name")?
                    .unwrap_or_else(|| by_id.clone()),
                by_id: parse_uuid(&by_id)?,
                at: row.try_get("at")?,
            });
        }
        tx.audit(actor.event("case.history", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The requests waiting for a supervisor of the actor's organisation, oldest first. Only
    /// supervisors who may read the organisation's cases see them.
    pub async fn list_approvals(&self, actor: &Actor) -> Result<Vec<ApprovalView>, StoreError> {
        case_list_scope(actor.principal()).map_err(StoreError::Forbidden)?;
        if !actor.has_role(Role::Supervisor) {
            return Err(StoreError::Forbidden(DenyReason::NoGrant));
        }
        let mut tx = self.begin().await?;
        let names = user_names(&mut tx, actor.org_id()).await?;
        let rows = sqlx::query(
            "SELECT a.id, a.case_id, a.kind, a.payload, a.requested_by, a.requested_at, p.id AS person_id, \
             p.given_name, p.family_name \
             FROM approvals a JOIN cases c ON c.id = a.case_id JOIN persons p ON p.id = c.person_id \
             WHERE a.org_id = $1 AND a.decision IS NULL ORDER BY a.requested_at, a.id",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let persons: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>("person_id"))
            .collect::<Result<_, _>>()?;
        tx.load_person_keys(&persons).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let pid: String = row.try_get("person_id")?;
            let k = tx.keys.clone();
            let payload: ClosePayload = serde_json::from_str(&k.open_str(
                Field::ApprovalPayload,
                &id,
                &row.try_get::<Vec<u8>, _>("payload")?,
            )?)
            .map_err(|_| StoreError::Corrupt("approval payload"))?;
            let given = k.open_str(
                Field::PersonGivenName,
                &pid,
                &row.try_get::<Vec<u8>, _>("given_name")?,
            )?;
            let family = k.open_str(
                Field::PersonFamilyName,
                &pid,
                &row.try_get::<Vec<u8>, _>("family_name")?,
            )?;
            let by: String = row.try_get("requested_by")?;
            let child = super::is_child_person(&mut tx, &pid).await?;
            tx.audit(actor.event("approval.list", "approval", Some(id.clone()), "ok"))
                .await?;
            out.push(ApprovalView {
                id: parse_uuid(&id)?,
                case_id: parse_uuid(&row.try_get::<String, _>("case_id")?)?,
                kind: row.try_get("kind")?,
                person_name: format!("{given} {family}").trim().to_string(),
                outcome: Some(payload.outcome),
                reason: payload.reason,
                requested_by: parse_uuid(&by)?,
                requested_by_name: names.get(&by).cloned().unwrap_or(by),
                requested_at: row.try_get("requested_at")?,
                child,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Approves a pending request: the case closes with the requested outcome and reason, the
    /// transition records the requester and the approving supervisor. Answers the case id.
    pub async fn approve(&self, actor: &Actor, approval_id: Uuid) -> Result<Uuid, StoreError> {
        self.decide_approval(actor, approval_id, None).await
    }

    /// Rejects a pending request with the supervisor's reason, which is required: it is sealed
    /// and shown to the caseworker on the case. The case stays as it is. Answers the case id.
    ///
    /// The reason comes checked (`core::casework::changes::rejection_reason`) or as the problems
    /// the check found: those are answered only to someone who may decide the request, so a
    /// request out of reach answers not found with or without a reason.
    pub async fn reject(
        &self,
        actor: &Actor,
        approval_id: Uuid,
        reason: Result<Text, Problems>,
    ) -> Result<Uuid, StoreError> {
        self.decide_approval(actor, approval_id, Some(reason)).await
    }

    async fn decide_approval(
        &self,
        actor: &Actor,
        approval_id: Uuid,
        rejection: Option<Result<Text, Problems>>,
    ) -> Result<Uuid, StoreError> {
        let approve = rejection.is_none();
        let action = if approve {
            "approval.approve"
        } else {
            "approval.reject"
        };
        let mut tx = self.begin().await?;
        let aid = approval_id.to_string();
        let row = sqlx::query(
            "SELECT case_id, org_id, payload, requested_by, decision FROM approvals WHERE id = $1",
        )
        .bind(&aid)
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some(row) = row.filter(|r| {
            r.try_get::<String, _>("org_id")
                .is_ok_and(|o| o == actor.org_id().to_string())
        }) else {
            return missing(tx, actor, action, "approval", aid).await;
        };
        let case_id = parse_uuid(&row.try_get::<String, _>("case_id")?)?;
        let sealed: Vec<u8> = row.try_get("payload")?;
        let requested_by = parse_uuid(&row.try_get::<String, _>("requested_by")?)?;
        let decided: Option<String> = row.try_get("decision")?;
        let (mut tx, case) = gate_write(tx, actor, case_id, action).await?;
        if !is_supervisor_of(actor, &case) {
            tx.audit(actor.event(action, "approval", Some(aid), "denied"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::Forbidden(DenyReason::NoGrant));
        }
        // Asked only of someone who may decide, so the refusal tells no one else anything.
        let reason = rejection
            .transpose()
            .map_err(StoreError::Invalid)?
            .map(Text::into_string);
        if decided.is_some() {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::AlreadyDecided,
                message: "This request has already been decided.".into(),
            });
        }
        let done = sqlx::query(
            "UPDATE approvals SET decided_by = $1, decided_at = $2, decision = $3 WHERE id = $4 AND decision IS NULL",
        )
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(if approve { "approved" } else { "rejected" })
        .bind(&aid)
        .execute(&mut *tx.tx)
        .await?;
        if let Some(reason) = &reason {
            let sealed = tx
                .keys
                .seal_str(Field::ApprovalDecisionReason, &aid, reason)?;
            sqlx::query("UPDATE approvals SET decision_reason = $1 WHERE id = $2")
                .bind(sealed)
                .bind(&aid)
                .execute(&mut *tx.tx)
                .await?;
        }
        if done.rows_affected() != 1 {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::AlreadyDecided,
                message: "This request has already been decided.".into(),
            });
        }
        if approve {
            let payload: ClosePayload =
                serde_json::from_str(&tx.keys.open_str(Field::ApprovalPayload, &aid, &sealed)?)
                    .map_err(|_| StoreError::Corrupt("approval payload"))?;
            let req = TransitionRequest {
                from: case.status(),
                to: CaseStatus::Closed,
                reason: Some(payload.reason.clone()),
                outcome: Some(payload.outcome),
                needs_sign_off: true,
                supervisor: true,
            };
            if let Err(e) = check(&req) {
                return Err(match e {
                    TransitionError::NotAllowed => StoreError::Rule {
                        code: e.code(),
                        message: "The case can no longer close from its current status (it may be closed already). Reject this request instead.".into(),
                    },
                    other => rule(other),
                });
            }
            apply_transition(
                &mut tx,
                actor,
                &case,
                &self.profiles,
                CaseStatus::Closed,
                Some(&payload.reason),
                Some(payload.outcome),
                requested_by,
                Some(actor.user_id()),
            )
            .await?;
        }
        tx.audit(actor.event(action, "approval", Some(aid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(case_id)
    }
}
