//! The demo ombudsperson: the Equality and Human Rights Ombudsperson receives the public
//! reports of discrimination and of abuse at borders or in detention, and has taken one up
//! with a removal centre — a question sent and answered, findings, and a recommendation the
//! centre accepted. Every name and story is invented.

use anyhow::Result;
use passage_core::oversight::investigations::{
    RawAnswer, RawFindings, RawFollowUp, RawInvestigation, RawQuestion,
};
use passage_core::reports::RawPublicReport;
use passage_core::{Category, Channel};
use passage_store::Store;

/// The demo ombudsperson's organisation.
pub const OFFICE: &str = "Equality and Human Rights Ombudsperson";
/// Its ombudsperson.
pub const OMBUDSPERSON: &str = "ombudsperson@equality.demo";

/// Routes the categories the office takes up to it (after the world's organisations exist).
pub async fn route(store: &Store) -> Result<()> {
    let op = store.operator("demo");
    let office = store
        .organisation_by_name(OFFICE)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo organisation {OFFICE} missing"))?
        .id;
    for category in [Category::Discrimination, Category::DetentionBorderAbuse] {
        store
            .add_routing_rule(op.authority(), Some(category), None, office)
            .await?;
    }
    Ok(())
}

async fn public_report(store: &Store, lang: &str, category: &str, narrative: &str) -> Result<()> {
    let report = RawPublicReport {
        language: lang.into(),
        category: category.into(),
        narrative: narrative.into(),
        country: Some("GB".into()),
        ..Default::default()
    }
    .validate()
    .map_err(|p| anyhow::anyhow!("demo report invalid: {p:?}"))?;
    store.submit_public_report(report, Channel::WebForm).await?;
    Ok(())
}

/// Two public reports reach the office; the first is taken up and investigated.
pub async fn seed(store: &Store) -> Result<()> {
    let ombuds = store.operator("demo").impersonate(OMBUDSPERSON).await?;
    public_report(
        store,
        "en",
        "detention_border_abuse",
        "I was held at Northgate removal centre for three weeks. Guards pinned my cousin to the floor and he was denied a doctor after.",
    )
    .await?;
    let first = store
        .list_reports(&ombuds, None, 50)
        .await?
        .first()
        .map(|r| r.id)
        .ok_or_else(|| anyhow::anyhow!("the demo report did not reach the ombudsperson"))?;
    public_report(
        store,
        "fr",
        "discrimination",
        "Le propriétaire a refusé de me louer l'appartement quand il a entendu mon accent, et l'a loué le lendemain.",
    )
    .await?;
    let today = store.clock().today();
    let day = |n: i64| today.plus_days(n).to_string();
    let id = store
        .open_investigation(
            &ombuds,
            &RawInvestigation {
                subject_kind: "report".into(),
                subject_id: first.to_string(),
                authority_name: "Northgate Immigration Removal Centre".into(),
                authority_kind: "detention_authority".into(),
                summary: "Force used on a detained man and medical care refused afterwards.".into(),
            },
        )
        .await?;
    let question = store
        .send_investigation_question(
            &ombuds,
            id,
            &RawQuestion {
                text:
                    "Send the use-of-force record and the healthcare log for the night concerned."
                        .into(),
                sent_on: day(-40),
                reply_by: day(-20),
            },
        )
        .await?;
    store
        .answer_investigation_question(
            &ombuds,
            id,
            question,
            &RawAnswer {
                received_on: day(-22),
                text: "The records are enclosed; no doctor was on call that night.".into(),
            },
        )
        .await?;
    store
        .record_investigation_findings(
            &ombuds,
            id,
            &RawFindings {
                outcome: "partly_found".into(),
                text: "The restraint was recorded but not reviewed; medical care was delayed by eleven hours."
                    .into(),
            },
        )
        .await?;
    let recommendation = store
        .add_investigation_recommendation(
            &ombuds,
            id,
            "Review every use of force within 48 hours and keep a doctor on call at night.",
        )
        .await?;
    store
        .follow_up_recommendation(
            &ombuds,
            id,
            recommendation,
            &RawFollowUp {
                state: "accepted".into(),
                on: day(-5),
                note: "The centre accepted and will report on it in three months.".into(),
            },
        )
        .await?;
    Ok(())
}
