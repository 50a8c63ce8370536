import { describe, expect, it } from "vitest";
import { href, parseHash } from "../../src/router";

describe("router", () => {
  it("reads views, ids and parameters from the address", () => {
    const r = parseHash("#/dokument/12?q=umowa%20najmu&strona=3");
    expect(r.view).toBe("dokument");
    expect(r.id).toBe("12");
    expect(r.params.get("q")).toBe("umowa najmu");
    expect(r.params.get("strona")).toBe("3");
  });

  it("opens the inbox by default", () => {
    expect(parseHash("").view).toBe("skrzynka");
    expect(parseHash("#/").view).toBe("skrzynka");
  });

  it("builds addresses that parse back", () => {
    const r = parseHash(href("szukaj", null, { q: "zażółć gęślą" }));
    expect(r.view).toBe("szukaj");
    expect(r.params.get("q")).toBe("zażółć gęślą");
  });
});
