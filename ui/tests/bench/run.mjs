// The app benchmark (scripts/bench-app.sh): the release `skladnica-app` under Xvfb, driven over
// WebDriver. Measures
//   - start: process start → the inbox showing its data (the app's own clock), 5 starts;
//   - search: keystroke → rendered results, typing Polish words letter by letter in a large
//     library (every keystroke is a search);
//   - responsiveness: the longest gap between animation frames, and how many exceeded 100 ms,
//     while an import of a folder of scanned pages runs (import, OCR, extraction), with a search
//     typed every few seconds meanwhile.
// Options: --library DIR (the large library), --scans DIR (page images to import), --out FILE
// (appends the figures), --app BIN, --skip-import (start-up and search only, nothing appended).
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { repo, sleep, startHarness } from "../webdriver.mjs";

const opt = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const app = opt("app", join(repo, "target/release/skladnica-app"));
const library = opt("library");
const scans = opt("scans");
const out = opt("out");
if (!library || !scans) {
  console.error("bench-app: --library DIR and --scans DIR are needed");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "skladnica-bench-app-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f1 = (x) => x.toFixed(1);

async function session(lib) {
  const h = await startHarness({ app, env: { SKLADNICA_LIBRARY: lib, XDG_CONFIG_HOME: join(work, "config") } });
  return h;
}

const large = await session(library);
const docs = await (async () => {
  const s = await large.Session.open();
  await s.waitText(".statusbar", /dokument/, 60000);
  const text = await s.text(".statusbar");
  await s.close();
  return text.match(/([\d\s ]+) dokument/)?.[1].replace(/\D/g, "") ?? "?";
})();

// 1. Start-up.
const starts = [];
for (let i = 0; i < 5; i++) {
  const s = await large.Session.open();
  const t0 = Date.now();
  let ms = null;
  while (ms === null && Date.now() - t0 < 60000) {
    ms = await s.run("return window.__skladnicaPerf && window.__skladnicaPerf.startupMs");
    if (ms === null) await sleep(50);
  }
  starts.push(ms);
  await s.close();
  await sleep(500);
}
console.error(`start: ${starts.map(f1).join(", ")} ms`);

// 2. Keystroke → results.
const words = ["umowy", "decyzji", "dzierżawa", "zezwolenia", "podatku", "wniosek", "budżetu", "ochrony", "lokali", "gminy"];
const s = await large.Session.open();
await s.go("#/szukaj");
await s.find("#search-input");
// Letter by letter at a brisk typist's pace (about 7 keys a second), each keystroke a search.
for (const w of words) {
  for (const [i, ch] of [...w].entries()) {
    // The first letter replaces the last word.
    await s.type("#search-input", ch, i === 0);
    await sleep(150);
  }
  await sleep(300);
}
await sleep(500);
const searchMs = await s.run("return window.__skladnicaPerf.searchMs");
await s.close();
console.error(`search: ${searchMs.length} keystrokes, p50 ${f1(pct(searchMs, 50))} ms, p95 ${f1(pct(searchMs, 95))} ms`);

// 3. Responsiveness during an import.
if (process.argv.includes("--skip-import")) {
  console.log(`start ${starts.map(f1).join(", ")} ms; search p50 ${f1(pct(searchMs, 50))} p95 ${f1(pct(searchMs, 95))} max ${f1(Math.max(...searchMs))} ms over ${searchMs.length} keystrokes`);
  process.exit(0);
}
const fresh = await session(join(work, "library"));
const pages = readdirSync(scans).length;
const t = await fresh.Session.open();
await t.waitText("h1", "Skrzynka", 60000);
await t.go("#/import");
await t.type("#import-paths", scans);
await t.run("window.__skladnicaPerf.resetFrames()");
const importStart = Date.now();
await t.click(".dropzone button[type=submit]");
let done = false;
let probe = 0;
while (!done && Date.now() - importStart < 60 * 60 * 1000) {
  await sleep(5000);
  // A search typed while the import runs (through the reader library).
  const ms = await t.run(
    "const t0 = performance.now(); return window.__TAURI_INTERNALS__.invoke('search', { query: 'gminy', limit: 20, offset: 0, sort: 'relevance' }).then(() => performance.now() - t0)",
  );
  probe = Math.max(probe, ms);
  done = /Import zakończony|Przerwano/.test(await t.text(".progress").catch(() => ""));
}
const importSecs = (Date.now() - importStart) / 1000;
const frames = await t.run("return { max: window.__skladnicaPerf.maxFrameGapMs, long: window.__skladnicaPerf.longFrames }");
const progress = await t.text(".progress");
await t.close();
console.error(`import of ${pages} pages: ${f1(importSecs)} s, longest frame gap ${f1(frames.max)} ms, ${frames.long} over 100 ms`);

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
const report = `
## App (${new Date().toISOString().slice(0, 10)}, ${machine})

\`scripts/bench-app.sh\` (\`ui/tests/bench/run.mjs\`): the release app under Xvfb (software
rendering), driven over WebDriver.

| figure | value | target |
| --- | --- | --- |
| start: process start → inbox with data (5 starts, median / max) | ${f1(pct(starts, 50))} / ${f1(Math.max(...starts))} ms | < 1500 ms |
| keystroke → rendered results, ${docs} documents (${searchMs.length} keystrokes: p50 / p95 / max) | ${f1(pct(searchMs, 50))} / ${f1(pct(searchMs, 95))} / ${f1(Math.max(...searchMs))} ms | < 100 ms |
| import of ${pages} scanned pages (import, OCR, extraction) | ${f1(importSecs)} s | |
| longest gap between frames during it / frames over 100 ms | ${f1(frames.max)} ms / ${frames.long} | no freeze |
| a search during the import (IPC round trip, worst) | ${f1(probe)} ms | |

Import outcome: ${progress.split("\n").map((l) => l.trim()).filter(Boolean).slice(1).join("; ")}
`;
console.log(report);
if (out) appendFileSync(out, report);
process.exit(0);
