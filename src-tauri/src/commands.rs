//! The commands the UI calls. Each is thin: it takes the open library from [`AppState`], calls
//! the core, and turns the result into the UI's view types (below) or an [`AppError`]. Commands
//! are `async` so that Tauri runs them off the window's thread; anything long is a job
//! ([`crate::jobs`]).

use serde::{Deserialize, Serialize};
use skladnica_core::Library;
use skladnica_core::db::cases::CaseFilter;
use skladnica_core::preview::WordBox;
use skladnica_core::records::cases::NewCaseRequest;
use skladnica_core::records::{IncomingForm, RegisterRequest};
use skladnica_core::review::Inbox;
use skladnica_core::search::{SearchOptions, SortOrder};
use tauri::State;

use crate::error::{AppError, CmdResult};
use crate::events::Changes;
use crate::state::AppState;

/// What the status bar and the settings show about the open library.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LibraryInfo {
    /// Its folder.
    pub root: String,
    /// The default library's folder (in the OS data folder).
    pub default_root: Option<String>,
    /// Another program holds it: it can only be viewed.
    pub read_only: bool,
    /// Documents in it.
    pub documents: i64,
    /// Documents awaiting review.
    pub inbox: i64,
    /// Pages still awaiting OCR.
    pub pages_awaiting_ocr: i64,
    /// The OCR languages (`pol+eng`).
    pub ocr_languages: String,
    /// The languages Tesseract has installed.
    pub installed_languages: Vec<String>,
    /// Jobs running.
    pub jobs_running: u32,
    /// Encryption at rest: `off`, `unfinished` (an interrupted run: encrypt again) or `on`.
    pub encryption: String,
}

/// One page of a document.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PageView {
    /// 1-based.
    pub number: i64,
    /// Its text.
    pub text: String,
    /// `born_digital`, `ocr` or `awaiting_ocr`.
    pub text_source: String,
    /// OCR confidence (0–100).
    pub ocr_confidence: Option<f64>,
    /// Why OCR failed.
    pub ocr_error: Option<String>,
}

/// A metadata field with its value and what the extractors suggest for it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FieldView {
    /// The key (`tytul`, `rodzaj`, `data`, …).
    pub key: String,
    /// The current value, if any.
    pub value: Option<String>,
    /// Who set it: `clerk` (confirmed), `extracted`, `import`, `rpw`, …
    pub source: Option<String>,
    /// The extractors' reading, when it differs from the value or is not yet confirmed.
    pub suggestion: Option<Suggestion>,
}

/// A suggested value.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Suggestion {
    /// The value.
    pub value: String,
    /// How sure the rule is (0–1).
    pub confidence: f64,
    /// The page it was read on.
    pub page: u32,
    /// The text it was read from.
    pub source_text: String,
}

/// A document as the Dokument view shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DocumentView {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// When it came in.
    pub created_at: String,
    /// The name of its original file.
    pub file_name: String,
    /// Its format.
    pub media_type: String,
    /// Its pages.
    pub pages: Vec<PageView>,
    /// Its metadata, every key a clerk may set, in form order.
    pub fields: Vec<FieldView>,
    /// Identifiers and references read from it (PESEL masked): field, value.
    pub identifiers: Vec<(String, String)>,
    /// The cases it is filed in.
    pub cases: Vec<String>,
    /// It holds personal numbers, shown masked (the operator may reveal them, which is logged).
    pub personal_masked: bool,
    /// Its numbers in the incoming register.
    pub rpw: Vec<String>,
    /// Whether a clerk has reviewed it.
    pub reviewed: bool,
}

/// One search result.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Hit {
    /// Document id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// A passage with the matches in `<b>…</b>`, HTML-escaped otherwise.
    pub snippet: String,
}

/// A facet value and its count.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// Matching documents with it.
    pub count: i64,
}

/// Search results.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SearchView {
    /// Matching documents.
    pub total: i64,
    /// The page of hits asked for.
    pub hits: Vec<Hit>,
    /// Counts by year.
    pub years: Vec<FacetCount>,
    /// Counts by kind.
    pub kinds: Vec<FacetCount>,
    /// Counts by JRWA class.
    pub jrwa: Vec<FacetCount>,
    /// Counts by format.
    pub formats: Vec<FacetCount>,
    /// Counts by sender (or author).
    pub senders: Vec<FacetCount>,
    /// Nothing matched exactly; these are near spellings.
    pub fuzzy: bool,
    /// Milliseconds the search took.
    pub millis: f64,
}

