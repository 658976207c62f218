//! Issue 16 from one end to the other, against the real binary and the demo world: a witness
//! reports a racist attack in Arabic in Chromium, without a name, with a phone photo carrying
//! its GPS position; the report reaches the demo ombudsperson, whose copy of the photo has no
//! position left; the ombudsperson records it as an incident in Wales, takes the incident up
//! for investigation and records a recommendation with its follow-up; the monitoring view counts
//! it inside Wales's suppressed cell ("fewer than k") and never shows the story; and the rights
//! pages of every demo country answer in the four languages.

use crate::common::*;
use crate::webdriver::Browser;
use passage_core::casework::calendar::Day;
use serde_json::{Value, json};

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(data);
    s
}

/// A small JPEG whose EXIF holds a GPS position and the phone's model.
fn photo_with_gps() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(
        0xE1,
        b"Exif\0\0MM\0*GPSLatitude 51.4816 N GPSLongitude 3.1791 W Model BystanderPhone",
    ));
    j.extend(segment(0xDB, &[0u8; 65]));
    j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0x56, 0xFF, 0xD9]);
    j
}

fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn today() -> Day {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Day::from_unix_ms(ms)
}

fn region(figures: &Value, key: &str) -> Value {
    figures["regions"]
        .as_array()
        .and_then(|l| l.iter().find(|c| c["key"] == key))
        .cloned()
        .unwrap_or_else(|| panic!("no {key} in {figures}"))
}

const STORY: &str = "رأيت ثلاثة رجال يهاجمون امرأة محجبة عند محطة الحافلات ويصرخون بشتائم عنصرية";

