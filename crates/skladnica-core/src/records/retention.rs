//! Retention lists: the closed cases whose records may now be destroyed (B*n*), must be reviewed
//! by the state archive (BE*n*), or transferred to it (A), as of a given day.

use serde::Serialize;
use skladnica_records::{Category, Date, retention};

use crate::db::cases::CaseFilter;
use crate::error::Result;
use crate::library::Library;

/// A closed case with what is due for it.
#[derive(Debug, Clone, Serialize)]
pub struct RetentionItem {
    /// The case sign.
    pub sign: String,
    /// Its title.
    pub title: String,
    /// Its JRWA class.
    pub jrwa_symbol: String,
    /// Its archival category.
    pub category: Category,
    /// The day it closed.
    pub closed_on: Date,
    /// What is due and from when.
    pub due: retention::Due,
    /// The category comes from a JRWA entry whose category was filled in by hand where the
    /// source text lost it (`assets/jrwa/README.md`): check it against the act before acting.
    pub category_to_verify: bool,
}

impl Library {
    /// The closed cases for which an action is due on `on`: destruction, review or transfer
    /// dates reached, Bc cases once closed, and B\* cases whose period the office must set.
    /// Ordered by the day the action became due, then sign.
    pub fn retention_due(&self, on: Date) -> Result<Vec<RetentionItem>> {
        let closed = self.cases(&CaseFilter {
            open: Some(false),
            ..CaseFilter::default()
        })?;
        // The classes whose category was filled in by hand, in every version.
        let ctx = |e| crate::error::Error::sqlite("reading the JRWA", e);
        let to_verify: std::collections::HashSet<(i64, String)> = self
            .conn()
            .prepare(
                "SELECT version_id, symbol FROM jrwa_classes
                 WHERE category_source = 'uzupelnienie'",
            )
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .and_then(|rows| rows.collect())
            })
            .map_err(ctx)?;
        let mut items: Vec<RetentionItem> = closed
            .into_iter()
            .filter(|case| case.destroyed_on.is_none())
            .filter_map(|case| {
                let closed_on = case.closed_on?;
                let due = retention::due(case.category, closed_on);
                let listed = match due.from() {
                    Some(from) => from <= on,
                    None => true,
                };
                let category_to_verify =
                    to_verify.contains(&(case.jrwa_version, case.jrwa_symbol.clone()));
                listed.then_some(RetentionItem {
                    category_to_verify,
                    sign: case.sign,
                    title: case.title,
                    jrwa_symbol: case.jrwa_symbol,
                    category: case.category,
                    closed_on,
                    due,
                })
            })
            .collect();
        items.sort_by(|a, b| a.due.from().cmp(&b.due.from()).then(a.sign.cmp(&b.sign)));
        Ok(items)
    }
}
