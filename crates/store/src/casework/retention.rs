//! Retention of closed cases (`core::casework::retention`): a closed case is kept for the
//! deployment's `case_retention_years` after closing, its attachments for
//! `closed_case_attachment_days`; then the purge erases them. A case not closed is never
//! touched, however old; a case under legal hold ([`NOT_HELD`]) is never touched either.
//!
//! Erasing a case deletes every row that hangs from it — notes, attachments, needs, services,
//! plan, tasks, history, screenings, referrals (and their notifications), transfers, labour,
//! protection, tracing, permit, proceeding and return records, corrections — in one
//! transaction with its audit event (`case.erase`, the counts of notes and attachments and
//! whether the person went too). The person (identity, documents, consents, name and link
//! blind indexes, duplicate pairs and partner signals) is erased with their last case: a person
//! with another case is kept for it. A report the case was opened from loses only its link to
//! the case (the report's own retention erases it), and a case another organisation opened from
//! one of this case's referrals keeps what it copied.
//!
//! Kept on purpose: the audit events (ids and kinds only; the chain must still verify), and the
//! de-identified statistics facts of the case (`stats_facts`: coarse categories under a case id
//! that no longer leads anywhere), so figures already published stay reproducible.
//!
//! If any step fails (a row the list above does not know of still points at the case), the
//! case's transaction rolls back, the case stays whole and is counted as `failed`: nothing is
//! half erased and nothing is dropped in silence.

use crate::db::Tx;
use crate::{Store, StoreError};
use passage_core::casework::retention::CaseRetention;
use serde::Serialize;

/// The clause that keeps a case under legal hold out of every purge: `legal_hold` is 0 for a
/// case not held (migration 0046; set and lifted by a supervisor, `Store::set_legal_hold`).
pub const NOT_HELD: &str = "c.legal_hold = 0";

/// [`NOT_HELD`] for a statement on `cases` without an alias.
const NOT_HELD_ROW: &str = "legal_hold = 0";

/// What one round of the case purge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CasePurge {
    /// Closed cases erased.
    pub cases: u64,
    /// Persons erased with their last case.
    pub persons: u64,
    /// Notes erased with the cases.
    pub notes: u64,
    /// Attachments erased: with erased cases, and from closed cases past the attachment period.
    pub attachments: u64,
    /// Expired cases kept because they are under legal hold.
    pub held: u64,
    /// Expired cases whose erasure failed and was rolled back (see the log).
    pub failed: u64,
}

/// Cases handled per round.
const ROUND: i64 = 200;

/// Rows that hang from a case, deepest first; `$1` is the case's id.
const CASE_ROWS: &[&str] = &[
    "DELETE FROM protection_reviews WHERE need_id IN (SELECT id FROM protection_needs WHERE case_id = $1)",
    "UPDATE referrals SET protection_need_id = NULL WHERE protection_need_id IN (SELECT id FROM protection_needs WHERE case_id = $1)",
    "DELETE FROM permit_history WHERE permit_id IN (SELECT id FROM permits WHERE case_id = $1)",
    "DELETE FROM permits WHERE case_id = $1",
    "DELETE FROM hearings WHERE proceeding_id IN (SELECT id FROM proceedings WHERE case_id = $1)",
    "DELETE FROM proceeding_measures WHERE proceeding_id IN (SELECT id FROM proceedings WHERE case_id = $1)",
    "DELETE FROM proceeding_perpetrators WHERE proceeding_id IN (SELECT id FROM proceedings WHERE case_id = $1)",
    "DELETE FROM proceeding_stages WHERE proceeding_id IN (SELECT id FROM proceedings WHERE case_id = $1)",
    "DELETE FROM compensation_payments WHERE proceeding_id IN (SELECT id FROM proceedings WHERE case_id = $1)",
    "DELETE FROM proceedings WHERE case_id = $1",
    "DELETE FROM perpetrators WHERE case_id = $1",
    "DELETE FROM cooperation_stances WHERE case_id = $1",
    "DELETE FROM tracing_members WHERE request_id IN (SELECT id FROM tracing_requests WHERE case_id = $1)",
    "DELETE FROM tracing_contacts WHERE request_id IN (SELECT id FROM tracing_requests WHERE case_id = $1) \
     OR referral_id IN (SELECT id FROM referrals WHERE case_id = $1)",
    "DELETE FROM tracing_requests WHERE case_id = $1",
    "DELETE FROM age_assessments WHERE case_id = $1",
    "DELETE FROM return_risks WHERE case_id = $1",
    "DELETE FROM return_choices WHERE case_id = $1",
    "DELETE FROM returns WHERE case_id = $1",
    "UPDATE returns SET documents_referral_id = NULL WHERE documents_referral_id IN (SELECT id FROM referrals WHERE case_id = $1)",
    "UPDATE returns SET handover_referral_id = NULL WHERE handover_referral_id IN (SELECT id FROM referrals WHERE case_id = $1)",
    "DELETE FROM reintegration_visits WHERE referral_id IN (SELECT id FROM referrals WHERE case_id = $1)",
    "DELETE FROM notifications WHERE referral_id IN (SELECT id FROM referrals WHERE case_id = $1)",
    "DELETE FROM referrals WHERE case_id = $1",
    "UPDATE referrals SET linked_case_id = NULL WHERE linked_case_id = $1",
    "DELETE FROM case_transfers WHERE case_id = $1",
    "DELETE FROM labour_claims WHERE case_id = $1",
    "DELETE FROM labour_fees WHERE case_id = $1",
    "DELETE FROM labour_debts WHERE case_id = $1",
    "DELETE FROM labour_contracts WHERE case_id = $1",
    "DELETE FROM labour_wages WHERE case_id = $1",
    "DELETE FROM protection_needs WHERE case_id = $1",
    "DELETE FROM tasks WHERE case_id = $1",
    "DELETE FROM services WHERE case_id = $1",
    "DELETE FROM needs WHERE case_id = $1",
    "DELETE FROM plan_items WHERE case_id = $1",
    "DELETE FROM follow_ups WHERE case_id = $1",
    "DELETE FROM best_interests WHERE case_id = $1",
    "DELETE FROM approvals WHERE case_id = $1",
    "DELETE FROM case_history WHERE case_id = $1",
    "DELETE FROM case_transitions WHERE case_id = $1",
    "DELETE FROM case_types WHERE case_id = $1",
    "DELETE FROM case_corrections WHERE case_id = $1",
    "DELETE FROM screenings WHERE case_id = $1",
    "UPDATE reports SET case_id = NULL WHERE case_id = $1",
    "DELETE FROM entity_links WHERE record = 'case' AND record_id = $1",
];

