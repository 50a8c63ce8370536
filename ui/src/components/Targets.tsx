// Export targets and their schedule, in the Archiwum view: the carriers an office exports to
// again and again (a folder on a share, a USB disk recognised wherever it is plugged in), each
// exported to every so many days and, for a disk, whenever it is plugged in, while the app is
// open. Each shows whether it is connected, its last export, and a warning when it is overdue
// or its last try failed; "Eksportuj teraz" runs its export at once. The shell sends the
// targets' state as `TargetsChanged`; `useTargets` keeps it for the view and the navigation.
import { useState } from "preact/hooks";
import { api, events } from "../api";
import type { ExportProgress, TargetRequest, TargetsChanged, TargetView } from "../bindings";
import { formatDate, t } from "../i18n/i18n";
import { bump, useShellState } from "../store";
import { EmptyState, ErrorBox } from "./ErrorBox";

const PERIODS = [1, 7, 14, 30];
const CATEGORIES = ["A", "B", "BE"];

/** The export targets' state, kept current by the shell's events. */
export function useTargets(): [TargetsChanged | null, (s: TargetsChanged) => void] {
  return useShellState(api.exportTargets, events.targetsChanged);
}

function where(target: TargetView): string {
  return target.disk ? t("targets.onDisk", { label: target.place, folder: target.folder ?? "" }) : target.place;
}

function contents(target: TargetView): string {
  if (target.category && target.jrwa_prefix) return t("targets.categoryJrwa", { category: target.category, jrwa: target.jrwa_prefix });
  if (target.category) return t("targets.category", { category: target.category });
  if (target.jrwa_prefix) return t("targets.jrwa", { jrwa: target.jrwa_prefix });
  return t("targets.everything");
}

function schedule(target: TargetView): string {
  const every = t("targets.every", { n: target.every_days });
  return target.on_connect ? `${every}, ${t("targets.andOnConnect")}` : every;
}

