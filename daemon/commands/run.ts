import { parseArgs } from "node:util";
import { map } from "rxjs";
import { NatNetClient } from "../../hw/natnet/client/index.js";
import { createLog } from "../../sinks/log.js";
import { WebSocketHub } from "../../sinks/WebSocketHub.js";
import { BodyHealth } from "../BodyHealth.js";
import { configFlags, configFrom } from "../configFlags.js";
import { operatorPage } from "../operatorPage.js";
import { runDaemon } from "../runDaemon.js";
import { UsageError } from "../UsageError.js";

/** `rigwatch run`: the live daemon on NatNet. Resolves when SIGINT/SIGTERM has shut it down. */
export async function run(
  argv: readonly string[],
  startSimulator?: () => Promise<{ commandPort: number; close(): Promise<void> }>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: false,
    options: {
      sim: { type: "boolean" },
      json: { type: "boolean" },
      "natnet-server": { type: "string" },
      "natnet-command-port": { type: "string" },
      "natnet-mode": { type: "string" },
      "natnet-interface": { type: "string" },
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
  flag("port", "daemon.port");
  let config = configFrom({ ...values, set: sets });
  const log = createLog(config.daemon.logLevel);

  const simulator = values.sim && startSimulator ? await startSimulator() : undefined;
  if (values.sim && !startSimulator)
    throw new UsageError("--sim: the simulator is not available in this build");
  if (simulator) {
    config = {
      ...config,
      natnet: { ...config.natnet, server: "127.0.0.1", commandPort: simulator.commandPort, mode: "unicast" },
    };
    log.info({ commandPort: simulator.commandPort }, "simulated Motive started");
  }

  const receiveNow = () => performance.now() / 1000;
  const client = new NatNetClient({
    serverAddress: config.natnet.server,
    commandPort: config.natnet.commandPort,
    dataPort: config.natnet.dataPort,
    mode: config.natnet.mode,
    multicastGroup: config.natnet.multicastGroup,
    ...(config.natnet.localInterface ? { localInterface: config.natnet.localInterface } : {}),
    clock: receiveNow,
    log: (message, details) => log.warn({ natnet: details }, message),
  });
  const health = new BodyHealth();
  let board: () => object[] = () => [];
  const hub = await WebSocketHub.start({
    port: config.daemon.port,
    ...(config.daemon.token ? { token: config.daemon.token } : {}),
    page: operatorPage,
    snapshot: () =>
      [
        client.currentStatus && { type: "natnet", status: client.currentStatus },
        health.snapshot(receiveNow()),
        ...board(),
      ].filter(Boolean) as object[],
  });
  log.info(
    {
      port: hub.port,
      natnet: {
        server: config.natnet.server,
        commandPort: config.natnet.commandPort,
        mode: config.natnet.mode,
      },
    },
    "rigwatch daemon listening",
  );
  if (!values.json)
    process.stderr.write(`rigwatch: operator page at http://127.0.0.1:${hub.port}/ (JSON stream at /ws)\n`);

  const inputs = client.samples$.pipe(
    map((sample) => {
      health.update(sample);
      return { type: "pose" as const, sample };
    }),
  );
  const daemon = runDaemon(
    inputs,
    config,
    { log, hub, ...(values.json ? { jsonLines: (line: string) => process.stdout.write(`${line}\n`) } : {}) },
    { fps: 30, receiveNow },
  );
  board = () => daemon.board.active();
  const status = client.status$.subscribe((s) => {
    log.info({ natnet: s }, `natnet ${s.state}`);
    hub.broadcast({ type: "natnet", status: s });
  });
  const healthTimer = setInterval(() => hub.broadcast(health.snapshot(receiveNow())), 500);
  await client.start();

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  clearInterval(healthTimer);
  status.unsubscribe();
  daemon.stop();
  await client.close();
  await hub.close();
  await simulator?.close();
  log.info("rigwatch daemon stopped");
  log.flush();
  return 0;
}
