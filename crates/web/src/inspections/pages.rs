//! Labour inspection's pages, for inspectors and supervisors of a labour inspectorate:
//! `/inspections` (the work list: visits planned by date, follow-ups overdue, orders past their
//! deadline; and the form that records a visit), `/inspections/targets` (entities ranked for
//! inspection in a country and a sector, each score explained by its parts in words) and
//! `/inspections/{id}` (one visit). What complaints say of an entity is shown as counts by
//! category, each withheld under k; never who complained.

use super::api::filters;
use crate::AppState;
use crate::kit::form::{StaffForm, again, ui_errors};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, done, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_core::labour::entities::RawSanction;
use passage_core::labour::entities::Sector;
use passage_core::labour::inspection::{
    FACTOR_COMPLAINTS, FACTOR_LAST_VISIT, FORCED_LABOUR_INDICATORS, LawCategory, PartValue,
    RawInspection, RawOrder, VisitStatus,
};
use passage_core::stats::DEFAULT_MIN_CELL;
use passage_store::Authority;

/// (value, label, selected) of a list.
type Choice = (String, String, bool);

fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: impl Fn(&str) -> String,
    selected: &[String],
) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let n = name(*v);
            (n.to_string(), label(n), selected.iter().any(|s| s == n))
        })
        .collect()
}

// ------------------------------------------------------------------ the work list

/// The form that records a visit, as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitForm {
    entity_id: String,
    status: String,
    planned_on: String,
    done_on: String,
    indicators: Vec<String>,
    law_categories: Vec<String>,
    order_category: String,
    order_deadline: String,
    follow_up_on: String,
    /// The other agencies present: organisations of the network, by id.
    joint_with: Vec<String>,
    sanction_description: String,
    sanction_authority: String,
    sanction_decided_on: String,
}
crate::form_body!(VisitForm);

/// The order, the joint agencies and the sanction, as both visit forms type them.
fn extras(
    order_category: &str,
    order_deadline: &str,
    joint_with: &[String],
    sanction: [&str; 3],
) -> (Vec<RawOrder>, Vec<String>, Option<RawSanction>) {
    let order = !order_category.trim().is_empty() || !order_deadline.trim().is_empty();
    let orders = if order {
        vec![RawOrder {
            category: order_category.to_string(),
            deadline: order_deadline.to_string(),
        }]
    } else {
        Vec::new()
    };
    let [description, authority, decided_on] = sanction;
    let sanction = [description, authority, decided_on]
        .iter()
        .any(|x| !x.trim().is_empty())
        .then(|| RawSanction {
            description: description.to_string(),
            authority: authority.to_string(),
            decided_on: decided_on.to_string(),
        });
    let joint = joint_with
        .iter()
        .filter(|j| !j.trim().is_empty())
        .cloned()
        .collect();
    (orders, joint, sanction)
}

impl VisitForm {
    fn raw(&self) -> RawInspection {
        let (orders, joint_with, sanction) = extras(
            &self.order_category,
            &self.order_deadline,
            &self.joint_with,
            [
                &self.sanction_description,
                &self.sanction_authority,
                &self.sanction_decided_on,
            ],
        );
        RawInspection {
            entity_id: self.entity_id.clone(),
            status: self.status.clone(),
            planned_on: self.planned_on.clone(),
            done_on: self.done_on.clone(),
            joint_with,
            indicators: self.indicators.clone(),
            law_categories: self.law_categories.clone(),
            orders,
            sanction,
            follow_up_on: self.follow_up_on.clone(),
        }
    }
}

/// Where a field's problem points on a visit form (`prefix` is `visit` or `outcome`).
fn field_anchor(prefix: &str, field: &str) -> String {
    let f = match field {
        "orders" | "orders.category" => "order_category",
        "orders.deadline" => "order_deadline",
        "sanction" => "sanction.description",
        f => f,
    };
    format!("{prefix}-{}", f.replace('.', "-"))
}

fn anchor(field: &str) -> String {
    field_anchor("visit", field)
}

/// The network's other organisations a visit may be joint with: (id, name · kind, chosen).
async fn agencies(
    state: &AppState,
    nav: &Nav,
    own: uuid::Uuid,
    chosen: &[String],
) -> Result<Vec<Choice>, WebError> {
    Ok(state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.id != own)
        .map(|o| {
            let id = o.id.to_string();
            let on = chosen.iter().any(|c| c.trim() == id);
            (
                id,
                format!("{} · {}", o.name, nav.label("org_kind", o.kind.as_str())),
                on,
            )
        })
        .collect())
}

/// A visit as a line of the work list.
pub struct VisitLine {
    id: String,
    entity_id: String,
    entity: String,
    planned_on: String,
    follow_up: bool,
}