export function TargetsPanel() {
  const [status, setStatus] = useTargets();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState("");
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [done, setDone] = useState("");
  const [adding, setAdding] = useState(false);
  const blank: TargetRequest = { name: "", path: "", disk: false, folder: null, every_days: 7, on_connect: false, category: null, jrwa_prefix: null };
  const [form, setForm] = useState<TargetRequest>(blank);
  const targets = status?.targets ?? [];

  const act = async (what: string, work: () => Promise<string>) => {
    setBusy(what);
    setError(null);
    setDone("");
    try {
      setDone(await work());
      bump();
    } catch (e) {
      setError(e);
    } finally {
      setBusy("");
      setProgress(null);
    }
  };
  const exportNow = (name: string) =>
    act(name, async () => {
      const r = await api.exportToTarget(name, setProgress);
      setStatus(await api.exportTargets());
      return r.package
        ? t("targets.exported", { name, documents: r.documents, package: r.package })
        : t("targets.upToDate", { name });
    });

  return (
    <section class="settings-block" aria-labelledby="targets-title">
      <h2 id="targets-title">{t("targets.title")}</h2>
      <p class="muted small">{t("targets.what")}</p>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {targets.length === 0 ? (
        <EmptyState title={t("targets.none")}>
          <p>{t("targets.noneText")}</p>
        </EmptyState>
      ) : (
        <ul class="targets">
          {targets.map((target) => (
            <li key={target.name} class={target.overdue ? "target overdue" : "target"} aria-labelledby={`target-${target.name}`}>
              <h3 id={`target-${target.name}`}>{target.name}</h3>
              <p>
                <code>{where(target)}</code> — {contents(target)}; {schedule(target)}
              </p>
              <p class={target.location ? "state ok" : "muted"}>
                {target.location ? t("targets.connected", { path: target.location }) : t(target.disk ? "targets.diskAway" : "targets.folderAway")}
              </p>
              <p>
                {target.last_success_at
                  ? t("targets.lastExport", { when: formatDate(target.last_success_at), package: target.last_package ?? "—" })
                  : t("targets.never")}
                {status?.running === target.name && <span class="busy"> {t("targets.running")}</span>}
              </p>
              {target.overdue && (
                <p class="warning" role="alert">
                  {t("targets.overdue", { n: target.every_days })}
                </p>
              )}
              {target.last_error && (
                <p class="error">
                  {t("targets.failed")}: <span class="detail">{target.last_error}</span>
                </p>
              )}
              <div class="inline">
                <button type="button" disabled={busy !== "" || !target.location} onClick={() => exportNow(target.name)}>
                  {busy === target.name ? t("archive.exporting") : t("targets.exportNow")}
                </button>
                <button
                  type="button"
                  disabled={busy !== ""}
                  aria-label={t("targets.removeLabel", { name: target.name })}
                  onClick={() =>
                    act(`remove:${target.name}`, async () => {
                      setStatus(await api.removeExportTarget(target.name));
                      return t("targets.removed", { name: target.name });
                    })
                  }
                >
                  {t("targets.remove")}
                </button>
              </div>
              {busy === target.name && progress && (
                <div class="inline">
                  <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={t("archive.progress", { done: progress.done, total: progress.total })} />
                  <button type="button" onClick={() => api.cancelJob(progress.job)}>
                    {t("archive.cancel")}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <p role="status" id="targets-status" class={done ? "state ok" : ""}>
        {done}
      </p>
      {!adding ? (
        <button type="button" id="target-add" onClick={() => setAdding(true)}>
          {t("targets.add")}
        </button>
      ) : (
        <form
          class="target-form"
          aria-labelledby="target-add-title"
          onSubmit={(e) => {
            e.preventDefault();
            act("add", async () => {
              setStatus(await api.addExportTarget(form));
              setAdding(false);
              setForm(blank);
              return t("targets.added", { name: form.name.trim() });
            });
          }}
        >
          <h3 id="target-add-title">{t("targets.add")}</h3>
          <label for="target-name">{t("targets.name")}</label>
          <input id="target-name" value={form.name} placeholder={t("targets.namePlaceholder")} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <fieldset>
            <legend>{t("targets.kind")}</legend>
            <label class="check">
              <input type="radio" name="target-kind" checked={!form.disk} onChange={() => setForm({ ...form, disk: false, on_connect: false })} />
              {t("targets.kindFolder")}
            </label>
            <label class="check">
              <input type="radio" name="target-kind" checked={form.disk} onChange={() => setForm({ ...form, disk: true })} />
              {t("targets.kindDisk")}
            </label>
          </fieldset>
          <label for="target-path">{form.disk ? t("targets.diskPath") : t("targets.folderPath")}</label>
          <input
            id="target-path"
            value={form.path}
            placeholder={form.disk ? "/media/urzad/ARCHIWUM" : "/mnt/starostwo/archiwum"}
            aria-describedby="target-path-help"
            onInput={(e) => setForm({ ...form, path: e.currentTarget.value })}
          />
          <p id="target-path-help" class="muted small">
            {form.disk ? t("targets.diskHelp") : t("targets.folderHelp")}
          </p>
          <label for="target-every">{t("targets.period")}</label>
          <select id="target-every" value={String(form.every_days)} onChange={(e) => setForm({ ...form, every_days: Number(e.currentTarget.value) })}>
            {PERIODS.map((d) => (
              <option key={d} value={String(d)}>
                {t("targets.every", { n: d })}
              </option>
            ))}
          </select>
          {form.disk && (
            <label class="check">
              <input type="checkbox" checked={form.on_connect} onChange={(e) => setForm({ ...form, on_connect: e.currentTarget.checked })} />
              {t("targets.onConnect")}
            </label>
          )}
          <label for="target-category">{t("targets.contents")}</label>
          <select id="target-category" value={form.category ?? ""} onChange={(e) => setForm({ ...form, category: e.currentTarget.value || null })}>
            <option value="">{t("targets.everything")}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`archive.categories.${c}`)}
              </option>
            ))}
          </select>
          <label for="target-jrwa">{t("targets.jrwaField")}</label>
          <input id="target-jrwa" size={8} value={form.jrwa_prefix ?? ""} placeholder="6730" onInput={(e) => setForm({ ...form, jrwa_prefix: e.currentTarget.value || null })} />
          <div class="inline">
            <button type="submit" class="primary" disabled={busy !== "" || !form.name.trim() || !form.path.trim()}>
              {t("targets.save")}
            </button>
            <button type="button" onClick={() => setAdding(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
