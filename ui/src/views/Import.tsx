// Skanowanie / Import: scan a stack from a scanner, or drop files and folders on the window (or
// type their paths), then follow the job (pages as they are scanned, import, OCR and metadata
// reading) with counts and a line for every file that was refused, and cancel at any time. What
// was scanned or imported before a cancel stays in the library. The hot folder is switched on
// or off here too.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { ErrorBox } from "../components/ErrorBox";
import { HotFolderPanel } from "../components/HotFolder";
import { JobProgress } from "../components/JobProgress";
import { ScanPanel } from "../components/ScanPanel";
import { t } from "../i18n/i18n";
import { useJob } from "../job";

export function ImportView() {
  const [paths, setPaths] = useState("");
  const [hover, setHover] = useState(false);
  const { progress, error, setError, running, run } = useJob();

  const start = (list: string[]) => {
    const clean = list.map((p) => p.trim()).filter(Boolean);
    if (clean.length === 0) return;
    run("import", (onEvent) => api.import(clean, onEvent));
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

  return (
    <section aria-labelledby="import-title">
      <header class="view-header">
        <h1 id="import-title">{t("import.title")}</h1>
      </header>
      <div class="capture">
        <ScanPanel running={running} onScan={(s) => run("scan", s)} />
        <section class={`panel dropzone${hover ? " over" : ""}`} aria-labelledby="files-title">
          <h2 id="files-title">{t("import.files")}</h2>
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
        </section>
        <HotFolderPanel />
      </div>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {progress && <JobProgress progress={progress} running={running} />}
    </section>
  );
}
