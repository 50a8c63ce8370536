// Rejestry: the spis spraw (cases by JRWA class and year, each open one closable), the incoming
// register (RPW), and the retention list: closed cases whose records are due for destruction,
// the state archive's review, or transfer on a chosen day.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { CaseView, RetentionView, RpwView } from "../bindings";
import { useOperators } from "../components/Operators";
import { EmptyState, ErrorBox } from "../components/ErrorBox";
import { EzdOutbox } from "../components/Ezd";
import { formatDate, isoToday, t } from "../i18n/i18n";
import { href } from "../router";
import { bump, useLibraryVersion } from "../store";

type Tab = "cases" | "rpw" | "retention" | "ezd";
const ACTIONS = ["destroy", "review", "transfer", "set period"];

export function RegistersView() {
  const v = useLibraryVersion();
  const [tab, setTab] = useState<Tab>("cases");
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [rpw, setRpw] = useState<RpwView[] | null>(null);
  const [year, setYear] = useState<string>("");
  const [jrwa, setJrwa] = useState("");
  const [openOnly, setOpenOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [retention, setRetention] = useState<RetentionView[] | null>(null);
  const [on, setOn] = useState(isoToday());
  const [action, setAction] = useState("");
  const [closing, setClosing] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const role = useOperators()?.signed_in?.role;
  const [approval, setApproval] = useState("");

  const y = /^\d{4}$/.test(year) ? Number(year) : null;
  // An answer to an older request (the filter or day changed since) is dropped, not shown.
  useEffect(() => {
    let live = true;
    const keep = <T,>(set: (v: T) => void) => (v: T) => live && set(v);
    api.cases(jrwa.trim() || null, y, openOnly).then(keep(setCases), keep(setError));
    api.rpwList(y).then(keep(setRpw), keep(setError));
    return () => {
      live = false;
    };
  }, [v, year, jrwa, openOnly]);
  useEffect(() => {
    let live = true;
    if (tab === "retention") api.retentionDue(on || null).then((r) => live && setRetention(r), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [v, tab, on]);

  const close = async (sign: string) => {
    if (closing !== sign) {
      setClosing(sign);
      return;
    }
    try {
      await api.closeCase(sign, null);
      setClosing(null);
      setError(null);
      setNotice(t("registers.closedCase", { sign }));
      bump();
    } catch (e) {
      setError(e);
    }
  };
  const tabButton = (id: Tab, label: string) => (
    <button role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} onClick={() => setTab(id)}>
      {label}
    </button>
  );
  const shown = retention?.filter((r) => !action || r.action === action) ?? null;
  const destroyable = (r: RetentionView) => r.action === "destroy" || r.action === "review";
  const destroy = async () => {
    try {
      const documents = await api.destroyCases(chosen, approval, on || null);
      setNotice(t("registers.destroyed", { cases: chosen.length, documents }));
      setChosen([]);
      setError(null);
      bump();
    } catch (e) {
      setNotice("");
      setError(e);
    }
  };

  return (
    <section aria-labelledby="reg-title">
      <header class="view-header">
        <h1 id="reg-title">{t("registers.title")}</h1>
      </header>
      <div role="tablist" aria-label={t("registers.title")} class="tabs">
        {tabButton("cases", t("registers.cases"))}
        {tabButton("rpw", t("registers.rpw"))}
        {tabButton("retention", t("registers.retention"))}
        {tabButton("ezd", t("ezd.outbox"))}
      </div>
      {tab !== "ezd" && (
      <div class="toolbar">
        {tab === "retention" ? (
          <>
            <label for="ret-on">{t("registers.retentionOn")}</label>
            <input id="ret-on" type="date" value={on} onInput={(e) => setOn(e.currentTarget.value)} />
            <label for="ret-action">{t("registers.action")}</label>
            <select id="ret-action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
              <option value="">{t("registers.allActions")}</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`registers.actions.${a}`)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <>
            <label for="reg-year">{t("registers.year")}</label>
            <input id="reg-year" inputMode="numeric" size={6} value={year} onInput={(e) => setYear(e.currentTarget.value)} />
          </>
        )}
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
      )}
      <ErrorBox error={error} onClose={() => setError(null)} />
      <p class="notice" role="status">
        {notice}
      </p>
      {tab === "ezd" ? (
        <div role="tabpanel" id="panel-ezd" aria-labelledby="tab-ezd">
          <EzdOutbox />
        </div>
      ) : tab === "retention" ? (
        <div role="tabpanel" id="panel-retention" aria-labelledby="tab-retention">
          {shown && shown.length === 0 ? (
            <EmptyState title={t("registers.noRetention")}>
              <p>{t("registers.noRetentionText")}</p>
            </EmptyState>
          ) : (
            <table>
              <caption class="visually-hidden">{t("registers.retention")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("registers.sign")}</th>
                  <th scope="col">{t("registers.caseTitle")}</th>
                  <th scope="col">{t("registers.category")}</th>
                  <th scope="col">{t("registers.closed")}</th>
                  <th scope="col">{t("registers.action")}</th>
                  <th scope="col">{t("registers.dueFrom")}</th>
                  <th scope="col">{t("registers.brakowanie")}</th>
                </tr>
              </thead>
              <tbody>
                {shown?.map((r) => (
                  <tr key={r.sign}>
                    <td>
                      <a href={href("szukaj", null, { q: `znak:${r.sign}` })}>{r.sign}</a>
                    </td>
                    <td>{r.title}</td>
                    <td>
                      {r.category}
                      {r.category_to_verify && <span class="state wait small"> ({t("registers.toVerify")})</span>}
                    </td>
                    <td>{formatDate(r.closed_on)}</td>
                    <td>{t(`registers.actions.${r.action}`)}</td>
                    <td>{r.due_from ? formatDate(r.due_from) : "—"}</td>
                    <td>
                      {destroyable(r) && (
                        <input
                          type="checkbox"
                          aria-label={t("registers.choose", { sign: r.sign })}
                          checked={chosen.includes(r.sign)}
                          onChange={(e) =>
                            setChosen(e.currentTarget.checked ? [...chosen, r.sign] : chosen.filter((c) => c !== r.sign))
                          }
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {shown && shown.some(destroyable) && role && role !== "archivist" && <p class="muted">{t("operators.brakowanieByArchivist")}</p>}
          {shown && shown.some(destroyable) && (!role || role === "archivist") && (
            <form
              class="brakowanie inline wrap"
              aria-labelledby="brakowanie-title"
              onSubmit={(e) => {
                e.preventDefault();
                destroy();
              }}
            >
              <h2 id="brakowanie-title">{t("registers.brakowanie")}</h2>
              <p class="muted small">{t("registers.brakowanieHelp")}</p>
              <label for="brakowanie-approval">{t("registers.approval")}</label>
              <input id="brakowanie-approval" value={approval} onInput={(e) => setApproval(e.currentTarget.value)} />
              <button type="submit" class="danger" disabled={chosen.length === 0 || !approval.trim()}>
                {t("registers.destroy")}
              </button>
            </form>
          )}
        </div>
      ) : tab === "cases" ? (
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
                    <td>
                      {c.closed_on ? (
                        formatDate(c.closed_on)
                      ) : (
                        <>
                          {t("registers.open")}{" "}
                          <button
                            type="button"
                            class={closing === c.sign ? "small danger" : "small"}
                            aria-label={closing === c.sign ? t("registers.confirmClose", { sign: c.sign }) : t("registers.closeCaseLabel", { sign: c.sign })}
                            onClick={() => close(c.sign)}
                            onBlur={() => setClosing((s) => (s === c.sign ? null : s))}
                          >
                            {closing === c.sign ? t("registers.confirmClose", { sign: "" }).trim() : t("registers.closeCase")}
                          </button>
                        </>
                      )}
                    </td>
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