/// A JRWA class.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct JrwaClassView {
    /// Symbol.
    pub symbol: String,
    /// Heading.
    pub heading: String,
    /// Archival category (A, B10, BE5…), if given.
    pub category: Option<String>,
    /// Whether cases may be filed under it.
    pub is_end: bool,
    /// For suggestions: how close (0–1); for searches: words matched.
    pub score: f32,
}

/// A case.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CaseView {
    /// Its sign (znak sprawy).
    pub sign: String,
    /// What it is about.
    pub title: String,
    /// Unit code.
    pub unit: String,
    /// JRWA class.
    pub jrwa_symbol: String,
    /// Year.
    pub year: i32,
    /// Archival category.
    pub category: String,
    /// Opened on.
    pub opened_on: String,
    /// Closed on.
    pub closed_on: Option<String>,
    /// Handler.
    pub handler: Option<String>,
}

/// What a clerk gives to open a case.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct NewCase {
    /// Unit code.
    pub unit: String,
    /// JRWA end class.
    pub jrwa_symbol: String,
    /// What it is about.
    pub title: String,
    /// Handler.
    pub handler: Option<String>,
}

/// An organisational unit.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct UnitView {
    /// Code in case signs.
    pub code: String,
    /// Name.
    pub name: String,
    /// First year.
    pub year_from: i32,
    /// Last year, if it has ended.
    pub year_to: Option<i32>,
}

/// An entry of the incoming register.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RpwView {
    /// Its number.
    pub number: String,
    /// Received on.
    pub received_on: String,
    /// Sender.
    pub sender: String,
    /// Title.
    pub title: String,
    /// Sender's sign.
    pub sender_sign: Option<String>,
    /// The document holding its image.
    pub document_id: Option<i64>,
    /// The case it belongs to.
    pub case_sign: Option<String>,
}

pub(crate) fn info(state: &AppState) -> CmdResult<LibraryInfo> {
    let (root, read_only) = state.current()?;
    // Asking Tesseract starts an engine: once per run is enough (the status bar asks on every
    // library change).
    static INSTALLED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    state.read(|lib| {
        let documents = lib
            .conn()
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
            .map_err(|e| skladnica_core::Error::sqlite("counting documents", e))?;
        Ok(LibraryInfo {
            root: root.display().to_string(),
            default_root: Library::default_root().map(|p| p.display().to_string()),
            read_only,
            documents,
            inbox: lib.inbox(0)?.total,
            pages_awaiting_ocr: skladnica_core::ocr::pending(lib)? as i64,
            ocr_languages: skladnica_core::ocr::languages(lib)?,
            installed_languages: INSTALLED
                .get_or_init(skladnica_core::ocr::installed_languages)
                .clone(),
            jobs_running: state.jobs_running() as u32,
            encryption: match lib.encryption() {
                skladnica_core::encrypt::EncryptionState::Off => "off",
                skladnica_core::encrypt::EncryptionState::Unfinished => "unfinished",
                skladnica_core::encrypt::EncryptionState::On => "on",
            }
            .into(),
        })
    })
}

/// The open library.
#[tauri::command]
#[specta::specta]
pub async fn library_info(state: State<'_, AppState>) -> CmdResult<LibraryInfo> {
    info(&state)
}

/// Opens (creating it if needed) another library folder and remembers it for the next start.
#[tauri::command]
#[specta::specta]
pub async fn open_library(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    changes: State<'_, Changes>,
    path: String,
) -> CmdResult<LibraryInfo> {
    let path = std::path::PathBuf::from(path.trim());
    if !path.is_absolute() {
        return Err(AppError::new(
            "invalid",
            format!(
                "{}: give the full path of the library folder",
                path.display()
            ),
        ));
    }
    state.open_library(&path, true)?;
    opened(&app, &state, &changes, &path)
}

