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

use super::protection::{firewall, needs_of};
use super::{CaseAccess, gate, gate_write, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::casework::calendar::Day;
use passage_core::casework::person::decode_languages;
use passage_core::casework::returns::{
    ChoiceFacts, DocumentStatus, FamilyWilling, NewChoice, NewFamily, NewJourney, NewRisk,
    NewVisit, ReturnChoice, ReturnRisk, VisitMonth, decode_answers, encode_answers,
    informed_in_own_language, may_plan, non_refoulement,
};
use passage_core::policy::Action;
use passage_core::referrals::ReferralStatus;
use passage_core::{Country, ErrorCode, OrgKind};
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

async fn latest_choice(tx: &mut Tx, case: &CaseAccess) -> Result<Option<ChoiceFacts>, StoreError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT choice, voluntary FROM return_choices WHERE case_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(case.key())
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.map(|(c, v)| {
        Ok(ChoiceFacts {
            choice: ReturnChoice::parse(&c).ok_or(StoreError::Corrupt("return choice"))?,
            voluntary: v != 0,
        })
    })
    .transpose()
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

/// The referral `rid` of this case, with its receiver's kind and country; `None` if the
/// referral is not one of this case.
async fn referral_of_case(
    tx: &mut Tx,
    case: &CaseAccess,
    rid: Uuid,
) -> Result<Option<(OrgKind, String)>, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT o.kind, o.country FROM referrals r JOIN organisations o ON o.id = r.to_org \
         WHERE r.id = $1 AND r.case_id = $2",
    )
    .bind(rid.to_string())
    .bind(case.key())
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.map(|(k, c)| {
        Ok((
            OrgKind::parse(&k).ok_or(StoreError::Corrupt("organisation kind"))?,
            c,
        ))
    })
    .transpose()
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

async fn visits_on(tx: &mut Tx, rid: &str) -> Result<Vec<VisitRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, month, visited_on, answers, note, created_at FROM reintegration_visits \
         WHERE referral_id = $1 ORDER BY visited_on, created_at, id",
    )
    .bind(rid)
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id")?;
        let answers = tx.keys.open_str(
            Field::ReintegrationVisitAnswers,
            &id,
            &r.try_get::<Vec<u8>, _>("answers")?,
        )?;
        out.push(VisitRecord {
            month: VisitMonth::parse(&r.try_get::<String, _>("month")?)
                .ok_or(StoreError::Corrupt("visit month"))?,
            visited_on: day(&r.try_get::<String, _>("visited_on")?)?,
            answers: decode_answers(&answers).ok_or(StoreError::Corrupt("visit answers"))?,
            note: open_opt(tx, Field::ReintegrationVisitNote, &id, r.try_get("note")?)?,
            recorded_at: r.try_get("created_at")?,
            id: parse_uuid(&id)?,
        });
    }
    Ok(out)
}

