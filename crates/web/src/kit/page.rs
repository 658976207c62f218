//! What every staff page shares: the header (`Nav`), rendering a template, the error page that
//! a refused request becomes, the CSRF check and the date format.

use crate::i18n::I18n;
use crate::kit::UiSession;
use crate::{AppState, ErrorBody, WebError};
use askama::Template;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use passage_core::Role;
use passage_core::policy::case_list_scope;
use std::sync::Arc;

pub(crate) async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/app.css"),
    )
}

/// The page frame: what the header shows for a signed-in user, and the language the page is
/// written in. Templates translate through it: `nav.t("staff-cases-title")` for a message,
/// `nav.label("case_type", id)` for a vocabulary value.
pub struct Nav {
    /// False on the pages shown before signing in (the sign-in form, error pages).
    pub signed_in: bool,
    pub email: String,
    pub organisation: String,
    pub csrf: String,
    pub reads_cases: bool,
    /// Registers people and opens cases in its own organisation (a service provider's staff
    /// only work the cases assigned to them: no "New case" form that would fail).
    pub creates_cases: bool,
    pub reads_reports: bool,
    pub manages_users: bool,
    /// Administrators and supervisors approve the grants of roles that read personal data.
    pub approves_grants: bool,
    /// Supervisors of an organisation whose cases they read: the dashboard.
    pub supervises: bool,
    /// Everyone but immigration enforcement reads the service directory.
    pub reads_directory: bool,
    /// Staff who work with cases send and receive referrals (never immigration enforcement).
    pub works_referrals: bool,
    /// Some role grants reading the migration status (and so the permits) of some case.
    pub reads_migration_status: bool,
    /// Staff who meet workers read the register of recruiters and employers (never
    /// immigration enforcement).
    pub reads_entities: bool,
    /// Inspectors and supervisors of a labour inspectorate: the work list and the targets.
    pub inspects: bool,
    /// Staff of an organisation that records incidents (never immigration enforcement).
    pub records_incidents: bool,
    /// Supervisors and analysts who read the monitoring views.
    pub monitors: bool,
    /// The ombudsperson, supervisor and analyst of an ombudsperson's office: the investigations
    /// page (the analyst reads its counts only).
    pub counts_investigations: bool,
    /// The ombudsperson and supervisor of an ombudsperson's office: a report or case is taken
    /// up for investigation from its page.
    pub investigates: bool,
    /// The user's unread notifications, counted in the header's link to the inbox.
    pub unread: i64,
    /// Organisation administrators (never of immigration enforcement) keep the webhook endpoint.
    pub administers_webhooks: bool,
    /// For them: the organisation's webhook notices given up on, in a banner on every page
    /// until the endpoint is mended (a notice never delivered is not dropped in silence).
    pub dead_webhooks: i64,
    /// The language of the page (a code of one of the locale files) and its direction.
    pub lang: String,
    pub dir: &'static str,
    /// (code, own name) of every language, for the picker.
    pub languages: Vec<(String, String)>,
    /// The path of this page, where the language picker comes back to.
    pub path: String,
    /// Emergency reports of the organisation nobody has acknowledged yet, for those who read
    /// its reports: every staff page shows a banner while there are any.
    pub emergencies: usize,
    /// This page refreshes itself every minute because the user asked (`?auto=1`).
    pub auto_refresh: bool,
    /// What the form that led here did, in the page's language ("Saved."), shown once.
    pub notice: Option<String>,
    /// The organisation's time zone: every time on a staff page is shown in it.
    pub zone: jiff::tz::TimeZone,
    /// When the page was made (store milliseconds), for the time left before a deadline.
    pub now: i64,
    i18n: Arc<I18n>,
}