/// An order past its deadline, as a line.
pub struct OrderLine {
    inspection_id: String,
    entity_id: String,
    entity: String,
    category: String,
    deadline: String,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct WorkListPage {
    nav: Nav,
    planned: Vec<VisitLine>,
    overdue_follow_ups: Vec<VisitLine>,
    overdue_orders: Vec<OrderLine>,
    entities: Vec<Choice>,
    statuses: Vec<Choice>,
    indicators: Vec<Choice>,
    categories: Vec<Choice>,
    order_categories: Vec<Choice>,
    agencies: Vec<Choice>,
    /// The fields' id prefix in the shared part of the visit forms.
    p: &'static str,
    /// The sanction as typed: description, authority, date.
    sx: (String, String, String),
    form: VisitForm,
    errors: Vec<UiError>,
}

async fn work_list_page(
    state: &AppState,
    s: &UiSession,
    form: VisitForm,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let list = state.store.inspection_work_list(actor).await?;
    let register = state.store.search_entities(actor, "").await?;
    let nav = Nav::of(state, s).await?;
    let visit = |v: passage_store::labour::inspections::VisitItem| VisitLine {
        id: v.id.to_string(),
        entity_id: v.entity_id.to_string(),
        entity: v.entity_name,
        planned_on: v.planned_on,
        follow_up: v.follow_up,
    };
    let mut entities: Vec<Choice> = register
        .into_iter()
        .map(|e| {
            let id = e.id.to_string();
            let chosen = id == form.entity_id;
            (id, format!("{} · {}", e.name, e.country.as_str()), chosen)
        })
        .collect();
    entities.sort_by(|a, b| a.1.cmp(&b.1));
    let agencies = agencies(state, &nav, actor.org_id(), &form.joint_with).await?;
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&WorkListPage {
            planned: list.planned.into_iter().map(visit).collect(),
            overdue_follow_ups: list.overdue_follow_ups.into_iter().map(visit).collect(),
            overdue_orders: list
                .overdue_orders
                .into_iter()
                .map(|o| OrderLine {
                    inspection_id: o.inspection_id.to_string(),
                    entity_id: o.entity_id.to_string(),
                    entity: o.entity_name,
                    category: nav.label("law_category", o.category.as_str()),
                    deadline: o.deadline,
                })
                .collect(),
            entities,
            statuses: choices(
                VisitStatus::ALL,
                VisitStatus::as_str,
                |v| nav.label("visit_status", v),
                std::slice::from_ref(&form.status),
            ),
            indicators: FORCED_LABOUR_INDICATORS
                .iter()
                .map(|i| {
                    (
                        i.to_string(),
                        nav.label("fl_indicator", i),
                        form.indicators.iter().any(|x| x == i),
                    )
                })
                .collect(),
            categories: choices(
                LawCategory::ALL,
                LawCategory::as_str,
                |v| nav.label("law_category", v),
                &form.law_categories,
            ),
            order_categories: choices(
                LawCategory::ALL,
                LawCategory::as_str,
                |v| nav.label("law_category", v),
                std::slice::from_ref(&form.order_category),
            ),
            agencies,
            p: "visit",
            sx: (
                form.sanction_description.clone(),
                form.sanction_authority.clone(),
                form.sanction_decided_on.clone(),
            ),
            form,
            errors,
            nav,
        }),
        has_errors,
    ))
}

pub async fn work_list(State(state): State<AppState>, s: UiSession) -> Result<Response, WebError> {
    work_list_page(&state, &s, VisitForm::default(), Vec::new()).await
}

