// The harness the end-to-end test and the app benchmark share: an Xvfb display, tauri-driver
// (which starts WebKitWebDriver) and a small WebDriver client for the real `skladnica-app`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/**
 * Starts Xvfb (unless DISPLAY is set and SKLADNICA_E2E_XVFB is not 1) and tauri-driver with
 * `env` (the library, config folders) for the app at `app`. Everything started is stopped when
 * the process exits.
 */
export async function startHarness({ app, env: extra }) {
  const driverBin = process.env.TAURI_DRIVER ?? join(homedir(), ".cargo/bin/tauri-driver");
  for (const [what, path] of [["the app", app], ["tauri-driver", driverBin]]) {
    if (!existsSync(path)) throw new Error(`${what} is missing: ${path}`);
  }
  const children = [];
  const start = (cmd, args, env) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err = (err + d).slice(-4000)));
    child.lastError = () => err;
    children.push(child);
    return child;
  };
  process.on("exit", () => children.reverse().forEach((c) => c.kill("SIGTERM")));
  let display = process.env.DISPLAY;
  if (!display || process.env.SKLADNICA_E2E_XVFB === "1") {
    display = ":" + (90 + Math.floor(Math.random() * 100));
    start("Xvfb", [display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"]);
    await sleep(500);
  }
  const env = {
    DISPLAY: display,
    // WebKitGTK's compositing and DMA-BUF renderer do not work under Xvfb in a container.
    WEBKIT_DISABLE_COMPOSITING_MODE: "1",
    WEBKIT_DISABLE_DMABUF_RENDERER: "1",
    LANG: "pl_PL.UTF-8",
    ...extra,
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
  for (let i = 0; ; i++) {
    try {
      await wd("GET", "/status");
      break;
    } catch {
      if (i > 100) throw new Error(`tauri-driver did not start: ${driver.lastError()}`);
      await sleep(100);
    }
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
      await this.scrollTo(el);
      await this.cmd("POST", `/element/${el}/click`, {});
    }
    /** Opens a <details> by clicking its summary as a user would, again if a click was lost. */
    async open(css) {
      for (let i = 0; i < 5; i++) {
        if (await this.run(`return document.querySelector(${JSON.stringify(css)})?.open === true`)) return;
        await this.click(`${css} > summary`);
        const until = Date.now() + 1000;
        while (Date.now() < until) {
          if (await this.run(`return document.querySelector(${JSON.stringify(css)})?.open === true`)) return;
          await sleep(100);
        }
      }
      throw new Error(`${css} did not open`);
    }
    async scrollTo(el) {
      // Into the middle of the view, clear of the sticky save bar.
      await this.run("arguments[0].scrollIntoView({ block: 'center' })", { [ELEMENT]: el });
    }
    async type(css, text, clear = true) {
      // A field that has just appeared (a <details> opening) may not take keys for a moment:
      // found again and tried for up to five seconds.
      const until = Date.now() + 5000;
      for (;;) {
        const el = await this.find(css);
        await this.scrollTo(el);
        try {
          if (clear) await this.cmd("POST", `/element/${el}/clear`, {});
          await this.cmd("POST", `/element/${el}/value`, { text });
          return;
        } catch (e) {
          if (!String(e).includes("not interactable") || Date.now() > until) throw e;
          await sleep(200);
        }
      }
    }
    async go(hash) {
      await this.run(`location.hash = ${JSON.stringify(hash)}`);
    }
    async run(script, ...args) {
      return this.cmd("POST", "/execute/sync", { script, args });
    }
    // WebKitWebDriver's own screenshot hangs under Xvfb here; the X server's picture of the
    // window (at the top left, no window manager) is the same thing.
    async screenshot(dir, name) {
      mkdirSync(dir, { recursive: true });
      await sleep(700);
      const r = spawnSync("/usr/bin/import", ["-display", display, "-window", "root", "-crop", "1280x820+0+0", "+repage", join(dir, `${name}.png`)]);
      if (r.status !== 0) throw new Error(`screenshot ${name}: ${r.stderr}`);
    }
    async close() {
      await wd("DELETE", `/session/${this.id}`).catch(() => {});
    }
  }

  return { Session, start, env, display };
}

/** A tiny TAP-like runner: `test(name, fn)`, then `summary(label)` prints "N passed, N failed". */
export function runner() {
  let passed = 0;
  let failed = 0;
  return {
    async test(name, fn) {
      try {
        await fn();
        passed++;
        console.log(`ok - ${name}`);
      } catch (e) {
        failed++;
        console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split("\n").slice(0, 5).join("\n  ")}${e.cause ? `\n  cause: ${e.cause}` : ""}`);
      }
    },
    summary(label) {
      console.log(`${label}: ${passed} passed, ${failed} failed`);
      return failed;
    },
  };
}
