//! A hearing as submitted, and a change to it (moved or cancelled).

use super::{HearingKind, SHORT_MAX, incomplete, vocab};
use crate::casework::calendar::{Day, date_field};
use crate::validate::{Problems, text};

/// A hearing as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawHearing {
    pub date: String,
    pub time: String,
    pub kind: String,
    pub place: String,
}

/// A validated hearing. The place is sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHearing {
    pub date: Day,
    /// HH:MM, 24 hours.
    pub time: Option<String>,
    pub kind: HearingKind,
    pub place: Option<String>,
}

/// How many days before a hearing its preparation task is due.
pub const HEARING_TASK_DAYS_BEFORE: i64 = 7;

impl NewHearing {
    /// The day the hearing's preparation task is due.
    pub fn task_due(&self) -> Day {
        self.date.plus_days(-HEARING_TASK_DAYS_BEFORE)
    }
}

fn time_of_day(p: &mut Problems, field: &str, value: &str) -> Option<Option<String>> {
    let v = value.trim();
    if v.is_empty() {
        return Some(None);
    }
    let ok = v.len() == 5
        && v.as_bytes()[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && v[..2]
            .bytes()
            .chain(v[3..].bytes())
            .all(|b| b.is_ascii_digit());
    if ok {
        Some(Some(v.to_string()))
    } else {
        p.add(
            field,
            crate::ErrorCode::InvalidValue,
            format!("{field} must be a time written HH:MM"),
        );
        None
    }
}

impl RawHearing {
    pub fn validate(self) -> Result<NewHearing, Problems> {
        let mut p = Problems::default();
        let date = date_field(&mut p, "date", &self.date, true).flatten();
        let time = time_of_day(&mut p, "time", &self.time);
        let kind = vocab(
            &mut p,
            "kind",
            &self.kind,
            HearingKind::parse,
            HearingKind::allowed(),
        );
        let place = text(&mut p, "place", &self.place, false, SHORT_MAX);
        p.finish(())?;
        match (date, time, kind) {
            (Some(date), Some(time), Some(kind)) => Ok(NewHearing {
                date,
                time,
                kind,
                place,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// A hearing moved (to a new date and time) or cancelled, as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawHearingChange {
    pub date: String,
    pub time: String,
    pub cancelled: bool,
}

/// A validated change to a hearing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HearingChange {
    Moved { date: Day, time: Option<String> },
    Cancelled,
}

impl RawHearingChange {
    pub fn validate(self) -> Result<HearingChange, Problems> {
        if self.cancelled {
            return Ok(HearingChange::Cancelled);
        }
        let mut p = Problems::default();
        let date = date_field(&mut p, "date", &self.date, true).flatten();
        let time = time_of_day(&mut p, "time", &self.time);
        p.finish(())?;
        match (date, time) {
            (Some(date), Some(time)) => Ok(HearingChange::Moved { date, time }),
            _ => Err(incomplete()),
        }
    }
}
