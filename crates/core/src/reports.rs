//! Reports as submitted: by a migrant on the public form or API, or by a hotline operator.
//! Raw input is validated into typed values with every problem reported at once.

use crate::intake::{Triggers, narrative, urgency};
use crate::validate::{Problems, text};
use crate::{Category, Country, ReporterType, Urgency};
use serde::Deserialize;

/// Interface and interview languages Passage ships.
/// Languages offered first on the hotline desk (ISO 639-1). A report may be in any language
/// with an ISO 639 code; the public pages' languages are the locale files the web crate embeds.
pub const LANGUAGES: &[&str] = &[
    "en", "fr", "es", "ar", "pt", "ru", "uk", "zh", "hi", "bn", "ur", "fa", "ps", "tl", "id", "ne",
    "vi", "th", "my", "am", "ti", "so", "sw", "ha", "ro", "tr",
];

/// A public complaint as sent to `POST /api/v1/public/reports`. Never asks for status.
///
/// The reporter ticks one category or more (`categories`); the older single `category` is
/// still read, and put first. Routing takes the first rule that names any of them. A witness (`witness`: "I saw
/// this happen to someone else") reports without anyone's name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPublicReport {
    pub language: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub witness: bool,
    pub narrative: String,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub employer: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
}

/// A validated report, whatever its channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub language: String,
    pub categories: Vec<Category>,
    pub narrative: String,
    pub country: Option<Country>,
    pub place: Option<String>,
    pub employer: Option<String>,
    pub contact: Option<String>,
    pub reporter_type: ReporterType,
    pub urgency: Urgency,
    pub callback_consent: bool,
    pub callback_time: Option<String>,
}

fn language(p: &mut Problems, value: &str) -> String {
    let v = value.trim().to_ascii_lowercase();
    if (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_lowercase()) {
        v
    } else {
        p.add(
            "language",
            crate::ErrorCode::InvalidValue,
            "language must be an ISO 639 code such as en, fr, es, ar or tl",
        );
        String::new()
    }
}

fn country(p: &mut Problems, value: Option<&str>) -> Option<Country> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    Country::parse(v).or_else(|| {
        p.add(
            "country",
            crate::ErrorCode::InvalidCountry,
            format!("'{v}' is not an ISO 3166-1 alpha-2 country code"),
        );
        None
    })
}

fn optional(p: &mut Problems, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    value.and_then(|v| text(p, field, v, false, max))
}

impl RawPublicReport {
    pub fn validate(self) -> Result<NewReport, Problems> {
        let mut p = Problems::default();
        let language = language(&mut p, &self.language);
        let field = if self.categories.is_empty() {
            "category"
        } else {
            "categories"
        };
        let mut categories: Vec<Category> = Vec::new();
        let mut unknown = false;
        let typed = std::iter::once(&self.category)
            .chain(&self.categories)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty());
        for c in typed {
            match Category::parse(c) {
                Some(c) if !categories.contains(&c) => categories.push(c),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown || categories.is_empty() {
            p.add(
                field,
                crate::ErrorCode::InvalidValue,
                format!(
                    "choose at least one category; each must be one of: {}",
                    Category::allowed()
                ),
            );
        }
        let narrative = narrative(&mut p, &self.narrative);
        let country = country(&mut p, self.country.as_deref());
        let place = optional(&mut p, "place", self.place.as_deref(), 200);
        let employer = optional(&mut p, "employer", self.employer.as_deref(), 200);
        let contact = optional(&mut p, "contact", self.contact.as_deref(), 200);
        p.finish(())?;
        Ok(NewReport {
            language,
            urgency: urgency(None, &categories, Triggers::default()),
            categories,
            narrative: narrative.unwrap_or_default(),
            country,
            place,
            employer,
            reporter_type: if self.witness {
                ReporterType::Witness
            } else if contact.is_some() {
                ReporterType::Victim
            } else {
                ReporterType::Anonymous
            },
            contact,
            callback_consent: false,
            callback_time: None,
        })
    }
}

/// A call logged at the hotline desk.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHotlineReport {
    pub caller_type: String,
    pub language: String,
    #[serde(default)]
    pub urgency: Option<String>,
    pub categories: Vec<String>,
    pub narrative: String,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub employer: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub callback_consent: bool,
    #[serde(default)]
    pub callback_time: Option<String>,
    #[serde(default)]
    pub immediate_danger: bool,
    #[serde(default)]
    pub child: bool,
    #[serde(default)]
    pub urgent_medical: bool,
}

