// One long job (an import or a scan) as the Skanowanie / Import view follows it: its events
// folded into a progress record the view renders.
import { useState } from "preact/hooks";
import type { JobEvent } from "./api";

export type FileLine = { path: string; outcome: string; error: string | null; code: string | null; id: number | null };
export type ScannedPage = { number: number; role: string; thumbnail: string | null };

export type Progress = {
  kind: "import" | "scan";
  job: number | null;
  files: number;
  lines: FileLine[];
  scanner: Extract<JobEvent, { kind: "scan_ready" }> | null;
  pages: ScannedPage[];
  scanned: Extract<JobEvent, { kind: "scanned" }> | null;
  ocr: { done: number; total: number; failed: number } | null;
  phase: "scan" | "import" | "ocr" | "extract" | "done" | "failed";
  finished: Extract<JobEvent, { kind: "finished" }> | null;
};

/** A fresh record for a job of `kind`. */
export function startProgress(kind: Progress["kind"]): Progress {
  return {
    kind,
    job: null,
    files: 0,
    lines: [],
    scanner: null,
    pages: [],
    scanned: null,
    ocr: null,
    phase: kind === "scan" ? "scan" : "import",
    finished: null,
  };
}

/** The record after event `e`. */
export function fold(p: Progress, e: JobEvent): Progress {
  switch (e.kind) {
    case "started":
      return { ...p, job: e.job, files: e.files };
    case "scan_ready":
      return { ...p, job: e.job, scanner: e };
    case "scan_page":
      return { ...p, pages: [...p.pages, { number: e.number, role: e.role, thumbnail: e.thumbnail }] };
    case "scanned":
      return { ...p, scanned: e, files: e.documents, phase: "import" };
    case "file":
      return {
        ...p,
        lines: [...p.lines, { path: e.path, outcome: e.outcome, error: e.error, code: e.code, id: e.document_id }],
      };
    case "ocr":
      return { ...p, phase: "ocr", ocr: { done: e.done, total: e.total, failed: e.failed } };
    case "extracting":
      return { ...p, phase: "extract" };
    case "finished":
      return { ...p, phase: "done", finished: e, job: null };
    case "failed":
      return { ...p, phase: "failed", job: null };
    default:
      // A newer shell's event this UI does not know: nothing to show.
      return p;
  }
}

/** The job being followed, how to start one, and its error. */
export function useJob() {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const running = progress !== null && !["done", "failed"].includes(progress.phase);

  /** Runs `start` (which calls the command with the event handler it is given). */
  const run = async (kind: Progress["kind"], start: (onEvent: (e: JobEvent) => void) => Promise<number>) => {
    setError(null);
    let state = startProgress(kind);
    setProgress(state);
    try {
      await start((e) => {
        state = fold(state, e);
        setProgress(state);
        if (e.kind === "failed") setError(e.error);
      });
    } catch (e) {
      state = { ...state, phase: "failed" };
      setProgress(state);
      setError(e);
    }
  };
  return { progress, error, setError, running, run };
}