/// The hand-over referral `rid` as its receiver may work on it: the actor's organisation is
/// the receiver, the referral is accepted, its access has not ended, and a return names it as
/// its hand-over. Returns the arrival date of that return's journey plan.
async fn partner_gate(
    tx: &mut Tx,
    actor: &Actor,
    rid: &str,
) -> Result<Option<Option<String>>, StoreError> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT t.arrival_on FROM referrals r JOIN returns t ON t.handover_referral_id = r.id \
         WHERE r.id = $1 AND r.to_org = $2 AND r.status = 'accepted' AND r.access_ended_at IS NULL",
    )
    .bind(rid)
    .bind(actor.org_id().to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    Ok(row.map(|(a,)| a))
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

    /// Records a risk the person would face on return. Returns its id.
    pub async fn add_return_risk(
        &self,
        actor: &Actor,
        case_id: Uuid,
        r: NewRisk,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "return.risk").await?;
        let id = Uuid::now_v7();
        let key = id.to_string();
        let note = r
            .note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::ReturnRiskNote, &key, n))
            .transpose()?;
        sqlx::query(
            "INSERT INTO return_risks (id, case_id, risk, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(r.risk.as_str())
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.risk",
            None,
            Some(r.risk.as_str()),
        )
        .await?;
        tx.audit(actor.event("return.risk", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the family assessment (replacing the previous one).
    pub async fn set_return_family(
        &self,
        actor: &Actor,
        case_id: Uuid,
        f: NewFamily,
    ) -> Result<(), StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "return.family").await?;
        ensure_row(&mut tx, actor, &case).await?;
        let key = case.key();
        let note = f
            .note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::ReturnFamilyNote, &key, n))
            .transpose()?;
        sqlx::query(
            "UPDATE returns SET family_willing = $1, family_note = $2, updated_by = $3, updated_at = $4 \
             WHERE case_id = $5",
        )
        .bind(f.willing.as_str())
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.family",
            None,
            Some(f.willing.as_str()),
        )
        .await?;
        tx.audit(actor.event("return.family", "case", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the person's informed choice. The language must be one of the person's
    /// languages (`invalid_value` on `language` otherwise). Returns its id.
    pub async fn record_return_choice(
        &self,
        actor: &Actor,
        case_id: Uuid,
        c: NewChoice,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, "return.choice").await?;
        let languages = person_languages(&mut tx, &case).await?;
        if !informed_in_own_language(&c.language, &languages) {
            let e = StoreError::invalid(
                "language",
                ErrorCode::InvalidValue,
                "language must be one of the person's languages",
            );
            return refuse(tx, actor, "return.choice", "case", case.key(), e).await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let language = tx
            .keys
            .seal_str(Field::ReturnChoiceLanguage, &key, &c.language)?;
        let words = c
            .own_words
            .as_deref()
            .map(|w| tx.keys.seal_str(Field::ReturnChoiceWords, &key, w))
            .transpose()?;
        sqlx::query(
            "INSERT INTO return_choices (id, case_id, language, informed_on, interpreter, choice, voluntary, own_words, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(language)
        .bind(c.informed_on.to_string())
        .bind(i64::from(c.interpreter))
        .bind(c.choice.as_str())
        .bind(i64::from(c.voluntary))
        .bind(words)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.choice",
            None,
            Some(c.choice.as_str()),
        )
        .await?;
        tx.audit(actor.event("return.choice", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Writes the journey plan. Refused with `return_not_chosen` unless the latest choice is a
    /// voluntary return, and with `non_refoulement` when a protection need of the person lists
    /// the country; both refusals are audited and write nothing.
    pub async fn set_return_journey(
        &self,
        actor: &Actor,
        case_id: Uuid,
        j: NewJourney,
    ) -> Result<(), StoreError> {
        let action = "return.journey";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        if let Err(code) = may_plan(latest_choice(&mut tx, &case).await?) {
            let e = StoreError::Rule {
                code,
                message: "A return plan goes ahead only when the person's latest choice is to return, made voluntarily.".into(),
            };
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        let needs = needs_of(&mut tx, &case.key()).await?;
        if let Err(country) = non_refoulement(&needs, j.country) {
            let e = StoreError::Rule {
                code: ErrorCode::NonRefoulement,
                message: format!(
                    "The person has international protection needs concerning {country}: no return is planned there."
                ),
            };
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        ensure_row(&mut tx, actor, &case).await?;
        let key = case.key();
        let k = tx.keys.clone();
        let legs = j
            .legs
            .as_deref()
            .map(|l| k.seal_str(Field::ReturnLegs, &key, l))
            .transpose()?;
        let reception = j
            .reception
            .as_deref()
            .map(|l| k.seal_str(Field::ReturnReception, &key, l))
            .transpose()?;
        sqlx::query(
            "UPDATE returns SET country = $1, departure_on = $2, legs = $3, escort = $4, reception = $5, \
             arrival_on = $6, updated_by = $7, updated_at = $8 WHERE case_id = $9",
        )
        .bind(k.seal_str(Field::ReturnCountry, &key, j.country.as_str())?)
        .bind(j.departure_on.to_string())
        .bind(legs)
        .bind(i64::from(j.escort))
        .bind(reception)
        .bind(j.arrival_on.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        record_history(&mut tx, actor, &case, "return.journey", None, None).await?;
        tx.audit(actor.event(action, "case", Some(key), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that travel documents were asked of a consulate through referral
    /// `referral_id`, a referral of this case to a consulate made through the referral network
    /// (`invalid_value` on `referral_id` otherwise). The document status starts `requested`.
    pub async fn link_travel_documents(
        &self,
        actor: &Actor,
        case_id: Uuid,
        referral_id: Uuid,
    ) -> Result<(), StoreError> {
        let action = "return.documents";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let to = referral_of_case(&mut tx, &case, referral_id).await?;
        if !matches!(to, Some((OrgKind::Consulate, _))) {
            let e = StoreError::invalid(
                "referral_id",
                ErrorCode::InvalidValue,
                "referral_id must be a referral of this case to a consulate",
            );
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        ensure_row(&mut tx, actor, &case).await?;
        sqlx::query(
            "UPDATE returns SET documents_referral_id = $1, document_status = $2, updated_by = $3, \
             updated_at = $4 WHERE case_id = $5",
        )
        .bind(referral_id.to_string())
        .bind(DocumentStatus::Requested.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(case.key())
        .execute(&mut *tx.tx)
        .await?;
        record_history(
            &mut tx,
            actor,
            &case,
            "return.documents",
            None,
            Some(DocumentStatus::Requested.as_str()),
        )
        .await?;
        tx.audit(actor.event(action, "referral", Some(referral_id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records where the travel documents stand; needs the consulate referral first
    /// (`invalid_value` on `status` otherwise).
    pub async fn set_document_status(
        &self,
        actor: &Actor,
        case_id: Uuid,
        status: DocumentStatus,
    ) -> Result<(), StoreError> {
        let action = "return.document_status";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let done = sqlx::query(
            "UPDATE returns SET document_status = $1, updated_by = $2, updated_at = $3 \
             WHERE case_id = $4 AND documents_referral_id IS NOT NULL",
        )
        .bind(status.as_str())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(case.key())
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            let e = StoreError::invalid(
                "status",
                ErrorCode::InvalidValue,
                "travel documents must first be asked of a consulate through a referral",
            );
            return refuse(tx, actor, action, "case", case.key(), e).await;
        }
        record_history(
            &mut tx,
            actor,
            &case,
            "return.documents",
            None,
            Some(status.as_str()),
        )
        .await?;
        tx.audit(actor.event(action, "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hands reintegration follow-up over to a partner in the country of return through
    /// referral `referral_id`: a referral of this case, across the border, to an organisation
    /// of the journey plan's country (`invalid_value` on `referral_id` otherwise; the journey
    /// plan comes first, since the visits fall due from its arrival date).
    pub async fn link_reintegration_handover(
        &self,
        actor: &Actor,
        case_id: Uuid,
        referral_id: Uuid,
    ) -> Result<(), StoreError> {
        let action = "return.handover";
        let tx = self.begin().await?;
        let (mut tx, case) = own(tx, actor, case_id, true, action).await?;
        let key = case.key();
        let row: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT country FROM returns WHERE case_id = $1")
                .bind(&key)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let country = match row.and_then(|(c,)| c) {
            Some(b) => Some(tx.keys.open_str(Field::ReturnCountry, &key, &b)?),
            None => None,
        };
        let to = referral_of_case(&mut tx, &case, referral_id).await?;
        let ok = match (&country, &to) {
            (Some(c), Some((kind, to_country))) => {
                c == to_country && *kind != OrgKind::ImmigrationEnforcement
            }
            _ => false,
        };
        if !ok {
            let e = StoreError::invalid(
                "referral_id",
                ErrorCode::InvalidValue,
                "referral_id must be a referral of this case to an organisation in the country of return, after the journey plan",
            );
            return refuse(tx, actor, action, "case", key, e).await;
        }
        sqlx::query(
            "UPDATE returns SET handover_referral_id = $1, updated_by = $2, updated_at = $3 WHERE case_id = $4",
        )
        .bind(referral_id.to_string())
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .bind(&key)
        .execute(&mut *tx.tx)
        .await?;
        record_history(&mut tx, actor, &case, "return.handover", None, None).await?;
        tx.audit(actor.event(action, "referral", Some(referral_id.to_string()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether referral `referral_id` is a hand-over of reintegration follow-up that the
    /// actor's organisation may record visits on now (its receiver, accepted, access not
    /// ended), so the referral's page can link to the follow-up. Says nothing of any person.
    pub async fn records_reintegration_on(
        &self,
        actor: &Actor,
        referral_id: Uuid,
    ) -> Result<bool, StoreError> {
        if firewall(actor).is_err() {
            return Ok(false);
        }
        let mut tx = self.begin().await?;
        let open = partner_gate(&mut tx, actor, &referral_id.to_string())
            .await?
            .is_some();
        tx.commit().await?;
        Ok(open)
    }

    /// The partner's side of a hand-over: its referral's arrival date and the visits recorded.
    /// `NotFound` for anyone but the receiver of an accepted hand-over referral whose access
    /// has not ended.
    pub async fn reintegration_follow_up(
        &self,
        actor: &Actor,
        referral_id: Uuid,
    ) -> Result<ReintegrationFollowUp, StoreError> {
        let action = "reintegration.read";
        firewall(actor)?;
        let mut tx = self.begin().await?;
        let rid = referral_id.to_string();
        let Some(arrival) = partner_gate(&mut tx, actor, &rid).await? else {
            return refuse(tx, actor, action, "referral", rid, StoreError::NotFound).await;
        };
        let visits = visits_on(&mut tx, &rid).await?;
        tx.audit(actor.event(action, "referral", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(ReintegrationFollowUp {
            referral_id,
            arrival_on: arrival.as_deref().map(day).transpose()?,
            visits,
        })
    }

    /// The partner records a reintegration visit on its hand-over referral. `NotFound` as
    /// for [`Store::reintegration_follow_up`]; a visit already recorded for that month is
    /// `already_done`. Returns the visit's id.
    pub async fn record_reintegration_visit(
        &self,
        actor: &Actor,
        referral_id: Uuid,
        v: NewVisit,
    ) -> Result<Uuid, StoreError> {
        let action = "reintegration.visit";
        firewall(actor)?;
        let mut tx = self.begin().await?;
        let rid = referral_id.to_string();
        if partner_gate(&mut tx, actor, &rid).await?.is_none() {
            return refuse(tx, actor, action, "referral", rid, StoreError::NotFound).await;
        }
        let taken: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM reintegration_visits WHERE referral_id = $1 AND month = $2",
        )
        .bind(&rid)
        .bind(v.month.as_str())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if taken.is_some() {
            let e = StoreError::Rule {
                code: ErrorCode::AlreadyDone,
                message: "This visit is recorded already.".into(),
            };
            return refuse(tx, actor, action, "referral", rid, e).await;
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        let answers = tx.keys.seal_str(
            Field::ReintegrationVisitAnswers,
            &key,
            &encode_answers(&v.answers),
        )?;
        let note = v
            .note
            .as_deref()
            .map(|n| tx.keys.seal_str(Field::ReintegrationVisitNote, &key, n))
            .transpose()?;
        sqlx::query(
            "INSERT INTO reintegration_visits (id, referral_id, month, visited_on, answers, note, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&key)
        .bind(&rid)
        .bind(v.month.as_str())
        .bind(v.visited_on.to_string())
        .bind(answers)
        .bind(note)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event(action, "referral", Some(rid), "ok"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}
