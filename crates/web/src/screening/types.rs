//! The request and response types of the screening API, owned by the API: an instrument as an
//! interviewer's screen needs it, and a screening with its result's fields at the top. Built
//! from core's and the store's values by `From`; the OpenAPI schemas are derived from them.

use std::collections::BTreeMap;

use passage_core::screening::{
    Answer, Conclusion, DimensionResult, Exploitation, GroupResult, Instrument as CoreInstrument,
    LANGUAGES, Localised, Population, Strength,
};
use passage_store::casework::screening as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A versioned screening instrument (data files, validated at start).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Instrument {
    pub id: String,
    pub version: String,
    #[schema(schema_with = crate::kit::schema::population)]
    pub population: Population,
    #[schema(schema_with = crate::kit::schema::exploitation)]
    pub exploitation: Exploitation,
    #[schema(schema_with = crate::kit::schema::localised)]
    pub title: Localised,
    pub source: String,
    /// The highest conclusion this instrument may reach
    #[schema(schema_with = crate::kit::schema::conclusion)]
    pub ceiling: Conclusion,
    /// The interview languages every question is written in
    pub languages: Vec<&'static str>,
    pub rule: InstrumentRule,
    pub dimensions: Vec<InstrumentDimension>,
    pub indicators: Vec<InstrumentIndicator>,
}

/// The overall rule: every group needs at least one positive dimension.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstrumentRule {
    pub groups: Vec<Vec<String>>,
}

/// One dimension of an instrument.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstrumentDimension {
    pub id: String,
    #[schema(schema_with = crate::kit::schema::localised)]
    pub title: Localised,
}

/// One indicator: a question whose "yes" means the indicator is present.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstrumentIndicator {
    pub id: String,
    pub dimension: String,
    #[schema(schema_with = crate::kit::schema::strength)]
    pub strength: Strength,
    #[schema(schema_with = crate::kit::schema::localised)]
    pub question: Localised,
    #[schema(schema_with = crate::kit::schema::localised)]
    pub guidance: Localised,
    pub methods_of_control: Vec<String>,
}

impl From<&CoreInstrument> for Instrument {
    fn from(i: &CoreInstrument) -> Instrument {
        Instrument {
            id: i.id.clone(),
            version: i.version.clone(),
            population: i.population,
            exploitation: i.exploitation,
            title: i.title.clone(),
            source: i.source.clone(),
            ceiling: i.ceiling,
            languages: LANGUAGES.to_vec(),
            rule: InstrumentRule {
                groups: i.rule.groups.clone(),
            },
            dimensions: i
                .dimensions
                .iter()
                .map(|d| InstrumentDimension {
                    id: d.id.clone(),
                    title: d.title.clone(),
                })
                .collect(),
            indicators: i
                .indicators
                .iter()
                .map(|x| InstrumentIndicator {
                    id: x.id.clone(),
                    dimension: x.dimension.clone(),
                    strength: x.strength,
                    question: x.question.clone(),
                    guidance: x.guidance.clone(),
                    methods_of_control: x.methods_of_control.clone(),
                })
                .collect(),
        }
    }
}

/// A screening as the API shows it: the result's fields at the top. Before a result,
/// conclusion is null and dimensions and could_change are empty; the other result fields come
/// with the result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Screening {
    pub id: Uuid,
    pub case_id: Option<Uuid>,
    pub instrument: String,
    pub instrument_version: String,
    /// The interview language
    pub language: String,
    #[schema(schema_with = screening_status)]
    pub status: &'static str,
    #[schema(schema_with = crate::kit::schema::answers_by_indicator)]
    pub answers: BTreeMap<String, Answer>,
    pub created_by: Uuid,
    /// Unix milliseconds
    pub created_at: i64,
    /// Unix milliseconds
    pub completed_at: Option<i64>,
    pub version: i64,
    #[schema(schema_with = crate::kit::schema::conclusion_or_null)]
    pub conclusion: Option<Conclusion>,
    pub dimensions: Vec<ScreeningDimension>,
    /// Unanswered, unknown or declined indicators whose answer could still change the
    /// conclusion
    pub could_change: Vec<String>,
    /// For each group of the overall rule: its dimensions and whether one is positive
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub groups: Option<Vec<ScreeningGroup>>,
    /// Whether the instrument's ceiling lowered the conclusion the rule reached
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub capped: Option<bool>,
    /// HTCDS vic_MethodsOfControl values the yes answers evidence
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub methods_of_control: Option<Vec<String>>,
    /// HTCDS vic_TypeOfExploitation values the yes answers evidence
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub type_of_exploitation: Option<Vec<String>>,
    /// How many indicators were answered (yes or no)
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub answered: Option<usize>,
    /// Of how many
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub total: Option<usize>,
}

