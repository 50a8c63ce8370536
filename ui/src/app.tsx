// The window: navigation on the left, the current view, a status bar with the library and its
// running work. Alt+1…6 switch views; the views add their own shortcuts. A library with operator
// profiles shows only the sign-in until somebody signs in; an encrypted one whose key is not on
// this computer, only the recovery passphrase.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api";
import type { AppError } from "./bindings";
import { ErrorBox } from "./components/ErrorBox";
import { formatNumber, lang, setLang, t, type Lang } from "./i18n/i18n";
import { go, href, useRoute } from "./router";
import { useLibraryInfo } from "./store";
import { useTargets } from "./components/Targets";
import { SignIn, SignedIn, useOperators } from "./components/Operators";
import { Unlock } from "./components/Encryption";
import { DocumentView } from "./views/Document";
import { ImportView } from "./views/Import";
import { ArchiveView } from "./views/Archive";
import { InboxView } from "./views/Inbox";
import { RegistersView } from "./views/Registers";
import { SearchView } from "./views/Search";
import { SettingsView } from "./views/Settings";
import { UiError } from "./api";

const NAV = [
  { view: "skrzynka", key: "nav.inbox" },
  { view: "szukaj", key: "nav.search" },
  { view: "import", key: "nav.import" },
  { view: "rejestry", key: "nav.registers" },
  { view: "archiwum", key: "nav.archive" },
  { view: "ustawienia", key: "nav.settings" },
] as const;

export function App() {
  const route = useRoute();
  const [info, infoError] = useLibraryInfo();
  const [targets] = useTargets();
  const ops = useOperators();
  const [startup, setStartup] = useState<AppError | null>(null);
  // An encrypted library whose key is not on this computer: only the passphrase is asked.
  const sealed = startup?.code === "locked";
  const locked = sealed || (ops?.sign_in_required ?? false);
  const overdue = targets?.targets.filter((x) => x.overdue) ?? [];
  const [, setLangState] = useState<Lang>(lang());

  useEffect(() => {
    api.startupError().then(setStartup, () => {});
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && e.key >= "1" && e.key <= String(NAV.length)) {
        e.preventDefault();
        go(NAV[Number(e.key) - 1].view);
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  const switchLang = (l: Lang) => {
    setLang(l);
    setLangState(l);
  };

  const current = route.view === "dokument" ? "skrzynka" : route.view;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t("nav.skip")}
      </a>
      <nav class="sidebar" aria-label={t("nav.label")}>
        <div class="brand" aria-hidden="true">
          Składnica
        </div>
        <ul>
          {NAV.map((n, i) => (
            <li key={n.view}>
              <a
                href={href(n.view)}
                aria-current={current === n.view ? "page" : undefined}
                aria-keyshortcuts={`Alt+${i + 1}`}
              >
                {t(n.key)}
                {n.view === "skrzynka" && info && info.inbox > 0 && (
                  <span class="badge" aria-label={t("inbox.count", { n: info.inbox })}>
                    {formatNumber(info.inbox)}
                  </span>
                )}
                {n.view === "archiwum" && overdue.length > 0 && (
                  <span class="badge warn" aria-label={t("targets.overdueNav")}>
                    !
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
        {ops && <SignedIn ops={ops} />}
        <div class="lang" role="group" aria-label={t("nav.language")}>
          {(["pl", "en"] as Lang[]).map((l) => (
            <button
              type="button"
              key={l}
              aria-pressed={lang() === l}
              onClick={() => switchLang(l)}
            >
              {l.toUpperCase()}
            </button>
          ))}
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        {sealed && route.view !== "ustawienia" && <Unlock onUnlocked={() => setStartup(null)} elsewhere />}
        {startup && !sealed && route.view !== "ustawienia" && (
          <ErrorBox error={new UiError(startup.code, startup.message)} />
        )}
        {info?.read_only && (
          <div class="warning" role="status">
            {t("status.readOnly")}
          </div>
        )}
        {!sealed && locked && ops && <SignIn ops={ops} />}
        {!locked && route.view === "skrzynka" && <InboxView />}
        {!locked && route.view === "dokument" && route.id && (
          <DocumentView id={Number(route.id)} query={route.params.get("q") ?? ""} page={Number(route.params.get("strona") ?? 1)} />
        )}
        {!locked && route.view === "szukaj" && <SearchView initial={route.params.get("q") ?? ""} />}
        {!locked && route.view === "import" && <ImportView />}
        {!locked && route.view === "rejestry" && <RegistersView />}
        {!locked && route.view === "archiwum" && <ArchiveView />}
        {(!locked || sealed) && route.view === "ustawienia" && <SettingsView startupError={startup} onOpened={() => setStartup(null)} />}
      </main>
      <footer class="statusbar" aria-label={t("status.label")}>
        {info ? (
          <>
            <span title={info.root}>
              {t("status.library")}: {info.root}
            </span>
            <span>{t("status.documents", { n: info.documents })}</span>
            {info.pages_awaiting_ocr > 0 && (
              <span>{t("status.awaitingOcr", { n: info.pages_awaiting_ocr })}</span>
            )}
            {info.jobs_running > 0 && <span class="busy">{t("status.working")}</span>}
            {targets?.running && <span class="busy">{t("status.exporting", { name: targets.running })}</span>}
            {overdue.length > 0 && (
              <a class="warn" href={href("archiwum")}>
                {t("targets.overdueNav")}: {overdue.map((x) => x.name).join(", ")}
              </a>
            )}
          </>
        ) : (
          infoError ? <span>{t("status.noLibrary")}</span> : <span>{t("common.loading")}</span>
        )}
      </footer>
    </div>
  );
}
