//! A return that is safe, over HTTP (issue 17 item 5). The case's own organisation records
//! the person's informed choice, the risks and the family assessment; a journey plan is 422
//! `return_not_chosen` without a voluntary choice to return and `non_refoulement` to a country
//! the person fled; travel documents and the hand-over are referrals of the case. The partner
//! in the country of origin records the 3/6/12-month visits on its accepted hand-over referral
//! and they flow back to the case's page, per dimension with computed scores. Every other
//! organisation — and the partner once its consent is withdrawn — gets 404; immigration
//! enforcement the firewall.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::casework::person::RawPersonChanges;
use passage_core::casework::returns::ITEMS;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

struct Return {
    worker: User,
    cid: String,
    pid: String,
    partner: User,
    partner_email: &'static str,
    handover: String,
}

fn id(a: &crate::harness::Answer) -> String {
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

async fn org_in(app: &App, kind: OrgKind, name: &str, country: &str) -> uuid::Uuid {
    app.org_in(kind, name, country).await
}

/// Refers the case to a service of `org` (in `country`) on the person's consents; returns the
/// referral's id.
async fn refer(
    app: &App,
    worker: &User,
    cid: &str,
    pid: &str,
    org: uuid::Uuid,
    admin: &str,
) -> String {
    let admin = app.member(org, admin, &[Role::OrgAdmin]).await;
    let service = id(&app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Return support", "type": "return_reintegration", "country": "PH", "languages": ["tl"], "sex": "any"})),
        )
        .await);
    for body in [
        json!({"purpose": "referral", "organisation_id": org, "method": "written"}),
        json!({"purpose": "cross_border_sharing", "method": "written"}),
    ] {
        let c = app
            .api(
                Method::POST,
                &format!("/persons/{pid}/consents"),
                Some(worker),
                Some(body),
            )
            .await;
        assert_eq!(c.status, 201, "{}", c.body);
    }
    id(&app
        .api(
            Method::POST,
            &format!("/cases/{cid}/referrals"),
            Some(worker),
            Some(json!({"service_id": service, "purpose": "referral", "shared_fields": []})),
        )
        .await)
}

/// A shelter's case of Maria's, who speaks Tagalog and English and chose, informed in
/// Tagalog, to return to the Philippines; a partner there with the hand-over referral.
async fn prepared(app: &App) -> Return {
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    let pid = id(&app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Maria", "family_name": "Santos", "citizenships": ["PH"]})),
        )
        .await);
    let cid = id(&app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Domestic work."})),
        )
        .await);
    let actor = app.actor("w@shelter.test").await;
    let changes = RawPersonChanges {
        version: Some(1),
        languages: Some(Some(vec!["tl".into(), "en".into()])),
        ..Default::default()
    }
    .validate(2026)
    .expect("valid");
    app.store
        .update_person(&actor, pid.parse().expect("uuid"), changes)
        .await
        .expect("languages");
    let partner_org = org_in(app, OrgKind::Ngo, "Bahay Partner", "PH").await;
    let partner_email = "p@partner.test";
    let partner = app
        .member(partner_org, partner_email, &[Role::Caseworker])
        .await;
    let handover = refer(app, &worker, &cid, &pid, partner_org, "admin@partner.test").await;
    Return {
        worker,
        cid,
        pid,
        partner,
        partner_email,
        handover,
    }
}

fn choice(choice: &str, voluntary: bool, language: &str) -> Value {
    json!({"language": language, "informed_on": "2026-10-01", "interpreter": true,
           "choice": choice, "voluntary": voluntary, "own_words": "Gusto ko nang umuwi."})
}

fn journey(country: &str) -> Value {
    json!({"country": country, "departure_on": "2026-11-10", "legs": "London, Doha, Manila",
           "escort": true, "reception": "Met by the partner", "arrival_on": "2026-11-11"})
}

fn visit(month: &str) -> Value {
    let answers: serde_json::Map<String, Value> = ITEMS
        .iter()
        .map(|i| (i.key.to_string(), json!(i.answers[i.answers.len() - 1])))
        .collect();
    json!({"month": month, "visited_on": "2027-02-12", "answers": answers,
           "note": "Runs a small shop"})
}

async fn post(app: &App, path: &str, who: &User, body: Value) -> crate::harness::Answer {
    app.api(Method::POST, path, Some(who), Some(body)).await
}

