// End to end in the real app: the built `skladnica-app` under Xvfb, driven over WebDriver
// through tauri-driver and WebKitWebDriver. A clerk's day in one run: add a unit, import a real
// scan, wait for OCR, accept the extracted metadata, choose the JRWA class, open a case, save as
// reviewed, find the document again by an inflected word and open it on its page. A second
// instance on the same library is told the library is in use; operator profiles; the library
// encrypted in the settings and opened again with its recovery passphrase. Screenshots of each
// main view go to docs/screenshots/. Prints "N passed, N failed".
//
// The letter registered in the RPW goes to the EZD simulator (skladnica-ezd-sim, which checks
// every request against the official contract) over the connection set up in the settings.
//
// Environment: SKLADNICA_APP (the app binary; default target/debug/skladnica-app),
// SKLADNICA_EZD_SIM (the simulator; default target/debug/skladnica-ezd-sim),
// TAURI_DRIVER (default ~/.cargo/bin/tauri-driver), SHARED (default ../shared beside the repo).
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repo, runner, sleep, startHarness } from "../webdriver.mjs";

const app = process.env.SKLADNICA_APP ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug/skladnica-app");
const shared = process.env.SHARED ?? resolve(repo, "../shared");
const scan = join(shared, "corpus/scans_admin/poleval2025-doclayout/test_a/ZARZADZENIE Nr 205_0.jpg");
const shots = join(repo, "docs/screenshots");
if (!existsSync(scan)) {
  console.error(`e2e: the corpus scan is missing: ${scan}`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), "skladnica-e2e-"));
// An app still closing may write into it as it goes: retry, and never fail the run on cleanup.
process.on("exit", () => {
  try {
    rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (e) {
    console.error(`e2e: ${work} not removed: ${e.message}`);
  }
});
// SANE sees only its `test` backend: virtual scanners, never a real one on this machine.
const sane = join(work, "sane");
mkdirSync(sane);
writeFileSync(join(sane, "dll.conf"), "test\n");
// The office's EZD: the simulator, started for this run.
const simBin = process.env.SKLADNICA_EZD_SIM ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug/skladnica-ezd-sim");
const sim = spawn(simBin, [join(shared, "reference/ezd/ezdrp-v2.json")], { stdio: ["ignore", "pipe", "pipe"] });
const violations = [];
sim.stderr.on("data", (d) => violations.push(String(d)));
const ezd = await new Promise((ok, fail) => {
  sim.on("error", fail);
  sim.stdout.once("data", (d) => ok(JSON.parse(String(d).split("\n")[0])));
});
process.on("exit", () => sim.kill());
const { Session, start, env } = await startHarness({
  app,
  env: {
    SKLADNICA_LIBRARY: join(work, "library"),
    XDG_CONFIG_HOME: join(work, "config"),
    XDG_DATA_HOME: join(work, "data"),
    SANE_CONFIG_DIR: sane,
    // The EZD key goes to the fallback file in this run's folder, never a keyring of the machine.
    SKLADNICA_NO_KEYRING: "1",
  },
});
const { test, summary } = runner();
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
  await s.screenshot(shots, "ustawienia");
});

await test("a real scan is imported, read by OCR and its metadata extracted", async () => {
  await s.go("#/import");
  await s.type("#import-paths", scan);
  await s.click(".dropzone button[type=submit]");
  await s.waitText(".progress", "Import zakończony.", 180000);
  const counts = await s.text(".progress p");
  if (!/nowe: 1/.test(counts)) throw new Error(counts);
  await s.screenshot(shots, "import");
});

await test("the inbox shows the new document with its OCR state", async () => {
  await s.go("#/skrzynka");
  const card = await s.waitText("li.card", /ZARZĄDZENIE Nr 205\/2013/);
  if (!/OCR: pewność/.test(card)) throw new Error(card);
  docHref = await s.run("return document.querySelector('li.card a.title').getAttribute('href')");
  await s.screenshot(shots, "skrzynka");
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
  await s.screenshot(shots, "dokument");
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
  await s.screenshot(shots, "wyszukiwanie");
  await s.click(".hits a.title");
  await s.waitText("#doc-title", "ZARZĄDZENIE");
  await s.find(".hit-box");
  const loaded = await s.run("const i = document.querySelector('.page-inner img'); return i.complete && i.naturalWidth > 0");
  if (!loaded) throw new Error("the page image did not load");
  // The same page of the archive PDF, drawn by the bundled pdf.js.
  await s.click(".segmented button:last-child");
  await s.waitText(".page-area", /^(?!Przygotowywanie)/, 60000);
  const shown = await s.run("return document.querySelector('.page-area').innerText");
  if (/Nie można/.test(shown)) throw new Error(`the PDF was not shown: ${shown}`);
  let inked = 0;
  for (let i = 0; i < 100 && inked === 0; i++) {
    inked = await s.run(
      "const c = document.querySelector('.pdf-page canvas'); if (!c || c.width === 0) return 0;" +
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;" +
        "for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++; return n;",
    );
    if (inked === 0) await sleep(300);
  }
  const failed = await s.run("const e = document.querySelector('.page-area [role=alert]'); return e ? e.textContent : ''");
  if (failed) throw new Error(`the PDF was not shown: ${failed}`);
  if (!(inked > 1000)) throw new Error(`the PDF page is blank (${inked} dark pixels)`);
  await s.click(".segmented button:first-child");
});

