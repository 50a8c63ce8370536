// End to end in the real app: the built `skladnica-app` under Xvfb, driven over WebDriver
// through tauri-driver and WebKitWebDriver. A clerk's day in one run: add a unit, import a real
// scan, wait for OCR, accept the extracted metadata, choose the JRWA class, open a case, save as
// reviewed, find the document again by an inflected word and open it on its page. A second
// instance on the same library is told the library is in use. Screenshots of each main view go
// to docs/screenshots/. Prints "N passed, N failed".
//
// Environment: SKLADNICA_APP (the app binary; default target/debug/skladnica-app),
// TAURI_DRIVER (default ~/.cargo/bin/tauri-driver), SHARED (default ../shared beside the repo).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
const app = process.env.SKLADNICA_APP ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug/skladnica-app");
const driverBin = process.env.TAURI_DRIVER ?? join(homedir(), ".cargo/bin/tauri-driver");
const shared = process.env.SHARED ?? resolve(repo, "../shared");
const scan = join(shared, "corpus/scans_admin/poleval2025-doclayout/test_a/ZARZADZENIE Nr 205_0.jpg");
const shots = join(repo, "docs/screenshots");
for (const [what, path] of [["the app", app], ["tauri-driver", driverBin], ["the corpus scan", scan]]) {
  if (!existsSync(path)) {
    console.error(`e2e: ${what} is missing: ${path}`);
    process.exit(1);
  }
}
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "skladnica-e2e-"));
const library = join(work, "library");
const children = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function start(cmd, args, env) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err = (err + d).slice(-4000)));
  child.lastError = () => err;
  children.push(child);
  return child;
}

function cleanup() {
  for (const c of children.reverse()) c.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.on("exit", cleanup);

// A display of our own unless one is given.
let display = process.env.DISPLAY;
if (!display || process.env.SKLADNICA_E2E_XVFB === "1") {
  display = ":" + (90 + Math.floor(Math.random() * 100));
  start("Xvfb", [display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"]);
  await sleep(500);
}
const env = {
  DISPLAY: display,
  SKLADNICA_LIBRARY: library,
  XDG_CONFIG_HOME: join(work, "config"),
  XDG_DATA_HOME: join(work, "data"),
  // WebKitGTK's compositing and sandbox do not work under Xvfb in a container.
  WEBKIT_DISABLE_COMPOSITING_MODE: "1",
  WEBKIT_DISABLE_DMABUF_RENDERER: "1",
  LANG: "pl_PL.UTF-8",
};
const port = 4444 + Math.floor(Math.random() * 400);
const driver = start(driverBin, ["--port", String(port), "--native-port", String(port + 1000)], env);

async function wd(method, path, body) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(120000),
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json).slice(0, 400)}`);
  return json.value;
}

async function waitForDriver() {
  for (let i = 0; i < 100; i++) {
    try {
      await wd("GET", "/status");
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`tauri-driver did not start: ${driver.lastError()}`);
}

class Session {
  static async open() {
    const v = await wd("POST", "/session", {
      capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application: app } } },
    });
    const s = new Session();
    s.id = v.sessionId;
    return s;
  }
  cmd(method, path, body) {
    return wd(method, `/session/${this.id}${path}`, body);
  }
  async find(css, timeout = 15000) {
    const until = Date.now() + timeout;
    for (;;) {
      try {
        const el = await this.cmd("POST", "/element", { using: "css selector", value: css });
        return Object.values(el)[0];
      } catch (e) {
        if (Date.now() > until) throw new Error(`no element ${css} within ${timeout} ms`);
        await sleep(150);
      }
    }
  }
  async text(css, timeout) {
    return this.cmd("GET", `/element/${await this.find(css, timeout)}/text`);
  }
  async waitText(css, wanted, timeout = 20000) {
    const until = Date.now() + timeout;
    let last = "";
    while (Date.now() < until) {
      try {
        last = await this.text(css, 1000);
        if (wanted instanceof RegExp ? wanted.test(last) : last.includes(wanted)) return last;
      } catch {}
      await sleep(200);
    }
    throw new Error(`${css} never showed ${wanted}; last: ${last.slice(0, 300)}`);
  }
  async click(css) {
    const el = await this.find(css);
    // Into the middle of the view first, clear of the sticky save bar.
    await this.run("arguments[0].scrollIntoView({ block: 'center' })", { "element-6066-11e4-a52e-4f735466cecf": el });
    await this.cmd("POST", `/element/${el}/click`, {});
  }
  async type(css, text, clear = true) {
    const el = await this.find(css);
    if (clear) await this.cmd("POST", `/element/${el}/clear`, {});
    await this.cmd("POST", `/element/${el}/value`, { text });
  }
  async go(hash) {
    await this.cmd("POST", "/execute/sync", { script: `location.hash = ${JSON.stringify(hash)}`, args: [] });
  }
  async run(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }
  // WebKitWebDriver's own screenshot hangs under Xvfb here; the X server's picture of the
  // window (at the top left, no window manager) is the same thing.
  async screenshot(name) {
    await sleep(700);
    const r = spawnSync("/usr/bin/import", ["-display", display, "-window", "root", "-crop", "1280x820+0+0", "+repage", join(shots, `${name}.png`)]);
    if (r.status !== 0) throw new Error(`screenshot ${name}: ${r.stderr}`);
  }
  async close() {
    await wd("DELETE", `/session/${this.id}`).catch(() => {});
  }
}

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split("\n").slice(0, 5).join("\n  ")}${e.cause ? `\n  cause: ${e.cause}` : ""}`);
  }
}

