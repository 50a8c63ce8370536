// The progress of an import or a scan: the pages as they come out of the scanner, counts of
// files, OCR and metadata reading, a line for every refused file, and a cancel button.
import { api } from "../api";
import { t } from "../i18n/i18n";
import type { Progress } from "../job";
import { href } from "../router";

export function JobProgress({ progress, running }: { progress: Progress; running: boolean }) {
  const counts = (o: string) => progress.lines.filter((l) => l.outcome === o).length;
  const failed = progress.lines.filter((l) => l.outcome === "failed");
  const scan = progress.kind === "scan";
  return (
    <section class="progress" aria-labelledby="progress-title" aria-live="polite">
      <h2 id="progress-title">{t(`import.phase.${progress.phase}`)}</h2>
      {progress.scanner && (
        <p>
          {t("scan.settings", {
            device: progress.scanner.device,
            dpi: progress.scanner.resolution,
            mode: progress.scanner.mode ?? "—",
            source: progress.scanner.source ?? "—",
          })}
        </p>
      )}
      {scan && (
        <p>
          {t("scan.pages", { n: progress.pages.length })}
          {progress.scanned &&
            " " +
              t("scan.split", {
                documents: progress.scanned.documents,
                separators: progress.scanned.separators,
                blank: progress.scanned.blank_pages,
              })}
        </p>
      )}
      {progress.scanned?.scanner_error && (
        <div class="error" role="alert">
          <p>
            <strong>{t("scan.stopped", { n: progress.scanned.pages })}</strong>
          </p>
          <p class="muted small">{progress.scanned.scanner_error}</p>
        </div>
      )}
      {progress.pages.length > 0 && (
        <ol class="scan-pages" aria-label={t("scan.pagesLabel")}>
          {progress.pages.map((p) => (
            <li key={p.number} class={p.role}>
              {p.thumbnail ? <img src={p.thumbnail} alt={t("scan.pageAlt", { n: p.number })} /> : <span class="no-thumb" />}
              <span class="small">
                {p.number}
                {p.role !== "content" && ` — ${t(`scan.role.${p.role}`)}`}
              </span>
            </li>
          ))}
        </ol>
      )}
      {(!scan || progress.scanned) && (
        <>
          <p>
            {t(scan ? "scan.counts" : "import.counts", {
              seen: progress.lines.length,
              files: progress.files,
              imported: counts("imported"),
              duplicates: counts("duplicate"),
              failed: counts("failed"),
            })}
          </p>
          <progress max={Math.max(progress.files, 1)} value={progress.lines.length} aria-label={t("import.filesProgress")} />
        </>
      )}
      {progress.ocr && (
        <>
          <p>{t("import.ocr", progress.ocr)}</p>
          <progress max={Math.max(progress.ocr.total, 1)} value={progress.ocr.done + progress.ocr.failed} aria-label={t("import.ocrProgress")} />
        </>
      )}
      {running && progress.job !== null && (
        <button type="button" onClick={() => api.cancelJob(progress.job!)}>
          {t(scan && progress.phase === "scan" ? "scan.stop" : "import.cancel")}
        </button>
      )}
      {progress.finished && (
        <p class="state ok">
          {progress.finished.cancelled ? t("import.cancelled") : t(scan ? "scan.done" : "import.done")}{" "}
          <a href={href("skrzynka")}>{t("import.toInbox")}</a>
        </p>
      )}
      {failed.length > 0 && (
        <>
          <h3>{t("import.refused", { n: failed.length })}</h3>
          <ul class="failures">
            {failed.map((l, i) => (
              <li key={i}>
                <code>{l.path}</code>: {l.code ? t(`rejections.${l.code}`) : ""} <span class="muted">({l.error})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
