//! A tiny cookie jar over the ureq agent for the staff UI, so each test controls exactly what is
//! sent: plain forms with CSRF, multipart uploads, redirects not followed.

use super::{DEMO_PASSWORD, Server};

pub struct Client {
    pub base: String,
    pub cookies: Vec<(String, String)>,
}

pub struct Page {
    pub status: u16,
    pub location: String,
    pub set_cookies: Vec<String>,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for binary bodies).
    pub body: String,
    /// The body as received.
    pub bytes: Vec<u8>,
}

impl Page {
    pub fn text(&self) -> String {
        self.body.clone()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

impl Client {
    pub fn new(server: &Server) -> Client {
        Client {
            base: server.base.clone(),
            cookies: Vec::new(),
        }
    }

    /// A new client signed in as `email` with the demo password (asserts the 303).
    pub fn sign_in(server: &Server, email: &str) -> Client {
        let mut c = Client::new(server);
        let res = sign_in(&mut c, email);
        assert_eq!(res.status, 303, "sign in as {email}");
        c
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn absorb(&mut self, res: &mut ureq::http::Response<ureq::Body>) -> Page {
        let set_cookies: Vec<String> = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect();
        for c in &set_cookies {
            let kv = c.split(';').next().unwrap_or_default();
            if let Some((k, v)) = kv.split_once('=') {
                self.cookies.retain(|(name, _)| name != k);
                if !v.is_empty() {
                    self.cookies.push((k.to_string(), v.to_string()));
                }
            }
        }
        let bytes = res.body_mut().read_to_vec().unwrap_or_default();
        Page {
            status: res.status().as_u16(),
            location: res
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
            set_cookies,
            headers: res
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into()
    }

    pub fn get(&mut self, path: &str) -> Page {
        let mut res = Client::agent()
            .get(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .call()
            .expect("get");
        self.absorb(&mut res)
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let mut res = Client::agent()
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .send_form(form.iter().copied())
            .expect("post");
        self.absorb(&mut res)
    }

    /// A multipart form: text fields, then one file part.
    pub fn upload(&mut self, path: &str, fields: &[(&str, &str)], file: (&str, &[u8])) -> Page {
        let boundary = "----passage-ui-boundary-91c2";
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
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: image/jpeg\r\n\r\n",
                file.0
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.1);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut res = Client::agent()
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .header(
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            )
            .send(&body[..])
            .expect("upload");
        self.absorb(&mut res)
    }
}

/// The value of the page's hidden `csrf` input.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).expect("a csrf field") + marker.len();
    html[at..at + 64].to_string()
}

/// Signs `client` in as `email` with the demo password; returns the login response.
pub fn sign_in(client: &mut Client, email: &str) -> Page {
    sign_in_with(client, email, DEMO_PASSWORD)
}

/// Signs `client` in as `email` with `password`; returns the login response.
pub fn sign_in_with(client: &mut Client, email: &str, password: &str) -> Page {
    let login = client.get("/login");
    let csrf = csrf_of(&login.body);
    client.post(
        "/login",
        &[("csrf", &csrf), ("email", email), ("password", password)],
    )
}
