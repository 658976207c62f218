//! Resolving a partner signal through a consented referral. A signal says only that a partner
//! organisation may hold a record of the same person. It has two sides: the signal's `person`
//! and `org_id` are the side whose registration raised it, `partner` the organisation that
//! already held the record. The holder is told first, and there only those who review the
//! organisation's duplicates (`core::policy::partner::sees_signal`); the registering side sees
//! nothing at all — no signal, no `partner_may_hold` — until the holder's person agreed to be
//! connected, and is then asked to ask its own person. Only when both sides have recorded the
//! person's agreement is the signal `connected`: each side then learns which organisation the
//! partner is — never the partner's record — and a referral consent naming that organisation is
//! recorded for each person, so the usual referral and sharing rules apply from there; when
//! either person withdraws that consent, the signal is `withdrawn` and the partner is no longer
//! named. If a person does not agree, the side records it and the signal closes for both; the
//! other side learns nothing, not even that the person was asked.

use super::super::{PersonAccess, person_gate};
use crate::auth::parse_uuid;
use crate::db::Tx;
use crate::keys::{Field, Keys};
use crate::{Actor, Store, StoreError};
use passage_core::OrgKind;
use passage_core::casework::ConsentMethod;
use passage_core::policy::partner::{SignalSide, reviews_duplicates, sees_signal};
use passage_core::policy::{self, Action};
use serde::Serialize;
use sqlx::Row as _;
use sqlx::any::AnyRow;
use uuid::Uuid;

/// What one side may know of a partner signal.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartnerSignal {
    pub id: Uuid,
    /// `open`, `connected`, `withdrawn` (a person withdrew the referral consent the connection
    /// recorded) or `declined` (shown only to the side that declined).
    pub status: String,
    /// This side recorded its person's agreement.
    pub our_consent: bool,
    /// The partner recorded its person's agreement (the partner asks to connect).
    pub partner_consent: bool,
    /// The partner organisation, once both sides agreed; until then, nothing.
    pub partner_organisation: Option<PartnerOrganisation>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

/// The partner organisation named once a signal is connected.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartnerOrganisation {
    pub id: Uuid,
    pub name: String,
}

/// One signal as stored, seen from one side.
struct Side {
    id: String,
    /// `person` when this side is the signal's person, `partner` otherwise.
    ours: &'static str,
    our_person: String,
    their_person: String,
    their_org: String,
    status: String,
    our_consent: Option<Consent>,
    their_consent: Option<Consent>,
    declined_side: Option<String>,
    created_at: i64,
    resolved_at: Option<i64>,
}

/// A signal row: who and which organisation on each side, its status, and each side's
/// consent (when, by whom, how, in which language).
struct Row {
    id: String,
    person: String,
    org: String,
    partner_person: String,
    partner_org: String,
    status: String,
    created_at: i64,
    person_consent: Option<Consent>,
    partner_consent: Option<Consent>,
    declined_side: Option<String>,
    resolved_at: Option<i64>,
}

/// When, by whom, how and in which language a side recorded its person's agreement.
type Consent = (i64, String, Option<String>, Option<String>);

const SIGNALS: &str = "SELECT id, person_id, org_id, partner_person_id, partner_org_id, status, created_at, \
    person_consent_at, person_consent_by, person_consent_method, person_consent_language_sealed, \
    partner_consent_at, partner_consent_by, partner_consent_method, partner_consent_language_sealed, \
    declined_side, resolved_at FROM partner_signals \
    WHERE (person_id = $1 AND org_id = $2) OR (partner_person_id = $1 AND partner_org_id = $2) \
    ORDER BY created_at, id";

/// Reads one side's consent from the columns `{side}_consent_at`, `{side}_consent_by`,
/// `{side}_consent_method` and `{side}_consent_language_sealed`, `side` being `person` or
/// `partner`.
fn consent_at(
    r: &AnyRow,
    side: &str,
    keys: &Keys,
    id: &str,
) -> Result<Option<Consent>, StoreError> {
    let col = |name: &str| format!("{side}_consent_{name}");
    let at: Option<i64> = r.try_get(col("at").as_str())?;
    let by: Option<String> = r.try_get(col("by").as_str())?;
    Ok(match (at, by) {
        (Some(at), Some(by)) => {
            let language = r
                .try_get::<Option<Vec<u8>>, _>(col("language_sealed").as_str())?
                .map(|b| keys.open_str(Field::PartnerSignalConsentLanguage, id, &b))
                .transpose()?;
            Some((at, by, r.try_get(col("method").as_str())?, language))
        }
        _ => None,
    })
}

