//! Listing the cases an actor may see, newest first, by name and by page: the list scope the
//! policy hands out, re-checked row by row, and one audit event per case shown.

use super::*;

impl Store {
    /// Lists the cases the actor may see, newest first; with `query`, only those whose person's
    /// name matches (every word a prefix of a name part or a variant spelling of one, case and
    /// accents ignored).
    pub async fn list_cases(
        &self,
        actor: &Actor,
        query: Option<&str>,
        page: Page,
    ) -> Result<Vec<CaseListItem>, StoreError> {
        Ok(self.list_cases_where(actor, query, &[], page).await?.0)
    }

    /// `list_cases` narrowed by extra SQL conditions on `c` (cases). Only
    /// `casework::filters` builds them, from closed vocabularies: they can narrow the scope,
    /// never widen it, and carry no user text. Also answers whether a next page has cases.
    pub(crate) async fn list_cases_where(
        &self,
        actor: &Actor,
        query: Option<&str>,
        conditions: &[String],
        page: Page,
    ) -> Result<(Vec<CaseListItem>, bool), StoreError> {
        let scope = case_list_scope(actor.principal()).map_err(StoreError::Forbidden)?;
        let mut tx = self.begin().await?;
        if self.backend() == crate::Backend::Postgres {
            // A page is a short index walk: starting parallel workers costs more than it saves
            // (a one-word name search took 25 ms with two workers, 8 ms without, at 100k).
            sqlx::query("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
                .execute(&mut *tx.tx)
                .await?;
        }
        // Each scope is its own branch, so each can walk its index in date order and stop
        // after a page; an OR across scopes would make the engine scan every case.
        let mut scopes = Vec::new();
        if scope.organisation() {
            scopes.push("c.org_id = $1".to_string());
        } else if scope.own() {
            scopes.push("c.org_id = $1 AND c.assigned_to = $2".to_string());
            scopes.push("c.org_id = $1 AND c.created_by = $2".to_string());
        }
        let mut narrow = String::new();
        let mut first_terms: Option<String> = None;
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        if let Some(q) = query {
            let terms = search::query_terms(q);
            if terms.is_empty() {
                return Err(StoreError::invalid(
                    "q",
                    passage_core::ErrorCode::QueryTooShort,
                    "type at least two letters of a name",
                ));
            }
            // Tags are scoped by the owning organisation: the actor sees its own only.
            let orgs = [actor.org_id().to_string()];
            let mut term_sets = Vec::with_capacity(terms.len());
            for (full, cut) in &terms {
                // The word's prefix and its variant spellings (see `search::variants`).
                let tags: Vec<String> = orgs
                    .iter()
                    .flat_map(|o| search::word_tags(&self.keys, o, full, cut))
                    .map(|t| t.to_string())
                    .collect();
                let tags = tags.join(", ");
                // How many people the word matches: the index answers without reading rows.
                let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM person_name_terms WHERE term IN ({tags})"
                )))
                .fetch_one(&mut *tx.tx)
                .await?;
                term_sets.push((n, tags));
            }
            term_sets.sort_by_key(|(n, _)| *n);
            // The rarest word drives the list when its matches are fewer than walking cases by
            // date would read; a single common prefix walks by date (matches come quickly).
            // Two or more words: their intersection is rare even when each word is common.
            let drive =
                term_sets.len() > 1 || term_sets.first().is_some_and(|(n, _)| *n <= NAME_DRIVE_MAX);
            for (i, (_, tags)) in term_sets.into_iter().enumerate() {
                if i == 0 && drive {
                    first_terms = Some(tags);
                } else {
                    narrow.push_str(&format!(
                        " AND c.person_id IN (SELECT person_id FROM person_name_terms WHERE term IN ({tags}))"
                    ));
                }
            }
        }
        for condition in conditions {
            narrow.push_str(" AND ");
            narrow.push_str(condition);
        }
        let (limit, offset) = (page.limit.clamp(1, 200), page.offset.max(0));
        let order = "ORDER BY c.created_at DESC, c.id DESC";
        let branches: Vec<String> = scopes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // CROSS JOIN keeps the name index as the outer loop (SQLite honours the
                // order; PostgreSQL plans it from statistics). DISTINCT: a person found under
                // two organisations' tags (a 32-bit collision) still lists each case once.
                let (distinct, from) = match &first_terms {
                    Some(tags) => (
                        "DISTINCT ",
                        format!(
                            "person_name_terms t CROSS JOIN cases c WHERE t.term IN ({tags}) AND c.person_id = t.person_id AND"
                        ),
                    ),
                    None => ("", "cases c WHERE".to_string()),
                };
                let branch =
                    format!("SELECT {distinct}c.id, c.created_at FROM {from} {s}{narrow} {order}");
                if scopes.len() == 1 {
                    branch
                } else {
                    format!(
                        "SELECT id, created_at FROM ({branch} LIMIT {}) b{i}",
                        offset + limit + 1
                    )
                }
            })
            .collect();
        // The page is cut from ids and dates alone (an index walk), and only its rows are read
        // whole: a deep page no longer joins and sorts every row before it. One branch is cut
        // where it walks; several are merged first (each stops after the rows the page needs).
        let page_sql = match branches.as_slice() {
            [one] => format!("{one} LIMIT {} OFFSET {offset}", limit + 1),
            many => {
                // The two own-cases branches overlap (assigned to and created by me): UNION.
                let mut sql = many[0].clone();
                for b in many.iter().skip(1) {
                    sql.push_str(" UNION ");
                    sql.push_str(b);
                }
                format!(
                    "{sql} ORDER BY created_at DESC, id DESC LIMIT {} OFFSET {offset}",
                    limit + 1
                )
            }
        };
        let page_ids: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(page_sql))
            .bind(actor.org_id().to_string())
            .bind(actor.user_id().to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
        let has_more = page_ids.len() as i64 > limit;
        let mut ids: Vec<Uuid> = Vec::with_capacity(page_ids.len());
        for (id, _) in page_ids.iter().take(limit as usize) {
            let id = parse_uuid(id)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut rows = if ids.is_empty() {
            Vec::new()
        } else {
            let list: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {CASE_COLUMNS} FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.id IN ({})",
                list.join(", ")
            )))
            .fetch_all(&mut *tx.tx)
            .await?
        };
        // Back in page order.
        let position = |row: &sqlx::any::AnyRow| {
            row.try_get::<String, _>("id")
                .ok()
                .and_then(|id| parse_uuid(&id).ok())
                .and_then(|id| ids.iter().position(|x| *x == id))
                .unwrap_or(usize::MAX)
        };
        rows.sort_by_key(|r| position(r));
        let ids: Vec<Uuid> = rows
            .iter()
            .map(|r| parse_uuid(&r.try_get::<String, _>("id")?))
            .collect::<Result<_, _>>()?;
        let mut types = case_types(&mut tx, &ids).await?;
        let persons: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>("person_id"))
            .collect::<Result<_, _>>()?;
        tx.load_person_keys(&persons).await?;
        let mut out = Vec::with_capacity(rows.len());
        let mut listed = Vec::with_capacity(rows.len());
        for (row, id) in rows.iter().zip(ids) {
            let rel = row_relation(actor, row)?;
            if !scope.admits(rel) {
                continue;
            }
            let pid: String = row.try_get("person_id")?;
            let given = tx.keys.open_str(
                Field::PersonGivenName,
                &pid,
                &row.try_get::<Vec<u8>, _>("given_name")?,
            )?;
            let family = tx.keys.open_str(
                Field::PersonFamilyName,
                &pid,
                &row.try_get::<Vec<u8>, _>("family_name")?,
            )?;
            if let Some(q) = query {
                // Names in Latin letters are searched too (a name typed in its own script).
                let open_latin = |field: Field, col: &str| -> Result<String, StoreError> {
                    Ok(row
                        .try_get::<Option<Vec<u8>>, _>(col)?
                        .map(|b| tx.keys.open_str(field, &pid, &b))
                        .transpose()?
                        .unwrap_or_default())
                };
                let given_latin = open_latin(Field::PersonGivenNameLatin, "given_name_latin")?;
                let family_latin = open_latin(Field::PersonFamilyNameLatin, "family_name_latin")?;
                if !search::matches(q, &[&given, &family, &given_latin, &family_latin]) {
                    continue;
                }
            }
            listed.push(id);
            out.push(CaseListItem {
                id,
                person_id: parse_uuid(&pid)?,
                person_name: format!("{given} {family}").trim().to_string(),
                types: types.remove(&id).unwrap_or_default(),
                stage: Stage::parse(&row.try_get::<String, _>("stage")?)
                    .ok_or(StoreError::Corrupt("stage"))?,
                status: CaseStatus::parse(&row.try_get::<String, _>("status")?)
                    .ok_or(StoreError::Corrupt("status"))?,
                organisation_id: parse_uuid(&row.try_get::<String, _>("org_id")?)?,
                created_at: row.try_get("created_at")?,
            });
        }
        // One audit event per listed case, appended in one statement.
        let events: Vec<_> = listed
            .iter()
            .map(|id| actor.event("case.list", "case", Some(id.to_string()), "ok"))
            .collect();
        tx.audit_many(&events).await?;
        tx.commit().await?;
        Ok((out, has_more))
    }
}
