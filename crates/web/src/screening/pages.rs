//! Screening in the staff UI: a case's screenings (history and a form to start one), the
//! interview (one question at a time, or all on one page; progress saved at every step), and
//! the result that explains itself, with a supervisor's "record identification as possible
//! victim" from it. Questions are shown in the interview language chosen for the screening,
//! apart from the staff member's interface language; guidance stays in the interface language.

use crate::kit::Id;
use crate::kit::form::Button;
use std::collections::BTreeMap;

use crate::AppState;
use crate::kit::UiSession;
use crate::kit::WebError;
use crate::kit::form::StaffForm;
use crate::kit::{Nav, page};
use crate::kit::{UiError, done};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use passage_core::Role;
use passage_core::screening::{Answer, Conclusion, Instrument, LANGUAGES, Strength};
use passage_store::StoreError;
use passage_store::casework::screening::{NewScreening, Screening};
use serde::Deserialize;
use uuid::Uuid;

/// A conclusion in words, for the staff member.
/// The message that explains a conclusion (translate it with `nav.t`).
pub fn conclusion_text(c: Conclusion) -> &'static str {
    match c {
        Conclusion::PresumedTrafficking => "staff-conclusion-presumed",
        Conclusion::IndicatorsPresent => "staff-conclusion-indicators",
        Conclusion::InsufficientInformation => "staff-conclusion-insufficient",
        Conclusion::NoIndicators => "staff-conclusion-none",
    }
}

/// The message for the clause of a dimension rule that was met.
fn clause_text(rule: &str) -> &'static str {
    match rule {
        "two_strong" => "staff-clause-two-strong",
        "strong_and_other" => "staff-clause-strong-and-other",
        "three_medium" => "staff-clause-three-medium",
        "two_medium_one_weak" => "staff-clause-two-medium-one-weak",
        _ => "staff-clause-rule",
    }
}

fn language_name(code: &str) -> &'static str {
    match code {
        "fr" => "French",
        "es" => "Spanish",
        "ar" => "Arabic",
        _ => "English",
    }
}

fn title(state: &AppState, id: &str) -> String {
    state
        .store
        .instruments()
        .get(id)
        .map(|i| i.title.en.clone())
        .unwrap_or_else(|| id.to_string())
}

/// One line of a case's screening history.
pub struct HistoryRow {
    pub id: String,
    pub title: String,
    pub version: String,
    pub status: &'static str,
    pub conclusion: String,
    pub when: String,
    /// For one not finished: how far it went ("12 of 66 answered").
    pub progress: String,
}

#[derive(Template)]
#[template(path = "screenings.html")]
struct ListPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    /// (id, title, version)
    instruments: Vec<(String, String, String)>,
    languages: Vec<(&'static str, &'static str)>,
    history: Vec<HistoryRow>,
    errors: Vec<UiError>,
}

