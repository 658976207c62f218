//! A witness in Chromium: the Arabic complaint form, two categories ticked, "I saw this happen
//! to someone else", a phone photo with its GPS position attached; the confirmation page gives
//! the day the report and its receipt will be erased, and the photo the helpline downloads has
//! no GPS position left.

use crate::common::ui_client::Client;
use crate::common::*;
use crate::webdriver::Browser;

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(data);
    s
}

fn photo_with_gps() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(
        0xE1,
        b"Exif\0\0MM\0*GPSLatitude 36.8065 N GPSLongitude 10.1815 E Model WitnessPhone",
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

#[test]
fn a_witness_reports_in_arabic_with_two_categories_and_a_photo_and_learns_the_day_of_erasure() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let dir = temp_dir("witness-photo");
    let photo = dir.join("IMG_2041.jpg");
    std::fs::write(&photo, photo_with_gps()).expect("photo");

    browser.goto(&server.url("/report?lang=ar"));
    assert!(browser.source().contains("dir=\"rtl\""), "right to left");
    browser.find("#witness").click();
    browser
        .find("input[name=category][value=threats_violence]")
        .click();
    browser
        .find("input[name=category][value=abuse_by_officials]")
        .click();
    browser
        .find("textarea[name=narrative]")
        .send_keys("رأيت رجال الشرطة يضربون رجلاً أمام المحطة");
    browser
        .find("input[type=file][name=file]")
        .send_keys(&photo.display().to_string());
    browser
        .find("form[action='/report'] button[type=submit]")
        .click_and_wait();
    let receipt = browser.find("p.receipt").text();
    let digits: String = receipt.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 16, "a 16-digit receipt: {}", browser.source());
    let expiry = browser.find("#expiry").text();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    let day = passage_core::intake::expires_on(now, 365).to_string();
    assert!(expiry.contains(&day), "the day of erasure: {expiry}");
    assert!(expiry.contains("سنمحو"), "in Arabic: {expiry}");

    // The helpline's intake sees a witness's report with both categories and the photo.
    let token = server.token("intake@hotline.demo");
    let (s, list) = call("GET", &server.url("/api/v1/reports"), Some(&token), None);
    assert_eq!(s, 200, "{list}");
    let id = list
        .as_array()
        .and_then(|l| {
            l.iter().find(|r| {
                r["categories"] == serde_json::json!(["threats_violence", "abuse_by_officials"])
                    || r["categories"]
                        == serde_json::json!(["abuse_by_officials", "threats_violence"])
            })
        })
        .and_then(|r| r["id"].as_str())
        .unwrap_or_else(|| panic!("the witness's report: {list}"))
        .to_string();
    let (_, report) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{id}")),
        Some(&token),
        None,
    );
    assert_eq!(report["reporter_type"], "witness");
    let file = report["attachments"][0]["id"].as_str().expect("the photo");
    let mut staff = Client::sign_in(&server, "intake@hotline.demo");
    let got = staff.get(&format!("/reports/{id}/attachments/{file}"));
    assert_eq!(got.status, 200);
    assert!(got.bytes.starts_with(&[0xFF, 0xD8]));
    for secret in [&b"GPSLatitude"[..], b"36.8065", b"WitnessPhone"] {
        assert!(
            !has(&got.bytes, secret),
            "{}",
            String::from_utf8_lossy(secret)
        );
    }
    // Another organisation cannot reach it.
    let mut other = Client::sign_in(&server, "caseworker@shelter.demo");
    assert_eq!(
        other
            .get(&format!("/reports/{id}/attachments/{file}"))
            .status,
        404
    );
}
