//! Accounts an administrator cannot abuse (finding 4 of issue 12) and the second factor.

use crate::common::*;
use passage_core::policy::accounts::SecondFactorRule;
use passage_core::{Country, ErrorCode, OrgKind, Role, totp};
use passage_store::accounts::enrol::Invite;
use passage_store::accounts::grants::GrantOutcome;
use passage_store::accounts::second_factor::SecondStep;
use passage_store::orgs::NewUser;
use passage_store::{Authority, LoginError, SessionKind, Store, StoreError};

fn has_code(e: &StoreError, code: ErrorCode) -> bool {
    matches!(e, StoreError::Invalid(p) if p.0.iter().any(|f| f.code == code))
}

/// The secret an enrolment shows, read as an authenticator app reads it.
fn secret_of(b32: &str) -> Vec<u8> {
    totp::base32_decode(b32).expect("base32")
}

fn code_now(s: &Store, secret: &[u8]) -> String {
    totp::code_at(secret, totp::step_of(s.clock().now_ms() / 1000))
}

async fn org_admin_cannot_make_themselves_a_reader(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.supervisor, "Maria", "Santos", None).await;
    // The old way, an administrator choosing the new person's password, is closed.
    let by = Authority::User(w.org_admin.clone());
    let direct = s
        .create_user(
            &by,
            NewUser {
                org_id: w.shelter,
                email: "mine@s.test",
                display_name: "Mine",
                password: PW,
                roles: &[Role::Supervisor],
            },
        )
        .await;
    assert!(
        matches!(direct, Err(StoreError::Forbidden(_))),
        "{direct:?}"
    );
    assert!(matches!(
        s.login("mine@s.test", PW, SessionKind::Api).await,
        Err(LoginError::Invalid)
    ));

    // The invitation: no password to know, the reading role waits for approval.
    let invite = s
        .invite_user(
            &w.org_admin,
            Invite {
                org_id: w.shelter,
                email: "new@s.test",
                display_name: "New",
                roles: &[Role::Supervisor],
            },
        )
        .await
        .expect("invite");
    assert_eq!(invite.pending, [Role::Supervisor]);
    assert!(invite.granted.is_empty());
    for guess in ["", PW, "password"] {
        assert!(matches!(
            s.login("new@s.test", guess, SessionKind::Api).await,
            Err(LoginError::Invalid)
        ));
    }
    // Even the administrator who keeps the link and enrols as the new person gets an account
    // that reads nothing until someone else approves.
    s.complete_enrolment(&invite.token, "the admin's own password", None)
        .await
        .expect("enrol");
    let again = s
        .complete_enrolment(&invite.token, "another password here", None)
        .await;
    assert!(
        again
            .as_ref()
            .is_err_and(|e| has_code(e, ErrorCode::EnrolmentInvalid)),
        "a link is used once"
    );
    let new = s
        .login("new@s.test", "the admin's own password", SessionKind::Api)
        .await
        .expect("login")
        .actor;
    assert!(
        s.get_case(&new, case).await.is_err(),
        "no read before approval"
    );
    let grants = s.role_grants(&w.supervisor).await.expect("grants");
    let grant = grants
        .iter()
        .find(|g| g.user_id == new.user_id())
        .expect("the supervisors see the pending grant");
    assert_eq!(grant.status, "pending");
    // Neither the one who asked nor the one it is for approves it.
    let own = s.decide_grant(&w.org_admin, grant.id, true).await;
    assert!(own.is_err_and(|e| has_code(&e, ErrorCode::OwnDecision)));
    let own = s.decide_grant(&new, grant.id, true).await;
    assert!(own.is_err());
    // Nor a caseworker, nor another organisation.
    assert!(matches!(
        s.decide_grant(&w.worker, grant.id, true).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.decide_grant(&w.consul, grant.id, true).await,
        Err(StoreError::NotFound)
    ));
    assert!(s.get_case(&new, case).await.is_err(), "still no read");
    let done = s
        .decide_grant(&w.supervisor, grant.id, true)
        .await
        .expect("a supervisor approves");
    assert_eq!(done.status, "approved");
    let new = s
        .login("new@s.test", "the admin's own password", SessionKind::Api)
        .await
        .expect("login")
        .actor;
    s.get_case(&new, case).await.expect("read after approval");
    assert!(matches!(
        s.decide_grant(&w.supervisor, grant.id, true).await,
        Err(StoreError::Invalid(_))
    ));
    // An existing account's new reading role waits the same way; a non-reading one is held.
    assert!(matches!(
        s.request_role(&w.org_admin, w.colleague.user_id(), Role::Supervisor)
            .await
            .expect("request"),
        GrantOutcome::Pending(_)
    ));
    assert_eq!(
        s.request_role(&w.org_admin, w.colleague.user_id(), Role::Analyst)
            .await
            .expect("request"),
        GrantOutcome::Granted
    );
}
#[tokio::test]
async fn an_org_admin_cannot_make_themselves_a_data_reader() {
    on_every_backend!(org_admin_cannot_make_themselves_a_reader);
}

