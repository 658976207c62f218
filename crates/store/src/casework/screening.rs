//! Screenings of a case (and red-flag screens taken at the hotline desk, which join the case
//! opened from their report). Answers and results are sealed; the conclusion is readable for
//! queues. A completed screening is never changed: re-screening adds one, so the history is
//! every screening of the case. Indicators found fill the case's HTCDS methods of control and
//! type of exploitation; a supervisor may record identification as a possible victim referring
//! to a screening.

use crate::keys::Field;
use std::collections::{BTreeMap, BTreeSet};

use super::{CaseAccess, bump_version, gate, gate_write, is_supervisor_of, record_history};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::{Actor, Store, StoreError};
use passage_core::DenyReason;
use passage_core::casework::IdentificationStatus;
use passage_core::casework::calendar::Day;
use passage_core::casework::changes::Identification;
use passage_core::policy::Action;
use passage_core::screening::{Answer, Evaluation, Instrument, LANGUAGES, evaluate};
use passage_core::validate::Problems;
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A screening as stored.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Screening {
    pub id: Uuid,
    pub case_id: Option<Uuid>,
    pub report_id: Option<Uuid>,
    pub instrument: String,
    pub instrument_version: String,
    /// The interview language (apart from the staff member's interface language).
    pub language: String,
    /// `in_progress` or `completed`.
    pub status: &'static str,
    pub answers: BTreeMap<String, Answer>,
    /// The result, fixed when the screening was completed.
    pub result: Option<Evaluation>,
    pub created_by: Uuid,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
    pub version: i64,
}

/// A screening as asked for: answers as typed (indicator id → yes, no, unknown or declined).
#[derive(Debug, Clone, Default)]
pub struct NewScreening {
    pub instrument: String,
    pub language: String,
    pub answers: BTreeMap<String, String>,
    /// Finish now (the result is fixed) or keep it in progress to go on later.
    pub complete: bool,
}

const COLUMNS: &str = "id, case_id, report_id, instrument_id, instrument_version, language, status, answers, result, created_by, created_at, updated_at, completed_at, version";