pub async fn record(
    State(state): State<AppState>,
    StaffForm(s, form): StaffForm<VisitForm>,
) -> Result<Response, WebError> {
    let actor = s.session.actor.clone();
    state.store.inspection_firewall(&actor).await?;
    let org = actor.org_id();
    match state
        .store
        .record_inspection(&Authority::User(actor), org, &form.raw())
        .await
    {
        Ok(id) => Ok(done(&format!("/inspections/{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, anchor)?;
            work_list_page(&state, &s, form, errors).await
        }
    }
}

// ------------------------------------------------------------------ targets

/// The country and sector of a ranking.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct TargetFilter {
    country: String,
    sector: String,
}

/// A part of a score in words.
pub struct PartLine {
    factor: String,
    value: String,
    points: u64,
}

/// An entity ranked, as a row.
pub struct TargetRow {
    rank: usize,
    entity_id: String,
    name: String,
    country: String,
    score: u64,
    parts: Vec<PartLine>,
}

#[derive(Template)]
#[template(path = "inspection_targets.html")]
struct TargetsPage {
    nav: Nav,
    rows: Vec<TargetRow>,
    countries: Vec<Choice>,
    sectors: Vec<Choice>,
    errors: Vec<UiError>,
}

pub async fn targets(
    State(state): State<AppState>,
    s: UiSession,
    Query(q): Query<TargetFilter>,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    state.store.inspection_firewall(actor).await?;
    let (found, errors) = match filters(Some(&q.country), Some(&q.sector)) {
        Ok((country, sector)) => (
            state
                .store
                .inspection_targets(actor, country, sector)
                .await?,
            Vec::new(),
        ),
        Err(e) => (Vec::new(), ui_errors(e, |f| format!("targets-{f}"))?),
    };
    let nav = Nav::of(&state, &s).await?;
    let rows = found
        .into_iter()
        .enumerate()
        .map(|(i, t)| TargetRow {
            rank: i + 1,
            entity_id: t.entity_id.to_string(),
            name: t.name,
            country: nav.country(t.country.as_str()),
            score: t.risk.score,
            parts: t
                .risk
                .parts
                .iter()
                .map(|p| PartLine {
                    factor: nav.label("risk_factor", p.factor),
                    value: match (&p.value, p.factor) {
                        (PartValue::Count(Some(n)), _) => n.to_string(),
                        (PartValue::Count(None), FACTOR_COMPLAINTS) => {
                            nav.t1("entities-under-k", "k", DEFAULT_MIN_CELL)
                        }
                        (PartValue::Count(None), FACTOR_LAST_VISIT) => {
                            nav.t("inspections-never-visited")
                        }
                        (PartValue::Count(None), _) => String::new(),
                        (PartValue::Status(st), _) => nav.label("licence_status", st.as_str()),
                    },
                    points: p.points,
                })
                .collect(),
        })
        .collect();
    let mut countries: Vec<Choice> = nav
        .countries()
        .iter()
        .map(|(c, n)| {
            (
                c.to_string(),
                n.to_string(),
                c.eq_ignore_ascii_case(&q.country),
            )
        })
        .collect();
    countries.sort_by(|a, b| a.1.cmp(&b.1));
    let has_errors = !errors.is_empty();
    Ok(again(
        page(&TargetsPage {
            rows,
            countries,
            sectors: Sector::ALL
                .iter()
                .map(|x| {
                    (
                        x.as_str().to_string(),
                        format!("{} · {}", x.as_str(), nav.label("sector", x.as_str())),
                        x.as_str().eq_ignore_ascii_case(&q.sector),
                    )
                })
                .collect(),
            errors,
            nav,
        }),
        has_errors,
    ))
}

// ------------------------------------------------------------------ one visit

/// An order as a line of a visit.
pub struct OrderRow {
    id: String,
    category: String,
    deadline: String,
    complied_on: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "inspection.html")]
struct VisitPage {
    nav: Nav,
    entity_id: String,
    entity: String,
    status: String,
    planned_on: String,
    done_on: String,
    joint_with: Vec<String>,
    indicators: Vec<String>,
    categories: Vec<String>,
    orders: Vec<OrderRow>,
    sanctions: Vec<(String, String, String)>,
    follow_up_of: Option<String>,
    follow_ups: Vec<(String, String, String)>,
    by_category: Vec<(String, String)>,
    by_indicator: Vec<(String, String)>,
    id: String,
    /// A planned visit of the reader's own inspectorate: the outcome form.
    concludable: bool,
    outcomes: Vec<Choice>,
    all_indicators: Vec<Choice>,
    all_categories: Vec<Choice>,
    order_categories: Vec<Choice>,
    agencies: Vec<Choice>,
    p: &'static str,
    sx: (String, String, String),
    /// The outcome form as typed, shown again after a problem.
    typed: OutcomeForm,
    errors: Vec<UiError>,
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    visit_page(&state, &s, id, Vec::new(), OutcomeForm::default()).await
}

