//! The store suite: every backend must pass it. SQLite always runs; PostgreSQL runs when
//! `PASSAGE_TEST_POSTGRES_URL` is set (CI sets it, and fails if it is missing).

use crate::common::*;
use passage_store::{Backend, LoginError, SessionKind, Store, StoreError};
use sqlx::Executor;
use uuid::Uuid;

#[tokio::test]
async fn engine_settings_are_durable() {
    let (s, _dir) = sqlite().await;
    assert_eq!(s.backend(), Backend::Sqlite);
    assert_eq!(
        s.sqlite_pragma("journal_mode").await.expect("pragma"),
        "wal"
    );
    assert_eq!(
        s.sqlite_pragma("synchronous").await.expect("pragma"),
        "2",
        "synchronous=FULL"
    );
    assert_eq!(s.sqlite_pragma("foreign_keys").await.expect("pragma"), "1");
}

async fn migrations_are_idempotent(s: Store) {
    s.migrate().await.expect("second migrate is a no-op");
}
#[tokio::test]
async fn migrations_twice() {
    on_every_backend!(migrations_are_idempotent);
}

async fn login_rules(s: Store) {
    let w = world(&s).await;
    assert!(matches!(
        s.login("nobody@x.test", PW, SessionKind::Api).await,
        Err(LoginError::Invalid)
    ));
    assert!(matches!(
        s.login("worker@s.test", "wrong password!!", SessionKind::Api)
            .await,
        Err(LoginError::Invalid)
    ));
    let ok = s
        .login(" WORKER@s.test ", PW, SessionKind::Ui)
        .await
        .expect("case-insensitive e-mail");
    let session = s
        .authenticate(&ok.token, SessionKind::Ui)
        .await
        .expect("auth")
        .expect("session");
    assert_eq!(session.actor, w.worker);
    assert!(
        s.authenticate(&ok.token, SessionKind::Api)
            .await
            .expect("auth")
            .is_none(),
        "a UI cookie is not an API token"
    );
    s.logout(&ok.token).await.expect("logout");
    assert!(
        s.authenticate(&ok.token, SessionKind::Ui)
            .await
            .expect("auth")
            .is_none(),
        "logout ends the session"
    );
    // Five failures from one source make it wait: even the right password from there is
    // refused, unchecked, until the wait is over.
    for _ in 0..5 {
        let _ = s
            .login("colleague@s.test", "not the password", SessionKind::Api)
            .await;
    }
    assert!(matches!(
        s.login("colleague@s.test", PW, SessionKind::Api).await,
        Err(LoginError::TooManyAttempts { .. })
    ));
    // Unknown addresses are throttled the same way, so a wait reveals nothing: five
    // failures on an address no one has make its source wait, four on another do not. Once
    // both addresses become accounts, the throttled one still refuses the right password from
    // that source and the other lets its user in.
    for _ in 0..5 {
        assert!(matches!(
            s.login("ghost@s.test", "x", SessionKind::Api).await,
            Err(LoginError::Invalid)
        ));
    }
    for _ in 0..4 {
        assert!(matches!(
            s.login("fresh@s.test", "x", SessionKind::Api).await,
            Err(LoginError::Invalid)
        ));
    }
    let op = s.operator("test");
    for email in ["ghost@s.test", "fresh@s.test"] {
        s.create_user(
            op.authority(),
            passage_store::orgs::NewUser {
                org_id: w.shelter,
                email,
                display_name: email,
                password: PW,
                roles: &[passage_core::Role::Caseworker],
            },
        )
        .await
        .expect("create user");
    }
    assert!(
        matches!(
            s.login("ghost@s.test", PW, SessionKind::Api).await,
            Err(LoginError::TooManyAttempts { .. })
        ),
        "an unknown address is throttled after five failures"
    );
    s.login("fresh@s.test", PW, SessionKind::Api)
        .await
        .expect("four failures do not lock an address");
}
#[tokio::test]
async fn logins_sessions_and_lockout() {
    on_every_backend!(login_rules);
}

