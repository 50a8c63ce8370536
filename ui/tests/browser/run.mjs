// Browser tests of the built UI (dist/) in headless Chromium (the system's, driven by
// playwright-core), with the Tauri IPC replaced by mock-ipc.js: every view is checked with
// axe-core (no serious or critical violation), the review loop works with the keyboard alone,
// and errors come out as clear Polish messages. Prints "N passed, N failed".
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = join(here, "../../dist");
const axeSource = await readFile(join(here, "../../node_modules/axe-core/axe.min.js"), "utf8");
const mock = await readFile(join(here, "mock-ipc.js"), "utf8");
const browserPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
if (!browserPath) {
  console.error("browser tests: Chromium is not installed (Debian package chromium)");
  process.exit(1);
}

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".woff2": "font/woff2" };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  try {
    const file = path === "/" ? "index.html" : path;
    const body = await readFile(join(dist, file));
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ["--no-sandbox"] });
const context = await browser.newContext({ locale: "pl-PL", viewport: { width: 1280, height: 820 } });
await context.addInitScript(mock);

let passed = 0;
let failed = 0;
async function test(name, fn) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await fn(page);
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split("\n").slice(0, 6).join("\n  ")}`);
  } finally {
    await page.close();
  }
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length) {
    throw new Error(
      bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`).join("\n"),
    );
  }
}

const views = [
  ["Skrzynka", "#/skrzynka", "Decyzja o warunkach zabudowy"],
  ["Dokument", "#/dokument/1?q=umowa", "Przyjmij wszystkie podpowiedzi"],
  ["Wyszukiwanie", "#/szukaj?q=umowy", "1 dokument"],
  ["Skanowanie i import", "#/import", "Przeciągnij tu pliki"],
  ["Rejestry", "#/rejestry", "GKM.6730.1.2024"],
  ["Archiwum", "#/archiwum", "Historia eksportu"],
  ["Ustawienia", "#/ustawienia", "Komórki organizacyjne"],
];
for (const [name, hash, text] of views) {
  await test(`${name}: renders in Polish with no serious or critical axe violation`, async (page) => {
    await page.goto(base + hash);
    await page.getByText(text).first().waitFor({ timeout: 5000 });
    const lang = await page.evaluate(() => document.documentElement.lang);
    if (lang !== "pl") throw new Error(`page language is ${lang}`);
    await axe(page);
  });
}

await test("English is available and remembered", async (page) => {
  await page.goto(base + "#/skrzynka");
  await page.getByRole("button", { name: "EN" }).click();
  await page.getByRole("heading", { name: "Inbox" }).waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "Inbox" }).waitFor();
  await page.getByRole("button", { name: "PL" }).click();
  await page.getByRole("heading", { name: "Skrzynka" }).waitFor();
});

await test("search as you type shows highlighted snippets, facets add filters, a bad query says why", async (page) => {
  await page.goto(base + "#/szukaj");
  // The search field has the focus as the view opens.
  await page.locator("#search-input:focus").waitFor();
  await page.keyboard.type("dzierżawy");
  await page.locator(".snippet b").first().waitFor();
  await page.getByRole("button", { name: /2024/ }).click();
  const q = await page.locator("#search-input").inputValue();
  if (q !== "dzierżawy rok:2024") throw new Error(`query is now ${q}`);
  await page.getByRole("button", { name: /Wójt Gminy Iwanowice/ }).click();
  const withSender = await page.locator("#search-input").inputValue();
  if (withSender !== 'dzierżawy rok:2024 nadawca:"Wójt Gminy Iwanowice"') throw new Error(`query is now ${withSender}`);
  await page.getByLabel("Kolejność").selectOption("newest");
  await page.waitForFunction(() => window.__mock.sorts.at(-1) === "newest");
  await page.locator("#search-input").fill("umowa rok:abc");
  await page.getByRole("alert").getByText("Nie rozumiem tego zapytania.").waitFor();
  await page.getByText("rok: needs a year").waitFor();
});

