import { parseArgs } from "node:util";
import { pino } from "pino";
import { type Config, ConfigError } from "../../config/index.js";
import { DaemonStartError } from "../../daemon/DaemonStartError.js";
import { type LiveDaemon, startLiveDaemon } from "../../daemon/startLiveDaemon.js";
import { testSeams } from "../../daemon/testSeams.js";
import { createLog } from "../../sinks/log.js";
import { configFlags, configFrom } from "../configFlags.js";
import { RUN_EXIT } from "../runExitCodes.js";
import { UsageError } from "../UsageError.js";

/** A simulated rig: where its Motive and its recorder tap listen. */
export interface SimulatedRigHandle {
  readonly natnetCommandPort: number;
  readonly tapEndpoint: string;
  close(): Promise<void>;
}

/** SIGTERM/SIGINT: everything stopped and the journal closed within this, or the process exits anyway. */
const STOP_DEADLINE_MS = 1800;
/** A live pipeline that cannot go on: the process is gone within this, whatever hangs. */
const FATAL_DEADLINE_MS = 900;

/**
 * `rigwatch run`: the live daemon on NatNet and the recorder tap. Resolves (exit 0) when SIGINT or
 * SIGTERM has shut it down; a start that fails exits with one line naming the cause (78 bad config,
 * 75 port or endpoint busy, 1 otherwise); a live pipeline that cannot go on exits 70 within a second
 * after a `fatal` log line, so the service manager restarts it.
 */
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
  let config: Config;
  try {
    config = configFrom({ ...values, set: sets });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`rigwatch run: ${error.message}\n`);
    return RUN_EXIT.badConfig;
  }
  // Synchronous flush on the way out: the last lines before an exit must reach the journal of the service manager.
  const destination = pino.destination({ dest: 2, sync: false });
  const log = createLog(config.daemon.logLevel, destination);
  const flushLog = () => {
    try {
      destination.flushSync();
    } catch {
      // stderr is gone (the service manager's pipe closed): nothing more can be said.
    }
  };

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

  let daemon: LiveDaemon | undefined;
  let exiting = false;
  /** The live pipeline cannot go on: say why, tell the pages, flush, close the journal, exit 70. */
  const fatal = (reason: string, error?: unknown) => {
    if (exiting) return;
    exiting = true;
    setTimeout(() => process.exit(RUN_EXIT.lostPipeline), FATAL_DEADLINE_MS).unref();
    try {
      log.fatal(
        { err: error },
        `live pipeline lost: ${reason}; exiting so the service manager restarts rigwatch`,
      );
      daemon?.fail(reason);
      daemon?.journal.close();
    } finally {
      flushLog();
      process.exit(RUN_EXIT.lostPipeline);
    }
  };
  process.on("uncaughtException", (error) => fatal("uncaught exception", error));
  process.on("unhandledRejection", (error) => fatal("unhandled promise rejection", error));

  try {
    daemon = await startLiveDaemon(config, log, {
      ...(values.json ? { jsonLines: (line: string) => process.stdout.write(`${line}\n`) } : {}),
      onFatal: fatal,
      ...testSeams(process.env),
    });
  } catch (error) {
    await rig?.close();
    if (!(error instanceof DaemonStartError)) throw error;
    log.fatal({ err: error.cause, component: error.component }, error.message);
    flushLog();
    process.stderr.write(`rigwatch run: ${error.message}\n`);
    return error.kind === "busy" ? RUN_EXIT.busy : error.kind === "config" ? RUN_EXIT.badConfig : 1;
  }
  if (!values.json)
    process.stderr.write(
      `rigwatch: operator page at http://127.0.0.1:${daemon.hub.port}/ (JSON stream at /ws)\n`,
    );

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  exiting = true;
  const running = daemon;
  const deadline = setTimeout(() => {
    log.error(`not stopped within ${STOP_DEADLINE_MS} ms; closing the journal and exiting`);
    running.journal.close();
    flushLog();
    process.exit(RUN_EXIT.stopFailed);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  const failed = await running.close();
  await rig?.close();
  clearTimeout(deadline);
  log.info(
    failed.length === 0
      ? "rigwatch daemon stopped"
      : `rigwatch daemon stopped; ${failed.join(", ")} failed to stop`,
  );
  flushLog();
  return failed.length === 0 ? 0 : RUN_EXIT.stopFailed;
}
