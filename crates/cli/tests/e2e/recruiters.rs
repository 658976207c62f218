//! The register of recruiters against the real binary and the demo world: a worker finds the
//! demo recruiter's revoked licence and its confirmed sanction on the public check in French,
//! never a household; staff see its complaint count across the network (past k); immigration
//! enforcement gets the firewall.

use crate::common::*;

fn public(server: &Server, path: &str) -> (u16, String) {
    let mut res = agent().get(&server.url(path)).call().expect("get");
    (
        res.status().as_u16(),
        res.body_mut().read_to_string().unwrap_or_default(),
    )
}

#[test]
fn a_worker_finds_the_demo_recruiters_licence_status_in_french() {
    let server = Server::start();
    let (s, page) = public(&server, "/recruiters?q=alnoor%20manpower%20llc&lang=fr");
    assert_eq!(s, 200, "{page}");
    assert!(page.contains("<html lang=\"fr\""), "{page}");
    assert!(
        page.contains("Vérifier un recruteur"),
        "the page speaks French"
    );
    assert!(page.contains("Al Noor Manpower"), "{page}");
    assert!(
        page.contains("Retirée"),
        "the revoked licence, in French: {page}"
    );
    assert!(
        page.contains("Ministry of Human Resources"),
        "its authority"
    );
    assert!(
        page.contains("Labour Inspectorate"),
        "the sanction the inspectorate confirmed"
    );
    assert!(!page.contains("<script>"), "no script needed");
    for never in ["María", "Reza", "Karimi", "caseworker", "Kensington"] {
        assert!(!page.contains(never), "never who complained: {never}");
    }
    // By licence number, and never a household.
    let (_, by_licence) = public(&server, "/recruiters?q=RA-2291&lang=fr");
    assert!(by_licence.contains("Al Noor Manpower"));
    let (_, household) = public(&server, "/recruiters?q=Household%20in%20Kensington");
    assert!(!household.contains("Kensington</bdi>"), "{household}");

    // Staff see the count across organisations, past k; enforcement meets the firewall.
    let worker = server.token("caseworker@shelter.demo");
    let (s, found) = call(
        "GET",
        &server.url("/api/v1/entities?q=Al%20Noor%20Manpower"),
        Some(&worker),
        None,
    );
    assert_eq!(s, 200, "{found}");
    assert_eq!(found[0]["name"], "Al Noor Manpower");
    assert_eq!(found[0]["licence_status"], "revoked");
    assert!(
        found[0]["complaints"].as_u64().expect("a count past k") >= 10,
        "{found}"
    );
    let officer = server.token("officer@immigration.demo");
    let (s, refused) = call(
        "GET",
        &server.url("/api/v1/entities?q=Al%20Noor"),
        Some(&officer),
        None,
    );
    assert_eq!(s, 403, "{refused}");
    assert_eq!(refused["reason"], "immigration_firewall", "{refused}");
}
