//! Accounts over the API: the token contract with a second factor, and role grants that need a
//! second person (issue 12, finding 4 and the second factor).

use crate::harness::{App, PW};
use axum::http::Method;
use passage_core::policy::accounts::SecondFactorRule;
use passage_core::{OrgKind, Role, totp};
use passage_store::accounts::enrol::Invite;
use passage_store::accounts::second_factor::SecondStep;
use passage_store::{Clock, LoginError, SessionKind};
use serde_json::json;

fn secret_of(b32: &str) -> Vec<u8> {
    totp::base32_decode(b32).expect("base32")
}

#[tokio::test]
async fn the_token_asks_for_the_second_factor_only_after_a_right_password() {
    let clock = Clock::fixed(passage_store::now_ms());
    let c2 = clock.clone();
    let app = App::configured(move |s| {
        s.with_clock(c2)
            .with_second_factor(SecondFactorRule::AllStaff)
    })
    .await;
    let org = app.org(OrgKind::Ngo, "NGO").await;
    app.account(org, "w@ngo.test", &[Role::Caseworker]).await;
    let token = |body: serde_json::Value| app.api(Method::POST, "/auth/token", None, Some(body));

    let wrong_password = token(json!({"email": "w@ngo.test", "password": "nope"})).await;
    assert_eq!(wrong_password.status, 401);
    assert_eq!(wrong_password.json()["code"], "invalid_credentials");
    let no_code = token(json!({"email": "w@ngo.test", "password": PW})).await;
    assert_eq!(no_code.status, 401);
    assert_eq!(no_code.json()["code"], "second_factor_required");
    // A code with a wrong password says nothing about the code.
    let both = token(json!({"email": "w@ngo.test", "password": "nope", "totp": "123456"})).await;
    assert_eq!(both.body, wrong_password.body);

    // Enrol as the sign-in page does.
    let Err(LoginError::SecondFactorRequired(c)) =
        app.store.login("w@ngo.test", PW, SessionKind::Ui).await
    else {
        panic!("a second factor is required");
    };
    let Some(SecondStep::Enrol(setup)) = app.store.second_step(&c.token).await.expect("step")
    else {
        panic!("enrolment");
    };
    let secret = secret_of(&setup.secret);
    let now = || totp::code_at(&secret, totp::step_of(clock.now_ms() / 1000));
    let (_, recovery) = app
        .store
        .login_second_step(&c.token, &now(), SessionKind::Ui)
        .await
        .expect("enrolled");

    // A wrong code with the right password: the same answer as a wrong password.
    let wrong = if now() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let wrong_code = token(json!({"email": "w@ngo.test", "password": PW, "totp": wrong})).await;
    assert_eq!(wrong_code.status, 401);
    assert_eq!(wrong_code.body, wrong_password.body);
    // The code used to enrol is spent.
    let replay = token(json!({"email": "w@ngo.test", "password": PW, "totp": now()})).await;
    assert_eq!(replay.json()["code"], "invalid_credentials");
    clock.advance(30_000);
    let ok = token(json!({"email": "w@ngo.test", "password": PW, "totp": now()})).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let bearer = ok.json()["token"].as_str().expect("token").to_string();
    let me = app.api_with_token(Method::GET, "/me", &bearer, None).await;
    assert_eq!(me.status, 200);
    let by_recovery =
        token(json!({"email": "w@ngo.test", "password": PW, "totp": recovery[3]})).await;
    assert_eq!(by_recovery.status, 200);
    let again = token(json!({"email": "w@ngo.test", "password": PW, "totp": recovery[3]})).await;
    assert_eq!(again.json()["code"], "invalid_credentials");
}

#[tokio::test]
async fn a_grant_waits_for_a_second_person_over_the_api() {
    let app = App::new().await;
    let org = app.org(OrgKind::ServiceProvider, "Shelter").await;
    let admin = app.member(org, "admin@s.test", &[Role::OrgAdmin]).await;
    let supervisor = app.member(org, "super@s.test", &[Role::Supervisor]).await;
    let worker = app.member(org, "worker@s.test", &[Role::Caseworker]).await;
    let admin_actor = app
        .store
        .login("admin@s.test", PW, SessionKind::Api)
        .await
        .expect("login")
        .actor;
    app.store
        .invite_user(
            &admin_actor,
            Invite {
                org_id: org,
                email: "new@s.test",
                display_name: "New",
                roles: &[Role::Caseworker],
            },
        )
        .await
        .expect("invite");
    let list = app
        .api(Method::GET, "/role-grants", Some(&supervisor), None)
        .await;
    assert_eq!(list.status, 200);
    let grant = list.json()[0].clone();
    assert_eq!(grant["status"], "pending");
    assert_eq!(grant["role"], "caseworker");
    let id = grant["id"].as_str().expect("id");
    assert_eq!(
        app.api(Method::GET, "/role-grants", Some(&worker), None)
            .await
            .status,
        403
    );
    let own = app
        .api(
            Method::POST,
            &format!("/role-grants/{id}/approve"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(own.status, 422);
    assert_eq!(own.json()["fields"][0]["code"], "own_decision");
    let ok = app
        .api(
            Method::POST,
            &format!("/role-grants/{id}/approve"),
            Some(&supervisor),
            None,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["status"], "approved");
}

/// Another organisation's supervisor can neither see, approve nor refuse a grant, and cannot
/// tell a real grant id from one that names nothing: the same 404 for both.
#[tokio::test]
async fn another_organisations_supervisor_learns_nothing_of_a_grant() {
    let app = App::new().await;
    let org = app.org(OrgKind::ServiceProvider, "Shelter").await;
    app.member(org, "admin@s.test", &[Role::OrgAdmin]).await;
    let supervisor = app.member(org, "super@s.test", &[Role::Supervisor]).await;
    let other = app.org(OrgKind::Ngo, "Other").await;
    let outsider = app.member(other, "super@o.test", &[Role::Supervisor]).await;
    app.store
        .invite_user(
            &app.actor("admin@s.test").await,
            Invite {
                org_id: org,
                email: "new@s.test",
                display_name: "New",
                roles: &[Role::Caseworker],
            },
        )
        .await
        .expect("invite");
    let list = app
        .api(Method::GET, "/role-grants", Some(&supervisor), None)
        .await;
    let id = list.json()[0]["id"].as_str().expect("id").to_string();
    let theirs = app
        .api(Method::GET, "/role-grants", Some(&outsider), None)
        .await;
    assert_eq!(theirs.status, 200);
    assert_eq!(
        theirs.json(),
        serde_json::json!([]),
        "no other organisation's grant"
    );
    for action in ["approve", "refuse"] {
        let real = app
            .api(
                Method::POST,
                &format!("/role-grants/{id}/{action}"),
                Some(&outsider),
                None,
            )
            .await;
        let none = app
            .api(
                Method::POST,
                &format!("/role-grants/{}/{action}", uuid::Uuid::now_v7()),
                Some(&outsider),
                None,
            )
            .await;
        assert_eq!((real.status, &real.body), (404, &none.body), "{action}");
    }
    // The grant is still pending for its own organisation.
    let list = app
        .api(Method::GET, "/role-grants", Some(&supervisor), None)
        .await;
    assert_eq!(list.json()[0]["status"], "pending");
}