/// After another library opened: remembered for the next start, the views, the hot folder and
/// the export schedule told.
pub(crate) fn opened(
    app: &tauri::AppHandle,
    state: &AppState,
    changes: &Changes,
    path: &std::path::Path,
) -> CmdResult<LibraryInfo> {
    crate::config::remember_library(state.config_file.as_deref(), path);
    changes.all();
    crate::hotfolder::load_setting(app);
    if let Some(s) = tauri::Manager::try_state::<crate::schedule::Scheduler>(app) {
        s.wake();
    }
    info(state)
}

/// Sets the OCR languages (`pol`, `pol+eng`, …) for pages read from now on.
#[tauri::command]
#[specta::specta]
pub async fn set_ocr_languages(
    state: State<'_, AppState>,
    languages: String,
) -> CmdResult<LibraryInfo> {
    state.write(|lib| Ok(skladnica_core::ocr::set_languages(lib, languages.trim())?))?;
    info(&state)
}

/// Documents awaiting review, newest first.
#[tauri::command]
#[specta::specta]
pub async fn inbox(state: State<'_, AppState>, limit: u32) -> CmdResult<Inbox> {
    state.read(|lib| Ok(lib.inbox(limit.clamp(1, 2000) as usize)?))
}

/// One document with its pages, metadata and suggestions (personal numbers masked).
#[tauri::command]
#[specta::specta]
pub async fn document(state: State<'_, AppState>, id: i64) -> CmdResult<DocumentView> {
    state.read(|lib| document_view(lib, id, false))
}

/// The same with its personal numbers shown: the operator asked, and the audit log says so
/// first.
#[tauri::command]
#[specta::specta]
pub async fn reveal_personal(state: State<'_, AppState>, id: i64) -> CmdResult<DocumentView> {
    state.write(|lib| Ok(lib.reveal_personal(id).map(drop)?))?;
    state.read(|lib| document_view(lib, id, true))
}

/// A document's history from the audit log: who did what to it and when, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn document_history(
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Vec<skladnica_core::audit::Entry>> {
    state.read(|lib| Ok(lib.document_history(id)?))
}

/// The extracted field that suggests a value for a metadata key (the issuer of a letter is its
/// sender as well as its author).
const SUGGESTED_KEYS: &[(&str, &str)] = &[
    ("tytul", "title"),
    ("rodzaj", "kind"),
    ("data", "document_date"),
    ("nadawca", "issuer"),
    ("tworca", "issuer"),
    ("odbiorca", "addressee"),
];

fn document_view(lib: &Library, id: i64, reveal: bool) -> CmdResult<DocumentView> {
    let mut doc = lib.document(id)?;
    let personal = doc.extracted.iter().any(|e| e.personal);
    if !reveal {
        doc.mask_personal();
    }
    let fields = skladnica_core::records::meta::KEYS
        .iter()
        .map(|(key, _)| {
            let current = doc.metadata.iter().find(|m| m.key == *key);
            let field = SUGGESTED_KEYS
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, f)| *f);
            let best = field.and_then(|f| {
                doc.extracted
                    .iter()
                    .filter(|e| e.field == f)
                    .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
            });
            let confirmed = current.is_some_and(|m| m.source == "clerk");
            let suggestion = best
                .filter(|e| !confirmed || current.is_some_and(|m| m.value != e.value))
                .map(|e| Suggestion {
                    value: e.value.clone(),
                    confidence: e.confidence,
                    page: e.page,
                    source_text: e.source_text.clone(),
                });
            FieldView {
                key: key.to_string(),
                value: current.map(|m| m.value.clone()),
                source: current.map(|m| m.source.clone()),
                suggestion,
            }
        })
        .collect();
    let identifiers = doc
        .extracted
        .iter()
        .filter(|e| !SUGGESTED_KEYS.iter().any(|(_, f)| *f == e.field))
        .map(|e| (e.field.clone(), e.value.clone()))
        .collect();
    let cases = skladnica_core::db::cases::cases_of_document(lib.conn(), id)?;
    let rpw = skladnica_core::db::rpw::for_document(lib.conn(), id)?
        .into_iter()
        .map(|r| r.number.to_string())
        .collect();
    let first = doc.files.first();
    Ok(DocumentView {
        id: doc.id,
        title: doc.title.clone(),
        created_at: doc.created_at.clone(),
        file_name: first.map(|f| f.original_name.clone()).unwrap_or_default(),
        media_type: first.map(|f| f.media_type.clone()).unwrap_or_default(),
        pages: doc
            .pages
            .iter()
            .map(|p| PageView {
                number: p.number,
                text: p.text.clone(),
                text_source: p.text_source.as_str().to_string(),
                ocr_confidence: p.ocr_confidence,
                ocr_error: p.ocr_error.clone(),
            })
            .collect(),
        fields,
        identifiers,
        cases,
        rpw,
        reviewed: lib.is_reviewed(id)?,
        personal_masked: personal && !reveal,
    })
}