async fn timeouts_end_sessions(s: Store) {
    world(&s).await;
    // The store's clock stands still until the test moves it: the limits are checked to the
    // millisecond, without sleeping.
    let clock = passage_store::Clock::fixed(passage_store::now_ms());
    let s = s
        .with_clock(clock.clone())
        .with_session_policy(passage_store::SessionPolicy {
            ui_idle_ms: 15 * 60_000,
            ui_absolute_ms: 60 * 60_000,
            ..Default::default()
        });
    let alive = |token: String| {
        let s = s.clone();
        async move {
            s.authenticate(&token, SessionKind::Ui)
                .await
                .expect("auth")
                .is_some()
        }
    };
    let session = s
        .login("worker@s.test", PW, SessionKind::Ui)
        .await
        .expect("login");
    clock.advance(15 * 60_000 - 1);
    assert!(alive(session.token.clone()).await, "within the idle limit");
    clock.advance(15 * 60_000 + 1);
    assert!(!alive(session.token.clone()).await, "idle timeout");

    // Kept busy, a session still ends at the absolute limit.
    let session = s
        .login("worker@s.test", PW, SessionKind::Ui)
        .await
        .expect("login");
    for _ in 0..5 {
        clock.advance(10 * 60_000);
        assert!(
            alive(session.token.clone()).await,
            "in use, within the limits"
        );
    }
    clock.advance(10 * 60_000 + 1);
    assert!(!alive(session.token.clone()).await, "absolute timeout");
    // Each login is a new token: a token planted before sign-in is never adopted.
    let a = s
        .login("worker@s.test", PW, SessionKind::Ui)
        .await
        .expect("login");
    let b = s
        .login("worker@s.test", PW, SessionKind::Ui)
        .await
        .expect("login");
    assert_ne!(a.token, b.token);
    assert_eq!(a.token.len(), 64, "256-bit tokens");
}
#[tokio::test]
async fn sessions_time_out() {
    on_every_backend!(timeouts_end_sessions);
}

