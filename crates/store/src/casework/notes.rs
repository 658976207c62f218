//! Case notes: append-only, body sealed, each with a confidentiality that narrows who reads it
//! (`passage_core::casework::notes`). A note its reader may not see is left out of the list
//! entirely and never unsealed: nothing tells that it exists.

use super::{CaseAccess, gate, is_supervisor_of};
use crate::auth::parse_uuid;
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::CaseType;
use passage_core::casework::Confidentiality;
use passage_core::casework::notes::{
    NewNote, NoteReader, default_confidentiality, may_read_note, may_write_note,
};
use passage_core::casework::person::decode_vulnerabilities;
use passage_core::policy::{Action, decide};
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// A note as an allowed reader sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Note {
    pub id: Uuid,
    pub case_id: Uuid,
    pub confidentiality: Confidentiality,
    pub body: String,
    pub author_id: Uuid,
    pub author_name: String,
    pub created_at: i64,
}

/// How the actor meets a note of this case.
fn reader(actor: &Actor, case: &CaseAccess, author: Uuid) -> NoteReader {
    NoteReader {
        reads_case: decide(actor.principal(), Action::ReadCase, case.relation()).is_allowed(),
        in_case_org: actor.org_id() == case.org_id(),
        is_author: actor.user_id() == author,
        supervises_case_org: is_supervisor_of(actor, case),
    }
}

impl Store {
    /// The confidentiality a new note on this case starts at
    /// (`passage_core::casework::notes::default_confidentiality`): on a case of gender-based or
    /// xenophobic violence, or of a survivor of gender-based violence, the most protective level
    /// the actor may write. The person's vulnerabilities are unsealed only to decide; one that
    /// cannot be read counts as not recorded.
    pub async fn note_default_confidentiality(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<Confidentiality, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "note.default").await?;
        let types: Vec<CaseType> =
            sqlx::query_as::<_, (String,)>("SELECT case_type FROM case_types WHERE case_id = $1")
                .bind(case.key())
                .fetch_all(&mut *tx.tx)
                .await?
                .into_iter()
                .filter_map(|(t,)| CaseType::parse(&t))
                .collect();
        let pid = case.person_id().to_string();
        let sealed: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT vulnerabilities FROM persons WHERE id = $1")
                .bind(&pid)
                .fetch_optional(&mut *tx.tx)
                .await?;
        let vulns = sealed
            .and_then(|(v,)| v)
            .and_then(|b| {
                tx.keys
                    .open_str(Field::PersonVulnerabilities, &pid, &b)
                    .ok()
            })
            .map(|v| decode_vulnerabilities(&v))
            .unwrap_or_default();
        let level = default_confidentiality(&types, &vulns, reader(actor, &case, actor.user_id()));
        tx.audit(actor.event("note.default", "case", Some(case.key()), "ok"))
            .await?;
        tx.commit().await?;
        Ok(level)
    }

    /// Adds a note to a case. The writer may choose only a confidentiality they could read
    /// back.
    pub async fn add_note(
        &self,
        actor: &Actor,
        case_id: Uuid,
        note: NewNote,
    ) -> Result<Note, StoreError> {
        let NewNote { level, body } = note;
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::UpdateCase, "note.create").await?;
        if !may_write_note(level, reader(actor, &case, actor.user_id())) {
            return Err(StoreError::Rule {
                code: passage_core::ErrorCode::ConfidentialityNotAllowed,
                message: format!(
                    "A {level} note could not be read by your organisation on this case; choose normal or sensitive."
                ),
            });
        }
        let id = Uuid::now_v7();
        let key = id.to_string();
        // Under the person's data key: erasing the person leaves it unreadable in backups too.
        let pk = tx
            .person_key_for_write(&case.person_id().to_string())
            .await?;
        let sealed = tx.keys.seal_str_for(&pk, Field::NoteBody, &key, &body)?;
        sqlx::query(
            "INSERT INTO notes (id, case_id, confidentiality, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&key)
        .bind(case.key())
        .bind(level.as_str())
        .bind(sealed)
        .bind(actor.user_id().to_string())
        .bind(tx.now)
        .execute(&mut *tx.tx)
        .await?;
        tx.audit(actor.event("note.create", "note", Some(key), "ok"))
            .await?;
        let (author_name,): (String,) =
            sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
                .bind(actor.user_id().to_string())
                .fetch_one(&mut *tx.tx)
                .await?;
        let note = Note {
            id,
            case_id,
            confidentiality: level,
            body,
            author_id: actor.user_id(),
            author_name,
            created_at: tx.now,
        };
        tx.commit().await?;
        Ok(note)
    }

    /// The notes of a case the actor may read, newest first. Each note read is audited.
    pub async fn list_notes(&self, actor: &Actor, case_id: Uuid) -> Result<Vec<Note>, StoreError> {
        let tx = self.begin().await?;
        let (mut tx, case) = gate(tx, actor, case_id, Action::ReadCase, "note.list").await?;
        let rows = sqlx::query(
            "SELECT n.id, n.confidentiality, n.body, n.created_by, u.display_name, n.created_at \
             FROM notes n JOIN users u ON u.id = n.created_by WHERE n.case_id = $1 \
             ORDER BY n.created_at DESC, n.id DESC",
        )
        .bind(case.key())
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut notes = Vec::new();
        for row in &rows {
            let level = Confidentiality::parse(&row.try_get::<String, _>("confidentiality")?)
                .ok_or(StoreError::Corrupt("confidentiality"))?;
            let author = parse_uuid(&row.try_get::<String, _>("created_by")?)?;
            if !may_read_note(level, reader(actor, &case, author)) {
                continue;
            }
            let id: String = row.try_get("id")?;
            notes.push(Note {
                id: parse_uuid(&id)?,
                case_id,
                confidentiality: level,
                body: tx.keys.open_str(
                    Field::NoteBody,
                    &id,
                    &row.try_get::<Vec<u8>, _>("body")?,
                )?,
                author_id: author,
                author_name: row.try_get("display_name")?,
                created_at: row.try_get("created_at")?,
            });
        }
        let mut events = vec![actor.event("note.list", "case", Some(case.key()), "ok")];
        events.extend(
            notes
                .iter()
                .map(|n| actor.event("note.read", "note", Some(n.id.to_string()), "ok")),
        );
        tx.audit_many(&events).await?;
        tx.commit().await?;
        Ok(notes)
    }
}