fn screening_status() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["in_progress", "completed"])
}

/// One dimension of a result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreeningDimension {
    pub id: String,
    pub positive: bool,
    /// The indicators answered yes that made the dimension positive
    pub because: Vec<String>,
    /// Every indicator of the dimension answered yes, positive or not
    pub present: Vec<String>,
    /// Which clause of the dimension rule holds
    #[schema(schema_with = dimension_rule)]
    pub rule: Option<String>,
}

fn dimension_rule() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some([
            serde_json::json!("two_strong"),
            serde_json::json!("strong_and_other"),
            serde_json::json!("three_medium"),
            serde_json::json!("two_medium_one_weak"),
            serde_json::Value::Null,
        ]))
        .build()
}

impl From<DimensionResult> for ScreeningDimension {
    fn from(d: DimensionResult) -> ScreeningDimension {
        ScreeningDimension {
            id: d.id,
            positive: d.positive,
            because: d.because,
            present: d.present,
            rule: d.rule,
        }
    }
}

/// One group of the overall rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreeningGroup {
    pub dimensions: Vec<String>,
    /// Whether one of its dimensions is positive
    pub met: bool,
}

impl From<GroupResult> for ScreeningGroup {
    fn from(g: GroupResult) -> ScreeningGroup {
        ScreeningGroup {
            dimensions: g.dimensions,
            met: g.met,
        }
    }
}

impl From<store::Screening> for Screening {
    fn from(s: store::Screening) -> Screening {
        let mut out = Screening {
            id: s.id,
            case_id: s.case_id,
            instrument: s.instrument,
            instrument_version: s.instrument_version,
            language: s.language,
            status: s.status,
            answers: s.answers,
            created_by: s.created_by,
            created_at: s.created_at,
            completed_at: s.completed_at,
            version: s.version,
            conclusion: None,
            dimensions: Vec::new(),
            could_change: Vec::new(),
            groups: None,
            capped: None,
            methods_of_control: None,
            type_of_exploitation: None,
            answered: None,
            total: None,
        };
        if let Some(r) = s.result {
            out.conclusion = Some(r.conclusion);
            out.dimensions = r.dimensions.into_iter().map(Into::into).collect();
            out.could_change = r.could_change;
            out.groups = Some(r.groups.into_iter().map(Into::into).collect());
            out.capped = Some(r.capped);
            out.methods_of_control = Some(r.methods_of_control);
            out.type_of_exploitation = Some(r.type_of_exploitation);
            out.answered = Some(r.answered);
            out.total = Some(r.total);
        }
        out
    }
}

/// A screening to start on a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScreening {
    pub instrument: String,
    /// indicator id → answer; an indicator the instrument does not have is refused (422)
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::answers_by_indicator)]
    pub answers: BTreeMap<String, String>,
    /// interview language, apart from the interface language; English when absent
    #[serde(default)]
    #[schema(schema_with = interview_language)]
    pub language: String,
    /// false keeps it in progress to go on later
    #[serde(default = "yes")]
    #[schema(default = true)]
    pub complete: bool,
}

fn yes() -> bool {
    true
}

fn interview_language() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&LANGUAGES)
}

impl From<NewScreening> for store::NewScreening {
    fn from(b: NewScreening) -> store::NewScreening {
        store::NewScreening {
            instrument: b.instrument,
            language: b.language,
            answers: b.answers,
            complete: b.complete,
        }
    }
}