impl RawHotlineReport {
    pub fn validate(self) -> Result<NewReport, Problems> {
        let mut p = Problems::default();
        let reporter_type = ReporterType::parse(self.caller_type.trim());
        if reporter_type.is_none() {
            p.add(
                "caller_type",
                crate::ErrorCode::InvalidValue,
                format!("caller_type must be one of: {}", ReporterType::allowed()),
            );
        }
        let language = language(&mut p, &self.language);
        let chosen = match self
            .urgency
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            None => None,
            Some(u) => Urgency::parse(u).or_else(|| {
                p.add(
                    "urgency",
                    crate::ErrorCode::InvalidValue,
                    format!("urgency must be one of: {}", Urgency::allowed()),
                );
                None
            }),
        };
        let mut categories = Vec::new();
        for c in &self.categories {
            match Category::parse(c.trim()) {
                Some(c) if !categories.contains(&c) => categories.push(c),
                Some(_) => {}
                None => p.add(
                    "categories",
                    crate::ErrorCode::InvalidValue,
                    format!("'{c}' is not a category; use: {}", Category::allowed()),
                ),
            }
        }
        if self.categories.is_empty() {
            p.add(
                "categories",
                crate::ErrorCode::Required,
                "choose at least one category",
            );
        }
        let narrative = narrative(&mut p, &self.narrative);
        let country = country(&mut p, self.country.as_deref());
        let place = optional(&mut p, "place", self.place.as_deref(), 200);
        let employer = optional(&mut p, "employer", self.employer.as_deref(), 200);
        let contact = optional(&mut p, "contact", self.contact.as_deref(), 200);
        let callback_time = optional(&mut p, "callback_time", self.callback_time.as_deref(), 200);
        if self.callback_consent && contact.is_none() {
            p.add(
                "contact",
                crate::ErrorCode::Required,
                "a callback needs a contact (a phone number or another safe way)",
            );
        }
        p.finish(())?;
        let triggers = Triggers {
            immediate_danger: self.immediate_danger,
            child: self.child,
            urgent_medical: self.urgent_medical,
        };
        Ok(NewReport {
            language,
            urgency: urgency(chosen, &categories, triggers),
            categories,
            narrative: narrative.unwrap_or_default(),
            country,
            place,
            employer,
            contact,
            reporter_type: reporter_type.unwrap_or(ReporterType::Anonymous),
            callback_consent: self.callback_consent,
            callback_time,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_report_needs_only_language_category_and_story() {
        let r = RawPublicReport {
            language: "AR".into(),
            category: "unpaid_wages".into(),
            narrative: "لم أتقاض أجري".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(
            (r.language.as_str(), r.reporter_type, r.urgency),
            ("ar", ReporterType::Anonymous, Urgency::Normal)
        );
        let bad = RawPublicReport {
            language: "english".into(),
            category: "wages".into(),
            narrative: " ".into(),
            country: Some("QQ".into()),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .validate()
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["language", "category", "narrative", "country"]);
    }

    #[test]
    fn a_witness_ticks_several_categories_kept_once_each_in_order() {
        let r = RawPublicReport {
            language: "ar".into(),
            categories: vec![
                "abuse_by_officials".into(),
                "housing".into(),
                "abuse_by_officials".into(),
            ],
            witness: true,
            narrative: "رأيت رجال الشرطة يضربون رجلاً".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(
            r.categories,
            vec![Category::AbuseByOfficials, Category::Housing]
        );
        assert_eq!(r.reporter_type, ReporterType::Witness);
        assert_eq!(r.contact, None, "a witness gives no name and no contact");
        // The older single field still works, and comes first.
        let old = RawPublicReport {
            language: "en".into(),
            category: "sexual_exploitation".into(),
            categories: vec!["smuggling_dangerous_journey".into()],
            narrative: "x".into(),
            ..Default::default()
        }
        .validate()
        .expect("valid");
        assert_eq!(
            old.categories,
            vec![
                Category::SexualExploitation,
                Category::SmugglingDangerousJourney
            ]
        );
        assert_eq!(
            old.urgency,
            Urgency::High,
            "sexual exploitation starts high"
        );
        for bad in [vec![], vec!["housing".to_string(), "wages".to_string()]] {
            let fields: Vec<String> = RawPublicReport {
                language: "en".into(),
                categories: bad,
                narrative: "x".into(),
                ..Default::default()
            }
            .validate()
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
            assert_eq!(fields.len(), 1);
        }
    }

    #[test]
    fn hotline_triggers_escalate_and_callbacks_need_a_contact() {
        let call = RawHotlineReport {
            caller_type: "relative".into(),
            language: "es".into(),
            urgency: Some("low".into()),
            categories: vec!["unpaid_wages".into()],
            narrative: "Su hermana está encerrada".into(),
            immediate_danger: true,
            ..Default::default()
        };
        assert_eq!(
            call.clone().validate().expect("valid").urgency,
            Urgency::Emergency
        );
        let no_contact = RawHotlineReport {
            callback_consent: true,
            ..call
        };
        assert_eq!(
            no_contact.validate().expect_err("invalid").0[0].field,
            "contact"
        );
    }
}
