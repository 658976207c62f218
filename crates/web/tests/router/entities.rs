
#[tokio::test]
async fn a_supervisor_merges_a_duplicate_from_the_entity_page_and_undoes_it() {
    let w = world().await;
    let a = create(
        &w,
        json!({"name": "Al Noor Manpower", "kind": "recruitment_agency", "country": "AE"}),
    )
    .await;
    let b = create(
        &w,
        json!({"name": "Al-Noor Manpower Co.", "kind": "recruitment_agency", "country": "AE"}),
    )
    .await;
    // A report names the duplicate through the API.
    let report = w
        .app
        .api(
            Method::POST,
            "/reports",
            Some(&w.worker),
            Some(json!({"caller_type": "victim", "language": "en", "categories": ["unpaid_wages"],
                        "narrative": "Fees taken."})),
        )
        .await;
    let rid = report.json()["id"].as_str().expect("id").to_string();
    let named = w
        .app
        .api(
            Method::POST,
            &format!("/reports/{rid}/entities"),
            Some(&w.worker),
            Some(json!({"entity_id": b, "role": "recruiter"})),
        )
        .await;
    assert_eq!(named.status, 201, "{}", named.body);
    let page = w.app.page(&format!("/entities/{a}"), Some(&w.worker)).await;
    assert_eq!(
        attrs(&page.html(), ".duplicates input[name=into]", "value"),
        [b.clone()],
        "the likely duplicate is offered, not merged"
    );
    // Only a supervisor merges.
    let refused = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{b}/merge"),
            Some(&w.outsider),
            Some(json!({"into": a})),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let merged = w
        .app
        .post_form(
            &format!("/entities/{a}/merge"),
            &w.worker,
            &[("csrf", &w.worker.csrf), ("into", &b)],
        )
        .await;
    assert_eq!(merged.status, 303, "{}", merged.body);
    let absorbed = w
        .app
        .api(Method::GET, &format!("/entities/{b}"), Some(&w.worker), None)
        .await
        .json();
    assert_eq!(absorbed["merged_into"], a.as_str());
    let survivor = w
        .app
        .api(Method::GET, &format!("/entities/{a}"), Some(&w.worker), None)
        .await
        .json();
    assert_eq!(survivor["absorbed"], json!([b]));
    assert_eq!(survivor["links"][0]["record_id"], rid.as_str());
    let listed = w
        .app
        .api(Method::GET, "/entities?q=Al%20Noor", Some(&w.worker), None)
        .await
        .json();
    assert_eq!(listed.as_array().expect("list").len(), 1, "{listed}");
    let undone = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{b}/unmerge"),
            Some(&w.worker),
            Some(json!({})),
        )
        .await;
    assert_eq!(undone.status, 204, "{}", undone.body);
    let again = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{b}/unmerge"),
            Some(&w.worker),
            Some(json!({})),
        )
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(again.json()["code"], "already_undone");
    let survivor = w
        .app
        .api(Method::GET, &format!("/entities/{a}"), Some(&w.worker), None)
        .await
        .json();
    assert_eq!(survivor["links"], json!([]), "the report names the duplicate again");
}