impl Nav {
    pub async fn of(state: &AppState, s: &UiSession) -> Result<Nav, WebError> {
        let actor = &s.session.actor;
        let me = state.store.me(actor).await?;
        let emergencies = state.store.open_alerts(actor).await?.len();
        let administers_webhooks = actor.has_role(Role::OrgAdmin)
            && actor.principal().org_kind != passage_core::OrgKind::ImmigrationEnforcement;
        let dead_webhooks = if administers_webhooks {
            state.store.dead_webhooks(actor).await?
        } else {
            0
        };
        let lang = choose_language(
            &state.i18n,
            s.lang_query.as_deref(),
            me.language.as_deref(),
            s.accept_language.as_deref(),
        );
        let notice = s
            .done
            .as_deref()
            .and_then(|d| state.i18n.find(&lang, &format!("staff-done-{d}")));
        Ok(Nav {
            signed_in: true,
            email: me.email,
            organisation: me.organisation.name,
            csrf: s.session.csrf.clone(),
            reads_cases: case_list_scope(actor.principal()).is_ok(),
            creates_cases: passage_core::policy::decide(
                actor.principal(),
                passage_core::Action::CreateCase,
                // As the store asks when a case is opened: the new case is the actor's own.
                passage_core::Relation::Own,
            )
            .is_allowed(),
            reads_reports: passage_core::policy::decide(
                actor.principal(),
                passage_core::Action::ReadReport,
                passage_core::Relation::Organisation,
            )
            .is_allowed(),
            manages_users: actor.has_role(Role::OrgAdmin) || actor.has_role(Role::SystemAdmin),
            approves_grants: (actor.has_role(Role::OrgAdmin) || actor.has_role(Role::Supervisor))
                && actor.principal().org_kind != passage_core::OrgKind::ImmigrationEnforcement,
            supervises: actor.has_role(Role::Supervisor)
                && case_list_scope(actor.principal()).is_ok(),
            reads_directory: passage_core::services::directory_access(
                actor.principal(),
                passage_core::services::DirectoryAction::Read,
                actor.org_id(),
            )
            .is_ok(),
            // `case_list_scope` refuses immigration enforcement whatever the roles.
            works_referrals: case_list_scope(actor.principal()).is_ok(),
            reads_migration_status: case_list_scope(actor.principal()).is_ok()
                && actor.principal().roles.iter().any(|r| {
                    !passage_core::policy::grants(*r, passage_core::Action::ReadMigrationStatus)
                        .is_empty()
                }),
            reads_entities: passage_core::labour::entities::entity_access(
                actor.principal(),
                passage_core::labour::entities::EntityAction::Read,
            )
            .is_ok(),
            inspects: passage_core::labour::inspection::inspection_access(actor.principal())
                .is_ok(),
            records_incidents: passage_core::monitoring::incident_access(
                actor.principal(),
                passage_core::monitoring::IncidentAction::Record,
            )
            .is_ok(),
            monitors: passage_core::monitoring::incident_access(
                actor.principal(),
                passage_core::monitoring::IncidentAction::Monitor,
            )
            .is_ok(),
            counts_investigations: passage_core::oversight::investigations::investigation_access(
                actor.principal(),
                passage_core::oversight::investigations::InvestigationAction::Count,
            )
            .is_ok(),
            investigates: passage_core::oversight::investigations::investigation_access(
                actor.principal(),
                passage_core::oversight::investigations::InvestigationAction::Work,
            )
            .is_ok(),
            unread: state.store.unread_notifications(actor).await?,
            administers_webhooks,
            dead_webhooks,
            dir: I18n::dir(&lang),
            lang,
            languages: state.i18n.languages(),
            path: s.path.clone(),
            emergencies,
            auto_refresh: s.auto_refresh,
            notice,
            zone: jiff::tz::TimeZone::get(&me.organisation.time_zone)
                .unwrap_or(jiff::tz::TimeZone::UTC),
            now: state.store.clock().now_ms(),
            i18n: state.i18n.clone(),
        })
    }

    /// The frame of a page shown to someone not signed in, in `lang`.
    pub fn anonymous(i18n: &Arc<I18n>, lang: String) -> Nav {
        Nav {
            signed_in: false,
            email: String::new(),
            organisation: String::new(),
            csrf: String::new(),
            reads_cases: false,
            creates_cases: false,
            reads_reports: false,
            manages_users: false,
            approves_grants: false,
            supervises: false,
            reads_directory: false,
            works_referrals: false,
            reads_migration_status: false,
            reads_entities: false,
            inspects: false,
            records_incidents: false,
            monitors: false,
            counts_investigations: false,
            investigates: false,
            unread: 0,
            administers_webhooks: false,
            dead_webhooks: 0,
            dir: I18n::dir(&lang),
            lang,
            languages: i18n.languages(),
            path: String::new(),
            emergencies: 0,
            auto_refresh: false,
            notice: None,
            zone: jiff::tz::TimeZone::UTC,
            now: passage_store::now_ms(),
            i18n: i18n.clone(),
        }
    }

