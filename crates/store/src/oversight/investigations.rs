//! An ombudsperson's investigations: a complaint of the office taken up, the authority
//! concerned, questions sent and answers received, findings, recommendations and the follow-up
//! of each one.
//!
//! `core::oversight::investigations::investigation_access` decides who may; a refusal is
//! audited. An investigation is its office's alone: any other reader gets `NotFound`, as for an
//! id that does not exist. Its subject is checked by kind ([`subject_is_ours`]): a report or a
//! case of the office, or a referral the office received and accepted (whose case it never
//! reads). Every free text is sealed; the audit log names ids only.

use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::oversight::investigations::{
    AuthorityKind, FindingOutcome, FollowUpState, InvestigationAction, InvestigationStatus,
    RawAnswer, RawFindings, RawFollowUp, RawInvestigation, RawQuestion, SubjectKind,
    investigation_access, may_close,
};
use passage_core::validate::{Problems, text};
use passage_core::{DenyReason, ErrorCode};
use uuid::Uuid;

/// A question sent to the authority, with the answer when one came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionView {
    pub id: Uuid,
    pub text: String,
    pub sent_on: String,
    pub reply_by: String,
    pub answered_on: Option<String>,
    pub answer: Option<String>,
    pub overdue: bool,
}

/// One step of a recommendation's follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpView {
    pub state: FollowUpState,
    pub on: String,
    pub note: Option<String>,
}

/// A recommendation addressed to the authority, its state now and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendationView {
    pub id: Uuid,
    pub text: String,
    pub state: FollowUpState,
    pub history: Vec<FollowUpView>,
}

/// The findings of an investigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingsView {
    pub outcome: FindingOutcome,
    pub text: String,
    pub on: String,
}

/// An investigation as its office reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationView {
    pub id: Uuid,
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    pub authority_name: String,
    pub authority_kind: AuthorityKind,
    pub opened_on: String,
    pub status: InvestigationStatus,
    pub summary: String,
    pub findings: Option<FindingsView>,
    pub questions: Vec<QuestionView>,
    pub recommendations: Vec<RecommendationView>,
    pub closed_on: Option<String>,
    pub close_reason: Option<String>,
    pub version: i64,
}

/// An investigation on the work list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationItem {
    pub id: Uuid,
    pub authority_name: String,
    pub authority_kind: AuthorityKind,
    pub subject_kind: SubjectKind,
    pub opened_on: String,
    pub status: InvestigationStatus,
    /// Questions past their reply deadline without an answer.
    pub overdue_questions: u64,
    /// Questions not answered yet.
    pub open_questions: u64,
    /// The earliest reply deadline of a question not answered yet.
    pub next_reply_by: Option<String>,
}

/// How many investigations an office has in each status (what its analyst sees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationCounts {
    pub by_status: Vec<(InvestigationStatus, u64)>,
    pub overdue_questions: u64,
}