await waitForDriver();
const s = await Session.open();
let docHref = null;

await test("the window opens in Polish on an empty library and says what to do", async () => {
  await s.waitText("h1", "Skrzynka");
  await s.waitText(".empty", "Skrzynka jest pusta");
  const title = await s.cmd("GET", "/title");
  if (title !== "Składnica") throw new Error(`window title ${title}`);
});

await test("a unit is added in the settings", async () => {
  await s.go("#/ustawienia");
  await s.type("#unit-code", "OR");
  await s.type("#unit-name", "Referat Organizacyjny");
  await s.click(".settings-block form.inline button[type=submit]");
  await s.waitText("[role=status]", "Dodano komórkę OR");
  await s.screenshot("ustawienia");
});

await test("a real scan is imported, read by OCR and its metadata extracted", async () => {
  await s.go("#/import");
  await s.type("#import-paths", scan);
  await s.click(".dropzone button[type=submit]");
  await s.waitText(".progress", "Import zakończony.", 180000);
  const counts = await s.text(".progress p");
  if (!/nowe: 1/.test(counts)) throw new Error(counts);
  await s.screenshot("import");
});

await test("the inbox shows the new document with its OCR state", async () => {
  await s.go("#/skrzynka");
  const card = await s.waitText("li.card", /ZARZĄDZENIE Nr 205\/2013/);
  if (!/OCR: pewność/.test(card)) throw new Error(card);
  docHref = await s.run("return document.querySelector('li.card a.title').getAttribute('href')");
  await s.screenshot("skrzynka");
});

await test("the clerk accepts the metadata, files it under JRWA in a new case and saves it reviewed", async () => {
  await s.go(docHref);
  await s.waitText("#doc-title", "ZARZĄDZENIE");
  const date = await s.run("return document.querySelector('#field-data').value");
  if (date !== "2013-10-21") throw new Error(`date ${date}`);
  await s.click(".doc-form .toolbar button");
  await s.type("#jrwa-query", "0050");
  await s.click('.jrwa ul[aria-label="Klasy wykazu akt"] button:not([disabled])');
  await s.waitText(".doc-form", "Klasa JRWA: 0050");
  await s.run("document.querySelector('.case details').open = true");
  await s.click(".case details button");
  const created = await s.waitText(".case [role=status]", /Założono sprawę OR\.\d+\.1\.\d{4}/);
  await s.screenshot("dokument");
  await s.click(".actions button.primary");
  await s.waitText("h1", "Skrzynka");
  const sign = created.match(/OR\.\d+\.1\.\d{4}/)[0];
  await s.go(docHref);
  await s.waitText(".case", sign);
  await s.waitText(".view-header", "przejrzany");
  const source = await s.text("label[for=field-data]");
  if (!source.includes("zatwierdzone")) throw new Error(`data label: ${source}`);
});

await test("the document is found by an inflected word and opens on its page with the hit marked", async () => {
  await s.go("#/szukaj");
  await s.type("#search-input", "przydziałem");
  await s.waitText(".hits", "ZARZĄDZENIE");
  await s.waitText(".snippet", /przydział/i);
  await s.screenshot("wyszukiwanie");
  await s.click(".hits a.title");
  await s.waitText("#doc-title", "ZARZĄDZENIE");
  await s.find(".hit-box");
  const loaded = await s.run("const i = document.querySelector('.page-inner img'); return i.complete && i.naturalWidth > 0");
  if (!loaded) throw new Error("the page image did not load");
});

await test("the registers list the new case", async () => {
  await s.go("#/rejestry");
  await s.waitText("table", /OR\.\d+\.1\.\d{4}/);
  await s.screenshot("rejestry");
});

await s.close();

await test("a second instance on the same library says it is in use and only lets it be viewed", async () => {
  const first = start(app, [], env);
  await sleep(3000);
  const second = await Session.open();
  try {
    await second.waitText(".warning", "otwarta w innym oknie");
    await second.go("#/ustawienia");
    await second.type("#unit-code", "GKM");
    await second.type("#unit-name", "Referat Gospodarki Komunalnej");
    await second.click(".settings-block form.inline button[type=submit]");
    await second.waitText("[role=alert]", "tylko przeglądać");
  } finally {
    await second.close();
    first.kill("SIGTERM");
  }
});

console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