    /// A message in the page's language.
    pub fn t(&self, id: &str) -> String {
        self.i18n.t(&self.lang, id)
    }

    /// A message with one placeholder filled: `nav.t1("staff-page-n", "n", page_no)`.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.i18n.t_args(&self.lang, id, &[(name, &value)])
    }

    /// A message with two placeholders filled.
    pub fn t2(
        &self,
        id: &str,
        a: &str,
        a_value: impl std::fmt::Display,
        b: &str,
        b_value: impl std::fmt::Display,
    ) -> String {
        self.i18n
            .t_args(&self.lang, id, &[(a, &a_value), (b, &b_value)])
    }

    /// A vocabulary value by its label in the page's language, never by its id
    /// (`label("case_type", "labour_exploitation")` is "Labour exploitation").
    pub fn label(&self, kind: &str, id: &str) -> String {
        self.i18n.label(&self.lang, kind, id)
    }

    /// Several values of one vocabulary, by label, separated by commas.
    pub fn labels<T: std::fmt::Display>(&self, kind: &str, ids: &[T]) -> String {
        ids.iter()
            .map(|id| self.label(kind, &id.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A country's name in the page's language from its ISO 3166 code (the code itself when
    /// unknown).
    pub fn country(&self, code: &str) -> String {
        crate::names::country_name(&self.lang, code)
            .map_or_else(|| code.to_string(), str::to_string)
    }

    /// A language's name in the page's language from its ISO 639 code (the code itself when
    /// unknown).
    pub fn language(&self, code: &str) -> String {
        crate::names::language_name(&self.lang, code)
            .map_or_else(|| code.to_string(), str::to_string)
    }

    /// A moment (store milliseconds) as a date and time in the organisation's time zone, with
    /// the zone's abbreviation: `2026-12-06 15:04 CET`.
    pub fn when(&self, ms: i64) -> String {
        local_time(&self.zone, ms)
    }

    /// The time left until `due` (store milliseconds) as the page was made, in words: "2 h 05
    /// min left", or how late it is: "overdue by 12 min". With the opt-in refresh the page
    /// counts down without a script.
    pub fn left(&self, due: i64) -> String {
        let minutes = (due - self.now).div_euclid(60_000);
        let text = |m: i64| {
            let m = m.abs();
            if m >= 60 {
                format!("{} h {:02} min", m / 60, m % 60)
            } else {
                format!("{m} min")
            }
        };
        if minutes >= 0 {
            self.t1("staff-time-left", "left", text(minutes))
        } else {
            self.t1("staff-time-overdue", "late", text(minutes))
        }
    }

    /// A problem with a field in the page's language: "Date de naissance : n'est pas une
    /// date…". English pages keep `english`, the store's own message, which is more specific;
    /// a code without a translation keeps it too.
    pub fn problem(&self, field: &str, code: &passage_core::ErrorCode, english: &str) -> String {
        if self.lang == "en" {
            return english.to_string();
        }
        let key = format!("staff-problem-{}", code.as_str().replace('_', "-"));
        let Some(problem) = self.i18n.find(&self.lang, &key) else {
            return english.to_string();
        };
        let label = self
            .i18n
            .find(
                &self.lang,
                &format!("staff-field-{}", field.replace('_', "-")),
            )
            .unwrap_or_else(|| field.replace('_', " "));
        self.t2("staff-problem", "field", label, "problem", problem)
    }

    /// A form's problem line in the page's language when it came from the rules with a field
    /// and a code; other lines (already translated, or a rule without a field) as they are.
    pub fn ui_problem(&self, e: &crate::kit::UiError) -> String {
        match &e.code {
            Some((_, passage_core::ErrorCode::VersionConflict)) if self.lang != "en" => {
                self.t("staff-stale-edit")
            }
            Some((field, code)) if !field.is_empty() => self.problem(field, code, &e.message),
            _ => e.message.clone(),
        }
    }

    /// Whether this page is the case's section `tab` (`""` for the overview), so the case's
    /// tabs mark the current one. A screening's own pages belong to "screenings".
    pub fn is_tab(&self, case_id: impl std::fmt::Display, tab: &str) -> bool {
        let base = format!("/cases/{case_id}");
        match tab {
            "" => self.path == base,
            "screenings" => {
                self.path == format!("{base}/screenings") || self.path.starts_with("/screenings/")
            }
            _ => self.path == format!("{base}/{tab}"),
        }
    }

    /// Every country as (code, name) in the page's language, sorted for its reader.
    pub fn countries(&self) -> &'static [(&'static str, &'static str)] {
        crate::names::countries(&self.lang)
    }

    /// Every language as (code, name) in the page's language, sorted for its reader.
    pub fn languages_named(&self) -> &'static [(&'static str, &'static str)] {
        crate::names::languages(&self.lang)
    }
}

/// The staff pages' language: `?lang=` if it names a language we have, then the user's saved
/// choice, then the browser's `Accept-Language`, else English.
pub fn choose_language(
    i18n: &I18n,
    query: Option<&str>,
    saved: Option<&str>,
    accept_language: Option<&str>,
) -> String {
    let query = query
        .map(|q| q.trim().to_ascii_lowercase())
        .filter(|q| i18n.has(q));
    let saved = saved.filter(|s| i18n.has(s)).map(str::to_string);
    i18n.negotiate(query.or(saved).as_deref(), accept_language)
}

/// Where a user lands after signing in and at `/`: each role on its own page. Intake staff on
/// triage, supervisors on their dashboard, others who read cases on the case list, else triage
/// for those who read reports, else the users they administer, else `/` itself, which shows
/// statistics (analysts and immigration enforcement see aggregates only).
pub fn landing(who: &passage_core::Principal) -> &'static str {
    let reads_reports = passage_core::policy::decide(
        who,
        passage_core::Action::ReadReport,
        passage_core::Relation::Organisation,
    )
    .is_allowed();
    let reads_cases = case_list_scope(who).is_ok();
    if who.roles.contains(&Role::Intake) && reads_reports {
        // The hotline desk starts where the calls and reports arrive.
        "/reports"
    } else if who.roles.contains(&Role::Supervisor) && reads_cases {
        // A supervisor starts on what waits for them: approvals, overdue work, emergencies.
        "/dashboard"
    } else if reads_cases {
        "/cases"
    } else if reads_reports {
        "/reports"
    } else if who.roles.contains(&Role::OrgAdmin) || who.roles.contains(&Role::SystemAdmin) {
        "/admin/users"
    } else {
        "/"
    }
}