/// Checks typed answers against the instrument: an indicator it does not have, or an answer
/// other than the four, is a problem named after the indicator. An empty answer is no answer.
pub fn parse_answers(
    instrument: &Instrument,
    raw: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Answer>, Problems> {
    let mut p = Problems::default();
    let mut out = BTreeMap::new();
    for (id, value) in raw {
        let field = format!("answers.{id}");
        if instrument.indicator(id).is_none() {
            p.add(
                &field,
                passage_core::ErrorCode::UnknownIndicator,
                format!(
                    "`{id}` is not an indicator of {} version {}",
                    instrument.id, instrument.version
                ),
            );
            continue;
        }
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match Answer::parse(value) {
            Some(a) => {
                out.insert(id.clone(), a);
            }
            None => p.add(
                &field,
                passage_core::ErrorCode::InvalidAnswer,
                format!("answer {}", Answer::allowed()),
            ),
        }
    }
    p.finish(out)
}

fn flatten(answers: &BTreeMap<String, Answer>) -> String {
    let plain: BTreeMap<&str, &str> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    serde_json::to_string(&plain).unwrap_or_else(|_| "{}".into())
}

impl Store {
    fn instrument(&self, id: &str) -> Result<Instrument, StoreError> {
        self.instruments.get(id).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.instruments.all().map(|i| i.id.as_str()).collect();
            StoreError::invalid(
                "instrument",
                passage_core::ErrorCode::UnknownInstrument,
                format!("choose one of: {}", known.join(", ")),
            )
        })
    }

    /// Starts a screening of a case, or records a whole one (`complete`).
    pub async fn create_screening(
        &self,
        actor: &Actor,
        case_id: Uuid,
        new: NewScreening,
    ) -> Result<Screening, StoreError> {
        let instrument = self.instrument(&new.instrument)?;
        let answers = parse_answers(&instrument, &new.answers)?;
        let language = language(&new.language)?;
        let tx = self.begin().await?;
        let (mut tx, case) = gate_write(tx, actor, case_id, "screening.create").await?;
        let id = Uuid::now_v7();
        let result = new
            .complete
            .then(|| evaluate(&instrument, &answers))
            .transpose()
            .map_err(|e| {
                StoreError::invalid(
                    "answers",
                    passage_core::ErrorCode::UnknownIndicator,
                    e.to_string(),
                )
            })?;
        insert(
            &mut tx,
            actor,
            id,
            Some(&case),
            None,
            &instrument,
            &language,
            &answers,
            result.as_ref(),
        )
        .await?;
        if let Some(r) = &result {
            fill_htcds(&mut tx, actor, &case, r).await?;
        }
        tx.audit(actor.event("screening.create", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        self.screening(actor, id).await
    }

    /// Saves more answers to a screening in progress (against the version read), and finishes it
    /// when asked. A finished screening is not changed: screen again instead.
    pub async fn save_screening(
        &self,
        actor: &Actor,
        id: Uuid,
        answers: BTreeMap<String, String>,
        complete: bool,
        version: i64,
    ) -> Result<Screening, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT case_id, instrument_id, instrument_version, status, answers, version FROM screenings WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
        let Some(row) = row else {
            tx.audit(actor.event(
                "screening.save",
                "screening",
                Some(id.to_string()),
                "not_found",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let Some(case_id) = row.try_get::<Option<String>, _>("case_id")? else {
            return Err(StoreError::NotFound);
        };
        let (mut tx, case) = gate_write(tx, actor, parse_uuid(&case_id)?, "screening.save").await?;
        let (instrument_id, stored_version, status, sealed, current): (
            String,
            String,
            String,
            Vec<u8>,
            i64,
        ) = (
            row.try_get("instrument_id")?,
            row.try_get("instrument_version")?,
            row.try_get("status")?,
            row.try_get("answers")?,
            row.try_get("version")?,
        );
        if status == "completed" {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::ScreeningCompleted,
                message: "This screening is finished and stays as it was; start a new screening to screen again.".into(),
            });
        }
        let instrument = self.instrument(&instrument_id)?;
        if instrument.version != stored_version {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::InstrumentChanged,
                message: format!(
                    "{} changed from version {stored_version} to {} since this screening began; start a new screening.",
                    instrument.id, instrument.version
                ),
            });
        }
        let more = parse_answers(&instrument, &answers)?;
        if version != current {
            return Err(StoreError::VersionConflict { current });
        }
        let rid = id.to_string();
        let mut all = read_answers(&tx, &rid, &sealed)?;
        all.extend(more);
        let result = complete
            .then(|| evaluate(&instrument, &all))
            .transpose()
            .map_err(|e| {
                StoreError::invalid(
                    "answers",
                    passage_core::ErrorCode::UnknownIndicator,
                    e.to_string(),
                )
            })?;
        let sealed_answers = tx
            .keys
            .seal_str(Field::ScreeningAnswers, &rid, &flatten(&all))?;
        let sealed_result = result
            .as_ref()
            .map(|r| {
                tx.keys.seal_str(
                    Field::ScreeningResult,
                    &rid,
                    &serde_json::to_string(r).unwrap_or_default(),
                )
            })
            .transpose()?;
        let done = sqlx::query(
            "UPDATE screenings SET answers = $1, result = $2, conclusion = $3, status = $4, updated_at = $5, completed_at = $6, version = version + 1 WHERE id = $7 AND version = $8",
        )
        .bind(sealed_answers)
        .bind(sealed_result)
        .bind(result.as_ref().map(|r| r.conclusion.as_str()))
        .bind(if complete { "completed" } else { "in_progress" })
        .bind(tx.now)
        .bind(complete.then_some(tx.now))
        .bind(&rid)
        .bind(version)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::VersionConflict { current });
        }
        if let Some(r) = &result {
            fill_htcds(&mut tx, actor, &case, r).await?;
        }
        tx.audit(actor.event(
            if complete {
                "screening.complete"
            } else {
                "screening.save"
            },
            "case",
            Some(case.key()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        self.screening(actor, id).await
    }

    /// The screenings of a case, newest first: its screening history.
    pub async fn screenings(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Vec<Screening>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "screening.list").await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM screenings WHERE case_id = $1 ORDER BY created_at DESC, id DESC"
        )))
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let out = rows
            .iter()
            .map(|r| read(&tx, r))
            .collect::<Result<Vec<_>, _>>()?;
        tx.audit(actor.event("screening.list", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One screening of a case the actor may read.
    pub async fn screening(&self, actor: &Actor, id: Uuid) -> Result<Screening, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM screenings WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        let case_id = match &row {
            Some(r) => r.try_get::<Option<String>, _>("case_id")?,
            None => None,
        };
        let (Some(row), Some(case_id)) = (row, case_id) else {
            tx.audit(actor.event(
                "screening.read",
                "screening",
                Some(id.to_string()),
                "not_found",
            ))
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let (mut tx, case) = gate(
            tx,
            actor,
            parse_uuid(&case_id)?,
            Action::ReadCase,
            "screening.read",
        )
        .await?;
        let out = read(&tx, &row)?;
        tx.audit(actor.event("screening.read", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A supervisor of the case's organisation records identification as a possible victim,
    /// referring to a completed screening. Returns the case's new version.
    pub async fn identify_from_screening(
        &self,
        actor: &Actor,
        id: Uuid,
        case_version: Option<i64>,
    ) -> Result<i64, StoreError> {
        let screening = self.screening(actor, id).await?;
        let Some(result) = &screening.result else {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::ScreeningInProgress,
                message: "Finish the screening before recording identification from it.".into(),
            });
        };
        let case_id = screening.case_id.ok_or(StoreError::NotFound)?;
        {
            let tx = self.begin().await?;
            let (mut tx, case) = gate_write(tx, actor, case_id, "screening.identify").await?;
            if !is_supervisor_of(actor, &case) {
                tx.audit(actor.event("screening.identify", "case", Some(case.key()), "denied"))
                    .await?;
                tx.commit().await?;
                return Err(StoreError::Forbidden(DenyReason::NoGrant));
            }
        }
        let on = self.clock.today();
        let completed = Day::from_unix_ms(screening.completed_at.unwrap_or(screening.created_at));
        let ident = Identification {
            status: IdentificationStatus::PossibleVictim,
            decided_by: format!(
                "Supervisor, on screening {} version {} of {completed} ({})",
                screening.instrument,
                screening.instrument_version,
                result.conclusion.as_str().replace('_', " ")
            ),
            decided_on: on,
            version: case_version,
        };
        self.set_identification_from(actor, case_id, ident, Some(id))
            .await
    }
}

fn language(text: &str) -> Result<String, StoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok("en".into());
    }
    if LANGUAGES.contains(&text) {
        Ok(text.to_string())
    } else {
        Err(StoreError::invalid(
            "language",
            passage_core::ErrorCode::UnsupportedLanguage,
            format!("interview language must be one of {}", LANGUAGES.join(", ")),
        ))
    }
}

