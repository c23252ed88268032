import { parseArgs } from "node:util";
import type { Config } from "../../config/index.js";
import { createLog } from "../../sinks/log.js";
import { configFlags, configFrom } from "../configFlags.js";
import { startLiveDaemon } from "../../daemon/startLiveDaemon.js";
import { UsageError } from "../UsageError.js";

/** A simulated rig: where its Motive and its recorder tap listen. */
export interface SimulatedRigHandle {
  readonly natnetCommandPort: number;
  readonly tapEndpoint: string;
  close(): Promise<void>;
}

/** `rigwatch run`: the live daemon on NatNet and the recorder tap. Resolves when SIGINT/SIGTERM has shut it down. */
export async function run(
  argv: readonly string[],
  startSimulatedRig?: (config: Config, schedulePath: string | undefined) => Promise<SimulatedRigHandle>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: false,
    options: {
      sim: { type: "boolean" },
      "sim-schedule": { type: "string" },
      json: { type: "boolean" },
      "natnet-server": { type: "string" },
      "natnet-command-port": { type: "string" },
      "natnet-mode": { type: "string" },
      "natnet-interface": { type: "string" },
      tap: { type: "string" },
      "tap-alarms": { type: "string" },
      port: { type: "string" },
      ...configFlags,
    },
  });
  if (positionals.length > 0) throw new UsageError("run takes no positional arguments");
  const sets = [...(values.set ?? [])];
  const flag = (name: string, key: string) => {
    const value = values[name as keyof typeof values];
    if (typeof value === "string") sets.push(`${key}=${value}`);
  };
  flag("natnet-server", "natnet.server");
  flag("natnet-command-port", "natnet.commandPort");
  flag("natnet-mode", "natnet.mode");
  flag("natnet-interface", "natnet.localInterface");
  flag("tap", "tap.endpoint");
  flag("tap-alarms", "tap.alarmEndpoint");
  flag("port", "daemon.port");
  let config = configFrom({ ...values, set: sets });
  const log = createLog(config.daemon.logLevel);

  if (values.sim && !startSimulatedRig)
    throw new UsageError("--sim: the simulator is not available in this build");
  if (values["sim-schedule"] !== undefined && !values.sim) throw new UsageError("--sim-schedule needs --sim");
  const rig =
    values.sim && startSimulatedRig ? await startSimulatedRig(config, values["sim-schedule"]) : undefined;
  if (rig) {
    config = {
      ...config,
      natnet: { ...config.natnet, server: "127.0.0.1", commandPort: rig.natnetCommandPort, mode: "unicast" },
      tap: { ...config.tap, endpoint: rig.tapEndpoint },
    };
    log.info({ natnetCommandPort: rig.natnetCommandPort, tap: rig.tapEndpoint }, "simulated rig started");
  }

  const daemon = await startLiveDaemon(config, log, {
    ...(values.json ? { jsonLines: (line: string) => process.stdout.write(`${line}\n`) } : {}),
  });
  if (!values.json)
    process.stderr.write(
      `rigwatch: operator page at http://127.0.0.1:${daemon.hub.port}/ (JSON stream at /ws)\n`,
    );

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await daemon.close();
  await rig?.close();
  log.info("rigwatch daemon stopped");
  log.flush();
  return 0;
}
