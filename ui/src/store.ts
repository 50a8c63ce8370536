// Shared state the views read: the library's summary, refreshed whenever the shell says the
// library changed (batched events), and a version counter views use to reload their data.
import { useEffect, useState } from "preact/hooks";
import { api, events } from "./api";
import type { LibraryInfo } from "./bindings";

type Listener = () => void;
const listeners = new Set<Listener>();
let version = 0;
let changedDocs = new Set<number>();

/** Starts listening to the shell's change events (once). */
export async function startEvents() {
  await events.libraryChanged.listen((e) => {
    version++;
    changedDocs = new Set(e.payload.all ? [] : e.payload.documents);
    listeners.forEach((l) => l());
  });
  await events.jobsChanged.listen(() => {
    version++;
    listeners.forEach((l) => l());
  });
}

/** Tells every view to reload (after the UI itself changed something). */
export function bump() {
  version++;
  listeners.forEach((l) => l());
}

/**
 * What a settings block's actions end with: `run(action, done)` shows `done` and refreshes the
 * views when the action succeeds, and its error when it fails.
 */
export function useAction(initialError: unknown = null) {
  const [error, setError] = useState<unknown>(initialError);
  const [notice, setNotice] = useState("");
  const fail = (e: unknown) => {
    setNotice("");
    setError(e);
  };
  const run = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setError(null);
      setNotice(done);
      bump();
    } catch (e) {
      fail(e);
    }
  };
  return { error, setError, notice, run, fail };
}

/** A number that grows whenever the library changes. */
export function useLibraryVersion(): number {
  const [v, setV] = useState(version);
  useEffect(() => {
    const l = () => setV(version);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return v;
}

export function lastChangedDocuments(): Set<number> {
  return changedDocs;
}

export function useLibraryInfo(): [LibraryInfo | null, unknown] {
  const v = useLibraryVersion();
  const [info, setInfo] = useState<LibraryInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.libraryInfo().then(
      (i) => {
        setInfo(i);
        setError(null);
      },
      (e) => setError(e),
    );
  }, [v]);
  return [info, error];
}

/** A value the shell keeps current: fetched once, then replaced by each event carrying it.
 *  Returns it and a setter for values a command returned. */
export function useShellState<T>(
  fetch: () => Promise<T>,
  event: { listen: (cb: (e: { payload: T }) => void) => Promise<() => void> },
): [T | null, (v: T) => void] {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let live = true;
    fetch().then((v) => live && setValue(v), () => {});
    event
      .listen((e) => setValue(e.payload))
      .then((u) => (live ? (unlisten = u) : u()))
      .catch(() => {});
    return () => {
      live = false;
      unlisten?.();
    };
  }, []);
  return [value, setValue];
}
