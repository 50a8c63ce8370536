// Wyszukiwanie: results as one types (any inflected form, with or without Polish letters),
// highlighted snippets, facets (year, kind, JRWA, sender, format) that add a filter to the
// query, sorting (relevance, newest, oldest) and paging. Opening a hit shows its page with the
// words highlighted.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import type { FacetCount, SearchView as Results, SortOrder } from "../bindings";
import { ErrorBox } from "../components/ErrorBox";
import { formatNumber, t } from "../i18n/i18n";
import { href } from "../router";
import { recordSearch } from "../perf";
import { useLibraryVersion } from "../store";

const PAGE = 20;
const SORTS: SortOrder[] = ["relevance", "newest", "oldest"];

export function SearchView({ initial }: { initial: string }) {
  const v = useLibraryVersion();
  const [query, setQuery] = useState(initial);
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<SortOrder>("relevance");
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const seq = useRef(0);
  const typedAt = useRef<number | null>(null);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const q = query.trim();
    // The query goes into the address (for Back and reopening), unless the clerk has already
    // moved on to another view.
    if (location.hash.startsWith(href("szukaj"))) history.replaceState(null, "", href("szukaj", null, q ? { q } : undefined));
    if (!q) {
      setResults(null);
      setError(null);
      return;
    }
    // No debounce: a search takes a few milliseconds even at 100,000 documents; answers that
    // come back after a newer keystroke are dropped.
    const mine = ++seq.current;
    api.search(q, PAGE, offset, sort).then(
      (r) => {
        if (mine !== seq.current) return;
        setResults(r);
        setError(null);
      },
      (e) => mine === seq.current && setError(e),
    );
  }, [query, offset, sort, v]);
  useEffect(() => {
    if (results && typedAt.current !== null) {
      const t0 = typedAt.current;
      typedAt.current = null;
      requestAnimationFrame(() => recordSearch(performance.now() - t0));
    }
  }, [results]);

  const addFilter = (key: string, value: string) => {
    const part = `${key}:${/\s/.test(value) ? `"${value}"` : value}`;
    if (!query.includes(part)) setQuery(`${query.trim()} ${part}`.trim());
    setOffset(0);
  };

  return (
    <section aria-labelledby="search-title">
      <header class="view-header">
        <h1 id="search-title">{t("search.title")}</h1>
      </header>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label for="search-input" class="visually-hidden">
          {t("search.label")}
        </label>
        <input
          id="search-input"
          ref={input}
          type="search"
          class="big"
          value={query}
          placeholder={t("search.placeholder")}
          aria-describedby="search-help"
          onInput={(e) => {
            typedAt.current = performance.now();
            setQuery(e.currentTarget.value);
            setOffset(0);
          }}
        />
        <p id="search-help" class="muted small">
          {t("search.help")}
        </p>
      </form>
      <ErrorBox error={error} />
      {!query.trim() && <p class="muted">{t("search.start")}</p>}
      {results && (
        <div class="search-grid">
          <aside aria-label={t("search.facets")}>
            <Facet title={t("search.year")} values={results.years} onPick={(v) => addFilter("rok", v)} />
            <Facet title={t("search.kind")} values={results.kinds} onPick={(v) => addFilter("rodzaj", v)} />
            <Facet title={t("search.jrwa")} values={results.jrwa} onPick={(v) => addFilter("jrwa", v)} />
            <Facet title={t("search.sender")} values={results.senders} onPick={(v) => addFilter("nadawca", v)} />
            <Facet title={t("search.format")} values={results.formats} onPick={(v) => addFilter("format", v)} />
          </aside>
          <div>
            <div class="results-bar">
              <p role="status" class="muted">
                {t("search.count", { n: results.total, ms: formatNumber(results.millis ?? 0, 1) })}
                {results.fuzzy && ` ${t("search.fuzzy")}`}
              </p>
              <label for="search-sort">{t("search.sort")}</label>
              <select
                id="search-sort"
                value={sort}
                onChange={(e) => {
                  setSort(e.currentTarget.value as SortOrder);
                  setOffset(0);
                }}
              >
                {SORTS.map((o) => (
                  <option key={o} value={o}>
                    {t(`search.sorts.${o}`)}
                  </option>
                ))}
              </select>
            </div>
            {results.total === 0 ? (
              <p>{t("search.nothing")}</p>
            ) : (
              <ol class="hits" start={offset + 1}>
                {results.hits.map((h) => (
                  <li key={h.id}>
                    <a href={href("dokument", h.id, { q: query.trim() })} class="title">
                      {h.title || t("document.untitled")}
                    </a>
                    {/* The snippet is HTML-escaped by the core except for its <b> marks. */}
                    <p class="snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />
                  </li>
                ))}
              </ol>
            )}
            <nav class="pager" aria-label={t("search.pages")}>
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                {t("search.previous")}
              </button>
              <button
                type="button"
                disabled={offset + PAGE >= results.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                {t("search.next")}
              </button>
            </nav>
          </div>
        </div>
      )}
    </section>
  );
}

function Facet({ title, values, onPick }: { title: string; values: FacetCount[]; onPick: (v: string) => void }) {
  if (values.length === 0) return null;
  return (
    <section class="facet">
      <h2>{title}</h2>
      <ul>
        {values.slice(0, 12).map((f) => (
          <li key={f.value}>
            <button type="button" class="link" onClick={() => onPick(f.value)}>
              {f.value} <span class="muted">({formatNumber(f.count)})</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