#[tokio::test]
async fn a_return_runs_from_the_choice_to_visits_flowing_back() {
    let app = App::new().await;
    let r = prepared(&app).await;
    let base = format!("/cases/{}/return", r.cid);
    // No plan before the person chose to return.
    let early = post(&app, &format!("{base}/journey"), &r.worker, journey("PH")).await;
    assert_eq!(early.status, 422, "{}", early.body);
    assert_eq!(early.json()["code"], "return_not_chosen");
    // Informed in a language the person does not speak: 422 on the field.
    let fr = post(
        &app,
        &format!("{base}/choices"),
        &r.worker,
        choice("return", true, "fr"),
    )
    .await;
    assert_eq!(fr.status, 422, "{}", fr.body);
    assert_eq!(fr.json()["fields"][0]["field"], "language");
    id(&post(
        &app,
        &format!("{base}/choices"),
        &r.worker,
        choice("return", true, "tl"),
    )
    .await);
    id(&post(
        &app,
        &format!("{base}/risks"),
        &r.worker,
        json!({"risk": "retaliation_by_traffickers", "note": "The recruiter's agent lives nearby"}),
    )
    .await);
    let fam = post(
        &app,
        &format!("{base}/family"),
        &r.worker,
        json!({"willing": "yes"}),
    )
    .await;
    assert_eq!(fam.status, 204, "{}", fam.body);
    let plan = post(&app, &format!("{base}/journey"), &r.worker, journey("PH")).await;
    assert_eq!(plan.status, 204, "{}", plan.body);
    // Travel documents: a referral to the consulate.
    let consulate = org_in(&app, OrgKind::Consulate, "Consulate PH", "PH").await;
    let docs = refer(
        &app,
        &r.worker,
        &r.cid,
        &r.pid,
        consulate,
        "admin@consulate.test",
    )
    .await;
    let not_consulate = post(
        &app,
        &format!("{base}/documents"),
        &r.worker,
        json!({"referral_id": r.handover}),
    )
    .await;
    assert_eq!(not_consulate.status, 422, "{}", not_consulate.body);
    assert_eq!(not_consulate.json()["fields"][0]["field"], "referral_id");
    let linked = post(
        &app,
        &format!("{base}/documents"),
        &r.worker,
        json!({"referral_id": docs}),
    )
    .await;
    assert_eq!(linked.status, 204, "{}", linked.body);
    let issued = post(
        &app,
        &format!("{base}/documents/status"),
        &r.worker,
        json!({"status": "issued"}),
    )
    .await;
    assert_eq!(issued.status, 204, "{}", issued.body);
    let handed = post(
        &app,
        &format!("{base}/handover"),
        &r.worker,
        json!({"referral_id": r.handover}),
    )
    .await;
    assert_eq!(handed.status, 204, "{}", handed.body);

    // The partner: nothing before it accepts; then the visit, each answer from its scale.
    let visits = format!("/referrals/{}/reintegration-visits", r.handover);
    let early = post(&app, &visits, &r.partner, visit("three_months")).await;
    assert_eq!(early.status, 404, "{}", early.body);
    let accepted = app
        .api(
            Method::POST,
            &format!("/referrals/{}/accept", r.handover),
            Some(&r.partner),
            None,
        )
        .await;
    assert!(accepted.status < 300, "{}", accepted.body);
    let follow = app.api(Method::GET, &visits, Some(&r.partner), None).await;
    assert_eq!(follow.status, 200, "{}", follow.body);
    let follow = follow.json();
    let due: Vec<&str> = follow["visits_due"]
        .as_array()
        .expect("due")
        .iter()
        .filter_map(|d| d["due_on"].as_str())
        .collect();
    assert_eq!(due, ["2027-02-11", "2027-05-11", "2027-11-11"]);
    let mut bad = visit("three_months");
    bad["answers"]["working"] = json!("sometimes");
    bad["answers"]
        .as_object_mut()
        .expect("answers")
        .remove("discrimination");
    let refused = post(&app, &visits, &r.partner, bad).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let refused = refused.json();
    let fields: Vec<&str> = refused["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["answers.working", "answers.discrimination"]);
    id(&post(&app, &visits, &r.partner, visit("three_months")).await);

    // It flows back: the case's return shows the visit, its answers and computed scores.
    let back = app.api(Method::GET, &base, Some(&r.worker), None).await;
    assert_eq!(back.status, 200, "{}", back.body);
    let b = back.json();
    assert_eq!(b["choices"][0]["language"], "tl");
    assert_eq!(b["document_status"], "issued");
    assert_eq!(b["documents"]["organisation_name"], "Consulate PH");
    assert_eq!(b["handover"]["status"], "accepted");
    assert_eq!(b["visits"][0]["month"], "three_months");
    assert_eq!(
        b["visits"][0]["answers"].as_array().map(Vec::len),
        Some(ITEMS.len())
    );
    let scores = b["visits"][0]["scores"].as_array().expect("scores");
    assert_eq!(scores.len(), 3);
    assert!(
        scores.iter().all(|s| s["score"] == json!(1.0)),
        "{scores:?}"
    );

    // And on the page: each dimension with its score, answers by label.
    let page = app.page(&base, Some(&r.worker)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        attrs(&html, ".case-nav a[aria-current]", "href"),
        vec![base.clone()]
    );
    assert_eq!(
        select(&html, ".reintegration-visit h4.dimension"),
        ["Economic: 1.00", "Social: 1.00", "Psychosocial: 1.00"]
    );
    assert_eq!(select(&html, ".documents-referral").len(), 1);
    assert_eq!(select(&html, ".document-status"), ["Issued"]);
    assert_eq!(select(&html, ".return-choice .choice"), ["Return"]);
    assert_eq!(select(&html, ".plan-may-go-ahead").len(), 1);
    assert!(page.body.contains("Retaliation by traffickers"));
    assert!(page.body.contains("Very satisfied"), "{}", page.body);
    assert!(!page.body.contains(">very_satisfied<"));
    assert_eq!(select(&html, ".visit-due").len(), 3);
    assert!(select(&html, ".journey-refused").is_empty());
    assert_eq!(b["journey_refused"], false);

    // A fear of return recorded after the plan: the plan now says it may not go ahead.
    let need = post(
        &app,
        &format!("/cases/{}/protection-needs", r.cid),
        &r.worker,
        json!({"kind": "fear_of_return", "countries": ["PH"], "reason": "Threats"}),
    )
    .await;
    assert_eq!(need.status, 201, "{}", need.body);
    let back = app
        .api(Method::GET, &base, Some(&r.worker), None)
        .await
        .json();
    assert_eq!(back["journey_refused"], true);
    let page = app.page(&base, Some(&r.worker)).await;
    assert_eq!(select(&page.html(), ".journey-refused").len(), 1);
}

#[tokio::test]
async fn no_plan_to_a_country_the_person_fled() {
    let app = App::new().await;
    let r = prepared(&app).await;
    let need = post(
        &app,
        &format!("/cases/{}/protection-needs", r.cid),
        &r.worker,
        json!({"kind": "fear_of_return", "countries": ["PH"], "reason": "Threats from the network"}),
    )
    .await;
    assert_eq!(need.status, 201, "{}", need.body);
    let base = format!("/cases/{}/return", r.cid);
    id(&post(
        &app,
        &format!("{base}/choices"),
        &r.worker,
        choice("return", true, "tl"),
    )
    .await);
    let refused = post(&app, &format!("{base}/journey"), &r.worker, journey("PH")).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["code"], "non_refoulement");
    let after = app
        .api(Method::GET, &base, Some(&r.worker), None)
        .await
        .json();
    assert_eq!(after["journey"], Value::Null, "nothing written");
    // The page says why, at the top.
    let form = app
        .post_form(
            &format!("{base}/journey"),
            &r.worker,
            &[
                ("csrf", r.worker.csrf.as_str()),
                ("country", "PH"),
                ("departure_on", "2026-11-10"),
                ("arrival_on", "2026-11-11"),
            ],
        )
        .await;
    assert_eq!(form.status, 422, "{}", form.body);
    assert_eq!(
        attrs(&form.html(), ".error-summary a", "href"),
        ["#journey-non-refoulement"]
    );
    assert_eq!(attrs(&form.html(), "#journey-country", "value"), ["PH"]);
}