/// Saves metadata values (an empty value clears one) as the clerk's; all are checked first.
#[tauri::command]
#[specta::specta]
pub async fn save_metadata(
    state: State<'_, AppState>,
    changes: State<'_, Changes>,
    id: i64,
    values: Vec<(String, String)>,
) -> CmdResult<DocumentView> {
    state.write(|lib| Ok(lib.set_clerk_metadata(id, &values)?))?;
    changes.documents([id]);
    state.read(|lib| document_view(lib, id, false))
}

/// Marks documents reviewed (they leave the inbox) or puts them back.
#[tauri::command]
#[specta::specta]
pub async fn set_reviewed(
    state: State<'_, AppState>,
    changes: State<'_, Changes>,
    ids: Vec<i64>,
    reviewed: bool,
) -> CmdResult<()> {
    state.write(|lib| Ok(lib.set_reviewed(&ids, reviewed)?))?;
    changes.documents(ids);
    Ok(())
}

/// Searches; `offset` pages through the hits, `sort` orders them.
#[tauri::command]
#[specta::specta]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
    offset: u32,
    sort: SortOrder,
) -> CmdResult<SearchView> {
    let started = std::time::Instant::now();
    let opts = SearchOptions {
        limit: limit.clamp(1, 200) as usize,
        offset: offset as usize,
        sort,
        ..SearchOptions::default()
    };
    let r = state.read(|lib| Ok(lib.search(&query, &opts)?))?;
    let counts = |v: Vec<skladnica_core::search::facets::FacetValue>| {
        v.into_iter()
            .map(|f| FacetCount {
                value: f.value,
                count: f.count as i64,
            })
            .collect()
    };
    Ok(SearchView {
        total: r.total as i64,
        hits: r
            .hits
            .into_iter()
            .map(|h| Hit {
                id: h.id,
                title: h.title,
                snippet: h.snippet,
            })
            .collect(),
        years: counts(r.facets.year),
        kinds: counts(r.facets.kind),
        jrwa: counts(r.facets.jrwa),
        formats: counts(r.facets.format),
        senders: counts(r.facets.sender),
        fuzzy: r.fuzzy,
        millis: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// The OCR words of a page that match the query's words (any inflected form), to highlight on
/// the page image; with an empty query, every word.
#[tauri::command]
#[specta::specta]
pub async fn page_words(
    state: State<'_, AppState>,
    id: i64,
    page: i64,
    query: String,
) -> CmdResult<Vec<WordBox>> {
    state.read(|lib| {
        Ok(if query.trim().is_empty() {
            skladnica_core::preview::page_words(lib, id, page)?
        } else {
            skladnica_core::preview::matching_words(lib, id, page, &query)?
        })
    })
}

fn class_view(c: &skladnica_records::JrwaClass, score: f32) -> JrwaClassView {
    JrwaClassView {
        symbol: c.symbol.clone(),
        heading: c.heading.clone(),
        category: c.category.map(|k| k.to_string()),
        is_end: c.is_end,
        score,
    }
}

/// JRWA classes of the plan in force whose symbol starts with, or heading holds, the query.
#[tauri::command]
#[specta::specta]
pub async fn jrwa_search(
    state: State<'_, AppState>,
    query: String,
) -> CmdResult<Vec<JrwaClassView>> {
    state.read(|lib| {
        let q = query.trim();
        if !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()) {
            let (_, jrwa) = lib.jrwa(None, None)?;
            return Ok(jrwa
                .with_prefix(q)
                .take(50)
                .map(|c| class_view(c, 1.0))
                .collect());
        }
        Ok(lib
            .search_jrwa(None, q, 50)?
            .iter()
            .map(|h| class_view(&h.class, h.matched_words as f32))
            .collect())
    })
}

/// The JRWA classes most like document `id` (from headings and from documents filed before).
#[tauri::command]
#[specta::specta]
pub async fn jrwa_suggest(state: State<'_, AppState>, id: i64) -> CmdResult<Vec<JrwaClassView>> {
    state.read(|lib| {
        Ok(lib
            .suggest_jrwa(id, 5)?
            .into_iter()
            .map(|s| JrwaClassView {
                symbol: s.symbol,
                heading: s.heading,
                category: s.category.map(|k| k.to_string()),
                is_end: true,
                score: s.score,
            })
            .collect())
    })
}

fn case_view(c: &skladnica_core::db::cases::Case) -> CaseView {
    CaseView {
        sign: c.sign.clone(),
        title: c.title.clone(),
        unit: c.unit.clone(),
        jrwa_symbol: c.jrwa_symbol.clone(),
        year: c.year,
        category: c.category.to_string(),
        opened_on: c.opened_on.to_string(),
        closed_on: c.closed_on.map(|d| d.to_string()),
        handler: c.handler.clone(),
    }
}

/// Cases (the spis spraw), optionally of one JRWA class or year, open ones only.
#[tauri::command]
#[specta::specta]
pub async fn cases(
    state: State<'_, AppState>,
    jrwa_prefix: Option<String>,
    year: Option<i32>,
    open_only: bool,
) -> CmdResult<Vec<CaseView>> {
    let filter = CaseFilter {
        unit: None,
        jrwa_prefix: jrwa_prefix.filter(|s| !s.trim().is_empty()),
        year,
        open: open_only.then_some(true),
    };
    state.read(|lib| Ok(lib.cases(&filter)?.iter().map(case_view).collect()))
}

/// Opens a case with the next number; returns it with its sign.
#[tauri::command]
#[specta::specta]
pub async fn new_case(state: State<'_, AppState>, request: NewCase) -> CmdResult<CaseView> {
    let req = NewCaseRequest {
        unit: request.unit.trim().to_string(),
        jrwa_symbol: request.jrwa_symbol.trim().to_string(),
        title: request.title,
        opened_on: None,
        number: None,
        handler: request.handler.filter(|h| !h.trim().is_empty()),
    };
    state.write(|lib| Ok(case_view(&lib.open_case(&req)?)))
}

/// A day typed in a form (`YYYY-MM-DD` or `DD.MM.YYYY`); empty is `None`.
pub(crate) fn day(value: Option<String>, what: &str) -> CmdResult<Option<skladnica_records::Date>> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|e| AppError::new("invalid_date", format!("{what} \"{v}\": {e}"))),
    }
}

