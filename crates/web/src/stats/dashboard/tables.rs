//! The tables of a dashboard: the questions asked through the door, the figures built from
//! their answers (a chart and its data table each), and any one table as the rows of a
//! download.

use super::*;
/// A count as said on the page.
pub(super) fn said(w: &Words<'_>, count: Option<u64>, k: u64) -> String {
    count.map_or_else(|| w.t1("stats-dash-suppressed", "k", k), |n| n.to_string())
}

/// The rows of a one-dimension summary.
fn rows_of(w: &Words<'_>, sum: &Summary, d: Dimension) -> Vec<Row> {
    sum.cells
        .iter()
        .map(|c| {
            let key = c.key.get(d.as_str()).cloned().unwrap_or_default();
            Row {
                label: w.value(d, &key),
                key,
                count: c.count,
                suppressed: c.suppressed,
                value: said(w, c.count, sum.k),
            }
        })
        .collect()
}

fn links(base: &str, q: &DashQuery, id: &str) -> (String, String) {
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("from", &q.from),
        ("to", &q.to),
        ("breakdown", &q.breakdown),
        ("org", &q.org),
        ("country", &q.country),
    ] {
        if !v.trim().is_empty() {
            pairs.append_pair(k, v.trim());
        }
    }
    if let Some(l) = &q.lang {
        pairs.append_pair("lang", l);
    }
    pairs.append_pair("table", id);
    let query = pairs.finish();
    (
        format!("{base}?{query}&format=csv"),
        format!("{base}?{query}&format=xlsx"),
    )
}

/// Builds a figure's frame: title, downloads and the left-out sentence.
#[allow(clippy::too_many_arguments)]
pub(super) fn figure(
    w: &Words<'_>,
    base: &str,
    q: &DashQuery,
    id: &'static str,
    title: String,
    heads: Vec<String>,
    rows: Vec<TableRow>,
    chart: Chart,
    excluded: u64,
) -> Figure {
    let (csv, xlsx) = links(base, q, id);
    Figure {
        id,
        heads,
        count_head: w.t("stats-dash-cases"),
        rows,
        chart,
        note: None,
        excluded: w.t1("stats-dash-excluded", "n", excluded),
        csv,
        xlsx,
        csv_label: w.t1("stats-dash-csv", "table", &title),
        xlsx_label: w.t1("stats-dash-xlsx", "table", &title),
        title,
    }
}

fn table_rows(rows: &[Row]) -> Vec<TableRow> {
    rows.iter()
        .map(|r| TableRow {
            key: r.key.clone(),
            labels: vec![r.label.clone()],
            value: r.value.clone(),
            suppressed: r.suppressed,
        })
        .collect()
}