#[tokio::test]
async fn visits_are_404_for_everyone_but_the_accepting_partner() {
    let app = App::new().await;
    let r = prepared(&app).await;
    let base = format!("/cases/{}/return", r.cid);
    id(&post(
        &app,
        &format!("{base}/choices"),
        &r.worker,
        choice("return", true, "tl"),
    )
    .await);
    assert_eq!(
        post(&app, &format!("{base}/journey"), &r.worker, journey("PH"))
            .await
            .status,
        204
    );
    assert_eq!(
        post(
            &app,
            &format!("{base}/handover"),
            &r.worker,
            json!({"referral_id": r.handover})
        )
        .await
        .status,
        204
    );
    let accepted = app
        .api(
            Method::POST,
            &format!("/referrals/{}/accept", r.handover),
            Some(&r.partner),
            None,
        )
        .await;
    assert!(accepted.status < 300, "{}", accepted.body);
    // Another partner with an accepted referral of the same case, that is no hand-over.
    let other_org = org_in(&app, OrgKind::Ngo, "Other partner", "PH").await;
    let other = app
        .member(other_org, "o@other.test", &[Role::Caseworker])
        .await;
    let other_referral = refer(
        &app,
        &r.worker,
        &r.cid,
        &r.pid,
        other_org,
        "admin@other.test",
    )
    .await;
    let ok = app
        .api(
            Method::POST,
            &format!("/referrals/{other_referral}/accept"),
            Some(&other),
            None,
        )
        .await;
    assert!(ok.status < 300, "{}", ok.body);
    let outsider = app
        .user(
            OrgKind::Ngo,
            "x@outsider.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "i@immigration.test",
            Role::ALL,
        )
        .await;
    let of = |rid: &str| format!("/referrals/{rid}/reintegration-visits");
    let missing = uuid::Uuid::now_v7().to_string();
    for (who, path) in [
        (&outsider, of(&r.handover)),
        (&other, of(&r.handover)),
        (&other, of(&other_referral)),
        (&r.partner, of(&other_referral)),
        (&r.partner, of(&missing)),
        (&r.worker, of(&r.handover)),
    ] {
        let a = post(&app, &path, who, visit("three_months")).await;
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        let a = app.api(Method::GET, &path, Some(who), None).await;
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        assert!(!a.body.contains("2026-11-11"));
    }
    // The case's return is the case's organisation's alone.
    for who in [&outsider, &other, &r.partner] {
        let a = app.api(Method::GET, &base, Some(who), None).await;
        assert_eq!(a.status, 404, "{}", a.body);
        let p = app.page(&base, Some(who)).await;
        assert!(p.status == 404 || p.status == 403, "{}", p.status);
        assert!(!p.body.contains("Santos"));
    }
    for (m, b) in [
        (Method::GET, None),
        (Method::POST, Some(visit("three_months"))),
    ] {
        let a = app.api(m, &of(&r.handover), Some(&officer), b).await;
        assert_eq!(a.status, 403, "{}", a.body);
        assert_eq!(a.json()["reason"], "immigration_firewall");
    }
    let a = app.api(Method::GET, &base, Some(&officer), None).await;
    assert_eq!(a.status, 403, "{}", a.body);

    // The partner finds its follow-up from the referral's page; the other receiver does not.
    let page_path = format!("/referrals/{}/reintegration", r.handover);
    let shown = app
        .page(&format!("/referrals/{}", r.handover), Some(&r.partner))
        .await;
    assert_eq!(
        attrs(&shown.html(), "#referral-reintegration", "href"),
        std::slice::from_ref(&page_path)
    );
    let theirs = app
        .page(&format!("/referrals/{other_referral}"), Some(&other))
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    assert!(select(&theirs.html(), "#referral-reintegration").is_empty());
    // The partner records on its page; then the consent is withdrawn and it finds nothing.
    let page = app.page(&page_path, Some(&r.partner)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(select(&page.html(), "#arrival-on"), ["2026-11-11"]);
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", r.partner.csrf.as_str()),
        ("month", "three_months"),
        ("visited_on", "2027-02-10"),
    ];
    let short = fields.clone();
    for i in ITEMS {
        fields.push((i.key, i.answers[0]));
    }
    let bad = app.post_form(&page_path, &r.partner, &short).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        attrs(&bad.html(), ".error-summary a", "href")
            .contains(&"#visit-answers-working".to_string())
    );
    let saved = app.post_form(&page_path, &r.partner, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = app.page(&page_path, Some(&r.partner)).await;
    assert_eq!(
        select(&shown.html(), ".reintegration-visit h4.dimension"),
        ["Economic: 0.00", "Social: 0.00", "Psychosocial: 0.00"]
    );
    for who in [&outsider, &other] {
        let p = app.page(&page_path, Some(who)).await;
        assert_eq!(p.status, 404, "{}", p.body);
    }
    let consents = app
        .api(
            Method::GET,
            &format!("/persons/{}/consents", r.pid),
            Some(&r.worker),
            None,
        )
        .await
        .json();
    let partner_org = app.actor(r.partner_email).await.org_id().to_string();
    let basis = consents
        .as_array()
        .expect("consents")
        .iter()
        .find(|c| c["organisation_id"] == json!(partner_org))
        .and_then(|c| c["id"].as_str())
        .expect("the partner's consent")
        .to_string();
    let gone = app
        .api(
            Method::DELETE,
            &format!("/persons/{}/consents/{basis}", r.pid),
            Some(&r.worker),
            None,
        )
        .await;
    assert!(gone.status < 300, "{} {}", gone.status, gone.body);
    let after = post(&app, &of(&r.handover), &r.partner, visit("six_months")).await;
    assert_eq!(after.status, 404, "{}", after.body);
    let p = app.page(&page_path, Some(&r.partner)).await;
    assert_eq!(p.status, 404, "{}", p.body);
    // What it recorded before stays with the case.
    let back = app
        .api(Method::GET, &base, Some(&r.worker), None)
        .await
        .json();
    assert_eq!(back["visits"].as_array().map(Vec::len), Some(1));
}
