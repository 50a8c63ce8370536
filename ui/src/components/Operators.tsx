// Operators: the sign-in screen a library with profiles opens on, the operator's name and
// "Wyloguj" in the sidebar, and the list of profiles in the settings (an administrator adds and
// retires them; the core refuses anyone else).
import { useEffect, useState } from "preact/hooks";
import { api, UiError } from "../api";
import type { OperatorsView, Role } from "../bindings";
import { ErrorBox } from "./ErrorBox";
import { formatDate, t } from "../i18n/i18n";
import { bump, useAction, useLibraryVersion } from "../store";

const ROLES: Role[] = ["clerk", "archivist", "administrator"];

/** The profiles and who is signed in, reloaded whenever the library changes. */
export function useOperators(): OperatorsView | null {
  const v = useLibraryVersion();
  const [ops, setOps] = useState<OperatorsView | null>(null);
  useEffect(() => {
    api.operators().then(setOps, () => setOps(null));
  }, [v]);
  return ops;
}

/** Who works here: chosen from the active profiles, with the password when one is set. */
export function SignIn({ ops }: { ops: OperatorsView }) {
  const active = ops.profiles.filter((o) => !o.retired_at);
  const [name, setName] = useState(active[0]?.name ?? "");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const chosen = active.find((o) => o.name === name);
  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t("operators.signInTitle")}</h1>
      <p class="muted">{t("operators.signInHelp")}</p>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.signIn(name, chosen?.has_password ? password : null);
            setPassword("");
            setError(null);
            bump();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <fieldset>
          <legend>{t("operators.who")}</legend>
          {active.map((o) => (
            <label class="check" key={o.name}>
              <input type="radio" name="operator" checked={o.name === name} onChange={() => setName(o.name)} />
              {o.name} <span class="muted small">({t(`operators.roles.${o.role}`)})</span>
            </label>
          ))}
        </fieldset>
        {chosen?.has_password && (
          <div class="field">
            <label for="sign-in-password">{t("operators.password")}</label>
            <input id="sign-in-password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </div>
        )}
        <button type="submit" disabled={!chosen}>
          {t("operators.signIn")}
        </button>
      </form>
    </section>
  );
}

/** The operator signed in, and a way out. */
export function SignedIn({ ops }: { ops: OperatorsView }) {
  const who = ops.signed_in;
  if (!who) return null;
  return (
    <div class="operator" role="group" aria-label={t("operators.who")}>
      <span>{t("operators.signedInAs", { name: who.name, role: t(`operators.roles.${who.role}`) })}</span>
      <button
        type="button"
        class="link"
        onClick={async () => {
          await api.signOut().catch(() => {});
          bump();
        }}
      >
        {t("operators.signOut")}
      </button>
    </div>
  );
}

/** The settings' list of profiles (`ops` as the settings view read them). */
export function OperatorsPanel({ ops }: { ops: OperatorsView | null }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("clerk");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const { error, setError, notice, run, fail } = useAction();
  const first = (ops?.profiles.length ?? 0) === 0;
  useEffect(() => {
    if (first) setRole("administrator");
  }, [first]);

  return (
    <section class="settings-block" aria-labelledby="operators-title">
      <h2 id="operators-title">{t("operators.title")}</h2>
      <p class="muted small">{t("operators.help")}</p>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <p class="notice" role="status">
        {notice}
      </p>
      {ops && ops.profiles.length === 0 && <p class="muted">{t("operators.none")}</p>}
      {ops && ops.profiles.length > 0 && (
        <table class="operators">
          <caption class="visually-hidden">{t("operators.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("operators.name")}</th>
              <th scope="col">{t("operators.role")}</th>
              <th scope="col">{t("operators.hasPassword")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("operators.retire")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {ops.profiles.map((o) => (
              <tr key={o.name}>
                <td>{o.name}</td>
                <td>{t(`operators.roles.${o.role}`)}</td>
                <td>{o.has_password ? t("operators.yes") : t("operators.no")}</td>
                <td>
                  {o.retired_at ? (
                    <span class="muted">{t("operators.retired", { date: formatDate(o.retired_at) })}</span>
                  ) : (
                    <button type="button" class="link" onClick={() => run(() => api.retireOperator(o.name), t("operators.retiredNotice", { name: o.name }))}>
                      {t("operators.retire")}
                    </button>
                  )}
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
          if (password !== again) {
            fail(new UiError("invalid", t("operators.mismatch")));
            return;
          }
          const added = name.trim();
          run(async () => {
            await api.addOperator(added, role, password || null);
            setName("");
            setPassword("");
            setAgain("");
          }, t("operators.added", { name: added }));
        }}
      >
        <label for="op-name">{t("operators.name")}</label>
        <input id="op-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="op-role">{t("operators.role")}</label>
        <select id="op-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`operators.roles.${r}`)}
            </option>
          ))}
        </select>
        <label for="op-password">{t("operators.newPassword")}</label>
        <input id="op-password" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <label for="op-again">{t("operators.repeatPassword")}</label>
        <input id="op-again" type="password" autoComplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
        <button type="submit" disabled={!name.trim()}>
          {t("operators.add")}
        </button>
      </form>
    </section>
  );
}