/// The sock puppet: an administrator makes a second administrator account, enrols it through
/// its link, and would approve their own requests with it. The second administrator role
/// itself waits for a second person, so the puppet approves nothing.
async fn no_sock_puppet_approver(s: Store) {
    let w = world(&s).await;
    let invite = |email: &'static str, roles: &'static [Role]| {
        let s = s.clone();
        let admin = w.org_admin.clone();
        let shelter = w.shelter;
        async move {
            s.invite_user(
                &admin,
                Invite {
                    org_id: shelter,
                    email,
                    display_name: email,
                    roles,
                },
            )
            .await
            .expect("invite")
        }
    };
    let puppet = invite("puppet@s.test", &[Role::OrgAdmin]).await;
    assert_eq!(puppet.pending, [Role::OrgAdmin]);
    s.complete_enrolment(&puppet.token, "the admin's puppet pw", None)
        .await
        .expect("enrol");
    let puppet = s
        .login("puppet@s.test", "the admin's puppet pw", SessionKind::Api)
        .await
        .expect("login")
        .actor;
    let reader = invite("reader@s.test", &[Role::Supervisor]).await;
    let grants = s.role_grants(&w.supervisor).await.expect("grants");
    let grant = grants
        .iter()
        .find(|g| g.user_id == reader.user_id)
        .expect("pending grant");
    assert!(matches!(
        s.decide_grant(&puppet, grant.id, true).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.role_grants(&puppet).await,
        Err(StoreError::Forbidden(_))
    ));
}
#[tokio::test]
async fn an_org_admin_cannot_approve_their_own_grants_through_a_second_admin_account() {
    on_every_backend!(no_sock_puppet_approver);
}

async fn kind_limits_roles(s: Store) {
    let w = world(&s).await;
    let invite = |actor, org, role| {
        let s = s.clone();
        async move {
            s.invite_user(
                &actor,
                Invite {
                    org_id: org,
                    email: "x@s.test",
                    display_name: "X",
                    roles: &[role],
                },
            )
            .await
        }
    };
    // A shelter holds no consular, inspection or ombudsperson role.
    for role in [Role::Consular, Role::Inspector, Role::Ombudsperson] {
        let r = invite(w.org_admin.clone(), w.shelter, role).await;
        assert!(r.is_err_and(|e| has_code(&e, ErrorCode::RoleNotAllowed)));
    }
    // Immigration enforcement holds only its statistics role, whoever asks.
    let op = s.operator("test");
    let gb = Country::parse("GB").expect("GB");
    let ngo = s
        .create_organisation(op.authority(), "Root NGO", OrgKind::Ngo, gb)
        .await
        .expect("org")
        .id;
    let root = user(&s, ngo, "root@n.test", &[Role::SystemAdmin]).await;
    for role in [
        Role::Caseworker,
        Role::Supervisor,
        Role::OrgAdmin,
        Role::Intake,
        Role::Ombudsperson,
    ] {
        let r = invite(root.clone(), w.immigration, role).await;
        assert!(
            r.is_err_and(|e| has_code(&e, ErrorCode::RoleNotAllowed)),
            "{role}"
        );
    }
    invite(root.clone(), w.immigration, Role::Analyst)
        .await
        .expect("the statistics role");
    for role in [Role::Caseworker, Role::Ombudsperson] {
        let r = s.request_role(&root, w.officer.user_id(), role).await;
        assert!(
            r.is_err_and(|e| has_code(&e, ErrorCode::RoleNotAllowed)),
            "{role}"
        );
    }
}
#[tokio::test]
async fn an_org_admin_cannot_grant_a_role_the_org_kind_forbids() {
    on_every_backend!(kind_limits_roles);
}