pub(crate) fn read_answers(
    tx: &Tx,
    id: &str,
    sealed: &[u8],
) -> Result<BTreeMap<String, Answer>, StoreError> {
    let text = tx.keys.open_str(Field::ScreeningAnswers, id, sealed)?;
    let plain: BTreeMap<String, String> =
        serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("screening answers"))?;
    Ok(plain
        .into_iter()
        .filter_map(|(k, v)| Answer::parse(&v).map(|a| (k, a)))
        .collect())
}

fn read(tx: &Tx, row: &sqlx::any::AnyRow) -> Result<Screening, StoreError> {
    let id: String = row.try_get("id")?;
    let uuid = |v: Option<String>| v.map(|s| parse_uuid(&s)).transpose();
    let status: String = row.try_get("status")?;
    let result = row
        .try_get::<Option<Vec<u8>>, _>("result")?
        .map(|b| tx.keys.open_str(Field::ScreeningResult, &id, &b))
        .transpose()?
        .map(|t| {
            serde_json::from_str::<Evaluation>(&t)
                .map_err(|_| StoreError::Corrupt("screening result"))
        })
        .transpose()?;
    Ok(Screening {
        case_id: uuid(row.try_get("case_id")?)?,
        report_id: uuid(row.try_get("report_id")?)?,
        instrument: row.try_get("instrument_id")?,
        instrument_version: row.try_get("instrument_version")?,
        language: row.try_get("language")?,
        status: if status == "completed" {
            "completed"
        } else {
            "in_progress"
        },
        answers: read_answers(tx, &id, &row.try_get::<Vec<u8>, _>("answers")?)?,
        result,
        created_by: parse_uuid(&row.try_get::<String, _>("created_by")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        completed_at: row.try_get("completed_at")?,
        version: row.try_get("version")?,
        id: parse_uuid(&id)?,
    })
}

/// Inserts a screening for a case or a report.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    case: Option<&CaseAccess>,
    report: Option<Uuid>,
    instrument: &Instrument,
    language: &str,
    answers: &BTreeMap<String, Answer>,
    result: Option<&Evaluation>,
) -> Result<(), StoreError> {
    let rid = id.to_string();
    let sealed_answers = tx
        .keys
        .seal_str(Field::ScreeningAnswers, &rid, &flatten(answers))?;
    let sealed_result = result
        .map(|r| {
            tx.keys.seal_str(
                Field::ScreeningResult,
                &rid,
                &serde_json::to_string(r).unwrap_or_default(),
            )
        })
        .transpose()?;
    sqlx::query(
        "INSERT INTO screenings (id, case_id, report_id, org_id, instrument_id, instrument_version, language, status, answers, result, conclusion, created_by, created_at, updated_at, completed_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, 1)",
    )
    .bind(&rid)
    .bind(case.map(|c| c.key()))
    .bind(report.map(|r| r.to_string()))
    .bind(actor.org_id().to_string())
    .bind(&instrument.id)
    .bind(&instrument.version)
    .bind(language)
    .bind(if result.is_some() { "completed" } else { "in_progress" })
    .bind(sealed_answers)
    .bind(sealed_result)
    .bind(result.map(|r| r.conclusion.as_str()))
    .bind(actor.user_id().to_string())
    .bind(tx.now)
    .bind(result.map(|_| tx.now))
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

fn split(v: Option<String>) -> BTreeSet<String> {
    v.unwrap_or_default()
        .split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Adds what a result found to the case's HTCDS methods of control and type of exploitation,
/// recording the change in the case's history. Nothing already there is removed.
pub(crate) async fn fill_htcds(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseAccess,
    result: &Evaluation,
) -> Result<(), StoreError> {
    if result.methods_of_control.is_empty() && result.type_of_exploitation.is_empty() {
        return Ok(());
    }
    let (methods, types): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT methods_of_control, type_of_exploitation FROM cases WHERE id = $1")
            .bind(case.key())
            .fetch_one(&mut *tx.tx)
            .await?;
    let mut changed = false;
    for (field, old, found) in [
        ("methods_of_control", methods, &result.methods_of_control),
        ("type_of_exploitation", types, &result.type_of_exploitation),
    ] {
        let mut all = split(old.clone());
        all.extend(found.iter().cloned());
        let new = all.into_iter().collect::<Vec<_>>().join(";");
        if old.as_deref().unwrap_or("") != new {
            changed = true;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE cases SET {field} = $1 WHERE id = $2"
            )))
            .bind(&new)
            .bind(case.key())
            .execute(&mut *tx.tx)
            .await?;
            record_history(tx, actor, case, field, old.as_deref(), Some(&new)).await?;
        }
    }
    if changed {
        bump_version(tx, case, case.version()).await?;
    }
    Ok(())
}

