//! A monitoring visit: a monitor's visit to a detention centre or a forced-return operation,
//! with the place (an institution or an operation, not a person), the day, and the findings
//! the store seals. Incidents seen during the visit are recorded as incidents linked to it.

use super::incidents::occurred;
use crate::ErrorCode;
use crate::casework::calendar::Day;
use crate::validate::{NARRATIVE_MAX, Problems, text};
use crate::vocab::vocabulary;

vocabulary! {
    /// What was visited.
    VisitKind {
        DetentionVisit => "detention_visit",
        ReturnMonitoring => "return_monitoring",
    }
}

pub const PLACE_NAME_MAX: usize = 200;

/// A visit as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawVisit {
    pub kind: String,
    pub place_name: String,
    pub visited_on: String,
    pub findings: String,
}

/// A validated visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub kind: VisitKind,
    pub place_name: String,
    pub visited_on: Day,
    pub findings: String,
}

impl RawVisit {
    /// Validates a visit against `today` (UTC): every problem at once.
    pub fn validate(&self, today: Day) -> Result<NewVisit, Problems> {
        let mut p = Problems::default();
        let kind = match self.kind.trim() {
            "" => {
                p.add("kind", ErrorCode::Required, "kind is required");
                None
            }
            k => VisitKind::parse(k).or_else(|| {
                p.add(
                    "kind",
                    ErrorCode::UnknownValue,
                    format!("kind must be one of: {}", VisitKind::allowed()),
                );
                None
            }),
        };
        let place_name = text(&mut p, "place_name", &self.place_name, true, PLACE_NAME_MAX);
        let visited_on = occurred(&mut p, "visited_on", &self.visited_on, today);
        let findings = text(&mut p, "findings", &self.findings, true, NARRATIVE_MAX);
        match (kind, place_name, visited_on, findings) {
            (Some(kind), Some(place_name), Some(visited_on), Some(findings)) if p.0.is_empty() => {
                Ok(NewVisit {
                    kind,
                    place_name,
                    visited_on,
                    findings,
                })
            }
            _ => Err(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_needs_its_kind_place_past_day_and_findings() {
        let today = Day::parse("2026-06-01").expect("day");
        let ok = RawVisit {
            kind: "detention_visit".into(),
            place_name: "Harbour Removal Centre".into(),
            visited_on: "2026-05-30".into(),
            findings: "Overcrowded rooms; no interpreter at medical checks.".into(),
        };
        assert_eq!(
            ok.validate(today).expect("valid").kind,
            VisitKind::DetentionVisit
        );
        let p = RawVisit {
            kind: "picnic".into(),
            visited_on: "2026-06-02".into(),
            ..Default::default()
        }
        .validate(today)
        .expect_err("bad");
        let got: Vec<(&str, ErrorCode)> = p.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("kind", ErrorCode::UnknownValue),
                ("place_name", ErrorCode::Required),
                ("visited_on", ErrorCode::InTheFuture),
                ("findings", ErrorCode::Required),
            ]
        );
    }
}