await test("the registers list the new case", async () => {
  await s.go("#/rejestry");
  await s.waitText("table", /OR\.\d+\.1\.\d{4}/);
  await s.screenshot(shots, "rejestry");
});

await test("the EZD connection is set up in the settings, the key asked for and never shown", async () => {
  await s.go("#/ustawienia");
  await s.type("#ezd-api_url", ezd.url);
  await s.type("#ezd-sso_url", ezd.url);
  await s.type("#ezd-pid", ezd.pid);
  await s.type("#ezd-aki", ezd.aki);
  await s.type("#ezd-sid", ezd.sid);
  await s.type("#ezd-key", ezd.key);
  await s.click(".ezd-form button[type=submit]");
  await s.waitText("section[aria-labelledby=ezd-title]", "Zapisano połączenie z EZD.");
  await s.waitText("section[aria-labelledby=ezd-title]", `Połączono z ${ezd.url}.`);
  const key = await s.run("return document.querySelector('#ezd-key').value");
  if (key !== "") throw new Error("the key is still shown");
});

await test("the letter is registered in the RPW from its document and listed in the register", async () => {
  await s.go(docHref);
  await s.waitText("#doc-title", "ZARZĄDZENIE");
  await s.open("details.rpw");
  await s.type("#rpw-institution", "Starostwo Powiatowe w Krakowie");
  await s.click("#rpw-register");
  await s.waitText(".document [role=alert]", "town (miejscowość) is missing");
  await s.type("#rpw-town", "Kraków");
  await s.type("#rpw-postal_code", "30-037");
  await s.type("#rpw-letter_date", "2013-10-21");
  await s.click("#rpw-register");
  const said = await s.waitText(".document > .notice", /Zarejestrowano przesyłkę pod numerem RPW\.1\.\d{4}/);
  const number = said.match(/RPW\.1\.\d{4}/)[0];
  await s.waitText(".rpw-done", number);
  await s.go("#/rejestry");
  await s.click("#tab-rpw");
  await s.waitText("#panel-rpw", "Starostwo Powiatowe w Krakowie");
  await s.waitText("#panel-rpw", number);
});

await test("the registered letter reaches the EZD by itself with its EZD number and case sign shown", async () => {
  await s.go("#/rejestry");
  await s.click("#tab-ezd");
  await s.waitText("#panel-ezd", "dostarczone", 60000);
  await s.waitText("#panel-ezd", /RPW\/1\/\d{4}/);
  // Filed under a case here, it went into the case the EZD opened under the same JRWA class.
  await s.waitText("#panel-ezd", /UG\.0050\.1\.\d{4}/);
  await s.screenshot(shots, "ezd");
  if (violations.length) throw new Error(`the simulator saw requests outside the contract: ${violations.join("")}`);
});

await test("the case is closed in the case register and listed for the archive when its period ends", async () => {
  await s.go("#/rejestry");
  await s.click("#tab-cases");
  await s.click("#panel-cases button.small");
  await s.click("#panel-cases button.danger");
  await s.waitText("section[aria-labelledby=reg-title] > .notice", /Zakończono sprawę OR\.\d+\.1\.\d{4}\./);
  await s.click("#tab-retention");
  await s.run("const d = document.querySelector('#ret-on'); d.value = '2100-01-01'; d.dispatchEvent(new Event('input', { bubbles: true }));");
  await s.waitText("#panel-retention", /OR\.\d+\.1\.\d{4}/);
});

