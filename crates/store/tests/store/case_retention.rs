//! Retention of closed cases on every backend (issue 19 item 1): the purge erases a closed
//! case past its period with its person, notes, attachments, referrals and blind indexes, and
//! leaves an open case, a recently closed one and one under legal hold; a closed case past the
//! attachment period loses its files only; every erasure is audited with counts and the audit
//! chain still verifies.

use crate::common::*;
use crate::copy::{partner, refer};
use passage_core::casework::retention::CaseRetention;
use passage_core::referrals::ShareField;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

const DAY: i64 = 86_400_000;

/// Closes a case as if `days` ago (the lifecycle's own rules are its suite's).
async fn closed_days_ago(s: &Store, case: Uuid, days: i64) {
    let at = s.clock().now_ms() - days * DAY;
    sqlx::query("UPDATE cases SET status = 'closed', closed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(case.to_string())
        .execute(s.operator("test").unsafe_raw_pool())
        .await
        .expect("close");
}

async fn count(s: &Store, sql: &'static str, id: Uuid) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(id.to_string())
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

/// A case with a note, a file and a referral, as a worker builds one.
async fn full_case(s: &Store, actor: &Actor, given: &str, partner_org: Uuid) -> Uuid {
    let case = open_case(s, actor, given, "Santos", Some("irregular")).await;
    s.add_note(actor, case, note("normal", "Met at the shelter."))
        .await
        .expect("note");
    s.add_attachment(actor, case, "statement.txt", b"Statement of facts.", 10_000)
        .await
        .expect("file");
    refer(s, actor, case, partner_org, &[ShareField::Name]).await;
    case
}

async fn the_purge_erases_expired_closed_cases_only(s: Store) {
    let w = world(&s).await;
    let (house, _) = partner(&s, "House").await;
    let rules = CaseRetention {
        case_years: 7,
        attachment_days: 365,
    };
    let expired = full_case(&s, &w.worker, "Expired", house).await;
    let person = s
        .get_case(&w.worker, expired)
        .await
        .expect("case")
        .person
        .id;
    closed_days_ago(&s, expired, 8 * 366).await;
    let recent = full_case(&s, &w.worker, "Recent", house).await;
    closed_days_ago(&s, recent, 30).await;
    let files_gone = full_case(&s, &w.worker, "Older", house).await;
    closed_days_ago(&s, files_gone, 400).await;
    let open = full_case(&s, &w.worker, "Open", house).await;
    let held = full_case(&s, &w.worker, "Held", house).await;
    closed_days_ago(&s, held, 9 * 366).await;
    s.set_legal_hold(&w.supervisor, held, true)
        .await
        .expect("a supervisor holds the case");

    let purged = s.purge_expired_cases(rules).await.expect("purge");
    assert_eq!(purged.cases, 1, "{purged:?}");
    assert_eq!(purged.persons, 1);
    assert_eq!(purged.notes, 1);
    // The expired case's file and the 400-day-old case's file.
    assert_eq!(purged.attachments, 2);
    assert_eq!(purged.held, 1);
    assert_eq!(purged.failed, 0);

    // The expired case and its person are gone, blind indexes and consents included.
    assert!(matches!(
        s.get_case(&w.supervisor, expired).await,
        Err(StoreError::NotFound)
    ));
    for sql in [
        "SELECT COUNT(*) FROM cases WHERE id = $1",
        "SELECT COUNT(*) FROM notes WHERE case_id = $1",
        "SELECT COUNT(*) FROM attachments WHERE case_id = $1",
        "SELECT COUNT(*) FROM referrals WHERE case_id = $1",
    ] {
        assert_eq!(count(&s, sql, expired).await, 0, "{sql}");
    }
    for sql in [
        "SELECT COUNT(*) FROM persons WHERE id = $1",
        "SELECT COUNT(*) FROM person_name_terms WHERE person_id = $1",
        "SELECT COUNT(*) FROM consents WHERE person_id = $1",
    ] {
        assert_eq!(count(&s, sql, person).await, 0, "{sql}");
    }
    // The others are whole, but the 400-day-old case has lost its file.
    for case in [recent, open, held, files_gone] {
        s.get_case(&w.supervisor, case).await.expect("kept");
        assert_eq!(
            s.list_notes(&w.supervisor, case)
                .await
                .expect("notes")
                .len(),
            1
        );
    }
    for (case, files) in [(recent, 1), (open, 1), (held, 1), (files_gone, 0)] {
        let n = s
            .list_attachments(&w.supervisor, case)
            .await
            .expect("files")
            .len();
        assert_eq!(n, files, "attachments of {case}");
    }

    // Audited with ids and counts; nothing else to do on a second run.
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'case.erase' AND object_id = $1 \
             AND outcome = 'erased notes=1 attachments=1 person=1' AND purpose = 'retention'",
            expired
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'case.attachments_erase' AND object_id = $1",
            files_gone
        )
        .await,
        1
    );
    let again = s.purge_expired_cases(rules).await.expect("purge again");
    assert_eq!((again.cases, again.attachments, again.held), (0, 0, 1));
    let verified = s.verify_audit().await.expect("verify");
    assert!(
        verified.is_ok(),
        "the audit chain verifies after the purge: {verified:?}"
    );
}

