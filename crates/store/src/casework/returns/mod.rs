//! A return that is safe, with the country of origin (issue 17 item 5).
//!
//! Who: the case's own organisation prepares the return (risks, family assessment, the
//! person's choice, travel documents, journey plan, hand-over) behind the case's own access
//! rules, narrowed to that organisation, as tracing is (`tracing`): any other organisation,
//! including a partner the case was referred to, is answered as for a case that does not
//! exist. Immigration enforcement is refused by the firewall before any case is looked at.
//!
//! Two rules of `core::casework::returns` decide whether a journey plan is written: the
//! person's latest choice is a voluntary `return` (`return_not_chosen` otherwise), and the
//! country is none the person's protection needs list (`non_refoulement`). Both refusals are
//! audited and write nothing.
//!
//! Between organisations only referrals of the referral network cross, made and
//! consent-checked there (`referrals`, with the protection rule refusing a consulate of a
//! country the person fled): the return records the id of the referral that asked the
//! consulate for travel documents, and of the cross-border referral that handed reintegration
//! follow-up over. The one new write between organisations is the receiver of that hand-over
//! referral recording the 3/6/12-month visits on it ([`Store::record_reintegration_visit`]):
//! only while the referral is accepted and its access has not ended; every other reader —
//! an outsider, the partner after consent is withdrawn or the referral closed, a referral that
//! is not a hand-over — is `NotFound`, audited with ids only. The visits flow back: the case's
//! return tab reads them.
//!
//! Sealed: notes, the person's own words and the language they were informed in, the country
//! of return, the route legs, the reception on arrival, the survey answers and visit notes.

mod choice;
mod journey;
mod reintegration;

use super::protection::{firewall, needs_of};
use super::{CaseAccess, gate, gate_write};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::Country;
use passage_core::casework::calendar::Day;
use passage_core::casework::person::decode_languages;
use passage_core::casework::returns::{
    DocumentStatus, FamilyWilling, ReturnChoice, ReturnRisk, VisitMonth, non_refoulement,
};
use passage_core::policy::Action;
use passage_core::referrals::ReferralStatus;
use reintegration::visits_on;
use sqlx::Row;
use uuid::Uuid;

/// A risk on return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskRecord {
    pub id: Uuid,
    pub risk: ReturnRisk,
    pub note: Option<String>,
    pub recorded_at: i64,
}

/// A recorded choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceRecord {
    pub id: Uuid,
    pub language: String,
    pub informed_on: Day,
    pub interpreter: bool,
    pub choice: ReturnChoice,
    pub voluntary: bool,
    pub own_words: Option<String>,
    pub recorded_at: i64,
}

/// The journey plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyRecord {
    pub country: Country,
    pub departure_on: Day,
    pub legs: Option<String>,
    pub escort: bool,
    pub reception: Option<String>,
    pub arrival_on: Day,
}

/// A referral the return rests on, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedReferral {
    pub referral_id: Uuid,
    pub organisation_name: String,
    pub status: ReferralStatus,
    /// When and why the receiver's access ended, if it did.
    pub access_ended: bool,
}

/// One reintegration visit, as recorded by the partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRecord {
    pub id: Uuid,
    pub month: VisitMonth,
    pub visited_on: Day,
    pub answers: Vec<(String, String)>,
    pub note: Option<String>,
    pub recorded_at: i64,
}

/// A return as the case's organisation reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReturnView {
    pub risks: Vec<RiskRecord>,
    pub family_willing: Option<FamilyWilling>,
    pub family_note: Option<String>,
    /// Newest first; the first is the one the rule reads.
    pub choices: Vec<ChoiceRecord>,
    pub journey: Option<JourneyRecord>,
    /// A protection need recorded after the plan lists its country: the plan may not go
    /// ahead (non-refoulement), and the page says so.
    pub journey_refused: bool,
    pub documents: Option<LinkedReferral>,
    pub document_status: Option<DocumentStatus>,
    pub handover: Option<LinkedReferral>,
    /// The visits recorded on the hand-over referral, in the order of the visits.
    pub visits: Vec<VisitRecord>,
    /// The person's languages, to choose the one they were informed in.
    pub languages: Vec<String>,
}

