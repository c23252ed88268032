import { parseArgs } from "node:util";
import { startSimulatedRig } from "../../sim/simulatedRig.js";
import { UsageError } from "../UsageError.js";

/** `rigwatch sim`: the built-in Motive-like NatNet server with the demo faults, until SIGINT/SIGTERM. */
export async function sim(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      port: { type: "string" },
      version: { type: "string" },
      rate: { type: "string" },
      tap: { type: "string" },
      "tap-alarms": { type: "string" },
    },
  });
  if (positionals.length > 0) throw new UsageError("sim takes no positional arguments");
  const port = Number(values.port ?? 1510);
  const rateHz = Number(values.rate ?? 120);
  const version = values.version ?? "4.1";
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port expects 0..65535, got ${values.port}`);
  if (!(rateHz > 0 && rateHz <= 1000)) throw new UsageError(`--rate expects 1..1000 Hz, got ${values.rate}`);
  if (version !== "3.0" && version !== "4.1")
    throw new UsageError(`--version expects 3.0 or 4.1, got ${version}`);
  const rig = await startSimulatedRig({
    commandPort: port,
    version,
    rateHz,
    ...(values.tap ? { tapEndpoint: values.tap } : {}),
    ...(values["tap-alarms"] ? { alarmEndpoint: values["tap-alarms"] } : {}),
  });
  const motive = rig.motive;
  console.log(
    `simulated Motive on 127.0.0.1:${motive.port} (NatNet ${version}, ${rateHz} Hz), recorder tap on ${rig.tap.endpoint}; faults and takes every two minutes`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await rig.close();
  return 0;
}
