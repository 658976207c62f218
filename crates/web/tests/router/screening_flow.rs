//! A screening interview as a staff member goes through it: it opens where the answers stop,
//! shows how far it is and every question, says when it saved, keeps the person's name at the
//! top, and never finishes with questions open on one unconfirmed click. The API keeps its
//! contract: finishing there is one call.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;
use uuid::Uuid;

const INSTRUMENT: &str = "ilo_adult_labour";

struct Interview {
    app: App,
    worker: User,
    email: &'static str,
    sid: String,
    /// The instrument's indicator ids, in the order the questions are asked.
    ids: Vec<String>,
}

impl Interview {
    /// A caseworker's case for Amina Haddad and a screening started on it, one question at a
    /// time or all on one page.
    async fn start(mode: &str) -> Interview {
        let app = App::new().await;
        let email = "w@shelter.test";
        let worker = app
            .user(OrgKind::ServiceProvider, email, &[Role::Caseworker])
            .await;
        let made = app
            .post_form(
                "/cases/new",
                &worker,
                &[
                    ("csrf", &worker.csrf),
                    ("given_name", "Amina"),
                    ("family_name", "Haddad"),
                    ("types", "labour_exploitation"),
                    ("stage", "destination"),
                    ("summary", "Wages withheld for three months."),
                ],
            )
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
        let case = made
            .location
            .as_deref()
            .and_then(|l| l.split('?').next())
            .expect("the case's page")
            .to_string();
        let started = app
            .post_form(
                &format!("{case}/screenings"),
                &worker,
                &[
                    ("csrf", &worker.csrf),
                    ("instrument", INSTRUMENT),
                    ("language", "en"),
                    ("mode", mode),
                ],
            )
            .await;
        assert_eq!(started.status, 303, "{}", started.body);
        let sid = started
            .location
            .as_deref()
            .and_then(|l| l.strip_prefix("/screenings/"))
            .and_then(|l| l.split('?').next())
            .expect("the interview")
            .to_string();
        let ids = app
            .store
            .instruments()
            .get(INSTRUMENT)
            .expect("a built-in instrument")
            .indicators
            .iter()
            .map(|i| i.id.clone())
            .collect();
        Interview {
            app,
            worker,
            email,
            sid,
            ids,
        }
    }

    fn path(&self) -> String {
        format!("/screenings/{}", self.sid)
    }

    async fn page(&self, query: &str) -> Answer {
        let a = self
            .app
            .page(&format!("{}{query}", self.path()), Some(&self.worker))
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        a
    }

    /// The version the page carries.
    fn version(a: &Answer) -> String {
        attrs(&a.html(), "input[name=version]", "value")
            .into_iter()
            .next()
            .expect("a version on the page")
    }

    /// Posts the interview form as it stands now, with `extra` fields.
    async fn post(&self, extra: &[(&str, &str)]) -> Answer {
        let version = Self::version(&self.page("?mode=all").await);
        let mut fields = vec![("csrf", self.worker.csrf.as_str()), ("version", &version)];
        fields.extend_from_slice(extra);
        self.app
            .post_form(&self.path(), &self.worker, &fields)
            .await
    }

    /// Saves "yes" to the questions numbered `which` (from 0) and stops.
    async fn answer(&self, which: &[usize]) {
        let names: Vec<String> = which
            .iter()
            .map(|n| format!("a_{}", self.ids[*n]))
            .collect();
        let mut fields: Vec<(&str, &str)> = vec![("mode", "all"), ("go", "save")];
        fields.extend(names.iter().map(|n| (n.as_str(), "yes")));
        let saved = self.post(&fields).await;
        assert_eq!(saved.status, 303, "{}", saved.body);
    }

    /// The screening as stored: read back, not taken from the page.
    async fn stored(&self) -> passage_store::casework::screening::Screening {
        let actor = self.app.actor(self.email).await;
        let id = Uuid::parse_str(&self.sid).expect("an id");
        self.app
            .store
            .screening(&actor, id)
            .await
            .expect("the screening reads back")
    }
}

