// A record's history from the audit log, in the Dokument view: who did what to it and when
// (imported, OCRed, metadata changed with the old and new values, filed, registered, sent to
// the EZD, exported), read when the clerk opens it.
import { useState } from "preact/hooks";
import { api } from "../api";
import type { Entry } from "../bindings";
import { formatDate, t } from "../i18n/i18n";

/** The particulars worth a line: a changed value as "key: old → new", else the pairs. */
function particulars(details: string): string {
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(details);
  } catch {
    return details;
  }
  const text = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
  if ("key" in d) return `${text(d.key)}: ${text(d.old)} → ${text(d.new)}`;
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${text(v)}`)
    .join(", ");
}

export function History({ id, onError }: { id: number; onError: (e: unknown) => void }) {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const load = async () => {
    try {
      setEntries(await api.documentHistory(id));
    } catch (e) {
      onError(e);
    }
  };
  return (
    <details
      class="history"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void load();
      }}
    >
      <summary>{t("history.title")}</summary>
      {entries === null ? (
        <p class="muted small">{t("history.loading")}</p>
      ) : entries.length === 0 ? (
        <p class="muted small">{t("history.empty")}</p>
      ) : (
        <ol class="history-list">
          {entries.map((e) => (
            <li key={e.seq}>
              <span class="muted small">{formatDate(e.at)}</span> <strong>{t(`history.actions.${e.action.replace(/\./g, "_")}`)}</strong>{" "}
              <span class="muted small">({e.operator})</span>
              {particulars(e.details) && <div class="small">{particulars(e.details)}</div>}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
