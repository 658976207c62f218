//! The "Work and pay" tab of a case: fees and costs paid, debts, the contract promised beside
//! the contract found with each differing term marked, wages owed, and claims with their stage
//! and deadline. The case's own organisation records; every reader of the case sees it.

use crate::AppState;
use crate::kit::form::{StaffForm, error_status, ui_errors, with_status};
use crate::kit::{Id, Ids, Nav, UiError, UiSession, WebError, done, page, today};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_core::labour::Amount;
use passage_core::labour::WagePeriod;
use passage_core::labour::remedies::{
    ClaimKind, ClaimStage, ClaimSubject, RawClaim, RawClaimChange, may_move,
};
use passage_core::labour::worker::{
    ContractTerms, FeeKind, RawContract, RawDebt, RawFee, RawWages, Term,
};
use passage_core::validate::Problems;
use passage_store::StoreError;
use passage_store::casework::labour::{ClaimRecord, WorkerAccount};
use passage_store::casework::proceedings::RemedySource;
use uuid::Uuid;

/// A fee as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct FeeForm {
    kind: String,
    amount: String,
    currency: String,
    paid_to: String,
    paid_on: String,
    evidence: String,
}

/// A debt as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct DebtForm {
    owed_to: String,
    amount: String,
    currency: String,
    terms: String,
}

/// A contract as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ContractForm {
    version: String,
    wage_amount: String,
    wage_currency: String,
    wage_period: String,
    hours_per_week: String,
    job_title: String,
    employer: String,
    place: String,
    days_off: String,
}

/// Wages owed as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct WagesForm {
    period_from: String,
    period_to: String,
    amount: String,
    currency: String,
}

/// A claim as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ClaimForm {
    kind: String,
    subject: String,
    amount: String,
    currency: String,
    deadline: String,
    note: String,
}

/// A claim's change as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct ClaimChangeForm {
    version: i64,
    stage: String,
    recovered: String,
    deadline: String,
}
crate::form_body!(
    FeeForm,
    DebtForm,
    ContractForm,
    WagesForm,
    ClaimForm,
    ClaimChangeForm
);

/// Every form of the page, as typed when one came back with problems.
#[derive(Default)]
pub struct Forms {
    fee: FeeForm,
    debt: DebtForm,
    contract: ContractForm,
    wages: WagesForm,
    claim: ClaimForm,
}

pub struct FeeRow {
    kind: String,
    amount: String,
    paid_to: String,
    paid_on: String,
    evidence: String,
}

pub struct DebtRow {
    owed_to: String,
    amount: String,
    terms: String,
}

/// One term of the comparison: its label, what each contract says, and whether they differ.
pub struct TermRow {
    term: &'static str,
    label: String,
    promised: String,
    found: String,
    differs: bool,
}

pub struct WagesRow {
    period: String,
    amount: String,
}

