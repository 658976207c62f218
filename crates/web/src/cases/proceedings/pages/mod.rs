//! The "Justice" page of a case: the person's stance on cooperation (with the rule that
//! assistance never depends on it), the perpetrators, and the proceedings with their stages,
//! the victim's role, protection measures, hearings, outcome and compensation. Every form
//! posts here and comes back with the saved line or its errors.

mod forms;

pub use forms::{
    add_perpetrator, change_hearing, hearing, link, measure_form, open, order, outcome, pay,
    set_cooperation, stage,
};

use crate::AppState;
use crate::kit::form::{error_status, with_status};
use crate::kit::{Id, Nav, UiError, UiSession, WebError, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::Sex;
use passage_core::casework::proceedings::{
    AgeBand, CooperationStance, HearingKind, MeasureKind, MeasureStatus, PerpetratorRelation,
    PerpetratorRole, ProceedingKind, ProceedingOutcome, ProceedingStage, VictimRole, may_move,
};
use uuid::Uuid;

/// A perpetrator as the page shows it.
pub struct PerpetratorRow {
    id: String,
    /// "Perpetrator 1", in order of recording.
    name: String,
    roles: String,
    facts: Vec<(String, String)>,
    details: Option<String>,
}

/// A hearing as the page shows it.
pub struct HearingRow {
    id: String,
    date: String,
    time: String,
    kind: String,
    place: Option<String>,
    cancelled: bool,
}

/// A proceeding as the page shows it.
pub struct ProceedingRow {
    id: String,
    kind: String,
    stage: String,
    open: bool,
    facts: Vec<(String, String)>,
    sentence: Option<String>,
    stages: Vec<String>,
    perpetrators: Vec<String>,
    measures: Vec<(String, String, &'static str)>,
    hearings: Vec<HearingRow>,
    ordered: Option<String>,
    paid: Option<String>,
    payments: Vec<String>,
    next: Vec<(&'static str, String)>,
    unlinked: Vec<(String, String)>,
}

/// The form that records the stance on cooperation.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CooperationForm {
    stance: String,
    stated_on: String,
}
crate::form_body!(CooperationForm);

/// The form that records a perpetrator.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PerpetratorForm {
    roles: Vec<String>,
    sex: String,
    age_band: String,
    citizenship: String,
    relation: String,
    details: String,
}
crate::form_body!(PerpetratorForm);

/// The form that records a proceeding.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ProceedingForm {
    kind: String,
    stage: String,
    authority: String,
    reference: String,
    victim_role: String,
}
crate::form_body!(ProceedingForm);

/// A stage change.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StageForm {
    stage: String,
}
crate::form_body!(StageForm);

/// A perpetrator linked to a proceeding.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct LinkForm {
    perpetrator_id: String,
}
crate::form_body!(LinkForm);

/// A protection measure.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct MeasureForm {
    kind: String,
    status: String,
}
crate::form_body!(MeasureForm);

/// A hearing.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct HearingForm {
    date: String,
    time: String,
    kind: String,
    place: String,
}
crate::form_body!(HearingForm);

/// A hearing moved or cancelled.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct HearingChangeForm {
    date: String,
    time: String,
    cancel: Option<String>,
}
crate::form_body!(HearingChangeForm);

/// The outcome.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    outcome: String,
    sentence: String,
    decided_on: String,
}
crate::form_body!(OutcomeForm);

/// Compensation ordered.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct CompensationForm {
    amount: String,
    currency: String,
}
crate::form_body!(CompensationForm);

/// A payment.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PaymentForm {
    amount: String,
    paid_on: String,
}
crate::form_body!(PaymentForm);

/// What the top forms were typed with, shown again with their errors.
#[derive(Default)]
pub struct Typed {
    cooperation: CooperationForm,
    perpetrator: PerpetratorForm,
    proceeding: ProceedingForm,
}

