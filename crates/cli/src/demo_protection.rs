//! Demo international protection on Maricel Dizon's case (registered by the labour
//! inspectorate's complaints desk): she told the desk she fears return to the Philippines, so
//! a fear-of-return need lists the Philippines, raised by her, with a review planned in three
//! weeks; an attempt to refer her case to the Philippine consulate is then refused by the rule
//! and the refusal is recorded as every refused referral is (the audit, ids only). Maricel
//! Santos's referral to the consulate, made on her consent, is untouched. Every story is
//! invented.

use anyhow::{Result, anyhow};
use passage_core::casework::ConsentPurpose;
use passage_core::casework::protection::RawProtectionNeed;
use passage_store::cases::Page;
use passage_store::casework::referrals::NewReferral;
use passage_store::{Store, StoreError};
use uuid::Uuid;

/// Seeds the need and the refused referral; called once, after the labour data, with the
/// consulate's consular service.
pub async fn seed(store: &Store, consular: Uuid) -> Result<()> {
    let op = store.operator("demo");
    let inspector = op.impersonate("inspector@labour.demo").await?;
    let cases = store
        .list_cases(
            &inspector,
            None,
            Page {
                limit: 200,
                offset: 0,
            },
        )
        .await?;
    let case = cases
        .iter()
        .find(|c| c.person_name.starts_with("Maricel Dizon"))
        .map(|c| c.id)
        .ok_or_else(|| anyhow!("demo case of Maricel Dizon not found"))?;
    let need = RawProtectionNeed {
        kind: "fear_of_return".into(),
        countries: vec!["PH".into()],
        reason: "The agency's local office works with officials at home; she was told her family would pay if she complained.".into(),
        raised_by: "the_person".into(),
        next_review_on: store.clock().today().plus_days(21).to_string(),
    }
    .validate()
    .map_err(|p| anyhow!("demo protection need invalid: {p:?}"))?;
    store.record_protection_need(&inspector, case, need).await?;
    let attempt = NewReferral {
        service_id: consular,
        purpose: ConsentPurpose::Referral,
        shared_fields: Vec::new(),
        note: Some("Asks for a new passport.".into()),
        protection_need_id: None,
    };
    match store.create_referral(&inspector, case, attempt).await {
        Err(StoreError::Rule {
            code: passage_core::ErrorCode::InternationalProtection,
            ..
        }) => Ok(()),
        Err(e) => Err(e.into()),
        Ok(_) => Err(anyhow!(
            "the demo referral to the consulate of the country fled was not refused"
        )),
    }
}
