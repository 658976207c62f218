//! Demo case work on the shelter's cases: needs, a plan fed by them, tasks (one overdue),
//! notes of each confidentiality and services delivered. Dates are relative to the day the
//! demo is seeded, so the overdue task is overdue. Every story is invented.

use anyhow::{Result, anyhow};
use passage_core::casework::calendar::Day;
use passage_store::cases::Page;
use passage_store::casework::needs::NeedInput;
use passage_store::casework::plan::PlanInput;
use passage_store::casework::services::NewService;
use passage_store::casework::tasks::NewTask;
use passage_store::{Actor, Store};

fn day(offset: i64) -> String {
    Day::from_unix_ms(passage_store::now_ms())
        .plus_days(offset)
        .to_string()
}

fn need(domain: &str, urgency: &str, description: &str, met: bool) -> NeedInput {
    NeedInput {
        domain: domain.into(),
        urgency: urgency.into(),
        description: Some(description.into()),
        met,
        version: None,
    }
}

fn task(title: &str, assignee: &Actor, due: i64) -> NewTask {
    NewTask {
        title: title.into(),
        assignee: Some(assignee.user_id().to_string()),
        due_on: day(due),
    }
}

/// Seeds the case work; called once, with the rest of the demo world.
pub async fn seed(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let worker = op.impersonate("caseworker@shelter.demo").await?;
    let supervisor = op.impersonate("supervisor@shelter.demo").await?;
    // The caseworker's demo cases, found by the person's given name.
    let cases = store.list_cases(&worker, None, Page::default()).await?;
    let case_of = |given: &str| {
        cases
            .iter()
            .find(|c| c.person_name.starts_with(given))
            .map(|c| c.id)
            .ok_or_else(|| anyhow!("demo case of {given} not found"))
    };
    let maria = case_of("María José")?;
    let maricel = case_of("Maricel")?;
    let amina = case_of("Amina")?;

    for n in [
        need(
            "safety",
            "high",
            "The employer may look for her; the shelter's address must not be given to anyone.",
            false,
        ),
        need(
            "legal",
            "high",
            "Wage claim for unpaid months; recovery of her passport.",
            false,
        ),
        need(
            "documentation",
            "normal",
            "Passport held by the employer.",
            false,
        ),
        need("shelter", "emergency", "Bed at the shelter.", true),
        need(
            "mental_health_psychosocial",
            "normal",
            "Trouble sleeping; agrees to see a counsellor.",
            false,
        ),
    ] {
        store.upsert_need(&worker, maria, n).await?;
    }
    store
        .upsert_need(
            &worker,
            amina,
            need(
                "family",
                "high",
                "Separated from her aunt during the journey; wants to find her.",
                false,
            ),
        )
        .await?;
    store
        .add_plan_item(
            &worker,
            maria,
            PlanInput {
                domain: Some("legal".into()),
                goal: "Recover her passport and the unpaid wages".into(),
                action: Some(
                    "Letter from the Law Centre to the employer; report to the police if refused."
                        .into(),
                ),
                responsible: Some("Law Centre (duty solicitor)".into()),
                due_on: Some(day(14)),
            },
        )
        .await?;
    store
        .add_plan_item(
            &worker,
            maria,
            PlanInput {
                domain: Some("safety".into()),
                goal: "A safety plan she agrees with".into(),
                action: Some("Go through the safety plan together; review in a week.".into()),
                responsible: Some(supervisor.user_id().to_string()),
                due_on: Some(day(7)),
            },
        )
        .await?;

    store
        .create_task(
            &worker,
            maria,
            task("Call the Law Centre about the wage claim", &worker, -3),
        )
        .await?;
    store
        .create_task(
            &worker,
            maria,
            task(
                "Book a Spanish interpreter for the police interview",
                &worker,
                2,
            ),
        )
        .await?;
    store
        .create_task(
            &worker,
            maria,
            task("Review the risk assessment", &supervisor, 1),
        )
        .await?;
    store
        .create_task(
            &worker,
            amina,
            task(
                "Ask the local authority when the guardian will be appointed",
                &worker,
                5,
            ),
        )
        .await?;

    for (level, body) in [
        (
            "normal",
            "First appointment at the shelter; she has settled in and wants to pursue the wage claim.",
        ),
        (
            "restricted",
            "We are considering a transfer to the partner shelter in the north if the employer finds out where she is.",
        ),
        (
            "sensitive",
            "She disclosed that the recruiter threatened her family at home. She asked that this stays with her caseworker and the supervisor.",
        ),
    ] {
        store.add_note(&worker, maria, note(level, body)?).await?;
    }
    store
        .add_note(
            &worker,
            maricel,
            note(
                "normal",
                "Consular appointment arranged for her passport renewal.",
            )?,
        )
        .await?;

    for (kind, provider, on, note) in [
        (
            "shelter",
            "Safe Harbour Shelter",
            -10,
            Some("Single room on the first floor."),
        ),
        (
            "medical",
            "St Mary's walk-in clinic",
            -6,
            Some("General check-up; follow-up in two weeks."),
        ),
        ("interpretation", "Community interpreters", -6, None),
    ] {
        store
            .record_service(
                &worker,
                maria,
                NewService {
                    service_type: kind.into(),
                    provider: provider.into(),
                    delivered_on: day(on),
                    note: note.map(str::to_string),
                },
            )
            .await?;
    }
    Ok(())
}

/// A demo note, validated as any typed note is.
fn note(
    confidentiality: &str,
    body: &str,
) -> anyhow::Result<passage_core::casework::notes::NewNote> {
    passage_core::casework::notes::RawNote {
        confidentiality,
        body,
    }
    .validate()
    .map_err(|p| anyhow::anyhow!("demo note: {p:?}"))
}
