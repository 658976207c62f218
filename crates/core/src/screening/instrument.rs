//! Instruments as data: parsing and validating one TOML file, and the catalogue of all of them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{
    Conclusion, Exploitation, ILO_DIMENSIONS, LANGUAGES, METHODS_OF_CONTROL, Population, Strength,
    TYPES_OF_EXPLOITATION,
};

/// Why an instrument file cannot be used. The message names the file's instrument and the fault.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InstrumentError {
    #[error("{source_name}: not a valid instrument file: {message}")]
    Syntax {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: {message}")]
    Invalid {
        source_name: String,
        message: String,
    },
    #[error("two instruments have the id `{0}`")]
    DuplicateInstrument(String),
}

/// A text in each interview language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localised {
    pub en: String,
    pub fr: String,
    pub es: String,
    pub ar: String,
}

impl Localised {
    /// The text in `language` (one of [`LANGUAGES`]), English otherwise.
    pub fn get(&self, language: &str) -> &str {
        match language {
            "fr" => &self.fr,
            "es" => &self.es,
            "ar" => &self.ar,
            _ => &self.en,
        }
    }

    fn missing(&self) -> Option<&'static str> {
        LANGUAGES
            .into_iter()
            .find(|l| self.get(l).trim().is_empty())
    }
}

/// One dimension of an instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    pub title: Localised,
}

/// One indicator: a question whose "yes" means the indicator is present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub dimension: String,
    pub strength: Strength,
    pub question: Localised,
    pub guidance: Localised,
    #[serde(default)]
    pub methods_of_control: Vec<String>,
    #[serde(default)]
    pub type_of_exploitation: Vec<String>,
}

/// The overall rule: every group needs at least one positive dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub groups: Vec<Vec<String>>,
    #[serde(default)]
    pub exploitation_dimensions: Vec<String>,
}

/// A validated instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub id: String,
    pub version: String,
    pub population: Population,
    pub exploitation: Exploitation,
    pub source: String,
    pub title: Localised,
    #[serde(default = "highest")]
    pub ceiling: Conclusion,
    #[serde(default)]
    pub type_of_exploitation: Vec<String>,
    pub rule: Rule,
    pub dimensions: Vec<Dimension>,
    pub indicators: Vec<Indicator>,
}

fn highest() -> Conclusion {
    Conclusion::PresumedTrafficking
}

fn snake(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Instrument {
    /// Parses and validates one instrument file; `source_name` (a file name) names it in errors.
    pub fn from_toml(source_name: &str, text: &str) -> Result<Instrument, InstrumentError> {
        let instrument: Instrument = toml::from_str(text).map_err(|e| InstrumentError::Syntax {
            source_name: source_name.to_string(),
            message: e.message().to_string(),
        })?;
        instrument
            .check()
            .map_err(|message| InstrumentError::Invalid {
                source_name: source_name.to_string(),
                message,
            })?;
        Ok(instrument)
    }

    /// The indicator with `id`.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    fn check(&self) -> Result<(), String> {
        if !snake(&self.id) {
            return Err(format!("the id `{}` is not snake_case", self.id));
        }
        if self.version.trim().is_empty() {
            return Err("the version is empty".into());
        }
        if let Some(l) = self.title.missing() {
            return Err(format!("the title has no `{l}` text"));
        }
        let mut dimensions = BTreeSet::new();
        for d in &self.dimensions {
            if !snake(&d.id) {
                return Err(format!("the dimension id `{}` is not snake_case", d.id));
            }
            if matches!(
                self.exploitation,
                Exploitation::Labour | Exploitation::Sexual
            ) && !ILO_DIMENSIONS.contains(&d.id.as_str())
            {
                return Err(format!(
                    "unknown dimension `{}`: the ILO instruments use {}",
                    d.id,
                    ILO_DIMENSIONS.join(", ")
                ));
            }
            if !dimensions.insert(d.id.as_str()) {
                return Err(format!("the dimension `{}` is declared twice", d.id));
            }
            if let Some(l) = d.title.missing() {
                return Err(format!("the dimension `{}` has no `{l}` title", d.id));
            }
        }
        if self.indicators.is_empty() {
            return Err("the instrument has no indicators".into());
        }
        let mut ids = BTreeSet::new();
        for i in &self.indicators {
            if !snake(&i.id) {
                return Err(format!("the indicator id `{}` is not snake_case", i.id));
            }
            if !ids.insert(i.id.as_str()) {
                return Err(format!("duplicate indicator id `{}`", i.id));
            }
            if !dimensions.contains(i.dimension.as_str()) {
                return Err(format!(
                    "the indicator `{}` names an unknown dimension `{}`",
                    i.id, i.dimension
                ));
            }
            if let Some(l) = i.question.missing() {
                return Err(format!("the indicator `{}` has no `{l}` question", i.id));
            }
            if i.guidance.en.trim().is_empty() {
                return Err(format!("the indicator `{}` has no guidance", i.id));
            }
            check_values(
                &i.id,
                "methods_of_control",
                &i.methods_of_control,
                &METHODS_OF_CONTROL,
            )?;
            check_values(
                &i.id,
                "type_of_exploitation",
                &i.type_of_exploitation,
                &TYPES_OF_EXPLOITATION,
            )?;
        }
        check_values(
            &self.id,
            "type_of_exploitation",
            &self.type_of_exploitation,
            &TYPES_OF_EXPLOITATION,
        )?;
        if self.rule.groups.is_empty() || self.rule.groups.iter().any(|g| g.is_empty()) {
            return Err("the rule needs at least one group, and no group may be empty".into());
        }
        for d in self
            .rule
            .groups
            .iter()
            .flatten()
            .chain(&self.rule.exploitation_dimensions)
        {
            if !dimensions.contains(d.as_str()) {
                return Err(format!("the rule names an unknown dimension `{d}`"));
            }
        }
        Ok(())
    }
}

