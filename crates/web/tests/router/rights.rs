//! The public rights pages: the contract address in Arabic, lists and pages small, free of
//! scripts and of other hosts' assets, cacheable; a country or stage that names nothing is a
//! 404 in the reader's language; a page missing in a language is shown in English with a
//! notice.

use crate::harness::*;
use passage_web::{RightsLibrary, WebConfig};

#[tokio::test]
async fn the_contract_address_in_arabic_lists_the_pages_right_to_left() {
    let app = App::new().await;
    let a = app
        .page("/rights?lang=ar&country=PH&stage=pre_departure", None)
        .await;
    assert_eq!(a.status, 200);
    let html = a.html();
    assert_eq!(attrs(&html, "html", "lang"), ["ar"]);
    assert_eq!(attrs(&html, "html", "dir"), ["rtl"]);
    let links = attrs(&html, "ul.rights-pages a", "href");
    assert_eq!(
        links,
        [
            "/rights/PH/pre_departure/passport?lang=ar",
            "/rights/PH/pre_departure/recruitment-fees?lang=ar",
            "/rights/PH/pre_departure/complain?lang=ar",
        ],
        "the usual topics in their order"
    );
    assert!(links.contains(&"/rights/PH/pre_departure/recruitment-fees?lang=ar".to_string()));
    // Titles in Arabic, none marked as an English fallback.
    assert!(select(&html, "ul.rights-pages a").contains(&"رسوم التوظيف".to_string()));
    assert!(select(&html, "ul.rights-pages span[lang=en]").is_empty());
    // The emergency number, the service finder and the complaint form.
    assert!(attrs(&html, "ul.helplines a", "href").contains(&"tel:911".to_string()));
    let hrefs = attrs(&html, "main a", "href");
    assert!(
        hrefs.contains(&"/services?lang=ar&country=PH".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"/report?lang=ar".to_string()), "{hrefs:?}");
    // The language chooser keeps the country and stage.
    assert!(
        attrs(&html, "ul.langs a", "href")
            .contains(&"/rights?lang=fr&country=PH&stage=pre_departure".to_string())
    );
}

#[tokio::test]
async fn every_shipped_page_is_small_script_free_self_contained_and_cacheable() {
    let app = App::new().await;
    let addresses = RightsLibrary::built_in().addresses();
    // GB: 7 topics; PH: 3 before departure, 2 on return; CO and UA: 3 before departure; each
    // in 4 languages, and 5 lists (GB, PH twice, CO, UA).
    assert_eq!(addresses.len(), (7 + 3 + 2 + 3 + 3) * 4 + 5 * 4);
    for path in addresses {
        let a = app.page(&path, None).await;
        assert_eq!(a.status, 200, "{path}");
        assert!(a.body.len() < 100 * 1024, "{path}: {} bytes", a.body.len());
        assert!(!a.body.contains("<script"), "{path} has a script");
        let html = a.html();
        for (css, attr) in [
            ("[src]", "src"),
            ("link[href]", "href"),
            ("main a[href]", "href"),
        ] {
            for url in attrs(&html, css, attr) {
                assert!(
                    url.starts_with('/') && !url.starts_with("//") || url.starts_with("tel:"),
                    "{path}: {css} goes to {url}"
                );
            }
        }
        if path.starts_with("/rights/") {
            assert!(
                !select(&html, "p.reviewed").is_empty(),
                "{path} has no review date"
            );
        }
        let cache = a
            .headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or(""));
        assert_eq!(cache, Some("public, max-age=3600"), "{path}");
    }
}

#[tokio::test]
async fn a_page_shows_its_review_date_helplines_and_links() {
    let app = App::new().await;
    let a = app
        .page("/rights/GB/destination/passport?lang=fr", None)
        .await;
    assert_eq!(a.status, 200);
    let html = a.html();
    assert_eq!(
        select(&html, "article h1"),
        ["Si l'on vous prend votre passeport"]
    );
    assert_eq!(
        select(&html, "p.reviewed"),
        ["Dernière vérification : 2026-12-01"]
    );
    let tel = attrs(&html, "ul.helplines a", "href");
    for n in ["tel:999", "tel:112", "tel:08005550199"] {
        assert!(tel.contains(&n.to_string()), "{tel:?}");
    }
    assert!(attrs(&html, "article a", "href").contains(&"/report?lang=fr".to_string()));
    assert!(select(&html, "p.notice").is_empty());
}