await test("the review loop works with the keyboard alone: accept suggestions, save as reviewed", async (page) => {
  await page.goto(base + "#/dokument/1?q=umowa");
  await page.getByText("Przyjmij wszystkie podpowiedzi (2)").waitFor();
  await page.keyboard.press("Alt+A");
  const date = await page.locator("#field-data").inputValue();
  if (date !== "2024-03-05") throw new Error(`date field holds ${date}`);
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => window.__mock.reviewed.length === 1);
  const saved = await page.evaluate(() => window.__mock.saved[0].values);
  const keys = saved.map(([k]) => k).sort();
  for (const k of ["data", "nadawca", "rodzaj", "tytul"]) if (!keys.includes(k)) throw new Error(`saved ${keys}`);
});

await test("a search hit is highlighted on the page image from the OCR word boxes", async (page) => {
  // The page image itself comes from the shell's page: scheme, which a plain browser lacks; the
  // boxes are checked on the real app (tests/e2e).
  await page.goto(base + "#/dokument/1?q=umowa");
  await page.getByText("1 trafienie na stronie").waitFor();
  // The archive PDF comes from the same scheme: here its absence must be said, in Polish.
  await page.getByRole("button", { name: "PDF archiwalny" }).click();
  await page.getByRole("alert").getByText("Nie można pokazać archiwalnego PDF tego dokumentu.").waitFor();
  if ((await page.getByRole("button", { name: "PDF archiwalny" }).getAttribute("aria-pressed")) !== "true") throw new Error("not pressed");
  await axe(page);
});

await test("a JRWA class is chosen by search, then a new case gets its generated sign", async (page) => {
  await page.goto(base + "#/dokument/1");
  await page.locator("#jrwa-query").fill("zabudowy");
  await page.getByRole("button", { name: /6730 Ustalanie/ }).first().click();
  await page.getByText("Załóż nową sprawę").click();
  await page.getByRole("button", { name: "Załóż sprawę w klasie 6730" }).click();
  await page.getByText("Założono sprawę GKM.6730.2.2026.").waitFor();
});

await test("an incoming letter is registered in the RPW from the document: missing parts are named, then it gets its number", async (page) => {
  await page.goto(base + "#/dokument/1");
  await page.getByText("Zarejestruj w rejestrze przesyłek wpływających (RPW)").click();
  const name = page.locator("#rpw-institution");
  if ((await name.inputValue()) !== "") throw new Error("sender prefilled from nothing");
  await page.locator("#rpw-title").waitFor();
  if ((await page.locator("#rpw-title").inputValue()) !== "Decyzja o warunkach zabudowy") throw new Error("title not prefilled");
  await page.getByRole("button", { name: "Zarejestruj przesyłkę" }).click();
  await page.getByRole("alert").getByText("the sender's town (miejscowość) is missing").waitFor();
  await page.getByRole("radio", { name: "Osoba" }).check();
  await page.locator("#rpw-surname").fill("Kowalski");
  await page.locator("#rpw-first_names").fill("Jan Maria");
  await page.locator("#rpw-town").fill("Iwanowice");
  await page.getByLabel("Pismo nie ma daty").check();
  await page.locator("#rpw-delivery").selectOption("inperson");
  await axe(page);
  await page.getByRole("button", { name: "Zarejestruj przesyłkę" }).click();
  await page.getByText("Zarejestrowano przesyłkę pod numerem RPW.13.2026.").waitFor();
  const [sent] = await page.evaluate(() => window.__mock.registered);
  const f = sent.form;
  if (sent.document !== 1 || f.institution !== null || f.surname !== "Kowalski" || f.first_names !== "Jan Maria" || !f.undated || f.letter_date !== null || f.delivery !== "inperson" || f.country !== "PL")
    throw new Error(JSON.stringify(sent));
});

await test("a document's history shows who changed what, with the old and new values", async (page) => {
  await page.goto(base + "#/dokument/1");
  await page.getByText("Historia dokumentu").click();
  await page.getByText("dodano do składnicy").waitFor();
  await page.getByText("tytul: skan → Decyzja o warunkach zabudowy").waitFor();
  await page.getByText("(Anna Nowak)").waitFor();
  await axe(page);
});

await test("personal numbers are masked until the operator asks to see them, which is logged", async (page) => {
  await page.goto(base + "#/dokument/1");
  await page.getByText(/Odczytane identyfikatory/).click();
  await page.getByText(/PESEL: \*{9}45/).waitFor();
  await page.getByRole("button", { name: /Pokaż numery PESEL/ }).click();
  await page.getByText(/PESEL: 85010112345/).waitFor();
  if ((await page.evaluate(() => window.__mock.revealed)) !== 1) throw new Error("not asked for once");
  if (await page.getByRole("button", { name: /Pokaż numery PESEL/ }).count()) throw new Error("still offered");
});

