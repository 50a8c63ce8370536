// Import: drop files and folders on the window (or type their paths), then follow the import,
// OCR and metadata reading with counts and a line for every file that was refused, and cancel
// at any time. What was imported before a cancel stays in the library.
import { useEffect, useState } from "preact/hooks";
import { api, type JobEvent } from "../api";
import { ErrorBox } from "../components/ErrorBox";
import { t } from "../i18n/i18n";
import { href } from "../router";

type FileLine = { path: string; outcome: string; error: string | null; code: string | null; id: number | null };

type Progress = {
  job: number | null;
  files: number;
  lines: FileLine[];
  ocr: { done: number; total: number; failed: number } | null;
  phase: "import" | "ocr" | "extract" | "done" | "failed";
  finished: Extract<JobEvent, { kind: "finished" }> | null;
};

export function ImportView() {
  const [paths, setPaths] = useState("");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [hover, setHover] = useState(false);

  const start = async (list: string[]) => {
    const clean = list.map((p) => p.trim()).filter(Boolean);
    if (clean.length === 0) return;
    setError(null);
    let state: Progress = { job: null, files: 0, lines: [], ocr: null, phase: "import", finished: null };
    setProgress(state);
    const update = (p: Partial<Progress>) => {
      state = { ...state, ...p };
      setProgress(state);
    };
    try {
      await api.import(clean, (e) => {
        switch (e.kind) {
          case "started":
            update({ job: e.job, files: e.files });
            break;
          case "file":
            update({
              lines: [...state.lines, { path: e.path, outcome: e.outcome, error: e.error, code: e.code, id: e.document_id }],
            });
            break;
          case "ocr":
            update({ phase: "ocr", ocr: { done: e.done, total: e.total, failed: e.failed } });
            break;
          case "extracting":
            update({ phase: "extract" });
            break;
          case "finished":
            update({ phase: "done", finished: e, job: null });
            break;
          case "failed":
            update({ phase: "failed", job: null });
            setError(e.error);
            break;
        }
      });
    } catch (e) {
      update({ phase: "failed" });
      setError(e);
    }
  };

  // Files dropped anywhere on the window while this view is open.
  useEffect(() => {
    let unlisten: (() => void) | undefined;
    import("@tauri-apps/api/webview")
      .then(({ getCurrentWebview }) =>
        getCurrentWebview().onDragDropEvent((event) => {
          if (event.payload.type === "over" || event.payload.type === "enter") setHover(true);
          else if (event.payload.type === "leave") setHover(false);
          else if (event.payload.type === "drop") {
            setHover(false);
            start(event.payload.paths);
          }
        }),
      )
      .then((u) => (unlisten = u))
      .catch(() => {});
    return () => unlisten?.();
  }, []);

  const running = progress !== null && !["done", "failed"].includes(progress.phase);
  const counts = (o: string) => progress?.lines.filter((l) => l.outcome === o).length ?? 0;
  const failed = progress?.lines.filter((l) => l.outcome === "failed") ?? [];
  return (
    <section aria-labelledby="import-title">
      <header class="view-header">
        <h1 id="import-title">{t("import.title")}</h1>
      </header>
      <div class={`dropzone${hover ? " over" : ""}`}>
        <p>{t("import.drop")}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            start(paths.split("\n"));
          }}
        >
          <label for="import-paths">{t("import.paths")}</label>
          <textarea
            id="import-paths"
            rows={3}
            value={paths}
            placeholder="/home/urzad/Skany"
            onInput={(e) => setPaths(e.currentTarget.value)}
          />
          <button type="submit" class="primary" disabled={running || !paths.trim()}>
            {t("import.start")}
          </button>
        </form>
        <p class="muted small">{t("import.formats")}</p>
      </div>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {progress && (
        <section class="progress" aria-labelledby="progress-title" aria-live="polite">
          <h2 id="progress-title">{t(`import.phase.${progress.phase}`)}</h2>
          <p>
            {t("import.counts", {
              seen: progress.lines.length,
              files: progress.files,
              imported: counts("imported"),
              duplicates: counts("duplicate"),
              failed: counts("failed"),
            })}
          </p>
          <progress max={Math.max(progress.files, 1)} value={progress.lines.length} aria-label={t("import.filesProgress")} />
          {progress.ocr && (
            <>
              <p>{t("import.ocr", progress.ocr)}</p>
              <progress
                max={Math.max(progress.ocr.total, 1)}
                value={progress.ocr.done + progress.ocr.failed}
                aria-label={t("import.ocrProgress")}
              />
            </>
          )}
          {running && progress.job !== null && (
            <button type="button" onClick={() => api.cancelJob(progress.job!)}>
              {t("import.cancel")}
            </button>
          )}
          {progress.finished && (
            <p class="state ok">
              {progress.finished.cancelled ? t("import.cancelled") : t("import.done")}{" "}
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
      )}
    </section>
  );
}
