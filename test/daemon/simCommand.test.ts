import { spawn } from "node:child_process";
import { join } from "node:path";
import { firstValueFrom, filter, take, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { demoFaults } from "../../daemon/simulatedRig.js";
import { NatNetClient } from "../../hw/natnet/client/index.js";
import { PROJECT_ROOT } from "../helpers/paths.js";

const CLI = join(PROJECT_ROOT, "dist/daemon/cli.js");

describe("the simulated rig", () => {
  it("schedules every fault kind within each minute", () => {
    const firstMinute = demoFaults(2).filter((f) => f.at < 60);
    expect(firstMinute.map((f) => [f.at, f.fault])).toEqual([
      [5, "trackingLost"],
      [12, "heldPose"],
      [19, "teleport"],
      [26, "silence"],
      [33, "rotationFlip"],
      [40, "garbage"],
      [47, "serverRestart"],
    ]);
    expect(demoFaults(2).filter((f) => f.at >= 60)).toHaveLength(7);
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
