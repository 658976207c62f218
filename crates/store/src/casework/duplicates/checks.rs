//! A registration's comparison with the register, after its commit. Registering writes the
//! person, their linkage keys and a mark that their check is due (`person_link_checks`) in one
//! transaction, which holds the write lock for a few milliseconds. The comparison (up to
//! [`super::MAX_CANDIDATES`] persons read, decrypted, normalised and scored) then runs without
//! the lock, and what it found is written in a second, short transaction that also removes the
//! mark: only the check that removes it writes, so two runs of one check (the background
//! checker and the sweep, or two servers) record nothing twice. A mark left by a crash or a
//! stop is found again by the sweep when the checker starts and every few seconds after.
//!
//! Of two persons registered at the same moment, each committed before either is compared,
//! only the later one's check (by registration time, then id) compares them: the pair is
//! recorded once, and a partner signal goes only to the organisation that held its record
//! first.

use super::{Check, LinkIdentity, candidates, comparable, link_identities, record_findings, score};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::{Keys, Store, StoreError};
use passage_core::OrgKind;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use uuid::Uuid;

/// How a registration's duplicate check runs once the person is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkCheckMode {
    /// A background checker compares; the registration answers at its commit, and the
    /// person's link status says the check is running until it is done (the default).
    #[default]
    Background,
    /// The registering request compares after its commit, outside the write lock, and
    /// answers once the findings are written.
    Inline,
    /// Nothing compares until [`Store::run_link_checks`] is called (tests, bulk loads).
    Deferred,
}

/// The checker's state, shared by every clone of a store.
#[derive(Debug, Default)]
pub(crate) struct LinkChecks {
    mode: LinkCheckMode,
    started: std::sync::OnceLock<()>,
    wake: tokio::sync::Notify,
    /// Checks found waiting at the checker's last look.
    waiting: AtomicUsize,
    /// When a registration last arrived: the checker lets a burst pass first.
    last_registration: AtomicI64,
}

/// How often the checker looks when nothing woke it (another server's registrations, a
/// check that failed).
const POLL: std::time::Duration = std::time::Duration::from_secs(5);
/// Quiet time after a registration before the checker compares: during a burst the CPU goes to
/// the registrations first.
const QUIET_MS: i64 = 500;
/// How long the checker lets a burst pass before it compares anyway (so it never falls behind
/// for ever under a steady load).
const MAX_DEFERRAL_MS: i64 = 10_000;
/// Marks read per round of the sweep.
const BATCH: i64 = 64;
/// Checks whose findings are written in one transaction: one wait for the lock and one
/// durable commit for several registrations.
const GROUP: usize = 8;

/// The linkage keys of a person about to be registered, from the values at hand (before the
/// write lock, and without reading back what the registration writes): a new person has no
/// Latin spelling, alias, document or phone yet, only these. `None` for a person of
/// immigration enforcement, never compared.
pub(crate) fn registration_keys(
    keys: &Keys,
    org_kind: OrgKind,
    given: &str,
    family: &str,
    date_of_birth: Option<&str>,
) -> Option<Vec<i64>> {
    if org_kind == OrgKind::ImmigrationEnforcement {
        return None;
    }
    let me = LinkIdentity {
        given: given.to_string(),
        family: family.to_string(),
        date_of_birth: date_of_birth.map(str::to_string),
        ..Default::default()
    };
    Some(score::link_keys(keys, &me))
}

