/**
 * The operator page's reaction times, the targets its test used to assert (500 ms, 3 s) and a loaded
 * test machine could miss: simulated Motive → `rigwatch run` (a separate process) → /ws → Chromium.
 *
 * For each OT loss held on sensor_left: ms from the alarm's arrival at a plain /ws client in this process
 * to the page's banner showing it, and the same for its clear (the page stamps its banner with a
 * MutationObserver; both processes read the system clock). Then, per daemon, ms from its SIGKILL to the
 * page saying NOT LIVE.
 *
 *   npm run build && node --import tsx bench/operatorPage.bench.ts [--losses 10] [--kills 3]
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";
import { WebSocket } from "ws";
import { startSimulator } from "../sim/motive/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: { losses: { type: "string", default: "10" }, kills: { type: "string", default: "3" } },
});
const SENSOR_LEFT = 2;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

async function until<T>(value: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await value();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`no ${what} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `rigwatch run` on the simulator's port: its page port once it listens. */
async function startDaemon(natnetPort: number) {
  const child = spawn(
    process.execPath,
    [
      join(root, "dist/cli/cli.js"),
      "run",
      "--natnet-command-port",
      String(natnetPort),
      "--port",
      "0",
      "--tap-alarms",
      "tcp://127.0.0.1:*",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const port: number = await new Promise((resolve) => {
    let buffer = "";
    child.stderr.on("data", (d) => {
      buffer += String(d);
      const match = /"port":(\d+),"natnet"/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, port };
}

/**
 * Stamps, in the page, when `selector` starts and stops matching `shows`. A string, not a function:
 * tsx's name helpers do not exist in the page.
 */
async function watch(page: Page, name: string, selector: string, shows: string): Promise<void> {
  await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const seen = (window[${JSON.stringify(name)}] = {});
    const check = () => {
      const now = Date.now();
      if (!el.hidden && el.textContent.includes(${JSON.stringify(shows)})) seen.shownAt ??= now;
      else if (seen.shownAt !== undefined) seen.goneAt ??= now;
    };
    check();
    new MutationObserver(check).observe(el, { attributes: true, childList: true, subtree: true, characterData: true });
  })()`);
}
const stamps = (page: Page, name: string) =>
  page.evaluate(`window[${JSON.stringify(name)}]`) as Promise<
    { shownAt?: number; goneAt?: number } | undefined
  >;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
});
const sim = await startSimulator({ commandPort: 0, rateHz: 120 });
const shown: number[] = [];
const gone: number[] = [];
const notLive: number[] = [];
try {
  for (let k = 0; k < Number(values.kills); k++) {
    const daemon = await startDaemon(sim.port);
    try {
      const arrivals: { at: number; id: string; state: string }[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${daemon.port}/ws`);
      ws.on("message", (d) => {
        const m = JSON.parse(String(d));
        if (m.type === "alarm" && m.kind === "ot_loss" && m.subject === "sensor_left")
          arrivals.push({ at: Date.now(), id: m.id, state: m.state });
      });
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${daemon.port}/`);
      await page
        .locator('#bodies tr[data-key="sensor_left"]', { hasText: "TRACKED" })
        .waitFor({ timeout: 30_000 });
      for (let i = 0; i < Number(values.losses); i++) {
        await watch(page, "bannerStamps", "#banner", "sensor_left");
        const from = arrivals.length;
        const end = sim.hold("trackingLost", SENSOR_LEFT);
        const raised = await until(() => arrivals.slice(from).find((a) => a.state === "raised"), "alarm");
        const banner = await until(async () => (await stamps(page, "bannerStamps"))?.shownAt, "banner");
        end();
        const cleared = await until(
          () => arrivals.slice(from).find((a) => a.state === "cleared" && a.id === raised.id),
          "clear",
        );
        const bannerGone = await until(
          async () => (await stamps(page, "bannerStamps"))?.goneAt,
          "banner gone",
        );
        shown.push(banner - raised.at);
        gone.push(bannerGone - cleared.at);
      }
      await watch(page, "statusStamps", "#status-word", "NOT LIVE");
      const killedAt = Date.now();
      daemon.child.kill("SIGKILL");
      notLive.push(
        (await until(async () => (await stamps(page, "statusStamps"))?.shownAt, "NOT LIVE")) - killedAt,
      );
      ws.close();
      await page.close();
    } finally {
      daemon.child.kill("SIGKILL"); // also when a step failed: no daemon outlives the bench
    }
  }
} finally {
  await sim.close();
  await browser.close();
}

console.log(
  `machine: ${cpus()[0]?.model} × ${cpus().length}, load ${loadavg()[0]?.toFixed(1)}, node ${process.version}`,
);
console.log("from                          to                n   p50 ms   p95 ms   max ms   target");
const row = (from: string, to: string, xs: number[], target: string) =>
  console.log(
    `${from.padEnd(30)}${to.padEnd(16)}${String(xs.length).padStart(3)}${percentile(xs, 50).toFixed(0).padStart(9)}${percentile(xs, 95).toFixed(0).padStart(9)}${Math.max(
      ...xs,
    )
      .toFixed(0)
      .padStart(9)}   ${target}`,
  );
row("alarm raised on /ws", "banner shown", shown, "< 500");
row("alarm cleared on /ws", "banner gone", gone, "< 500");
row("daemon SIGKILL", "NOT LIVE", notLive, "< 3000");
