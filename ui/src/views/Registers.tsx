// Rejestry: the spis spraw (cases by JRWA class and year) and the incoming register (RPW).
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { CaseView, RpwView } from "../bindings";
import { EmptyState, ErrorBox } from "../components/ErrorBox";
import { formatDate, t } from "../i18n/i18n";
import { href } from "../router";
import { useLibraryVersion } from "../store";

export function RegistersView() {
  const v = useLibraryVersion();
  const [tab, setTab] = useState<"cases" | "rpw">("cases");
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [rpw, setRpw] = useState<RpwView[] | null>(null);
  const [year, setYear] = useState<string>("");
  const [jrwa, setJrwa] = useState("");
  const [openOnly, setOpenOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const y = /^\d{4}$/.test(year) ? Number(year) : null;
  useEffect(() => {
    api.cases(jrwa.trim() || null, y, openOnly).then(setCases, setError);
    api.rpwList(y).then(setRpw, setError);
  }, [v, year, jrwa, openOnly]);

  return (
    <section aria-labelledby="reg-title">
      <header class="view-header">
        <h1 id="reg-title">{t("registers.title")}</h1>
      </header>
      <div role="tablist" aria-label={t("registers.title")} class="tabs">
        <button role="tab" id="tab-cases" aria-selected={tab === "cases"} aria-controls="panel-cases" onClick={() => setTab("cases")}>
          {t("registers.cases")}
        </button>
        <button role="tab" id="tab-rpw" aria-selected={tab === "rpw"} aria-controls="panel-rpw" onClick={() => setTab("rpw")}>
          {t("registers.rpw")}
        </button>
      </div>
      <div class="toolbar">
        <label for="reg-year">{t("registers.year")}</label>
        <input id="reg-year" inputMode="numeric" size={6} value={year} onInput={(e) => setYear(e.currentTarget.value)} />
        {tab === "cases" && (
          <>
            <label for="reg-jrwa">{t("registers.jrwa")}</label>
            <input id="reg-jrwa" size={8} value={jrwa} onInput={(e) => setJrwa(e.currentTarget.value)} />
            <label class="check">
              <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.currentTarget.checked)} />
              {t("registers.openOnly")}
            </label>
          </>
        )}
      </div>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {tab === "cases" ? (
        <div role="tabpanel" id="panel-cases" aria-labelledby="tab-cases">
          {cases && cases.length === 0 ? (
            <EmptyState title={t("registers.noCases")}>
              <p>{t("registers.noCasesText")}</p>
            </EmptyState>
          ) : (
            <table>
              <caption class="visually-hidden">{t("registers.cases")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("registers.sign")}</th>
                  <th scope="col">{t("registers.caseTitle")}</th>
                  <th scope="col">{t("registers.category")}</th>
                  <th scope="col">{t("registers.opened")}</th>
                  <th scope="col">{t("registers.closed")}</th>
                </tr>
              </thead>
              <tbody>
                {cases?.map((c) => (
                  <tr key={c.sign}>
                    <td>
                      <a href={href("szukaj", null, { q: `znak:${c.sign}` })}>{c.sign}</a>
                    </td>
                    <td>{c.title}</td>
                    <td>{c.category}</td>
                    <td>{formatDate(c.opened_on)}</td>
                    <td>{c.closed_on ? formatDate(c.closed_on) : t("registers.open")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : (
        <div role="tabpanel" id="panel-rpw" aria-labelledby="tab-rpw">
          {rpw && rpw.length === 0 ? (
            <EmptyState title={t("registers.noRpw")}>
              <p>{t("registers.noRpwText")}</p>
            </EmptyState>
          ) : (
            <table>
              <caption class="visually-hidden">{t("registers.rpw")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("registers.number")}</th>
                  <th scope="col">{t("registers.received")}</th>
                  <th scope="col">{t("registers.sender")}</th>
                  <th scope="col">{t("registers.caseTitle")}</th>
                  <th scope="col">{t("registers.case")}</th>
                </tr>
              </thead>
              <tbody>
                {rpw?.map((r) => (
                  <tr key={r.number}>
                    <td>
                      {r.document_id !== null ? <a href={href("dokument", r.document_id)}>{r.number}</a> : r.number}
                    </td>
                    <td>{formatDate(r.received_on)}</td>
                    <td>{r.sender}</td>
                    <td>{r.title}</td>
                    <td>{r.case_sign ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