async fn visit_page(
    state: &AppState,
    s: &UiSession,
    id: uuid::Uuid,
    errors: Vec<UiError>,
    typed: OutcomeForm,
) -> Result<Response, WebError> {
    let actor = &s.session.actor;
    let v = state.store.inspection(actor, id).await?;
    let (_, cells) = state.store.entity_links(actor, v.entity_id).await?;
    let nav = Nav::of(state, s).await?;
    let concludable = v.status == VisitStatus::Planned;
    let agencies = agencies(state, &nav, actor.org_id(), &typed.joint_with).await?;
    let has_errors = !errors.is_empty();
    let under_k = |n: Option<u64>| match n {
        Some(n) => n.to_string(),
        None => nav.t1("entities-under-k", "k", DEFAULT_MIN_CELL),
    };
    Ok(again(
        page(&VisitPage {
            id: v.id.to_string(),
            concludable,
            outcomes: [VisitStatus::Done, VisitStatus::Cancelled]
                .iter()
                .map(|x| {
                    (
                        x.as_str().to_string(),
                        nav.label("visit_status", x.as_str()),
                        typed.status == x.as_str(),
                    )
                })
                .collect(),
            all_indicators: FORCED_LABOUR_INDICATORS
                .iter()
                .map(|i| {
                    (
                        i.to_string(),
                        nav.label("fl_indicator", i),
                        typed.indicators.iter().any(|x| x == i),
                    )
                })
                .collect(),
            all_categories: choices(
                LawCategory::ALL,
                LawCategory::as_str,
                |x| nav.label("law_category", x),
                &typed.law_categories,
            ),
            order_categories: choices(
                LawCategory::ALL,
                LawCategory::as_str,
                |x| nav.label("law_category", x),
                std::slice::from_ref(&typed.order_category),
            ),
            agencies,
            p: "outcome",
            sx: (
                typed.sanction_description.clone(),
                typed.sanction_authority.clone(),
                typed.sanction_decided_on.clone(),
            ),
            typed,
            errors,
            entity_id: v.entity_id.to_string(),
            entity: v.entity_name,
            status: nav.label("visit_status", v.status.as_str()),
            planned_on: v.planned_on,
            done_on: v.done_on.unwrap_or_default(),
            joint_with: v.joint_with.into_iter().map(|(_, n)| n).collect(),
            indicators: v
                .indicators
                .iter()
                .map(|i| nav.label("fl_indicator", i))
                .collect(),
            categories: v
                .law_categories
                .iter()
                .map(|c| nav.label("law_category", c.as_str()))
                .collect(),
            orders: v
                .orders
                .into_iter()
                .map(|o| OrderRow {
                    id: o.id.to_string(),
                    category: nav.label("law_category", o.category.as_str()),
                    deadline: o.deadline,
                    complied_on: o.complied_on.unwrap_or_default(),
                    overdue: o.overdue,
                })
                .collect(),
            sanctions: v.sanctions,
            follow_up_of: v.follow_up_of.map(|f| f.to_string()),
            follow_ups: v
                .follow_ups
                .into_iter()
                .map(|(i, d, st)| (i.to_string(), d, nav.label("visit_status", st.as_str())))
                .collect(),
            by_category: cells
                .into_iter()
                .map(|c| (nav.label("category", &c.key), under_k(c.count)))
                .collect(),
            by_indicator: v
                .reported_indicators
                .into_iter()
                .map(|c| (nav.label("fl_indicator", &c.key), under_k(c.count)))
                .collect(),
            nav,
        }),
        has_errors,
    ))
}

/// What became of a planned visit, as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    status: String,
    done_on: String,
    indicators: Vec<String>,
    law_categories: Vec<String>,
    follow_up_on: String,
    order_category: String,
    order_deadline: String,
    joint_with: Vec<String>,
    sanction_description: String,
    sanction_authority: String,
    sanction_decided_on: String,
}
crate::form_body!(OutcomeForm);

pub async fn outcome(
    State(state): State<AppState>,
    Id(id): Id,
    StaffForm(s, form): StaffForm<OutcomeForm>,
) -> Result<Response, WebError> {
    let (orders, joint_with, sanction) = extras(
        &form.order_category,
        &form.order_deadline,
        &form.joint_with,
        [
            &form.sanction_description,
            &form.sanction_authority,
            &form.sanction_decided_on,
        ],
    );
    let raw = RawInspection {
        status: form.status.clone(),
        done_on: form.done_on.clone(),
        indicators: form.indicators.clone(),
        law_categories: form.law_categories.clone(),
        follow_up_on: form.follow_up_on.clone(),
        joint_with,
        orders,
        sanction,
        ..Default::default()
    };
    match state
        .store
        .conclude_inspection(&s.session.actor, id, &raw)
        .await
    {
        Ok(()) => Ok(done(&format!("/inspections/{id}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| field_anchor("outcome", f))?;
            visit_page(&state, &s, id, errors, form).await
        }
    }
}

/// The day an order was complied with, as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CompliedForm {
    complied_on: String,
    inspection: String,
}
crate::form_body!(CompliedForm);

pub async fn complied(
    State(state): State<AppState>,
    Id(order): Id,
    StaffForm(s, form): StaffForm<CompliedForm>,
) -> Result<Response, WebError> {
    let back = uuid::Uuid::parse_str(form.inspection.trim()).ok();
    match state
        .store
        .order_complied(&s.session.actor, order, &form.complied_on)
        .await
    {
        Ok(()) => Ok(done(
            &back.map_or_else(
                || "/inspections".to_string(),
                |b| format!("/inspections/{b}"),
            ),
            "saved",
        )),
        Err(e) => {
            let errors = ui_errors(e, |_| format!("order-{order}"))?;
            match back {
                Some(b) => visit_page(&state, &s, b, errors, OutcomeForm::default()).await,
                None => work_list_page(&state, &s, VisitForm::default(), errors).await,
            }
        }
    }
}