#[tokio::test]
async fn finishing_with_open_questions_without_confirming_saves_the_answers_but_does_not_conclude()
{
    let s = Interview::start("one").await;
    let first = format!("a_{}", s.ids[0]);
    let asked = s
        .post(&[
            ("mode", "one"),
            ("q", "0"),
            (&first, "yes"),
            ("go", "finish"),
        ])
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let stored = s.stored().await;
    assert_eq!(stored.status, "in_progress", "not finished by one click");
    assert!(stored.result.is_none(), "no result fixed");
    assert!(
        stored.answers.contains_key(&s.ids[0]),
        "the answer on the page is kept"
    );

    let to = asked.location.expect("the confirmation");
    assert!(to.contains("finish=ask"), "{to}");
    let confirm = s.app.page(&to, Some(&s.worker)).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    let html = confirm.html();
    assert_eq!(
        select(&html, "#open-count"),
        ["65 of 66 questions have no answer yet."]
    );
    assert_eq!(
        select(&html, "main p.notice[role=status]"),
        ["Saved."],
        "the answers were saved before asking"
    );
    assert_eq!(
        attrs(&html, "a#ask-open", "href"),
        [format!("/screenings/{}?mode=one&q=1", s.sid)],
        "asking the open questions starts at the first one without an answer"
    );
    assert_eq!(
        select(
            &html,
            "form#finish-anyway button.danger[name=go][value=finish]"
        ),
        ["Finish anyway"]
    );
    assert_eq!(
        attrs(&html, "form#finish-anyway input[name=confirm]", "value"),
        ["yes"]
    );

    // Posting finish again without the confirmation (a stale page, a forged form) still does
    // not conclude: the server asks, not only the page.
    let again = s.post(&[("mode", "all"), ("go", "finish")]).await;
    assert_eq!(again.status, 303);
    assert!(
        again
            .location
            .as_deref()
            .unwrap_or("")
            .contains("finish=ask"),
        "{:?}",
        again.location
    );
    assert_eq!(s.stored().await.status, "in_progress");
}