/// Renders a template, or a plain error if rendering fails.
pub fn page(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => WebError::internal(format!("template: {e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Nav,
    title: String,
    message: String,
    firewall: bool,
}

/// Turns a JSON error from a UI handler into a friendly page with the same status. A signed-in
/// user keeps the page frame (navigation, language, sign-out) on a refusal too; anyone else gets
/// the frame of the pages before signing in, in `?lang=` or the browser's language.
pub(crate) async fn render_errors(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let chosen = crate::kit::extract::lang_param(req.uri().query());
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let token = crate::kit::extract::cookie(req.headers(), state.cookie_name());
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let Some(body) = res.extensions().get::<ErrorBody>().cloned() else {
        return res;
    };
    let status = res.status();
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let title = match status {
        StatusCode::NOT_FOUND => "staff-error-not-found",
        StatusCode::FORBIDDEN => "staff-error-forbidden",
        StatusCode::TOO_MANY_REQUESTS => "staff-error-too-many",
        s if s.is_client_error() => "staff-error-client",
        _ => "staff-error-server",
    };
    let firewall = body.reason == Some(passage_core::DenyReason::ImmigrationFirewall);
    let signed_in = match token {
        Some(t) => match state
            .store
            .authenticate(&t, passage_store::SessionKind::Ui)
            .await
        {
            Ok(Some(session)) => {
                let s = UiSession {
                    session,
                    lang_query: chosen.clone(),
                    accept_language: accept.clone(),
                    path,
                    auto_refresh: false,
                    done: None,
                };
                Nav::of(&state, &s).await.ok()
            }
            _ => None,
        },
        None => None,
    };
    let nav = signed_in.unwrap_or_else(|| {
        Nav::anonymous(
            &state.i18n,
            state.i18n.negotiate(chosen.as_deref(), accept.as_deref()),
        )
    });
    // The fixed messages are translated by their code; a message that names a field or a
    // rule stays as the store wrote it.
    use passage_core::ErrorCode;
    let known = match body.code {
        ErrorCode::NotFound => Some("staff-error-msg-not-found"),
        ErrorCode::CsrfFailed => Some("staff-error-msg-csrf"),
        ErrorCode::RateLimited | ErrorCode::TooManyAttempts => Some("staff-error-msg-rate-limited"),
        ErrorCode::InternalError => Some("staff-error-msg-internal"),
        ErrorCode::Forbidden if firewall => Some("staff-error-msg-firewall"),
        ErrorCode::Forbidden => Some("staff-error-msg-roles"),
        _ => None,
    };
    let mut out = page(&ErrorPage {
        title: nav.t(title),
        message: known.map_or(body.message, |id| nav.t(id)),
        nav,
        firewall,
    });
    *out.status_mut() = status;
    if let Some(v) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out
}

/// Compares secrets without leaking where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a form's CSRF token against the session's, in constant time.
pub fn check_csrf(expected: &str, given: &str) -> Result<(), WebError> {
    if !expected.is_empty() && constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(WebError::bad_csrf())
    }
}

/// Store milliseconds as a date and time in `zone`, with the zone's abbreviation.
pub fn local_time(zone: &jiff::tz::TimeZone, ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(zone.clone())
                .strftime("%Y-%m-%d %H:%M %Z")
                .to_string()
        })
        .unwrap_or_default()
}

