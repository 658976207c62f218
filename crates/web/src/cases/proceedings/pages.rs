//! The "Justice" page of a case: the person's stance on cooperation (with the rule that
//! assistance never depends on it), the perpetrators, and the proceedings with their stages,
//! the victim's role, protection measures, hearings, outcome and compensation. Every form
//! posts here and comes back with the saved line or its errors.

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Ids, UiError, UiSession, WebError, done};
use crate::kit::{Nav, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::Sex;
use passage_core::casework::proceedings::{
    AgeBand, CooperationStance, HearingKind, MeasureKind, MeasureStatus, PerpetratorRelation,
    PerpetratorRole, ProceedingKind, ProceedingOutcome, ProceedingStage, RawHearing,
    RawHearingChange, RawOutcome, RawPayment, RawPerpetrator, RawProceeding, VictimRole,
    compensation, cooperation, may_move, measure,
};
use passage_core::labour::money::Amount;
use passage_store::StoreError;
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

async fn answer(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    result: Result<(), StoreError>,
    prefix: &str,
    typed: Typed,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/justice"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("{prefix}-{}", f.replace('_', "-")))?;
            render(state, s, case_id, errors, typed).await
        }
    }
}

fn checked<T>(r: Result<T, passage_core::validate::Problems>) -> Result<T, StoreError> {
    r.map_err(StoreError::Invalid)
}

async fn cooperation_form(
    state: &AppState,
    case_id: Uuid,
    s: &UiSession,
    form: &CooperationForm,
) -> Result<(), StoreError> {
    let (stance, on) = checked(cooperation(&form.stance, &form.stated_on))?;
    state
        .store
        .record_cooperation(&s.session.actor, case_id, stance, on)
        .await
}

pub async fn set_cooperation(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<CooperationForm>,
) -> Result<Response, WebError> {
    let result = cooperation_form(&state, case_id, &s, &form).await;
    let typed = Typed {
        cooperation: form,
        ..Default::default()
    };
    answer(&state, &s, case_id, result, "cooperation", typed).await
}

pub async fn add_perpetrator(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<PerpetratorForm>,
) -> Result<Response, WebError> {
    let raw = RawPerpetrator {
        roles: form.roles.clone(),
        sex: form.sex.clone(),
        age_band: form.age_band.clone(),
        citizenship: form.citizenship.clone(),
        relation: form.relation.clone(),
        details: form.details.clone(),
    };
    let result = match checked(raw.validate()) {
        Ok(p) => state
            .store
            .record_perpetrator(&s.session.actor, case_id, p)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let typed = Typed {
        perpetrator: form,
        ..Default::default()
    };
    answer(&state, &s, case_id, result, "perpetrator", typed).await
}

pub async fn open(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ProceedingForm>,
) -> Result<Response, WebError> {
    let raw = RawProceeding {
        kind: form.kind.clone(),
        stage: form.stage.clone(),
        authority: form.authority.clone(),
        reference: form.reference.clone(),
        victim_role: form.victim_role.clone(),
    };
    let result = match checked(raw.validate()) {
        Ok(p) => state
            .store
            .open_proceeding(&s.session.actor, case_id, p)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let typed = Typed {
        proceeding: form,
        ..Default::default()
    };
    answer(&state, &s, case_id, result, "proceeding", typed).await
}

pub async fn stage(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<StageForm>,
) -> Result<Response, WebError> {
    let result = state
        .store
        .move_proceeding(&s.session.actor, case_id, pid, &form.stage)
        .await
        .map(|_| ());
    let prefix = format!("stage-{pid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}

pub async fn link(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<LinkForm>,
) -> Result<Response, WebError> {
    let result = match checked(passage_core::validate::staff_id(
        "perpetrator_id",
        &form.perpetrator_id,
    )) {
        Ok(perp) => {
            state
                .store
                .link_perpetrator(&s.session.actor, case_id, pid, perp)
                .await
        }
        Err(e) => Err(e),
    };
    let prefix = format!("link-{pid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}

pub async fn measure_form(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<MeasureForm>,
) -> Result<Response, WebError> {
    let result = match checked(measure(&form.kind, &form.status)) {
        Ok((k, st)) => {
            state
                .store
                .set_measure(&s.session.actor, case_id, pid, k, st)
                .await
        }
        Err(e) => Err(e),
    };
    let prefix = format!("measure-{pid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}

pub async fn hearing(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<HearingForm>,
) -> Result<Response, WebError> {
    let raw = RawHearing {
        date: form.date,
        time: form.time,
        kind: form.kind,
        place: form.place,
    };
    let result = match checked(raw.validate()) {
        Ok(h) => state
            .store
            .add_hearing(&s.session.actor, case_id, pid, h)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let prefix = format!("hearing-{pid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}

pub async fn change_hearing(
    State(state): State<AppState>,
    Ids((case_id, pid, hid)): Ids<(Uuid, Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<HearingChangeForm>,
) -> Result<Response, WebError> {
    let raw = RawHearingChange {
        date: form.date,
        time: form.time,
        cancelled: form.cancel.is_some(),
    };
    let result = match checked(raw.validate()) {
        Ok(c) => {
            state
                .store
                .change_hearing(&s.session.actor, case_id, pid, hid, c)
                .await
        }
        Err(e) => Err(e),
    };
    let prefix = format!("move-{hid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}

pub async fn outcome(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<OutcomeForm>,
) -> Result<Response, WebError> {
    let raw = RawOutcome {
        outcome: form.outcome,
        sentence: form.sentence,
        decided_on: form.decided_on,
    };
    let result = match checked(raw.validate()) {
        Ok(o) => {
            state
                .store
                .record_outcome(&s.session.actor, case_id, pid, o)
                .await
        }
        Err(e) => Err(e),
    };
    let prefix = format!("outcome-{pid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}

pub async fn order(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<CompensationForm>,
) -> Result<Response, WebError> {
    let result = match checked(compensation(&Amount::typed(&form.amount), &form.currency)) {
        Ok(m) => {
            state
                .store
                .order_compensation(&s.session.actor, case_id, pid, m)
                .await
        }
        Err(e) => Err(e),
    };
    let prefix = format!("order-{pid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}

pub async fn pay(
    State(state): State<AppState>,
    Ids((case_id, pid)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<PaymentForm>,
) -> Result<Response, WebError> {
    let raw = RawPayment {
        amount: Amount::typed(&form.amount),
        paid_on: form.paid_on,
    };
    let result = state
        .store
        .record_payment(&s.session.actor, case_id, pid, raw)
        .await
        .map(|_| ());
    let prefix = format!("pay-{pid}");
    answer(&state, &s, case_id, result, &prefix, Typed::default()).await
}
