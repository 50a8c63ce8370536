// Figures the app benchmark reads (scripts/bench-app.sh): when the first view showed its data,
// how long each search took from keystroke to rendered results, and the longest gap between
// animation frames (a blocked UI thread). Cheap enough to stay on in the product.
import { api } from "./api";

type Perf = {
  /** Milliseconds from the process start to the first view showing its data. */
  startupMs: number | null;
  /** Keystroke → rendered results, per search. */
  searchMs: number[];
  /** The longest gap between two animation frames since the last reset. */
  maxFrameGapMs: number;
  /** Frames since the last reset that came more than 100 ms after the one before. */
  longFrames: number;
  resetFrames: () => void;
};

const perf: Perf = {
  startupMs: null,
  searchMs: [],
  maxFrameGapMs: 0,
  longFrames: 0,
  resetFrames: () => {
    perf.maxFrameGapMs = 0;
    perf.longFrames = 0;
    last = performance.now();
  },
};
(globalThis as unknown as { __skladnicaPerf: Perf }).__skladnicaPerf = perf;

let last = performance.now();
function frame(now: number) {
  perf.maxFrameGapMs = Math.max(perf.maxFrameGapMs, now - last);
  if (now - last > 100) perf.longFrames++;
  last = now;
  requestAnimationFrame(frame);
}
if (typeof requestAnimationFrame === "function") requestAnimationFrame(frame);

let interactiveMarked = false;
/** The first view has rendered its data: ask the shell how long since the process started. */
export function markInteractive() {
  if (interactiveMarked) return;
  interactiveMarked = true;
  requestAnimationFrame(() => {
    api.sinceStart().then((ms) => (perf.startupMs = ms), () => {});
  });
}

/** A search's results were rendered `ms` after the keystroke. */
export function recordSearch(ms: number) {
  perf.searchMs.push(ms);
  if (perf.searchMs.length > 1000) perf.searchMs.shift();
}