await test("the office's JRWA is loaded from a CSV file in the settings; a bad file is refused with the reason", async (page) => {
  await page.goto(base + "#/ustawienia");
  await page.getByText("JRWA gminy (zał. 2 do Dz.U. 2011 nr 14 poz. 67)").waitFor();
  await page.locator("#jrwa-path").fill("/home/urzad/jrwa.xlsx");
  await page.getByRole("button", { name: "Wczytaj wykaz" }).click();
  await page.getByRole("alert").getByText("Nieprawidłowy wykaz akt (JRWA).").waitFor();
  await page.locator("#jrwa-path").fill("/home/urzad/jrwa-2027.csv");
  await page.locator("#jrwa-name").fill("JRWA Urzędu Gminy 2027");
  await page.locator("#jrwa-from").fill("2027-01-01");
  await page.getByRole("button", { name: "Wczytaj wykaz" }).click();
  await page.getByText("Wczytano „JRWA Urzędu Gminy 2027”: klas 512").waitFor();
  await page.getByText("Pominięte kolumny: uwagi.").waitFor();
  await page.locator("tr", { hasText: "JRWA Urzędu Gminy 2027" }).getByText("obowiązuje").waitFor();
  await axe(page);
});

await test("a case is closed from the case register, and the retention list says what is due for which case", async (page) => {
  await page.goto(base + "#/rejestry");
  await page.getByRole("button", { name: "Zakończ sprawę GKM.6730.1.2024" }).click();
  await page.getByRole("button", { name: "Potwierdź zakończenie GKM.6730.1.2024" }).click();
  await page.getByText("Zakończono sprawę GKM.6730.1.2024.").waitFor();
  if ((await page.evaluate(() => window.__mock.closed)).join() !== "GKM.6730.1.2024") throw new Error("not closed once");
  await page.getByRole("tab", { name: "Brakowanie i przekazanie" }).click();
  await page.getByText("OR.0052.1.2014").waitFor();
  await page.getByText("kategorię uzupełniono ręcznie").waitFor();
  await axe(page);
  await page.getByLabel("Czynność").selectOption("transfer");
  await page.getByText("OR.0052.1.2014").waitFor({ state: "detached" });
  await page.locator("#panel-retention td", { hasText: "do przekazania do archiwum państwowego" }).waitFor();
  // Brakowanie: the cases due for destruction are ticked and destroyed under the archive's approval.
  await page.getByLabel("Czynność").selectOption("");
  await page.getByRole("checkbox", { name: "Zaznacz sprawę OR.0052.1.2014" }).check();
  if (await page.getByRole("checkbox", { name: "Zaznacz sprawę GKM.6730.3.2000" }).count()) throw new Error("a category A case can be ticked for destruction");
  await page.locator("#brakowanie-approval").fill("ZN.6343.12.2026");
  await axe(page);
  await page.getByRole("button", { name: "Zniszcz zaznaczone sprawy" }).click();
  await page.getByText("Zniszczono 1 spraw(y) (3 dokumentów).").waitFor();
  const destroyed = await page.evaluate(() => window.__mock.destroyed);
  if (JSON.stringify(destroyed) !== JSON.stringify([{ sign: "OR.0052.1.2014", approval: "ZN.6343.12.2026" }])) throw new Error(JSON.stringify(destroyed));
});

await test("a document in no case is removed only with a reason", async (page) => {
  await page.goto(base + "#/dokument/1");
  await page.getByText("Usuń dokument…").click();
  const button = page.getByRole("button", { name: "Usuń dokument", exact: true });
  if (!(await button.isDisabled())) throw new Error("removal offered without a reason");
  await page.locator("#remove-reason").fill("skan zdublowany");
  await button.click();
  await page.getByRole("heading", { name: "Skrzynka" }).waitFor();
  const removed = await page.evaluate(() => window.__mock.removed);
  if (removed?.id !== 1 || removed.reason !== "skan zdublowany") throw new Error(JSON.stringify(removed));
});

