// The UI's door to the shell: the generated command bindings, with their `{status, data|error}`
// results turned into values or thrown `UiError`s, and the page-image addresses.
import { Channel } from "@tauri-apps/api/core";
import { commands, events } from "./bindings";
import type { AppError, ExportProgress, Role, ExportRequest, EzdSettings, HotFolder, IncomingForm, JobEvent, ProfileView, ScannerView, SortOrder, TargetRequest } from "./bindings";
import { has, t } from "./i18n/i18n";

export type { JobEvent, ProfileView, ScannerView };
export { events };

/** An error from a command: its code (translated) and the core's message naming the item. */
export class UiError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }

  /** The sentence to show: the code's translation. */
  get title(): string {
    return has(`errors.${this.code}`) ? t(`errors.${this.code}`) : t("errors.unknown");
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(p: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await p;
  } catch (e) {
    // Failures of the IPC itself (not a command's error) come as strings or Errors.
    throw new UiError("ipc", e instanceof Error ? e.message : String(e));
  }
  if (r.status === "error") throw new UiError(r.error.code, r.error.message);
  return r.data;
}

export const api = {
  libraryInfo: () => unwrap(commands.libraryInfo()),
  operators: () => unwrap(commands.operators()),
  signIn: (name: string, password: string | null) => unwrap(commands.signIn(name, password)),
  signOut: () => unwrap(commands.signOut()),
  addOperator: (name: string, role: Role, password: string | null) =>
    unwrap(commands.addOperator(name, role, password)),
  retireOperator: (name: string) => unwrap(commands.retireOperator(name)),
  startupError: () => unwrap(commands.startupError()),
  unlockLibrary: (passphrase: string) => unwrap(commands.unlockLibrary(passphrase)),
  encryptLibrary: (passphrase: string) => unwrap(commands.encryptLibrary(passphrase)),
  changeRecoveryPassphrase: (passphrase: string) => unwrap(commands.changeRecoveryPassphrase(passphrase)),
  openLibrary: (path: string) => unwrap(commands.openLibrary(path)),
  setOcrLanguages: (languages: string) => unwrap(commands.setOcrLanguages(languages)),
  inbox: (limit: number) => unwrap(commands.inbox(limit)),
  document: (id: number) => unwrap(commands.document(id)),
  documentHistory: (id: number) => unwrap(commands.documentHistory(id)),
  revealPersonal: (id: number) => unwrap(commands.revealPersonal(id)),
  saveMetadata: (id: number, values: [string, string][]) =>
    unwrap(commands.saveMetadata(id, values)),
  setReviewed: (ids: number[], reviewed: boolean) => unwrap(commands.setReviewed(ids, reviewed)),
  search: (query: string, limit: number, offset: number, sort: SortOrder = "relevance") =>
    unwrap(commands.search(query, limit, offset, sort)),
  pageWords: (id: number, page: number, query: string) =>
    unwrap(commands.pageWords(id, page, query)),
  jrwaSearch: (query: string) => unwrap(commands.jrwaSearch(query)),
  jrwaSuggest: (id: number) => unwrap(commands.jrwaSuggest(id)),
  cases: (jrwaPrefix: string | null, year: number | null, openOnly: boolean) =>
    unwrap(commands.cases(jrwaPrefix, year, openOnly)),
  newCase: (unit: string, jrwaSymbol: string, title: string, handler: string | null) =>
    unwrap(commands.newCase({ unit, jrwa_symbol: jrwaSymbol, title, handler })),
  addToCase: (sign: string, ids: number[]) => unwrap(commands.addToCase(sign, ids)),
  units: () => unwrap(commands.units()),
  addUnit: (code: string, name: string, yearFrom: number) =>
    unwrap(commands.addUnit(code, name, yearFrom)),
  rpwList: (year: number | null) => unwrap(commands.rpwList(year)),
  registerIncoming: (form: IncomingForm, document: number | null, caseSign: string | null) =>
    unwrap(commands.registerIncoming(form, document, caseSign)),
  jrwaVersions: () => unwrap(commands.jrwaVersions()),
  exportPackage: (request: ExportRequest, onProgress: (p: ExportProgress) => void) => {
    const c = new Channel<ExportProgress>();
    c.onmessage = onProgress;
    return unwrap(commands.exportPackage(request, c));
  },
  backupLibrary: (target: string, passphrase: string | null) => unwrap(commands.backupLibrary(target, passphrase)),
  verifyPackage: (dir: string, schema: string | null, passphrase: string | null) =>
    unwrap(commands.verifyPackage(dir, schema, passphrase)),
  exports: () => unwrap(commands.exports()),
  exportTargets: () => unwrap(commands.exportTargets()),
  addExportTarget: (request: TargetRequest) => unwrap(commands.addExportTarget(request)),
  removeExportTarget: (name: string) => unwrap(commands.removeExportTarget(name)),
  exportToTarget: (name: string, onProgress: (p: ExportProgress) => void) => {
    const c = new Channel<ExportProgress>();
    c.onmessage = onProgress;
    return unwrap(commands.exportToTarget(name, c));
  },
  closeCase: (sign: string, on: string | null) => unwrap(commands.closeCase(sign, on)),
  retentionDue: (on: string | null) => unwrap(commands.retentionDue(on)),
  destroyCases: (signs: string[], approval: string, on: string | null) =>
    unwrap(commands.destroyCases(signs, approval, on)),
  removeDocument: (id: number, reason: string) => unwrap(commands.removeDocument(id, reason)),
  importJrwa: (path: string, name: string | null, inForceFrom: string) =>
    unwrap(commands.importJrwa(path, name, inForceFrom)),
  cancelJob: (job: number) => unwrap(commands.cancelJob(job)),
  sinceStart: () => unwrap(commands.sinceStart()),
  scanners: () => unwrap(commands.scanners()),
  scanProfiles: () => unwrap(commands.scanProfiles()),
  hotFolder: () => unwrap(commands.hotFolder()),
  setHotFolder: (folder: HotFolder) => unwrap(commands.setHotFolder(folder)),
  ezdOutbox: () => unwrap(commands.ezdOutbox()),
  configureEzd: (settings: EzdSettings, key: string) => unwrap(commands.configureEzd(settings, key)),
  setEzdDropFolder: (folder: string) => unwrap(commands.setEzdDropFolder(folder)),
  sendToEzdNow: () => unwrap(commands.sendToEzdNow()),
  queueForEzd: (number: string) => unwrap(commands.queueForEzd(number)),
  /** Starts an import; `onEvent` hears its progress. Returns the job's id. */
  import: (paths: string[], onEvent: (e: JobEvent) => void) => unwrap(commands.import(paths, channel(onEvent))),
  /** Starts a scan; `onEvent` hears its progress, page by page. Returns the job's id. */
  scan: (device: string, profile: string, onEvent: (e: JobEvent) => void) =>
    unwrap(commands.scan(device, profile, channel(onEvent))),
};

function channel(onEvent: (e: JobEvent) => void): Channel<JobEvent> {
  const c = new Channel<JobEvent>();
  c.onmessage = onEvent;
  return c;
}

/** The address of a page image (`page:` scheme; `http://page.localhost` on Windows). */
function pageBase(): string {
  return navigator.userAgent.includes("Windows") ? "http://page.localhost" : "page://localhost";
}

export function pageUrl(id: number, page: number, size: number, version = ""): string {
  return `${pageBase()}/${id}/${page}?size=${size}${version ? `&v=${encodeURIComponent(version)}` : ""}`;
}

/** The document's archive PDF (its searchable PDF) from the shell's page: scheme. */
export function pdfUrl(id: number, version = ""): string {
  return `${pageBase()}/${id}/pdf${version ? `?v=${encodeURIComponent(version)}` : ""}`;
}
