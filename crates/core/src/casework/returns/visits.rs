//! A reintegration visit as submitted by the partner in the country of return.

use super::{ITEMS, NOTE_MAX, VisitMonth, incomplete, item_named, vocab};
use crate::ErrorCode;
use crate::casework::calendar::{Day, date_field};
use crate::validate::{Problems, text};

/// A reintegration visit as submitted: which visit, when, every item's answer, a note.
#[derive(Debug, Clone, Default)]
pub struct RawVisit {
    pub month: String,
    pub visited_on: String,
    pub answers: Vec<(String, String)>,
    pub note: String,
}

/// A validated visit: every item of the survey answered once, in the survey's order. The
/// answers and the note are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub month: VisitMonth,
    pub visited_on: Day,
    pub answers: Vec<(String, String)>,
    pub note: Option<String>,
}

impl RawVisit {
    /// Each item must be answered with one of its answers; an answer to an item the survey
    /// lacks is refused (`unknown_indicator`), each on the item's own field
    /// (`answers.<item>`).
    pub fn validate(self) -> Result<NewVisit, Problems> {
        let mut p = Problems::default();
        let month = vocab(
            &mut p,
            "month",
            &self.month,
            VisitMonth::parse,
            VisitMonth::allowed(),
        );
        let visited_on = date_field(&mut p, "visited_on", &self.visited_on, true).flatten();
        for (k, _) in &self.answers {
            if item_named(k.trim()).is_none() {
                p.add(
                    &format!("answers.{}", k.trim()),
                    ErrorCode::UnknownIndicator,
                    "the survey has no such item",
                );
            }
        }
        let mut answers = Vec::with_capacity(ITEMS.len());
        for i in ITEMS {
            let field = format!("answers.{}", i.key);
            let given = self
                .answers
                .iter()
                .rev()
                .find(|(k, _)| k.trim() == i.key)
                .map(|(_, a)| a.trim());
            match given {
                None | Some("") => {
                    p.add(&field, ErrorCode::Required, format!("{field} is required"))
                }
                Some(a) if i.allows(a) => answers.push((i.key.to_string(), a.to_string())),
                Some(_) => {
                    let mut allowed: Vec<&str> = i.answers.to_vec();
                    allowed.extend_from_slice(i.excluded);
                    p.add(
                        &field,
                        ErrorCode::InvalidAnswer,
                        format!("{field} must be one of {}", allowed.join(", ")),
                    )
                }
            }
        }
        let note = text(&mut p, "note", &self.note, false, NOTE_MAX);
        p.finish(())?;
        match (month, visited_on) {
            (Some(month), Some(visited_on)) => Ok(NewVisit {
                month,
                visited_on,
                answers,
                note,
            }),
            _ => Err(incomplete()),
        }
    }
}