/// Closes case `sign` on `on` (today when empty); its retention period runs from the next
/// 1 January.
#[tauri::command]
#[specta::specta]
pub async fn close_case(
    state: State<'_, AppState>,
    sign: String,
    on: Option<String>,
) -> CmdResult<CaseView> {
    let on = day(on, "the day the case closes")?;
    state.write(|lib| Ok(case_view(&lib.close_case(sign.trim(), on)?)))
}

/// A closed case with what is due for its records.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RetentionView {
    /// The case sign.
    pub sign: String,
    /// Its title.
    pub title: String,
    /// Its JRWA class.
    pub jrwa_symbol: String,
    /// Its archival category (A, B5, BE10, Bc, B*).
    pub category: String,
    /// The day it closed.
    pub closed_on: String,
    /// `destroy`, `review`, `transfer` or `set period`.
    pub action: String,
    /// From when (none for B*: the office sets the period).
    pub due_from: Option<String>,
    /// The category was filled in by hand in the JRWA: check it against the act first.
    pub category_to_verify: bool,
}

/// The closed cases whose records are due for destruction, review by the state archive, or
/// transfer to it on `on` (today when empty), the earliest due first.
#[tauri::command]
#[specta::specta]
pub async fn retention_due(
    state: State<'_, AppState>,
    on: Option<String>,
) -> CmdResult<Vec<RetentionView>> {
    let on = day(on, "the day of the list")?.unwrap_or_else(skladnica_records::Date::today);
    state.read(|lib| {
        Ok(lib
            .retention_due(on)?
            .into_iter()
            .map(|i| RetentionView {
                sign: i.sign,
                title: i.title,
                jrwa_symbol: i.jrwa_symbol,
                category: i.category.to_string(),
                closed_on: i.closed_on.to_string(),
                action: i.due.action().to_string(),
                due_from: i.due.from().map(|d| d.to_string()),
                category_to_verify: i.category_to_verify,
            })
            .collect())
    })
}

