//! How the `skladnica` command shows results to a person: import progress (a bar on a
//! terminal, one line per file otherwise), search hits with highlighted snippets, documents,
//! and check reports.

use std::io::{self, Write};

use indicatif::{ProgressBar, ProgressStyle};
use skladnica_core::check::CheckReport;
use skladnica_core::db::documents::{Document, DocumentSummary};
use skladnica_core::ingest::{ImportEvent, ImportReport};
use skladnica_core::search::SearchResults;
use skladnica_core::search::facets::FacetValue;

/// Import progress: a bar on a terminal, plain lines otherwise, nothing but errors with `--json`.
pub struct ImportProgress {
    bar: Option<ProgressBar>,
    json: bool,
}

impl ImportProgress {
    pub fn new(tty: bool, json: bool) -> Self {
        let bar = tty.then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files ({per_sec}) {msg}",
                )
                .expect("a valid template"),
            );
            bar
        });
        ImportProgress { bar, json }
    }

    pub fn event(&mut self, event: &ImportEvent) {
        match event {
            ImportEvent::Found(n) => {
                if let Some(bar) = &self.bar {
                    bar.set_length(*n as u64);
                }
            }
            ImportEvent::Imported(item) => self.line(format!("imported {} {}", item.id, item.path)),
            ImportEvent::Duplicate(item) => self.line(format!(
                "duplicate {} {} (already in the library)",
                item.id, item.path
            )),
            ImportEvent::Failed(f) => {
                let line = format!("failed {}: {}", f.path, f.error);
                match &self.bar {
                    Some(bar) => {
                        bar.println(line);
                        bar.inc(1);
                    }
                    None => {
                        let _ = writeln!(io::stderr(), "{line}");
                    }
                }
            }
        }
    }

    fn line(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.inc(1),
            // A closed pipe must not stop the import: the lines are only a report.
            None if !self.json => {
                let _ = writeln!(io::stdout(), "{line}");
            }
            None => {}
        }
    }

    pub fn finish(&mut self, report: &ImportReport) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        for w in &report.warnings {
            eprintln!("warning {}: {}", w.path, w.message);
        }
        if !self.json {
            eprintln!(
                "{} imported, {} already in the library, {} failed{}",
                report.imported.len(),
                report.duplicates.len(),
                report.failed.len(),
                if report.cancelled { " (cancelled)" } else { "" }
            );
        }
    }
}

pub fn search(out: &mut dyn Write, query: &str, r: &SearchResults, tty: bool) -> io::Result<()> {
    if r.total == 0 {
        writeln!(out, "nothing matches \"{query}\"")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} document{} match \"{query}\"{}",
        r.total,
        if r.total == 1 { "" } else { "s" },
        if r.fuzzy {
            " (no exact match; similar words shown)"
        } else {
            ""
        }
    )?;
    for (i, hit) in r.hits.iter().enumerate() {
        writeln!(
            out,
            "\n{:>3}. [{}] {}  (score {:.2})",
            i + 1,
            hit.id,
            hit.title,
            hit.score
        )?;
        if !hit.snippet.is_empty() {
            writeln!(
                out,
                "     {}",
                snippet(&hit.snippet, tty).replace('\n', " ")
            )?;
        }
    }
    let f = &r.facets;
    let facet_line = [
        ("year", &f.year),
        ("kind", &f.kind),
        ("format", &f.format),
        ("jrwa", &f.jrwa),
        ("sender", &f.sender),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(name, v)| format!("{name}: {}", values(v)))
    .collect::<Vec<_>>()
    .join(" | ");
    if !facet_line.is_empty() {
        writeln!(out, "\n{facet_line}")?;
    }
    Ok(())
}

