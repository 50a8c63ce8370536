import { describe, expect, it } from "vitest";
import type { JobEvent } from "../../src/api";
import { fold, startProgress } from "../../src/job";

const run = (kind: "scan" | "import", events: JobEvent[]) => events.reduce(fold, startProgress(kind));

describe("following a job", () => {
  it("a scan collects its pages, then its documents, OCR and the end", () => {
    const p = run("scan", [
      { kind: "scan_ready", job: 3, device: "test:0", resolution: 300, mode: "Gray", source: "ADF" },
      { kind: "scan_page", number: 1, role: "content", thumbnail: "data:image/jpeg;base64,AA" },
      { kind: "scan_page", number: 2, role: "separator", thumbnail: null },
      { kind: "scanned", pages: 2, documents: 1, separators: 1, blank_pages: 0, scanner_error: null },
    ]);
    expect(p.job).toBe(3);
    expect(p.phase).toBe("import");
    expect(p.pages.map((x) => x.role)).toEqual(["content", "separator"]);
    expect(p.files).toBe(1);
    const end = [
      { kind: "file", path: "Skan nr 1.tiff", outcome: "imported", document_id: 9, error: null, code: null },
      { kind: "ocr", done: 1, total: 1, failed: 0 },
      { kind: "finished", imported: 1, duplicates: 0, failed: 0, ocr_pages: 1, ocr_failed: 0, cancelled: false },
    ] as JobEvent[];
    const done = end.reduce(fold, p);
    expect(done.phase).toBe("done");
    expect(done.job).toBeNull();
    expect(done.lines[0].id).toBe(9);
  });

  it("a failure ends the job, and an event it does not know changes nothing", () => {
    const p = run("import", [{ kind: "started", job: 1, files: 2 }]);
    expect(fold(p, { kind: "from_the_future" } as unknown as JobEvent)).toBe(p);
    const failed = fold(p, { kind: "failed", error: { code: "io", message: "disk gone" } });
    expect(failed.phase).toBe("failed");
    expect(failed.job).toBeNull();
  });
});
