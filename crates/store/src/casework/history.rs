//! What one write changed, field by field: each field compared once, listed only when its value
//! differs, and the whole list recorded together in the case history with sealed values. Writes
//! that change several fields (a case's details, a person's identity) name their fields in one
//! table of comparisons instead of repeating the compare-push-record steps for each.

use super::{CaseAccess, record_history};
use crate::db::Tx;
use crate::{Actor, StoreError};

/// The changed fields of one write, in the order they were compared.
#[derive(Debug, Default)]
pub(crate) struct FieldChanges(Vec<(&'static str, Option<String>, Option<String>)>);

impl FieldChanges {
    /// Lists `field` when `old` and `new` differ; says whether they did.
    pub(crate) fn value(
        &mut self,
        field: &'static str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> bool {
        let changed = old != new;
        if changed {
            self.0
                .push((field, old.map(str::to_string), new.map(str::to_string)));
        }
        changed
    }

    /// As [`FieldChanges::value`] for a value that is always present.
    pub(crate) fn text(&mut self, field: &'static str, old: &str, new: &str) -> bool {
        self.value(field, Some(old), Some(new))
    }

    /// As [`FieldChanges::value`] for a list, shown as its entries joined by `sep`.
    pub(crate) fn list<T: AsRef<str>>(
        &mut self,
        field: &'static str,
        old: &[T],
        new: &[T],
        sep: &str,
    ) -> bool {
        // Compared entry by entry: ["a, b"] and ["a", "b"] differ though they join alike.
        let same =
            old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.as_ref() == b.as_ref());
        if !same {
            let join = |v: &[T]| v.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(sep);
            self.0.push((field, Some(join(old)), Some(join(new))));
        }
        !same
    }

    /// Lists `field` as changed without its values (a value some history readers may not see).
    pub(crate) fn hidden(&mut self, field: &'static str, changed: bool) {
        if changed {
            self.0.push((field, None, None));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names of the changed fields, in order.
    #[cfg(test)]
    pub(crate) fn fields(&self) -> Vec<&'static str> {
        self.0.iter().map(|(f, _, _)| *f).collect()
    }

    /// Writes every listed change into the case's history, in the caller's transaction.
    pub(crate) async fn record(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        case: &CaseAccess,
    ) -> Result<(), StoreError> {
        for (field, old, new) in &self.0 {
            record_history(tx, actor, case, field, old.as_deref(), new.as_deref()).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::FieldChanges;

    #[test]
    fn only_what_differs_is_listed_in_the_order_compared() {
        let mut c = FieldChanges::default();
        assert!(!c.text("stage", "transit", "transit"));
        assert!(c.text("summary", "old", "new"));
        assert!(c.value("country", None, Some("LB")));
        assert!(!c.value("assigned_to", None, None));
        assert!(!c.list("types", &["a", "b"], &["a", "b"], ","));
        assert!(c.list("types", &["a"], &["a", "b"], ","));
        assert!(
            c.list("aliases", &["A, B"], &["A", "B"], ", "),
            "two aliases are not the one alias they join into"
        );
        c.hidden("migration_status", false);
        c.hidden("person.migration_status", true);
        assert_eq!(
            c.fields(),
            [
                "summary",
                "country",
                "types",
                "aliases",
                "person.migration_status"
            ]
        );
        assert!(!FieldChanges::default().fields().iter().any(|_| true));
        assert!(FieldChanges::default().is_empty() && !c.is_empty());
    }
}
