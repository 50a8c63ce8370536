// The UI's entry: picks the language, starts listening to library changes, shows the app. An
// error nothing else caught is shown in the window (and kept for the tests), never swallowed.
import { render } from "preact";
import { App } from "./app";
import { initLang, t } from "./i18n/i18n";
import { startEvents } from "./store";
import "./fonts.css";
import "./styles.css";

function report(message: string) {
  const box = document.getElementById("fatal") ?? document.body.appendChild(Object.assign(document.createElement("div"), { id: "fatal" }));
  box.className = "error fatal";
  box.setAttribute("role", "alert");
  box.textContent = `${t("errors.unknown")} ${message}`;
}
addEventListener("error", (e) => report(e.message));
addEventListener("unhandledrejection", (e) =>
  report(`${e.reason?.name ?? ""} ${e.reason?.message ?? e.reason} ${e.reason?.detail ?? ""} ${e.reason?.stack ?? ""}`),
);

initLang();
startEvents().catch((e) => report(String(e)));
render(<App />, document.getElementById("app")!);