/// Everything a dashboard shows, or the one table asked for as a download.
pub(super) struct Built {
    pub(super) sums: Vec<(&'static str, Vec<Dimension>, Summary)>,
    pub(super) regions: Option<passage_store::monitoring::views::Figures>,
    pub(super) breakdown: Dimension,
    pub(super) problem: Option<String>,
}

pub(super) async fn gather(
    state: &AppState,
    actor: Option<&Actor>,
    whose: Whose,
    w: &Words<'_>,
    q: &DashQuery,
    only: Option<&str>,
) -> Result<Built, WebError> {
    let a = asked(q, w);
    let mut problem = a.problem;
    let mut period = (a.from, a.to);
    let mut wanted: Vec<(&'static str, Vec<Dimension>)> =
        TABLES.iter().map(|(id, d, _)| (*id, vec![*d])).collect();
    wanted.push((BREAKDOWN, vec![Dimension::Type, a.breakdown]));
    if let Some(t) = only {
        wanted.retain(|(id, _)| *id == t);
    }
    let mut sums = Vec::with_capacity(wanted.len());
    for (id, by) in wanted {
        let answer = match ask(state, actor, whose, by.clone(), period.0, period.1).await {
            // A period with no released month: said in words, the default shown (a download
            // is refused instead).
            Err(StoreError::Rule { message, .. }) if only.is_none() && period != (None, None) => {
                problem = Some(message);
                period = (None, None);
                ask(state, actor, whose, by.clone(), None, None).await?
            }
            Err(StoreError::Rule { message, .. }) if only.is_some() => {
                return Err(bad_query(message));
            }
            other => other?,
        };
        sums.push((id, by, answer));
    }
    let regions = match (whose, actor) {
        (Whose::National, Some(actor)) if only.is_none_or(|t| t == REGIONS) => {
            let from = sums.first().and_then(|s| Day::parse(&s.2.from));
            let to = sums.first().and_then(|s| Day::parse(&s.2.to));
            let filter = Filter {
                country: None,
                from,
                to,
            };
            match state
                .store
                .monitoring_figures(actor, &filter, state.config.min_cell)
                .await
            {
                Ok(f) => Some(f),
                // Who may not read the monitoring figures sees the dashboard without them.
                Err(StoreError::Forbidden(_)) if only.is_none() => None,
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    Ok(Built {
        sums,
        regions,
        breakdown: a.breakdown,
        problem,
    })
}

/// The figures of a dashboard, in order.
pub(super) fn figures(w: &Words<'_>, base: &str, q: &DashQuery, b: &Built) -> Vec<Figure> {
    let mut out = Vec::new();
    for (id, by, sum) in &b.sums {
        let excluded = sum.excluded_without_consent;
        if *id == BREAKDOWN {
            let rows = sum
                .cells
                .iter()
                .map(|c| {
                    let vals: Vec<String> = by
                        .iter()
                        .map(|d| c.key.get(d.as_str()).cloned().unwrap_or_default())
                        .collect();
                    TableRow {
                        key: vals.join("|"),
                        labels: by.iter().zip(&vals).map(|(d, v)| w.value(*d, v)).collect(),
                        value: said(w, c.count, sum.k),
                        suppressed: c.suppressed,
                    }
                })
                .collect();
            let title = w.t1("stats-dash-breakdown-title", "by", w.dimension(b.breakdown));
            let heads = by.iter().map(|d| w.dimension(*d)).collect();
            out.push(figure(
                w,
                base,
                q,
                BREAKDOWN,
                title,
                heads,
                rows,
                Chart::None,
                excluded,
            ));
            continue;
        }
        let Some((_, d, kind)) = TABLES.iter().find(|(t, _, _)| t == id) else {
            continue;
        };
        let mut rows = rows_of(w, sum, *d);
        let mut note = None;
        if *kind == Kind::Top {
            let all = rows.len();
            rows.retain(|r| r.count.is_some_and(|n| n > 0));
            rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
            rows.truncate(TOP_CITIZENSHIPS);
            if all > rows.len() {
                note = Some(w.t1("stats-dash-top-note", "n", all - rows.len()));
            }
        }
        let title = w.t(&format!("stats-dash-title-{id}"));
        let desc = w.t2("stats-dash-chart-desc", "from", &sum.from, "to", &sum.to);
        let chart_id = id.replace('_', "-");
        let chart = match kind {
            Kind::Trend => Chart::Trend(charts::trend(&chart_id, title.clone(), desc, &rows)),
            Kind::Bars | Kind::Top => {
                Chart::Bars(charts::bars(&chart_id, title.clone(), desc, &rows))
            }
        };
        let mut f = figure(
            w,
            base,
            q,
            id,
            title,
            vec![w.dimension(*d)],
            table_rows(&rows),
            chart,
            excluded,
        );
        f.note = note;
        out.push(f);
    }
    if let Some(m) = &b.regions {
        let list = regions_of(m.country);
        let k = m.k;
        let rows: Vec<Row> = m
            .regions
            .iter()
            .map(|c| Row {
                key: c.key.clone(),
                label: if c.key == passage_store::monitoring::views::NOT_RECORDED {
                    w.t("stats-dash-no-region")
                } else {
                    w.i18n.label(&w.lang, "region", &c.key)
                },
                count: c.count,
                suppressed: c.suppressed,
                value: said(w, c.count, k),
            })
            .collect();
        let title = w.t("stats-dash-title-regions");
        let desc = w.t2("stats-dash-regions-desc", "from", &m.from, "to", &m.to);
        let chart = if list.is_empty() {
            Chart::None
        } else {
            Chart::Map(charts::tile_map(
                "regions",
                title.clone(),
                desc,
                list,
                &rows,
            ))
        };
        let mut f = figure(
            w,
            base,
            q,
            REGIONS,
            title,
            vec![w.t("stats-dash-dim-region")],
            table_rows(&rows),
            chart,
            0,
        );
        // Incidents are counted without a person's consent: none is left out.
        f.excluded = w.t("stats-dash-regions-excluded");
        out.push(f);
    }
    out
}

/// The one table asked for, as rows of a sheet: the dimensions (value and label), the count
/// (empty when suppressed), whether it is suppressed, the period and how many were left out.
pub(super) fn sheet(w: &Words<'_>, b: &Built, table: &str) -> Option<Vec<Vec<Value>>> {
    let text = |s: &str| Value::Text(s.to_string());
    if table == REGIONS {
        let m = b.regions.as_ref()?;
        let mut rows = vec![
            [
                "region",
                "region_label",
                "count",
                "suppressed",
                "from",
                "to",
            ]
            .map(text)
            .to_vec(),
        ];
        for c in &m.regions {
            rows.push(vec![
                text(&c.key),
                text(&w.i18n.label(&w.lang, "region", &c.key)),
                c.count.map_or(Value::Empty, Value::Number),
                text(if c.suppressed { "true" } else { "false" }),
                text(&m.from),
                text(&m.to),
            ]);
        }
        return Some(rows);
    }
    let (_, by, sum) = b.sums.iter().find(|(id, _, _)| *id == table)?;
    Some(summary_sheet(Some(w), by, sum))
}

/// A summary as the rows of a sheet (the API's CSV, without labels; a dashboard's download,
/// with them).
pub(crate) fn summary_sheet_plain(by: &[Dimension], sum: &Summary) -> Vec<Vec<Value>> {
    summary_sheet(None, by, sum)
}

fn summary_sheet(w: Option<&Words<'_>>, by: &[Dimension], sum: &Summary) -> Vec<Vec<Value>> {
    let text = |s: &str| Value::Text(s.to_string());
    let mut head = Vec::new();
    for d in by {
        head.push(text(d.as_str()));
        if w.is_some() {
            head.push(text(&format!("{}_label", d.as_str())));
        }
    }
    for h in [
        "count",
        "suppressed",
        "from",
        "to",
        "excluded_without_consent",
    ] {
        head.push(text(h));
    }
    let mut rows = vec![head];
    for c in &sum.cells {
        let mut row = Vec::new();
        for d in by {
            let v = c.key.get(d.as_str()).cloned().unwrap_or_default();
            if let Some(w) = w {
                row.push(text(&v));
                row.push(text(&w.value(*d, &v)));
            } else {
                row.push(text(&v));
            }
        }
        row.push(c.count.map_or(Value::Empty, Value::Number));
        row.push(text(if c.suppressed { "true" } else { "false" }));
        row.push(text(&sum.from));
        row.push(text(&sum.to));
        row.push(Value::Number(sum.excluded_without_consent));
        rows.push(row);
    }
    rows
}
