// The hot folder: files a scanner or a colleague saves into it are imported on their own. The
// Ustawienia view sets the folder and whether stacks are split; both it and the Skanowanie /
// Import view have the switch and show what the folder is doing (counts, refused files, a
// folder that went missing).
import { useEffect, useState } from "preact/hooks";
import { api, events, UiError } from "../api";
import type { HotFolder as Setting, HotFolderChanged } from "../bindings";
import { t } from "../i18n/i18n";
import { href } from "../router";
import { ErrorBox } from "./ErrorBox";
import { useShellState } from "../store";

/** The hot folder's status, kept current by the shell's events. */
export function useHotFolder(): [HotFolderChanged | null, (s: HotFolderChanged) => void] {
  return useShellState(api.hotFolder, events.hotFolderChanged);
}

export function HotFolderPanel({ settings = false }: { settings?: boolean }) {
  const [status, setStatus] = useHotFolder();
  const [path, setPath] = useState("");
  const [split, setSplit] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState("");
  const folder = status?.folder ?? null;

  useEffect(() => {
    if (folder) {
      setPath((p) => p || folder.path);
      setSplit(folder.split_stacks);
    }
  }, [folder?.path, folder?.split_stacks]);

  const save = async (next: Setting, done: string) => {
    try {
      setStatus(await api.setHotFolder(next));
      setError(null);
      setSaved(done);
    } catch (e) {
      setSaved("");
      setError(e);
    }
  };
  const toggle = (enabled: boolean) =>
    save(
      { path: folder?.path ?? path, split_stacks: folder?.split_stacks ?? split, enabled },
      enabled ? t("hot.on") : t("hot.off"),
    );
  const id = settings ? "hot-settings" : "hot-import";

  return (
    <section class={settings ? "settings-block" : "panel"} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("hot.title")}</h2>
      <p class="muted small">{t("hot.what")}</p>
      {settings && (
        <form
          class="hot-form"
          onSubmit={(e) => {
            e.preventDefault();
            save({ path, split_stacks: split, enabled: folder?.enabled ?? true }, t("hot.saved"));
          }}
        >
          <label for={`${id}-path`}>{t("hot.path")}</label>
          <input id={`${id}-path`} value={path} placeholder="/home/urzad/Skaner" onInput={(e) => setPath(e.currentTarget.value)} />
          <label class="check">
            <input type="checkbox" checked={split} onChange={(e) => setSplit(e.currentTarget.checked)} />
            {t("hot.split")}
          </label>
          <button type="submit" disabled={!path.trim()}>
            {t("common.save")}
          </button>
        </form>
      )}
      {folder ? (
        <label class="check switch">
          <input type="checkbox" role="switch" checked={folder.enabled} onChange={(e) => toggle(e.currentTarget.checked)} />
          {t("hot.switch", { path: folder.path })}
        </label>
      ) : (
        !settings && (
          <p>
            {t("hot.notSet")} <a href={href("ustawienia")}>{t("hot.toSettings")}</a>
          </p>
        )
      )}
      <p class="notice" role="status" id={`${id}-status`}>
        {saved}
      </p>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {status?.error && folder?.enabled && (
        <div class="error" role="alert">
          <p>
            <strong>{t("hot.cannot")}</strong> {new UiError(status.error.code, status.error.message).title}
          </p>
          <p class="detail">{status.error.message}</p>
        </div>
      )}
      {status && folder?.enabled && (
        <p class={status.watching ? "state ok" : "state wait"}>
          {status.watching ? t("hot.watching") : t("hot.notWatching")}{" "}
          {t("hot.counts", { imported: status.imported, refused: status.refused, waiting: status.waiting })}
        </p>
      )}
      {status && status.recent.length > 0 && (
        <>
          <h3>{t("hot.recent")}</h3>
          <ul class="failures">
            {status.recent.map((r, i) => (
              <li key={i}>
                <code>{r.path}</code>: {t(`rejections.${r.code}`)} <span class="muted">({r.error})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
