//! The request and response types of the intake API, owned by the API: requests turn into
//! core's `Raw*` inputs (which validate them), responses are built from the store's values by
//! `From`, and the OpenAPI schemas are derived from these types.

use passage_core::messages::{DeliveryStatus, FailureReason};
use passage_core::reports::{RawHotlineReport, RawPublicReport};
use passage_core::{Category, Channel, ReportStatus, ReporterType, Urgency};
use passage_store::reports as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A complaint from anyone, anonymous by default. It never asks for migration status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicReport {
    #[schema(schema_with = crate::kit::schema::language_code)]
    pub language: String,
    /// One category (the older field); `categories` takes several. At least one of the two.
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::category)]
    pub category: String,
    /// What the report is about, one or more; the first decides which organisation receives it
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::categories)]
    pub categories: Vec<String>,
    /// The reporter saw this happen to someone else (no name is asked of anyone)
    #[serde(default)]
    pub witness: bool,
    #[schema(max_length = 20000)]
    pub narrative: String,
    /// ISO 3166-1 alpha-2 where it happened
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub place: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub employer: Option<String>,
    /// Optional; only if the reporter wants to be contacted
    #[serde(default)]
    #[schema(max_length = 200)]
    pub contact: Option<String>,
    /// Optional: from `GET /api/v1/public/reports/form-token`, sent no sooner than its
    /// `wait_seconds` and within a day (the same check as the complaint form's); when sent, a
    /// forged, stale or too early token is refused
    #[serde(default)]
    pub form_token: Option<String>,
}

/// A time token for a public submission: send it with the report, no sooner than
/// `wait_seconds` from now and within a day. One token serves many submissions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormToken {
    pub form_token: String,
    pub wait_seconds: i64,
}

impl From<PublicReport> for RawPublicReport {
    fn from(b: PublicReport) -> RawPublicReport {
        RawPublicReport {
            language: b.language,
            category: b.category,
            categories: b.categories,
            witness: b.witness,
            narrative: b.narrative,
            country: b.country,
            place: b.place,
            employer: b.employer,
            contact: b.contact,
        }
    }
}

/// The receipt of a report: the only key to follow it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// 16 digits in groups of four: the only key to follow the report
    pub receipt: String,
}

/// A report received: its receipt, and the day the report and the receipt will be erased.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportReceipt {
    /// 16 digits in groups of four: the only key to follow the report
    pub receipt: String,
    /// `YYYY-MM-DD`: the report and its receipt are erased on this day, or when the report has
    /// been handled, if that is later
    pub expires_on: String,
}

impl From<store::public::Submitted> for ReportReceipt {
    fn from(s: store::public::Submitted) -> ReportReceipt {
        ReportReceipt {
            receipt: s.receipt,
            expires_on: s.expires_on,
        }
    }
}

/// A message from the reporter, by the report's receipt.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptMessage {
    pub receipt: String,
    #[schema(max_length = 5000)]
    pub body: String,
}

/// What a reporter sees at follow-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUp {
    #[schema(schema_with = public_status)]
    pub status: &'static str,
    pub messages: Vec<ReportMessage>,
    /// `YYYY-MM-DD`: the report and its receipt are erased on this day, or when the report has
    /// been handled, if that is later
    pub expires_on: String,
}

fn public_status() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["received", "in_progress", "closed"])
}

impl From<store::public::FollowUp> for FollowUp {
    fn from(f: store::public::FollowUp) -> FollowUp {
        FollowUp {
            status: f.status,
            messages: f.messages.into_iter().map(Into::into).collect(),
            expires_on: f.expires_on,
        }
    }
}

/// A message between the reporter and the handling organisation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportMessage {
    #[schema(schema_with = message_from)]
    pub from: String,
    pub body: String,
    /// RFC 3339
    pub at: String,
    /// A staff reply sent through a messaging gateway: where it stands (absent otherwise)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<ReplyDelivery>,
}

fn message_from() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["reporter", "staff"])
}

impl From<store::MessageView> for ReportMessage {
    fn from(m: store::MessageView) -> ReportMessage {
        ReportMessage {
            from: m.from,
            body: m.body,
            at: m.at,
            delivery: m.delivery.map(|d| ReplyDelivery {
                status: d.status.as_str(),
                reason: d.reason.map(FailureReason::as_str),
                attempts: d.attempts,
            }),
        }
    }
}

/// Where a staff reply sent through a messaging gateway stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplyDelivery {
    #[schema(schema_with = delivery_status)]
    pub status: &'static str,
    /// Why it failed, when it did
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = failure_reason)]
    pub reason: Option<&'static str>,
    /// Attempts made so far
    pub attempts: i64,
}

fn delivery_status() -> utoipa::openapi::schema::Object {
    let all: Vec<&'static str> = DeliveryStatus::ALL.iter().map(|s| s.as_str()).collect();
    crate::kit::schema::one_of(&all)
}

fn failure_reason() -> utoipa::openapi::schema::Object {
    let all: Vec<&'static str> = FailureReason::ALL.iter().map(|r| r.as_str()).collect();
    crate::kit::schema::one_of(&all)
}