/// Formats store milliseconds as a UTC date and time.
pub fn when(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::local_time;
    use jiff::tz::TimeZone;

    #[test]
    fn a_moment_is_shown_in_the_zone_with_its_summer_and_winter_names() {
        let london = TimeZone::get("Europe/London").expect("zone");
        // 2026-07-01 12:00 UTC is 13:00 summer time in London; 2026-12-01 12:00 UTC is 12:00 GMT.
        assert_eq!(
            local_time(&london, 1_782_907_200_000),
            "2026-07-01 13:00 BST"
        );
        assert_eq!(
            local_time(&london, 1_796_126_400_000),
            "2026-12-01 12:00 GMT"
        );
        let manila = TimeZone::get("Asia/Manila").expect("zone");
        assert_eq!(
            local_time(&manila, 1_796_126_400_000),
            "2026-12-01 20:00 PST"
        );
        assert_eq!(
            local_time(&TimeZone::UTC, 1_796_126_400_000),
            "2026-12-01 12:00 UTC"
        );
    }

    #[test]
    fn a_field_problem_is_told_in_the_page_language() {
        use passage_core::ErrorCode;
        let i18n = std::sync::Arc::new(crate::i18n::I18n::load());
        let fr = super::Nav::anonymous(&i18n, "fr".into());
        let english = "date_of_birth: enter a date such as 1990-05-31";
        assert_eq!(
            fr.problem("date_of_birth", &ErrorCode::InvalidDate, english),
            "Date de naissance : n'est pas une date ; écrivez année-mois-jour, par exemple 1990-05-31."
        );
        let ar = super::Nav::anonymous(&i18n, "ar".into());
        assert!(
            ar.problem("summary", &ErrorCode::Required, "x")
                .starts_with("الملخص")
        );
        let en = super::Nav::anonymous(&i18n, "en".into());
        assert_eq!(
            en.problem("date_of_birth", &ErrorCode::InvalidDate, english),
            english,
            "English keeps the store's own words"
        );
        // Every translated problem names a real code.
        let codes: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| c.as_str().replace('_', "-"))
            .collect();
        for line in include_str!("../../locales/en/problems.ftl").lines() {
            if let Some(rest) = line.strip_prefix("staff-problem-") {
                let code = rest.split(' ').next().unwrap_or_default();
                assert!(codes.iter().any(|c| c == code), "no code {code}");
            }
        }
    }

    #[test]
    fn the_time_left_counts_down_and_then_says_how_late() {
        let i18n = std::sync::Arc::new(crate::i18n::I18n::load());
        let mut nav = super::Nav::anonymous(&i18n, "en".into());
        nav.now = 1_796_126_400_000;
        let minute = 60_000;
        assert_eq!(nav.left(nav.now + 23 * minute + 59_000), "23 min left");
        assert_eq!(nav.left(nav.now + 125 * minute), "2 h 05 min left");
        assert_eq!(nav.left(nav.now - 12 * minute), "overdue by 12 min");
        assert_eq!(nav.left(nav.now - 30_000), "overdue by 1 min");
        let ar = super::Nav::anonymous(&i18n, "ar".into());
        assert!(ar.left(ar.now + 5 * minute).contains("متبق"));
    }
}