#[test]
fn a_witness_attack_reaches_the_ombudsperson_an_investigation_and_the_suppressed_map() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let api = |p: &str| server.url(&format!("/api/v1{p}"));
    let ombuds = server.token("ombudsperson@equality.demo");
    let (s, before) = call("GET", &api("/monitoring?country=GB"), Some(&ombuds), None);
    assert_eq!(
        s, 200,
        "the ombudsperson reads the monitoring view: {before}"
    );
    let k = before["min_cell"].as_u64().expect("k");
    assert_eq!(region(&before, "wales")["suppressed"], true, "{before}");

    // The witness, in Arabic, without a name, with the photo.
    let photo = temp_dir("attack-photo").join("IMG_3310.jpg");
    std::fs::write(&photo, photo_with_gps()).expect("photo");
    browser.goto(&server.url("/report?lang=ar"));
    assert!(browser.source().contains("dir=\"rtl\""), "right to left");
    browser.find("#witness").click();
    browser
        .find("input[name=category][value=threats_violence]")
        .click();
    browser
        .find("input[name=category][value=discrimination]")
        .click();
    browser.find("textarea[name=narrative]").send_keys(STORY);
    browser
        .find("input[type=file][name=file]")
        .send_keys(&photo.display().to_string());
    browser
        .find("form[action='/report'] button[type=submit]")
        .click_and_wait();
    assert_eq!(
        browser.find_all("p.receipt").len(),
        1,
        "{}",
        browser.source()
    );
    assert_eq!(
        browser.find_all("#expiry").len(),
        1,
        "told the day of erasure"
    );

    // A rule naming discrimination sends it to the ombudsperson, a witness's, with the photo.
    let (_, reports) = call("GET", &api("/reports"), Some(&ombuds), None);
    let report = reports
        .as_array()
        .and_then(|l| {
            l.iter().find(|r| {
                r["categories"]
                    .as_array()
                    .is_some_and(|c| c.contains(&json!("discrimination")) && c.len() == 2)
            })
        })
        .and_then(|r| r["id"].as_str())
        .unwrap_or_else(|| panic!("the witness's report reached the ombudsperson: {reports}"))
        .to_string();
    let (_, one) = call(
        "GET",
        &api(&format!("/reports/{report}")),
        Some(&ombuds),
        None,
    );
    assert_eq!(one["reporter_type"], "witness", "{one}");
    let file = one["attachments"][0]["id"].as_str().expect("the photo");
    let mut staff =
        crate::common::ui_client::Client::sign_in(&server, "ombudsperson@equality.demo");
    let stored = staff.get(&format!("/reports/{report}/attachments/{file}"));
    assert_eq!(stored.status, 200);
    assert!(stored.bytes.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    for secret in [&b"GPSLatitude"[..], b"51.4816", b"BystanderPhone"] {
        assert!(
            !has(&stored.bytes, secret),
            "{} is gone from the stored file",
            String::from_utf8_lossy(secret)
        );
    }

    // Recorded as an incident from the report: an attack in Wales, seen by a witness.
    let (s, created) = call(
        "POST",
        &api("/incidents"),
        Some(&ombuds),
        Some(json!({
            "occurred_on": today().plus_days(-1).to_string(),
            "country": "GB",
            "region": "wales",
            "place_type": "street",
            "kinds": ["violence", "hate_speech"],
            "bias_motives": ["religion", "ethnicity"],
            "perpetrator_type": "private_person",
            "affected": {"women": 1},
            "source": "witness",
            "narrative": STORY,
            "report_id": report,
        })),
    );
    assert_eq!(s, 201, "{created}");
    let incident = created["id"].as_str().expect("incident id").to_string();

    // Taken up for investigation, with a recommendation to the police and its follow-up.
    let (s, opened) = call(
        "POST",
        &api("/investigations"),
        Some(&ombuds),
        Some(json!({
            "subject": {"kind": "incident", "id": incident},
            "authority": {"name": "South Wales Police", "kind": "police"},
            "summary": "Whether the police recorded the attack as a hate crime.",
        })),
    );
    assert_eq!(s, 201, "{opened}");
    let investigation = opened["id"].as_str().expect("investigation id").to_string();
    let (s, recommended) = call(
        "POST",
        &api(&format!("/investigations/{investigation}/recommendations")),
        Some(&ombuds),
        Some(json!({"text": "Record every attack reported with a bias motive as a hate crime."})),
    );
    assert!(s < 300, "{recommended}");
    let (_, seen) = call(
        "GET",
        &api(&format!("/investigations/{investigation}")),
        Some(&ombuds),
        None,
    );
    let rec = seen["recommendations"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("the recommendation: {seen}"))
        .to_string();
    let (s, followed) = call(
        "POST",
        &api(&format!(
            "/investigations/{investigation}/recommendations/{rec}/follow-up"
        )),
        Some(&ombuds),
        Some(json!({"state": "accepted", "on": today().to_string()})),
    );
    assert!(s < 300, "{followed}");

    // Another office's view: nothing of it. The shelter cannot take the incident up or read it.
    let shelter = server.token("supervisor@shelter.demo");
    let (s, _) = call(
        "GET",
        &api(&format!("/incidents/{incident}")),
        Some(&shelter),
        None,
    );
    assert_eq!(s, 404, "another organisation does not see the incident");

    // The monitoring view counts it inside Wales's suppressed cell, never the story.
    let (_, after) = call("GET", &api("/monitoring?country=GB"), Some(&ombuds), None);
    assert_eq!(
        region(&after, "wales"),
        json!({"key": "wales", "count": null, "suppressed": true}),
        "still fewer than {k} in Wales with the attack"
    );
    assert!(!after.to_string().contains(STORY));

    // And in Chromium, signed in as the ombudsperson: the investigation shows the
    // recommendation accepted, the map's table shows Wales as "fewer than k".
    browser.clear_cookies();
    browser.goto(&server.url("/login"));
    browser
        .find("input[name=email]")
        .send_keys("ombudsperson@equality.demo");
    browser
        .find("input[name=password]")
        .send_keys(DEMO_PASSWORD);
    browser.find("button[type=submit]").click_and_wait();
    browser.goto(&server.url(&format!("/investigations/{investigation}")));
    let page = browser.source();
    assert!(
        page.contains("Record every attack reported with a bias motive as a hate crime."),
        "{page}"
    );
    browser.goto(&server.url("/monitoring?country=GB"));
    let wales = browser.find("#regions-table tr[data-key=wales]");
    assert_eq!(wales.attr("class").as_deref(), Some("suppressed"));
    assert!(wales.text().contains(&format!("{k}")), "{}", wales.text());
    assert!(!browser.source().contains(STORY));

    // The rights pages exist for each demo country in the four languages.
    let mut public = crate::common::ui_client::Client::new(&server);
    for (country, stage) in [
        ("GB", "destination"),
        ("PH", "pre_departure"),
        ("CO", "pre_departure"),
        ("UA", "pre_departure"),
    ] {
        for lang in ["en", "fr", "es", "ar"] {
            let path = format!("/rights?lang={lang}&country={country}&stage={stage}");
            assert_eq!(public.get(&path).status, 200, "{path}");
        }
    }
}
