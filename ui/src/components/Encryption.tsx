// Encryption at rest: the unlock screen an encrypted library opens on where this computer's
// keyring does not hold its key, and the administrator's "Szyfrowanie" block in the settings
// (encrypt the open library; finish an interrupted run; a new recovery passphrase). The scheme is the core's.
import { useState } from "preact/hooks";
import { api, UiError } from "../api";
import type { LibraryInfo } from "../bindings";
import { ErrorBox } from "./ErrorBox";
import { t } from "../i18n/i18n";
import { href } from "../router";
import { bump, useAction } from "../store";

/** The recovery passphrase asked for an encrypted library whose key is not on this computer. */
export function Unlock({ onUnlocked, elsewhere = false }: { onUnlocked: () => void; elsewhere?: boolean }) {
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <section class="sign-in" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t("encryption.unlockTitle")}</h1>
      <p class="muted">{t("encryption.unlockHelp")}</p>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            await api.unlockLibrary(passphrase);
            setPassphrase("");
            setError(null);
            onUnlocked();
            bump();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <div class="field">
          <label for="unlock-passphrase">{t("encryption.passphrase")}</label>
          <input id="unlock-passphrase" type="password" autoComplete="current-password" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={!passphrase || busy} aria-busy={busy}>
          {busy ? t("encryption.unlocking") : t("encryption.unlock")}
        </button>
        {elsewhere && (
          <a class="link" href={href("ustawienia")}>
            {t("encryption.another")}
          </a>
        )}
      </form>
    </section>
  );
}

/** The minimum length of a recovery passphrase (the core's rule, said before it is tried). */
const MIN_PASSPHRASE = 12;

/** The settings' block: the library's encryption, and encrypting it. */
export function EncryptionPanel({ info }: { info: LibraryInfo | null }) {
  const [passphrase, setPassphrase] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const { error, setError, notice, run, fail } = useAction();
  const state = info?.encryption ?? "off";
  /** The passphrase typed twice the same and long enough; else says why. */
  const checked = () => {
    if (passphrase !== again) {
      fail(new UiError("invalid", t("encryption.mismatch")));
      return false;
    }
    if ([...passphrase].length < MIN_PASSPHRASE) {
      fail(new UiError("invalid", t("encryption.tooShort", { n: MIN_PASSPHRASE })));
      return false;
    }
    return true;
  };
  const encrypt = () => {
    setBusy(true);
    return run(async () => {
      try {
        const done = await api.encryptLibrary(passphrase);
        setPassphrase("");
        setAgain("");
        if (!done.in_keyring) throw new UiError("no_keyring", t("encryption.noKeyring"));
      } finally {
        setBusy(false);
      }
    }, t("encryption.done"));
  };
  return (
    <section class="settings-block" aria-labelledby="encryption-title">
      <h2 id="encryption-title">{t("encryption.title")}</h2>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <p class="notice" role="status">
        {notice}
      </p>
      {state === "on" && (
        <>
          <p>{t("encryption.on")}</p>
          <form
            class="inline wrap"
            onSubmit={(e) => {
              e.preventDefault();
              if (!checked()) return;
              run(async () => {
                await api.changeRecoveryPassphrase(passphrase);
                setPassphrase("");
                setAgain("");
              }, t("encryption.changed"));
            }}
          >
            <label for="enc-passphrase">{t("encryption.changePassphrase")}</label>
            <input id="enc-passphrase" type="password" autoComplete="new-password" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
            <label for="enc-again">{t("encryption.repeat")}</label>
            <input id="enc-again" type="password" autoComplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
            <button type="submit" disabled={!passphrase}>
              {t("encryption.change")}
            </button>
          </form>
        </>
      )}
      {state === "unfinished" && (
        <>
          <p class="warning">{t("encryption.unfinished")}</p>
          <button type="button" disabled={busy} aria-busy={busy} onClick={encrypt}>
            {busy ? t("encryption.working") : t("encryption.finish")}
          </button>
        </>
      )}
      {state === "off" && (
        <form
          class="inline wrap"
          onSubmit={(e) => {
            e.preventDefault();
            if (checked()) encrypt();
          }}
        >
          <p class="muted small" id="encryption-help">
            {t("encryption.help")}
          </p>
          <label for="enc-passphrase">{t("encryption.newPassphrase")}</label>
          <input id="enc-passphrase" type="password" autoComplete="new-password" aria-describedby="encryption-help" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
          <label for="enc-again">{t("encryption.repeat")}</label>
          <input id="enc-again" type="password" autoComplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          <button type="submit" disabled={!passphrase || busy} aria-busy={busy}>
            {busy ? t("encryption.working") : t("encryption.encrypt")}
          </button>
        </form>
      )}
    </section>
  );
}