fn read_row(r: &AnyRow, keys: &Keys) -> Result<Row, StoreError> {
    let id: String = r.try_get("id")?;
    Ok(Row {
        person_consent: consent_at(r, "person", keys, &id)?,
        partner_consent: consent_at(r, "partner", keys, &id)?,
        id,
        person: r.try_get("person_id")?,
        org: r.try_get("org_id")?,
        partner_person: r.try_get("partner_person_id")?,
        partner_org: r.try_get("partner_org_id")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
        declined_side: r.try_get("declined_side")?,
        resolved_at: r.try_get("resolved_at")?,
    })
}

fn side(row: Row, person: &str, org: &str) -> Option<Side> {
    let ours = if row.person == person && row.org == org {
        "person"
    } else if row.partner_person == person && row.partner_org == org {
        "partner"
    } else {
        return None;
    };
    let (our_person, their_person, their_org, our_consent, their_consent) = if ours == "person" {
        (
            row.person,
            row.partner_person,
            row.partner_org,
            row.person_consent,
            row.partner_consent,
        )
    } else {
        (
            row.partner_person,
            row.person,
            row.org,
            row.partner_consent,
            row.person_consent,
        )
    };
    Some(Side {
        id: row.id,
        ours,
        our_person,
        their_person,
        their_org,
        status: row.status,
        our_consent,
        their_consent,
        declined_side: row.declined_side,
        created_at: row.created_at,
        resolved_at: row.resolved_at,
    })
}

impl Side {
    async fn view(&self, tx: &mut Tx) -> Result<PartnerSignal, StoreError> {
        let partner_organisation = if self.status == "connected" {
            let (name,): (String,) = sqlx::query_as("SELECT name FROM organisations WHERE id = $1")
                .bind(&self.their_org)
                .fetch_one(&mut *tx.tx)
                .await?;
            Some(PartnerOrganisation {
                id: parse_uuid(&self.their_org)?,
                name,
            })
        } else {
            None
        };
        Ok(PartnerSignal {
            id: parse_uuid(&self.id)?,
            status: self.status.clone(),
            our_consent: self.our_consent.is_some(),
            partner_consent: self.their_consent.is_some() && self.status != "declined",
            partner_organisation,
            created_at: self.created_at,
            resolved_at: self.resolved_at,
        })
    }

    /// Shown to this side: open and connected signals, and those this side declined.
    fn shown(&self) -> bool {
        self.status != "declined" || self.declined_side.as_deref() == Some(self.ours)
    }

    fn side(&self) -> SignalSide {
        if self.ours == "partner" {
            SignalSide::Holder
        } else {
            SignalSide::Registering
        }
    }

    /// Whether the holder's person agreed to be connected.
    fn holder_agreed(&self) -> bool {
        match self.side() {
            SignalSide::Holder => self.our_consent.is_some(),
            SignalSide::Registering => self.their_consent.is_some(),
        }
    }

    /// Whether a reader of this side (a reviewer of the organisation's duplicates or not) is
    /// told of the signal at all.
    fn visible(&self, reviewer: bool) -> bool {
        self.shown() && sees_signal(self.side(), reviewer, self.holder_agreed())
    }
}

/// Opens the actor's side of the person's signals: the person must belong to the actor's own
/// organisation (a partner signal is never seen through a shared case).
async fn own_person(
    store: &Store,
    actor: &Actor,
    person_id: Uuid,
    action: Action,
    audit: &str,
) -> Result<(Tx, PersonAccess), StoreError> {
    let tx = store.begin().await?;
    let (tx, person) = person_gate(tx, actor, person_id, action, audit).await?;
    if person.org_id() != actor.org_id() {
        return Err(StoreError::NotFound);
    }
    Ok((tx, person))
}

