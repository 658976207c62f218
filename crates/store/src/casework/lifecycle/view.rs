//! What a case page shows of its lifecycle: status and the statuses it may move to, risk,
//! identification, deadlines, follow-ups, who may be assigned, and a pending approval.

use super::*;

/// The lifecycle facts of a case, for its view. Runs inside the reader's transaction, after the
/// policy allowed the read.
pub(crate) async fn lifecycle_view(
    tx: &mut Tx,
    profiles: &Profiles,
    case_id: &str,
    status: CaseStatus,
    created_at: i64,
) -> Result<LifecycleView, StoreError> {
    let row = sqlx::query(
        "SELECT risk, country, outcome, closed_at, identification_status, identification_by, \
         identification_on, conclusive_on, identification_screening, methods_of_control, type_of_exploitation, \
         EXISTS (SELECT 1 FROM approvals a WHERE a.case_id = c.id AND a.kind = 'close' AND a.decision IS NULL) \
         AS close_pending \
         FROM cases c WHERE c.id = $1",
    )
    .bind(case_id)
    .fetch_one(&mut *tx.tx)
    .await?;
    let risk =
        RiskLevel::parse(&row.try_get::<String, _>("risk")?).ok_or(StoreError::Corrupt("risk"))?;
    let country: Option<String> = row.try_get("country")?;
    let outcome = row
        .try_get::<Option<String>, _>("outcome")?
        .map(|o| Outcome::parse(&o).ok_or(StoreError::Corrupt("outcome")))
        .transpose()?;
    let closed_at: Option<i64> = row.try_get("closed_at")?;
    let ident_status = row
        .try_get::<Option<String>, _>("identification_status")?
        .and_then(|s| IdentificationStatus::parse(&s));
    let ident_by = row
        .try_get::<Option<String>, _>("identification_by")?
        .and_then(|h| unhex(&h))
        .map(|b| tx.keys.open_str(IDENTIFICATION_BY, case_id, &b))
        .transpose()?;
    let ident_on = row
        .try_get::<Option<String>, _>("identification_on")?
        .and_then(|d| Day::parse(&d));
    let conclusive = row
        .try_get::<Option<String>, _>("conclusive_on")?
        .and_then(|d| Day::parse(&d));
    let screening = row
        .try_get::<Option<String>, _>("identification_screening")?
        .map(|s| crate::auth::parse_uuid(&s))
        .transpose()?;
    let htcds = |col: &str| -> Result<Vec<String>, StoreError> {
        Ok(row
            .try_get::<Option<String>, _>(col)?
            .unwrap_or_default()
            .split(';')
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect())
    };
    let (methods_of_control, type_of_exploitation) =
        (htcds("methods_of_control")?, htcds("type_of_exploitation")?);
    let pending = flag(&row, "close_pending")?;
    let identification = match (ident_status, ident_on) {
        (Some(s), Some(on)) => Some((s, on)),
        _ => None,
    };
    let close_rejected = if pending || status == CaseStatus::Closed {
        None
    } else {
        last_rejection(tx, case_id).await?
    };
    let profile = profiles.for_country(country.as_deref());
    let facts = CaseFacts {
        opened: Some(Day::from_unix_ms(created_at)),
        identification,
        conclusive,
        closed: closed_at.map(Day::from_unix_ms),
    };
    Ok(LifecycleView {
        risk,
        methods_of_control,
        type_of_exploitation,
        country,
        identification: identification.map(|(status, on)| IdentificationView {
            status,
            decided_by: ident_by.unwrap_or_default(),
            decided_on: match (status, conclusive) {
                (IdentificationStatus::ActualVictim, Some(c)) => c.to_string(),
                _ => on.to_string(),
            },
            screening,
        }),
        outcome,
        closed_at,
        jurisdiction: profile.name.clone(),
        deadlines: profile.deadlines(&facts),
        next_statuses: next_statuses(status),
        close_pending_approval: pending,
        close_rejected,
    })
}

/// The supervisor's reason if the last decided request to close the case was a rejection.
async fn last_rejection(tx: &mut Tx, case_id: &str) -> Result<Option<RejectionView>, StoreError> {
    let row = sqlx::query(
        "SELECT a.id, a.decision, a.decision_reason, a.decided_by, a.decided_at, u.display_name \
         FROM approvals a LEFT JOIN users u ON u.id = a.decided_by \
         WHERE a.case_id = $1 AND a.kind = 'close' AND a.decision IS NOT NULL \
         ORDER BY a.decided_at DESC, a.id DESC LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.try_get::<Option<String>, _>("decision")?.as_deref() != Some("rejected") {
        return Ok(None);
    }
    let id: String = row.try_get("id")?;
    let reason = row
        .try_get::<Option<Vec<u8>>, _>("decision_reason")?
        .map(|b| tx.keys.open_str(Field::ApprovalDecisionReason, &id, &b))
        .transpose()?
        .unwrap_or_default();
    let by = match row.try_get::<Option<String>, _>("display_name")? {
        Some(name) => name,
        None => row
            .try_get::<Option<String>, _>("decided_by")?
            .unwrap_or_default(),
    };
    Ok(Some(RejectionView {
        reason,
        by,
        at: row
            .try_get::<Option<i64>, _>("decided_at")?
            .unwrap_or_default(),
    }))
}

/// The display names of users, by id.
pub(super) async fn user_names(
    tx: &mut Tx,
    org: Uuid,
) -> Result<HashMap<String, String>, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, display_name FROM users WHERE org_id = $1")
            .bind(org.to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
    Ok(rows.into_iter().collect())
}

/// The users a case may be given to: active users of the case's organisation whom the policy
/// lets work on a case assigned to them, by name.
pub(super) async fn assignable(
    tx: &mut Tx,
    case: &CaseAccess,
) -> Result<Vec<StaffMember>, StoreError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.roles, o.kind FROM users u JOIN organisations o ON o.id = u.org_id \
         WHERE u.org_id = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(case.org_id().to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::new();
    for (id, name, roles, kind) in rows {
        let principal = Principal {
            user_id: parse_uuid(&id)?,
            org_id: case.org_id(),
            org_kind: OrgKind::parse(&kind).ok_or(StoreError::Corrupt("organisation kind"))?,
            roles: parse_roles(&roles)?,
        };
        if decide(&principal, Action::UpdateCase, Relation::Own).is_allowed() {
            out.push(StaffMember {
                id: principal.user_id,
                name,
            });
        }
    }
    Ok(out)
}