/// What the desk's red-flag screen answered, checked and evaluated.
pub(crate) type DeskScreen = (Instrument, String, BTreeMap<String, Answer>, Evaluation);

impl Store {
    /// Checks a red-flag screen taken at the hotline desk; nothing answered is no screen.
    pub(crate) fn hotline_screen(&self, new: NewScreening) -> Result<DeskScreen, StoreError> {
        let instrument = self.instrument(&new.instrument)?;
        let answers = parse_answers(&instrument, &new.answers)?;
        let result = evaluate(&instrument, &answers).map_err(|e| {
            StoreError::invalid(
                "answers",
                passage_core::ErrorCode::UnknownIndicator,
                e.to_string(),
            )
        })?;
        Ok((instrument, language(&new.language)?, answers, result))
    }

    /// The red-flag screens of a report the actor may read.
    pub async fn report_screenings(
        &self,
        actor: &Actor,
        report_id: Uuid,
    ) -> Result<Vec<Screening>, StoreError> {
        self.get_report(actor, report_id).await?;
        let mut tx = self.begin().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM screenings WHERE report_id = $1 ORDER BY created_at DESC, id DESC"
        )))
        .bind(report_id.to_string())
        .fetch_all(&mut *tx.tx)
        .await?;
        let out = rows
            .iter()
            .map(|r| read(&tx, r))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit().await?;
        Ok(out)
    }
}

