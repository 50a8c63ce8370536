// Ustawienia: which library folder the app works on, the OCR languages, the organisational
// units (their codes go into case signs), the JRWA in force, the hot folder, the EZD connection,
// the operator profiles, and the interface language. Every setting is saved at once and applies
// from then on.
import { useEffect, useState } from "preact/hooks";
import { api, UiError } from "../api";
import type { AppError, UnitView } from "../bindings";
import { ErrorBox } from "../components/ErrorBox";
import { EzdConnection } from "../components/Ezd";
import { HotFolderPanel } from "../components/HotFolder";
import { JrwaSource } from "../components/JrwaSource";
import { OperatorsPanel, useOperators } from "../components/Operators";
import { EncryptionPanel, Unlock } from "../components/Encryption";
import { t } from "../i18n/i18n";
import { useAction, useLibraryInfo } from "../store";

export function SettingsView({ startupError, onOpened }: { startupError: AppError | null; onOpened: () => void }) {
  const [info] = useLibraryInfo();
  const ops = useOperators();
  const role = ops?.signed_in?.role;
  const [path, setPath] = useState("");
  const [langs, setLangs] = useState("");
  const [units, setUnits] = useState<UnitView[]>([]);
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [from, setFrom] = useState(String(new Date().getFullYear()));
  const { error, setError, notice, run } = useAction(startupError ? new UiError(startupError.code, startupError.message) : null);

  useEffect(() => {
    if (info) {
      setPath((p) => p || info.root);
      setLangs((l) => l || info.ocr_languages);
    }
  }, [info]);
  useEffect(() => {
    api.units().then(setUnits, () => setUnits([]));
  }, [info?.root]);

  return (
    <section aria-labelledby="settings-title">
      <header class="view-header">
        <h1 id="settings-title">{t("settings.title")}</h1>
      </header>
      {role && role !== "administrator" && <p class="warning">{t("operators.settingsByAdmin")}</p>}
      <ErrorBox error={error} onClose={() => setError(null)} />
      <p class="notice" role="status">
        {notice}
      </p>
      {error instanceof UiError && error.code === "locked" && (
        <Unlock
          onUnlocked={() => {
            setError(null);
            onOpened();
          }}
        />
      )}
      <form
        class="settings-block"
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => {
            await api.openLibrary(path);
            onOpened();
          }, t("settings.libraryOpened", { path }));
        }}
      >
        <h2>{t("settings.library")}</h2>
        <label for="set-library">{t("settings.libraryPath")}</label>
        <input id="set-library" value={path} onInput={(e) => setPath(e.currentTarget.value)} aria-describedby="set-library-help" />
        <p id="set-library-help" class="muted small">
          {t("settings.libraryHelp", { def: info?.default_root ?? "—" })}
        </p>
        <button type="submit">{t("settings.openLibrary")}</button>
        {info?.default_root && info.default_root !== info.root && (
          <button type="button" class="link" onClick={() => setPath(info.default_root!)}>
            {t("settings.useDefault")}
          </button>
        )}
      </form>
      <form
        class="settings-block"
        onSubmit={(e) => {
          e.preventDefault();
          run(() => api.setOcrLanguages(langs), t("settings.saved"));
        }}
      >
        <h2>{t("settings.ocr")}</h2>
        <label for="set-langs">{t("settings.ocrLanguages")}</label>
        <input id="set-langs" value={langs} onInput={(e) => setLangs(e.currentTarget.value)} aria-describedby="set-langs-help" />
        <p id="set-langs-help" class="muted small">
          {t("settings.ocrHelp", { installed: info?.installed_languages.join(", ") ?? "" })}
        </p>
        <button type="submit">{t("common.save")}</button>
      </form>
      <section class="settings-block" aria-labelledby="units-title">
        <h2 id="units-title">{t("settings.units")}</h2>
        {units.length === 0 ? (
          <p class="muted">{t("settings.noUnits")}</p>
        ) : (
          <table>
            <caption class="visually-hidden">{t("settings.units")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("settings.unitCode")}</th>
                <th scope="col">{t("settings.unitName")}</th>
                <th scope="col">{t("settings.unitYears")}</th>
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr key={`${u.code}-${u.year_from}`}>
                  <td>{u.code}</td>
                  <td>{u.name}</td>
                  <td>
                    {u.year_from}–{u.year_to ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form
          class="inline wrap"
          onSubmit={(e) => {
            e.preventDefault();
            run(async () => {
              const u = await api.addUnit(code, name, Number(from));
              setUnits(await api.units());
              setCode("");
              setName("");
              return u;
            }, t("settings.unitAdded", { code }));
          }}
        >
          <label for="unit-code">{t("settings.unitCode")}</label>
          <input id="unit-code" size={8} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          <label for="unit-name">{t("settings.unitName")}</label>
          <input id="unit-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <label for="unit-from">{t("settings.unitFrom")}</label>
          <input id="unit-from" size={6} inputMode="numeric" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
          <button type="submit" disabled={!code.trim() || !name.trim()}>
            {t("settings.addUnit")}
          </button>
        </form>
      </section>
      <JrwaSource root={info?.root} />
      <HotFolderPanel settings />
      <EzdConnection />
      <OperatorsPanel ops={ops} />
      <EncryptionPanel info={info} />
    </section>
  );
}