await test("a stack is scanned from SANE's test scanner, each page shown as it comes, then imported", async () => {
  await s.go("#/import");
  await s.waitText("#scan-device", "test:0");
  await s.run(
    "const d = document.querySelector('#scan-device'); d.value = 'test:0'; d.dispatchEvent(new Event('change', { bubbles: true }));" +
      "const p = document.querySelector('#scan-profile'); p.value = 'dokumenty'; p.dispatchEvent(new Event('change', { bubbles: true }));",
  );
  await s.click(".scan-form button[type=submit]");
  await s.waitText(".progress", "Skanowanie zakończone.", 300000);
  const thumbs = await s.run("return document.querySelectorAll('.scan-pages img').length");
  const said = await s.text(".progress");
  const scanned = Number(/Zeskanowano (\d+) str/.exec(said)?.[1]);
  if (!(scanned >= 1) || thumbs !== scanned) throw new Error(`${thumbs} thumbnails for: ${said}`);
  if (!/Dokumenty: 1 z 1 — nowe: 1/.test(said)) throw new Error(said);
  await s.screenshot(shots, "skanowanie");
});

await test("the hot folder imports what is saved into it and moves a broken file aside with the reason", async () => {
  const hot = join(work, "skaner");
  mkdirSync(hot);
  await s.go("#/ustawienia");
  await s.type("#hot-settings-path", hot);
  await s.click(".hot-form button[type=submit]");
  await s.waitText("#hot-settings-status", "Zapisano ustawienia folderu obserwowanego.");
  // A scan already in the library (a duplicate) and a broken PDF.
  copyFileSync(scan, join(hot, "pismo.jpg"));
  writeFileSync(join(hot, "zepsuty.pdf"), "%PDF-1.4\nto nie jest PDF\n");
  await s.waitText("section[aria-labelledby=hot-settings-title]", "odrzucone 1", 60000);
  await s.waitText("section[aria-labelledby=hot-settings-title]", "plik jest uszkodzony");
  const refused = readdirSync(join(hot, "odrzucone")).sort();
  if (refused.join() !== "zepsuty.pdf,zepsuty.pdf.powod.txt") throw new Error(`odrzucone: ${refused}`);
  await s.waitText("section[aria-labelledby=hot-settings-title]", "w trakcie zapisu 0");
  if (!existsSync(join(hot, "zaimportowane"))) throw new Error("the duplicate was not moved out");
  await s.go("#/import");
  await s.click("input[role=switch]");
  await s.waitText("#hot-import-status", "Folder nie jest już obserwowany.");
});

await test("the office's JRWA is loaded from a CSV file in the settings; a missing file is named", async () => {
  const csv = join(work, "jrwa-urzedu.csv");
  copyFileSync(join(repo, "assets/jrwa/gmina-2011.csv"), csv);
  await s.go("#/ustawienia");
  await s.type("#jrwa-path", join(work, "nie-ma.csv"));
  await s.click(".jrwa-form button[type=submit]");
  await s.waitText("section[aria-labelledby=jrwa-source-title] [role=alert]", "nie-ma.csv");
  await s.type("#jrwa-path", csv);
  await s.type("#jrwa-name", "JRWA Urzędu 2027");
  await s.run("const d = document.querySelector('#jrwa-from'); d.value = '2027-01-01'; d.dispatchEvent(new Event('input', { bubbles: true }));");
  await s.click(".jrwa-form button[type=submit]");
  await s.waitText("#jrwa-status", /Wczytano „JRWA Urzędu 2027”: klas \d+, obowiązuje od/);
  await s.waitText("section[aria-labelledby=jrwa-source-title] table", "JRWA Urzędu 2027");
});

