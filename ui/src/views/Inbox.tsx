// Skrzynka: documents that came in and await review, newest first, with a thumbnail, the OCR
// state and how sure the extractors were; select several for bulk actions.
import { useEffect, useState } from "preact/hooks";
import { api, pageUrl } from "../api";
import type { Inbox, InboxItem } from "../bindings";
import { EmptyState, ErrorBox } from "../components/ErrorBox";
import { formatDate, formatNumber, formatPercent, t } from "../i18n/i18n";
import { href } from "../router";
import { markInteractive } from "../perf";
import { bump, useLibraryVersion } from "../store";

const LIMIT = 500;

export function InboxView() {
  const v = useLibraryVersion();
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [caseSign, setCaseSign] = useState("");
  const [notice, setNotice] = useState("");

  useEffect(() => {
    api.inbox(LIMIT).then(
      (i) => {
        setInbox(i);
        markInteractive();
        setError(null);
        setSelected((s) => new Set([...s].filter((id) => i.items.some((it) => it.id === id))));
      },
      setError,
    );
  }, [v]);

  const toggle = (id: number) => {
    const s = new Set(selected);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    setSelected(s);
  };
  const all = inbox !== null && inbox.items.length > 0 && selected.size === inbox.items.length;

  const markReviewed = async () => {
    try {
      const n = selected.size;
      await api.setReviewed([...selected], true);
      setSelected(new Set());
      setNotice(t("inbox.markedReviewed", { n }));
      bump();
    } catch (e) {
      setError(e);
    }
  };
  const fileInCase = async (e: Event) => {
    e.preventDefault();
    try {
      await api.addToCase(caseSign, [...selected]);
      setNotice(t("inbox.filed", { n: selected.size, sign: caseSign.trim() }));
      bump();
    } catch (err) {
      setError(err);
    }
  };

  if (error && !inbox) return <ErrorBox error={error} />;
  if (!inbox) return <p aria-busy="true">{t("common.loading")}</p>;
  return (
    <section aria-labelledby="inbox-title">
      <header class="view-header">
        <h1 id="inbox-title">{t("inbox.title")}</h1>
        <p class="muted">{t("inbox.count", { n: inbox.total })}</p>
      </header>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <p class="notice" role="status">
        {notice}
      </p>
      {inbox.items.length === 0 ? (
        <EmptyState title={t("inbox.emptyTitle")}>
          <p>{t("inbox.emptyText")}</p>
          <a class="button" href={href("import")}>
            {t("inbox.goImport")}
          </a>
        </EmptyState>
      ) : (
        <>
          <div class="toolbar" role="toolbar" aria-label={t("inbox.bulk")}>
            <label class="check">
              <input
                type="checkbox"
                checked={all}
                onChange={() =>
                  setSelected(all ? new Set() : new Set(inbox.items.map((i) => i.id)))
                }
              />
              {t("inbox.selectAll")}
            </label>
            <button type="button" disabled={selected.size === 0} onClick={markReviewed}>
              {t("inbox.markReviewed", { n: selected.size })}
            </button>
            <form class="inline" onSubmit={fileInCase}>
              <label for="bulk-case">{t("inbox.caseSign")}</label>
              <input
                id="bulk-case"
                value={caseSign}
                placeholder="OR.0012.3.2026"
                onInput={(e) => setCaseSign(e.currentTarget.value)}
              />
              <button type="submit" disabled={selected.size === 0 || !caseSign.trim()}>
                {t("inbox.fileInCase")}
              </button>
            </form>
          </div>
          <ul class="cards" aria-label={t("inbox.list")}>
            {inbox.items.map((item) => (
              <Card key={item.id} item={item} checked={selected.has(item.id)} onToggle={toggle} />
            ))}
          </ul>
          {inbox.total > inbox.items.length && (
            <p class="muted">{t("inbox.more", { n: inbox.total - inbox.items.length })}</p>
          )}
        </>
      )}
    </section>
  );
}

function ocrState(item: InboxItem): { text: string; cls: string } {
  if (item.pages_failed > 0) return { text: t("inbox.ocrFailed", { n: item.pages_failed }), cls: "bad" };
  if (item.pages_awaiting_ocr > 0)
    return { text: t("inbox.ocrWaiting", { n: item.pages_awaiting_ocr }), cls: "wait" };
  if (item.ocr_confidence !== null)
    return { text: t("inbox.ocrDone", { c: formatNumber(item.ocr_confidence) }), cls: "ok" };
  return { text: t("inbox.textLayer"), cls: "ok" };
}

function Card({
  item,
  checked,
  onToggle,
}: {
  item: InboxItem;
  checked: boolean;
  onToggle: (id: number) => void;
}) {
  const ocr = ocrState(item);
  const titleId = `doc-${item.id}-title`;
  return (
    <li class={`card${checked ? " selected" : ""}`}>
      <input
        type="checkbox"
        class="pick"
        checked={checked}
        aria-labelledby={titleId}
        onChange={() => onToggle(item.id)}
      />
      <img class="thumb" src={pageUrl(item.id, 1, 240)} alt="" loading="lazy" width={120} height={170} />
      <div class="card-body">
        <a id={titleId} class="title" href={href("dokument", item.id)}>
          {item.title || t("document.untitled")}
        </a>
        <div class="meta">
          {item.kind && <span class="tag">{item.kind}</span>}
          {item.doc_date && <span>{formatDate(item.doc_date)}</span>}
          <span>{t("inbox.pages", { n: item.pages })}</span>
        </div>
        <div class="meta">
          <span class={`state ${ocr.cls}`}>{ocr.text}</span>
          {item.suggestions > 0 && item.min_confidence !== null && (
            <span class={item.min_confidence < 0.7 ? "state wait" : "state ok"}>
              {t("inbox.suggestions", {
                n: item.suggestions,
                c: formatPercent(item.min_confidence),
              })}
            </span>
          )}
        </div>
        <div class="muted small">{t("inbox.arrived", { when: formatDate(item.created_at) })}</div>
      </div>
    </li>
  );
}