/// Marks the registered person's check as due, in the registering transaction (which wrote
/// their linkage keys).
pub(crate) async fn mark_due(tx: &mut Tx, person_id: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO person_link_checks (person_id, queued_at) VALUES ($1, $2)")
        .bind(person_id)
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

/// What the read phase found: the person, and the persons compared with their scores.
struct Compared {
    org_id: Uuid,
    others: Vec<LinkIdentity>,
    scored: Vec<score::Scored>,
}

impl Store {
    /// Sets how registrations' duplicate checks run (configuration; call before serving).
    pub fn with_link_check_mode(mut self, mode: LinkCheckMode) -> Store {
        self.link_checks = Arc::new(LinkChecks {
            mode,
            ..Default::default()
        });
        self
    }

    /// Duplicate checks of registered persons not done yet, at the checker's last look.
    pub fn link_checks_waiting(&self) -> usize {
        self.link_checks.waiting.load(Ordering::Relaxed)
    }

    /// After a registration committed with its check due: compares now, or wakes the
    /// checker. A comparison that fails here stays due; the checker runs it again.
    pub(crate) async fn registered(&self, person_id: Uuid) {
        match self.link_checks.mode {
            LinkCheckMode::Inline => {
                if let Err(e) = self.run_link_check(&person_id.to_string()).await {
                    tracing::warn!(error = %e.log_detail(), "duplicate check failed; it stays due");
                    self.start_link_checks();
                }
            }
            LinkCheckMode::Background => {
                self.link_checks
                    .last_registration
                    .store(crate::now_ms(), Ordering::Relaxed);
                self.start_link_checks();
                self.link_checks.wake.notify_one();
            }
            LinkCheckMode::Deferred => {}
        }
    }

    /// Starts the background checker, once per store: it first runs the checks a crash or a
    /// stop left due, then every check as registrations wake it (once a burst of them has
    /// passed, for at most ten seconds), and looks again every few seconds. Does nothing in the
    /// deferred mode.
    pub fn start_link_checks(&self) {
        if self.link_checks.mode == LinkCheckMode::Deferred {
            return;
        }
        if self.link_checks.started.set(()).is_err() {
            return;
        }
        // Its own handle has no intake, so the checker does not keep the intake writer alive.
        let mut store = self.clone();
        store.intake = Arc::new(std::sync::OnceLock::new());
        tokio::spawn(async move {
            loop {
                let checks = store.link_checks.clone();
                let deferred_since = crate::now_ms();
                while crate::now_ms() - checks.last_registration.load(Ordering::Relaxed) < QUIET_MS
                    && crate::now_ms() - deferred_since < MAX_DEFERRAL_MS
                {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                if let Err(e) = store.run_link_checks().await {
                    tracing::warn!(error = %e.log_detail(), "duplicate checks failed; retrying");
                }
                let _ = tokio::time::timeout(POLL, store.link_checks.wake.notified()).await;
            }
        });
    }

    /// Runs every duplicate check that is due (oldest first), each in its own short
    /// transaction; answers how many it completed. The background checker calls it; tests and
    /// the operator's tools may too. A check that fails stays due and the others still run;
    /// the first failure is returned at the end.
    pub async fn run_link_checks(&self) -> Result<usize, StoreError> {
        let mut done = 0;
        let mut failed = None;
        let mut after: (i64, String) = (i64::MIN, String::new());
        loop {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT person_id, queued_at FROM person_link_checks \
                 WHERE queued_at > $1 OR (queued_at = $1 AND person_id > $2) \
                 ORDER BY queued_at, person_id LIMIT $3",
            )
            .bind(after.0)
            .bind(&after.1)
            .bind(BATCH)
            .fetch_all(&self.pool)
            .await?;
            if done == 0 {
                self.link_checks
                    .waiting
                    .store(rows.len(), Ordering::Relaxed);
            }
            let n = rows.len();
            if let Some((person, at)) = rows.last() {
                after = (*at, person.clone());
            }
            let persons: Vec<String> = rows.into_iter().map(|(p, _)| p).collect();
            for group in persons.chunks(GROUP) {
                match self.run_link_check_group(group).await {
                    Ok((n, None)) => done += n,
                    Ok((n, Some(e))) => {
                        done += n;
                        tracing::warn!(error = %e.log_detail(), "a duplicate check failed; it stays due");
                        failed.get_or_insert(e);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e.log_detail(), "duplicate checks failed; they stay due");
                        failed.get_or_insert(e);
                    }
                }
            }
            if (n as i64) < BATCH {
                self.link_checks.waiting.store(0, Ordering::Relaxed);
                return match failed {
                    Some(e) => Err(e),
                    None => Ok(done),
                };
            }
        }
    }

    /// One registered person's check (see [`Store::run_link_check_group`]).
    pub(crate) async fn run_link_check(&self, person_id: &str) -> Result<(), StoreError> {
        match self.run_link_check_group(&[person_id.to_string()]).await? {
            (_, Some(e)) => Err(e),
            (_, None) => Ok(()),
        }
    }

    /// A few registered persons' checks: each compares without the write lock, then one
    /// short transaction writes every check's findings and removes its mark, skipping a check
    /// another run already did (its mark gone). Answers how many checks it completed and the
    /// first comparison that failed (that check stays due; the others are written).
    async fn run_link_check_group(
        &self,
        persons: &[String],
    ) -> Result<(usize, Option<StoreError>), StoreError> {
        let started = std::time::Instant::now();
        let mut compared = Vec::with_capacity(persons.len());
        let mut failed = None;
        for person in persons {
            match self.compare_registered(person).await {
                Ok(c) => compared.push((person, c)),
                // This one stays due; the others are written.
                Err(e) => {
                    failed.get_or_insert(e);
                }
            }
        }
        let read = started.elapsed();
        let mut tx = self.begin().await?;
        let locked = started.elapsed();
        let mut done = 0;
        for (person_id, c) in compared {
            let claimed = sqlx::query("DELETE FROM person_link_checks WHERE person_id = $1")
                .bind(person_id)
                .execute(&mut *tx.tx)
                .await?
                .rows_affected();
            if claimed == 0 {
                // Done by another run: its findings are written, nothing more to do.
                continue;
            }
            done += 1;
            if let Some(c) = c {
                write_registered(&mut tx, person_id, c).await?;
            }
        }
        tx.commit().await?;
        // Timings only: how long the comparisons took, the wait for the lock, the write.
        tracing::debug!(
            checks = done,
            compare_ms = read.as_secs_f64() * 1e3,
            lock_wait_ms = (locked - read).as_secs_f64() * 1e3,
            write_ms = (started.elapsed() - locked).as_secs_f64() * 1e3,
            "duplicate checks done"
        );
        Ok((done, failed))
    }

    /// The read phase: the persons registered before this one that share enough keys with
    /// it, decrypted and scored, on a connection of the pool (no write lock). `None` when the
    /// person is gone, merged, erased, or of immigration enforcement.
    async fn compare_registered(&self, person_id: &str) -> Result<Option<Compared>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT p.org_id, o.kind, p.created_at FROM persons p JOIN organisations o ON o.id = p.org_id \
             WHERE p.id = $1 AND p.merged_into IS NULL AND p.erased_at IS NULL",
        )
        .bind(person_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((org, kind, created_at)) = row else {
            return Ok(None);
        };
        if OrgKind::parse(&kind) == Some(OrgKind::ImmigrationEnforcement) {
            return Ok(None);
        }
        let keys: Vec<i64> = sqlx::query_as::<_, (i64,)>(
            "SELECT link_key FROM person_link_keys WHERE person_id = $1",
        )
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(k,)| k)
        .collect();
        if keys.is_empty() {
            return Ok(None);
        }
        let org_id = parse_uuid(&org)?;
        let found = candidates(&mut conn, person_id, &keys, Some(created_at)).await?;
        let compared = comparable(org_id, &kind, Check::Registered, found)?;
        let mut ids: Vec<String> = compared.iter().map(|(p, _)| p.to_string()).collect();
        ids.push(person_id.to_string());
        // The keys are read on a connection of their own: never two held at once, so
        // concurrent checks cannot take the whole pool and wait for each other.
        drop(conn);
        let held = self.reader_keys(&ids).await?;
        let mut conn = self.pool.acquire().await?;
        let me = link_identities(&mut conn, &held, &[(parse_uuid(person_id)?, org_id)])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        let others = link_identities(&mut conn, &held, &compared).await?;
        drop(conn);
        // Scoring is CPU work: off the threads that serve requests.
        let (others, scored) = tokio::task::spawn_blocking(move || {
            let scored = score::score(&me, &others);
            (others, scored)
        })
        .await
        .map_err(|_| StoreError::Corrupt("duplicate scoring task"))?;
        Ok(Some(Compared {
            org_id,
            others,
            scored,
        }))
    }
}

