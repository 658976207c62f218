//! A tiny W3C WebDriver client over plain HTTP: starts chromedriver, opens one headless Chromium
//! session, and offers just what the end-to-end tests need. Everything is torn down on drop.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(20);
const CHROMIUM_ARGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--window-size=1280,1024",
];

/// The chromedriver process and the browser profile directory; both go away on drop.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

pub struct Browser {
    agent: ureq::Agent,
    session: String,
    _driver: Driver,
}

pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn find_chromedriver() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PASSAGE_CHROMEDRIVER") {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session. Returns `None` (test skipped) when
    /// chromedriver is not installed, unless `CI` is set, in which case that is a failure.
    pub fn launch() -> Option<Browser> {
        let Some(driver) = find_chromedriver() else {
            assert!(
                !ci(),
                "chromedriver not found: install chromium-driver or set PASSAGE_CHROMEDRIVER"
            );
            eprintln!("skipping browser test: chromedriver not found (set PASSAGE_CHROMEDRIVER)");
            return None;
        };
        let port = free_port();
        let profile =
            std::env::temp_dir().join(format!("passage-chromium-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver.display()));
        let mut driver = Driver { child, profile };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        poll("chromedriver to become ready", || {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited early: {status}");
            }
            let mut res = agent.get(&format!("{base}/status")).call().ok()?;
            let v: Value = res.body_mut().read_json().ok()?;
            v["value"]["ready"].as_bool().filter(|r| *r)
        });
        let session = new_session(&agent, &base, &driver.profile);
        Some(Browser {
            agent,
            session: format!("{base}/session/{session}"),
            _driver: driver,
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.session);
        let res = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut res = res.map_err(|e| format!("{method} {path}: {e}"))?;
        let v: Value = res
            .body_mut()
            .read_json()
            .map_err(|e| format!("{method} {path}: {e}"))?;
        match v["value"]["error"].as_str() {
            Some(error) => Err(format!(
                "{method} {path}: {error}: {}",
                v["value"]["message"]
            )),
            None => Ok(v["value"].clone()),
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, path, body)
            .unwrap_or_else(|e| panic!("webdriver: {e}"))
    }

    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn string(&self, path: &str) -> String {
        self.cmd("GET", path, None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn url(&self) -> String {
        self.string("/url")
    }

    pub fn source(&self) -> String {
        self.string("/source")
    }

    fn element(&self, reference: &Value) -> Option<Element<'_>> {
        let id = reference[ELEMENT_KEY].as_str()?.to_string();
        Some(Element { browser: self, id })
    }

    /// The first element matching `css`, waiting for it to appear.
    pub fn find(&self, css: &str) -> Element<'_> {
        poll(&format!("element {css:?}"), || {
            self.element(&self.call("POST", "/element", Some(by_css(css))).ok()?)
        })
    }

    /// All elements matching `css` right now (no waiting).
    pub fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        let found = self.cmd("POST", "/elements", Some(by_css(css)));
        let found = found.as_array().cloned().unwrap_or_default();
        found.iter().filter_map(|r| self.element(r)).collect()
    }
}

fn by_css(css: &str) -> Value {
    json!({ "using": "css selector", "value": css })
}

fn new_session(agent: &ureq::Agent, base: &str, profile: &Path) -> String {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut options = json!({ "args": args });
    let binary = std::env::var_os("PASSAGE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or("/usr/bin/chromium".into());
    if std::env::var_os("PASSAGE_CHROMIUM").is_some() || binary.is_file() {
        options["binary"] = json!(binary);
    }
    let caps = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "timeouts": { "pageLoad": 30_000, "script": 30_000, "implicit": 0 },
        "goog:chromeOptions": options,
    }}});
    let mut res = agent
        .post(&format!("{base}/session"))
        .send_json(&caps)
        .expect("new session request");
    let v: Value = res.body_mut().read_json().expect("new session json");
    v["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| {
            panic!(
                "could not start Chromium (set PASSAGE_CHROMIUM?): {}",
                v["value"]["message"]
            )
        })
        .to_string()
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", None);
    }
}

impl Element<'_> {
    fn path(&self, what: &str) -> String {
        format!("/element/{}{what}", self.id)
    }

    pub fn text(&self) -> String {
        self.browser.string(&self.path("/text"))
    }

    pub fn send_keys(&self, text: &str) {
        self.browser
            .cmd("POST", &self.path("/value"), Some(json!({ "text": text })));
    }

    pub fn click(&self) {
        self.browser.cmd("POST", &self.path("/click"), None);
    }

    /// Clicks and waits until the current document has been replaced by a new one.
    pub fn click_and_wait(&self) {
        let old = self.browser.find("html");
        self.click();
        poll("the next page to load", || {
            old.browser.call("GET", &old.path("/name"), None).err()
        });
        self.browser.find("body");
    }
}
