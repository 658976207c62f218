//! The forms of the case's "Justice" page and what each does when posted.

use super::{
    CompensationForm, CooperationForm, HearingChangeForm, HearingForm, LinkForm, MeasureForm,
    OutcomeForm, PaymentForm, PerpetratorForm, ProceedingForm, StageForm, Typed, render,
};
use crate::AppState;
use crate::kit::form::{StaffForm, ui_errors};
use crate::kit::{Id, Ids, UiSession, WebError, done};
use axum::extract::State;
use axum::response::Response;
use passage_core::casework::proceedings::{
    RawHearing, RawHearingChange, RawOutcome, RawPayment, RawPerpetrator, RawProceeding,
    compensation, cooperation, measure,
};
use passage_core::labour::money::Amount;
use passage_store::StoreError;
use uuid::Uuid;

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