/// What the partner in the country of origin reads on its hand-over referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReintegrationFollowUp {
    pub referral_id: Uuid,
    pub arrival_on: Option<Day>,
    pub visits: Vec<VisitRecord>,
}

async fn own(
    tx: Tx,
    actor: &Actor,
    case_id: Uuid,
    write: bool,
    action: &str,
) -> Result<(Tx, CaseAccess), StoreError> {
    firewall(actor)?;
    let (mut tx, case) = if write {
        gate_write(tx, actor, case_id, action).await?
    } else {
        gate(tx, actor, case_id, Action::ReadCase, action).await?
    };
    if case.org_id() != actor.org_id() {
        tx.audit(actor.event(action, "case", Some(case.key()), "refused"))
            .await?;
        tx.commit().await?;
        return Err(StoreError::NotFound);
    }
    Ok((tx, case))
}

async fn refuse<T>(
    mut tx: Tx,
    actor: &Actor,
    action: &str,
    object: &str,
    id: String,
    e: StoreError,
) -> Result<T, StoreError> {
    let outcome = match &e {
        StoreError::NotFound => "not_found",
        StoreError::Rule { code, .. } => code.as_str(),
        _ => "refused",
    };
    tx.audit(actor.event(action, object, Some(id), outcome))
        .await?;
    tx.commit().await?;
    Err(e)
}

fn day(text: &str) -> Result<Day, StoreError> {
    Day::parse(text).ok_or(StoreError::Corrupt("return date"))
}

fn open_opt(tx: &Tx, f: Field, id: &str, b: Option<Vec<u8>>) -> Result<Option<String>, StoreError> {
    b.map(|b| tx.keys.open_str(f, id, &b)).transpose()
}

/// Makes sure the case has its return row, so each step updates one row.
async fn ensure_row(tx: &mut Tx, actor: &Actor, case: &CaseAccess) -> Result<(), StoreError> {
    let exists: Option<(String,)> =
        sqlx::query_as("SELECT case_id FROM returns WHERE case_id = $1")
            .bind(case.key())
            .fetch_optional(&mut *tx.tx)
            .await?;
    if exists.is_none() {
        sqlx::query(
            "INSERT INTO returns (id, case_id, updated_by, updated_at) VALUES ($1, $1, $2, $3)",
        )
        .bind(case.key())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
    }
    Ok(())
}

async fn person_languages(tx: &mut Tx, case: &CaseAccess) -> Result<Vec<String>, StoreError> {
    let pid = case.person_id().to_string();
    let row: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT languages FROM persons WHERE id = $1")
            .bind(&pid)
            .fetch_optional(&mut *tx.tx)
            .await?;
    Ok(match row.and_then(|(b,)| b) {
        Some(b) => decode_languages(&tx.keys.open_str(Field::PersonLanguages, &pid, &b)?),
        None => Vec::new(),
    })
}

async fn linked(tx: &mut Tx, rid: Option<String>) -> Result<Option<LinkedReferral>, StoreError> {
    let Some(rid) = rid else { return Ok(None) };
    let row: Option<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT r.status, o.name, r.access_ended_at FROM referrals r \
         JOIN organisations o ON o.id = r.to_org WHERE r.id = $1",
    )
    .bind(&rid)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let Some((status, name, ended)) = row else {
        return Ok(None);
    };
    Ok(Some(LinkedReferral {
        referral_id: parse_uuid(&rid)?,
        organisation_name: name,
        status: ReferralStatus::parse(&status).ok_or(StoreError::Corrupt("referral status"))?,
        access_ended: ended.is_some(),
    }))
}

