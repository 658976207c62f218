//! Reading an ombudsperson's investigations: one investigation with everything opened, the
//! office's work list (overdue questions first) and the counts its analyst sees. The same rule
//! as for writing: an investigation is its office's alone, any other reader gets `NotFound`.

use super::investigations::*;
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::oversight::investigations::{
    AuthorityKind, FindingOutcome, FollowUpState, InvestigationAction, InvestigationStatus,
    SubjectKind, question_overdue,
};
use sqlx::Row;
use uuid::Uuid;

impl Store {
    /// One investigation of the actor's office, everything opened; `NotFound` (audited) for
    /// anyone else.
    pub async fn investigation(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<InvestigationView, StoreError> {
        let what = "investigation.read";
        let key = id.to_string();
        let tx = self
            .investigation_gate(actor, InvestigationAction::Work, what, Some(key.clone()))
            .await?;
        let (mut tx, _) = self.own_investigation(tx, actor, what, id).await?;
        let r = sqlx::query(
            "SELECT subject_kind, subject_id, authority_name, authority_kind, opened_on, status, \
             summary, findings_outcome, findings, findings_on, close_reason, closed_on, version \
             FROM investigations WHERE id = $1",
        )
        .bind(&key)
        .fetch_one(&mut *tx.tx)
        .await?;
        let keys = tx.keys.clone();
        let open = |field: Field, record: &str, bytes: Option<Vec<u8>>| {
            bytes.map(|b| keys.open_str(field, record, &b)).transpose()
        };
        let findings = match (
            r.try_get::<Option<String>, _>("findings_outcome")?,
            open(Field::InvestigationFindings, &key, r.try_get("findings")?)?,
        ) {
            (Some(o), Some(text)) => Some(FindingsView {
                outcome: FindingOutcome::parse(&o).ok_or(StoreError::Corrupt("finding"))?,
                text,
                on: r
                    .try_get::<Option<String>, _>("findings_on")?
                    .unwrap_or_default(),
            }),
            _ => None,
        };
        let today = Day::from_unix_ms(tx.now);
        let mut questions = Vec::new();
        for q in sqlx::query(
            "SELECT id, text, sent_on, reply_by, answered_on, answer FROM investigation_questions \
             WHERE investigation_id = $1 ORDER BY sent_on, created_at, id",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            let qkey: String = q.try_get("id")?;
            let reply_by: String = q.try_get("reply_by")?;
            let answered_on: Option<String> = q.try_get("answered_on")?;
            let due = Day::parse(&reply_by).ok_or(StoreError::Corrupt("reply_by"))?;
            questions.push(QuestionView {
                id: parse_uuid(&qkey)?,
                text: keys.open_str(
                    Field::InvestigationQuestionText,
                    &qkey,
                    &q.try_get::<Vec<u8>, _>("text")?,
                )?,
                sent_on: q.try_get("sent_on")?,
                overdue: question_overdue(due, answered_on.is_some(), today),
                reply_by,
                answered_on,
                answer: open(Field::InvestigationAnswer, &qkey, q.try_get("answer")?)?,
            });
        }
        let mut recommendations = Vec::new();
        for rec in sqlx::query(
            "SELECT id, text, state FROM investigation_recommendations \
             WHERE investigation_id = $1 ORDER BY created_at, id",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?
        {
            let rkey: String = rec.try_get("id")?;
            let mut history = Vec::new();
            for f in sqlx::query(
                "SELECT id, state, on_day, note FROM investigation_follow_ups \
                 WHERE recommendation_id = $1 ORDER BY recorded_at, id",
            )
            .bind(&rkey)
            .fetch_all(&mut *tx.tx)
            .await?
            {
                let fkey: String = f.try_get("id")?;
                history.push(FollowUpView {
                    state: FollowUpState::parse(&f.try_get::<String, _>("state")?)
                        .ok_or(StoreError::Corrupt("follow-up state"))?,
                    on: f.try_get("on_day")?,
                    note: open(Field::InvestigationFollowUpNote, &fkey, f.try_get("note")?)?,
                });
            }
            recommendations.push(RecommendationView {
                id: parse_uuid(&rkey)?,
                text: keys.open_str(
                    Field::InvestigationRecommendationText,
                    &rkey,
                    &rec.try_get::<Vec<u8>, _>("text")?,
                )?,
                state: FollowUpState::parse(&rec.try_get::<String, _>("state")?)
                    .ok_or(StoreError::Corrupt("follow-up state"))?,
                history,
            });
        }
        let view = InvestigationView {
            id,
            subject_kind: SubjectKind::parse(&r.try_get::<String, _>("subject_kind")?)
                .ok_or(StoreError::Corrupt("subject kind"))?,
            subject_id: parse_uuid(&r.try_get::<String, _>("subject_id")?)?,
            authority_name: keys.open_str(
                Field::InvestigationAuthorityName,
                &key,
                &r.try_get::<Vec<u8>, _>("authority_name")?,
            )?,
            authority_kind: AuthorityKind::parse(&r.try_get::<String, _>("authority_kind")?)
                .ok_or(StoreError::Corrupt("authority kind"))?,
            opened_on: r.try_get("opened_on")?,
            status: status_of(&r.try_get::<String, _>("status")?)?,
            summary: keys.open_str(
                Field::InvestigationSummary,
                &key,
                &r.try_get::<Vec<u8>, _>("summary")?,
            )?,
            findings,
            questions,
            recommendations,
            closed_on: r.try_get("closed_on")?,
            close_reason: open(
                Field::InvestigationCloseReason,
                &key,
                r.try_get("close_reason")?,
            )?,
            version: r.try_get("version")?,
        };
        tx.audit(actor.event(what, "investigation", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The office's investigations: those with a question overdue first (most overdue
    /// first), then the open ones by the next reply due, the closed ones last.
    pub async fn investigation_work_list(
        &self,
        actor: &Actor,
    ) -> Result<Vec<InvestigationItem>, StoreError> {
        let what = "investigation.list";
        let mut tx = self
            .investigation_gate(actor, InvestigationAction::Work, what, None)
            .await?;
        let today = Day::from_unix_ms(tx.now);
        let rows = sqlx::query(
            "SELECT id, authority_name, authority_kind, subject_kind, opened_on, status \
             FROM investigations WHERE org_id = $1 ORDER BY opened_on DESC, id",
        )
        .bind(actor.org_id().to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let key: String = r.try_get("id")?;
            let open: Vec<(String,)> = sqlx::query_as(
                "SELECT reply_by FROM investigation_questions \
                 WHERE investigation_id = $1 AND answered_on IS NULL ORDER BY reply_by",
            )
            .bind(&key)
            .fetch_all(&mut *tx.tx)
            .await?;
            let overdue = open
                .iter()
                .filter(|(d,)| Day::parse(d).is_some_and(|d| question_overdue(d, false, today)))
                .count() as u64;
            out.push(InvestigationItem {
                id: parse_uuid(&key)?,
                authority_name: tx.keys.open_str(
                    Field::InvestigationAuthorityName,
                    &key,
                    &r.try_get::<Vec<u8>, _>("authority_name")?,
                )?,
                authority_kind: AuthorityKind::parse(&r.try_get::<String, _>("authority_kind")?)
                    .ok_or(StoreError::Corrupt("authority kind"))?,
                subject_kind: SubjectKind::parse(&r.try_get::<String, _>("subject_kind")?)
                    .ok_or(StoreError::Corrupt("subject kind"))?,
                opened_on: r.try_get("opened_on")?,
                status: status_of(&r.try_get::<String, _>("status")?)?,
                overdue_questions: overdue,
                open_questions: open.len() as u64,
                next_reply_by: open.first().map(|(d,)| d.clone()),
            });
        }
        out.sort_by(|a, b| {
            (a.overdue_questions == 0)
                .cmp(&(b.overdue_questions == 0))
                .then_with(|| {
                    (a.status == InvestigationStatus::Closed)
                        .cmp(&(b.status == InvestigationStatus::Closed))
                })
                .then_with(|| match (&a.next_reply_by, &b.next_reply_by) {
                    (Some(x), Some(y)) => x.cmp(y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
        });
        tx.audit(actor.event(what, "investigation", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// How many investigations the actor's office has in each status, and how many questions
    /// are overdue: counts, no content (the office's analyst reads these).
    pub async fn investigation_counts(
        &self,
        actor: &Actor,
    ) -> Result<InvestigationCounts, StoreError> {
        let what = "investigation.counts";
        let mut tx = self
            .investigation_gate(actor, InvestigationAction::Count, what, None)
            .await?;
        let org = actor.org_id().to_string();
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) AS n FROM investigations WHERE org_id = $1 GROUP BY status",
        )
        .bind(&org)
        .fetch_all(&mut *tx.tx)
        .await?;
        let by_status = InvestigationStatus::ALL
            .iter()
            .map(|s| {
                let n = rows
                    .iter()
                    .find(|(k, _)| k == s.as_str())
                    .map_or(0, |(_, n)| *n as u64);
                (*s, n)
            })
            .collect();
        let (overdue,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM investigation_questions q \
             JOIN investigations i ON i.id = q.investigation_id \
             WHERE i.org_id = $1 AND q.answered_on IS NULL AND q.reply_by < $2",
        )
        .bind(&org)
        .bind(Day::from_unix_ms(tx.now).to_string())
        .fetch_one(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(what, "investigation", None, "ok"))
            .await?;
        tx.commit().await?;
        Ok(InvestigationCounts {
            by_status,
            overdue_questions: overdue as u64,
        })
    }
}
