// Archiwum: the archivist's carrier work. A wizard writes a paczka archiwalna of chosen cases
// (by sign, JRWA class, category, closing date, or everything; optionally only what changed
// since the last export to that folder) onto a USB disk or a network share; a full backup of
// the library; the carriers exported to on a schedule (components/Targets.tsx); verifying a
// package or backup on its carrier; the export log.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { BackupView, CaseView, ExportLogView, ExportProgress, ExportRequest, ExportView, VerifyView } from "../bindings";
import { EmptyState, ErrorBox } from "../components/ErrorBox";
import { TargetsPanel } from "../components/Targets";
import { formatDate, formatNumber, t } from "../i18n/i18n";
import { bump, useLibraryVersion } from "../store";

type Scope = "cases" | "jrwa" | "category" | "closed" | "all";
const SCOPES: Scope[] = ["cases", "jrwa", "category", "closed", "all"];
const CATEGORIES = ["A", "B", "BE", "Bc"];

function mb(bytes: number | null): string {
  return formatNumber((bytes ?? 0) / 1_000_000, 2);
}

export function ArchiveView() {
  const v = useLibraryVersion();
  const [cases, setCases] = useState<CaseView[]>([]);
  const [log, setLog] = useState<ExportLogView[]>([]);
  const [target, setTarget] = useState("");
  const [scope, setScope] = useState<Scope>("cases");
  const [chosen, setChosen] = useState<string[]>([]);
  const [jrwa, setJrwa] = useState("");
  const [category, setCategory] = useState("A");
  const [closedBefore, setClosedBefore] = useState(`${new Date().getFullYear() - 25}-01-01`);
  const [sinceLast, setSinceLast] = useState(false);
  const [busy, setBusy] = useState<"" | "export" | "backup" | "verify">("");
  const [exported, setExported] = useState<ExportView | null>(null);
  const [backedUp, setBackedUp] = useState<BackupView | null>(null);
  const [checkDir, setCheckDir] = useState("");
  const [encrypt, setEncrypt] = useState(false);
  const [pass, setPass] = useState("");
  const [pass2, setPass2] = useState("");
  const [checkPass, setCheckPass] = useState("");
  const encryptedCheck = checkDir.trim().endsWith(".age");
  const passProblem = !encrypt ? "" : pass.length < 10 ? t("archive.passShort") : pass !== pass2 ? t("archive.passDiffer") : "";
  const [schema, setSchema] = useState("");
  const [verified, setVerified] = useState<VerifyView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);

  useEffect(() => {
    api.cases(null, null, false).then(setCases, () => setCases([]));
    api.exports().then(setLog, () => setLog([]));
  }, [v]);

  const run = async <T,>(what: typeof busy, work: () => Promise<T>, done: (r: T) => void) => {
    setBusy(what);
    setError(null);
    try {
      done(await work());
      bump();
    } catch (e) {
      setError(e);
    } finally {
      setBusy("");
    }
  };
  const request = (): ExportRequest => ({
    target,
    cases: scope === "cases" ? chosen : [],
    jrwa_prefix: scope === "jrwa" ? jrwa : null,
    category: scope === "category" ? category : null,
    closed_before: scope === "closed" ? closedBefore : null,
    all: scope === "all",
    since_last: sinceLast,
  });
  const toggle = (sign: string, on: boolean) =>
    setChosen(on ? [...chosen, sign] : chosen.filter((s) => s !== sign));

  return (
    <section aria-labelledby="archive-title">
      <header class="view-header">
        <h1 id="archive-title">{t("archive.title")}</h1>
      </header>
      <ErrorBox error={error} onClose={() => setError(null)} />

      <form
        class="settings-block"
        aria-labelledby="export-title"
        onSubmit={(e) => {
          e.preventDefault();
          setProgress(null);
          setExported(null);
          run("export", () => api.exportPackage(request(), setProgress), (r) => {
            setExported(r);
            if (r.package) setCheckDir(r.package);
          });
        }}
      >
        <h2 id="export-title">{t("archive.export")}</h2>
        <p class="muted small">{t("archive.exportWhat")}</p>
        <label for="export-target">{t("archive.target")}</label>
        <input id="export-target" value={target} placeholder="/media/urzad/PENDRIVE" aria-describedby="export-target-help" onInput={(e) => setTarget(e.currentTarget.value)} />
        <p id="export-target-help" class="muted small">
          {t("archive.targetHelp")}
        </p>
        <fieldset>
          <legend>{t("archive.scope")}</legend>
          {SCOPES.map((s) => (
            <label class="check" key={s}>
              <input type="radio" name="export-scope" checked={scope === s} onChange={() => setScope(s)} />
              {t(`archive.scopes.${s}`)}
            </label>
          ))}
        </fieldset>
        {scope === "cases" &&
          (cases.length === 0 ? (
            <p class="muted">{t("archive.noCases")}</p>
          ) : (
            <fieldset class="case-choice">
              <legend>{t("archive.chooseCases", { n: chosen.length })}</legend>
              <ul>
                {cases.map((c) => (
                  <li key={c.sign}>
                    <label class="check">
                      <input type="checkbox" checked={chosen.includes(c.sign)} onChange={(e) => toggle(c.sign, e.currentTarget.checked)} />
                      <span class="symbol">{c.sign}</span> {c.title}{" "}
                      <span class="muted small">
                        ({c.category}
                        {c.closed_on ? `, ${t("archive.closedOn", { day: formatDate(c.closed_on) })}` : `, ${t("registers.open")}`})
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
        {scope === "jrwa" && (
          <>
            <label for="export-jrwa">{t("registers.jrwa")}</label>
            <input id="export-jrwa" size={8} value={jrwa} onInput={(e) => setJrwa(e.currentTarget.value)} />
          </>
        )}
        {scope === "category" && (
          <>
            <label for="export-category">{t("registers.category")}</label>
            <select id="export-category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`archive.categories.${c}`)}
                </option>
              ))}
            </select>
          </>
        )}
        {scope === "closed" && (
          <>
            <label for="export-closed">{t("archive.closedBefore")}</label>
            <input id="export-closed" type="date" value={closedBefore} onInput={(e) => setClosedBefore(e.currentTarget.value)} />
          </>
        )}
        <label class="check">
          <input type="checkbox" checked={sinceLast} onChange={(e) => setSinceLast(e.currentTarget.checked)} />
          {t("archive.sinceLast")}
        </label>
        <button type="submit" class="primary" disabled={busy !== "" || !target.trim() || (scope === "cases" && chosen.length === 0)}>
          {busy === "export" ? t("archive.exporting") : t("archive.doExport")}
        </button>
        {busy === "export" && progress && (
          <div class="inline">
            <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={t("archive.progress", { done: progress.done, total: progress.total })} />
            <span>{t("archive.progress", { done: progress.done, total: progress.total })}</span>
            <button type="button" onClick={() => api.cancelJob(progress.job)}>
              {t("archive.cancel")}
            </button>
          </div>
        )}
        <div role="status" id="export-status">
          {exported &&
            (exported.package ? (
              <div class="result">
                <p class="state ok">
                  {t("archive.exported", { cases: exported.cases, documents: exported.documents, files: exported.files, mb: mb(exported.bytes) })}
                </p>
                <p>
                  {t("archive.package")}: <code>{exported.package}</code>
                </p>
                <p>
                  {t("archive.checksum")}: <code class="checksum">{exported.checksum}</code>
                </p>
                <p class="muted small">{t("archive.printConfirmation")}</p>
              </div>
            ) : (
              <p class="state ok">{t("archive.nothingChanged", { package: exported.since_package ?? "" })}</p>
            ))}
        </div>
        {exported && exported.failed.length > 0 && (
          <div class="error" role="alert">
            <p>
              <strong>{t("archive.leftOut", { n: exported.failed.length })}</strong>
            </p>
            <ul class="failures">
              {exported.failed.map((f) => (
                <li key={f.document}>
                  {t("archive.document", { id: f.document })}
                  {f.case_sign && ` (${f.case_sign})`}: <span class="detail">{f.reason}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>

      <TargetsPanel />

      <form
        class="settings-block"
        aria-labelledby="backup-title"
        onSubmit={(e) => {
          e.preventDefault();
          run("backup", () => api.backupLibrary(target, encrypt ? pass : null), (r) => {
            setBackedUp(r);
            setCheckDir(r.bag);
            // The passphrase is not kept anywhere, not even in the form.
            setPass("");
            setPass2("");
          });
        }}
      >
        <h2 id="backup-title">{t("archive.backup")}</h2>
        <p class="muted small">{t("archive.backupWhat")}</p>
        <p>
          {t("archive.target")}: <code>{target.trim() || "—"}</code>
        </p>
        <label class="check">
          <input type="checkbox" checked={encrypt} onChange={(e) => setEncrypt(e.currentTarget.checked)} />
          {t("archive.encrypt")}
        </label>
        {encrypt && (
          <>
            <p id="backup-pass-help" class="muted small">
              {t("archive.encryptHelp")}
            </p>
            <label for="backup-pass">{t("archive.passphrase")}</label>
            <input id="backup-pass" type="password" autocomplete="new-password" value={pass} aria-describedby="backup-pass-help" onInput={(e) => setPass(e.currentTarget.value)} />
            <label for="backup-pass2">{t("archive.passphraseAgain")}</label>
            <input id="backup-pass2" type="password" autocomplete="new-password" value={pass2} onInput={(e) => setPass2(e.currentTarget.value)} />
            {passProblem && pass !== "" && <p class="muted small">{passProblem}</p>}
          </>
        )}
        <button type="submit" disabled={busy !== "" || !target.trim() || passProblem !== ""}>
          {busy === "backup" ? t("archive.backingUp") : t("archive.doBackup")}
        </button>
        <p role="status" id="backup-status" class={backedUp ? "state ok" : ""}>
          {backedUp && t("archive.backedUp", { bag: backedUp.bag, documents: backedUp.documents, mb: mb(backedUp.bytes) })}
        </p>
      </form>

      <form
        class="settings-block"
        aria-labelledby="verify-title"
        onSubmit={(e) => {
          e.preventDefault();
          run("verify", () => api.verifyPackage(checkDir, schema.trim() || null, encryptedCheck ? checkPass : null), setVerified);
        }}
      >
        <h2 id="verify-title">{t("archive.verify")}</h2>
        <label for="verify-dir">{t("archive.verifyDir")}</label>
        <input id="verify-dir" value={checkDir} onInput={(e) => setCheckDir(e.currentTarget.value)} />
        {encryptedCheck && (
          <>
            <label for="verify-pass">{t("archive.passphrase")}</label>
            <input id="verify-pass" type="password" autocomplete="off" value={checkPass} onInput={(e) => setCheckPass(e.currentTarget.value)} />
          </>
        )}
        <label for="verify-schema">{t("archive.schema")}</label>
        <input id="verify-schema" value={schema} placeholder="Metadane-1.7.xsd" aria-describedby="verify-schema-help" onInput={(e) => setSchema(e.currentTarget.value)} />
        <p id="verify-schema-help" class="muted small">
          {t("archive.schemaHelp")}
        </p>
        <button type="submit" disabled={busy !== "" || !checkDir.trim()}>
          {busy === "verify" ? t("archive.verifying") : t("archive.doVerify")}
        </button>
        <div role="status" id="verify-status">
          {verified &&
            (verified.problems.length === 0 ? (
              <p class="state ok">
                {t(verified.backup ? "archive.soundBackup" : "archive.sound", { files: verified.files_checked, mb: mb(verified.bytes) })}
                {verified.schema_checked > 0 && ` ${t("archive.validated", { n: verified.schema_checked })}`}
              </p>
            ) : (
              <>
                <p class="state bad">{t("archive.problems", { n: verified.problems.length })}</p>
                <table>
                  <caption class="visually-hidden">{t("archive.problemsCaption")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("archive.file")}</th>
                      <th scope="col">{t("archive.reason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {verified.problems.map((p, i) => (
                      <tr key={i}>
                        <td>
                          <code>{p.path}</code>
                        </td>
                        <td>{p.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ))}
        </div>
      </form>

      <section class="settings-block" aria-labelledby="log-title">
        <h2 id="log-title">{t("archive.log")}</h2>
        {log.length === 0 ? (
          <EmptyState title={t("archive.noLog")}>
            <p>{t("archive.noLogText")}</p>
          </EmptyState>
        ) : (
          <table>
            <caption class="visually-hidden">{t("archive.log")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("archive.when")}</th>
                <th scope="col">{t("archive.package")}</th>
                <th scope="col">{t("archive.documents")}</th>
                <th scope="col">MB</th>
              </tr>
            </thead>
            <tbody>
              {log.map((e) => (
                <tr key={`${e.target}/${e.package}`}>
                  <td>{formatDate(e.finished_at)}</td>
                  <td>
                    <code>
                      {e.target}/{e.package}
                    </code>
                    {e.incremental && <span class="muted small"> ({t("archive.changesOnly")})</span>}
                  </td>
                  <td>{formatNumber(e.documents)}</td>
                  <td>{mb(e.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