pub struct ClaimRow {
    id: String,
    kind: String,
    subject: String,
    stage: String,
    stage_code: &'static str,
    claimed: String,
    recovered: String,
    recovered_typed: String,
    deadline: String,
    deadline_left: String,
    note: String,
    version: i64,
    /// (value, label) of the stages the claim may move to.
    next: Vec<(&'static str, String)>,
}

/// One remedy as the remedies table shows it.
pub struct RemedyRow {
    what: String,
    claimed: String,
    awarded: String,
    recovered: String,
}

#[derive(Template)]
#[template(path = "labour.html")]
struct LabourPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    name: String,
    errors: Vec<UiError>,
    can_write: bool,
    fees: Vec<FeeRow>,
    debts: Vec<DebtRow>,
    terms: Vec<TermRow>,
    has_promised: bool,
    has_found: bool,
    differing: usize,
    wages: Vec<WagesRow>,
    claims: Vec<ClaimRow>,
    /// The case's remedies in one place: claims and compensation ordered in proceedings.
    remedies: Vec<RemedyRow>,
    /// Per currency: claimed, awarded, recovered.
    remedy_totals: Vec<(String, String, String)>,
    fee_kinds: Vec<(&'static str, String)>,
    wage_periods: Vec<(&'static str, String)>,
    claim_kinds: Vec<(&'static str, String)>,
    claim_subjects: Vec<(&'static str, String)>,
    forms: Forms,
}

fn term_value(nav: &Nav, t: Term, c: Option<&ContractTerms>) -> String {
    let Some(c) = c else {
        return String::new();
    };
    match t {
        Term::Wage => c
            .wage
            .map(|w| {
                format!(
                    "{} / {}",
                    w.money.format(),
                    nav.label("wage_period", w.period.as_str())
                )
            })
            .unwrap_or_default(),
        Term::HoursPerWeek => c.hours_per_week.map(|h| h.to_string()).unwrap_or_default(),
        Term::JobTitle => c.job_title.clone().unwrap_or_default(),
        Term::Employer => c.employer.clone().unwrap_or_default(),
        Term::Place => c.place.clone().unwrap_or_default(),
        Term::DaysOff => c.days_off.map(|d| d.to_string()).unwrap_or_default(),
    }
}

fn claim_row(nav: &Nav, c: &ClaimRecord) -> ClaimRow {
    ClaimRow {
        id: c.id.to_string(),
        kind: nav.label("claim_kind", c.kind.as_str()),
        subject: nav.label("claim_subject", c.subject.as_str()),
        stage: nav.label("claim_stage", c.stage.as_str()),
        stage_code: c.stage.as_str(),
        claimed: c.claimed.format(),
        recovered: c.recovered.format(),
        recovered_typed: c.recovered.currency.format(c.recovered.minor),
        deadline: c.deadline.map(|d| d.to_string()).unwrap_or_default(),
        deadline_left: String::new(),
        note: c.note.clone().unwrap_or_default(),
        version: c.version,
        next: ClaimStage::ALL
            .iter()
            .filter(|s| may_move(c.stage, **s))
            .map(|s| (s.as_str(), nav.label("claim_stage", s.as_str())))
            .collect(),
    }
}

fn choices<T: Copy>(
    nav: &Nav,
    vocab: &str,
    all: &[T],
    as_str: fn(T) -> &'static str,
) -> Vec<(&'static str, String)> {
    all.iter()
        .map(|v| (as_str(*v), nav.label(vocab, as_str(*v))))
        .collect()
}

async fn render(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    errors: Vec<UiError>,
    forms: Forms,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let actor = &s.session.actor;
    let case = state.store.get_case(actor, case_id).await?;
    let a: WorkerAccount = state.store.worker_account(actor, case_id).await?;
    let remedies = state.store.remedies(actor, case_id).await?;
    let remedy_totals = remedies
        .totals
        .iter()
        .map(|t| {
            let f = |minor: i64| {
                passage_core::labour::money::Money {
                    minor,
                    currency: t.currency,
                }
                .format()
            };
            (f(t.claimed), f(t.awarded), f(t.recovered))
        })
        .collect();
    let remedies = remedies
        .lines
        .iter()
        .map(|l| RemedyRow {
            what: match l.source {
                RemedySource::Claim => nav.t1(
                    "justice-remedies-from-claim",
                    "kind",
                    nav.label("claim_kind", l.kind),
                ),
                RemedySource::Proceeding => nav.t1(
                    "justice-remedies-from-proceeding",
                    "kind",
                    nav.label("proceeding_kind", l.kind),
                ),
            },
            claimed: l.claimed.map(|m| m.format()).unwrap_or_default(),
            awarded: l.awarded.map(|m| m.format()).unwrap_or_default(),
            recovered: l.recovered.format(),
        })
        .collect();
    // The forms are shown to whom the policy lets change the case, as the store will decide.
    let can_write = state.store.may_change_case(actor, case_id).await?;
    let promised = a.promised.as_ref().map(|c| &c.terms);
    let found = a.found.as_ref().map(|c| &c.terms);
    let terms = Term::ALL
        .iter()
        .map(|&t| TermRow {
            term: t.as_str(),
            label: nav.label("contract_term", t.as_str()),
            promised: term_value(&nav, t, promised),
            found: term_value(&nav, t, found),
            differs: a.substitution.contains(&t),
        })
        .collect();
    let status = error_status(&errors);
    let today = today(state);
    Ok(with_status(
        page(&LabourPage {
            csrf: nav.csrf.clone(),
            case_id: case_id.to_string(),
            name: format!("{} {}", case.person.given_name, case.person.family_name)
                .trim()
                .to_string(),
            errors,
            can_write,
            remedies,
            remedy_totals,
            fees: a
                .fees
                .iter()
                .map(|f| FeeRow {
                    kind: nav.label("fee_kind", f.kind.as_str()),
                    amount: f.money.format(),
                    paid_to: f.paid_to.clone(),
                    paid_on: f.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                    evidence: f.evidence.clone().unwrap_or_default(),
                })
                .collect(),
            debts: a
                .debts
                .iter()
                .map(|d| DebtRow {
                    owed_to: d.owed_to.clone(),
                    amount: d.money.format(),
                    terms: d.terms.clone().unwrap_or_default(),
                })
                .collect(),
            terms,
            has_promised: a.promised.is_some(),
            has_found: a.found.is_some(),
            differing: a.substitution.len(),
            wages: a
                .wages
                .iter()
                .map(|w| WagesRow {
                    period: match w.period_to {
                        Some(to) => format!("{} – {}", w.period_from, to),
                        None => w.period_from.to_string(),
                    },
                    amount: w.money.format(),
                })
                .collect(),
            claims: a
                .claims
                .iter()
                .map(|c| {
                    let mut row = claim_row(&nav, c);
                    if let Some(d) = c.deadline
                        && c.stage != ClaimStage::Closed
                    {
                        let days = d.0 - today.0;
                        row.deadline_left = if days < 0 {
                            nav.t1("labour-deadline-passed", "days", -days)
                        } else {
                            nav.t1("labour-deadline-in", "days", days)
                        };
                    }
                    row
                })
                .collect(),
            fee_kinds: choices(&nav, "fee_kind", FeeKind::ALL, FeeKind::as_str),
            wage_periods: choices(&nav, "wage_period", WagePeriod::ALL, WagePeriod::as_str),
            claim_kinds: choices(&nav, "claim_kind", ClaimKind::ALL, ClaimKind::as_str),
            claim_subjects: choices(
                &nav,
                "claim_subject",
                ClaimSubject::ALL,
                ClaimSubject::as_str,
            ),
            forms,
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
    render(&state, &s, id, Vec::new(), Forms::default()).await
}

/// Answers a posted form: back to the page's section on success, the page with the problems
/// (anchored at `prefix-field`) and what was typed otherwise.
async fn answer(
    state: &AppState,
    s: &UiSession,
    case_id: Uuid,
    result: Result<(), StoreError>,
    prefix: &str,
    section: &str,
    forms: Forms,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(done(&format!("/cases/{case_id}/labour#{section}"), "saved")),
        Err(e) => {
            let errors = ui_errors(e, |f| format!("{prefix}-{f}"))?;
            render(state, s, case_id, errors, forms).await
        }
    }
}

fn invalid(p: Problems) -> StoreError {
    StoreError::Invalid(p)
}

pub async fn record_fee(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<FeeForm>,
) -> Result<Response, WebError> {
    let raw = RawFee {
        kind: form.kind.clone(),
        amount: Amount::typed(&form.amount),
        currency: form.currency.clone(),
        paid_to: form.paid_to.clone(),
        paid_on: form.paid_on.clone(),
        evidence: form.evidence.clone(),
    };
    let result = match raw.validate(today(&state)) {
        Ok(fee) => state
            .store
            .record_labour_fee(&s.session.actor, case_id, fee)
            .await
            .map(|_| ()),
        Err(p) => Err(invalid(p)),
    };
    let forms = Forms {
        fee: form,
        ..Forms::default()
    };
    answer(&state, &s, case_id, result, "fee", "fees", forms).await
}

pub async fn record_debt(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<DebtForm>,
) -> Result<Response, WebError> {
    let raw = RawDebt {
        owed_to: form.owed_to.clone(),
        amount: Amount::typed(&form.amount),
        currency: form.currency.clone(),
        terms: form.terms.clone(),
    };
    let result = match raw.validate() {
        Ok(debt) => state
            .store
            .record_labour_debt(&s.session.actor, case_id, debt)
            .await
            .map(|_| ()),
        Err(p) => Err(invalid(p)),
    };
    let forms = Forms {
        debt: form,
        ..Forms::default()
    };
    answer(&state, &s, case_id, result, "debt", "debts", forms).await
}

pub async fn record_contract(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ContractForm>,
) -> Result<Response, WebError> {
    let raw = RawContract {
        version: form.version.clone(),
        wage_amount: Amount::typed(&form.wage_amount),
        wage_currency: form.wage_currency.clone(),
        wage_period: form.wage_period.clone(),
        hours_per_week: form.hours_per_week.clone(),
        job_title: form.job_title.clone(),
        employer: form.employer.clone(),
        place: form.place.clone(),
        days_off: form.days_off.clone(),
    };
    let result = match raw.validate() {
        Ok(c) => state
            .store
            .record_labour_contract(&s.session.actor, case_id, c)
            .await
            .map(|_| ()),
        Err(p) => Err(invalid(p)),
    };
    let forms = Forms {
        contract: form,
        ..Forms::default()
    };
    answer(&state, &s, case_id, result, "contract", "contracts", forms).await
}

pub async fn record_wages(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<WagesForm>,
) -> Result<Response, WebError> {
    let raw = RawWages {
        period_from: form.period_from.clone(),
        period_to: form.period_to.clone(),
        amount: Amount::typed(&form.amount),
        currency: form.currency.clone(),
    };
    let result = match raw.validate(today(&state)) {
        Ok(w) => state
            .store
            .record_labour_wages(&s.session.actor, case_id, w)
            .await
            .map(|_| ()),
        Err(p) => Err(invalid(p)),
    };
    let forms = Forms {
        wages: form,
        ..Forms::default()
    };
    answer(&state, &s, case_id, result, "wage", "wages", forms).await
}

pub async fn record_claim(
    State(state): State<AppState>,
    Id(case_id): Id,
    StaffForm(s, form): StaffForm<ClaimForm>,
) -> Result<Response, WebError> {
    let raw = RawClaim {
        kind: form.kind.clone(),
        subject: form.subject.clone(),
        amount: Amount::typed(&form.amount),
        currency: form.currency.clone(),
        deadline: form.deadline.clone(),
        note: form.note.clone(),
    };
    let result = match raw.validate() {
        Ok(c) => state
            .store
            .record_labour_claim(&s.session.actor, case_id, c)
            .await
            .map(|_| ()),
        Err(p) => Err(invalid(p)),
    };
    let forms = Forms {
        claim: form,
        ..Forms::default()
    };
    answer(&state, &s, case_id, result, "claim", "claims", forms).await
}

pub async fn change_claim(
    State(state): State<AppState>,
    Ids((case_id, claim)): Ids<(Uuid, Uuid)>,
    StaffForm(s, form): StaffForm<ClaimChangeForm>,
) -> Result<Response, WebError> {
    let raw = RawClaimChange {
        stage: form.stage,
        recovered: Amount::typed(&form.recovered),
        deadline: form.deadline,
    };
    let result = state
        .store
        .change_labour_claim(&s.session.actor, case_id, claim, form.version, raw)
        .await
        .map(|_| ());
    answer(
        &state,
        &s,
        case_id,
        result,
        &format!("claim-{claim}"),
        "claims",
        Forms::default(),
    )
    .await
}