fn check_values(
    owner: &str,
    field: &str,
    values: &[String],
    allowed: &[&str],
) -> Result<(), String> {
    match values.iter().find(|v| !allowed.contains(&v.as_str())) {
        Some(v) => Err(format!(
            "`{owner}`: `{v}` is not an HTCDS {field} value (allowed: {})",
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

/// The instruments a deployment uses, by id.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    by_id: BTreeMap<String, Instrument>,
}

impl Catalogue {
    /// A catalogue of `instruments`; two with one id is an error.
    pub fn new(instruments: Vec<Instrument>) -> Result<Catalogue, InstrumentError> {
        let mut by_id = BTreeMap::new();
        for i in instruments {
            let id = i.id.clone();
            if by_id.insert(id.clone(), i).is_some() {
                return Err(InstrumentError::DuplicateInstrument(id));
            }
        }
        Ok(Catalogue { by_id })
    }

    /// Adds `instrument`, replacing one with the same id (a deployment's own version).
    pub fn replace(&mut self, instrument: Instrument) {
        self.by_id.insert(instrument.id.clone(), instrument);
    }

    /// The instrument with `id`.
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.by_id.get(id)
    }

    /// Every instrument, by id.
    pub fn all(&self) -> impl Iterator<Item = &Instrument> {
        self.by_id.values()
    }
}

/// The instruments shipped in `crates/core/instruments/`.
pub const BUILTIN: [(&str, &str); 6] = [
    (
        "ilo_adult_labour.toml",
        include_str!("../../instruments/ilo_adult_labour.toml"),
    ),
    (
        "ilo_adult_sexual.toml",
        include_str!("../../instruments/ilo_adult_sexual.toml"),
    ),
    (
        "ilo_child_labour.toml",
        include_str!("../../instruments/ilo_child_labour.toml"),
    ),
    (
        "ilo_child_sexual.toml",
        include_str!("../../instruments/ilo_child_sexual.toml"),
    ),
    (
        "ilo_forced_labour.toml",
        include_str!("../../instruments/ilo_forced_labour.toml"),
    ),
    (
        "hotline_red_flags.toml",
        include_str!("../../instruments/hotline_red_flags.toml"),
    ),
];

/// The built-in catalogue. An error here is a defect of the shipped files (a test guards it).
pub fn builtin() -> Result<Catalogue, InstrumentError> {
    let instruments = BUILTIN
        .iter()
        .map(|(name, text)| Instrument::from_toml(name, text))
        .collect::<Result<Vec<_>, _>>()?;
    Catalogue::new(instruments)
}