#[tokio::test]
async fn an_unknown_country_stage_or_page_is_a_404_in_the_readers_language() {
    let app = App::new().await;
    for path in [
        "/rights?lang=es&country=ZZ&stage=destination",
        "/rights?lang=es&country=GB&stage=arrival",
        "/rights?lang=es&country=GB&stage=transit",
        "/rights/GB/destination/nothing?lang=es",
        "/rights/XX/destination/work?lang=es",
    ] {
        let a = app.page(path, None).await;
        assert_eq!(a.status, 404, "{path}");
        let html = a.html();
        assert_eq!(attrs(&html, "html", "lang"), ["es"], "{path}");
        assert_eq!(
            select(&html, "[role=alert]"),
            ["No hay información para esta elección. Elija un país y una etapa de las listas."],
            "{path}"
        );
        assert_ne!(
            a.headers
                .get("cache-control")
                .map(|v| v.to_str().unwrap_or("")),
            Some("public, max-age=3600"),
            "{path}"
        );
    }
    // The chooser alone is no error, and links every country and stage there are pages for.
    let chooser = app.page("/rights?lang=es", None).await;
    assert_eq!(chooser.status, 200);
    let places = attrs(&chooser.html(), "ul.rights-places a", "href");
    assert_eq!(
        places,
        [
            "/rights?lang=es&country=CO&stage=pre_departure",
            "/rights?lang=es&country=GB&stage=destination",
            "/rights?lang=es&country=PH&stage=pre_departure",
            "/rights?lang=es&country=PH&stage=return",
            "/rights?lang=es&country=UA&stage=pre_departure",
        ]
    );
}

#[tokio::test]
async fn a_page_missing_in_a_language_is_shown_in_english_with_a_notice() {
    let dir = std::env::temp_dir().join(format!("passage-rights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("shelter.en.md"),
        "+++\ntitle = \"Finding a safe place to stay\"\ncountry = \"UA\"\nstage = \"transit\"\n\
         language = \"en\"\nslug = \"shelter\"\nreviewed = 2026-10-01\n+++\nYou can ask for a bed.\n\n\
         <script>alert(1)</script>\n",
    )
    .unwrap();
    let rights = RightsLibrary::load(Some(&dir)).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let app = App::with_config(WebConfig {
        rights,
        ..Default::default()
    })
    .await;
    let a = app.page("/rights/UA/transit/shelter?lang=ar", None).await;
    assert_eq!(a.status, 200);
    let html = a.html();
    assert_eq!(attrs(&html, "html", "lang"), ["ar"]);
    assert_eq!(
        select(&html, "p.notice"),
        ["هذه الصفحة غير مكتوبة بعد باللغة العربية. إليك نسختها الإنجليزية."]
    );
    assert_eq!(attrs(&html, "article", "lang"), ["en"]);
    assert_eq!(attrs(&html, "article", "dir"), ["ltr"]);
    assert_eq!(
        select(&html, "article h1"),
        ["Finding a safe place to stay"]
    );
    // Raw HTML in the file is text, never markup.
    assert!(!a.body.contains("<script"));
    assert!(select(&html, "article p").contains(&"<script>alert(1)</script>".to_string()));
    // The list marks the English title.
    let list = app
        .page("/rights?lang=ar&country=UA&stage=transit", None)
        .await;
    assert_eq!(
        select(&list.html(), "ul.rights-pages span[lang=en]"),
        ["(English)"]
    );
}

#[tokio::test]
async fn the_complaint_form_and_the_service_finder_link_to_the_rights_pages() {
    let app = App::new().await;
    for page in ["/report?lang=fr", "/services?lang=fr"] {
        let a = app.page(page, None).await;
        assert!(
            attrs(&a.html(), "main a", "href").contains(&"/rights?lang=fr".to_string()),
            "{page}"
        );
    }
}