await test("the archivist writes a package of chosen cases to a carrier, verifies it, and a damaged one lists its problems", async (page) => {
  await page.goto(base + "#/archiwum");
  await page.locator("#export-target").fill("/media/urzad/PENDRIVE");
  await page.getByRole("checkbox", { name: /GKM\.6730\.1\.2024/ }).check();
  await page.getByLabel("Tylko zmiany od ostatniego eksportu do tego folderu").check();
  await axe(page);
  await page.getByRole("button", { name: "Zapisz paczkę" }).click();
  await page.getByText("Zapisano paczkę: spraw 1, dokumentów 2, plików 11").waitFor();
  await page.getByText("Pominięto dokumenty: 1.").waitFor();
  const [sent] = await page.evaluate(() => window.__mock.exports);
  if (sent.cases.join() !== "GKM.6730.1.2024" || !sent.since_last || sent.all || sent.target !== "/media/urzad/PENDRIVE") throw new Error(JSON.stringify(sent));
  // The package's folder is filled in for checking it.
  await page.getByRole("button", { name: "Sprawdź" }).click();
  await page.getByText("Paczka jest kompletna i nieuszkodzona").waitFor();
  await page.locator("#verify-dir").fill("/media/urzad/PENDRIVE/paczka-uszkodzona");
  await page.getByRole("button", { name: "Sprawdź" }).click();
  await page.getByText("Znaleziono problemy: 2.").waitFor();
  await page.getByText("checksum differs").waitFor();
  await axe(page);
  await page.getByRole("button", { name: "Zapisz kopię" }).click();
  await page.getByText(/Zapisano kopię .*kopia-2026-11-23/).waitFor();
});

await test("a backup is encrypted with a passphrase asked twice and never kept; verifying it asks for the passphrase", async (page) => {
  await page.goto(base + "#/archiwum");
  await page.locator("#export-target").fill("/media/urzad/PENDRIVE");
  await page.getByLabel(/Zaszyfruj hasłem/).check();
  await page.locator("#backup-pass").fill("krótkie");
  await page.getByText("Hasło musi mieć co najmniej 10 znaków.").waitFor();
  if (await page.getByRole("button", { name: "Zapisz kopię" }).isEnabled()) throw new Error("a short passphrase is taken");
  await page.locator("#backup-pass").fill("Zima w Iwanowicach");
  await page.locator("#backup-pass2").fill("Zima w Iwanowicach!");
  await page.getByText("Hasła się różnią.").waitFor();
  await page.locator("#backup-pass2").fill("Zima w Iwanowicach");
  await axe(page);
  await page.getByRole("button", { name: "Zapisz kopię" }).click();
  await page.getByText(/Zapisano kopię .*kopia-2026-11-23\.tar\.age/).waitFor();
  const backups = await page.evaluate(() => window.__mock.backups);
  if (backups.join() !== "Zima w Iwanowicach") throw new Error(JSON.stringify(backups));
  if ((await page.locator("#backup-pass").inputValue()) !== "") throw new Error("the passphrase stays in the form");
  // The encrypted file is filled in for checking; it asks for the passphrase.
  await page.locator("#verify-pass").fill("złe hasło 1234");
  await page.getByRole("button", { name: "Sprawdź" }).click();
  await page.getByText("the passphrase is wrong").waitFor();
  await page.locator("#verify-pass").fill("Zima w Iwanowicach");
  await page.getByRole("button", { name: "Sprawdź" }).click();
  await page.getByText("Kopia jest kompletna i nieuszkodzona").waitFor();
  await axe(page);
});