async fn disabling_ends_sessions(s: Store) {
    let w = world(&s).await;
    let session = s
        .login("worker@s.test", PW, SessionKind::Ui)
        .await
        .expect("login");
    let admin = passage_store::Authority::User(w.org_admin.clone());
    s.set_user_disabled(&admin, w.worker.user_id(), true)
        .await
        .expect("disable");
    assert!(
        s.authenticate(&session.token, SessionKind::Ui)
            .await
            .expect("auth")
            .is_none()
    );
    assert!(matches!(
        s.login("worker@s.test", PW, SessionKind::Ui).await,
        Err(LoginError::Invalid)
    ));
    // An org_admin cannot touch another organisation's users: they do not exist for them.
    assert!(matches!(
        s.set_user_disabled(&admin, w.consul.user_id(), true).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.users_of(&passage_store::Authority::User(w.worker.clone()), w.shelter)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(s.users_of(&admin, w.shelter).await.expect("users").len(), 4);
}
#[tokio::test]
async fn disabling_a_user() {
    on_every_backend!(disabling_ends_sessions);
}

async fn saving_my_language(s: Store) {
    let w = world(&s).await;
    assert_eq!(s.me(&w.worker).await.expect("me").language, None);
    let ar = passage_core::validate::LanguageCode::parse("ar").expect("a code");
    s.set_my_language(&w.worker, Some(&ar)).await.expect("save");
    assert_eq!(
        s.me(&w.worker).await.expect("me").language.as_deref(),
        Some("ar")
    );
    // Only one's own: another user's choice is untouched.
    assert_eq!(s.me(&w.consul).await.expect("me").language, None);
    s.set_my_language(&w.worker, None).await.expect("clear");
    assert_eq!(s.me(&w.worker).await.expect("me").language, None);
}
#[tokio::test]
async fn a_user_saves_their_language() {
    on_every_backend!(saving_my_language);
}

async fn case_access(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "María José", "Núñez", Some("undocumented")).await;
    let view = s.get_case(&w.worker, case).await.expect("owner reads");
    assert_eq!(view.person.given_name, "María José");
    assert_eq!(
        view.person.migration_status.as_deref(),
        Some("undocumented")
    );
    assert_eq!(view.person.date_of_birth.as_deref(), Some("1994-03"));
    // Supervisor of the organisation reads it; a caseworker colleague does not (need to know).
    assert!(s.get_case(&w.supervisor, case).await.is_ok());
    assert!(matches!(
        s.get_case(&w.colleague, case).await,
        Err(StoreError::NotFound)
    ));
    // Another organisation sees nothing, not even once the person consented to a referral to
    // it: only a referral or a transfer carries anything across…
    assert!(matches!(
        s.get_case(&w.consul, case).await,
        Err(StoreError::NotFound)
    ));
    consent_to_referral(&s, &w.worker, case, w.consulate).await;
    assert!(matches!(
        s.get_case(&w.consul, case).await,
        Err(StoreError::NotFound)
    ));
    // …and immigration enforcement never.
    assert!(matches!(
        s.get_case(&w.officer, case).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.list_cases(&w.officer, None, Default::default()).await,
        Err(StoreError::Forbidden(_))
    ));
    // A missing id and a forbidden id answer the same.
    assert!(matches!(
        s.get_case(&w.colleague, Uuid::now_v7()).await,
        Err(StoreError::NotFound)
    ));
}
#[tokio::test]
async fn case_access_follows_the_policy() {
    on_every_backend!(case_access);
}

async fn name_search(s: Store) {
    let w = world(&s).await;
    let a = open_case(&s, &w.worker, "María José", "Núñez García", None).await;
    let b = open_case(&s, &w.worker, "Olena", "Kovalenko", None).await;
    let c = open_case(&s, &w.colleague, "Maria", "Santos", None).await;
    let ids = |v: Vec<passage_store::cases::CaseListItem>| {
        v.into_iter().map(|i| i.id).collect::<Vec<_>>()
    };
    let all = ids(s
        .list_cases(&w.worker, None, Default::default())
        .await
        .expect("list"));
    assert_eq!(
        all,
        vec![b, a],
        "own cases, newest first; not the colleague's"
    );
    assert_eq!(
        ids(s
            .list_cases(&w.worker, Some("maria"), Default::default())
            .await
            .expect("q")),
        vec![a]
    );
    assert_eq!(
        ids(s
            .list_cases(&w.worker, Some("NUÑ garc"), Default::default())
            .await
            .expect("q")),
        vec![a]
    );
    assert_eq!(
        ids(s
            .list_cases(&w.worker, Some("kov"), Default::default())
            .await
            .expect("q")),
        vec![b]
    );
    assert!(
        ids(s
            .list_cases(&w.worker, Some("santos"), Default::default())
            .await
            .expect("q"))
        .is_empty()
    );
    let sup = ids(s
        .list_cases(&w.supervisor, Some("mar"), Default::default())
        .await
        .expect("q"));
    assert_eq!(sup, vec![c, a]);
    assert!(matches!(
        s.list_cases(&w.worker, Some("a"), Default::default()).await,
        Err(StoreError::Invalid(_))
    ));
    // Another organisation's name search never reaches the owner's index, consent or not.
    consent_to_referral(&s, &w.worker, b, w.consulate).await;
    assert!(
        ids(s
            .list_cases(&w.consul, Some("olena"), Default::default())
            .await
            .expect("q"))
        .is_empty()
    );
    assert!(
        ids(s
            .list_cases(&w.consul, Some("maria"), Default::default())
            .await
            .expect("q"))
        .is_empty()
    );
}
#[tokio::test]
async fn name_search_is_partial_and_scoped() {
    on_every_backend!(name_search);
}

async fn operator_calls_are_audited_with_their_purpose(s: Store) {
    let w = world(&s).await;
    let op = s.operator("support ticket 12");
    let actor = op.impersonate("worker@s.test").await.expect("impersonate");
    assert_eq!(actor.user_id(), w.worker.user_id());
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT coalesce(purpose, '') || '|' || coalesce(actor_user, 'no user') || '|' || coalesce(object_id, '') \
         FROM audit_events WHERE action = 'auth.impersonate'",
    )
    .fetch_all(op.unsafe_raw_pool())
    .await
    .expect("audit");
    assert_eq!(
        rows,
        vec![(format!(
            "operator:support ticket 12|no user|{}",
            w.worker.user_id()
        ),)],
        "the operator acts as no user, for a stated purpose, on a named user"
    );
    assert!(matches!(
        s.operator("test").impersonate("nobody@s.test").await,
        Err(StoreError::NotFound)
    ));
}
#[tokio::test]
async fn the_operator_is_audited() {
    on_every_backend!(operator_calls_are_audited_with_their_purpose);
}