/// Whether the subject `id` of `kind` is the office's: one existence and ownership check per
/// kind, so nothing tells another organisation's record from one that does not exist.
async fn subject_is_ours(
    tx: &mut Tx,
    kind: SubjectKind,
    id: Uuid,
    org: Uuid,
) -> Result<bool, StoreError> {
    let sql = match kind {
        SubjectKind::Report => "SELECT id FROM reports WHERE id = $1 AND org_id = $2",
        SubjectKind::Case => "SELECT id FROM cases WHERE id = $1 AND org_id = $2",
        SubjectKind::Referral => {
            "SELECT id FROM referrals WHERE id = $1 AND to_org = $2 \
             AND status IN ('accepted', 'closed') AND access_ended_at IS NULL"
        }
        SubjectKind::Incident => "SELECT id FROM incidents WHERE id = $1 AND org_id = $2",
    };
    let found: Option<(String,)> = sqlx::query_as(sql)
        .bind(id.to_string())
        .bind(org.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
    Ok(found.is_some())
}

pub(super) fn closed() -> StoreError {
    StoreError::Rule {
        code: ErrorCode::InvestigationClosed,
        message: "this investigation is closed: nothing more is recorded on it".into(),
    }
}

pub(super) fn status_of(text: &str) -> Result<InvestigationStatus, StoreError> {
    InvestigationStatus::parse(text).ok_or(StoreError::Corrupt("investigation status"))
}

impl Store {
    /// Opens a transaction for `action` on investigations, or audits the refusal (committed)
    /// and answers `Forbidden` with the reason (the firewall's own for immigration
    /// enforcement).
    pub(super) async fn investigation_gate(
        &self,
        actor: &Actor,
        action: InvestigationAction,
        what: &str,
        object: Option<String>,
    ) -> Result<Tx, StoreError> {
        let mut tx = self.begin().await?;
        match investigation_access(actor.principal(), action) {
            Ok(()) => Ok(tx),
            Err(reason) => {
                let outcome = match reason {
                    DenyReason::ImmigrationFirewall => "immigration_firewall",
                    _ => "denied",
                };
                tx.audit(actor.event(what, "investigation", object, outcome))
                    .await?;
                tx.commit().await?;
                Err(StoreError::Forbidden(reason))
            }
        }
    }

    /// Refuses (audited) whoever may not work investigations, before a request's body is
    /// looked at: immigration enforcement meets the firewall whatever it sent.
    pub async fn investigation_firewall(&self, actor: &Actor) -> Result<(), StoreError> {
        self.investigation_gate(
            actor,
            InvestigationAction::Work,
            "investigation.access",
            None,
        )
        .await?
        .commit()
        .await
    }

    /// Whether the actor may do `action` on investigations (for pages deciding what to show).
    pub fn may_investigate(actor: &Actor, action: InvestigationAction) -> bool {
        investigation_access(actor.principal(), action).is_ok()
    }

    /// The investigation `id` of the actor's office, with its status, in `tx`; `NotFound`
    /// (audited, committed) for anyone else's or none.
    pub(super) async fn own_investigation(
        &self,
        mut tx: Tx,
        actor: &Actor,
        what: &str,
        id: Uuid,
    ) -> Result<(Tx, InvestigationStatus), StoreError> {
        let key = id.to_string();
        let row: Option<(String,)> =
            sqlx::query_as("SELECT status FROM investigations WHERE id = $1 AND org_id = $2")
                .bind(&key)
                .bind(actor.org_id().to_string())
                .fetch_optional(&mut *tx.tx)
                .await?;
        match row {
            Some((status,)) => Ok((tx, status_of(&status)?)),
            None => {
                tx.audit(actor.event(what, "investigation", Some(key), "not_found"))
                    .await?;
                tx.commit().await?;
                Err(StoreError::NotFound)
            }
        }
    }

    /// Takes a complaint up for investigation: a report or case of the actor's office, or a
    /// referral it received and accepted. Any other subject is `NotFound`, exactly as a
    /// missing id; nothing is written when a field is wrong.
    pub async fn open_investigation(
        &self,
        actor: &Actor,
        raw: &RawInvestigation,
    ) -> Result<Uuid, StoreError> {
        let what = "investigation.open";
        let mut tx = self
            .investigation_gate(actor, InvestigationAction::Open, what, None)
            .await?;
        let v = raw.validate().map_err(StoreError::Invalid)?;
        let org = actor.org_id();
        if !subject_is_ours(&mut tx, v.subject_kind, v.subject_id, org).await? {
            tx.audit(actor.event(
                what,
                v.subject_kind.as_str(),
                Some(v.subject_id.to_string()),
                "not_found",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let name = tx
            .keys
            .seal_str(Field::InvestigationAuthorityName, &key, &v.authority_name)?;
        let summary = tx
            .keys
            .seal_str(Field::InvestigationSummary, &key, &v.summary)?;
        sqlx::query(
            "INSERT INTO investigations (id, org_id, subject_kind, subject_id, authority_name, \
             authority_kind, opened_on, status, summary, created_by, created_at, updated_at, \
             version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1)",
        )
        .bind(&key)
        .bind(org.to_string())
        .bind(v.subject_kind.as_str())
        .bind(v.subject_id.to_string())
        .bind(name)
        .bind(v.authority_kind.as_str())
        .bind(Day::from_unix_ms(tx.now).to_string())
        .bind(InvestigationStatus::Open.as_str())
        .bind(summary)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(what, "investigation", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a question sent to the authority with the day a reply is due.
    pub async fn send_investigation_question(
        &self,
        actor: &Actor,
        id: Uuid,
        raw: &RawQuestion,
    ) -> Result<Uuid, StoreError> {
        let what = "investigation.question";
        let tx = self
            .investigation_gate(actor, InvestigationAction::Work, what, Some(id.to_string()))
            .await?;
        let (mut tx, status) = self.own_investigation(tx, actor, what, id).await?;
        let q = raw
            .validate(Day::from_unix_ms(tx.now))
            .map_err(StoreError::Invalid)?;
        if status == InvestigationStatus::Closed {
            return Err(closed());
        }
        let qid = Uuid::now_v7();
        let qkey = qid.to_string();
        let sealed = tx
            .keys
            .seal_str(Field::InvestigationQuestionText, &qkey, &q.text)?;
        sqlx::query(
            "INSERT INTO investigation_questions (id, investigation_id, text, sent_on, reply_by, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&qkey)
        .bind(id.to_string())
        .bind(sealed)
        .bind(q.sent_on.to_string())
        .bind(q.reply_by.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        touch(&mut tx, id, None).await?;
        tx.audit(actor.event(what, "investigation", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(qid)
    }

    /// Records the authority's answer to a question of the investigation; a question answered
    /// already is `already_done`, a question of another investigation `NotFound`.
    pub async fn answer_investigation_question(
        &self,
        actor: &Actor,
        id: Uuid,
        question: Uuid,
        raw: &RawAnswer,
    ) -> Result<(), StoreError> {
        let what = "investigation.answer";
        let tx = self
            .investigation_gate(actor, InvestigationAction::Work, what, Some(id.to_string()))
            .await?;
        let (mut tx, status) = self.own_investigation(tx, actor, what, id).await?;
        let qkey = question.to_string();
        let row: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT sent_on, answered_on FROM investigation_questions \
             WHERE id = $1 AND investigation_id = $2",
        )
        .bind(&qkey)
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let Some((sent_on, answered_on)) = row else {
            tx.audit(actor.event(what, "investigation", Some(id.to_string()), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let sent_on = Day::parse(&sent_on).ok_or(StoreError::Corrupt("question sent_on"))?;
        let a = raw
            .validate(sent_on, Day::from_unix_ms(tx.now))
            .map_err(StoreError::Invalid)?;
        if status == InvestigationStatus::Closed {
            return Err(closed());
        }
        if answered_on.is_some() {
            return Err(StoreError::Rule {
                code: ErrorCode::AlreadyDone,
                message: "this question has its answer already".into(),
            });
        }
        let sealed = tx
            .keys
            .seal_str(Field::InvestigationAnswer, &qkey, &a.text)?;
        sqlx::query(
            "UPDATE investigation_questions SET answered_on = $1, answer = $2, answered_by = $3, \
             answered_at = $4 WHERE id = $5 AND answered_on IS NULL",
        )
        .bind(a.received_on.to_string())
        .bind(sealed)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&qkey)
        .execute(&mut *tx.tx)
        .await?;
        touch(&mut tx, id, None).await?;
        tx.audit(actor.event(what, "investigation", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await
    }

    /// Records the findings; the investigation's status becomes `findings_issued`. Findings
    /// are recorded once (`already_done`).
    pub async fn record_investigation_findings(
        &self,
        actor: &Actor,
        id: Uuid,
        raw: &RawFindings,
    ) -> Result<(), StoreError> {
        let what = "investigation.findings";
        let tx = self
            .investigation_gate(actor, InvestigationAction::Work, what, Some(id.to_string()))
            .await?;
        let (mut tx, status) = self.own_investigation(tx, actor, what, id).await?;
        let f = raw.validate().map_err(StoreError::Invalid)?;
        if status == InvestigationStatus::Closed {
            return Err(closed());
        }
        let key = id.to_string();
        let (had,): (Option<String>,) =
            sqlx::query_as("SELECT findings_outcome FROM investigations WHERE id = $1")
                .bind(&key)
                .fetch_one(&mut *tx.tx)
                .await?;
        if had.is_some() {
            return Err(StoreError::Rule {
                code: ErrorCode::AlreadyDone,
                message: "the findings of this investigation are recorded already".into(),
            });
        }
        let sealed = tx
            .keys
            .seal_str(Field::InvestigationFindings, &key, &f.text)?;
        sqlx::query(
            "UPDATE investigations SET findings_outcome = $1, findings = $2, findings_on = $3 \
             WHERE id = $4",
        )
        .bind(f.outcome.as_str())
        .bind(sealed)
        .bind(Day::from_unix_ms(tx.now).to_string())
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        let next = match status {
            InvestigationStatus::Open => Some(InvestigationStatus::FindingsIssued),
            _ => None,
        };
        touch(&mut tx, id, next).await?;
        tx.audit(actor.event(what, "investigation", Some(key), "ok"))
            .await?;
        tx.commit().await
    }

    /// Records a recommendation addressed to the authority, pending until its follow-up says
    /// otherwise; the investigation's status becomes `follow_up`.
    pub async fn add_investigation_recommendation(
        &self,
        actor: &Actor,
        id: Uuid,
        typed: &str,
    ) -> Result<Uuid, StoreError> {
        let what = "investigation.recommendation";
        let tx = self
            .investigation_gate(actor, InvestigationAction::Work, what, Some(id.to_string()))
            .await?;
        let (mut tx, status) = self.own_investigation(tx, actor, what, id).await?;
        let mut p = Problems::default();
        let body = text(
            &mut p,
            "text",
            typed,
            true,
            passage_core::oversight::investigations::TEXT_MAX,
        );
        let Some(body) = body.filter(|_| p.0.is_empty()) else {
            return Err(StoreError::Invalid(p));
        };
        if status == InvestigationStatus::Closed {
            return Err(closed());
        }
        let rid = Uuid::now_v7();
        let rkey = rid.to_string();
        let sealed = tx
            .keys
            .seal_str(Field::InvestigationRecommendationText, &rkey, &body)?;
        sqlx::query(
            "INSERT INTO investigation_recommendations (id, investigation_id, text, state, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&rkey)
        .bind(id.to_string())
        .bind(sealed)
        .bind(FollowUpState::Pending.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        touch(&mut tx, id, Some(InvestigationStatus::FollowUp)).await?;
        tx.audit(actor.event(what, "investigation", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(rid)
    }

    /// Records a step of a recommendation's follow-up (its state, the day, a note); the
    /// history keeps every step.
    pub async fn follow_up_recommendation(
        &self,
        actor: &Actor,
        id: Uuid,
        recommendation: Uuid,
        raw: &RawFollowUp,
    ) -> Result<(), StoreError> {
        let what = "investigation.follow_up";
        let tx = self
            .investigation_gate(actor, InvestigationAction::Work, what, Some(id.to_string()))
            .await?;
        let (mut tx, status) = self.own_investigation(tx, actor, what, id).await?;
        let rkey = recommendation.to_string();
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM investigation_recommendations WHERE id = $1 AND investigation_id = $2",
        )
        .bind(&rkey)
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if found.is_none() {
            tx.audit(actor.event(what, "investigation", Some(id.to_string()), "not_found"))
                .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        }
        let f = raw
            .validate(Day::from_unix_ms(tx.now))
            .map_err(StoreError::Invalid)?;
        if status == InvestigationStatus::Closed {
            return Err(closed());
        }
        let fid = Uuid::now_v7().to_string();
        let note = f
            .note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::InvestigationFollowUpNote, &fid, n))
            .transpose()?;
        sqlx::query(
            "INSERT INTO investigation_follow_ups (id, recommendation_id, state, on_day, note, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&fid)
        .bind(&rkey)
        .bind(f.state.as_str())
        .bind(f.on.to_string())
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        sqlx::query("UPDATE investigation_recommendations SET state = $1 WHERE id = $2")
            .bind(f.state.as_str())
            .bind(&rkey)
            .execute(&mut *tx.tx)
            .await?;
        touch(&mut tx, id, None).await?;
        tx.audit(actor.event(what, "investigation", Some(id.to_string()), "ok"))
            .await?;
        tx.commit().await
    }

    /// Closes an investigation (a supervisor of the office): every recommendation past
    /// pending, or a reason (`recommendations_pending` otherwise); never twice.
    pub async fn close_investigation(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
    ) -> Result<(), StoreError> {
        let what = "investigation.close";
        let tx = self
            .investigation_gate(
                actor,
                InvestigationAction::Close,
                what,
                Some(id.to_string()),
            )
            .await?;
        let (mut tx, status) = self.own_investigation(tx, actor, what, id).await?;
        let mut p = Problems::default();
        let reason = text(
            &mut p,
            "reason",
            reason,
            false,
            passage_core::oversight::investigations::TEXT_MAX,
        );
        if !p.0.is_empty() {
            return Err(StoreError::Invalid(p));
        }
        let key = id.to_string();
        let states: Vec<(String,)> = sqlx::query_as(
            "SELECT state FROM investigation_recommendations WHERE investigation_id = $1",
        )
        .bind(&key)
        .fetch_all(&mut *tx.tx)
        .await?;
        let states = states
            .iter()
            .map(|(s,)| FollowUpState::parse(s).ok_or(StoreError::Corrupt("follow-up state")))
            .collect::<Result<Vec<_>, _>>()?;
        if let Err(code) = may_close(status, &states, reason.as_deref().unwrap_or("")) {
            let message = match code {
                ErrorCode::InvestigationClosed => "this investigation is closed already",
                _ => {
                    "a recommendation is still pending: record its follow-up, or give a reason \
                     for closing"
                }
            };
            tx.audit(actor.event(what, "investigation", Some(key), code.as_str()))
                .await?;
            tx.commit().await?;
            return Err(StoreError::Rule {
                code,
                message: message.into(),
            });
        }
        let sealed = reason
            .as_deref()
            .map(|r| tx.keys.seal_str(Field::InvestigationCloseReason, &key, r))
            .transpose()?;
        sqlx::query("UPDATE investigations SET close_reason = $1, closed_on = $2 WHERE id = $3")
            .bind(sealed)
            .bind(Day::from_unix_ms(tx.now).to_string())
            .bind(&key)
            .execute(&mut *tx.tx)
            .await?;
        touch(&mut tx, id, Some(InvestigationStatus::Closed)).await?;
        tx.audit(actor.event(what, "investigation", Some(key), "ok"))
            .await?;
        tx.commit().await
    }
}

/// Moves the investigation on: a new status when given (never back from closed), and its
/// version.
async fn touch(
    tx: &mut Tx,
    id: Uuid,
    status: Option<InvestigationStatus>,
) -> Result<(), StoreError> {
    match status {
        Some(s) => {
            sqlx::query(
                "UPDATE investigations SET status = $1, updated_at = $2, version = version + 1 \
                 WHERE id = $3",
            )
            .bind(s.as_str())
            .bind(tx.now)
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?
        }
        None => {
            sqlx::query(
                "UPDATE investigations SET updated_at = $1, version = version + 1 WHERE id = $2",
            )
            .bind(tx.now)
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?
        }
    };
    Ok(())
}