/// Brakowanie (an archivist): destroys the closed cases `signs`, due for destruction on `on`
/// (today when empty), under the state archive's `approval`; all of them or none. Returns the
/// number of documents destroyed.
#[tauri::command]
#[specta::specta]
pub async fn destroy_cases(
    state: State<'_, AppState>,
    signs: Vec<String>,
    approval: String,
    on: Option<String>,
) -> CmdResult<u32> {
    let on = day(on, "the day of destruction")?.unwrap_or_else(skladnica_records::Date::today);
    state.write(|lib| {
        let done = lib.destroy_cases(&signs, &approval, on)?;
        Ok(done.cases.iter().map(|c| c.documents as u32).sum())
    })
}

/// Removes a document for `reason`, which the audit log keeps; never one filed in a case or
/// registered in the RPW.
#[tauri::command]
#[specta::specta]
pub async fn remove_document(state: State<'_, AppState>, id: i64, reason: String) -> CmdResult<()> {
    state.write(|lib| Ok(lib.remove_document(id, &reason)?))
}

/// Files documents in a case (and sets their JRWA class to the case's).
#[tauri::command]
#[specta::specta]
pub async fn add_to_case(
    state: State<'_, AppState>,
    changes: State<'_, Changes>,
    sign: String,
    ids: Vec<i64>,
) -> CmdResult<()> {
    state.write(|lib| {
        lib.add_to_case(sign.trim(), &ids)?;
        Ok(())
    })?;
    changes.documents(ids);
    Ok(())
}

/// The organisational units.
#[tauri::command]
#[specta::specta]
pub async fn units(state: State<'_, AppState>) -> CmdResult<Vec<UnitView>> {
    state.read(|lib| {
        Ok(lib
            .units()?
            .into_iter()
            .map(|u| UnitView {
                code: u.code,
                name: u.name,
                year_from: u.year_from,
                year_to: u.year_to,
            })
            .collect())
    })
}

/// Adds an organisational unit from `year_from` on.
#[tauri::command]
#[specta::specta]
pub async fn add_unit(
    state: State<'_, AppState>,
    code: String,
    name: String,
    year_from: i32,
) -> CmdResult<UnitView> {
    state.write(|lib| {
        let u = lib.add_unit(code.trim(), &name, year_from, None)?;
        Ok(UnitView {
            code: u.code,
            name: u.name,
            year_from: u.year_from,
            year_to: u.year_to,
        })
    })
}

fn rpw_view(r: skladnica_core::db::rpw::RpwRecord) -> RpwView {
    RpwView {
        number: r.number.to_string(),
        received_on: r.item.received_on.to_string(),
        sender: r.item.sender.display_name(),
        title: r.item.title,
        sender_sign: r.item.sender_sign,
        document_id: r.document_id,
        case_sign: r.case_sign,
    }
}

/// The incoming register of a year (all years when none).
#[tauri::command]
#[specta::specta]
pub async fn rpw_list(state: State<'_, AppState>, year: Option<i32>) -> CmdResult<Vec<RpwView>> {
    state.read(|lib| Ok(lib.rpw_items(year)?.into_iter().map(rpw_view).collect()))
}

/// Registers an incoming item in the RPW with the next number of the year: its scan is
/// `document` (described from the form, the clerk's own values kept) and, when given, it is
/// filed in case `case_sign`. Every problem with the form is named at once and nothing is saved.
#[tauri::command]
#[specta::specta]
pub async fn register_incoming(
    state: State<'_, AppState>,
    changes: State<'_, Changes>,
    ezd: State<'_, crate::ezd::EzdSender>,
    form: IncomingForm,
    document: Option<i64>,
    case_sign: Option<String>,
) -> CmdResult<RpwView> {
    let item = form.item().map_err(|problems| {
        AppError::new(
            "invalid",
            format!(
                "incoming item not registered:\n  - {}",
                problems.join("\n  - ")
            ),
        )
    })?;
    let request = RegisterRequest {
        item,
        document,
        case: case_sign.filter(|c| !c.trim().is_empty()),
    };
    let done = state.write(|lib| Ok(lib.register_incoming(&request)?))?;
    changes.documents(document);
    if done.queued_for_ezd {
        ezd.wake();
    }
    Ok(rpw_view(done.record))
}