/// A report joins a case: its screenings become the case's, and what they found fills the
/// case's HTCDS fields (the history records it as the change of whoever linked the report).
pub(crate) async fn adopt(tx: &mut Tx, report_id: Uuid, case_id: Uuid) -> Result<(), StoreError> {
    let rows =
        sqlx::query("SELECT id, result FROM screenings WHERE report_id = $1 AND case_id IS NULL")
            .bind(report_id.to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut methods = BTreeSet::new();
    let mut types = BTreeSet::new();
    // The screenings become the case's: their answers and results move under the data key of
    // the case's person, so erasing the person erases them too.
    let (person,): (String,) = sqlx::query_as("SELECT person_id FROM cases WHERE id = $1")
        .bind(case_id.to_string())
        .fetch_one(&mut *tx.tx)
        .await?;
    let pk = tx.person_key_for_write(&person).await?;
    let sealed =
        sqlx::query("SELECT id, answers FROM screenings WHERE report_id = $1 AND case_id IS NULL")
            .bind(report_id.to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
    for row in &sealed {
        let id: String = row.try_get("id")?;
        let answers: Vec<u8> = row.try_get("answers")?;
        let plain = tx.keys.open(Field::ScreeningAnswers, &id, &answers)?;
        let answers = tx
            .keys
            .seal_for(&pk, Field::ScreeningAnswers, &id, &plain)?;
        sqlx::query("UPDATE screenings SET answers = $1 WHERE id = $2")
            .bind(answers)
            .bind(&id)
            .execute(&mut *tx.tx)
            .await?;
    }
    for row in &rows {
        let id: String = row.try_get("id")?;
        if let Some(b) = row.try_get::<Option<Vec<u8>>, _>("result")? {
            let plain = tx.keys.open(Field::ScreeningResult, &id, &b)?;
            let result = tx.keys.seal_for(&pk, Field::ScreeningResult, &id, &plain)?;
            sqlx::query("UPDATE screenings SET result = $1 WHERE id = $2")
                .bind(result)
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
            let text =
                String::from_utf8(plain).map_err(|_| StoreError::Corrupt("screening result"))?;
            let r: Evaluation =
                serde_json::from_str(&text).map_err(|_| StoreError::Corrupt("screening result"))?;
            methods.extend(r.methods_of_control);
            types.extend(r.type_of_exploitation);
        }
    }
    sqlx::query("UPDATE screenings SET case_id = $1 WHERE report_id = $2 AND case_id IS NULL")
        .bind(case_id.to_string())
        .bind(report_id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    let (old_m, old_t): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT methods_of_control, type_of_exploitation FROM cases WHERE id = $1")
            .bind(case_id.to_string())
            .fetch_one(&mut *tx.tx)
            .await?;
    let join = |old: Option<String>, found: &BTreeSet<String>| {
        let mut all = split(old);
        all.extend(found.iter().cloned());
        all.into_iter().collect::<Vec<_>>().join(";")
    };
    sqlx::query("UPDATE cases SET methods_of_control = $1, type_of_exploitation = $2, version = version + 1, updated_at = $3 WHERE id = $4")
        .bind(join(old_m, &methods))
        .bind(join(old_t, &types))
        .bind(tx.now)
        .bind(case_id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}
