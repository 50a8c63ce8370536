// Removing a document: only with a reason, which the audit log keeps. Shown only for a document
// in no case and not registered in the RPW (the core refuses those too: they go with their case
// through brakowanie).
import { useState } from "preact/hooks";
import { api } from "../api";
import type { DocumentView } from "../bindings";
import { t } from "../i18n/i18n";

export function RemoveBox({ doc, onRemoved, onError }: { doc: DocumentView; onRemoved: () => void; onError: (e: unknown) => void }) {
  const [reason, setReason] = useState("");
  if (doc.cases.length > 0 || doc.rpw.length > 0) return null;
  return (
    <details class="remove">
      <summary>{t("document.remove")}</summary>
      <p class="muted small">{t("document.removeHelp")}</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.removeDocument(doc.id, reason);
            onRemoved();
          } catch (err) {
            onError(err);
          }
        }}
      >
        <div class="field">
          <label for="remove-reason">{t("document.removeReason")}</label>
          <input id="remove-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <button type="submit" class="danger" disabled={reason.trim().length < 3}>
          {t("document.removeConfirm")}
        </button>
      </form>
    </details>
  );
}
