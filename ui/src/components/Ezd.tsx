// The EZD RP: the connection's settings in Ustawienia (addresses, entity, key id, SID; the API
// key is asked for each time it is set and never shown again, since it is kept outside the
// library), and the outbox in Rejestry (each letter's state, the step it is at, the EZD's RPW
// number, the EZD's reason when it refused it; send now; send a refused letter again).
import { useEffect, useState } from "preact/hooks";
import { api, events } from "../api";
import type { EzdSettings, OutboxChanged, OutboxItem } from "../bindings";
import { formatDate, t } from "../i18n/i18n";
import { useShellState } from "../store";
import { EmptyState, ErrorBox } from "./ErrorBox";

function useOutbox(): [OutboxChanged | null, (v: OutboxChanged) => void] {
  return useShellState(api.ezdOutbox, events.outboxChanged);
}

const EMPTY: EzdSettings = { api_url: "", sso_url: "", pid: "", aki: "", sid: "", ca_file: null, timeout_seconds: 60 };
const FIELDS: [Exclude<keyof EzdSettings, "timeout_seconds">, string][] = [
  ["api_url", "https://ezd.example.gov.pl"],
  ["sso_url", "https://sso.example.gov.pl"],
  ["pid", ""],
  ["aki", ""],
  ["sid", ""],
  ["ca_file", "/etc/ssl/certs/ca-powiatu.pem"],
];

export function EzdConnection() {
  const [outbox, setOutbox] = useOutbox();
  const [form, setForm] = useState<EzdSettings>(EMPTY);
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [drop, setDrop] = useState("");
  const current = outbox?.settings ?? null;
  useEffect(() => {
    if (outbox?.drop_folder) setDrop(outbox.drop_folder);
  }, [outbox?.drop_folder]);

  const saveDrop = async (e: Event) => {
    e.preventDefault();
    try {
      setOutbox(await api.setEzdDropFolder(drop));
      setError(null);
      setSaved(true);
    } catch (err) {
      setSaved(false);
      setError(err);
    }
  };
  useEffect(() => {
    if (current) setForm(current);
  }, [current?.api_url, current?.pid, current?.aki, current?.sid, current?.sso_url, current?.ca_file]);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      setOutbox(await api.configureEzd({ ...form, ca_file: form.ca_file?.trim() || null }, key));
      setKey("");
      setError(null);
      setSaved(true);
    } catch (err) {
      setSaved(false);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings-block" aria-labelledby="ezd-title">
      <h2 id="ezd-title">{t("ezd.title")}</h2>
      <p class="muted small">{t("ezd.what")}</p>
      <p role="status">
        {current
          ? t("ezd.configured", { url: current.api_url })
          : outbox?.drop_folder
            ? t("ezd.dropConfigured", { folder: outbox.drop_folder })
            : t("ezd.notConfigured")}
      </p>
      <form class="ezd-form" onSubmit={save}>
        {FIELDS.map(([field, placeholder]) => (
          <div class="field" key={field}>
            <label for={`ezd-${field}`}>{t(`ezd.fields.${field}`)}</label>
            <input
              id={`ezd-${field}`}
              value={form[field] ?? ""}
              placeholder={placeholder}
              required={field !== "ca_file"}
              onInput={(e) => setForm({ ...form, [field]: e.currentTarget.value })}
            />
          </div>
        ))}
        <div class="field">
          <label for="ezd-key">{t("ezd.fields.key")}</label>
          <input
            id="ezd-key"
            type="password"
            autocomplete="off"
            required
            value={key}
            aria-describedby="ezd-key-help"
            onInput={(e) => setKey(e.currentTarget.value)}
          />
          <p id="ezd-key-help" class="muted small">
            {t("ezd.keyHelp")}
          </p>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t("ezd.save")}
        </button>
      </form>
      <details class="ezd-drop">
        <summary>{t("ezd.dropTitle")}</summary>
        <p class="muted small">{t("ezd.dropWhat")}</p>
        <form class="ezd-form" onSubmit={saveDrop}>
          <div class="field">
            <label for="ezd-drop">{t("ezd.dropFolder")}</label>
            <input id="ezd-drop" required value={drop} placeholder="/mnt/ezd/wplywy" onInput={(e) => setDrop(e.currentTarget.value)} />
          </div>
          <button type="submit">{t("ezd.dropSave")}</button>
        </form>
      </details>
      {saved && <p role="status">{t("ezd.saved")}</p>}
      <ErrorBox error={error} onClose={() => setError(null)} />
    </section>
  );
}

/** The outbox, as a tab of Rejestry. */
export function EzdOutbox() {
  const [outbox, setOutbox] = useOutbox();
  const [error, setError] = useState<unknown>(null);
  const items = outbox?.items ?? [];

  const sendNow = async () => {
    try {
      await api.sendToEzdNow();
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const again = async (item: OutboxItem) => {
    try {
      setOutbox(await api.queueForEzd(item.local_number));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  if (outbox && !outbox.settings && !outbox.drop_folder) {
    return (
      <EmptyState title={t("ezd.notConfigured")}>
        <p>{t("ezd.setUpFirst")}</p>
      </EmptyState>
    );
  }
  return (
    <>
      <div class="toolbar">
        <button type="button" class="primary" onClick={sendNow} disabled={outbox?.sending}>
          {outbox?.sending ? t("ezd.sending") : t("ezd.sendNow")}
        </button>
        {outbox?.stopped && (
          <p class="warning" role="alert">
            {t("ezd.stopped", { why: outbox.stopped })}
          </p>
        )}
      </div>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {items.length === 0 ? (
        <EmptyState title={t("ezd.empty")}>
          <p>{t("ezd.emptyText")}</p>
        </EmptyState>
      ) : (
        <table>
          <caption class="visually-hidden">{t("ezd.outbox")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("ezd.local")}</th>
              <th scope="col">{t("ezd.state")}</th>
              <th scope="col">{t("ezd.ezdNumber")}</th>
              <th scope="col">{t("ezd.ezdCase")}</th>
              <th scope="col">{t("ezd.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.local_number}>
                <td>{i.local_number}</td>
                <td>
                  {t(`ezd.states.${i.state}`)}
                  {(i.state === "queued" || i.state === "sending") && (
                    <span class="muted small">
                      {" "}
                      — {t(`ezd.steps.${i.step}`)}
                      {(i.step === 0 || i.step === 2) && i.files_total > 1 && ` (${t("ezd.fileOf", { n: i.step === 0 ? 1 : Math.min(i.files_sent + 2, i.files_total), total: i.files_total })})`}
                      {i.check_first && ` (${t("ezd.checking")})`}
                    </span>
                  )}
                  {i.delivered_at && <span class="muted small"> {formatDate(i.delivered_at)}</span>}
                </td>
                <td>{i.rpw_number ?? (i.package ? t("ezd.inPackage", { p: i.package }) : "—")}</td>
                <td>{i.case_sign ?? "—"}</td>
                <td>
                  {i.error ?? ""}
                  {i.state === "rejected" && (
                    <button type="button" class="small" onClick={() => again(i)} aria-label={t("ezd.againLabel", { n: i.local_number })}>
                      {t("ezd.again")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