impl Store {
    /// The return prepared on a case.
    pub async fn return_view(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<ReturnView, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, false, "return.read").await?;
        let mut view = ReturnView {
            languages: person_languages(&mut tx, &case).await?,
            ..ReturnView::default()
        };
        let risks = sqlx::query(
            "SELECT id, risk, note, created_at FROM return_risks WHERE case_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        for r in risks {
            let id: String = r.try_get("id")?;
            view.risks.push(RiskRecord {
                risk: ReturnRisk::parse(&r.try_get::<String, _>("risk")?)
                    .ok_or(StoreError::Corrupt("return risk"))?,
                note: open_opt(&tx, Field::ReturnRiskNote, &id, r.try_get("note")?)?,
                recorded_at: r.try_get("created_at")?,
                id: parse_uuid(&id)?,
            });
        }
        let choices = sqlx::query(
            "SELECT id, language, informed_on, interpreter, choice, voluntary, own_words, created_at \
             FROM return_choices WHERE case_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        for r in choices {
            let id: String = r.try_get("id")?;
            view.choices.push(ChoiceRecord {
                language: tx.keys.open_str(
                    Field::ReturnChoiceLanguage,
                    &id,
                    &r.try_get::<Vec<u8>, _>("language")?,
                )?,
                informed_on: day(&r.try_get::<String, _>("informed_on")?)?,
                interpreter: r.try_get::<i64, _>("interpreter")? != 0,
                choice: ReturnChoice::parse(&r.try_get::<String, _>("choice")?)
                    .ok_or(StoreError::Corrupt("return choice"))?,
                voluntary: r.try_get::<i64, _>("voluntary")? != 0,
                own_words: open_opt(&tx, Field::ReturnChoiceWords, &id, r.try_get("own_words")?)?,
                recorded_at: r.try_get("created_at")?,
                id: parse_uuid(&id)?,
            });
        }
        let row = sqlx::query(
            "SELECT family_willing, family_note, country, departure_on, legs, escort, reception, \
             arrival_on, documents_referral_id, document_status, handover_referral_id \
             FROM returns WHERE case_id = $1",
        )
        .bind(case.key())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if let Some(r) = row {
            let key = case.key();
            view.family_willing = r
                .try_get::<Option<String>, _>("family_willing")?
                .map(|w| FamilyWilling::parse(&w).ok_or(StoreError::Corrupt("family willing")))
                .transpose()?;
            view.family_note = open_opt(
                &tx,
                Field::ReturnFamilyNote,
                &key,
                r.try_get("family_note")?,
            )?;
            let country = open_opt(&tx, Field::ReturnCountry, &key, r.try_get("country")?)?;
            let departure: Option<String> = r.try_get("departure_on")?;
            let arrival: Option<String> = r.try_get("arrival_on")?;
            if let (Some(c), Some(d), Some(a)) = (country, departure, arrival) {
                view.journey = Some(JourneyRecord {
                    country: Country::parse(&c).ok_or(StoreError::Corrupt("return country"))?,
                    departure_on: day(&d)?,
                    legs: open_opt(&tx, Field::ReturnLegs, &key, r.try_get("legs")?)?,
                    escort: r.try_get::<Option<i64>, _>("escort")?.unwrap_or(0) != 0,
                    reception: open_opt(
                        &tx,
                        Field::ReturnReception,
                        &key,
                        r.try_get("reception")?,
                    )?,
                    arrival_on: day(&a)?,
                });
            }
            view.document_status = r
                .try_get::<Option<String>, _>("document_status")?
                .map(|s| DocumentStatus::parse(&s).ok_or(StoreError::Corrupt("document status")))
                .transpose()?;
            let docs: Option<String> = r.try_get("documents_referral_id")?;
            let handover: Option<String> = r.try_get("handover_referral_id")?;
            view.documents = linked(&mut tx, docs).await?;
            if let Some(h) = &handover {
                view.visits = visits_on(&mut tx, h).await?;
            }
            view.handover = linked(&mut tx, handover).await?;
        }
        if let Some(j) = &view.journey {
            let needs = needs_of(&mut tx, &case.key()).await?;
            view.journey_refused = non_refoulement(&needs, j.country).is_err();
        }
        tx.audit(actor.event("return.read", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(view)
    }
}
