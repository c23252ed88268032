import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Alarm } from "../../detectors/alarm.js";
import { type MotiveSimulator, startSimulator } from "../../sim/motive/index.js";
import { AlarmJournal } from "../../sinks/AlarmJournal.js";
import { tempDir } from "../helpers/paths.js";
import { type DaemonProcess, exited, startDaemonProcess } from "./daemonProcess.js";

let browser: Browser;
let sim: MotiveSimulator | undefined;
let daemon: DaemonProcess | undefined;
const dir = tempDir();
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
});
afterAll(async () => {
  await browser?.close();
  dir.cleanup();
});
afterEach(async () => {
  daemon?.child.kill("SIGKILL");
  if (daemon) await exited(daemon.child);
  await sim?.close();
});

const alarm = (id: string, state: Alarm["state"], at: string, kind: Alarm["kind"]): Alarm => ({
  type: "alarm",
  id,
  kind,
  state,
  severity: kind === "teleport" ? "warning" : "critical",
  subject: "sensor_left",
  t: 10,
  at,
  detail: {},
});

describe("the operator page and the journal (real browser, real daemon)", () => {
  it("fills its history from the journal, an earlier run's open alarm ended with it; NOT LIVE when the daemon's pipeline is lost", async () => {
    const file = join(dir.path, "alarms.sqlite");
    const earlier = new AlarmJournal({ file, retentionDays: 3650, run: "earlier-run" });
    earlier.record(
      alarm("ot_loss:sensor_left:1", "raised", "2026-12-01T10:00:00.000Z", "ot_loss"),
      undefined,
    );
    earlier.record(
      alarm("ot_loss:sensor_left:1", "cleared", "2026-12-01T10:00:01.500Z", "ot_loss"),
      undefined,
    );
    earlier.record(
      alarm("teleport:sensor_left:1", "raised", "2026-12-01T10:00:02.000Z", "teleport"),
      undefined,
    );
    earlier.close();

    sim = await startSimulator({ commandPort: 0, rateHz: 120 });
    daemon = await startDaemonProcess(
      sim.port,
      ["--set", `journal.file=${file}`, "--set", "stages.auto=false"],
      {
        RIGWATCH_TEST_SEAM: JSON.stringify({ uncaughtAfterMs: 6000 }),
      },
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${daemon.port}/`);
    await page.locator('#status-word:text-is("LIVE")').waitFor({ timeout: 5000 });
    const row = (key: string) => page.locator(`#history tr[data-key="${key}"] td`);
    await row("earlier-run/ot_loss:sensor_left:1").first().waitFor({ timeout: 2000 });
    expect(await row("earlier-run/ot_loss:sensor_left:1").allTextContents()).toEqual([
      expect.any(String),
      "critical",
      expect.stringMatching(/OT LOSS/i),
      "sensor_left",
      "—",
      "cleared after 1.5 s",
    ]);
    expect((await row("earlier-run/teleport:sensor_left:1").allTextContents()).at(-1)).toBe(
      "cleared while not live",
    );

    // The test seam's uncaught exception: the daemon exits 70 and the page says NOT LIVE.
    await page.locator('#status-word:text-is("NOT LIVE")').waitFor({ timeout: 10_000 });
    await exited(daemon.child);
    expect(daemon.child.exitCode).toBe(70);
    expect(await page.locator("#status-detail").textContent()).toMatch(
      /^(daemon failed: uncaught exception|daemon gone: )/,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