async fn totp_sign_in(s: Store) {
    world(&s).await;
    let clock = passage_store::Clock::fixed(passage_store::now_ms());
    let s = s
        .with_clock(clock.clone())
        .with_second_factor(SecondFactorRule::Privileged);
    // A caseworker needs none by default.
    s.login("worker@s.test", PW, SessionKind::Api)
        .await
        .expect("caseworker");
    // A supervisor without one is led to enrol.
    let Err(LoginError::SecondFactorRequired(c)) =
        s.login("super@s.test", PW, SessionKind::Ui).await
    else {
        panic!("a supervisor must give a second factor");
    };
    assert!(c.must_enrol);
    let Some(SecondStep::Enrol(setup)) = s.second_step(&c.token).await.expect("step") else {
        panic!("a secret to enrol");
    };
    assert!(
        setup
            .uri
            .starts_with("otpauth://totp/Passage:super@s.test?")
    );
    let secret = secret_of(&setup.secret);
    let right = code_now(&s, &secret);
    let wrong = if right == "111111" {
        "222222"
    } else {
        "111111"
    };
    assert!(matches!(
        s.login_second_step(&c.token, wrong, SessionKind::Ui).await,
        Err(LoginError::Invalid)
    ));
    let (_, codes) = s
        .login_second_step(&c.token, &code_now(&s, &secret), SessionKind::Ui)
        .await
        .expect("enrolled");
    assert_eq!(codes.len(), 10);
    // The challenge is spent.
    assert!(
        s.login_second_step(&c.token, &code_now(&s, &secret), SessionKind::Ui)
            .await
            .is_err()
    );
    // Now a code is needed and no enrolment.
    let Err(LoginError::SecondFactorRequired(c)) =
        s.login("super@s.test", PW, SessionKind::Api).await
    else {
        panic!("the code is needed");
    };
    assert!(!c.must_enrol);
    assert!(matches!(
        s.second_step(&c.token).await.expect("step"),
        Some(SecondStep::Code)
    ));
    // The code of the step used at enrolment is never accepted again.
    assert!(matches!(
        s.login_with_code(
            "super@s.test",
            PW,
            Some(&code_now(&s, &secret)),
            SessionKind::Api
        )
        .await,
        Err(LoginError::Invalid)
    ));
    clock.advance(30_000);
    let code = code_now(&s, &secret);
    s.login_with_code("super@s.test", PW, Some(&code), SessionKind::Api)
        .await
        .expect("the next step's code");
    assert!(
        matches!(
            s.login_with_code("super@s.test", PW, Some(&code), SessionKind::Api)
                .await,
            Err(LoginError::Invalid)
        ),
        "a replayed code is refused"
    );
    // A recovery code works once.
    s.login_with_code("super@s.test", PW, Some(&codes[0]), SessionKind::Api)
        .await
        .expect("recovery code");
    assert!(matches!(
        s.login_with_code("super@s.test", PW, Some(&codes[0]), SessionKind::Api)
            .await,
        Err(LoginError::Invalid)
    ));
    // The operator resets a lost second factor: the next sign-in enrols again.
    s.operator("test")
        .reset_second_factor("super@s.test")
        .await
        .expect("reset");
    let Err(LoginError::SecondFactorRequired(c)) =
        s.login("super@s.test", PW, SessionKind::Api).await
    else {
        panic!("still required");
    };
    assert!(c.must_enrol);
    assert!(
        matches!(
            s.login_with_code("super@s.test", PW, Some(&codes[1]), SessionKind::Api)
                .await,
            Err(LoginError::Invalid)
        ),
        "the old recovery codes are gone"
    );
    // A wrong code with the right password looks like a wrong password.
    assert!(matches!(
        s.login_with_code("super@s.test", PW, Some("12345"), SessionKind::Api)
            .await,
        Err(LoginError::Invalid)
    ));
}
#[tokio::test]
async fn a_second_factor_is_enrolled_and_codes_are_single_use() {
    on_every_backend!(totp_sign_in);
}

