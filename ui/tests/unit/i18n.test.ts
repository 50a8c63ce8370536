import { describe, expect, it, beforeEach } from "vitest";
import { pl } from "../../src/i18n/pl";
import { en } from "../../src/i18n/en";
import { formatDate, formatNumber, setLang, t } from "../../src/i18n/i18n";

function keys(o: object, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("translations", () => {
  beforeEach(() => setLang("pl"));

  it("Polish and English have the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(pl).sort());
  });

  it("no message is empty", () => {
    for (const catalog of [pl, en]) {
      for (const k of keys(catalog)) {
        const value = k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], catalog);
        expect(String(value).trim(), k).not.toBe("");
      }
    }
  });

  it("Polish plurals take the right form", () => {
    expect(t("status.documents", { n: 1 })).toBe("1 dokument");
    expect(t("status.documents", { n: 2 })).toBe("2 dokumenty");
    expect(t("status.documents", { n: 5 })).toBe("5 dokumentów");
    expect(t("status.documents", { n: 12 })).toBe("12 dokumentów");
    expect(t("status.documents", { n: 22 })).toBe("22 dokumenty");
    expect(t("status.documents", { n: 25 })).toBe("25 dokumentów");
    setLang("en");
    expect(t("status.documents", { n: 1 })).toBe("1 document");
    expect(t("status.documents", { n: 5 })).toBe("5 documents");
  });

  it("fills placeholders and falls back to the key for unknown messages", () => {
    expect(t("viewer.pageOf", { page: 2, pages: 7 })).toBe("Strona 2 z 7");
    expect(t("no.such.key")).toBe("no.such.key");
  });

  it("every error code of the core has a sentence in both languages", () => {
    const codes = [
      "io", "database", "newer_database", "corrupt_database", "no_library", "index", "query",
      "no_document", "busy", "read_only", "ocr", "searchable_pdf", "scan", "cancelled",
      "invalid_sign", "invalid_rpw_number", "invalid_category", "invalid_date", "invalid_jrwa",
      "not_found", "conflict", "invalid", "job_running",
    ];
    for (const c of codes) {
      expect(pl.errors, c).toHaveProperty(c);
      expect(en.errors, c).toHaveProperty(c);
    }
  });
});

describe("Polish formats", () => {
  beforeEach(() => setLang("pl"));

  it("dates the Polish way, partial dates too", () => {
    expect(formatDate("2024-03-05")).toBe("5 marca 2024");
    expect(formatDate("2024-03")).toMatch(/^marzec 2024$/);
    expect(formatDate("1998")).toBe("1998");
    expect(formatDate("")).toBe("");
    expect(formatDate("nie data")).toBe("nie data");
  });

  it("numbers with a decimal comma and spaced thousands", () => {
    expect(formatNumber(1234.5, 1)).toBe("1234,5");
    expect(formatNumber(123456).replace(/\s/g, " ")).toBe("123 456");
  });
});
