//! Who is told about a referral's events (issue 14 item 8): the kinds of notification, the
//! party each one is addressed to, and which users of that party's organisation read it. A
//! notification carries ids only (the referral, the other organisation), never personal data.
//!
//! The choice, in one place:
//! - `referral_received` goes to the receiving organisation's users who work on referrals
//!   (caseworkers, supervisors, service providers, consular officers, inspectors);
//! - `referral_answered` goes to the referrer: the user who sent it and the supervisors of
//!   their organisation (someone still sees the answer when the sender is away or has left);
//! - `referral_overdue` goes to both: the receiver is reminded to answer, the referrer learns
//!   that no answer came in time;
//! - `referral_withdrawn` goes to the receiver, whose access has just ended.
//!
//! Immigration enforcement is never told anything about a referral, whatever its roles.

use crate::{OrgKind, Role};

/// What a notification announces. The spelling is also the webhook's `event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    ReferralReceived,
    ReferralAnswered,
    ReferralOverdue,
    ReferralWithdrawn,
}

impl NotificationKind {
    pub const ALL: &'static [NotificationKind] = &[
        NotificationKind::ReferralReceived,
        NotificationKind::ReferralAnswered,
        NotificationKind::ReferralOverdue,
        NotificationKind::ReferralWithdrawn,
    ];

    /// The stable spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::ReferralReceived => "referral_received",
            NotificationKind::ReferralAnswered => "referral_answered",
            NotificationKind::ReferralOverdue => "referral_overdue",
            NotificationKind::ReferralWithdrawn => "referral_withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<NotificationKind> {
        NotificationKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == text)
    }

    /// The parties told about this event.
    pub fn parties(self) -> &'static [Party] {
        match self {
            NotificationKind::ReferralReceived | NotificationKind::ReferralWithdrawn => {
                &[Party::Receiver]
            }
            NotificationKind::ReferralAnswered => &[Party::Referrer],
            NotificationKind::ReferralOverdue => &[Party::Receiver, Party::Referrer],
        }
    }
}

/// A side of a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The organisation of the service referred to.
    Receiver,
    /// The organisation of the case the referral was sent from.
    Referrer,
}

/// Whether a user of `party`'s organisation (of kind `org_kind`, holding `roles`; `sent_it`
/// when they sent the referral) is notified.
pub fn notified(party: Party, org_kind: OrgKind, roles: &[Role], sent_it: bool) -> bool {
    if org_kind == OrgKind::ImmigrationEnforcement {
        return false;
    }
    match party {
        Party::Receiver => roles.iter().any(|r| {
            matches!(
                r,
                Role::Caseworker
                    | Role::Supervisor
                    | Role::ServiceProvider
                    | Role::Consular
                    | Role::Inspector
                    | Role::Ombudsperson
            )
        }),
        Party::Referrer => sent_it || roles.contains(&Role::Supervisor),
    }
}

/// Whether `url` may receive an organisation's webhooks: `https://` with a host, or plain
/// `http://` only to this machine (127.0.0.1, localhost, [::1]: a local relay, tests), as the
/// alert address. No spaces or control characters, at most 2000 characters.
pub fn endpoint_url_allowed(url: &str) -> bool {
    if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let host_follows = |rest: &str| !rest.is_empty() && !rest.starts_with(['/', ':', '?', '#']);
    if let Some(rest) = url.strip_prefix("https://") {
        return host_follows(rest);
    }
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| {
            url.strip_prefix(p)
                .is_some_and(|r| r.is_empty() || r.starts_with([':', '/']))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_https_or_this_machine() {
        for ok in [
            "https://hooks.example.org/passage",
            "https://10.0.0.5:8443/x",
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "http://[::1]:80",
        ] {
            assert!(endpoint_url_allowed(ok), "{ok}");
        }
        for bad in [
            "http://hooks.example.org/passage",
            "http://127.0.0.1.evil.example/",
            "http://localhost.evil.example/",
            "https://",
            "https:///path",
            "ftp://example.org",
            "hooks.example.org",
            "https://example.org/a b",
            "",
        ] {
            assert!(!endpoint_url_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn spellings_round_trip() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(NotificationKind::parse("referral"), None);
    }

    #[test]
    fn every_kind_role_and_party_is_decided_as_documented() {
        let workers = [
            Role::Caseworker,
            Role::Supervisor,
            Role::ServiceProvider,
            Role::Consular,
            Role::Inspector,
            Role::Ombudsperson,
        ];
        for kind in OrgKind::ALL {
            for role in Role::ALL {
                for sent_it in [false, true] {
                    let roles = [*role];
                    let receiver = notified(Party::Receiver, *kind, &roles, sent_it);
                    let referrer = notified(Party::Referrer, *kind, &roles, sent_it);
                    if *kind == OrgKind::ImmigrationEnforcement {
                        assert!(!receiver && !referrer, "{role:?}");
                        continue;
                    }
                    assert_eq!(receiver, workers.contains(role), "{kind:?} {role:?}");
                    assert_eq!(
                        referrer,
                        sent_it || *role == Role::Supervisor,
                        "{kind:?} {role:?} {sent_it}"
                    );
                }
            }
            assert!(!notified(Party::Receiver, *kind, &[], false));
        }
    }

    #[test]
    fn each_event_reaches_its_parties() {
        use NotificationKind::*;
        assert_eq!(ReferralReceived.parties(), &[Party::Receiver]);
        assert_eq!(ReferralAnswered.parties(), &[Party::Referrer]);
        assert_eq!(
            ReferralOverdue.parties(),
            &[Party::Receiver, Party::Referrer]
        );
        assert_eq!(ReferralWithdrawn.parties(), &[Party::Receiver]);
    }
}
