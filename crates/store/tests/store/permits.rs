//! Residence and work permits on protection grounds, on every backend (issue 17 item 1). A
//! permit moves by the rules of core (a refusal is appealed, a grant renewed, an expired one
//! followed only by a new permit), keeps its history, and keeps its reminder as a task on the
//! work list that moves with its date. It is the migration status in another form: only those
//! of the case's organisation who may read the migration status read it; a partner learns of
//! it only from a referral that carried the migration status; enforcement gets the firewall.

use crate::common::*;
use passage_core::casework::ConsentPurpose;
use passage_core::casework::calendar::Day;
use passage_core::casework::permits::{
    PermitKind, PermitStatus, RawDates, RawPermit, RawPermitDetails, RawStatusChange,
};
use passage_core::referrals::ShareField;
use passage_core::{Country, DenyReason, ErrorCode, OrgKind, Role};
use passage_store::casework::referrals::NewReferral;
use passage_store::casework::tasks::Task;
use passage_store::{Actor, Store, StoreError};
use uuid::Uuid;

fn applied(kind: &str, on: &str) -> RawPermit {
    RawPermit {
        kind: kind.into(),
        status: "applied".into(),
        authority: "Home Office".into(),
        reference: "VTS-2026-0042".into(),
        dates: RawDates {
            applied_on: on.into(),
            ..Default::default()
        },
        note: "Applied with the support letter of the shelter".into(),
    }
}

fn change(status: &str, on: &str) -> RawStatusChange {
    RawStatusChange {
        status: status.into(),
        on: on.into(),
        ..Default::default()
    }
}

async fn permit_tasks(s: &Store, actor: &Actor, case: Uuid) -> Vec<Task> {
    s.list_case_tasks(actor, case)
        .await
        .expect("tasks")
        .into_iter()
        .filter(|t| t.title.starts_with("Permit"))
        .collect()
}

async fn count(s: &Store, table: &str) -> i64 {
    let sql = match table {
        "permits" => "SELECT COUNT(*) FROM permits",
        _ => "SELECT COUNT(*) FROM permit_history",
    };
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(s.operator("test").unsafe_raw_pool())
        .await
        .expect("count");
    n
}

