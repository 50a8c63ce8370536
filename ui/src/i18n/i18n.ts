// Translations and Polish formatting. Every string the UI shows comes from pl.ts or en.ts (the
// same keys, checked by the compiler and a unit test); Polish is the default.
import { pl } from "./pl";
import { en } from "./en";

export type Lang = "pl" | "en";
export type Messages = typeof pl;

const catalogs: Record<Lang, Messages> = { pl, en };
let current: Lang = "pl";

/** Picks the language: the saved choice, else Polish. */
export function initLang(): Lang {
  const saved = globalThis.localStorage?.getItem("skladnica.lang");
  current = saved === "en" ? "en" : "pl";
  document.documentElement.lang = current;
  return current;
}

export function setLang(lang: Lang) {
  current = lang;
  globalThis.localStorage?.setItem("skladnica.lang", lang);
  document.documentElement.lang = lang;
}

export function lang(): Lang {
  return current;
}

/** The message at a dotted key (`inbox.title`), with `{name}` placeholders filled. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  let found = lookup(catalogs[current], key) ?? lookup(pl, key);
  if (isPlural(found) && typeof params.n === "number") {
    found = pluralForm(params.n, found);
  }
  if (typeof found !== "string") return key;
  return found.replace(/\{(\w+)\}/g, (_, name: string) =>
    name in params ? formatValue(params[name]) : `{${name}}`,
  );
}

type Forms = { one: string; few: string; many: string };

function isPlural(v: unknown): v is Forms {
  return v !== null && typeof v === "object" && "one" in v && "few" in v && "many" in v;
}

/** Whether a message exists (for error codes the UI may not know). */
export function has(key: string): boolean {
  return typeof lookup(catalogs[current], key) === "string";
}

function lookup(catalog: unknown, key: string): unknown {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function formatValue(v: string | number): string {
  return typeof v === "number" ? formatNumber(v) : v;
}

function locale(): string {
  return current === "pl" ? "pl-PL" : "en-GB";
}

/** A number the Polish way (1 234,5). */
export function formatNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(locale(), {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(n);
}

/** A percentage of a 0–1 fraction. */
export function formatPercent(fraction: number): string {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(
    fraction,
  );
}

/**
 * A date as people read it: `2024-03-05` → `5 marca 2024`; `2024-03` → `marzec 2024`; `2024`
 * stays; a timestamp (`2024-03-05T10:20:00Z`) also gets its local time.
 */
/** Today in the local time zone as `YYYY-MM-DD` (the value of a date field). */
export function isoToday(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "";
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2}))?/.exec(value);
  if (!m) return value;
  const [, y, mo, d, hh] = m;
  if (hh !== undefined) {
    const date = new Date(value.replace(" ", "T"));
    if (!Number.isNaN(date.getTime())) {
      return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short" }).format(
        date,
      );
    }
  }
  if (d !== undefined) {
    const date = new Date(Date.UTC(+y, +mo - 1, +d));
    return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" }).format(date);
  }
  if (mo !== undefined) {
    const date = new Date(Date.UTC(+y, +mo - 1, 1));
    return new Intl.DateTimeFormat(locale(), {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    }).format(date);
  }
  return y;
}

/** The plural form for `n`: Polish 1 dokument, 2 dokumenty, 5 dokumentów (English: one, other). */
export function pluralForm(n: number, forms: Forms): string {
  const rule = new Intl.PluralRules(locale()).select(n);
  return rule === "one" ? forms.one : rule === "few" ? forms.few : forms.many;
}