await test("carriers are exported to on a schedule: an overdue disk is flagged, a share is added and exported to at once", async (page) => {
  await page.goto(base + "#/archiwum");
  // The overdue disk is flagged in the navigation, the status bar and its card.
  await page.getByRole("link", { name: /Archiwum/ }).getByLabel("Zaległy eksport").waitFor();
  await page.getByRole("contentinfo").getByText("Zaległy eksport: Dysk archiwum").waitFor();
  await page.getByRole("alert").getByText("Eksport zaległy: minęło ponad 7 dni").waitFor();
  await page.getByText("Dysk nie jest podłączony.").waitFor();
  await page.getByText("the disk ARCHIWUM is not plugged in").waitFor();
  if (await page.getByRole("button", { name: "Eksportuj teraz" }).isEnabled()) throw new Error("export enabled for an unplugged disk");
  await axe(page);
  await page.getByRole("button", { name: "Dodaj nośnik" }).click();
  await page.getByLabel("Nazwa").fill("Dysk archiwum");
  await page.getByLabel("folder lub udział sieciowy").check();
  await page.getByLabel("Folder", { exact: true }).fill("/mnt/starostwo/archiwum");
  await page.getByLabel("Jak często").selectOption("1");
  await axe(page);
  await page.getByRole("button", { name: "Dodaj", exact: true }).click();
  await page.getByText("there is a target called Dysk archiwum already").waitFor();
  await page.getByLabel("Nazwa").fill("Starostwo");
  await page.getByRole("button", { name: "Dodaj", exact: true }).click();
  await page.getByText("Dodano nośnik Starostwo.").waitFor();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Starostwo" }) });
  await card.getByText("co dzień").waitFor();
  await card.getByText("Podłączony: /mnt/starostwo/archiwum").waitFor();
  await card.getByRole("button", { name: "Eksportuj teraz" }).click();
  await page.getByText("Wyeksportowano na Starostwo: dokumentów 2, paczka /mnt/starostwo/archiwum/paczka-2026-11-23.").waitFor();
  await card.getByText(/Ostatni eksport: .*paczka-2026-11-23/).waitFor();
  await page.getByRole("button", { name: "Usuń nośnik Dysk archiwum" }).click();
  await page.getByText("Usunięto nośnik Dysk archiwum").waitFor();
  await page.getByRole("heading", { name: "Dysk archiwum" }).waitFor({ state: "detached" });
  await axe(page);
});

await test("the EZD connection is set up in the settings with its key asked and never shown; the outbox shows each letter and sends a refused one again", async (page) => {
  await page.goto(base + "#/rejestry");
  await page.getByRole("tab", { name: "Wysyłka do EZD" }).click();
  await page.getByText("Nie skonfigurowano połączenia z EZD.").waitFor();
  await page.goto(base + "#/ustawienia");
  await page.getByLabel("Adres API EZD RP (Integrator)").fill("ezd.gmina.pl");
  await page.getByLabel("Adres serwera logowania (SSO)").fill("https://sso.gmina.pl");
  await page.getByLabel("Identyfikator podmiotu").fill("podmiot-1");
  await page.getByLabel("Identyfikator klucza API").fill("klucz-1");
  await page.getByLabel("Identyfikator stanowiska (SID)").fill("stanowisko-7");
  await page.getByLabel("Klucz API").fill("tajny-klucz-urzedu");
  await page.getByRole("button", { name: "Zapisz połączenie" }).click();
  await page.getByText("is not an http(s) address").waitFor();
  await page.getByLabel("Adres API EZD RP (Integrator)").fill("https://ezd.gmina.pl");
  await page.getByRole("button", { name: "Zapisz połączenie" }).click();
  await page.getByText("Zapisano połączenie z EZD.").waitFor();
  await page.getByText("Połączono z https://ezd.gmina.pl.").waitFor();
  if ((await page.getByLabel("Klucz API").inputValue()) !== "") throw new Error("the key stays shown");
  if ((await page.evaluate(() => window.__mock.ezd.key)) !== "tajny-klucz-urzedu") throw new Error("the key was not sent");
  await axe(page);

  await page.goto(base + "#/rejestry");
  await page.getByRole("tab", { name: "Wysyłka do EZD" }).click();
  await page.getByRole("cell", { name: "RPW/17/2026" }).waitFor();
  await page.getByText("sprawdzanie w EZD, czy poprzednia próba się udała").waitFor();
  // Files go up one at a time, each counted.
  await page.getByText("przesłanie kolejnych plików (plik 3 z 3)").waitFor();
  await page.getByText("the EZD refused it (400): Plik jest pusty").waitFor();
  await page.getByRole("button", { name: "Wyślij ponownie RPW.2.2026" }).click();
  await page.getByRole("button", { name: "Wyślij ponownie RPW.2.2026" }).waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Wyślij teraz" }).click();
  await page.waitForFunction(() => window.__mock.ezd.sent === 1);
  await axe(page);

  // An EZD without the API: a folder on the share instead; a folder that is not there is named.
  await page.goto(base + "#/ustawienia");
  await page.getByText("EZD bez API: folder na paczki").click();
  await page.getByLabel("Folder na paczki").fill("/home/brak");
  await page.getByRole("button", { name: "Wysyłaj paczkami do tego folderu" }).click();
  await page.getByText("the drop folder is not a folder").waitFor();
  await page.getByLabel("Folder na paczki").fill("/mnt/ezd/wplywy");
  await page.getByRole("button", { name: "Wysyłaj paczkami do tego folderu" }).click();
  await page.getByText("Pisma trafiają jako paczki do folderu /mnt/ezd/wplywy (EZD bez API).").waitFor();
  await axe(page);
});

