// Dokument: the page viewer beside the OCR text, and the review form: metadata prefilled from
// extraction (each suggestion marked, one click to accept), the JRWA class, the case (an
// existing one, or a new one with its generated sign), registration in the incoming register
// (RPW).
// Shortcuts: Alt+A accept all suggestions, Ctrl+S save, Ctrl+Enter save as reviewed and go to
// the next document in the inbox, Alt+N next document.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api";
import type { CaseView, DocumentView as Doc, FieldView, UnitView } from "../bindings";
import { ErrorBox } from "../components/ErrorBox";
import { JrwaPicker } from "../components/JrwaPicker";
import { PageViewer } from "../components/PageViewer";
import { History } from "../components/History";
import { RpwBox } from "../components/RpwBox";
import { RemoveBox } from "../components/RemoveBox";
import { formatDate, formatPercent, has, t } from "../i18n/i18n";
import { go, href } from "../router";
import { bump, useLibraryVersion } from "../store";

const ACCESS = ["publiczny", "niepubliczny", "wyłączony"];

export function DocumentView({ id, query, page }: { id: number; query: string; page: number }) {
  const v = useLibraryVersion();
  const [doc, setDoc] = useState<Doc | null>(null);
  const [values, setValuesState] = useState<Record<string, string>>({});
  // The form's values as of the last change, for handlers that run before the next render (a
  // quick Alt+A then Ctrl+Enter).
  const latest = useRef<Record<string, string>>({});
  const setValues = (next: Record<string, string>) => {
    latest.current = next;
    setValuesState(next);
  };
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [current, setCurrent] = useState(page || 1);

  const load = (keepEdits: boolean) =>
    api.document(id).then((d) => {
      setDoc(d);
      if (!keepEdits) {
        setValues(Object.fromEntries(d.fields.map((f) => [f.key, f.value ?? ""])));
        setDirty(false);
      }
    }, setError);

  useEffect(() => {
    setCurrent(page || 1);
    setError(null);
    setNotice("");
    load(false);
  }, [id]);
  // Library changes (OCR finishing a page) refresh the document but keep the clerk's edits.
  useEffect(() => {
    if (doc) load(dirty);
  }, [v]);

  const set = (key: string, value: string) => {
    setValues({ ...latest.current, [key]: value });
    setDirty(true);
  };
  const acceptAll = () => {
    if (!doc) return;
    const next = { ...latest.current };
    for (const f of doc.fields) if (f.suggestion) next[f.key] = f.suggestion.value;
    setValues(next);
    setDirty(true);
  };
  const changed = (values: Record<string, string>): [string, string][] =>
    doc
      ? doc.fields
          .filter((f) => (values[f.key] ?? "") !== (f.value ?? ""))
          .map((f) => [f.key, values[f.key] ?? ""])
      : [];
  const save = async (reviewed: boolean) => {
    if (!doc) return;
    try {
      const values = latest.current;
      const edits = changed(values);
      // Values read by the extractors (or taken from the file) that the clerk leaves as they are
      // are confirmed as theirs when saving; register values (RPW, case) keep their source.
      const confirm = doc.fields
        .filter((f) => f.value && (f.source === "extracted" || f.source === "import") && (values[f.key] ?? "") === f.value)
        .map((f): [string, string] => [f.key, f.value!]);
      const all = [...edits, ...confirm];
      const saved = all.length > 0 ? await api.saveMetadata(id, all) : doc;
      if (reviewed) await api.setReviewed([id], true);
      setDoc(saved);
      setValues(Object.fromEntries(saved.fields.map((f) => [f.key, f.value ?? ""])));
      setDirty(false);
      setError(null);
      setNotice(reviewed ? t("document.savedReviewed") : t("document.saved"));
      bump();
      if (reviewed) await nextDocument();
    } catch (e) {
      setError(e);
    }
  };
  const nextDocument = async () => {
    const inbox = await api.inbox(500);
    const next = inbox.items.find((i) => i.id !== id && i.id < id) ?? inbox.items.find((i) => i.id !== id);
    if (next) go("dokument", next.id);
    else go("skrzynka");
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && (e.key === "a" || e.key === "A")) {
        e.preventDefault();
        acceptAll();
      } else if (e.ctrlKey && e.key === "Enter") {
        e.preventDefault();
        save(true);
      } else if (e.ctrlKey && (e.key === "s" || e.key === "S")) {
        e.preventDefault();
        save(false);
      } else if (e.altKey && (e.key === "n" || e.key === "N")) {
        e.preventDefault();
        nextDocument();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  });

  const pageText = useMemo(() => doc?.pages.find((p) => p.number === current), [doc, current]);
  if (!doc) return error ? <ErrorBox error={error} /> : <p aria-busy="true">{t("common.loading")}</p>;
  const suggestions = doc.fields.filter((f) => f.suggestion).length;

  return (
    <section class="document" aria-labelledby="doc-title">
      <header class="view-header">
        <h1 id="doc-title">{doc.title || t("document.untitled")}</h1>
        <p class="muted">
          {doc.file_name} · {t("inbox.arrived", { when: formatDate(doc.created_at) })}
          {doc.reviewed && <span class="state ok"> · {t("document.reviewed")}</span>}
        </p>
      </header>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <p class="notice" role="status">
        {notice}
      </p>
      <div class="doc-grid">
        <div class="doc-pages">
          <PageViewer
            id={id}
            pages={doc.pages.length}
            page={current}
            onPage={(p) => setCurrent(Math.min(Math.max(1, p), doc.pages.length))}
            query={query}
            version={pageText?.text_source ?? ""}
          />
          <details class="ocr-text" open>
            <summary>{t("document.text", { page: current })}</summary>
            {pageText?.ocr_error ? (
              <p class="error">{t("document.ocrFailed", { reason: pageText.ocr_error })}</p>
            ) : pageText?.text_source === "awaiting_ocr" ? (
              <p class="muted">{t("document.ocrWaiting")}</p>
            ) : (
              <pre lang="pl">{pageText?.text}</pre>
            )}
          </details>
        </div>
        <form
          class="doc-form"
          aria-label={t("document.form")}
          onSubmit={(e) => {
            e.preventDefault();
            save(false);
          }}
        >
          <div class="toolbar">
            <button type="button" onClick={acceptAll} disabled={suggestions === 0} aria-keyshortcuts="Alt+A">
              {t("document.acceptAll", { n: suggestions })}
            </button>
          </div>
          {doc.fields
            .filter((f) => f.key !== "jrwa")
            .map((f) => (
              <Field key={f.key} field={f} value={values[f.key] ?? ""} onChange={(v) => set(f.key, v)} />
            ))}
          <JrwaPicker
            documentId={id}
            value={values.jrwa ?? ""}
            onChoose={(c) => set("jrwa", c.symbol)}
          />
          <p>
            {t("fields.jrwa")}: <strong>{values.jrwa || t("document.none")}</strong>
          </p>
          <CaseBox doc={doc} jrwa={values.jrwa ?? ""} onFiled={() => load(true)} onError={setError} />
          <RpwBox
            doc={doc}
            values={values}
            onRegistered={(number) => {
              setError(null);
              setNotice(t("rpw.registered", { number }));
              load(dirty);
              bump();
            }}
            onError={setError}
          />
          {doc.personal_masked && (
            <p>
              <button
                type="button"
                class="small"
                onClick={() => api.revealPersonal(id).then((d) => setDoc(d), setError)}
              >
                {t("history.reveal")}
              </button>
            </p>
          )}
          {doc.identifiers.length > 0 && (
            <details>
              <summary>{t("document.identifiers", { n: doc.identifiers.length })}</summary>
              <ul>
                {doc.identifiers.map(([field, value], i) => (
                  <li key={i}>
                    {t(`extracted.${field}`)}: {value}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <History key={doc.id} id={doc.id} onError={setError} />
          <RemoveBox
            doc={doc}
            onRemoved={() => {
              bump();
              go("skrzynka");
            }}
            onError={setError}
          />
          <div class="actions">
            <button type="submit" aria-keyshortcuts="Control+S">
              {t("document.save")}
            </button>
            <button type="button" class="primary" onClick={() => save(true)} aria-keyshortcuts="Control+Enter">
              {t("document.saveReviewed")}
            </button>
            <a href={href("skrzynka")}>{t("document.back")}</a>
          </div>
          <p class="muted small">{t("document.shortcuts")}</p>
        </form>
      </div>
    </section>
  );
}

function Field({ field, value, onChange }: { field: FieldView; value: string; onChange: (v: string) => void }) {
  const id = `field-${field.key}`;
  const hint = `${id}-hint`;
  const s = field.suggestion;
  return (
    <div class="field">
      <label for={id}>
        {t(`fields.${field.key}`)}
        {field.source === "clerk" && <span class="state ok small"> {t("document.confirmed")}</span>}
        {field.source && field.source !== "clerk" && (
          <span class="state wait small"> {t("document.fromSource", { source: has(`sources.${field.source}`) ? t(`sources.${field.source}`) : field.source })}</span>
        )}
      </label>
      {field.key === "dostep" ? (
        <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">—</option>
          {ACCESS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      ) : field.key === "opis" ? (
        <textarea id={id} value={value} rows={3} onInput={(e) => onChange(e.currentTarget.value)} />
      ) : (
        <input
          id={id}
          value={value}
          aria-describedby={s ? hint : undefined}
          placeholder={field.key === "data" ? "RRRR-MM-DD" : ""}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      )}
      {s && s.value !== value && (
        <div class="suggestion" id={hint}>
          <span>
            {t("document.suggested")}: <mark>{s.value}</mark> ({formatPercent(s.confidence ?? 0)},{" "}
            {t("document.onPage", { page: s.page })})
          </span>
          <button type="button" class="small" onClick={() => onChange(s.value)} aria-label={t("document.acceptField", { field: t(`fields.${field.key}`), value: s.value })}>
            {t("document.accept")}
          </button>
        </div>
      )}
    </div>
  );
}

function CaseBox({
  doc,
  jrwa,
  onFiled,
  onError,
}: {
  doc: Doc;
  jrwa: string;
  onFiled: () => void;
  onError: (e: unknown) => void;
}) {
  const [cases, setCases] = useState<CaseView[]>([]);
  const [units, setUnits] = useState<UnitView[]>([]);
  const [sign, setSign] = useState("");
  const [unit, setUnit] = useState("");
  const [title, setTitle] = useState(doc.title);
  const [created, setCreated] = useState<string | null>(null);

  useEffect(() => {
    api.units().then((u) => {
      setUnits(u);
      if (u.length > 0 && !unit) setUnit(u[0].code);
    }, onError);
  }, []);
  useEffect(() => {
    if (!jrwa) {
      setCases([]);
      return;
    }
    api.cases(jrwa, null, true).then(setCases, () => setCases([]));
  }, [jrwa, created]);

  const file = async (s: string) => {
    try {
      await api.addToCase(s, [doc.id]);
      onFiled();
      bump();
    } catch (e) {
      onError(e);
    }
  };
  const open = async () => {
    try {
      const c = await api.newCase(unit, jrwa, title, null);
      setCreated(c.sign);
      await file(c.sign);
    } catch (e) {
      onError(e);
    }
  };

  return (
    <fieldset class="case">
      <legend>{t("case.title")}</legend>
      {doc.cases.length > 0 && (
        <p>
          {t("case.filedIn")}: <strong>{doc.cases.join(", ")}</strong>
        </p>
      )}
      {created && (
        <p class="state ok" role="status">
          {t("case.created", { sign: created })}
        </p>
      )}
      {!jrwa ? (
        <p class="muted">{t("case.chooseJrwaFirst")}</p>
      ) : (
        <>
          <label for="case-sign">{t("case.existing")}</label>
          <div class="inline">
            <select id="case-sign" value={sign} onChange={(e) => setSign(e.currentTarget.value)}>
              <option value="">{t("case.pick", { n: cases.length })}</option>
              {cases.map((c) => (
                <option key={c.sign} value={c.sign}>
                  {c.sign} — {c.title}
                </option>
              ))}
            </select>
            <button type="button" disabled={!sign} onClick={() => file(sign)}>
              {t("case.add")}
            </button>
          </div>
          <details>
            <summary>{t("case.new")}</summary>
            {units.length === 0 ? (
              <p class="muted">
                {t("case.noUnits")} <a href={href("ustawienia")}>{t("nav.settings")}</a>
              </p>
            ) : (
              <>
                <label for="case-unit">{t("case.unit")}</label>
                <select id="case-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
                  {units.map((u) => (
                    <option key={u.code} value={u.code}>
                      {u.code} — {u.name}
                    </option>
                  ))}
                </select>
                <label for="case-title">{t("case.caseTitle")}</label>
                <input id="case-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
                <button type="button" onClick={open} disabled={!title.trim()}>
                  {t("case.open", { jrwa })}
                </button>
              </>
            )}
          </details>
        </>
      )}
    </fieldset>
  );
}