async fn a_person_with_another_case_is_kept(s: Store) {
    let w = world(&s).await;
    let (house, _) = partner(&s, "House").await;
    let old = full_case(&s, &w.worker, "Twice", house).await;
    let person = s.get_case(&w.worker, old).await.expect("case").person.id;
    // A second case of the same person, still open.
    let again = passage_core::records::RawCase {
        person_id: person.to_string(),
        types: vec!["labour_exploitation".into()],
        stage: "destination".into(),
        summary: "Came back after a new job offer.".into(),
    }
    .validate()
    .expect("valid case");
    let second = s.create_case(&w.worker, again).await.expect("second case");
    closed_days_ago(&s, old, 8 * 366).await;
    let purged = s
        .purge_expired_cases(CaseRetention::default())
        .await
        .expect("purge");
    assert_eq!((purged.cases, purged.persons), (1, 0));
    let kept = s
        .get_case(&w.worker, second)
        .await
        .expect("second case kept");
    assert_eq!(kept.person.given_name, "Twice");
    assert!(s.verify_audit().await.expect("verify").is_ok());
}

#[tokio::test]
async fn the_purge_erases_expired_closed_cases_only_on_every_backend() {
    on_every_backend!(the_purge_erases_expired_closed_cases_only);
}

#[tokio::test]
async fn a_person_with_another_case_is_kept_on_every_backend() {
    on_every_backend!(a_person_with_another_case_is_kept);
}

/// Every table that points at a row the purge deletes (a case, a person, a note, an
/// attachment, or any row of a table the purge empties) is itself named by the purge: a table
/// added later without its line would make every erasure fail and roll back, and closed cases
/// would then be kept past their period.
#[tokio::test]
async fn every_table_pointing_at_an_erased_row_is_in_the_purge() {
    let (s, _dir) = sqlite().await;
    let pool = s.operator("test").unsafe_raw_pool();
    let statements: Vec<&str> = passage_store::casework::retention::purge_statements().collect();
    let named = |table: &str| {
        statements.iter().any(|sql| {
            sql.contains(&format!("DELETE FROM {table} "))
                || sql.contains(&format!("UPDATE {table} SET"))
        })
    };
    let deleted = |table: &str| {
        ["cases", "persons", "notes", "attachments"].contains(&table)
            || statements
                .iter()
                .any(|sql| sql.starts_with(&format!("DELETE FROM {table} ")))
    };
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(pool)
            .await
            .expect("tables");
    let mut missing = Vec::new();
    for (table,) in tables.into_iter().filter(|(t,)| !t.starts_with("_sqlx")) {
        let targets: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('{table}')"
        )))
        .fetch_all(pool)
        .await
        .expect("foreign keys");
        for (target,) in targets {
            if deleted(&target) && !deleted(&table) && !named(&table) {
                missing.push(format!("{table} -> {target}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not handled by the case purge: {missing:?}"
    );
}