await test("import shows counts, OCR progress and a Polish reason for each refused file", async (page) => {
  await page.goto(base + "#/import");
  await page.locator("#import-paths").fill("/skany/pismo.pdf");
  await page.getByRole("button", { name: "Importuj" }).click();
  await page.getByText("Import zakończony.").waitFor();
  await page.getByText("Odrzucono 1 plik").waitFor();
  await page.getByText("plik jest uszkodzony").waitFor();
});

await test("files dropped on the window are imported: the drop zone lights up while they are dragged over it", async (page) => {
  await page.goto(base + "#/import");
  await page.getByText("Przeciągnij tu pliki").waitFor();
  await page.evaluate(() => window.__emit("tauri://drag-enter", { paths: ["/skany/pismo.pdf"], position: { x: 10, y: 10 } }));
  await page.locator(".dropzone.over").waitFor();
  await page.evaluate(() => window.__emit("tauri://drag-leave", null));
  await page.locator(".dropzone.over").waitFor({ state: "detached" });
  await page.evaluate(() =>
    window.__emit("tauri://drag-drop", { paths: ["/skany/pismo.pdf", "/skany/teczka"], position: { x: 10, y: 10 } }),
  );
  await page.getByText("Import zakończony.").waitFor();
  const paths = await page.evaluate(() => window.__mock.importedPaths);
  if (JSON.stringify(paths) !== JSON.stringify(["/skany/pismo.pdf", "/skany/teczka"])) throw new Error(`imported ${paths}`);
});

await test("a scan shows each page as it comes; a scanner that stops mid-scan says what was kept", async (page) => {
  await page.goto(base + "#/import");
  // The first scanner that can be opened is chosen; one that cannot is listed but disabled.
  await page.locator("#scan-device").getByText(/Plustek.*niedostępny/).waitFor({ state: "attached" });
  if ((await page.locator("#scan-device").inputValue()) !== "test:0") throw new Error("test:0 is not chosen");
  await page.locator("#scan-profile").selectOption("dwustronne");
  await page.getByRole("button", { name: "Skanuj" }).click();
  await page.getByText("Zeskanowano 3 strony.").waitFor();
  if ((await page.locator(".scan-pages img").count()) !== 3) throw new Error("not 3 thumbnails");
  await page.getByText("pusta, pominięta").waitFor();
  await page.getByRole("alert").getByText(/Skaner przestał odpowiadać po 3 stronach/).waitFor();
  await page.getByText("Skanowanie zakończone.").waitFor();
  const scans = await page.evaluate(() => window.__mock.scans);
  if (scans[0].profile !== "dwustronne" || scans[0].device !== "test:0") throw new Error(JSON.stringify(scans));
  // The choice is remembered for the next scan.
  await page.reload();
  await page.locator("#scan-profile").waitFor();
  if ((await page.locator("#scan-profile").inputValue()) !== "dwustronne") throw new Error("profile not remembered");
  await axe(page);
});

await test("with no scanner connected the view says what to do, and files can still be imported", async (page) => {
  await page.goto(base + "#/skrzynka");
  await page.evaluate(() => (window.__mock.noScanner = true));
  await page.getByRole("link", { name: /Skanowanie i import/ }).click();
  await page.getByText("Nie znaleziono żadnego skanera.").waitFor();
  await page.evaluate(() => (window.__mock.noScanner = false));
  await page.getByRole("button", { name: "Szukaj ponownie" }).click();
  await page.locator("#scan-device").waitFor();
});

