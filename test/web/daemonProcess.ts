import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { freePort } from "../helpers/freePort.js";
import { PROJECT_ROOT } from "../helpers/paths.js";
import { waitFor } from "../helpers/waitFor.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");

/** `rigwatch run` as a child process, with its page port and its JSON log lines. */
export interface DaemonProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly stdout: string[];
  readonly log: () => { msg?: string; [key: string]: unknown }[];
}

/** Starts the daemon on the given Motive command port; resolves once it is listening. */
export async function startDaemonProcess(
  natnetCommandPort: number,
  extra: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<DaemonProcess> {
  return spawnDaemon(
    [
      "--natnet-server",
      "127.0.0.1",
      "--natnet-command-port",
      String(natnetCommandPort),
      // A port nobody listens on: the daemon hears no other test's recorder.
      "--tap",
      `tcp://127.0.0.1:${await freePort()}`,
      "--tap-alarms",
      "tcp://127.0.0.1:*",
      ...extra,
    ],
    env,
  );
}

/**
 * `rigwatch run --sim --sim-schedule FILE`: the daemon with its built-in simulated rig (Motive and
 * the recorder's tap) playing the schedule in FILE. The rig's recorder connects to the alarm socket
 * before the daemon binds it, so that endpoint is a free port by number, not a wildcard.
 */
export async function startSimDaemonProcess(schedulePath: string): Promise<DaemonProcess> {
  return spawnDaemon([
    "--sim",
    "--sim-schedule",
    schedulePath,
    "--tap-alarms",
    `tcp://127.0.0.1:${await freePort()}`,
  ]);
}

async function spawnDaemon(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [CLI, "run", "--json", "--port", "0", ...args], {
    env: { ...process.env, ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on("data", (d) => stdout.push(...String(d).split("\n").filter(Boolean)));
  child.stderr.on("data", (d) => stderr.push(...String(d).split("\n").filter(Boolean)));
  const log = () => stderr.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const listening = () => log().find((l) => l.msg === "rigwatch daemon listening");
  await waitFor(() => listening() !== undefined || child.exitCode !== null, "the daemon to listen");
  if (child.exitCode !== null) throw new Error(`rigwatch run exited ${child.exitCode}: ${stderr.join("\n")}`);
  return { child, port: listening().port, stdout, log };
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}