/// A call logged at the hotline desk.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HotlineReport {
    #[schema(schema_with = crate::kit::schema::reporter_type)]
    pub caller_type: String,
    #[schema(schema_with = crate::kit::schema::language_code)]
    pub language: String,
    /// At least what the triggers imply; never lowered by them
    #[serde(default)]
    #[schema(schema_with = crate::kit::schema::urgency)]
    pub urgency: Option<String>,
    #[schema(schema_with = some_categories)]
    pub categories: Vec<String>,
    #[schema(max_length = 20000)]
    pub narrative: String,
    /// ISO 3166-1 alpha-2
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub place: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub employer: Option<String>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub contact: Option<String>,
    #[serde(default)]
    pub callback_consent: bool,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub callback_time: Option<String>,
    #[serde(default)]
    pub immediate_danger: bool,
    #[serde(default)]
    pub child: bool,
    #[serde(default)]
    pub urgent_medical: bool,
}

/// At least one category.
fn some_categories() -> utoipa::openapi::schema::Array {
    let mut all = crate::kit::schema::categories();
    all.min_items = Some(1);
    all
}

impl From<HotlineReport> for RawHotlineReport {
    fn from(b: HotlineReport) -> RawHotlineReport {
        RawHotlineReport {
            caller_type: b.caller_type,
            language: b.language,
            urgency: b.urgency,
            categories: b.categories,
            narrative: b.narrative,
            country: b.country,
            place: b.place,
            employer: b.employer,
            contact: b.contact,
            callback_consent: b.callback_consent,
            callback_time: b.callback_time,
            immediate_danger: b.immediate_danger,
            child: b.child,
            urgent_medical: b.urgent_medical,
        }
    }
}

/// One line of the triage queue: no narrative, no contact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportListItem {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::urgency)]
    pub urgency: Urgency,
    #[schema(schema_with = crate::kit::schema::report_status)]
    pub status: ReportStatus,
    #[schema(schema_with = crate::kit::schema::channel)]
    pub channel: Channel,
    #[schema(schema_with = crate::kit::schema::categories)]
    pub categories: Vec<Category>,
    pub country: Option<String>,
    pub language: String,
    /// Unix seconds
    pub received_at: i64,
    /// Unix seconds: when the first response is due
    pub due_at: i64,
    pub overdue: bool,
}

impl From<store::ReportListItem> for ReportListItem {
    fn from(r: store::ReportListItem) -> ReportListItem {
        ReportListItem {
            id: r.id,
            urgency: r.urgency,
            status: r.status,
            channel: r.channel,
            categories: r.categories,
            country: r.country,
            language: r.language,
            received_at: r.received_at,
            due_at: r.due_at,
            overdue: r.overdue,
        }
    }
}

/// A report with its narrative, contact (if given) and message thread: the fields of its
/// queue line, and more.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Report {
    pub id: Uuid,
    #[schema(schema_with = crate::kit::schema::urgency)]
    pub urgency: Urgency,
    #[schema(schema_with = crate::kit::schema::report_status)]
    pub status: ReportStatus,
    #[schema(schema_with = crate::kit::schema::channel)]
    pub channel: Channel,
    #[schema(schema_with = crate::kit::schema::categories)]
    pub categories: Vec<Category>,
    pub country: Option<String>,
    pub language: String,
    /// Unix seconds
    pub received_at: i64,
    /// Unix seconds: when the first response is due
    pub due_at: i64,
    pub overdue: bool,
    #[schema(schema_with = crate::kit::schema::reporter_type)]
    pub reporter_type: ReporterType,
    pub narrative: String,
    pub place: Option<String>,
    pub employer: Option<String>,
    pub contact: Option<String>,
    pub callback_consent: bool,
    pub callback_time: Option<String>,
    pub case_id: Option<Uuid>,
    pub close_reason: Option<String>,
    pub messages: Vec<ReportMessage>,
    /// The photos and documents sent with the report, stripped of their metadata
    pub attachments: Vec<ReportAttachment>,
}

/// A photo or document sent with a report (its content is downloaded apart).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportAttachment {
    pub id: Uuid,
    pub filename: String,
    pub content_type: String,
    /// Bytes stored, after the metadata was removed
    pub size: i64,
    /// RFC 3339
    pub received_at: String,
}

impl From<store::attachments::ReportAttachmentMeta> for ReportAttachment {
    fn from(a: store::attachments::ReportAttachmentMeta) -> ReportAttachment {
        ReportAttachment {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            received_at: a.received_at,
        }
    }
}

impl From<store::ReportView> for Report {
    fn from(r: store::ReportView) -> Report {
        let i = r.item;
        Report {
            id: i.id,
            urgency: i.urgency,
            status: i.status,
            channel: i.channel,
            categories: i.categories,
            country: i.country,
            language: i.language,
            received_at: i.received_at,
            due_at: i.due_at,
            overdue: i.overdue,
            reporter_type: r.reporter_type,
            narrative: r.narrative,
            place: r.place,
            employer: r.employer,
            contact: r.contact,
            callback_consent: r.callback_consent,
            callback_time: r.callback_time,
            case_id: r.case_id,
            close_reason: r.close_reason,
            messages: r.messages.into_iter().map(Into::into).collect(),
            attachments: r.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

/// A report recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportCreated {
    pub id: Uuid,
}

/// What an action on a report did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDone {
    #[schema(schema_with = done_status)]
    pub status: &'static str,
}

fn done_status() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["sent", "received", "acknowledged", "linked", "closed"])
}