/// The signals of a person the gate let the actor reach, from the actor's organisation's side.
async fn sides(tx: &mut Tx, person: &PersonAccess, org: &str) -> Result<Vec<Side>, StoreError> {
    let person = &person.key();
    let rows = sqlx::query(SIGNALS)
        .bind(person)
        .bind(org)
        .fetch_all(&mut *tx.tx)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        if let Some(s) = side(read_row(r, &tx.keys)?, person, org) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The actor's side of an open signal of a person of the actor's own organisation, in a
/// transaction that may change it (`UpdateCase` on the person).
async fn open_side(
    store: &Store,
    actor: &Actor,
    person_id: Uuid,
    signal: Uuid,
    audit: &str,
) -> Result<(Tx, Side), StoreError> {
    let (mut tx, person) = own_person(store, actor, person_id, Action::UpdateCase, audit).await?;
    let org = actor.org_id().to_string();
    let reviewer = reviews_duplicates(actor.principal());
    let Some(side) = sides(&mut tx, &person, &org)
        .await?
        .into_iter()
        .find(|s| s.id == signal.to_string() && s.visible(reviewer))
    else {
        // A signal this side may not see answers as one that does not exist.
        tx.audit(actor.event(
            audit,
            "partner_signal",
            Some(signal.to_string()),
            "not_found",
        ))
        .await?;
        tx.commit().await?;
        return Err(StoreError::NotFound);
    };
    if side.status != "open" {
        return Err(StoreError::Rule {
            code: passage_core::ErrorCode::SignalClosed,
            message: "This partner signal is already resolved; nothing more can be recorded on it."
                .into(),
        });
    }
    Ok((tx, side))
}

/// Whether the actor's side shows an open signal on the person (for `partner_may_hold`).
pub(super) async fn open_signal_seen(
    tx: &mut Tx,
    actor: &Actor,
    person: &PersonAccess,
) -> Result<bool, StoreError> {
    let reviewer = reviews_duplicates(actor.principal());
    let org = actor.org_id().to_string();
    Ok(sides(tx, person, &org)
        .await?
        .iter()
        .any(|s| s.status == "open" && s.visible(reviewer)))
}

/// Records a referral consent naming `org` for `person`, given when the side recorded it;
/// returns its id.
async fn referral_consent(
    tx: &mut Tx,
    person: &str,
    org: &str,
    consent: &Consent,
) -> Result<String, StoreError> {
    let (given_at, by, method, language) = consent;
    let id = Uuid::now_v7().to_string();
    // The signal names two persons: this consent is `person`'s, under their key.
    tx.seal_as_person(person, true).await?;
    let language = language
        .as_deref()
        .map(|l| tx.keys.seal_str(Field::ConsentLanguage, &id, l))
        .transpose()?;
    sqlx::query(
        "INSERT INTO consents (id, person_id, purpose, organisation_id, basis, method, language_sealed, reason, recorded_by, given_at) \
         VALUES ($1, $2, 'referral', $3, 'consent', $4, $5, NULL, $6, $7)",
    )
    .bind(&id)
    .bind(person)
    .bind(org)
    .bind(method.as_deref())
    .bind(language)
    .bind(by)
    .bind(*given_at)
    .execute(&mut *tx.tx)
    .await?;
    Ok(id)
}

impl Store {
    /// The partner signals of a person of the actor's own organisation, as this side may know
    /// them.
    pub async fn partner_signals(
        &self,
        actor: &Actor,
        person_id: Uuid,
    ) -> Result<Vec<PartnerSignal>, StoreError> {
        let (mut tx, person) = own_person(
            self,
            actor,
            person_id,
            Action::ReadCase,
            "partner_signal.list",
        )
        .await?;
        let org = actor.org_id().to_string();
        let reviewer = reviews_duplicates(actor.principal());
        let mut out = Vec::new();
        for s in sides(&mut tx, &person, &org).await? {
            if s.visible(reviewer) {
                out.push(s.view(&mut tx).await?);
            }
        }
        tx.audit(actor.event(
            "partner_signal.list",
            "person",
            Some(person_id.to_string()),
            "ok",
        ))
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Records that the person agrees to be connected with the partner who may hold their
    /// record. When the partner's person already agreed, the signal is connected: both sides
    /// learn each other's organisation and a referral consent is recorded for each person.
    pub async fn consent_partner_signal(
        &self,
        actor: &Actor,
        person_id: Uuid,
        signal: Uuid,
        method: ConsentMethod,
        language: Option<String>,
    ) -> Result<PartnerSignal, StoreError> {
        let (mut tx, mut s) =
            open_side(self, actor, person_id, signal, "partner_signal.consent").await?;
        let org = actor.org_id().to_string();
        if s.our_consent.is_none() {
            let ours = s.ours;
            let sql = if ours == "person" {
                "UPDATE partner_signals SET person_consent_at = $1, person_consent_by = $2, \
                 person_consent_method = $3, person_consent_language_sealed = $4 WHERE id = $5"
            } else {
                "UPDATE partner_signals SET partner_consent_at = $1, partner_consent_by = $2, \
                 partner_consent_method = $3, partner_consent_language_sealed = $4 WHERE id = $5"
            };
            sqlx::query(sql)
                .bind(tx.now)
                .bind(actor.user_id().to_string())
                .bind(method.as_str())
                .bind(
                    language
                        .as_deref()
                        .map(|l| {
                            tx.keys
                                .seal_str(Field::PartnerSignalConsentLanguage, &s.id, l)
                        })
                        .transpose()?,
                )
                .bind(&s.id)
                .execute(&mut *tx.tx)
                .await?;
            s.our_consent = Some((
                tx.now,
                actor.user_id().to_string(),
                Some(method.as_str().to_string()),
                language,
            ));
        }
        tx.audit(actor.event(
            "partner_signal.consent",
            "partner_signal",
            Some(s.id.clone()),
            "ok",
        ))
        .await?;
        if let (Some(ours), Some(theirs)) = (s.our_consent.clone(), s.their_consent.clone()) {
            // Both persons agreed: the firewall still holds (a signal never involves immigration
            // enforcement, and a referral is never made to it).
            for o in [&org, &s.their_org] {
                let (kind,): (String,) =
                    sqlx::query_as("SELECT kind FROM organisations WHERE id = $1")
                        .bind(o)
                        .fetch_one(&mut *tx.tx)
                        .await?;
                if !OrgKind::parse(&kind).is_some_and(policy::may_receive_shared_records) {
                    return Err(StoreError::Rule {
                        code: passage_core::ErrorCode::ImmigrationFirewall,
                        message: "Records are never shared with or referred to immigration enforcement, whatever the consent.".into(),
                    });
                }
            }
            let our_referral =
                referral_consent(&mut tx, &s.our_person, &s.their_org, &ours).await?;
            let their_referral = referral_consent(&mut tx, &s.their_person, &org, &theirs).await?;
            let (person_referral, partner_referral) = if s.ours == "person" {
                (our_referral, their_referral)
            } else {
                (their_referral, our_referral)
            };
            sqlx::query(
                "UPDATE partner_signals SET status = 'connected', resolved_at = $1, \
                 person_referral_consent = $2, partner_referral_consent = $3 WHERE id = $4",
            )
            .bind(tx.now)
            .bind(person_referral)
            .bind(partner_referral)
            .bind(&s.id)
            .execute(&mut *tx.tx)
            .await?;
            s.status = "connected".into();
            s.resolved_at = Some(tx.now);
            tx.audit(actor.event(
                "partner_signal.connected",
                "partner_signal",
                Some(s.id.clone()),
                "ok",
            ))
            .await?;
        }
        let view = s.view(&mut tx).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Records that the person does not agree to be connected: the signal closes for both
    /// sides, and the partner learns nothing of it.
    pub async fn decline_partner_signal(
        &self,
        actor: &Actor,
        person_id: Uuid,
        signal: Uuid,
    ) -> Result<PartnerSignal, StoreError> {
        let (mut tx, mut s) =
            open_side(self, actor, person_id, signal, "partner_signal.decline").await?;
        sqlx::query(
            "UPDATE partner_signals SET status = 'declined', declined_side = $1, resolved_at = $2 WHERE id = $3",
        )
        .bind(s.ours)
        .bind(tx.now)
        .bind(&s.id)
        .execute(&mut *tx.tx)
        .await?;
        s.status = "declined".into();
        s.declined_side = Some(s.ours.to_string());
        s.resolved_at = Some(tx.now);
        tx.audit(actor.event(
            "partner_signal.decline",
            "partner_signal",
            Some(s.id.clone()),
            "ok",
        ))
        .await?;
        let view = s.view(&mut tx).await?;
        tx.commit().await?;
        Ok(view)
    }
}