/// Writes one check's findings, in a few statements whatever their number: only what crosses
/// a threshold, only about persons still neither merged nor erased (one may have been
/// meanwhile), and never a pair already recorded the other way round (the other person
/// changed since and was compared then).
async fn write_registered(tx: &mut Tx, person_id: &str, c: Compared) -> Result<(), StoreError> {
    let findings: Vec<(&LinkIdentity, score::Scored)> = c
        .others
        .iter()
        .zip(c.scored)
        .filter(|(o, s)| {
            if o.org_id == c.org_id {
                s.probability >= super::REVIEW_THRESHOLD
            } else {
                s.probability >= super::PARTNER_THRESHOLD
            }
        })
        .collect();
    if findings.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<String> = findings.iter().map(|(o, _)| o.id.to_string()).collect();
    ids.push(person_id.to_string());
    let live = ids_where(
        tx,
        "SELECT id FROM persons WHERE merged_into IS NULL AND erased_at IS NULL AND id IN",
        None,
        &ids,
    )
    .await?;
    if !live.contains(person_id) {
        return Ok(());
    }
    let reversed = ids_where(
        tx,
        "SELECT person_id FROM duplicate_candidates WHERE other_id = $1 AND person_id IN",
        Some(person_id),
        &ids,
    )
    .await?;
    let kept = findings
        .into_iter()
        .filter(|(o, _)| {
            let id = o.id.to_string();
            live.contains(&id) && !reversed.contains(&id)
        })
        .collect();
    record_findings(tx, parse_uuid(person_id)?, c.org_id, kept).await
}

/// The ids among `ids` that `select` (ending in `IN`, with `first` bound as `$1` if given)
/// returns.
async fn ids_where(
    tx: &mut Tx,
    select: &'static str,
    first: Option<&str>,
    ids: &[String],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let from = if first.is_some() { 2 } else { 1 };
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let sql = format!("{select} ({})", super::placeholders(from, chunk.len()));
        let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql));
        if let Some(f) = first {
            q = q.bind(f.to_string());
        }
        for id in chunk {
            q = q.bind(id.clone());
        }
        out.extend(q.fetch_all(&mut *tx.tx).await?.into_iter().map(|(p,)| p));
    }
    Ok(out)
}
