//! Facet counts over all matching documents: year, kind, format, JRWA symbol and sender, read from
//! tantivy's columnar fast fields.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// One value of a facet and how many matching documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The value.
    pub value: String,
    /// Matching documents with it.
    pub count: u64,
}

/// Counts per facet, most frequent first (years newest first).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// By year of the document's date.
    pub year: Vec<FacetValue>,
    /// By kind of document.
    pub kind: Vec<FacetValue>,
    /// By format of the original.
    pub format: Vec<FacetValue>,
    /// By JRWA symbol.
    pub jrwa: Vec<FacetValue>,
    /// By sender (or, for the office's own documents, their author).
    pub sender: Vec<FacetValue>,
}

/// Counts facets of every matching document (or does nothing when disabled).
pub struct FacetCollector {
    enabled: bool,
}

impl FacetCollector {
    /// A collector; when `enabled` is false it counts nothing.
    pub fn new(enabled: bool) -> Self {
        FacetCollector { enabled }
    }
}

const STR_FACETS: [&str; 4] = ["kind", "format", "jrwa", "sender"];
const N: usize = STR_FACETS.len();

/// What one segment counted.
#[derive(Default)]
pub struct SegmentCounts {
    years: HashMap<u64, u64>,
    strings: [HashMap<String, u64>; N],
}

/// The per-segment part of [`FacetCollector`].
pub struct FacetSegmentCollector {
    year: Option<Column<u64>>,
    columns: [Option<StrColumn>; N],
    years: HashMap<u64, u64>,
    ords: [HashMap<u64, u64>; N],
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let ff = segment.fast_fields();
        let (year, columns) = if self.enabled {
            (
                ff.u64("year").ok(),
                [
                    ff.str(STR_FACETS[0])?,
                    ff.str(STR_FACETS[1])?,
                    ff.str(STR_FACETS[2])?,
                    ff.str(STR_FACETS[3])?,
                ],
            )
        } else {
            (None, Default::default())
        };
        Ok(FacetSegmentCollector {
            year,
            columns,
            years: HashMap::new(),
            ords: Default::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentCounts>) -> tantivy::Result<Facets> {
        let mut years: HashMap<u64, u64> = HashMap::new();
        let mut strings: [HashMap<String, u64>; N] = Default::default();
        for s in segments {
            for (y, c) in s.years {
                *years.entry(y).or_default() += c;
            }
            for (i, map) in s.strings.into_iter().enumerate() {
                for (v, c) in map {
                    *strings[i].entry(v).or_default() += c;
                }
            }
        }
        let mut year: Vec<FacetValue> = years
            .into_iter()
            .map(|(y, count)| FacetValue {
                value: y.to_string(),
                count,
            })
            .collect();
        year.sort_by(|a, b| b.value.cmp(&a.value));
        let [kind, format, jrwa, sender] = strings.map(|m| {
            let mut v: Vec<FacetValue> = m
                .into_iter()
                .map(|(value, count)| FacetValue { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v
        });
        Ok(Facets {
            year,
            kind,
            format,
            jrwa,
            sender,
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(col) = &self.year
            && let Some(y) = col.first(doc)
        {
            *self.years.entry(y).or_default() += 1;
        }
        for (i, col) in self.columns.iter().enumerate() {
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    *self.ords[i].entry(ord).or_default() += 1;
                }
            }
        }
    }

    fn harvest(self) -> SegmentCounts {
        let mut strings: [HashMap<String, u64>; N] = Default::default();
        for (i, ords) in self.ords.into_iter().enumerate() {
            let Some(col) = &self.columns[i] else {
                continue;
            };
            let mut buf = String::new();
            for (ord, count) in ords {
                buf.clear();
                if col.ord_to_str(ord, &mut buf).unwrap_or(false) {
                    *strings[i].entry(buf.clone()).or_default() += count;
                }
            }
        }
        SegmentCounts {
            years: self.years,
            strings,
        }
    }
}