async fn a_permit_is_decided_appealed_renewed_and_its_reminder_follows(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    let pid = s
        .add_permit(
            &w.worker,
            case,
            applied("trafficking_victim", "2026-05-02")
                .validate()
                .expect("valid"),
        )
        .await
        .expect("recorded");
    assert!(permit_tasks(&s, &w.worker, case).await.is_empty());

    // Refused without a date for the appeal: the profile's 14 days from the decision; the
    // appeal is due three days before.
    let refused = change("refused", "2026-11-02").validate().expect("valid");
    s.change_permit_status(&w.worker, case, pid, refused)
        .await
        .expect("refused");
    let list = s.permits(&w.worker, case).await.expect("list");
    assert_eq!(list.appeal_days, 14);
    let p = &list.permits[0];
    assert_eq!(p.status, PermitStatus::Refused);
    assert_eq!(p.dates.decided_on, Day::parse("2026-11-02"));
    assert_eq!(p.dates.appeal_deadline, Day::parse("2026-11-16"));
    assert_eq!(
        p.next,
        vec![PermitStatus::Appealed, PermitStatus::Withdrawn]
    );
    let tasks = permit_tasks(&s, &w.worker, case).await;
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].title, "Permit appeal deadline on 2026-11-16");
    assert_eq!(tasks[0].due_on.as_deref(), Some("2026-11-13"));
    assert_eq!(tasks[0].assigned_to, Some(w.worker.user_id()));

    // Moving the deadline moves the task.
    let moved = RawPermitDetails {
        authority: "Home Office".into(),
        reference: "VTS-2026-0042".into(),
        dates: RawDates {
            applied_on: "2026-05-02".into(),
            decided_on: "2026-11-02".into(),
            appeal_deadline: "2026-11-20".into(),
            ..Default::default()
        },
        ..Default::default()
    }
    .validate()
    .expect("valid");
    s.correct_permit(&w.worker, case, pid, moved)
        .await
        .expect("corrected");
    let tasks = permit_tasks(&s, &w.worker, case).await;
    assert_eq!(tasks.len(), 1, "the same task, moved");
    assert_eq!(tasks[0].due_on.as_deref(), Some("2026-11-17"));
    assert_eq!(tasks[0].title, "Permit appeal deadline on 2026-11-20");

    // Appealed: the appeal's task is done.
    let appealed = change("appealed", "2026-11-10").validate().expect("valid");
    s.change_permit_status(&w.worker, case, pid, appealed)
        .await
        .expect("appealed");
    assert!(
        permit_tasks(&s, &w.worker, case)
            .await
            .iter()
            .all(|t| t.done)
    );

    // Granted on appeal for 30 months: the expiry's task is due 60 days before it.
    let granted = RawStatusChange {
        status: "granted".into(),
        on: "2026-12-01".into(),
        valid_from: "2026-12-01".into(),
        expires_on: "2029-06-01".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    s.change_permit_status(&w.worker, case, pid, granted)
        .await
        .expect("granted");
    let open: Vec<Task> = permit_tasks(&s, &w.worker, case)
        .await
        .into_iter()
        .filter(|t| !t.done)
        .collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].title, "Permit expires on 2029-06-01");
    assert_eq!(open[0].due_on.as_deref(), Some("2029-04-02"));
    let first = open[0].id;

    // Renewed: the old reminder is done, a new one follows the new expiry.
    let renewed = RawStatusChange {
        status: "granted".into(),
        on: "2029-05-01".into(),
        valid_from: "2029-06-01".into(),
        expires_on: "2031-12-01".into(),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    s.change_permit_status(&w.worker, case, pid, renewed)
        .await
        .expect("renewed");
    let tasks = permit_tasks(&s, &w.worker, case).await;
    assert!(tasks.iter().any(|t| t.id == first && t.done));
    let open: Vec<&Task> = tasks.iter().filter(|t| !t.done).collect();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].title, "Permit expires on 2031-12-01");

    // Expired: the reminder is done, and nothing follows but a new permit.
    let expired = change("expired", "2031-12-01").validate().expect("valid");
    s.change_permit_status(&w.worker, case, pid, expired)
        .await
        .expect("expired");
    assert!(
        permit_tasks(&s, &w.worker, case)
            .await
            .iter()
            .all(|t| t.done)
    );
    let history_before = count(&s, "permit_history").await;
    let again = change("applied", "2032-01-05").validate().expect("valid");
    assert!(matches!(
        s.change_permit_status(&w.worker, case, pid, again).await,
        Err(StoreError::Rule {
            code: ErrorCode::TransitionNotAllowed,
            ..
        })
    ));
    assert_eq!(count(&s, "permit_history").await, history_before);

    // The history says who moved it from what to what.
    let list = s
        .permits(&w.supervisor, case)
        .await
        .expect("supervisor reads");
    let p = &list.permits[0];
    let steps: Vec<(Option<PermitStatus>, PermitStatus)> =
        p.history.iter().map(|h| (h.from, h.to)).collect();
    use PermitStatus::*;
    assert_eq!(
        steps,
        vec![
            (None, Applied),
            (Some(Applied), Refused),
            (Some(Refused), Appealed),
            (Some(Appealed), Granted),
            (Some(Granted), Granted),
            (Some(Granted), Expired),
        ]
    );
    assert!(p.history.iter().all(|h| h.by == "worker@s.test"));
    assert_eq!(p.kind, PermitKind::TraffickingVictim);
    assert_eq!(p.reference.as_deref(), Some("VTS-2026-0042"));
}

async fn a_granted_permit_inside_the_reminder_window_is_an_overdue_task(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    let today = s.clock().today();
    let expires = today.plus_days(45);
    let granted = RawPermit {
        kind: "trafficking_victim".into(),
        status: "granted".into(),
        dates: RawDates {
            valid_from: today.plus_days(-300).to_string(),
            expires_on: expires.to_string(),
            ..Default::default()
        },
        ..Default::default()
    }
    .validate()
    .expect("valid");
    s.add_permit(&w.worker, case, granted)
        .await
        .expect("recorded");
    let overdue = s.list_my_tasks(&w.worker, true).await.expect("overdue");
    let title = format!("Permit expires on {expires}");
    let t = overdue
        .iter()
        .find(|t| t.title == title)
        .expect("the reminder is overdue on the work list");
    assert!(t.overdue);
    assert_eq!(t.due_on, Some(today.plus_days(-15).to_string()));
    // The supervisor's list of the organisation's overdue work shows it too.
    let org = s.list_org_overdue_tasks(&w.supervisor).await.expect("org");
    assert!(org.iter().any(|t| t.title == title));
}

