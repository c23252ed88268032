import { spawn } from "node:child_process";
import { join } from "node:path";
import { firstValueFrom, filter, take, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { demoSchedule } from "../../sim/simulatedRig.js";
import { NatNetClient } from "../../hw/natnet/client/index.js";
import { PROJECT_ROOT } from "../helpers/paths.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");

describe("the simulated rig", () => {
  it("schedules every fault kind, a rest and three takes within each two-minute cycle", () => {
    const { motive, tap, takes } = demoSchedule(2);
    expect(motive.filter((f) => f.at < 120).map((f) => [f.at, f.fault, f.durationS ?? null])).toEqual([
      [5, "trackingLost", 1.5],
      [12, "heldPose", 1],
      [19, "teleport", null],
      [26, "silence", 0.5],
      [33, "rotationFlip", null],
      [40, "garbage", null],
      [47, "serverRestart", 2],
      // The operator's rest: every body stops (and the scene with it, below).
      [54, "rest", 1.5],
      [54, "rest", 1.5],
      [54, "rest", 1.5],
      [61.5, "silence", 3],
      [72, "silence", 11],
    ]);
    expect(tap.filter((f) => f.at < 120).map((f) => [f.at, f.fault])).toEqual([
      [9, "ledFlicker"],
      [16, "cameraFrozen"],
      [23, "camerasStalled"],
      [30, "gelUnplugged"],
      [53.8, "sceneStill"],
    ]);
    expect(motive.filter((f) => f.fault === "rest" && f.at < 120).map((f) => f.body)).toEqual([1, 2, 3]);
    // Take B starts inside the 3 s silence (start gate); the 11 s silence falls inside take B (watchdog).
    expect(takes.filter((t) => t.at < 120)).toEqual([
      { at: 2, durationS: 56, episode: 0 },
      { at: 64, durationS: 24, episode: 1 },
      { at: 92, durationS: 26, episode: 2 },
    ]);
    expect(motive.filter((f) => f.at >= 120)).toHaveLength(12);
    expect(takes.filter((t) => t.at >= 120).map((t) => t.episode)).toEqual([3, 4, 5]);
  });

  it("rigwatch sim streams the rig's three bodies to a NatNet client until SIGTERM", async () => {
    const sim = spawn(process.execPath, [CLI, "sim", "--port", "0", "--version", "3.0", "--rate", "240"]);
    const line: string = await new Promise((resolve) => sim.stdout.once("data", (d) => resolve(String(d))));
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
    expect(line).toContain("(NatNet 3.0, 240 Hz)");
    const client = new NatNetClient({ serverAddress: "127.0.0.1", commandPort: port });
    const names = firstValueFrom(
      client.samples$.pipe(
        filter((s) => s.valid),
        take(30),
        toArray(),
      ),
    );
    await client.start();
    expect([...new Set((await names).map((s) => s.body))].sort()).toEqual([
      "motherboard",
      "sensor_left",
      "sensor_right",
    ]);
    await client.close();
    sim.kill("SIGTERM");
    expect(await new Promise((r) => sim.once("exit", r))).toBe(0);
  }, 20_000);
});