/// Rows of a person erased with their last case, deepest first; `$1` is the person's id.
const PERSON_ROWS: &[&str] = &[
    "DELETE FROM person_name_terms WHERE person_id = $1",
    "DELETE FROM person_link_keys WHERE person_id = $1",
    "DELETE FROM person_link_checks WHERE person_id = $1",
    "DELETE FROM person_documents WHERE person_id = $1",
    "DELETE FROM partner_signals WHERE person_id = $1 OR partner_person_id = $1",
    "DELETE FROM person_merges WHERE kept_id = $1 OR merged_id = $1 OR candidate_id IN \
     (SELECT id FROM duplicate_candidates WHERE person_id = $1 OR other_id = $1)",
    "DELETE FROM duplicate_candidates WHERE person_id = $1 OR other_id = $1",
    "DELETE FROM consents WHERE person_id = $1",
    // The person's data key: what was sealed under it no longer opens, in backups either.
    "DELETE FROM person_keys WHERE id = $1",
];

/// Every statement the purge runs on a case's and a person's rows (besides the case, its notes
/// and attachments, and the person themself): the store suite checks that each table that
/// points at a case or a person is named here, so a table added later cannot make every
/// erasure fail.
pub fn purge_statements() -> impl Iterator<Item = &'static str> {
    CASE_ROWS.iter().chain(PERSON_ROWS).copied()
}

async fn run(tx: &mut Tx, sql: &'static str, id: &str) -> Result<u64, StoreError> {
    Ok(sqlx::query(sql)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected())
}

/// What erasing one case removed: (notes, attachments, person erased).
type Erased = (u64, u64, bool);

/// Erases one expired, closed, unheld case; `None` when it changed under us (reopened, held,
/// erased by another server).
async fn erase_case(
    tx: &mut Tx,
    case: &str,
    person: &str,
    cutoff: i64,
) -> Result<Option<Erased>, StoreError> {
    // Lock the case and check it again inside the transaction.
    let still = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE cases SET version = version + 1 WHERE id = $1 AND status = 'closed' \
         AND closed_at < $2 AND {NOT_HELD_ROW}"
    )))
    .bind(case)
    .bind(cutoff)
    .execute(&mut *tx.tx)
    .await?
    .rows_affected();
    if still != 1 {
        return Ok(None);
    }
    let notes = run(tx, "DELETE FROM notes WHERE case_id = $1", case).await?;
    let files = run(tx, "DELETE FROM attachments WHERE case_id = $1", case).await?;
    for sql in CASE_ROWS {
        run(tx, sql, case).await?;
    }
    run(tx, "DELETE FROM cases WHERE id = $1", case).await?;
    let (others,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases WHERE person_id = $1")
        .bind(person)
        .fetch_one(&mut *tx.tx)
        .await?;
    let mut person_gone = false;
    if others == 0 {
        for sql in PERSON_ROWS {
            run(tx, sql, person).await?;
        }
        sqlx::query("UPDATE persons SET merged_into = NULL WHERE merged_into = $1")
            .bind(person)
            .execute(&mut *tx.tx)
            .await?;
        person_gone = run(tx, "DELETE FROM persons WHERE id = $1", person).await? == 1;
        tx.keys.forget_person_key(person);
    }
    Ok(Some((notes, files, person_gone)))
}