await test("the hot folder is set in the settings, switched off and on in the import view, a missing one is refused", async (page) => {
  await page.goto(base + "#/ustawienia");
  await page.locator("#hot-settings-path").fill("/media/pendrive/skaner");
  await page.locator(".hot-form").getByRole("button", { name: "Zapisz" }).click();
  await page.getByRole("alert").getByText("odłączony dysk").waitFor();
  await page.locator("#hot-settings-path").fill("/home/urzad/Skaner");
  await page.getByLabel("Dziel stosy skanów").check();
  await page.locator(".hot-form").getByRole("button", { name: "Zapisz" }).click();
  await page.getByText("Zapisano ustawienia folderu obserwowanego.").waitFor();
  await page.getByText("zaimportowane 4, odrzucone 1").waitFor();
  await page.getByText("plik jest uszkodzony").waitFor();
  await axe(page);
  await page.getByRole("link", { name: /Skanowanie i import/ }).click();
  const sw = page.getByRole("switch", { name: "Obserwuj folder /home/urzad/Skaner" });
  await page.getByText("zaimportowane 4, odrzucone 1").waitFor();
  if (!(await sw.isChecked())) throw new Error("the switch is off");
  // Playwright clicks again if the panel was drawn anew under the first click.
  await sw.uncheck();
  await page.getByText("Folder nie jest już obserwowany.").waitFor();
  const hot = await page.evaluate(() => window.__mock.hot.folder);
  if (hot.enabled || !hot.split_stacks) throw new Error(JSON.stringify(hot));
});

await test("a library on a missing USB disk or in a folder that cannot be written gives a clear message and the app keeps working", async (page) => {
  await page.goto(base + "#/ustawienia");
  await page.locator("#set-library").fill("/mnt/plyta/archiwum");
  await page.getByRole("button", { name: "Otwórz bibliotekę" }).click();
  await page.getByRole("alert").getByText("Do folderu biblioteki nie można zapisywać").waitFor();
  await page.locator("#set-library").fill("/media/pendrive/archiwum");
  await page.getByRole("button", { name: "Otwórz bibliotekę" }).click();
  await page.getByRole("alert").getByText("Nie ma folderu biblioteki.").waitFor();
  await page.getByRole("link", { name: /Skrzynka/ }).click();
  await page.getByText("Decyzja o warunkach zabudowy").first().waitFor();
});

await test("operator profiles: the first is an administrator's; a library with profiles opens on the sign-in, a wrong password is refused", async (page) => {
  await page.goto(base + "#/ustawienia");
  await page.getByText("Brak profili").waitFor();
  await page.locator("#op-name").fill("Jan Kowalski");
  await page.locator("#op-password").fill("Tajne-hasło-1");
  await page.locator("#op-again").fill("Tajne-hasło-2");
  await page.getByRole("button", { name: "Dodaj pracownika" }).click();
  await page.getByRole("alert").getByText("Hasła się różnią.").waitFor();
  await page.locator("#op-again").fill("Tajne-hasło-1");
  await page.getByRole("button", { name: "Dodaj pracownika" }).click();
  await page.getByText("Dodano profil: Jan Kowalski.").waitFor();
  await page.getByText("Pracuje: Jan Kowalski (administrator)").waitFor();
  await page.locator("#op-name").fill("Anna Nowak");
  await page.locator("#op-role").selectOption("clerk");
  await page.locator("#op-password").fill("");
  await page.locator("#op-again").fill("");
  await page.getByRole("button", { name: "Dodaj pracownika" }).click();
  await page.getByText("Dodano profil: Anna Nowak.").waitFor();
  await axe(page);
  await page.getByRole("button", { name: "Wyloguj" }).click();
  await page.getByRole("heading", { name: "Kto pracuje przy tym stanowisku?" }).waitFor();
  // No view is shown until somebody signs in, whichever the address.
  await page.goto(base + "#/skrzynka");
  await page.getByRole("heading", { name: "Kto pracuje przy tym stanowisku?" }).waitFor();
  if (await page.getByText("Decyzja o warunkach zabudowy").count()) throw new Error("the inbox shows before sign-in");
  await axe(page);
  await page.getByLabel("Jan Kowalski").check();
  await page.locator("#sign-in-password").fill("zgadnięte");
  await page.getByRole("button", { name: "Zaloguj" }).click();
  await page.getByRole("alert").getByText("wrong password for Jan Kowalski").waitFor();
  await page.getByLabel("Anna Nowak").check();
  if (await page.locator("#sign-in-password").count()) throw new Error("a password asked for a profile without one");
  await page.getByRole("button", { name: "Zaloguj" }).click();
  await page.getByText("Pracuje: Anna Nowak (referent)").waitFor();
  await page.getByText("Decyzja o warunkach zabudowy").first().waitFor();
  // A clerk is told who changes the settings, and is not offered brakowanie.
  await page.goto(base + "#/ustawienia");
  await page.getByText("Ustawienia zmienia administrator").waitFor();
  await page.goto(base + "#/rejestry");
  await page.getByRole("tab", { name: "Brakowanie i przekazanie" }).click();
  await page.getByText("Brakowanie przeprowadza archiwista.").waitFor();
  if (await page.locator("#brakowanie-approval").count()) throw new Error("brakowanie offered to a clerk");
});

