//! Case lists narrowed by status, type, stage, risk, overdue tasks and "assigned to me". The
//! filters become SQL conditions built only from closed vocabularies and today's date, added to
//! the policy-scoped list (`Store::list_cases_where`): a filter narrows what the actor may see,
//! it never widens it.

use crate::cases::{CaseListItem, Page};
use crate::{Actor, Store, StoreError};
use passage_core::casework::RiskLevel;
use passage_core::casework::calendar::Day;
use passage_core::{CaseStatus, CaseType, Stage};

/// What a case list is narrowed by. Empty means every case the actor may see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub q: Option<String>,
    pub status: Option<CaseStatus>,
    pub case_type: Option<CaseType>,
    pub stage: Option<Stage>,
    pub risk: Option<RiskLevel>,
    /// Only cases with an open task past its due date.
    pub overdue: bool,
    /// Only cases assigned to the actor.
    pub assigned_to_me: bool,
}

impl CaseFilter {
    /// The SQL conditions, from vocabulary spellings (never user text) and today's date.
    fn conditions(&self, today: Day) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(s) = self.status {
            out.push(format!("c.status = '{}'", s.as_str()));
        }
        if let Some(t) = self.case_type {
            out.push(format!(
                "EXISTS (SELECT 1 FROM case_types ct WHERE ct.case_id = c.id AND ct.case_type = '{}')",
                t.as_str()
            ));
        }
        if let Some(s) = self.stage {
            out.push(format!("c.stage = '{}'", s.as_str()));
        }
        if let Some(r) = self.risk {
            out.push(format!("c.risk = '{}'", r.as_str()));
        }
        if self.overdue {
            out.push(format!(
                "EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.done_at IS NULL AND t.due_on < '{today}')"
            ));
        }
        if self.assigned_to_me {
            // $2 is the actor's user id in the list query.
            out.push("c.assigned_to = $2".to_string());
        }
        out
    }
}

/// One page of a case list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePage {
    pub items: Vec<CaseListItem>,
    /// Whether the next page (`offset + limit`) has cases. Computed by reading one row more
    /// than the page, so it costs nothing extra; a count of every match would read them all.
    pub has_more: bool,
}

impl Store {
    /// The cases the actor may see, narrowed by `filter`, newest first.
    pub async fn search_cases(
        &self,
        actor: &Actor,
        filter: &CaseFilter,
        page: Page,
    ) -> Result<Vec<CaseListItem>, StoreError> {
        Ok(self.search_cases_page(actor, filter, page).await?.items)
    }

    /// [`Store::search_cases`] with whether a next page follows.
    pub async fn search_cases_page(
        &self,
        actor: &Actor,
        filter: &CaseFilter,
        page: Page,
    ) -> Result<CasePage, StoreError> {
        let today = self.clock.today();
        let (items, has_more) = self
            .list_cases_where(actor, filter.q.as_deref(), &filter.conditions(today), page)
            .await?;
        Ok(CasePage { items, has_more })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_carry_only_vocabulary_and_dates() {
        let f = CaseFilter {
            q: Some("x' OR 1=1 --".into()),
            status: Some(CaseStatus::Services),
            case_type: Some(CaseType::ALL[0]),
            stage: Some(Stage::Transit),
            risk: Some(RiskLevel::High),
            overdue: true,
            assigned_to_me: true,
        };
        let sql = f
            .conditions(Day::parse("2026-11-28").unwrap())
            .join(" AND ");
        assert!(
            !sql.contains("OR 1=1"),
            "the name query is never in the conditions"
        );
        assert!(sql.contains("c.status = 'services'") && sql.contains("c.risk = 'high'"));
        assert!(sql.contains("t.due_on < '2026-11-28'") && sql.contains("c.assigned_to = $2"));
        assert!(CaseFilter::default().conditions(Day(0)).is_empty());
    }
}
