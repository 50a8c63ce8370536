// A stand-in for the Tauri shell in a plain browser: answers the app's commands from fixture
// data shaped like the real ones, so the built UI can be checked in headless Chromium (axe-core,
// keyboard, behaviour). The real shell is tested end to end under Xvfb (tests/e2e).
(() => {
  const doc = {
    id: 1,
    title: "Decyzja o warunkach zabudowy",
    created_at: "2026-11-20T10:00:00Z",
    file_name: "skan-0001.tiff",
    media_type: "image/tiff",
    pages: [
      { number: 1, text: "Wójt Gminy Iwanowice\nDECYZJA nr 12/2024\no warunkach zabudowy dla umowy dzierżawy", text_source: "ocr", ocr_confidence: 91.5, ocr_error: null },
      { number: 2, text: "", text_source: "awaiting_ocr", ocr_confidence: null, ocr_error: null },
    ],
    fields: [
      { key: "data", value: null, source: null, suggestion: { value: "2024-03-05", confidence: 0.9, page: 1, source_text: "5 marca 2024 r." } },
      { key: "dostep", value: null, source: null, suggestion: null },
      { key: "jezyk", value: null, source: null, suggestion: null },
      { key: "jrwa", value: null, source: null, suggestion: null },
      { key: "nadawca", value: null, source: null, suggestion: { value: "Wójt Gminy Iwanowice", confidence: 0.72, page: 1, source_text: "Wójt Gminy Iwanowice" } },
      { key: "odbiorca", value: null, source: null, suggestion: null },
      { key: "opis", value: null, source: null, suggestion: null },
      { key: "rodzaj", value: "decyzja", source: "extracted", suggestion: null },
      { key: "tworca", value: null, source: null, suggestion: null },
      { key: "tytul", value: "Decyzja o warunkach zabudowy", source: "extracted", suggestion: null },
      { key: "znak_u_nadawcy", value: null, source: null, suggestion: null },
    ],
    identifiers: [["reference", "GKM.6730.15.2024"], ["pesel", "*********45"]],
    personal_masked: true,
    cases: [],
    rpw: [],
    reviewed: false,
  };
  const item = (id, title, extra) => ({
    id, title, kind: null, doc_date: null, created_at: "2026-11-20T09:00:00Z", media_type: "application/pdf",
    pages: 1, pages_awaiting_ocr: 0, pages_failed: 0, ocr_confidence: null, suggestions: 0, min_confidence: null, ...extra,
  });
  const state = {
    encryption: "off", sealed: location.search.includes("zaszyfrowana"),
    saved: [], reviewed: [], revealed: 0, imports: 0, scans: [], noScanner: false, registered: [], sorts: [], closed: [], exports: [], backups: [],
    jrwa: [{ id: 1, name: "JRWA gminy (zał. 2 do Dz.U. 2011 nr 14 poz. 67)", source: "builtin:gmina-2011", in_force_from: "2011-01-01", imported_at: "2026-11-20 10:00:00", class_count: 687, in_force: true }],
    hot: { folder: null, watching: false, imported: 0, refused: 0, waiting: 0, error: null, recent: [] },
    targets: [
      { name: "Dysk archiwum", disk: true, place: "ARCHIWUM", folder: "Skladnica", every_days: 7, on_connect: true, category: "A", jrwa_prefix: null,
        location: null, last_success_at: "2026-11-02T10:00:00Z", last_package: "paczka-2026-11-02", last_error: "target Dysk archiwum: the disk ARCHIWUM is not plugged in", due: false, overdue: true },
    ],
  };
  state.ezd = {
    settings: null,
    items: [
      { local_number: "RPW.1.2026", state: "delivered", step: 4, check_first: false, rpw_number: "RPW/17/2026", flow_id: "f1", package: null, error: null, attempts: 0, delivered_at: "2026-11-20T10:05:00Z" },
      { local_number: "RPW.2.2026", state: "rejected", step: 0, check_first: false, rpw_number: null, flow_id: null, package: null, error: "the EZD refused it (400): Plik jest pusty", attempts: 0, delivered_at: null },
      { local_number: "RPW.3.2026", state: "sending", step: 3, check_first: true, rpw_number: null, flow_id: "f3", package: null, error: "no answer from the EZD, checking: timeout", attempts: 1, delivered_at: null },
      { local_number: "RPW.4.2026", state: "sending", step: 2, check_first: false, files_sent: 1, files_total: 3, rpw_number: null, flow_id: "f4", package: null, error: null, attempts: 0, delivered_at: null },
    ],
    sending: false,
    stopped: null,
    sent: 0,
    key: null,
  };
  const outbox = () => ({ settings: state.ezd.settings, drop_folder: state.ezd.drop ?? null, items: state.ezd.items, sending: state.ezd.sending, stopped: state.ezd.stopped });
  // Operator profiles as the core keeps them: the first is an administrator's and signs in.
  state.ops = { profiles: [], signedIn: null, passwords: {} };
  const opsView = () => ({
    profiles: state.ops.profiles,
    signed_in: state.ops.profiles.find((o) => o.name === state.ops.signedIn) ?? null,
    sign_in_required: state.ops.profiles.some((o) => !o.retired_at) && !state.ops.signedIn,
  });
  const refuse = (code, message) => {
    throw { code, message };
  };
  window.__mock = state;
  const handlers = {
    library_info: () => ({ root: "/home/urzad/.local/share/skladnica/library", default_root: "/home/urzad/.local/share/skladnica/library", read_only: false, documents: 1234, inbox: 2, pages_awaiting_ocr: 1, ocr_languages: "pol+eng", installed_languages: ["eng", "osd", "pol"], jobs_running: 0, encryption: state.encryption }),
    startup_error: () =>
      state.sealed
        ? { code: "locked", message: "/home/laptop/biblioteka: the library is encrypted and its key is not in this computer's keyring" }
        : null,
    unlock_library: ({ passphrase }) => {
      if (passphrase !== "zielona łąka nad Odrą") throw { code: "forbidden", message: "/home/laptop/biblioteka: the recovery passphrase is not this library's" };
      state.sealed = false;
      state.encryption = "on";
      return handlers.library_info();
    },
    change_recovery_passphrase: ({ passphrase }) => {
      if ([...passphrase].length < 12) throw { code: "invalid", message: "the recovery passphrase must have at least 12 characters" };
      state.passphraseChanged = true;
      return null;
    },
    encrypt_library: ({ passphrase }) => {
      if ([...passphrase].length < 12) throw { code: "invalid", message: "the recovery passphrase must have at least 12 characters" };
      state.encryption = "on";
      return { originals: 1234, documents: 1234, in_keyring: true };
    },
    ezd_outbox: () => outbox(),
    configure_ezd: ({ settings, key }) => {
      if (!settings.api_url.startsWith("https://")) throw { code: "invalid", message: `EZD connection settings: "${settings.api_url}" is not an http(s) address` };
      state.ezd.settings = settings;
      state.ezd.key = key;
      return outbox();
    },
    set_ezd_drop_folder: ({ folder }) => {
      if (!folder.startsWith("/mnt/")) throw { code: "invalid", message: `${folder}: the drop folder is not a folder (is the share connected?)` };
      state.ezd.drop = folder;
      state.ezd.settings = null;
      return outbox();
    },
    send_to_ezd_now: () => {
      if (!state.ezd.settings && !state.ezd.drop) throw { code: "ezd_not_configured", message: "no EZD connection is set up" };
      state.ezd.sent++;
      return null;
    },
    queue_for_ezd: ({ number }) => {
      const item = state.ezd.items.find((i) => i.local_number === number);
      item.state = "queued";
      item.error = null;
      return outbox();
    },
    inbox: () => ({ total: 2, items: [item(1, doc.title, { kind: "decyzja", doc_date: "2024-03-05", media_type: "image/tiff", pages: 2, pages_awaiting_ocr: 1, ocr_confidence: 91.5, suggestions: 2, min_confidence: 0.72 }), item(2, "Wniosek o wydanie zaświadczenia", { suggestions: 1, min_confidence: 0.9 })] }),
    document: ({ id }) => {
      if (id !== 1) throw { code: "no_document", message: `no document with id ${id}` };
      return doc;
    },
    reveal_personal: ({ id }) => {
      state.revealed += 1;
      return { ...doc, id, personal_masked: false, identifiers: [["reference", "GKM.6730.15.2024"], ["pesel", "85010112345"]] };
    },
    operators: () => opsView(),
    sign_in: ({ name, password }) => {
      const o = state.ops.profiles.find((p) => p.name === name);
      if (!o) refuse("not_found", `there is no operator named '${name}'`);
      if (o.has_password && state.ops.passwords[name] !== password) refuse("forbidden", `wrong password for ${name}`);
      state.ops.signedIn = name;
      return opsView();
    },
    sign_out: () => {
      state.ops.signedIn = null;
      return opsView();
    },
    add_operator: ({ name, role, password }) => {
      const first = state.ops.profiles.length === 0;
      if (first && role !== "administrator") refuse("invalid", `the first operator profile must be an administrator's, so that someone can manage the others; '${name}' would be a ${role}`);
      if (password && password.length < 8) refuse("invalid", "a password needs at least 8 characters");
      state.ops.profiles.push({ name, role, has_password: !!password, created_at: "2026-11-24T08:00:00Z", retired_at: null });
      if (password) state.ops.passwords[name] = password;
      if (first) state.ops.signedIn = name;
      return opsView();
    },
    retire_operator: ({ name }) => {
      state.ops.profiles.find((p) => p.name === name).retired_at = "2026-11-24T09:00:00Z";
      return opsView();
    },
    document_history: ({ id }) => [
      { seq: 1, at: "2026-03-05T08:00:00.000Z", operator: "system:jan", action: "document.added", record: `document ${id}`, details: JSON.stringify({ title: "skan", batch: 1 }), hash: "a".repeat(64) },
      { seq: 7, at: "2026-03-05T09:10:00.000Z", operator: "Anna Nowak", action: "metadata.set", record: `document ${id}`, details: JSON.stringify({ key: "tytul", source: "clerk", old: "skan", new: "Decyzja o warunkach zabudowy" }), hash: "b".repeat(64) },
    ],
    save_metadata: ({ id, values }) => {
      state.saved.push({ id, values });
      for (const [k, v] of values) {
        const f = doc.fields.find((f) => f.key === k);
        f.value = v || null;
        f.source = "clerk";
        if (f.suggestion && f.suggestion.value === v) f.suggestion = null;
      }
      return doc;
    },
    set_reviewed: ({ ids, reviewed }) => {
      state.reviewed.push({ ids, reviewed });
      return null;
    },
    search: ({ query, sort }) => {
      state.sorts.push(sort);
      if (query.includes("rok:abc")) throw { code: "query", message: "invalid query: rok: needs a year (2024) or a range (2020..2024)" };
      const hit = /umow|dzierżaw|dzierzaw/i.test(query);
      return {
        total: hit ? 1 : 0,
        hits: hit ? [{ id: 1, title: doc.title, snippet: "o warunkach zabudowy dla <b>umowy</b> <b>dzierżawy</b>" }] : [],
        years: hit ? [{ value: "2024", count: 1 }] : [],
        kinds: hit ? [{ value: "decyzja", count: 1 }] : [],
        jrwa: [],
        formats: hit ? [{ value: "tiff", count: 1 }] : [],
        senders: hit ? [{ value: "Wójt Gminy Iwanowice", count: 1 }] : [],
        fuzzy: false,
        millis: 3.2,
      };
    },
    page_words: () => [{ text: "umowy", left: 0.2, top: 0.3, width: 0.1, height: 0.03 }],
    jrwa_search: ({ query }) => [{ symbol: "6730", heading: "Ustalanie warunków zabudowy i zagospodarowania terenu", category: "A", is_end: true, score: 2 }].filter(() => query.length > 0),
    jrwa_suggest: () => [{ symbol: "6730", heading: "Ustalanie warunków zabudowy i zagospodarowania terenu", category: "A", is_end: true, score: 0.61 }],
    cases: () => [{ sign: "GKM.6730.1.2024", title: "Warunki zabudowy dz. 123/4", unit: "GKM", jrwa_symbol: "6730", year: 2024, category: "A", opened_on: "2024-02-01", closed_on: null, handler: null }],
    new_case: ({ request: c }) => ({ sign: `${c.unit}.${c.jrwa_symbol}.2.2026`, title: c.title, unit: c.unit, jrwa_symbol: c.jrwa_symbol, year: 2026, category: "A", opened_on: "2026-11-23", closed_on: null, handler: null }),
    add_to_case: ({ sign }) => {
      doc.cases.push(sign);
      return null;
    },
    units: () => [{ code: "GKM", name: "Referat Gospodarki Komunalnej", year_from: 2010, year_to: null }],
    add_unit: ({ code, name, yearFrom }) => ({ code, name, year_from: yearFrom, year_to: null }),
    rpw_list: () => [{ number: "RPW.12.2026", received_on: "2026-11-20", sender: "Jan Kowalski", title: "Wniosek", sender_sign: null, document_id: 2, case_sign: null }],
    register_incoming: ({ form, document, caseSign }) => {
      const problems = [];
      if (!form.institution && !form.surname) problems.push("the sender is missing: an institution's name, or a person's surname and first names");
      if (!form.town) problems.push("the sender's town (miejscowość) is missing");
      if (!form.letter_date && !form.undated) problems.push("the date on the letter (data na piśmie) is missing");
      if (problems.length) throw { code: "invalid", message: `incoming item not registered:\n  - ${problems.join("\n  - ")}` };
      state.registered.push({ form, document, caseSign });
      doc.rpw.push("RPW.13.2026");
      return { number: "RPW.13.2026", received_on: form.received_on, sender: form.institution ?? form.surname, title: form.title, sender_sign: form.sender_sign, document_id: document, case_sign: caseSign };
    },
    jrwa_versions: () => state.jrwa,
    export_package: ({ request, onProgress }) => {
      state.exports.push(request);
      const send = (m) => window[`_${onProgress.id ?? onProgress}`]?.({ index: send.i++, message: m });
      send.i = 0;
      send({ job: 5, done: 1, total: 3 });
      if (!request.target.startsWith("/")) throw { code: "invalid", message: `${request.target}: the export target is not a folder (is the disk or share connected?)` };
      return {
        package: `${request.target}/paczka-2026-11-23`, since_package: null, cases: 1, documents: 2, files: 11, bytes: 2480000,
        checksum: "3f1c2a0e5b7d4c9e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6",
        failed: [{ document: 3, case_sign: "GKM.6730.1.2024", reason: "document 3: its metadata lacks what the archive requires: a title" }],
      };
    },
    backup_library: ({ target, passphrase }) => {
      state.backups.push(passphrase);
      return { bag: `${target}/kopia-2026-11-23${passphrase ? ".tar.age" : ""}`, documents: 1234, files: 1240, bytes: 812000000 };
    },
    verify_package: ({ dir, passphrase }) =>
      dir.endsWith(".age") && passphrase !== "Zima w Iwanowicach"
        ? (() => { throw { code: "invalid", message: `${dir}: the passphrase is wrong (or the file's header is damaged)` }; })()
        : dir.includes("uszkodzona")
        ? { backup: false, files_checked: 9, bytes: 2400000, schema_checked: 0, problems: [
            { path: "dokumenty/GKM.6730.1.2024/01-wniosek.pdf", reason: "checksum differs from the manifest's" },
            { path: "dokumenty/obcy.txt", reason: "not listed in the manifest" },
          ] }
        : { backup: dir.endsWith(".age"), files_checked: 9, bytes: 2400000, schema_checked: 0, problems: [] },
    exports: () => state.exports.map((r, i) => ({ target: r.target, package: `paczka-2026-11-23${i ? `-${i + 1}` : ""}`, finished_at: "2026-11-23T12:00:00Z", incremental: r.since_last, documents: 2, bytes: 2480000 })),
    export_targets: () => ({ targets: state.targets, running: null }),
    add_export_target: ({ request }) => {
      if (state.targets.some((x) => x.name === request.name.trim())) throw { code: "invalid", message: `there is a target called ${request.name} already` };
      if (!request.path.startsWith("/")) throw { code: "invalid", message: `${request.path}: not a folder (is the disk or share connected?)` };
      state.targets.push({
        name: request.name.trim(), disk: request.disk, place: request.disk ? request.path.split("/").pop() : request.path, folder: request.disk ? "Skladnica" : null,
        every_days: request.every_days, on_connect: request.on_connect, category: request.category, jrwa_prefix: request.jrwa_prefix,
        location: request.disk ? `${request.path}/Skladnica` : request.path, last_success_at: null, last_package: null, last_error: null, due: true, overdue: false,
      });
      state.targets.sort((a, b) => a.name.localeCompare(b.name));
      return handlers.export_targets();
    },
    remove_export_target: ({ name }) => {
      state.targets = state.targets.filter((x) => x.name !== name);
      return handlers.export_targets();
    },
    export_to_target: ({ name, onProgress }) => {
      const target = state.targets.find((x) => x.name === name);
      const send = (m) => window[`_${onProgress.id ?? onProgress}`]?.({ index: send.i++, message: m });
      send.i = 0;
      send({ job: 6, done: 1, total: 2 });
      Object.assign(target, { last_success_at: "2026-11-23T12:00:00Z", last_package: "paczka-2026-11-23", due: false });
      return { package: `${target.location}/paczka-2026-11-23`, since_package: null, cases: 0, documents: 2, files: 7, bytes: 1200000, checksum: "ab".repeat(32), failed: [] };
    },
    close_case: ({ sign }) => {
      state.closed.push(sign);
      return { ...handlers.cases()[0], sign, closed_on: "2026-11-23" };
    },
    destroy_cases: ({ signs, approval }) => {
      if (!approval.trim()) throw { code: "invalid", message: "brakowanie needs the state archive's approval: give its letter's sign" };
      const bad = signs.filter((x) => !x.startsWith("OR.0052"));
      if (bad.length) throw { code: "invalid", message: `nothing was destroyed: case ${bad[0]} is of category A: it goes to the state archive, never destroyed` };
      state.destroyed = (state.destroyed ?? []).concat(signs.map((x) => ({ sign: x, approval })));
      return 3;
    },
    remove_document: ({ id, reason }) => {
      state.removed = { id, reason };
      return null;
    },
    retention_due: ({ on }) => {
      if (on && !/^\d{4}-\d{2}-\d{2}$/.test(on)) throw { code: "invalid_date", message: `the day of the list "${on}": not a date` };
      return [
        { sign: "OR.0052.1.2014", title: "Zarządzenia wójta 2014", jrwa_symbol: "0052", category: "B10", closed_on: "2014-12-30", action: "destroy", due_from: "2025-01-01", category_to_verify: false },
        { sign: "GKM.6730.3.2000", title: "Warunki zabudowy dz. 7/1", jrwa_symbol: "6730", category: "A", closed_on: "2000-05-10", action: "transfer", due_from: "2026-01-01", category_to_verify: true },
      ];
    },
    import_jrwa: ({ path, name, inForceFrom }) => {
      if (!path.endsWith(".csv")) throw { code: "invalid_jrwa", message: `${path.split("/").pop()}: line 1: no column holds JRWA symbols` };
      for (const v of state.jrwa) v.in_force = false;
      const version = { id: state.jrwa.length + 1, name: name ?? path.split("/").pop(), source: `csv:${path.split("/").pop()}`, in_force_from: inForceFrom, imported_at: "2026-11-23 12:00:00", class_count: 512, in_force: true };
      state.jrwa.push(version);
      return { version, warnings: ["line 40: class 0170 has no archival category; taken from its parent (B10)"], ignored_columns: ["uwagi"], encoding: "windows-1250" };
    },
    open_library: ({ path }) => {
      if (!path.startsWith("/")) throw { code: "invalid", message: `${path}: give the full path of the library folder` };
      if (path.startsWith("/mnt/")) throw { code: "not_writable", message: `${path}: the library folder cannot be written (no permission to write there, or a read-only disk); choose a folder you may write to, or ask for write access` };
      if (path.startsWith("/media/")) throw { code: "library_missing", message: `${path}: the library folder is not there (a USB disk or network share not connected?)` };
      return handlers.library_info();
    },
    set_ocr_languages: () => handlers.library_info(),
    cancel_job: () => true,
    since_start: () => 420.5,
    scanners: () =>
      state.noScanner
        ? []
        : [
            { name: "test:0", label: "Noname frontend-tester", kind: "virtual device", sources: ["Flatbed", "Automatic Document Feeder"], modes: ["Gray", "Color"], error: null },
            { name: "plustek:libusb:001:004", label: "Plustek OpticSlim", kind: "flatbed scanner", sources: ["Flatbed"], modes: ["Gray"], error: "Device busy" },
          ],
    hot_folder: () => state.hot,
    set_hot_folder: ({ folder }) => {
      if (!folder.path.startsWith("/")) throw { code: "invalid", message: `hot folder ${folder.path}: give the whole path (from / or a drive letter)` };
      if (folder.path.startsWith("/media/")) throw { code: "io", message: `${folder.path}: the hot folder is not there (a disk or share not connected?)` };
      state.hot = {
        ...state.hot, folder, watching: folder.enabled, imported: 4, refused: 1,
        recent: [{ path: `${folder.path}/zepsuty.pdf`, code: "damaged", error: "the PDF is damaged: no page tree" }],
      };
      return state.hot;
    },
    scan_profiles: () => [
      { name: "dokumenty", description: "pisma urzędowe: 300 dpi, odcienie szarości, A4", resolution: 300, colour: "gray", source: null },
      { name: "dwustronne", description: "podajnik, obie strony, puste strony pomijane", resolution: 300, colour: "gray", source: "adf-duplex" },
    ],
    scan: ({ device, profile, onEvent }) => {
      state.scans.push({ device, profile });
      const send = (m) => window[`_${onEvent.id ?? onEvent}`]?.({ index: send.i++, message: m });
      send.i = 0;
      const thumb = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAG7buVgAAAABJRU5ErkJggg==";
      setTimeout(() => {
        send({ kind: "scan_ready", job: 8, device, resolution: 300, mode: "Gray", source: "Automatic Document Feeder" });
        send({ kind: "scan_page", number: 1, role: "content", thumbnail: thumb });
        send({ kind: "scan_page", number: 2, role: "blank", thumbnail: thumb });
        send({ kind: "scan_page", number: 3, role: "content", thumbnail: thumb });
        send({ kind: "scanned", pages: 3, documents: 1, separators: 0, blank_pages: 1, scanner_error: "scanner net:localhost:test:0: reading a page: Error during device I/O" });
        send({ kind: "file", path: "skany/Skan nr 1.tiff", outcome: "imported", document_id: 4, error: null, code: null });
        send({ kind: "ocr", done: 2, total: 2, failed: 0 });
        send({ kind: "finished", imported: 1, duplicates: 0, failed: 0, ocr_pages: 2, ocr_failed: 0, cancelled: false });
        window[`_${onEvent.id ?? onEvent}`]?.({ end: true, index: send.i });
      }, 50);
      return 8;
    },
    import: ({ paths, onEvent }) => {
      state.imports++;
      state.importedPaths = paths;
      const send = (m) => window[`_${onEvent.id ?? onEvent}`]?.({ index: send.i++, message: m });
      send.i = 0;
      setTimeout(() => {
        send({ kind: "started", job: 7, files: paths.length + 1 });
        send({ kind: "file", path: paths[0], outcome: "imported", document_id: 3, error: null, code: null });
        send({ kind: "file", path: "/skany/zepsuty.pdf", outcome: "failed", document_id: null, error: "the PDF is damaged: no page tree", code: "damaged" });
        send({ kind: "ocr", done: 1, total: 1, failed: 0 });
        send({ kind: "finished", imported: 1, duplicates: 0, failed: 1, ocr_pages: 1, ocr_failed: 0, cancelled: false });
        window[`_${onEvent.id ?? onEvent}`]?.({ end: true, index: send.i });
      }, 50);
      return 7;
    },
  };
  let nextCallback = 1;
  // Events the shell would send (e.g. files dropped on the window): the tests call
  // window.__emit(name, payload) and every listener the UI registered for it runs.
  const listeners = {};
  window.__emit = (event, payload) => {
    for (const handler of listeners[event] ?? []) window[`_${handler}`]?.({ event, id: 0, payload });
  };
  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
    transformCallback(cb, once) {
      const id = nextCallback++;
      window[`_${id}`] = (msg) => {
        if (once) delete window[`_${id}`];
        return cb && cb(msg);
      };
      return id;
    },
    unregisterCallback(id) {
      delete window[`_${id}`];
    },
    convertFileSrc: (p) => p,
    async invoke(cmd, args) {
      if (cmd === "plugin:event|listen") {
        (listeners[args.event] ??= []).push(args.handler);
        return nextCallback++;
      }
      if (cmd.startsWith("plugin:event|")) return null;
      const h = handlers[cmd];
      if (!h) throw `unknown command ${cmd}`;
      return h(args || {});
    },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener() {} };
})();