#[tokio::test]
async fn finishing_anyway_from_the_confirmation_concludes_the_screening() {
    let s = Interview::start("one").await;
    s.answer(&[0, 1]).await;
    let asked = s.post(&[("mode", "one"), ("go", "finish")]).await;
    let to = asked.location.expect("the confirmation");
    let confirm = s.app.page(&to, Some(&s.worker)).await;
    assert_eq!(
        select(&confirm.html(), "#open-count"),
        ["64 of 66 questions have no answer yet."]
    );
    let version = Interview::version(&confirm);
    let done = s
        .app
        .post_form(
            &s.path(),
            &s.worker,
            &[
                ("csrf", &s.worker.csrf),
                ("version", &version),
                ("mode", "one"),
                ("confirm", "yes"),
                ("go", "finish"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let stored = s.stored().await;
    assert_eq!(stored.status, "completed");
    assert_eq!(stored.result.map(|r| (r.answered, r.total)), Some((2, 66)));
    let result = s
        .app
        .page(&done.location.expect("the result"), Some(&s.worker))
        .await;
    assert_eq!(
        select(&result.html(), "main p.notice[role=status]"),
        ["The screening is finished; its result is below."]
    );
    assert!(!select(&result.html(), "#conclusion").is_empty());
}

#[tokio::test]
async fn finishing_with_every_question_answered_needs_no_confirmation() {
    let s = Interview::start("all").await;
    let names: Vec<String> = s.ids.iter().map(|id| format!("a_{id}")).collect();
    let mut fields: Vec<(&str, &str)> = vec![("mode", "all"), ("go", "finish")];
    fields.extend(names.iter().map(|n| (n.as_str(), "no")));
    let done = s.post(&fields).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(
        !done
            .location
            .as_deref()
            .unwrap_or("")
            .contains("finish=ask"),
        "{:?}",
        done.location
    );
    assert_eq!(s.stored().await.status, "completed");
}

#[tokio::test]
async fn an_unfinished_screening_opens_at_its_first_unanswered_question() {
    let s = Interview::start("one").await;
    s.answer(&[0, 1, 3]).await;
    let page = s.page("").await;
    let html = page.html();
    assert_eq!(
        attrs(&html, "fieldset.question", "id"),
        [format!("q-{}", s.ids[2])],
        "the third question, the first without an answer"
    );
    assert!(page.body.contains("Question 3 of 66"));
    // Asked for by number, a question is shown even when it has an answer.
    let first = s.page("?mode=one&q=0").await;
    assert_eq!(
        attrs(&first.html(), "fieldset.question", "id"),
        [format!("q-{}", s.ids[0])]
    );
}

#[tokio::test]
async fn the_interview_shows_progress_and_every_question_marked_answered_or_open() {
    let s = Interview::start("one").await;
    s.answer(&[0, 1]).await;
    let html = s.page("").await.html();
    let progress = select(&html, "#progress");
    assert!(
        progress.iter().any(|p| p.contains("2 of 66 answered")),
        "{progress:?}"
    );
    assert_eq!(attrs(&html, "progress", "value"), ["2"]);
    assert_eq!(attrs(&html, "progress", "max"), ["66"]);
    let items = select(&html, ".question-list li a");
    assert_eq!(items.len(), 66, "every question is listed");
    assert_eq!(
        items[0], "1: answered",
        "answered in words, not only colour"
    );
    assert_eq!(items[2], "3: open");
    assert_eq!(select(&html, ".question-list li.answered").len(), 2);
    assert_eq!(
        select(&html, ".question-list a[aria-current=step]"),
        ["3: open"],
        "the question shown is marked as the current step"
    );
    assert_eq!(
        attrs(&html, ".question-list li a", "href")[9],
        format!("/screenings/{}?mode=one&q=9", s.sid),
        "each entry leads to its question"
    );
    // The case's list of screenings says how far the unfinished one went.
    let stored = s.stored().await;
    let list = s
        .app
        .page(
            &format!("/cases/{}/screenings", stored.case_id.expect("a case")),
            Some(&s.worker),
        )
        .await;
    assert_eq!(
        select(&list.html(), ".progress-text"),
        ["2 of 66 answered"],
        "the history shows an unfinished screening's progress"
    );
}

#[tokio::test]
async fn every_page_of_a_screening_keeps_the_persons_name_in_its_heading() {
    let s = Interview::start("one").await;
    let name = ["Amina Haddad".to_string()];
    assert_eq!(select(&s.page("").await.html(), "h1"), name, "interview");
    assert_eq!(
        select(&s.page("?mode=all").await.html(), "h1"),
        name,
        "all on one page"
    );
    let asked = s.post(&[("mode", "one"), ("go", "finish")]).await;
    let confirm = s
        .app
        .page(&asked.location.expect("confirmation"), Some(&s.worker))
        .await;
    assert_eq!(select(&confirm.html(), "h1"), name, "confirmation");
    let done = s
        .post(&[("mode", "one"), ("confirm", "yes"), ("go", "finish")])
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(select(&s.page("").await.html(), "h1"), name, "result");
}

#[tokio::test]
async fn a_save_in_the_interview_says_saved_on_the_page_it_lands_on() {
    let s = Interview::start("one").await;
    let first = format!("a_{}", s.ids[0]);
    let next = s
        .post(&[
            ("mode", "one"),
            ("q", "0"),
            (&first, "unknown"),
            ("go", "next"),
        ])
        .await;
    assert_eq!(next.status, 303, "{}", next.body);
    let landed = s
        .app
        .page(&next.location.expect("the next question"), Some(&s.worker))
        .await;
    let html = landed.html();
    assert_eq!(select(&html, "main p.notice[role=status]"), ["Saved."]);
    assert_eq!(
        attrs(&html, "fieldset.question", "id"),
        [format!("q-{}", s.ids[1])]
    );
}

#[tokio::test]
async fn the_api_still_finishes_a_screening_with_open_questions_in_one_call() {
    let s = Interview::start("one").await;
    let token_user = &s.worker;
    let now = s
        .app
        .api(Method::GET, &s.path(), Some(token_user), None)
        .await;
    assert_eq!(now.status, 200, "{}", now.body);
    let version = now.json()["version"].as_i64().expect("a version");
    let done = s
        .app
        .api(
            Method::PATCH,
            &s.path(),
            Some(token_user),
            Some(json!({"answers": {}, "complete": true, "version": version})),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["status"], "completed");
}