async fn bad_dates_and_refused_moves_write_nothing(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    // Core refuses a decision before the application and an expiry before validity.
    let bad = RawPermit {
        kind: "humanitarian".into(),
        status: "granted".into(),
        dates: RawDates {
            applied_on: "2026-05-02".into(),
            decided_on: "2026-05-01".into(),
            valid_from: "2026-06-01".into(),
            expires_on: "2026-05-31".into(),
            ..Default::default()
        },
        ..Default::default()
    }
    .validate();
    let fields: Vec<String> = bad
        .expect_err("bad dates")
        .0
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(fields, vec!["decided_on", "expires_on"]);
    // A refusal recorded for an application made after today's decision is refused by the
    // store once the decision day is filled in.
    let later = RawPermit {
        kind: "family".into(),
        status: "refused".into(),
        dates: RawDates {
            applied_on: s.clock().today().plus_days(5).to_string(),
            ..Default::default()
        },
        ..Default::default()
    }
    .validate()
    .expect("valid as typed");
    assert!(matches!(
        s.add_permit(&w.worker, case, later).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(count(&s, "permits").await, 0);
    // A permit of another case is not found through this one.
    let other = open_case(&s, &w.worker, "Ana", "Reyes", None).await;
    let pid = s
        .add_permit(
            &w.worker,
            other,
            applied("work", "2026-05-02").validate().expect("valid"),
        )
        .await
        .expect("recorded");
    assert!(matches!(
        s.change_permit_status(
            &w.worker,
            case,
            pid,
            change("granted", "2026-06-01").validate().expect("valid")
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

async fn sealed_at_rest(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    s.add_permit(
        &w.worker,
        case,
        applied("international_protection", "2026-05-02")
            .validate()
            .expect("valid"),
    )
    .await
    .expect("recorded");
    let (kind, status, reference, authority): (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT kind, status, reference, authority FROM permits")
            .fetch_one(s.operator("test").unsafe_raw_pool())
            .await
            .expect("row");
    let contains =
        |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(!contains(&kind, "international_protection"));
    assert!(!contains(&status, "applied"));
    assert!(!contains(&reference, "VTS-2026"));
    assert!(!contains(&authority, "Home Office"));
}

async fn only_readers_of_the_migration_status_read_permits(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", None).await;
    let pid = s
        .add_permit(
            &w.worker,
            case,
            applied("trafficking_victim", "2026-05-02")
                .validate()
                .expect("valid"),
        )
        .await
        .expect("recorded");
    // An intake officer who opened a case reads it, but neither its migration status nor its
    // permits, nor their lines in the case history.
    let intake = user(&s, w.shelter, "intake@s.test", &[Role::Intake]).await;
    let own = open_case(&s, &intake, "Joy", "Okafor", Some("irregular")).await;
    let worker_case = s
        .get_case(&intake, own)
        .await
        .expect("intake reads its case");
    assert_eq!(worker_case.person.migration_status, None);
    assert!(matches!(
        s.permits(&intake, own).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.add_permit(
            &intake,
            own,
            applied("work", "2026-05-02").validate().expect("valid")
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let pid2 = s
        .add_permit(
            &w.supervisor,
            own,
            applied("work", "2026-05-02").validate().expect("valid"),
        )
        .await
        .expect("the supervisor records it");
    assert_ne!(pid, pid2);
    let history = s.case_history(&intake, own).await.expect("history");
    assert!(history.iter().all(|h| !h.field.contains("permit")));
    let history = s.case_history(&w.supervisor, own).await.expect("history");
    assert!(history.iter().any(|h| h.field == "migration_status.permit"));

    // Another organisation and the consulate: as for a case that does not exist.
    let other = s
        .create_organisation(
            s.operator("test").authority(),
            "Other NGO",
            OrgKind::Ngo,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let stranger = user(&s, other, "w@o.test", &[Role::Caseworker, Role::Supervisor]).await;
    for who in [&stranger, &w.consul] {
        for c in [case, Uuid::now_v7()] {
            assert!(matches!(s.permits(who, c).await, Err(StoreError::NotFound)));
        }
        assert!(matches!(
            s.change_permit_status(
                who,
                case,
                pid,
                change("granted", "2026-06-01").validate().expect("valid")
            )
            .await,
            Err(StoreError::NotFound)
        ));
    }
    // Enforcement: the firewall, whatever its roles.
    let firewall = |r: Result<(), StoreError>| {
        matches!(
            r,
            Err(StoreError::Forbidden(DenyReason::ImmigrationFirewall))
        )
    };
    assert!(firewall(s.permits(&w.officer, case).await.map(|_| ())));
    assert!(firewall(
        s.add_permit(
            &w.officer,
            case,
            applied("work", "2026-05-02").validate().expect("valid")
        )
        .await
        .map(|_| ())
    ));
    assert!(firewall(
        s.change_permit_status(
            &w.officer,
            case,
            pid,
            change("granted", "2026-06-01").validate().expect("valid")
        )
        .await
    ));
    assert_eq!(count(&s, "permits").await, 2);
}

async fn service_of(s: &Store, org: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO directory_services (id, org_id, name, kind, country, sex, ages, created_at, updated_at) \
         VALUES ($1, $2, 'Legal advice', 'legal_aid', 'GB', 'any', 'any', 1, 1)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .execute(s.operator("test").unsafe_raw_pool())
    .await
    .expect("service");
    id
}

async fn a_partner_learns_of_permits_only_with_the_migration_status(s: Store) {
    let w = world(&s).await;
    let case = open_case(&s, &w.worker, "Maricel", "Santos", Some("irregular")).await;
    s.add_permit(
        &w.worker,
        case,
        applied("trafficking_victim", "2026-05-02")
            .validate()
            .expect("valid"),
    )
    .await
    .expect("recorded");
    let partner = s
        .create_organisation(
            s.operator("test").authority(),
            "Legal partner",
            OrgKind::Ngo,
            Country::parse("GB").expect("GB"),
        )
        .await
        .expect("org")
        .id;
    let lawyer = user(&s, partner, "l@p.test", &[Role::Caseworker]).await;
    consent_to_referral(&s, &w.worker, case, partner).await;
    let service = service_of(&s, partner).await;
    let refer = |fields: Vec<ShareField>| NewReferral {
        service_id: service,
        purpose: ConsentPurpose::Referral,
        shared_fields: fields,
        note: None,
        protection_need_id: None,
    };
    let without = s
        .create_referral(&w.worker, case, refer(vec![ShareField::Name]))
        .await
        .expect("referred");
    let with = s
        .create_referral(
            &w.worker,
            case,
            refer(vec![ShareField::Name, ShareField::MigrationStatus]),
        )
        .await
        .expect("referred with the status");
    let shared = s
        .referral(&lawyer, without)
        .await
        .expect("read")
        .shared
        .expect("shared");
    assert!(shared.get("permits").is_none());
    assert!(shared.get("migration_status").is_none());
    let shared = s
        .referral(&lawyer, with)
        .await
        .expect("read")
        .shared
        .expect("shared");
    assert_eq!(shared["migration_status"], "irregular");
    let permits = shared["permits"].as_array().expect("permits shared");
    assert_eq!(permits.len(), 1);
    assert_eq!(permits[0]["kind"], "trafficking_victim");
    assert_eq!(permits[0]["status"], "applied");
    assert!(
        permits[0].get("reference").is_none(),
        "the reference number stays with the case"
    );
    // The case itself, and so its permits, it never reads.
    assert!(matches!(
        s.permits(&lawyer, case).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_permit_is_decided_appealed_renewed_and_its_reminder_follows_on_every_backend() {
    on_every_backend!(a_permit_is_decided_appealed_renewed_and_its_reminder_follows);
}

#[tokio::test]
async fn a_granted_permit_inside_the_reminder_window_is_an_overdue_task_on_every_backend() {
    on_every_backend!(a_granted_permit_inside_the_reminder_window_is_an_overdue_task);
}

#[tokio::test]
async fn bad_dates_and_refused_moves_write_nothing_on_every_backend() {
    on_every_backend!(bad_dates_and_refused_moves_write_nothing);
}

#[tokio::test]
async fn permits_are_sealed_at_rest_on_every_backend() {
    on_every_backend!(sealed_at_rest);
}

#[tokio::test]
async fn only_readers_of_the_migration_status_read_permits_on_every_backend() {
    on_every_backend!(only_readers_of_the_migration_status_read_permits);
}

#[tokio::test]
async fn a_partner_learns_of_permits_only_with_the_migration_status_on_every_backend() {
    on_every_backend!(a_partner_learns_of_permits_only_with_the_migration_status);
}