await test("encryption: the administrator encrypts with a recovery passphrase asked twice; a library whose key is not here opens only with it", async (page) => {
  await page.goto(base + "#/ustawienia");
  await page.getByRole("heading", { name: "Szyfrowanie" }).waitFor();
  await page.locator("#enc-passphrase").fill("zielona łąka nad Odrą");
  await page.locator("#enc-again").fill("zielona łąka nad Wisłą");
  await page.getByRole("button", { name: "Zaszyfruj bibliotekę" }).click();
  await page.getByRole("alert").getByText("Hasła się różnią; niczego nie zaszyfrowano.").waitFor();
  await page.locator("#enc-passphrase").fill("krótkie");
  await page.locator("#enc-again").fill("krótkie");
  await page.getByRole("button", { name: "Zaszyfruj bibliotekę" }).click();
  await page.getByRole("alert").getByText("co najmniej 12 znaków").waitFor();
  await page.locator("#enc-passphrase").fill("zielona łąka nad Odrą");
  await page.locator("#enc-again").fill("zielona łąka nad Odrą");
  await page.getByRole("button", { name: "Zaszyfruj bibliotekę" }).click();
  await page.getByText("Biblioteka jest zaszyfrowana: baza, oryginały i indeks.").waitFor();
  if (await page.getByRole("button", { name: "Zaszyfruj bibliotekę" }).count()) throw new Error("still offered");
  // A new recovery passphrase, asked twice too.
  await page.locator("#enc-passphrase").fill("niebieskie niebo nad Tatrami");
  await page.locator("#enc-again").fill("niebieskie niebo nad Tatrami");
  await page.getByRole("button", { name: "Zmień hasło odzyskiwania" }).click();
  await page.getByText("Hasło odzyskiwania zmienione").waitFor();
  if (!(await page.evaluate(() => window.__mock.passphraseChanged))) throw new Error("not changed");
  await axe(page);

  const locked = await context.newPage();
  await locked.goto(base + "?zaszyfrowana#/skrzynka");
  await locked.getByRole("heading", { name: "Biblioteka jest zaszyfrowana" }).waitFor();
  if (await locked.getByText("Decyzja o warunkach zabudowy").count()) throw new Error("the inbox shows before the library is unlocked");
  await axe(locked);
  await locked.locator("#unlock-passphrase").fill("czerwona łąka nad Wisłą");
  await locked.getByRole("button", { name: "Odblokuj bibliotekę" }).click();
  await locked.getByRole("alert").getByText("not this library's").waitFor();
  await locked.locator("#unlock-passphrase").fill("zielona łąka nad Odrą");
  await locked.getByRole("button", { name: "Odblokuj bibliotekę" }).click();
  await locked.getByText("Decyzja o warunkach zabudowy").first().waitFor();
  await locked.close();
});

await test("every view is reachable with Alt+1…6 and focus is always visible", async (page) => {
  await page.goto(base + "#/skrzynka");
  await page.getByText("Decyzja o warunkach zabudowy").first().waitFor();
  for (const [key, heading] of [["2", "Wyszukiwanie"], ["3", "Skanowanie i import"], ["4", "Rejestry"], ["5", "Archiwum"], ["6", "Ustawienia"], ["1", "Skrzynka"]]) {
    await page.keyboard.press(`Alt+${key}`);
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
  }
  await page.keyboard.press("Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  if (outline === "none") throw new Error("the focused element has no outline");
});

await browser.close();
server.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
