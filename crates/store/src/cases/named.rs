//! Finding a case by the person's name where staff would otherwise paste an id: linking a
//! report to a case, and looking for the person before registering them again. Both go through
//! the case list's scope (the policy's, re-checked row by row, audited), so a search never
//! shows more than the case list would; registering looks only at the actor's organisation.

use super::*;

/// Where a name search looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameSearch {
    /// Every case the actor may read (a report can be linked to any of them).
    Readable,
    /// Only the cases the actor's own organisation holds (is this person already ours?).
    OwnOrganisation,
}

/// At most this many matches are shown.
pub const NAMED_MAX: i64 = 20;

impl Store {
    /// The cases whose person's name matches `query`, newest first, within `within`. Someone
    /// with no list scope, a query that holds no name, and a name nobody visible has all get
    /// the same empty answer, so the search tells nothing about people the actor may not see.
    pub async fn cases_named(
        &self,
        actor: &Actor,
        query: &str,
        within: NameSearch,
    ) -> Result<Vec<CaseListItem>, StoreError> {
        let query = query.trim();
        if search::query_terms(query).is_empty() {
            return Ok(Vec::new());
        }
        let conditions = match within {
            NameSearch::Readable => Vec::new(),
            NameSearch::OwnOrganisation => vec!["c.org_id = $1".to_string()],
        };
        let page = Page {
            limit: NAMED_MAX,
            offset: 0,
        };
        match self
            .list_cases_where(actor, Some(query), &conditions, page)
            .await
        {
            Ok((items, _)) => Ok(items
                .into_iter()
                .filter(|c| within == NameSearch::Readable || c.organisation_id == actor.org_id())
                .collect()),
            Err(StoreError::Forbidden(_)) | Err(StoreError::Invalid(_)) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}