async fn audit_chain(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Amina", "Diallo", None).await;
    s.get_case(&w.worker, case).await.expect("read");
    let n = s.verify_audit().await.expect("verify").expect("intact");
    assert!(n >= 10, "logins, creations and reads are audited: {n}");
    let pool = s.operator("test").unsafe_raw_pool();
    // No personal data in the log.
    let dump: Vec<(String,)> =
        sqlx::query_as("SELECT action || coalesce(object_id, '') || outcome FROM audit_events")
            .fetch_all(pool)
            .await
            .expect("dump");
    assert!(
        dump.iter()
            .all(|(t,)| !t.contains("Amina") && !t.contains("Diallo"))
    );
    // Edit one event: verification names it.
    pool.execute("UPDATE audit_events SET outcome = 'denied' WHERE seq = 5")
        .await
        .expect("tamper");
    assert_eq!(
        s.verify_audit()
            .await
            .expect("verify")
            .expect_err("broken")
            .seq,
        5
    );
    pool.execute("UPDATE audit_events SET outcome = 'ok' WHERE seq = 5")
        .await
        .expect("restore");
    assert!(s.verify_audit().await.expect("verify").is_ok());
    // Delete one: the gap is named.
    pool.execute("DELETE FROM audit_events WHERE seq = 7")
        .await
        .expect("delete");
    assert_eq!(
        s.verify_audit()
            .await
            .expect("verify")
            .expect_err("broken")
            .seq,
        7
    );
}
#[tokio::test]
async fn audit_chain_detects_tampering() {
    on_every_backend!(audit_chain);
}

async fn audit_reorder(s: Store) {
    let w = world(&s).await;
    open_case(&s, &w.worker, "Amina", "Diallo", None).await;
    let pool = s.operator("test").unsafe_raw_pool();
    // Swap the contents of events 3 and 4, keeping their sequence numbers.
    pool.execute("UPDATE audit_events SET seq = -3 WHERE seq = 3")
        .await
        .expect("a");
    pool.execute("UPDATE audit_events SET seq = 3 WHERE seq = 4")
        .await
        .expect("b");
    pool.execute("UPDATE audit_events SET seq = 4 WHERE seq = -3")
        .await
        .expect("c");
    assert_eq!(
        s.verify_audit()
            .await
            .expect("verify")
            .expect_err("broken")
            .seq,
        3
    );
}
#[tokio::test]
async fn audit_chain_detects_reordering() {
    on_every_backend!(audit_reorder);
}

async fn sealed_at_rest(s: Store) {
    let w = world(&s).await;
    open_case(
        &s,
        &w.worker,
        "Zeynep",
        "Yilmazoglu",
        Some("overstayed visa"),
    )
    .await;
    let rows: Vec<(Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "SELECT p.given_name, c.summary FROM persons p JOIN cases c ON c.person_id = p.id",
    )
    .fetch_all(s.operator("test").unsafe_raw_pool())
    .await
    .expect("raw");
    assert_eq!(rows.len(), 1, "the case written is there to be read raw");
    for (name, summary) in rows {
        assert!(!name.is_empty() && !summary.is_empty(), "sealed, not empty");
        assert!(!name.windows(6).any(|x| x == b"Zeynep"));
        assert!(!summary.windows(8).any(|x| x == b"passport"));
    }
}
#[tokio::test]
async fn identity_and_narratives_are_sealed() {
    on_every_backend!(sealed_at_rest);
}