async fn wrong_codes_lock(s: Store) {
    world(&s).await;
    let clock = passage_store::Clock::fixed(passage_store::now_ms());
    let s = s
        .with_clock(clock.clone())
        .with_second_factor(SecondFactorRule::AllStaff);
    let Err(LoginError::SecondFactorRequired(c)) =
        s.login("worker@s.test", PW, SessionKind::Ui).await
    else {
        panic!("every staff user needs one");
    };
    let Some(SecondStep::Enrol(setup)) = s.second_step(&c.token).await.expect("step") else {
        panic!("a secret to enrol");
    };
    let secret = secret_of(&setup.secret);
    let right = code_now(&s, &secret);
    let wrong = if right == "111111" {
        "222222"
    } else {
        "111111"
    };
    for _ in 0..5 {
        assert!(matches!(
            s.login_second_step(&c.token, wrong, SessionKind::Ui).await,
            Err(LoginError::Invalid)
        ));
    }
    // Five wrong codes call for a wait: even the right code is not looked at until it has
    // passed, and asking again does not lengthen it.
    for _ in 0..2 {
        assert!(
            matches!(
                s.login_second_step(&c.token, &right, SessionKind::Ui).await,
                Err(LoginError::TooManyAttempts { retry_after_secs }) if retry_after_secs > 0 && retry_after_secs <= 60
            ),
            "five wrong codes slow the account like five wrong passwords"
        );
    }
    // A new challenge (the password is right again) does not reset the count.
    let Err(LoginError::SecondFactorRequired(again)) =
        s.login("worker@s.test", PW, SessionKind::Ui).await
    else {
        panic!("the password still asks for the code");
    };
    assert!(matches!(
        s.login_second_step(&again.token, &right, SessionKind::Ui)
            .await,
        Err(LoginError::TooManyAttempts { .. })
    ));
    // Once the wait has passed, the right code gets in.
    clock.advance(61_000);
    let right = code_now(&s, &secret);
    s.login_second_step(&again.token, &right, SessionKind::Ui)
        .await
        .expect("the owner gets in after the wait");
}
#[tokio::test]
async fn wrong_codes_count_as_failed_sign_ins() {
    on_every_backend!(wrong_codes_lock);
}

async fn enrolment_link_rules(s: Store) {
    let w = world(&s).await;
    let clock = passage_store::Clock::fixed(passage_store::now_ms());
    let s = s
        .with_clock(clock.clone())
        .with_second_factor(SecondFactorRule::Privileged);
    let invite = |email: &'static str| {
        let s = s.clone();
        let admin = w.org_admin.clone();
        let shelter = w.shelter;
        async move {
            s.invite_user(
                &admin,
                Invite {
                    org_id: shelter,
                    email,
                    display_name: email,
                    roles: &[Role::Supervisor],
                },
            )
            .await
            .expect("invite")
        }
    };
    // A supervisor-to-be enrols the second factor with the password; the page shows the same
    // secret each time until then.
    let first = invite("sup2@s.test").await;
    let shown = s.enrolment(&first.token).await.expect("link");
    let setup = shown.second_factor.expect("a second factor to enrol");
    let again = s.enrolment(&first.token).await.expect("link");
    assert_eq!(again.second_factor.expect("setup").secret, setup.secret);
    let short = s.complete_enrolment(&first.token, "short", None).await;
    assert!(short.is_err_and(|e| has_code(&e, ErrorCode::PasswordTooShort)));
    let no_code = s
        .complete_enrolment(&first.token, "a long enough new one", Some("000000"))
        .await;
    assert!(
        no_code.is_err_and(|e| has_code(&e, ErrorCode::InvalidCode))
            || code_now(&s, &secret_of(&setup.secret)) == "000000"
    );
    let codes = s
        .complete_enrolment(
            &first.token,
            "a long enough new one",
            Some(&code_now(&s, &secret_of(&setup.secret))),
        )
        .await
        .expect("enrolled");
    assert_eq!(codes.len(), 10);
    // The link expires after 72 hours.
    let late = invite("late@s.test").await;
    clock.advance(72 * 3_600_000 + 1);
    let expired = s.enrolment(&late.token).await;
    assert!(expired.is_err_and(|e| has_code(&e, ErrorCode::EnrolmentInvalid)));
    let expired = s
        .complete_enrolment(&late.token, "a long enough new one", None)
        .await;
    assert!(expired.is_err_and(|e| has_code(&e, ErrorCode::EnrolmentInvalid)));
}
#[tokio::test]
async fn an_enrolment_link_sets_password_and_second_factor_once_within_72_hours() {
    on_every_backend!(enrolment_link_rules);
}
