//! Values an earlier version kept plain, sealed when the store opens: a report's close reason,
//! a document's issuing country and a consent's language (also as a partner signal keeps it)
//! each moved to a sealed column. The pass
//! reads what is left in the plain columns, seals it into the new ones and empties the plain
//! ones, in one transaction, audited with the number of values (never the values). It finds
//! nothing to do on every start after the first.

use super::Field;
use crate::audit::Event;
use crate::{Store, StoreError};

/// A plain column and the sealed column that replaces it.
struct Leftover {
    table: &'static str,
    plain: &'static str,
    sealed: &'static str,
    field: Field,
}

const LEFTOVERS: &[Leftover] = &[
    Leftover {
        table: "reports",
        plain: "close_reason",
        sealed: "close_reason_sealed",
        field: Field::ReportCloseReason,
    },
    Leftover {
        table: "partner_signals",
        plain: "person_consent_language",
        sealed: "person_consent_language_sealed",
        field: Field::PartnerSignalConsentLanguage,
    },
    Leftover {
        table: "partner_signals",
        plain: "partner_consent_language",
        sealed: "partner_consent_language_sealed",
        field: Field::PartnerSignalConsentLanguage,
    },
    Leftover {
        table: "person_documents",
        plain: "country",
        sealed: "country_sealed",
        field: Field::PersonDocumentCountry,
    },
    Leftover {
        table: "consents",
        plain: "language",
        sealed: "language_sealed",
        field: Field::ConsentLanguage,
    },
];

impl Store {
    /// Seals what is left in the plain columns (see the module); returns how many values.
    pub(crate) async fn seal_leftovers(&self) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let mut sealed = 0u64;
        for l in LEFTOVERS {
            let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, {} FROM {} WHERE {} IS NOT NULL",
                l.plain, l.table, l.plain
            )))
            .fetch_all(&mut *tx.tx)
            .await?;
            for (id, plain) in rows {
                let value = tx.keys.seal_str(l.field, &id, &plain)?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {} SET {} = $1, {} = NULL WHERE id = $2",
                    l.table, l.sealed, l.plain
                )))
                .bind(value)
                .bind(&id)
                .execute(&mut *tx.tx)
                .await?;
                sealed += 1;
            }
        }
        if sealed > 0 {
            let purpose = "operator:seal plain leftovers";
            tx.audit(Event {
                actor_user: None,
                actor_org: None,
                action: "keys.seal_leftovers",
                object_type: "store",
                object_id: Some(sealed.to_string()),
                outcome: "ok",
                purpose: Some(purpose),
            })
            .await?;
        }
        tx.commit().await?;
        Ok(sealed)
    }
}
