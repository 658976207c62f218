//! The triage queue as staff read it: each line with an excerpt of the narrative, the place
//! and whether the reporter wrote last (a message nobody has answered yet). Same scope, order
//! and audit as [`Store::list_reports`]; the API's list keeps its own shape.

use super::{ReportListItem, categories};
use crate::keys::Field;
use crate::{Actor, Store, StoreError};
use passage_core::ReportStatus;
use sqlx::Row;

/// Characters of the narrative a triage line shows.
pub const EXCERPT_CHARS: usize = 120;

/// One line of the staff triage page.
#[derive(Debug, Clone)]
pub struct TriageRow {
    pub item: ReportListItem,
    /// The narrative's first [`EXCERPT_CHARS`] characters (an ellipsis when cut).
    pub excerpt: String,
    pub place: Option<String>,
    /// The reporter's message is the last one: staff have not answered it.
    pub awaiting_reply: bool,
    /// The organisation that handed the report over to this one, if it came that way.
    pub handed_over_by: Option<String>,
}

/// The first `max` characters of `text` on one line, with an ellipsis when it was cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = flat.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

impl Store {
    /// The triage queue of the actor's organisation, most urgent first, then oldest first, with
    /// what a person triaging needs to choose the next report.
    pub async fn triage_queue(
        &self,
        actor: &Actor,
        status: Option<ReportStatus>,
        limit: i64,
    ) -> Result<Vec<TriageRow>, StoreError> {
        let (mut tx, rows) = self.queue_rows(actor, status, limit).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let cats = categories(&mut tx, &id).await?;
            let item = self.list_item(row, cats, tx.now)?;
            let k = tx.keys.clone();
            let open = |field: Field, col: &str| -> Result<Option<String>, StoreError> {
                row.try_get::<Option<Vec<u8>>, _>(col)?
                    .map(|b| k.open_str(field, &id, &b))
                    .transpose()
            };
            let narrative = open(Field::ReportNarrative, "narrative")?.unwrap_or_default();
            let place = open(Field::ReportPlace, "place")?.filter(|p| !p.trim().is_empty());
            let last: Option<(String,)> = sqlx::query_as(
                "SELECT author FROM report_messages WHERE report_id = $1 ORDER BY at DESC, id DESC LIMIT 1",
            )
            .bind(&id)
            .fetch_optional(&mut *tx.tx)
            .await?;
            let from: Option<(String,)> = sqlx::query_as(
                "SELECT o.name FROM report_handovers h JOIN organisations o ON o.id = h.from_org \
                 WHERE h.report_id = $1 AND h.to_org = $2 ORDER BY h.at DESC, h.id DESC LIMIT 1",
            )
            .bind(&id)
            .bind(actor.org_id().to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
            out.push(TriageRow {
                handed_over_by: from.map(|(n,)| n),
                item,
                excerpt: excerpt(&narrative, EXCERPT_CHARS),
                place,
                awaiting_reply: last.is_some_and(|(a,)| a == "reporter"),
            });
            tx.audit(actor.event("report.list", "report", Some(id), "ok"))
                .await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn an_excerpt_is_one_line_cut_by_characters_not_bytes() {
        assert_eq!(excerpt("short\n text", 120), "short text");
        let long = "é".repeat(130);
        let cut = excerpt(&long, 120);
        assert_eq!(cut.chars().count(), 121);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("ab", 2), "ab");
        assert_eq!(excerpt("abc", 2), "ab…");
    }
}