/// More answers to a screening in progress, and whether to finish it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningAnswers {
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::answers_by_indicator)]
    pub answers: BTreeMap<String, String>,
    #[serde(default)]
    pub complete: bool,
    pub version: i64,
}

/// The case's version as read; absent means "whatever it is now".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifyFromScreening {
    #[serde(default)]
    pub version: Option<i64>,
}

/// The identification recorded from a screening.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentifiedFromScreening {
    /// The screening's id as sent
    #[schema(format = Uuid)]
    pub screening: String,
    #[schema(schema_with = possible_victim)]
    pub status: &'static str,
    /// The case's new version
    pub version: i64,
}

fn possible_victim() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["possible_victim"])
}

#[cfg(test)]
mod tests {
    //! The answers written out before these types, kept here as the reference the types must
    //! match field for field.

    use super::*;
    use passage_core::screening::{LANGUAGES, evaluate};
    use serde_json::{Value, json};

    /// An instrument as the API shows it: everything an interviewer's screen needs.
    fn instrument_json(i: &CoreInstrument) -> Value {
        json!({
            "id": i.id,
            "version": i.version,
            "population": i.population,
            "exploitation": i.exploitation,
            "title": i.title,
            "source": i.source,
            "ceiling": i.ceiling,
            "languages": LANGUAGES,
            "rule": {"groups": i.rule.groups},
            "dimensions": i.dimensions.iter().map(|d| json!({"id": d.id, "title": d.title})).collect::<Vec<_>>(),
            "indicators": i.indicators.iter().map(|x| json!({
                "id": x.id,
                "dimension": x.dimension,
                "strength": x.strength,
                "question": x.question,
                "guidance": x.guidance,
                "methods_of_control": x.methods_of_control,
            })).collect::<Vec<_>>(),
        })
    }

    /// A screening as the API shows it: the result's fields at the top, as the contract names them.
    fn screening_json(s: &store::Screening) -> Value {
        let mut v = json!({
            "id": s.id,
            "case_id": s.case_id,
            "instrument": s.instrument,
            "instrument_version": s.instrument_version,
            "language": s.language,
            "status": s.status,
            "answers": s.answers,
            "created_by": s.created_by,
            "created_at": s.created_at,
            "completed_at": s.completed_at,
            "version": s.version,
            "conclusion": null,
            "dimensions": [],
            "could_change": [],
        });
        if let (Some(r), Some(obj)) = (&s.result, v.as_object_mut())
            && let Ok(Value::Object(result)) = serde_json::to_value(r)
        {
            obj.extend(result);
        }
        v
    }

    #[test]
    fn instruments_serialise_as_before() {
        let catalogue = passage_core::screening::builtin().expect("instruments");
        let mut n = 0;
        for i in catalogue.all() {
            n += 1;
            assert_eq!(
                serde_json::to_value(Instrument::from(i)).expect("web"),
                instrument_json(i)
            );
        }
        assert!(n > 0);
    }

    #[test]
    fn screenings_serialise_as_before() {
        let catalogue = passage_core::screening::builtin().expect("instruments");
        let instrument = catalogue.all().next().expect("an instrument");
        let mut answers = BTreeMap::new();
        for (k, x) in instrument.indicators.iter().enumerate() {
            let a = [Answer::Yes, Answer::No, Answer::Unknown][k % 3];
            answers.insert(x.id.clone(), a);
        }
        let result = evaluate(instrument, &answers).expect("evaluation");
        for (result, case_id) in [(None, None), (Some(result), Some(Uuid::from_u128(2)))] {
            let s = store::Screening {
                id: Uuid::from_u128(1),
                case_id,
                report_id: None,
                instrument: instrument.id.clone(),
                instrument_version: instrument.version.clone(),
                language: "fr".into(),
                status: if result.is_some() {
                    "completed"
                } else {
                    "in_progress"
                },
                answers: answers.clone(),
                result,
                created_by: Uuid::from_u128(3),
                created_at: 4,
                updated_at: 5,
                completed_at: Some(6),
                version: 7,
            };
            assert_eq!(
                serde_json::to_value(Screening::from(s.clone())).expect("web"),
                screening_json(&s)
            );
        }
    }
}
