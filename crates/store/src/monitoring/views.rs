//! The monitoring views' figures: incidents of every organisation in one country and a span of
//! days, counted by region, month, kind, bias motive, place type and perpetrator type, each
//! dimension suppressed with the deployment's k (`core::monitoring::views::publish`). Counts
//! only: no id, no narrative, no organisation. An incident its organisation marked a false
//! report is not counted.

use crate::db::Tx;
use crate::{Actor, Store, StoreError};
use passage_core::Country;
use passage_core::monitoring::IncidentAction;
use passage_core::monitoring::incidents::{BiasMotive, IncidentKind, PerpetratorType, PlaceType};
use passage_core::monitoring::regions::regions_of;
use passage_core::monitoring::views::{Filter, months, publish};
use passage_core::stats::Cell;
use std::collections::BTreeMap;

/// The key of the cell counting incidents without a region, or without a perpetrator type.
pub const NOT_RECORDED: &str = "";

/// What the monitoring views publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub country: Country,
    /// The first and last day counted (YYYY-MM-DD).
    pub from: String,
    pub to: String,
    /// The threshold: a count under it is suppressed.
    pub k: u64,
    /// The country's regions in map order, then [`NOT_RECORDED`].
    pub regions: Vec<Cell>,
    /// Each month of the span, oldest first.
    pub months: Vec<Cell>,
    pub kinds: Vec<Cell>,
    pub motives: Vec<Cell>,
    pub places: Vec<Cell>,
    /// The perpetrator types, then [`NOT_RECORDED`].
    pub perpetrators: Vec<Cell>,
}

const WHERE: &str = "i.country = $1 AND i.occurred_on >= $2 AND i.occurred_on <= $3 AND i.verification <> 'false_report'";

async fn counted(
    tx: &mut Tx,
    select: &str,
    from_join: &str,
    args: &[String; 3],
) -> Result<BTreeMap<String, u64>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {select} AS k, COUNT(*) AS n FROM {from_join} WHERE {WHERE} GROUP BY {select}"
    )))
    .bind(&args[0])
    .bind(&args[1])
    .bind(&args[2])
    .fetch_all(&mut *tx.tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

fn cells(
    keys: impl IntoIterator<Item = String>,
    found: &BTreeMap<String, u64>,
    k: u64,
) -> Vec<Cell> {
    let counts: Vec<(String, u64)> = keys
        .into_iter()
        .map(|key| {
            let n = found.get(&key).copied().unwrap_or(0);
            (key, n)
        })
        .collect();
    publish(&counts, k)
}

impl Store {
    /// The figures for `filter` (its country, or the actor's organisation's; its days, or the
    /// twelve months to today), each dimension suppressed with `k`. Who may: supervisors and
    /// analysts of the organisations that record incidents, a ministry's analysts; immigration
    /// enforcement meets the firewall.
    pub async fn monitoring_figures(
        &self,
        actor: &Actor,
        filter: &Filter,
        k: u64,
    ) -> Result<Figures, StoreError> {
        let mut tx = self
            .incident_gate(actor, IncidentAction::Monitor, "monitoring.read", None)
            .await?;
        let country = match filter.country {
            Some(c) => c,
            None => {
                let (c,): (String,) =
                    sqlx::query_as("SELECT country FROM organisations WHERE id = $1")
                        .bind(actor.org_id().to_string())
                        .fetch_one(&mut *tx.tx)
                        .await?;
                Country::parse(&c).ok_or(StoreError::Corrupt("organisation country"))?
            }
        };
        let today = passage_core::casework::calendar::Day::from_unix_ms(tx.now);
        let to = filter.to.unwrap_or(today);
        let from = filter.from.unwrap_or_else(|| {
            let (y, m, _) = to.plus_months(-11).ymd();
            passage_core::casework::calendar::Day::from_ymd(y, m, 1).unwrap_or(to)
        });
        let args = [
            country.as_str().to_string(),
            from.to_string(),
            to.to_string(),
        ];
        let one = "incidents i";
        let by_region = counted(&mut tx, "COALESCE(i.region, '')", one, &args).await?;
        let by_month = counted(&mut tx, "substr(i.occurred_on, 1, 7)", one, &args).await?;
        let by_place = counted(&mut tx, "i.place_type", one, &args).await?;
        let by_perpetrator =
            counted(&mut tx, "COALESCE(i.perpetrator_type, '')", one, &args).await?;
        let by_kind = counted(
            &mut tx,
            "t.kind",
            "incident_kinds t JOIN incidents i ON i.id = t.incident_id",
            &args,
        )
        .await?;
        let by_motive = counted(
            &mut tx,
            "t.motive",
            "incident_motives t JOIN incidents i ON i.id = t.incident_id",
            &args,
        )
        .await?;
        let names = |all: Vec<&'static str>| all.into_iter().map(str::to_string);
        let figures = Figures {
            country,
            from: from.to_string(),
            to: to.to_string(),
            k,
            regions: cells(
                regions_of(country)
                    .iter()
                    .map(|r| r.code.to_string())
                    .chain([NOT_RECORDED.to_string()]),
                &by_region,
                k,
            ),
            months: cells(months(from, to), &by_month, k),
            kinds: cells(
                names(IncidentKind::ALL.iter().map(|x| x.as_str()).collect()),
                &by_kind,
                k,
            ),
            motives: cells(
                names(BiasMotive::ALL.iter().map(|x| x.as_str()).collect()),
                &by_motive,
                k,
            ),
            places: cells(
                names(PlaceType::ALL.iter().map(|x| x.as_str()).collect()),
                &by_place,
                k,
            ),
            perpetrators: cells(
                names(PerpetratorType::ALL.iter().map(|x| x.as_str()).collect())
                    .chain([NOT_RECORDED.to_string()]),
                &by_perpetrator,
                k,
            ),
        };
        tx.audit(actor.event(
            "monitoring.read",
            "incident",
            Some(country.as_str().to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(figures)
    }
}
