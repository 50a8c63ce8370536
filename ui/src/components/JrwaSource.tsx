// The JRWA source in Ustawienia: the file plans the library holds (the shipped gmina list and
// those loaded from the office's CSV), which one is in force today, and loading a new one from a
// CSV file in force from a given day. A file with an error is refused whole, its line named.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { JrwaImportView, JrwaVersionView } from "../bindings";
import { formatDate, t } from "../i18n/i18n";
import { bump } from "../store";
import { ErrorBox } from "./ErrorBox";

export function JrwaSource({ root }: { root: string | undefined }) {
  const [versions, setVersions] = useState<JrwaVersionView[]>([]);
  const [path, setPath] = useState("");
  const [name, setName] = useState("");
  const [from, setFrom] = useState(`${new Date().getFullYear() + 1}-01-01`);
  const [done, setDone] = useState<JrwaImportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.jrwaVersions().then(setVersions, () => setVersions([]));
  }, [root, done]);

  const load = async () => {
    setBusy(true);
    try {
      setDone(await api.importJrwa(path, name.trim() || null, from));
      setError(null);
      bump();
    } catch (e) {
      setDone(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings-block" aria-labelledby="jrwa-source-title">
      <h2 id="jrwa-source-title">{t("jrwaSource.title")}</h2>
      <p class="muted small">{t("jrwaSource.what")}</p>
      <table>
        <caption class="visually-hidden">{t("jrwaSource.versions")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("jrwaSource.name")}</th>
            <th scope="col">{t("jrwaSource.from")}</th>
            <th scope="col">{t("jrwaSource.classes")}</th>
            <th scope="col">{t("jrwaSource.state")}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id}>
              <td>
                {v.name}
                {v.source.startsWith("csv:") && <span class="muted small"> ({v.source.slice(4)})</span>}
              </td>
              <td>{formatDate(v.in_force_from)}</td>
              <td>{v.class_count.toLocaleString("pl-PL")}</td>
              <td>{v.in_force ? <span class="state ok">{t("jrwaSource.inForce")}</span> : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="jrwa-form"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label for="jrwa-path">{t("jrwaSource.path")}</label>
        <input id="jrwa-path" value={path} placeholder="/home/urzad/jrwa.csv" aria-describedby="jrwa-path-help" onInput={(e) => setPath(e.currentTarget.value)} />
        <p id="jrwa-path-help" class="muted small">
          {t("jrwaSource.pathHelp")}
        </p>
        <label for="jrwa-name">{t("jrwaSource.newName")}</label>
        <input id="jrwa-name" value={name} placeholder={t("jrwaSource.namePlaceholder")} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="jrwa-from">{t("jrwaSource.from")}</label>
        <input id="jrwa-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        <button type="submit" disabled={busy || !path.trim() || !from}>
          {t("jrwaSource.load")}
        </button>
      </form>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <div role="status" id="jrwa-status">
        {done && (
          <>
            <p class="state ok">
              {t("jrwaSource.loaded", {
                name: done.version.name,
                n: done.version.class_count,
                from: formatDate(done.version.in_force_from),
                encoding: done.encoding,
              })}
            </p>
            {done.ignored_columns.length > 0 && <p class="muted small">{t("jrwaSource.ignored", { columns: done.ignored_columns.join(", ") })}</p>}
            {done.warnings.length > 0 && (
              <details>
                <summary>{t("jrwaSource.warnings", { n: done.warnings.length })}</summary>
                <ul>
                  {done.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </div>
    </section>
  );
}
