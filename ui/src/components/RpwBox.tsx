// RPW registration in the Dokument view: the incoming item's minimal metadata (sender with
// town, the day it arrived, the date on the letter or "undated", title; the rest optional),
// prefilled from the document's metadata, registered with the next number of the year. The
// core checks the whole form and names every problem at once.
import { useState } from "preact/hooks";
import { api } from "../api";
import type { DocumentView, IncomingForm } from "../bindings";
import { isoToday, t } from "../i18n/i18n";

const DELIVERY = ["post", "inperson", "courier", "fax", "email", "epuap", "edoreczenia", "other"];
const ACCESS = ["niepubliczny", "publiczny", "wyłączony"];

type Text = Exclude<keyof IncomingForm, "undated" | "attachments">;

/** The form prefilled from the document's current values. */
function prefilled(values: Record<string, string>): Record<Text, string> {
  return {
    institution: values.nadawca || values.tworca || "",
    surname: "",
    first_names: "",
    town: "",
    postal_code: "",
    street: "",
    building: "",
    flat: "",
    country: "PL",
    received_on: isoToday(),
    letter_date: values.data ?? "",
    sent_on: "",
    title: values.tytul ?? "",
    access: values.dostep || "niepubliczny",
    dc_type: "Text",
    kind: values.rodzaj ?? "",
    delivery: "post",
    sender_sign: values.znak_u_nadawcy ?? "",
    // A NIP or REGON in a letterhead is the sender's; a PESEL may be anyone's, so it is typed.
    sender_id: values.nip || values.regon || "",
    remarks: "",
    image: "full",
  };
}

export function RpwBox({
  doc,
  values,
  onRegistered,
  onError,
}: {
  doc: DocumentView;
  values: Record<string, string>;
  onRegistered: (number: string) => void;
  onError: (e: unknown) => void;
}) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<Record<Text, string>>(() => prefilled(values));
  const [person, setPerson] = useState(false);
  const [undated, setUndated] = useState(false);
  const [attachments, setAttachments] = useState("");
  const [busy, setBusy] = useState(false);
  const caseSign = doc.cases[0] ?? null;

  const field = (key: Text, label: string, props: Record<string, unknown> = {}) => (
    <div class="field">
      <label for={`rpw-${key}`}>{label}</label>
      <input
        id={`rpw-${key}`}
        value={form[key]}
        onInput={(e) => setForm({ ...form, [key]: e.currentTarget.value })}
        {...props}
      />
    </div>
  );
  const register = async () => {
    const blank = (s: string) => (s.trim() ? s.trim() : null);
    const text = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, blank(v)])) as Record<Text, string | null>;
    const request: IncomingForm = {
      ...text,
      institution: person ? null : text.institution,
      surname: person ? text.surname : null,
      first_names: person ? text.first_names : null,
      letter_date: undated ? null : text.letter_date,
      undated,
      attachments: attachments.trim() ? Number(attachments) : null,
    };
    setBusy(true);
    try {
      const done = await api.registerIncoming(request, doc.id, caseSign);
      onRegistered(done.number);
      setOpen(false);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  if (doc.rpw.length > 0) {
    return (
      <p class="rpw-done">
        {t("document.rpw")}: <strong>{doc.rpw.join(", ")}</strong>
      </p>
    );
  }
  return (
    <details
      class="rpw"
      open={open}
      onToggle={(e) => {
        const now = (e.currentTarget as HTMLDetailsElement).open;
        if (now && !open) setForm(prefilled(values));
        setOpen(now);
      }}
    >
      <summary>{t("rpw.register")}</summary>
      <p class="muted small">{t("rpw.help")}</p>
      <fieldset>
        <legend>{t("rpw.sender")}</legend>
        <div class="inline" role="radiogroup" aria-label={t("rpw.senderKind")}>
          <label class="check">
            <input type="radio" name="rpw-kind" checked={!person} onChange={() => setPerson(false)} />
            {t("rpw.institution")}
          </label>
          <label class="check">
            <input type="radio" name="rpw-kind" checked={person} onChange={() => setPerson(true)} />
            {t("rpw.person")}
          </label>
        </div>
        <div class="rpw-grid">
          {person ? (
            <>
              {field("surname", t("rpw.surname"))}
              {field("first_names", t("rpw.firstNames"))}
            </>
          ) : (
            field("institution", t("rpw.name"))
          )}
          {field("town", t("rpw.town"))}
          {field("postal_code", t("rpw.postalCode"), { placeholder: "00-000", size: 7 })}
          {field("street", t("rpw.street"))}
          {field("building", t("rpw.building"), { size: 5 })}
          {field("flat", t("rpw.flat"), { size: 5 })}
          {field("country", t("rpw.country"), { size: 4 })}
          {field("sender_id", t("rpw.senderId"), { inputMode: "numeric", size: 14 })}
        </div>
      </fieldset>
      <div class="rpw-grid">
        {field("received_on", t("rpw.receivedOn"), { type: "date" })}
        <div class="field">
          <label for="rpw-letter_date">{t("rpw.letterDate")}</label>
          <input
            id="rpw-letter_date"
            value={undated ? "" : form.letter_date}
            disabled={undated}
            placeholder="RRRR-MM-DD"
            aria-describedby="rpw-letter-help"
            onInput={(e) => setForm({ ...form, letter_date: e.currentTarget.value })}
          />
          <span id="rpw-letter-help" class="muted small">
            {t("rpw.letterDateHelp")}
          </span>
          <label class="check">
            <input type="checkbox" checked={undated} onChange={(e) => setUndated(e.currentTarget.checked)} />
            {t("rpw.undated")}
          </label>
        </div>
        {field("sent_on", t("rpw.sentOn"), { type: "date" })}
        {field("sender_sign", t("rpw.senderSign"))}
      </div>
      {field("title", t("rpw.title"))}
      <div class="rpw-grid">
        {field("kind", t("rpw.kind"))}
        <div class="field">
          <label for="rpw-delivery">{t("rpw.delivery")}</label>
          <select id="rpw-delivery" value={form.delivery} onChange={(e) => setForm({ ...form, delivery: e.currentTarget.value })}>
            {DELIVERY.map((d) => (
              <option key={d} value={d}>
                {t(`rpw.deliveries.${d}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="rpw-access">{t("rpw.access")}</label>
          <select id="rpw-access" value={form.access} onChange={(e) => setForm({ ...form, access: e.currentTarget.value })}>
            {ACCESS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="rpw-attachments">{t("rpw.attachments")}</label>
          <input
            id="rpw-attachments"
            inputMode="numeric"
            size={4}
            value={attachments}
            onInput={(e) => setAttachments(e.currentTarget.value.replace(/\D/g, ""))}
          />
        </div>
        <div class="field">
          <label for="rpw-image">{t("rpw.image")}</label>
          <select id="rpw-image" value={form.image} onChange={(e) => setForm({ ...form, image: e.currentTarget.value })}>
            <option value="full">{t("rpw.full")}</option>
            <option value="partial">{t("rpw.partial")}</option>
          </select>
        </div>
      </div>
      {field("remarks", t("rpw.remarks"))}
      {caseSign && <p class="muted small">{t("rpw.inCase", { sign: caseSign })}</p>}
      <button type="button" id="rpw-register" class="primary" disabled={busy} onClick={register}>
        {t("rpw.submit")}
      </button>
    </details>
  );
}
