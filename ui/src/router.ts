// A tiny hash router: `#/dokument/12?q=umowa` → { view: "dokument", id: "12", params }.
import { useEffect, useState } from "preact/hooks";

export type Route = { view: string; id: string | null; params: URLSearchParams };

export function parseHash(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  const [view = "", id = null] = path.split("/");
  return { view: view || "skrzynka", id: id || null, params: new URLSearchParams(query) };
}

export function href(view: string, id?: number | string | null, params?: Record<string, string>) {
  const q = params ? new URLSearchParams(params).toString() : "";
  return `#/${view}${id !== undefined && id !== null ? `/${id}` : ""}${q ? `?${q}` : ""}`;
}

export function go(view: string, id?: number | string | null, params?: Record<string, string>) {
  location.hash = href(view, id, params);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}