/// A loaded JRWA (file plan) version.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct JrwaVersionView {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `builtin:gmina-2011`, `csv:<file>`.
    pub source: String,
    /// Cases opened from this day use it.
    pub in_force_from: String,
    /// When it was loaded.
    pub imported_at: String,
    /// How many classes it has.
    pub class_count: i64,
    /// It is the one in force today.
    pub in_force: bool,
}

/// What loading a JRWA file did.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct JrwaImportView {
    /// The new version.
    pub version: JrwaVersionView,
    /// Gaps accepted, each naming its line.
    pub warnings: Vec<String>,
    /// Columns not used.
    pub ignored_columns: Vec<String>,
    /// The encoding the file was read in.
    pub encoding: String,
}

fn version_view(
    v: skladnica_core::db::jrwa::JrwaVersion,
    in_force: Option<i64>,
) -> JrwaVersionView {
    JrwaVersionView {
        in_force: in_force == Some(v.id),
        id: v.id,
        name: v.name,
        source: v.source,
        in_force_from: v.in_force_from.to_string(),
        imported_at: v.imported_at,
        class_count: v.class_count,
    }
}

fn jrwa_in_force(lib: &Library) -> Option<i64> {
    lib.jrwa(None, None).ok().map(|(v, _)| v.id)
}

/// Every loaded JRWA version, oldest first, the one in force today marked.
#[tauri::command]
#[specta::specta]
pub async fn jrwa_versions(state: State<'_, AppState>) -> CmdResult<Vec<JrwaVersionView>> {
    state.read(|lib| {
        let now = jrwa_in_force(lib);
        Ok(lib
            .jrwa_versions()?
            .into_iter()
            .map(|v| version_view(v, now))
            .collect())
    })
}

/// Loads the office's JRWA from a CSV file (symbol, heading, category; UTF-8 or Windows-1250)
/// as a new version in force from `in_force_from` (`YYYY-MM-DD` or `DD.MM.YYYY`). Nothing is
/// stored unless the whole file is valid.
#[tauri::command]
#[specta::specta]
pub async fn import_jrwa(
    state: State<'_, AppState>,
    path: String,
    name: Option<String>,
    in_force_from: String,
) -> CmdResult<JrwaImportView> {
    let from = day(Some(in_force_from), "the day the JRWA comes into force")?
        .ok_or_else(|| AppError::new("invalid_date", "give the day the JRWA comes into force"))?;
    let path = std::path::PathBuf::from(path.trim());
    let bytes =
        std::fs::read(&path).map_err(|e| AppError::from(skladnica_core::Error::io(&path, e)))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let name = name.filter(|n| !n.trim().is_empty());
    state.write(|lib| {
        let done = lib.import_jrwa(&bytes, &file_name, name.as_deref().map(str::trim), from)?;
        let now = jrwa_in_force(lib);
        Ok(JrwaImportView {
            version: version_view(done.version, now),
            warnings: done.warnings,
            ignored_columns: done.ignored_columns,
            encoding: done.encoding,
        })
    })
}

/// Asks a running job to stop; false when it has already ended.
#[tauri::command]
#[specta::specta]
pub async fn cancel_job(state: State<'_, AppState>, job: u32) -> CmdResult<bool> {
    Ok(state.cancel_job(job))
}

/// Why the library could not be opened when the app started, if it could not.
#[tauri::command]
#[specta::specta]
pub async fn startup_error(startup: State<'_, crate::StartupError>) -> CmdResult<Option<AppError>> {
    Ok(startup.0.clone())
}

/// Milliseconds since the app's process started (for the start-up benchmark).
#[tauri::command]
#[specta::specta]
pub async fn since_start() -> CmdResult<f64> {
    Ok(crate::started().elapsed().as_secs_f64() * 1000.0)
}