fn event<'a>(
    action: &'a str,
    object_type: &'a str,
    id: Option<String>,
    outcome: &'a str,
) -> crate::audit::Event<'a> {
    crate::audit::Event {
        actor_user: None,
        actor_org: None,
        action,
        object_type,
        object_id: id,
        outcome,
        purpose: Some("retention"),
    }
}

impl Store {
    /// Erases closed cases past their retention, and the attachments of closed cases past
    /// theirs (by the store's clock), each case in its own transaction with its audit event
    /// (`case.erase`, `case.attachments_erase`), then one `case.purge` event with the totals
    /// when anything was found. Run by the server's periodic job; several servers may run it at
    /// once.
    pub async fn purge_expired_cases(&self, rules: CaseRetention) -> Result<CasePurge, StoreError> {
        let now = self.clock.now_ms();
        let case_cutoff = rules.case_cutoff(now);
        let mut purged = CasePurge::default();
        let mut skipped: Vec<String> = Vec::new();
        loop {
            let limit = ROUND + skipped.len() as i64;
            let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT c.id, c.person_id FROM cases c WHERE c.status = 'closed' \
                 AND c.closed_at < $1 AND {NOT_HELD} ORDER BY c.closed_at, c.id LIMIT {limit}"
            )))
            .bind(case_cutoff)
            .fetch_all(&self.pool)
            .await?;
            let rows: Vec<_> = rows
                .into_iter()
                .filter(|(id, _)| !skipped.contains(id))
                .collect();
            if rows.is_empty() {
                break;
            }
            for (case, person) in rows {
                let mut tx = self.begin().await?;
                match erase_case(&mut tx, &case, &person, case_cutoff).await {
                    Ok(Some((notes, files, person_gone))) => {
                        let outcome = format!(
                            "erased notes={notes} attachments={files} person={}",
                            u8::from(person_gone)
                        );
                        tx.audit(event("case.erase", "case", Some(case), &outcome))
                            .await?;
                        tx.commit().await?;
                        purged.cases += 1;
                        purged.notes += notes;
                        purged.attachments += files;
                        purged.persons += u64::from(person_gone);
                    }
                    Ok(None) => skipped.push(case),
                    Err(e) => {
                        // Rolled back when `tx` drops: the case stays whole.
                        tracing::warn!(error = %e.log_detail(), "erasing an expired case failed");
                        purged.failed += 1;
                        skipped.push(case);
                    }
                }
            }
        }
        purged.attachments += self
            .purge_closed_attachments(rules.attachment_cutoff(now))
            .await?;
        let (held,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM cases c WHERE c.status = 'closed' AND c.closed_at < $1 \
             AND c.legal_hold <> 0",
        )
        .bind(case_cutoff)
        .fetch_one(&self.pool)
        .await?;
        purged.held = u64::try_from(held).unwrap_or(0);
        if purged != CasePurge::default() {
            let outcome = format!(
                "erased cases={} persons={} notes={} attachments={} held={} failed={}",
                purged.cases,
                purged.persons,
                purged.notes,
                purged.attachments,
                purged.held,
                purged.failed
            );
            let mut tx = self.begin().await?;
            tx.audit(event("case.purge", "retention", None, &outcome))
                .await?;
            tx.commit().await?;
        }
        Ok(purged)
    }

    /// Erases the attachments of closed, unheld cases closed before `cutoff`, one case per
    /// transaction, audited as `case.attachments_erase` with the count.
    async fn purge_closed_attachments(&self, cutoff: i64) -> Result<u64, StoreError> {
        let cases: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT c.id FROM cases c JOIN attachments a ON a.case_id = c.id \
             WHERE c.status = 'closed' AND c.closed_at < $1 AND {NOT_HELD} ORDER BY c.id"
        )))
        .bind(cutoff)
        .fetch_all(&self.pool)
        .await?;
        let mut total = 0;
        for (case,) in cases {
            let mut tx = self.begin().await?;
            let n = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM attachments WHERE case_id = $1 AND EXISTS (SELECT 1 FROM cases c \
                 WHERE c.id = $1 AND c.status = 'closed' AND c.closed_at < $2 AND {NOT_HELD})"
            )))
            .bind(&case)
            .bind(cutoff)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
            if n > 0 {
                let outcome = format!("erased attachments={n}");
                tx.audit(event(
                    "case.attachments_erase",
                    "case",
                    Some(case),
                    &outcome,
                ))
                .await?;
                tx.commit().await?;
                total += n;
            }
        }
        Ok(total)
    }
}