await test("the archivist exports the case to a carrier as a paczka archiwalna and verifies it", async () => {
  const carrier = join(work, "pendrive");
  mkdirSync(carrier);
  await s.go("#/archiwum");
  await s.type("#export-target", carrier);
  await s.click(".case-choice input[type=checkbox]");
  await s.click("form[aria-labelledby=export-title] button[type=submit]");
  const said = await s.waitText("#export-status", /Zapisano paczkę: spraw 1, dokumentów 1, plików \d+/, 120000);
  const pkg = join(carrier, readdirSync(carrier)[0]);
  const check = spawnSync("sha256sum", ["--check", "--strict", "--quiet", "sumy-kontrolne.sha256"], { cwd: pkg });
  if (check.status !== 0) throw new Error(`sha256sum: ${check.stdout}`);
  if (!existsSync(join(pkg, "spis-zdawczo-odbiorczy.html")) || !existsSync(join(pkg, "potwierdzenie.html"))) throw new Error(`${said}: no spis or confirmation`);
  await s.click("form[aria-labelledby=verify-title] button[type=submit]");
  await s.waitText("#verify-status", "Paczka jest kompletna i nieuszkodzona", 60000);
  await s.waitText("section[aria-labelledby=log-title]", "paczka-");
  // A share registered as a carrier is exported to by the app itself, at once (never before).
  const share = join(work, "udzial");
  mkdirSync(share, { recursive: true });
  await s.click("#target-add");
  await s.type("#target-name", "Starostwo");
  await s.type("#target-path", share);
  await s.click("form.target-form button[type=submit]");
  await s.waitText("section[aria-labelledby=targets-title]", "Ostatni eksport", 120000);
  if (!readdirSync(share).some((n) => n.startsWith("paczka-"))) throw new Error(`no package in ${share}`);
  // Clicking scrolled the whole window along with the view; the shell goes back in place.
  await s.run("window.scrollTo(0, 0); document.querySelector('main').scrollTo(0, 0)");
  await s.screenshot(shots, "archiwum");
  await s.run("document.querySelector('#targets-title').scrollIntoView()");
  await s.screenshot(shots, "nosniki");
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

await test("operator profiles: an administrator is added in the settings; signed out, the app asks who works, and a clerk may not change the settings", async () => {
  // The instance closed by the test before may hold the library's lock for a moment yet.
  await sleep(3000);
  const o = await Session.open();
  try {
    await o.waitText("h1", "Skrzynka");
    await o.go("#/ustawienia");
    await o.type("#op-name", "Jan Kowalski");
    await o.type("#op-password", "Tajne-hasło-1");
    await o.type("#op-again", "Tajne-hasło-1");
    await o.click("section[aria-labelledby=operators-title] form button[type=submit]");
    await o.waitText(".operator", "Jan Kowalski");
    await o.type("#op-name", "Anna Nowak");
    await o.run("const r = document.querySelector('#op-role'); r.value = 'clerk'; r.dispatchEvent(new Event('change', { bubbles: true }))");
    await o.click("section[aria-labelledby=operators-title] form button[type=submit]");
    await o.waitText("section[aria-labelledby=operators-title]", "Dodano profil: Anna Nowak.");
    await o.click(".operator button");
    await o.waitText("#sign-in-title", "Kto pracuje przy tym stanowisku?");
    // Anna Nowak comes first and has no password.
    await o.click(".sign-in button[type=submit]");
    await o.waitText(".operator", "Anna Nowak");
    await o.go("#/ustawienia");
    await o.waitText("main", "Ustawienia zmienia administrator");
    await o.type("#unit-code", "OŚ");
    await o.type("#unit-name", "Referat Ochrony Środowiska");
    await o.click(".settings-block form.inline button[type=submit]");
    await o.waitText("[role=alert]", "Anna Nowak (clerk) may not change the settings");
  } finally {
    await o.close();
  }
});

await test("encryption: the administrator encrypts the library in the settings; started again without its key, the app asks for the recovery passphrase and opens with it", async () => {
  await sleep(3000);
  const e = await Session.open();
  try {
    await e.waitText("#sign-in-title", "Kto pracuje przy tym stanowisku?");
    await e.run("[...document.querySelectorAll('.sign-in label')].find((l) => l.textContent.includes('Jan Kowalski')).querySelector('input').click()");
    await e.type("#sign-in-password", "Tajne-hasło-1");
    await e.click(".sign-in button[type=submit]");
    await e.waitText(".operator", "Jan Kowalski");
    await e.go("#/ustawienia");
    await e.type("#enc-passphrase", "zielona łąka nad Odrą");
    await e.type("#enc-again", "zielona łąka nad Odrą");
    await e.click("section[aria-labelledby=encryption-title] form button[type=submit]");
    await e.waitText("section[aria-labelledby=encryption-title]", "Biblioteka jest zaszyfrowana: baza, oryginały i indeks.", 120000);
    // This run has no keyring: the app says the passphrase will be asked at the next start.
    await e.waitText("section[aria-labelledby=encryption-title]", "żaden pęk kluczy nie przyjął klucza");
    // Still signed in, and the documents are there.
    await e.waitText(".operator", "Jan Kowalski");
    await e.go("#/szukaj");
    await e.type("#search-input", "przydziałem");
    await e.waitText(".hits", "ZARZĄDZENIE", 30000);
  } finally {
    await e.close();
  }
  await sleep(3000);
  const u = await Session.open();
  try {
    await u.waitText("#unlock-title", "Biblioteka jest zaszyfrowana");
    await u.type("#unlock-passphrase", "czerwona łąka nad Wisłą");
    await u.click(".sign-in button[type=submit]");
    await u.waitText("[role=alert]", "not this library's");
    await u.type("#unlock-passphrase", "zielona łąka nad Odrą");
    await u.click(".sign-in button[type=submit]");
    await u.waitText("#sign-in-title", "Kto pracuje przy tym stanowisku?", 30000);
  } finally {
    await u.close();
  }
});

process.exit(summary("e2e") ? 1 : 0);
