//! A store with one shelter and one immigration-enforcement organisation, the application on
//! it, and requests sent into it as a signed-in user or anonymously.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, Response, header};
use passage_core::{Country, OrgKind, Role};
use passage_store::casework::duplicates::LinkCheckMode;
use passage_store::orgs::NewUser;
use passage_store::{Keys, SessionKind, Store};
use scraper::{Html, Selector};
use serde_json::Value;
use tower::ServiceExt;
use uuid::Uuid;

pub const PW: &str = "a long enough password";

pub struct App {
    pub router: axum::Router,
    pub store: Store,
    _dir: TempDir,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A signed-in user: the bearer token for the API and the session cookie for pages.
pub struct User {
    token: String,
    cookie: String,
    pub csrf: String,
}

pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    /// The body as sent (a download that is not text).
    pub bytes: Vec<u8>,
    pub headers: axum::http::HeaderMap,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }
}

/// The elements of `html` that match `css`, as text.
pub fn select(html: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    html.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The value of attribute `attr` of each element matching `css`.
pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

impl App {
    pub async fn new() -> App {
        App::configured(|s| s).await
    }

    /// The application on a store configured by `f` (a clock, who needs a second factor).
    pub async fn configured(f: impl FnOnce(Store) -> Store) -> App {
        App::built(f, passage_web::WebConfig::default()).await
    }

    /// The application with these web settings.
    pub async fn with_config(config: passage_web::WebConfig) -> App {
        App::built(|s| s, config).await
    }

    /// The application on a store configured by `f`, with these web settings.
    pub async fn built(f: impl FnOnce(Store) -> Store, config: passage_web::WebConfig) -> App {
        let dir = std::env::temp_dir().join(format!("passage-router-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}", dir.join("passage.db").display());
        let store = Store::connect(&url, Keys::from_bytes([5; 32]).with_person_key_cache(0))
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        // Duplicate checks run in the registering request, so pages right after it show them.
        let store = f(store.with_link_check_mode(LinkCheckMode::Inline));
        let state =
            passage_web::AppState::new(store.clone(), config).expect("randomness for the form key");
        App {
            router: passage_web::router(state),
            store,
            _dir: TempDir(dir),
        }
    }

    /// Creates an organisation and a user in it with `roles`, and signs them in.
    pub async fn user(&self, kind: OrgKind, email: &str, roles: &[Role]) -> User {
        let org = self.org(kind, email).await;
        self.member(org, email, roles).await
    }

    /// Creates an organisation.
    pub async fn org(&self, kind: OrgKind, name: &str) -> Uuid {
        self.store
            .create_organisation(
                &operator(&self.store),
                name,
                kind,
                Country::parse("GB").expect("GB"),
            )
            .await
            .expect("org")
            .id
    }

    /// Creates an organisation in `country` (ISO 3166-1 alpha-2).
    pub async fn org_in(&self, kind: OrgKind, name: &str, country: &str) -> Uuid {
        self.store
            .create_organisation(
                &operator(&self.store),
                name,
                kind,
                Country::parse(country).expect("country"),
            )
            .await
            .expect("org")
            .id
    }

    /// Creates an account in `org` with the harness's password, without signing in.
    pub async fn account(&self, org: Uuid, email: &str, roles: &[Role]) {
        self.store
            .create_user(
                &operator(&self.store),
                NewUser {
                    org_id: org,
                    email,
                    display_name: email,
                    password: PW,
                    roles,
                },
            )
            .await
            .expect("user");
    }

    /// Creates a user in an existing organisation and signs them in.
    pub async fn member(&self, org: Uuid, email: &str, roles: &[Role]) -> User {
        let op = operator(&self.store);
        self.store
            .create_user(
                &op,
                NewUser {
                    org_id: org,
                    email,
                    display_name: email,
                    password: PW,
                    roles,
                },
            )
            .await
            .expect("user");
        self.sign_in(email).await
    }

    /// Signs an existing user in (who needs no second factor).
    pub async fn sign_in(&self, email: &str) -> User {
        let api = self
            .store
            .login(email, PW, SessionKind::Api)
            .await
            .expect("api login");
        let ui = self
            .store
            .login(email, PW, SessionKind::Ui)
            .await
            .expect("ui login");
        User {
            token: api.token,
            cookie: format!("passage={}", ui.token),
            csrf: ui.csrf,
        }
    }

    /// The store's actor of a user made with [`App::user`], for setting up what no route
    /// offers (sharing a case).
    pub async fn actor(&self, email: &str) -> passage_store::Actor {
        self.store
            .login(email, PW, SessionKind::Api)
            .await
            .expect("login")
            .actor
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        self.send_from(req, std::net::SocketAddr::from(([127, 0, 0, 1], 40000)))
            .await
    }

    /// A request as it arrives from `peer` (the socket's other end).
    pub async fn send_from(&self, req: Request<Body>, peer: std::net::SocketAddr) -> Answer {
        let mut req = req;
        req.extensions_mut().insert(ConnectInfo(peer));
        let res: Response<Body> = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        Answer {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
            headers,
        }
    }

    /// An API request; `who` signs it with a bearer token.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        who: Option<&User>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"));
        if let Some(u) = who {
            req = req.header(header::AUTHORIZATION, format!("Bearer {}", u.token));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).expect("request")).await
    }

    /// An API request with a bearer token obtained otherwise.
    pub async fn api_with_token(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Answer {
        let user = User {
            token: token.to_string(),
            cookie: String::new(),
            csrf: String::new(),
        };
        self.api(method, path, Some(&user), body).await
    }

    /// A page as `who` sees it.
    pub async fn page(&self, path: &str, who: Option<&User>) -> Answer {
        let mut req = Request::builder().uri(path);
        if let Some(u) = who {
            req = req.header(header::COOKIE, &u.cookie);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// A form posted by `who` with exactly these fields (add the CSRF token yourself).
    pub async fn post_form(&self, path: &str, who: &User, fields: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, &who.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }
}

impl App {
    /// Any body with any content type, posted to `path` by `who` (a bearer token for
    /// `/api/…`, the session cookie for pages) or anonymously: for the fuzz tests.
    pub async fn post_raw(
        &self,
        path: &str,
        who: Option<&User>,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let mut req = Request::builder().method(Method::POST).uri(path);
        if let Some(u) = who {
            req = if path.starts_with("/api/") {
                req.header(header::AUTHORIZATION, format!("Bearer {}", u.token))
            } else {
                req.header(header::COOKIE, &u.cookie)
            };
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// A multipart form posted by `who` (an upload): text fields, then one file part named
    /// `file` (add the CSRF token yourself).
    pub async fn post_multipart(
        &self,
        path: &str,
        who: &User,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Answer {
        let boundary = "passage-router-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                file.0
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.1);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let api = path.starts_with("/api/");
        let req = Request::builder().method(Method::POST).uri(path);
        let req = if api {
            req.header(header::AUTHORIZATION, format!("Bearer {}", who.token))
        } else {
            req.header(header::COOKIE, &who.cookie)
        };
        let req = req
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }
}

/// The setting-up authority. The web crate's lint refuses the operator handle so that no
/// request can act as it; this harness stands where the command line stands, setting up the
/// world before any request.
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
pub fn operator(store: &Store) -> passage_store::Authority {
    store.operator("router test").authority().clone()
}

/// The case id in a redirect to `/cases/{id}?done=…`.
pub fn case_of(location: &str) -> String {
    location
        .trim_start_matches("/cases/")
        .split(['?', '/', '#'])
        .next()
        .expect("case id")
        .to_string()
}

/// Registers a person with a case through the "New case" form with `fields` beside the csrf
/// token, and returns the case id.
pub async fn register_by_form(app: &App, who: &User, fields: &[(&str, &str)]) -> String {
    let mut form: Vec<(&str, &str)> = vec![("csrf", &who.csrf)];
    form.extend_from_slice(fields);
    let done = app.post_form("/cases/new", who, &form).await;
    assert_eq!(done.status, 303, "{}", done.body);
    case_of(done.location.as_deref().expect("location"))
}

/// One person registered twice through the "New case" form, in Latin letters and in
/// Cyrillic, with the same date of birth and citizenship: a pair duplicate detection finds.
/// Returns the two case ids in order.
pub async fn kovalenko_twice(app: &App, who: &User) -> Vec<String> {
    let mut cases = Vec::new();
    for (given, family) in [("Oleksandr", "Kovalenko"), ("Олександр", "Коваленко")]
    {
        let fields = [
            ("given_name", given),
            ("family_name", family),
            ("date_of_birth", "1990-05-17"),
            ("sex", "masculine"),
            ("citizenships", "UA"),
            ("types", "labour_exploitation"),
            ("stage", "destination"),
            ("summary", "Recruited for farm work."),
        ];
        cases.push(register_by_form(app, who, &fields).await);
    }
    cases
}