#[derive(Template)]
#[template(path = "justice.html")]
struct JusticePage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    stance: Option<(String, String)>,
    perpetrators: Vec<PerpetratorRow>,
    proceedings: Vec<ProceedingRow>,
    stances: Vec<(&'static str, String)>,
    roles: Vec<(&'static str, String, bool)>,
    sexes: Vec<(&'static str, String)>,
    age_bands: Vec<(&'static str, String)>,
    relations: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    open_stages: Vec<(&'static str, String)>,
    victim_roles: Vec<(&'static str, String)>,
    measure_kinds: Vec<(&'static str, String)>,
    measure_statuses: Vec<(&'static str, String)>,
    hearing_kinds: Vec<(&'static str, String)>,
    outcomes: Vec<(&'static str, String)>,
    typed: Typed,
}

fn labels<T: Copy>(
    nav: &Nav,
    kind: &str,
    all: &[T],
    id: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, String)> {
    all.iter()
        .map(|v| (id(*v), nav.label(kind, id(*v))))
        .collect()
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    typed: Typed,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let stance = state.store.cooperation(actor, case_id).await?;
    let perps = state.store.perpetrators(actor, case_id).await?;
    let list = state.store.proceedings(actor, case_id).await?;
    let perp_name = |id: Uuid| -> String {
        perps
            .iter()
            .position(|p| p.id == id)
            .map(|i| nav.t1("justice-perpetrator-n", "n", i + 1))
            .unwrap_or_default()
    };
    let perpetrators: Vec<PerpetratorRow> = perps
        .iter()
        .map(|p| {
            let mut facts = Vec::new();
            if let Some(x) = p.sex {
                facts.push((nav.t("justice-perp-sex"), nav.label("sex", x.as_str())));
            }
            if let Some(x) = p.age_band {
                facts.push((nav.t("justice-perp-age"), nav.label("age_band", x.as_str())));
            }
            if let Some(x) = p.citizenship {
                facts.push((nav.t("justice-perp-citizenship"), nav.country(x.as_str())));
            }
            if let Some(x) = p.relation {
                facts.push((
                    nav.t("justice-perp-relation"),
                    nav.label("perpetrator_relation", x.as_str()),
                ));
            }
            PerpetratorRow {
                id: p.id.to_string(),
                name: perp_name(p.id),
                roles: nav.labels("perpetrator_role", &p.roles),
                facts,
                details: p.details.clone(),
            }
        })
        .collect();
    let proceedings = list
        .into_iter()
        .map(|p| {
            let mut facts = vec![(
                nav.t("justice-victim-role"),
                nav.label("victim_role", p.victim_role.as_str()),
            )];
            if let Some(a) = &p.authority {
                facts.push((nav.t("justice-authority"), a.clone()));
            }
            if let Some(r) = &p.reference {
                facts.push((nav.t("justice-reference"), r.clone()));
            }
            if let Some(o) = p.outcome {
                facts.push((
                    nav.t("justice-outcome"),
                    nav.label("proceeding_outcome", o.as_str()),
                ));
            }
            if let Some(d) = p.decided_on {
                facts.push((nav.t("justice-decided-on"), d.to_string()));
            }
            let stages = p
                .stages
                .iter()
                .map(|m| {
                    format!(
                        "{} · {} · {}",
                        nav.label("proceeding_stage", m.to.as_str()),
                        m.by,
                        nav.when(m.at)
                    )
                })
                .collect();
            let next = ProceedingStage::ALL
                .iter()
                .filter(|s| may_move(p.stage, **s))
                .map(|s| (s.as_str(), nav.label("proceeding_stage", s.as_str())))
                .collect();
            let unlinked = perps
                .iter()
                .filter(|x| !p.perpetrators.contains(&x.id))
                .map(|x| (x.id.to_string(), perp_name(x.id)))
                .collect();
            ProceedingRow {
                id: p.id.to_string(),
                kind: nav.label("proceeding_kind", p.kind.as_str()),
                stage: nav.label("proceeding_stage", p.stage.as_str()),
                open: p.stage != ProceedingStage::Closed,
                facts,
                sentence: p.sentence,
                stages,
                perpetrators: p.perpetrators.iter().map(|id| perp_name(*id)).collect(),
                measures: p
                    .measures
                    .iter()
                    .map(|m| {
                        (
                            nav.label("measure_kind", m.kind.as_str()),
                            nav.label("measure_status", m.status.as_str()),
                            m.status.as_str(),
                        )
                    })
                    .collect(),
                hearings: p
                    .hearings
                    .iter()
                    .map(|h| HearingRow {
                        id: h.id.to_string(),
                        date: h.date.to_string(),
                        time: h.time.clone().unwrap_or_default(),
                        kind: nav.label("hearing_kind", h.kind.as_str()),
                        place: h.place.clone(),
                        cancelled: h.cancelled,
                    })
                    .collect(),
                ordered: p.compensation.as_ref().map(|c| c.ordered.format()),
                paid: p.compensation.as_ref().map(|c| c.paid.format()),
                payments: p
                    .compensation
                    .as_ref()
                    .map(|c| {
                        c.payments
                            .iter()
                            .map(|x| format!("{} · {}", x.paid_on, x.money.format()))
                            .collect()
                    })
                    .unwrap_or_default(),
                next,
                unlinked,
            }
        })
        .collect();
    let status = error_status(&errors);
    Ok(with_status(
        page(&JusticePage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            stance: stance.map(|c| {
                (
                    nav.label("cooperation_stance", c.stance.as_str()),
                    c.stated_on.to_string(),
                )
            }),
            perpetrators,
            proceedings,
            stances: labels(&nav, "cooperation_stance", CooperationStance::ALL, |v| {
                v.as_str()
            }),
            roles: PerpetratorRole::ALL
                .iter()
                .map(|r| {
                    (
                        r.as_str(),
                        nav.label("perpetrator_role", r.as_str()),
                        typed.perpetrator.roles.iter().any(|t| t == r.as_str()),
                    )
                })
                .collect(),
            sexes: labels(&nav, "sex", Sex::ALL, |v| v.as_str()),
            age_bands: labels(&nav, "age_band", AgeBand::ALL, |v| v.as_str()),
            relations: labels(
                &nav,
                "perpetrator_relation",
                PerpetratorRelation::ALL,
                |v| v.as_str(),
            ),
            kinds: labels(&nav, "proceeding_kind", ProceedingKind::ALL, |v| v.as_str()),
            open_stages: labels(
                &nav,
                "proceeding_stage",
                &ProceedingStage::ALL[..ProceedingStage::ALL.len() - 1],
                |v| v.as_str(),
            ),
            victim_roles: labels(&nav, "victim_role", VictimRole::ALL, |v| v.as_str()),
            measure_kinds: labels(&nav, "measure_kind", MeasureKind::ALL, |v| v.as_str()),
            measure_statuses: labels(&nav, "measure_status", MeasureStatus::ALL, |v| v.as_str()),
            hearing_kinds: labels(&nav, "hearing_kind", HearingKind::ALL, |v| v.as_str()),
            outcomes: labels(&nav, "proceeding_outcome", ProceedingOutcome::ALL, |v| {
                v.as_str()
            }),
            typed,
            nav,
        }),
        status,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    render(&state, &s, id, Vec::new(), Typed::default()).await
}
