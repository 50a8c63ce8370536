import { describe, expect, it, vi, beforeEach } from "vitest";
import { render } from "preact";
import { act } from "preact/test-utils";

const inbox = vi.fn();
vi.mock("../../src/api", async (orig) => {
  const real = await orig<typeof import("../../src/api")>();
  return { ...real, api: { ...real.api, inbox: (n: number) => inbox(n) } };
});

import { InboxView } from "../../src/views/Inbox";
import { setLang } from "../../src/i18n/i18n";

async function show() {
  const root = document.createElement("div");
  document.body.append(root);
  await act(async () => {
    render(<InboxView />, root);
  });
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return root;
}

describe("Skrzynka", () => {
  beforeEach(() => {
    setLang("pl");
    document.body.innerHTML = "";
  });

  it("tells a first-time user what to do when empty", async () => {
    inbox.mockResolvedValue({ total: 0, items: [] });
    const root = await show();
    expect(root.textContent).toContain("Skrzynka jest pusta");
    expect(root.querySelector("a.button")?.getAttribute("href")).toBe("#/import");
  });

  it("lists documents with their OCR state and suggestions", async () => {
    inbox.mockResolvedValue({
      total: 2,
      items: [
        { id: 2, title: "Decyzja o warunkach zabudowy", kind: "decyzja", doc_date: "2024-03-05", created_at: "2026-11-20T10:00:00Z", media_type: "image/tiff", pages: 2, pages_awaiting_ocr: 1, pages_failed: 0, ocr_confidence: null, suggestions: 0, min_confidence: null },
        { id: 1, title: "Wniosek", kind: null, doc_date: null, created_at: "2026-11-20T09:00:00Z", media_type: "application/pdf", pages: 1, pages_awaiting_ocr: 0, pages_failed: 0, ocr_confidence: 91.2, suggestions: 3, min_confidence: 0.62 },
      ],
    });
    const root = await show();
    const cards = root.querySelectorAll("li.card");
    expect(cards.length).toBe(2);
    expect(cards[0].textContent).toContain("Decyzja o warunkach zabudowy");
    expect(cards[0].textContent).toContain("5 marca 2024");
    expect(cards[0].textContent).toContain("Czeka na OCR");
    expect(cards[1].textContent).toContain("OCR: pewność 91%");
    expect(cards[1].textContent).toContain("Podpowiedzi: 3");
    expect(root.textContent).toContain("2 dokumenty czekają na przejrzenie");
    // Every checkbox is labelled by its document's title.
    for (const box of root.querySelectorAll<HTMLInputElement>("input.pick")) {
      const label = document.getElementById(box.getAttribute("aria-labelledby")!);
      expect(label?.textContent).toBeTruthy();
    }
  });
});
