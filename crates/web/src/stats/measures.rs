//! The four Ps over the API: prevention, protection, prosecution and partnership measures for
//! the national figure or the asker's own organisation. Its OpenAPI schema is derived from the
//! types here; the handler's `#[utoipa::path]` is its part of the document.

use crate::AppState;
use crate::cases::query::bad_query;
use crate::kit::{ApiActor, ErrorBody, WebError};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use passage_core::casework::calendar::Day;
use passage_store::stats::{Disclosure, MeasureQuestion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A question to the four Ps: the period, and optionally the asker's own organisation.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasuresQuery {
    /// First day (YYYY-MM-DD), widened to the start of its month (default: twelve months back)
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), widened to the end of its month and cut at the last month that
    /// has ended (default: the last month that has ended)
    pub to: Option<String>,
    /// The asker's own organisation (id); without it, every organisation of the asker's
    /// organisation's country. Any other organisation is refused.
    pub org: Option<String>,
}

/// The four Ps over whole, ended months.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Measures {
    /// Counts from 1 to k − 1 are suppressed; a median or a sum needs at least k cases
    pub k: u64,
    /// The period counted (YYYY-MM-DD, whole months)
    pub from: String,
    pub to: String,
    /// The UTC day of the daily release the figures come from (YYYY-MM-DD)
    pub released_on: String,
    /// The country counted (ISO 3166-1 alpha-2)
    pub country: String,
    /// The organisation counted; null for the national figure
    pub org: Option<String>,
    pub figures: Vec<Figure>,
    /// Each counted measure month by month (not the median, the sum or persons' period total)
    pub months: Vec<MonthFigure>,
}

/// One measure over the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figure {
    /// prevention, protection, prosecution or partnership
    pub pillar: String,
    /// complaints_received, rights_pages_read, persons_assisted, services_delivered,
    /// referrals_accepted, days_to_first_service, referred_to_law_enforcement,
    /// proceedings_opened, compensation_recovered, cross_organisation_referrals or
    /// cross_border_referrals
    pub measure: String,
    /// The currency of compensation_recovered (ISO 4217; the value is in minor units)
    pub currency: Option<String>,
    /// Null when suppressed, or when there is nothing to take a median of
    pub value: Option<u64>,
    pub suppressed: bool,
    /// Events of the period left out because the person's statistics consent was not in
    /// force (with the noise of a count)
    pub excluded_without_consent: u64,
}

/// One month of a counted measure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthFigure {
    /// YYYY-MM
    pub month: String,
    pub measure: String,
    pub value: Option<u64>,
    pub suppressed: bool,
}

impl From<passage_store::stats::Measures> for Measures {
    fn from(m: passage_store::stats::Measures) -> Measures {
        Measures {
            k: m.k,
            from: m.from,
            to: m.to,
            released_on: m.released_on,
            country: m.country,
            org: m.org.map(|o| o.to_string()),
            figures: m
                .figures
                .into_iter()
                .map(|f| Figure {
                    pillar: f.pillar.as_str().to_string(),
                    measure: f.measure,
                    currency: f.currency,
                    value: f.value,
                    suppressed: f.suppressed,
                    excluded_without_consent: f.excluded_without_consent,
                })
                .collect(),
            months: m
                .months
                .into_iter()
                .map(|f| MonthFigure {
                    month: f.month,
                    measure: f.measure,
                    value: f.value,
                    suppressed: f.suppressed,
                })
                .collect(),
        }
    }
}

/// Reads a question; a bad one is 400 `invalid_query` saying what would do.
pub(crate) fn measure_question(q: &MeasuresQuery) -> Result<MeasureQuestion, WebError> {
    let day = |name: &str, v: Option<&str>| -> Result<Option<Day>, WebError> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(t) => Day::parse(t)
                .map(Some)
                .ok_or_else(|| bad_query(format!("{name} is a day, YYYY-MM-DD; '{t}' is not"))),
        }
    };
    let from = day("from", q.from.as_deref())?;
    let to = day("to", q.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(bad_query("from comes after to".into()));
    }
    let org = match q.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(o) => {
            Some(Uuid::parse_str(o).map_err(|_| bad_query("org is an organisation's id".into()))?)
        }
    };
    Ok(MeasureQuestion { from, to, org })
}

#[utoipa::path(get, path = "/api/v1/stats/measures", tag = "stats",
    summary = "The four Ps (prevention, protection, prosecution, partnership) over whole months that have ended, nationally or for the asker's own organisation: counts with cell-key noise and small ones suppressed, the median days to a first service and the compensation recovered only when at least k cases contribute; everything about a person only with a statistics consent, each measure saying how many it left out",
    params(MeasuresQuery),
    responses(
        (status = 200, description = "Success", body = Measures),
        (status = 400, description = "A question that cannot be answered (invalid_query)", body = ErrorBody),
        (status = 401, description = "Structured error", body = ErrorBody),
        (status = 403, description = "Another organisation's figures (forbidden)", body = ErrorBody),
        (status = 422, description = "No month of the period has been released (period_not_released)", body = ErrorBody)))]
pub async fn stats_measures(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    q: Result<Query<MeasuresQuery>, QueryRejection>,
) -> Result<Json<Measures>, WebError> {
    let Query(q) = q.map_err(|_| bad_query("Use from, to and org.".into()))?;
    let question = measure_question(&q)?;
    let measures = state
        .store
        .stats_measures(
            &actor,
            &question,
            Disclosure::published(state.config.stats_k),
        )
        .await?;
    Ok(Json(measures.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_store::stats::Pillar;
    use serde_json::{json, to_value};

    /// The answer has the contract's shape: a suppressed figure is null with `suppressed` set,
    /// never 0, and says how many it left out.
    #[test]
    fn the_measures_keep_the_contract() {
        let m = passage_store::stats::Measures {
            k: 11,
            from: "2026-01-01".into(),
            to: "2026-11-30".into(),
            released_on: "2026-12-07".into(),
            country: "GB".into(),
            org: None,
            figures: vec![passage_store::stats::Figure {
                pillar: Pillar::Protection,
                measure: "services_delivered".into(),
                currency: None,
                value: None,
                suppressed: true,
                excluded_without_consent: 3,
            }],
            months: vec![passage_store::stats::MonthFigure {
                month: "2026-01".into(),
                measure: "services_delivered".into(),
                value: Some(0),
                suppressed: false,
            }],
        };
        let v = to_value(Measures::from(m)).expect("json");
        assert_eq!(v["org"], json!(null));
        assert_eq!(
            v["figures"],
            json!([{"pillar": "protection", "measure": "services_delivered", "currency": null,
                    "value": null, "suppressed": true, "excluded_without_consent": 3}])
        );
        assert_eq!(v["months"][0]["month"], "2026-01");
    }
}
