//! The browser of the end-to-end tests: starts chromedriver and one headless Chromium session
//! and drives it through a maintained WebDriver client, behind the few blocking calls the tests
//! use. Everything is torn down on drop.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

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
    rt: tokio::runtime::Runtime,
    client: Client,
    _driver: Driver,
}

pub struct Element<'a> {
    browser: &'a Browser,
    inner: fantoccini::elements::Element,
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

fn capabilities(profile: &std::path::Path) -> serde_json::Map<String, Value> {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut options = json!({ "args": args });
    let binary = std::env::var_os("PASSAGE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or("/usr/bin/chromium".into());
    if std::env::var_os("PASSAGE_CHROMIUM").is_some() || binary.is_file() {
        options["binary"] = json!(binary);
    }
    let caps = json!({
        "browserName": "chrome",
        "timeouts": { "pageLoad": 30_000, "script": 30_000, "implicit": 0 },
        "goog:chromeOptions": options,
    });
    caps.as_object().cloned().unwrap_or_default()
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
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let url = format!("http://127.0.0.1:{port}");
        let caps = capabilities(&driver.profile);
        let client = poll("chromedriver to accept a session", || {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited early: {status}");
            }
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            rt.block_on(
                ClientBuilder::new(connector)
                    .capabilities(caps.clone())
                    .connect(&url),
            )
            .map_err(|e| {
                // A refused connection means the driver is still starting; anything else is
                // Chromium failing to start, which waiting will not mend.
                let text = e.to_string();
                let lower = text.to_lowercase();
                assert!(
                    lower.contains("connect") || lower.contains("did not respond"),
                    "could not start Chromium (set PASSAGE_CHROMIUM?): {text}"
                );
            })
            .ok()
        });
        Some(Browser {
            rt,
            client,
            _driver: driver,
        })
    }

    fn run<T, E: std::fmt::Display>(&self, what: &str, f: impl Future<Output = Result<T, E>>) -> T {
        self.rt
            .block_on(f)
            .unwrap_or_else(|e| panic!("webdriver {what}: {e}"))
    }

    pub fn goto(&self, url: &str) {
        self.run("goto", self.client.goto(url));
    }

    pub fn url(&self) -> String {
        self.run("url", self.client.current_url()).to_string()
    }

    pub fn source(&self) -> String {
        self.run("source", self.client.source())
    }

    /// The browser's Back button.
    pub fn back(&self) {
        self.run("back", self.client.back());
    }

    /// Resizes the window (a phone is 390×844).
    pub fn set_size(&self, width: u32, height: u32) {
        self.run(
            "set_window_size",
            self.client.set_window_size(width, height),
        );
    }

    /// Forgets every cookie of the current site (a sign-out without the form).
    pub fn clear_cookies(&self) {
        self.run("delete_all_cookies", self.client.delete_all_cookies());
    }

    /// Runs a script in the page and returns what it returns.
    pub fn execute(&self, script: &str) -> Value {
        self.run("execute", self.client.execute(script, Vec::new()))
    }

    /// Runs a script that calls its last argument when done, and returns what it passed.
    pub fn execute_async(&self, script: &str) -> Value {
        self.run(
            "execute_async",
            self.client.execute_async(script, Vec::new()),
        )
    }

    /// The first element matching `css`, waiting for it to appear.
    pub fn find(&self, css: &str) -> Element<'_> {
        poll(&format!("element {css:?}"), || {
            let inner = self.rt.block_on(self.client.find(Locator::Css(css))).ok()?;
            Some(Element {
                browser: self,
                inner,
            })
        })
    }

    /// All elements matching `css` right now (no waiting).
    pub fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        self.run("find_all", self.client.find_all(Locator::Css(css)))
            .into_iter()
            .map(|inner| Element {
                browser: self,
                inner,
            })
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = self.rt.block_on(client.close());
    }
}

impl Element<'_> {
    pub fn text(&self) -> String {
        self.browser.run("text", self.inner.text())
    }

    /// An attribute of the element, if it has it.
    pub fn attr(&self, name: &str) -> Option<String> {
        self.browser.run("attr", self.inner.attr(name))
    }

    /// The current value of a form field.
    pub fn value(&self) -> String {
        self.browser
            .run("value", self.inner.prop("value"))
            .unwrap_or_default()
    }

    pub fn send_keys(&self, text: &str) {
        self.browser.run("send_keys", self.inner.send_keys(text));
    }

    pub fn click(&self) {
        self.browser.run("click", self.inner.click());
    }

    /// Clicks and waits until the current document has been replaced by a new one.
    pub fn click_and_wait(&self) {
        let old = self.browser.find("html");
        self.click();
        poll("the next page to load", || {
            self.browser.rt.block_on(old.inner.tag_name()).err()
        });
        self.browser.find("body");
    }
}