async fn list_page(
    state: &AppState,
    s: &UiSession,
    case: Uuid,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let all = state.store.screenings(&s.session.actor, case).await?;
    let history = all
        .iter()
        .map(|x| HistoryRow {
            id: x.id.to_string(),
            title: title(state, &x.instrument),
            version: x.instrument_version.clone(),
            status: x.status,
            conclusion: x
                .result
                .as_ref()
                .map(|r| nav.t(conclusion_text(r.conclusion)))
                .unwrap_or_else(|| nav.t("staff-screening-in-progress")),
            when: nav.when(x.completed_at.unwrap_or(x.updated_at)),
            progress: state
                .store
                .instruments()
                .get(&x.instrument)
                .map(|i| {
                    let answered = i
                        .indicators
                        .iter()
                        .filter(|ind| x.answers.contains_key(&ind.id))
                        .count();
                    nav.t2(
                        "staff-screening-list-progress",
                        "answered",
                        answered,
                        "total",
                        i.indicators.len(),
                    )
                })
                .unwrap_or_default(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = page(&ListPage {
        csrf: nav.csrf.clone(),
        case_id: case.to_string(),
        instruments: state
            .store
            .instruments()
            .all()
            .map(|i| (i.id.clone(), i.title.en.clone(), i.version.clone()))
            .collect(),
        languages: LANGUAGES.iter().map(|l| (*l, language_name(l))).collect(),
        history,
        errors,
        nav,
    });
    *res.status_mut() = status;
    Ok(res)
}

pub async fn list(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
) -> Result<Response, WebError> {
    list_page(&state, &s, id, Vec::new()).await
}

/// Which instrument, in which language, asked one question at a time or all at once.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StartForm {
    instrument: String,
    language: String,
    mode: String,
}

/// A page of the interview: the answers are radio groups named `a_<item>`; `go` is the button.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswersForm {
    version: String,
    mode: String,
    q: String,
    go: String,
    /// `yes` on the second post of "finish" when questions are still open: finishing anyway.
    confirm: String,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}
crate::form_body!(StartForm, AnswersForm);

/// Starts a screening and opens its interview.
pub async fn start(
    State(state): State<AppState>,
    Id(case): Id,
    StaffForm(s, f): StaffForm<StartForm>,
) -> Result<Response, WebError> {
    let mode = if f.mode == "all" { "all" } else { "one" };
    let new = NewScreening {
        instrument: f.instrument,
        language: f.language,
        answers: BTreeMap::new(),
        complete: false,
    };
    match state
        .store
        .create_screening(&s.session.actor, case, new)
        .await
    {
        Ok(x) => Ok(done(&format!("/screenings/{}?mode={mode}", x.id), "saved")),
        Err(StoreError::Invalid(p)) => {
            let errors =
                p.0.into_iter()
                    .map(|e| UiError {
                        code: None,
                        anchor: e.field,
                        message: e.message,
                    })
                    .collect();
            list_page(&state, &s, case, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One question of the interview.
pub struct Item {
    pub id: String,
    pub number: usize,
    pub dimension: String,
    pub strength: &'static str,
    /// In the interview language.
    pub question: String,
    /// In the interface language, when the interview language differs.
    pub question_staff: Option<String>,
    pub guidance: String,
    pub answer: &'static str,
    /// What recorded on the case supports this question ("supported by: fee recorded on …"),
    /// shown beside it; the answer stays the interviewer's.
    pub support: Vec<String>,
}

/// One entry of the question list beside the interview: its number, whether it has an answer,
/// where it leads, and whether it is the question shown.
pub struct Step {
    pub number: usize,
    pub answered: bool,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "screening_interview.html")]
struct InterviewPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    id: String,
    version: i64,
    /// The person screened, kept in the header on every page of the screening.
    person: String,
    title: String,
    instrument_version: String,
    language: String,
    rtl: bool,
    mode: &'static str,
    items: Vec<Item>,
    /// In one-at-a-time mode: the index shown, and how many there are.
    q: usize,
    total: usize,
    answered: usize,
    steps: Vec<Step>,
    errors: Vec<UiError>,
}

/// Asked before a screening with open questions is finished: how many are open, the way to ask
/// them now, and finishing anyway.
#[derive(Template)]
#[template(path = "screening_finish.html")]
struct FinishPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    id: String,
    version: i64,
    person: String,
    title: String,
    mode: &'static str,
    open: usize,
    total: usize,
    /// Where "ask the open questions now" leads: the first question without an answer.
    ask: String,
    steps: Vec<Step>,
}

/// One dimension of a result, in words.
pub struct DimRow {
    pub title: String,
    pub positive: bool,
    pub rule: String,
    /// (question in the interface language, strength) of the indicators answered yes.
    pub present: Vec<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "screening_result.html")]
struct ResultPage {
    nav: Nav,
    csrf: String,
    case_id: String,
    id: String,
    person: String,
    title: String,
    instrument_version: String,
    language: String,
    completed: String,
    conclusion: String,
    conclusion_code: &'static str,
    capped: bool,
    groups: Vec<(String, bool)>,
    dims: Vec<DimRow>,
    could_change: Vec<String>,
    methods: String,
    types: String,
    answers: Vec<(String, &'static str)>,
    answered: usize,
    total: usize,
    supervisor: bool,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    q: Option<usize>,
    /// `ask`: the confirmation before finishing with questions open.
    #[serde(default)]
    finish: Option<String>,
}

fn strength(s: Strength) -> &'static str {
    s.as_str()
}

fn items(i: &Instrument, x: &Screening) -> Vec<Item> {
    i.indicators
        .iter()
        .enumerate()
        .map(|(n, ind)| Item {
            id: ind.id.clone(),
            number: n + 1,
            dimension: i
                .dimensions
                .iter()
                .find(|d| d.id == ind.dimension)
                .map(|d| d.title.en.clone())
                .unwrap_or_default(),
            strength: strength(ind.strength),
            question: ind.question.get(&x.language).to_string(),
            question_staff: (x.language != "en").then(|| ind.question.en.clone()),
            guidance: ind.guidance.en.clone(),
            answer: x.answers.get(&ind.id).map(|a| a.as_str()).unwrap_or(""),
            support: Vec::new(),
        })
        .collect()
}

/// The indexes (from 0) of the instrument's questions with no answer, counting both the saved
/// answers and those on the page being posted.
fn open_questions(
    i: &Instrument,
    saved: &BTreeMap<String, Answer>,
    posted: &BTreeMap<String, String>,
) -> Vec<usize> {
    i.indicators
        .iter()
        .enumerate()
        .filter(|(_, ind)| !saved.contains_key(&ind.id) && !posted.contains_key(&ind.id))
        .map(|(n, _)| n)
        .collect()
}

/// Where question `n` (from 0) of screening `id` is asked: its own page one at a time, or its
/// place on the page of all questions.
fn question_href(id: &str, mode: &str, n: usize, indicator: &str) -> String {
    if mode == "all" {
        format!("/screenings/{id}?mode=all#q-{indicator}")
    } else {
        format!("/screenings/{id}?mode=one&q={n}")
    }
}

/// The question list: every question, answered or open, `current` the one shown.
fn steps(i: &Instrument, x: &Screening, mode: &str, current: Option<usize>) -> Vec<Step> {
    let id = x.id.to_string();
    i.indicators
        .iter()
        .enumerate()
        .map(|(n, ind)| Step {
            number: n + 1,
            answered: x.answers.contains_key(&ind.id),
            href: question_href(&id, mode, n, &ind.id),
            current: current == Some(n),
        })
        .collect()
}

/// The name of the person screened, for the header of every page of the screening.
async fn person_of(
    state: &AppState,
    s: &UiSession,
    nav: &Nav,
    case: Option<Uuid>,
) -> Result<String, WebError> {
    let name = match case {
        Some(c) => match state.store.get_case(&s.session.actor, c).await {
            Ok(v) => format!("{} {}", v.person.given_name, v.person.family_name)
                .trim()
                .to_string(),
            Err(StoreError::NotFound | StoreError::Forbidden(_)) => String::new(),
            Err(e) => return Err(e.into()),
        },
        None => String::new(),
    };
    Ok(if name.is_empty() {
        nav.t("staff-screening-flow-unnamed")
    } else {
        name
    })
}

/// What to show of a screening in progress.
#[derive(Clone, Copy)]
enum View {
    /// The interview, at question `q` (from 0), or at the first open question when `None`.
    Interview(Option<usize>),
    /// The question before finishing while questions are open.
    Finish,
}

/// By indicator id, the lines saying which of the worker's records on the case support it: a
/// fee paid, a debt, a substituted contract, wages owed. None for a screening without a case
/// or a case the reader cannot see.
async fn support_lines(
    state: &AppState,
    s: &UiSession,
    nav: &Nav,
    case: Option<Uuid>,
) -> Result<BTreeMap<String, Vec<String>>, WebError> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Some(case) = case else {
        return Ok(out);
    };
    let account = match state.store.worker_account(&s.session.actor, case).await {
        Ok(a) => a,
        Err(StoreError::NotFound | StoreError::Forbidden(_)) => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    for sup in account.supports() {
        let day = passage_core::casework::calendar::Day::from_unix_ms(sup.recorded_at);
        out.entry(sup.indicator.to_string())
            .or_default()
            .push(nav.t1(
                &format!("labour-support-{}", sup.basis.as_str()),
                "date",
                day,
            ));
    }
    Ok(out)
}

async fn render(
    state: &AppState,
    s: &UiSession,
    x: Screening,
    mode: &str,
    view: View,
    errors: Vec<UiError>,
) -> Result<Response, WebError> {
    let nav = Nav::of(state, s).await?;
    let case_id = x.case_id.map(|c| c.to_string()).unwrap_or_default();
    let person = person_of(state, s, &nav, x.case_id).await?;
    let instrument = state.store.instruments().get(&x.instrument).cloned();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let question = |id: &str| {
        instrument
            .as_ref()
            .and_then(|i| i.indicator(id))
            .map(|ind| ind.question.en.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut res = match (&x.result, &instrument) {
        (Some(r), _) => {
            let dim_title = |id: &str| {
                instrument
                    .as_ref()
                    .and_then(|i| i.dimensions.iter().find(|d| d.id == id))
                    .map(|d| d.title.en.clone())
                    .unwrap_or_else(|| id.replace('_', " "))
            };
            let strength_of = |id: &str| {
                instrument
                    .as_ref()
                    .and_then(|i| i.indicator(id))
                    .map(|ind| strength(ind.strength))
                    .unwrap_or("")
            };
            page(&ResultPage {
                csrf: nav.csrf.clone(),
                supervisor: s
                    .session
                    .actor
                    .principal()
                    .roles
                    .contains(&Role::Supervisor),
                case_id,
                id: x.id.to_string(),
                person,
                title: title(state, &x.instrument),
                instrument_version: x.instrument_version.clone(),
                language: x.language.clone(),
                completed: nav.when(x.completed_at.unwrap_or(x.updated_at)),
                conclusion: nav.t(conclusion_text(r.conclusion)),
                conclusion_code: r.conclusion.as_str(),
                capped: r.capped,
                groups: r
                    .groups
                    .iter()
                    .map(|g| {
                        let names: Vec<String> =
                            g.dimensions.iter().map(|d| dim_title(d)).collect();
                        (names.join(" or "), g.met)
                    })
                    .collect(),
                dims: r
                    .dimensions
                    .iter()
                    .map(|d| DimRow {
                        title: dim_title(&d.id),
                        positive: d.positive,
                        rule: d
                            .rule
                            .as_deref()
                            .map(|r| nav.t(clause_text(r)))
                            .unwrap_or_default(),
                        present: d
                            .present
                            .iter()
                            .map(|p| (question(p), strength_of(p)))
                            .collect(),
                    })
                    .collect(),
                could_change: r.could_change.iter().map(|c| question(c)).collect(),
                methods: r.methods_of_control.join(", "),
                types: r.type_of_exploitation.join(", "),
                answers: x
                    .answers
                    .iter()
                    .map(|(k, a)| (question(k), a.as_str()))
                    .collect(),
                answered: r.answered,
                total: r.total,
                nav,
            })
        }
        (None, Some(i)) => {
            let mode = if mode == "all" { "all" } else { "one" };
            let open = open_questions(i, &x.answers, &BTreeMap::new());
            let total = i.indicators.len();
            let first_open = open
                .first()
                .and_then(|&n| i.indicators.get(n).map(|ind| (n, ind)));
            match (view, first_open) {
                (View::Finish, Some((first, ind))) if errors.is_empty() => page(&FinishPage {
                    csrf: nav.csrf.clone(),
                    case_id,
                    id: x.id.to_string(),
                    version: x.version,
                    person,
                    title: i.title.en.clone(),
                    mode,
                    open: open.len(),
                    total,
                    ask: question_href(&x.id.to_string(), mode, first, &ind.id),
                    steps: steps(i, &x, mode, None),
                    nav,
                }),
                (view, _) => {
                    let q = match view {
                        View::Interview(Some(q)) => q,
                        _ => open.first().copied().unwrap_or(0),
                    }
                    .min(total.saturating_sub(1));
                    let supports = support_lines(state, s, &nav, x.case_id).await?;
                    let mut items = items(i, &x);
                    for it in &mut items {
                        if let Some(lines) = supports.get(&it.id) {
                            it.support = lines.clone();
                        }
                    }
                    let answered = items.iter().filter(|it| !it.answer.is_empty()).count();
                    page(&InterviewPage {
                        csrf: nav.csrf.clone(),
                        case_id,
                        id: x.id.to_string(),
                        version: x.version,
                        person,
                        title: i.title.en.clone(),
                        instrument_version: x.instrument_version.clone(),
                        language: x.language.clone(),
                        rtl: x.language == "ar",
                        mode,
                        steps: steps(i, &x, mode, (mode == "one").then_some(q)),
                        items: if mode == "all" {
                            items
                        } else {
                            items.into_iter().skip(q).take(1).collect()
                        },
                        q,
                        total,
                        answered,
                        errors,
                        nav,
                    })
                }
            }
        }
        (None, None) => {
            return Err(WebError::new(
                StatusCode::CONFLICT,
                passage_core::ErrorCode::InstrumentUnavailable,
                "This screening's instrument is no longer installed; ask the administrator.",
            ));
        }
    };
    *res.status_mut() = status;
    Ok(res)
}

/// A screening: its result once finished; otherwise the interview, opened at the first question
/// without an answer unless a question is asked for, or the confirmation before finishing.
pub async fn show(
    State(state): State<AppState>,
    s: UiSession,
    Id(id): Id,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let x = state.store.screening(&s.session.actor, id).await?;
    let view = if q.finish.as_deref() == Some("ask") {
        View::Finish
    } else {
        View::Interview(q.q)
    };
    render(
        &state,
        &s,
        x,
        q.mode.as_deref().unwrap_or("one"),
        view,
        Vec::new(),
    )
    .await
}

/// Saves the answers on the page, then goes where the button says: next, back, save or finish.
/// Finishing cannot be undone, so while questions are open it needs a second post with
/// `confirm=yes`: the first saves the answers and shows how many are open, with the way to ask
/// them now. The server decides this, not the page.
pub async fn save(
    State(state): State<AppState>,
    Id(sid): Id,
    StaffForm(s, f): StaffForm<AnswersForm>,
) -> Result<Response, WebError> {
    let version = crate::kit::form::version(&f.version)?;
    let mode = if f.mode == "all" { "all" } else { "one" };
    let q: usize = f.q.trim().parse().unwrap_or(0);
    let go = f.go;
    let answers: BTreeMap<String, String> = f
        .fields
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix("a_").map(|id| (id.to_string(), v)))
        .filter(|(_, v)| Answer::parse(v).is_some())
        .collect();
    let finish = go == "finish";
    let ask_first = if finish && f.confirm != "yes" {
        let x = state.store.screening(&s.session.actor, sid).await?;
        match (&x.result, state.store.instruments().get(&x.instrument)) {
            (None, Some(i)) => !open_questions(i, &x.answers, &answers).is_empty(),
            _ => false,
        }
    } else {
        false
    };
    let complete = finish && !ask_first;
    match state
        .store
        .save_screening(&s.session.actor, sid, answers, complete, version)
        .await
    {
        Ok(_) if ask_first => Ok(done(
            &format!("/screenings/{sid}?mode={mode}&finish=ask"),
            "saved",
        )),
        Ok(_) if complete => Ok(done(&format!("/screenings/{sid}"), "screening-finished")),
        Ok(_) if mode == "all" && go != "save" => Ok(done(&format!("/screenings/{sid}"), "saved")),
        Ok(_) => {
            let next = match go.as_str() {
                "next" => q + 1,
                "back" => q.saturating_sub(1),
                _ => q,
            };
            Ok(done(
                &format!("/screenings/{sid}?mode={mode}&q={next}"),
                "saved",
            ))
        }
        Err(StoreError::VersionConflict { .. }) => {
            let x = state.store.screening(&s.session.actor, sid).await?;
            let errors = vec![UiError {
                code: None,
                anchor: "answers".into(),
                message: "Someone saved answers to this screening while you were on this page. The page shows what is saved now; answer again where it differs.".into(),
            }];
            render(&state, &s, x, mode, View::Interview(Some(q)), errors).await
        }
        Err(StoreError::Rule { message, .. }) => {
            let x = state.store.screening(&s.session.actor, sid).await?;
            let errors = vec![UiError {
                code: None,
                anchor: "answers".into(),
                message,
            }];
            render(&state, &s, x, mode, View::Interview(Some(q)), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A supervisor records identification as a possible victim, referring to this screening.
pub async fn identify(
    State(state): State<AppState>,
    Id(sid): Id,
    StaffForm(s, _): StaffForm<Button>,
) -> Result<Response, WebError> {
    let x = state.store.screening(&s.session.actor, sid).await?;
    state
        .store
        .identify_from_screening(&s.session.actor, sid, None)
        .await?;
    let case = x.case_id.map(|c| c.to_string()).unwrap_or_default();
    Ok(done(&format!("/cases/{case}#identification"), "saved"))
}

#[cfg(test)]
mod tests {
    use super::{AnswersForm, open_questions, question_href};
    use crate::kit::form::typed_body;
    use passage_core::screening::{Answer, builtin};
    use std::collections::BTreeMap;

    #[test]
    fn a_question_is_open_until_an_answer_is_saved_or_on_the_page() {
        let all = builtin().expect("the built-in instruments");
        let i = all.get("ilo_forced_labour").expect("an instrument");
        let id = |n: usize| i.indicators[n].id.clone();
        assert_eq!(
            open_questions(i, &BTreeMap::new(), &BTreeMap::new()),
            (0..i.indicators.len()).collect::<Vec<_>>()
        );
        let saved = BTreeMap::from([(id(0), Answer::Declined)]);
        let posted = BTreeMap::from([(id(2), "unknown".to_string())]);
        let open = open_questions(i, &saved, &posted);
        assert_eq!(open.first(), Some(&1), "declined and unknown are answers");
        assert!(!open.contains(&0) && !open.contains(&2));
        assert_eq!(open.len(), i.indicators.len() - 2);
    }

    #[test]
    fn a_question_is_reached_on_its_own_page_or_at_its_place_among_all() {
        assert_eq!(
            question_href("s", "one", 4, "x"),
            "/screenings/s?mode=one&q=4"
        );
        assert_eq!(
            question_href("s", "all", 4, "x"),
            "/screenings/s?mode=all#q-x"
        );
    }

    #[test]
    fn an_interview_page_keeps_its_answers_beside_the_named_fields() {
        let f: AnswersForm =
            typed_body(b"csrf=t&version=3&mode=all&q=2&go=next&a_fear=yes&a_debt=no").unwrap();
        assert_eq!((f.version.as_str(), f.mode.as_str()), ("3", "all"));
        assert_eq!((f.q.as_str(), f.go.as_str()), ("2", "next"));
        assert_eq!(f.fields.get("a_fear").map(String::as_str), Some("yes"));
        assert_eq!(f.fields.get("a_debt").map(String::as_str), Some("no"));
    }
}
