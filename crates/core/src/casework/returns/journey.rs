//! The journey plan as submitted, and where the travel documents stand.

use super::{DocumentStatus, NOTE_MAX, incomplete, vocab};
use crate::casework::calendar::{Day, date_field};
use crate::validate::{Problems, text};
use crate::{Country, ErrorCode};

/// The journey plan as submitted.
#[derive(Debug, Clone, Default)]
pub struct RawJourney {
    pub country: String,
    pub departure_on: String,
    pub legs: String,
    pub escort: bool,
    pub reception: String,
    pub arrival_on: String,
}

/// A validated journey plan; the route legs and the reception on arrival are sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJourney {
    pub country: Country,
    pub departure_on: Day,
    pub legs: Option<String>,
    pub escort: bool,
    pub reception: Option<String>,
    pub arrival_on: Day,
}

impl RawJourney {
    /// Arrival must not come before departure.
    pub fn validate(self) -> Result<NewJourney, Problems> {
        let mut p = Problems::default();
        let country = match Country::parse(self.country.trim()) {
            Some(c) => Some(c),
            None => {
                if self.country.trim().is_empty() {
                    p.add("country", ErrorCode::Required, "country is required");
                } else {
                    p.add(
                        "country",
                        ErrorCode::InvalidCountry,
                        "country must be an ISO 3166 country code",
                    );
                }
                None
            }
        };
        let departure = date_field(&mut p, "departure_on", &self.departure_on, true).flatten();
        let legs = text(&mut p, "legs", &self.legs, false, NOTE_MAX);
        let reception = text(&mut p, "reception", &self.reception, false, NOTE_MAX);
        let arrival = date_field(&mut p, "arrival_on", &self.arrival_on, true).flatten();
        if let (Some(d), Some(a)) = (departure, arrival)
            && a < d
        {
            p.add(
                "arrival_on",
                ErrorCode::InvalidValue,
                "arrival_on must not be before departure_on",
            );
        }
        p.finish(())?;
        match (country, departure, arrival) {
            (Some(country), Some(departure_on), Some(arrival_on)) => Ok(NewJourney {
                country,
                departure_on,
                legs,
                escort: self.escort,
                reception,
                arrival_on,
            }),
            _ => Err(incomplete()),
        }
    }
}

/// The document status as submitted.
pub fn document_status(value: &str) -> Result<DocumentStatus, Problems> {
    let mut p = Problems::default();
    let s = vocab(
        &mut p,
        "status",
        value,
        DocumentStatus::parse,
        DocumentStatus::allowed(),
    );
    p.finish(())?;
    s.ok_or_else(incomplete)
}
