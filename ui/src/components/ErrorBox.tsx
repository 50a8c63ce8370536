// An error as a clerk reads it: what happened (translated from its code) and, below, the exact
// item and reason the core gave.
import { UiError } from "../api";
import { t } from "../i18n/i18n";

export function ErrorBox({ error, onClose }: { error: unknown; onClose?: () => void }) {
  if (!error) return null;
  const e = error instanceof UiError ? error : new UiError("unknown", String(error));
  return (
    <div class="error" role="alert">
      <strong>{e.title}</strong>
      <p class="detail">{e.detail}</p>
      {onClose && (
        <button type="button" class="link" onClick={onClose}>
          {t("common.close")}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: preact.ComponentChildren }) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
