import { describe, expect, it, vi } from "vitest";

vi.mock("../../src/bindings", () => ({
  commands: {
    document: vi.fn(async (id: number) =>
      id === 5
        ? { status: "error", error: { code: "no_document", message: "no document with id 5" } }
        : { status: "ok", data: { id } },
    ),
    libraryInfo: vi.fn(async () => {
      throw new Error("IPC down");
    }),
  },
  events: {},
}));

import { api, pageUrl, UiError } from "../../src/api";
import { setLang } from "../../src/i18n/i18n";

describe("api", () => {
  it("returns a command's data", async () => {
    expect(await api.document(7)).toEqual({ id: 7 });
  });

  it("turns a command's error into a UiError with a Polish title and the core's detail", async () => {
    setLang("pl");
    const e = await api.document(5).catch((e) => e);
    expect(e).toBeInstanceOf(UiError);
    expect(e.code).toBe("no_document");
    expect(e.title).toBe("Nie ma takiego dokumentu.");
    expect(e.detail).toBe("no document with id 5");
  });

  it("reports a broken IPC as such", async () => {
    const e = await api.libraryInfo().catch((e) => e);
    expect(e.code).toBe("ipc");
    expect(e.detail).toContain("IPC down");
  });

  it("addresses page images through the page: scheme", () => {
    expect(pageUrl(3, 2, 240)).toBe("page://localhost/3/2?size=240");
  });
});