/// The case opened from a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseOpened {
    pub case_id: Uuid,
}

/// A reply to the reporter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportReply {
    #[schema(max_length = 5000)]
    pub body: String,
}

/// The case of your organisation to link the report to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportLink {
    #[schema(format = Uuid)]
    pub case_id: String,
}

/// Why the report is closed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportClose {
    #[schema(max_length = 2000)]
    pub reason: String,
}

/// The fields of an inbound SMS the gateway posts (it adds others without notice; they are
/// accepted and ignored).
#[derive(Debug, ToSchema)]
#[allow(non_snake_case, dead_code)]
pub struct InboundSms {
    pub MessageSid: String,
    pub From: String,
    #[schema(required = false)]
    pub Body: String,
}

/// Twilio's status callback for a message the server sent (other fields are accepted).
#[derive(Debug, ToSchema)]
#[allow(non_snake_case, dead_code)]
pub struct TwilioStatus {
    pub MessageSid: String,
    /// queued, sent, delivered, undelivered, failed…
    pub MessageStatus: String,
    #[schema(required = false)]
    pub ErrorCode: String,
}

/// A RapidPro / TextIt workspace's status of a reply the server sent.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct RapidproStatus {
    /// The `uuid` (or `id`) the broadcast answered with; a string or a number
    pub id: String,
    /// initializing, queued, wired, sent, delivered, handled, errored, failed
    pub status: String,
}

/// What an inbound chat message became.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChatReceived {
    #[schema(schema_with = chat_status)]
    pub status: &'static str,
}

fn chat_status() -> utoipa::openapi::schema::Object {
    crate::kit::schema::one_of(&["new_report", "threaded", "duplicate"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    fn item() -> store::ReportListItem {
        store::ReportListItem {
            id: Uuid::from_u128(1),
            urgency: Urgency::High,
            status: ReportStatus::ALL[0],
            channel: Channel::ALL[0],
            categories: vec![Category::ALL[0], Category::ALL[1]],
            country: Some("GB".into()),
            language: "en".into(),
            received_at: 2,
            due_at: 3,
            overdue: true,
        }
    }

    /// Each response serialises exactly as the store value, or the object written out, that it
    /// replaced: a report's queue fields sit beside the rest, as the store flattened them.
    #[test]
    fn responses_serialise_as_before() {
        let line = item();
        assert_eq!(
            to_value(ReportListItem::from(line.clone())).expect("web"),
            to_value(line).expect("store")
        );
        let message = store::MessageView {
            from: "staff".into(),
            body: "We can help".into(),
            at: "2026-01-01T00:00:00Z".into(),
            delivery: Some(store::outbound::DeliveryView {
                status: DeliveryStatus::Failed,
                reason: Some(FailureReason::GaveUp),
                attempts: 10,
            }),
        };
        for full in [false, true] {
            let view = store::ReportView {
                item: item(),
                reporter_type: ReporterType::ALL[0],
                narrative: "They took my passport".into(),
                place: full.then(|| "Port".into()),
                employer: full.then(|| "Farm".into()),
                contact: full.then(|| "+100".into()),
                callback_consent: full,
                callback_time: full.then(|| "mornings".into()),
                case_id: full.then(|| Uuid::from_u128(9)),
                close_reason: full.then(|| "resolved".into()),
                messages: vec![message.clone()],
                attachments: full
                    .then(|| store::attachments::ReportAttachmentMeta {
                        id: Uuid::from_u128(7),
                        filename: "photo.jpg".into(),
                        content_type: "image/jpeg".into(),
                        size: 120,
                        received_at: "2026-01-01T00:00:00Z".into(),
                    })
                    .into_iter()
                    .collect(),
            };
            assert_eq!(
                to_value(Report::from(view.clone())).expect("web"),
                to_value(view).expect("store")
            );
        }
        let f = store::public::FollowUp {
            status: "in_progress",
            messages: vec![message],
            expires_on: "2027-01-01".into(),
        };
        assert_eq!(
            to_value(FollowUp::from(f.clone())).expect("web"),
            to_value(f).expect("store")
        );
        let id = Uuid::from_u128(4);
        assert_eq!(
            to_value(ReportCreated { id }).expect("web"),
            json!({ "id": id })
        );
        assert_eq!(
            to_value(CaseOpened { case_id: id }).expect("web"),
            json!({ "case_id": id })
        );
        assert_eq!(
            to_value(ReportDone { status: "linked" }).expect("web"),
            json!({ "status": "linked" })
        );
        assert_eq!(
            to_value(Receipt {
                receipt: "1234".into()
            })
            .expect("web"),
            json!({ "receipt": "1234" })
        );
    }
}