fn values(v: &[FacetValue]) -> String {
    v.iter()
        .take(8)
        .map(|f| format!("{} ({})", f.value, f.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The HTML snippet as terminal text: bold on a terminal, «…» otherwise.
fn snippet(html: &str, tty: bool) -> String {
    let (on, off) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    html.replace("<b>", on)
        .replace("</b>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

pub fn document(out: &mut dyn Write, d: &Document) -> io::Result<()> {
    writeln!(out, "[{}] {}", d.id, d.title)?;
    if let Some(date) = &d.doc_date {
        writeln!(out, "date:      {date}")?;
    }
    if let Some(kind) = &d.kind {
        writeln!(out, "kind:      {kind}")?;
    }
    writeln!(out, "added:     {}", d.created_at)?;
    for f in &d.files {
        writeln!(
            out,
            "file:      {} ({}, {} bytes, {} pages, sha256 {})",
            f.original_name, f.media_type, f.size, f.page_count, f.sha256
        )?;
        writeln!(out, "from:      {}", f.original_path)?;
    }
    for m in &d.metadata {
        writeln!(
            out,
            "{:<10} {}  ({})",
            format!("{}:", m.key),
            m.value,
            m.source
        )?;
    }
    if !d.extracted.is_empty() {
        writeln!(
            out,
            "\nread from the text (field, value, confidence, page: source):"
        )?;
        for e in &d.extracted {
            if e.field == "cited_date" || e.field == "amount" {
                continue;
            }
            let source: String = e.source_text.chars().take(50).collect();
            writeln!(
                out,
                "  {:<14} {:<40} {:.2}  p.{}: «{}»{}",
                e.field,
                e.value.chars().take(40).collect::<String>(),
                e.confidence,
                e.page,
                source.replace('\n', " "),
                if e.personal { "  [personal data]" } else { "" }
            )?;
        }
    }
    for p in &d.pages {
        let source = match p.text_source {
            skladnica_core::db::documents::TextSource::BornDigital => "text",
            skladnica_core::db::documents::TextSource::Ocr => "OCR",
            skladnica_core::db::documents::TextSource::AwaitingOcr => "awaiting OCR",
        };
        writeln!(out, "\n--- page {} ({source}) ---", p.number)?;
        let text: String = p.text.chars().take(600).collect();
        if !text.is_empty() {
            writeln!(
                out,
                "{text}{}",
                if p.text.chars().count() > 600 {
                    " …"
                } else {
                    ""
                }
            )?;
        }
    }
    Ok(())
}

pub fn list(out: &mut dyn Write, docs: &[DocumentSummary]) -> io::Result<()> {
    if docs.is_empty() {
        writeln!(
            out,
            "the library is empty; add documents with `skladnica import PATH`"
        )?;
        return Ok(());
    }
    writeln!(out, "{:>6}  {:<10}  {:>5}  title", "id", "date", "pages")?;
    for d in docs {
        let mut title: String = d.title.chars().take(80).collect();
        if d.pages_awaiting_ocr > 0 {
            title.push_str(&format!("  [{} awaiting OCR]", d.pages_awaiting_ocr));
        }
        writeln!(
            out,
            "{:>6}  {:<10}  {:>5}  {title}",
            d.id,
            d.doc_date.as_deref().unwrap_or("-"),
            d.pages
        )?;
    }
    Ok(())
}

pub fn check(out: &mut dyn Write, r: &CheckReport) -> io::Result<()> {
    writeln!(
        out,
        "{} documents, {} originals verified, {} documents in the search index",
        r.documents, r.blobs_verified, r.indexed
    )?;
    for p in &r.problems {
        let state = if p.repaired {
            "repaired"
        } else if p.repairable {
            "repairable with --repair"
        } else {
            "restore from a backup"
        };
        writeln!(out, "{} {}: {} ({state})", p.code, p.item, p.detail)?;
    }
    writeln!(
        out,
        "{}",
        if r.clean {
            "the library is clean"
        } else {
            "problems found"
        }
    )?;
    Ok(())
}

/// What `skladnica pdf` wrote.
pub fn searchable_pdf(
    out: &mut dyn Write,
    path: &std::path::Path,
    pdf: &skladnica_core::searchable_pdf::SearchablePdf,
) -> io::Result<()> {
    if pdf.unchanged {
        writeln!(
            out,
            "{}: the original PDF ({} pages), already searchable",
            path.display(),
            pdf.pages
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} pages, {} with a text layer{}",
        path.display(),
        pdf.pages,
        pdf.text_layer_pages,
        if pdf.pdfa { " (PDF/A-2b)" } else { "" }
    )?;
    if pdf.unread_pages > 0 {
        writeln!(
            out,
            "warning: {} page(s) could not be read by OCR and have no text layer (see `skladnica show`)",
            pdf.unread_pages
        )?;
    }
    Ok(())
}

/// The scanners SANE sees.
pub fn scanners(
    out: &mut dyn Write,
    devices: &[skladnica_core::capture::DeviceInfo],
) -> io::Result<()> {
    if devices.is_empty() {
        writeln!(
            out,
            "no scanner found (is it on and connected? `scanimage -L` lists what SANE sees)"
        )?;
    }
    for d in devices {
        writeln!(out, "{}  {} {} ({})", d.name, d.vendor, d.model, d.kind)?;
        if let Some(e) = &d.error {
            writeln!(out, "    cannot be opened: {e}")?;
            continue;
        }
        let list = |v: &[String]| {
            if v.is_empty() {
                "—".to_string()
            } else {
                v.join(", ")
            }
        };
        writeln!(out, "    sources: {}", list(&d.sources))?;
        writeln!(out, "    modes: {}", list(&d.modes))?;
        let res: Vec<String> = d.resolutions.iter().map(u32::to_string).collect();
        writeln!(out, "    resolutions (dpi): {}", list(&res))?;
        if let (Some(w), Some(h)) = (d.max_width_mm, d.max_height_mm) {
            writeln!(out, "    largest area: {w:.0} × {h:.0} mm")?;
        }
    }
    Ok(())
}

/// The scan profiles.
pub fn profiles(
    out: &mut dyn Write,
    profiles: &[skladnica_core::capture::Profile],
) -> io::Result<()> {
    for p in profiles {
        let page = match p.page_mm {
            Some((w, h)) => format!("{w:.0}×{h:.0} mm"),
            None => "full area".into(),
        };
        let source = match p.source {
            None => "auto".to_string(),
            Some(s) => serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        };
        writeln!(
            out,
            "{:<14} {} dpi, {:?}, {source}, {page}, blank pages {:?}{}  {}",
            p.name,
            p.resolution,
            p.colour,
            p.separation.blank,
            if p.separation.codes {
                ", separator sheets"
            } else {
                ""
            },
            p.description
        )?;
    }
    Ok(())
}

/// A line per scanned page.
pub fn scan_event(out: &mut dyn Write, event: &skladnica_core::capture::ScanEvent) {
    use skladnica_core::capture::ScanEvent;
    use skladnica_core::capture::separate::PageRole;
    let _ = match event {
        ScanEvent::Ready(a) => writeln!(
            out,
            "scanning at {} dpi{}{}",
            a.resolution,
            a.mode
                .as_deref()
                .map(|m| format!(", {m}"))
                .unwrap_or_default(),
            a.source
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default()
        ),
        ScanEvent::Page(n, PageRole::Content, _) => writeln!(out, "page {n}"),
        ScanEvent::Page(n, PageRole::Blank, _) => writeln!(out, "page {n}: blank"),
        ScanEvent::Page(n, PageRole::Separator(_), _) => writeln!(out, "page {n}: separator sheet"),
    };
}

/// What a scan did.
pub fn scan_report(out: &mut dyn Write, r: &skladnica_core::capture::ScanReport) -> io::Result<()> {
    writeln!(
        out,
        "{} pages scanned from {} ({} separator sheets, {} blank pages left out)",
        r.pages_scanned, r.device, r.separators, r.blank_pages
    )?;
    for (i, d) in r.documents.iter().enumerate() {
        match d.id {
            Some(id) => writeln!(out, "document {id}: {} pages", d.pages)?,
            None => writeln!(
                out,
                "document {} of the batch ({} pages) was not imported",
                i + 1,
                d.pages
            )?,
        }
    }
    for f in &r.import.failed {
        writeln!(out, "failed {}: {}", f.path, f.error)?;
    }
    if let Some(e) = &r.scanner_error {
        writeln!(
            out,
            "the scanner stopped: {e}; the pages scanned before were kept"
        )?;
    }
    if let Some(dir) = &r.kept_in {
        writeln!(out, "the scanned files stay in {}", dir.display())?;
    }
    Ok(())
}
