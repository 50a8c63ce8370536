// Choosing a JRWA class: the suggestions for the document, and search by symbol or words of
// the heading as one types. Only end classes (without sub-classes) can be chosen.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { JrwaClassView } from "../bindings";
import { formatPercent, t } from "../i18n/i18n";

export function JrwaPicker({
  documentId,
  value,
  onChoose,
}: {
  documentId: number;
  value: string;
  onChoose: (c: JrwaClassView) => void;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<JrwaClassView[]>([]);
  const [suggested, setSuggested] = useState<JrwaClassView[]>([]);

  useEffect(() => {
    api.jrwaSuggest(documentId).then(setSuggested, () => setSuggested([]));
  }, [documentId]);
  useEffect(() => {
    if (!query.trim()) {
      setFound([]);
      return;
    }
    const timer = setTimeout(() => api.jrwaSearch(query).then(setFound, () => setFound([])), 120);
    return () => clearTimeout(timer);
  }, [query]);

  const row = (c: JrwaClassView, suggestion: boolean) => (
    <li key={c.symbol}>
      <button
        type="button"
        class={c.symbol === value ? "choice chosen" : "choice"}
        disabled={!c.is_end}
        aria-pressed={c.symbol === value}
        onClick={() => onChoose(c)}
      >
        <span class="symbol">{c.symbol}</span> {c.heading}
        {c.category && <span class="tag">{c.category}</span>}
        {suggestion && <span class="muted small"> {formatPercent(c.score ?? 0)}</span>}
      </button>
    </li>
  );

  return (
    <fieldset class="jrwa">
      <legend>{t("jrwa.title")}</legend>
      {suggested.length > 0 && (
        <>
          <h4 id="jrwa-suggested">{t("jrwa.suggested")}</h4>
          <ul class="choices" aria-labelledby="jrwa-suggested">
            {suggested.map((c) => row(c, true))}
          </ul>
        </>
      )}
      <label for="jrwa-query">{t("jrwa.search")}</label>
      <input
        id="jrwa-query"
        type="search"
        value={query}
        placeholder={t("jrwa.placeholder")}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      {query.trim() && found.length === 0 && <p class="muted">{t("jrwa.none")}</p>}
      {found.length > 0 && (
        <ul class="choices" aria-label={t("jrwa.results")}>
          {found.map((c) => row(c, false))}
        </ul>
      )}
    </fieldset>
  );
}
