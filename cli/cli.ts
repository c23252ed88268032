#!/usr/bin/env node
import { isUserFacing } from "../config/UserFacingError.js";
import { UsageError } from "./UsageError.js";
import { COMMON_FLAGS, USAGE } from "./usage.js";

type Command = (argv: readonly string[]) => Promise<number>;

/** Commands load their modules on demand: `rigwatch help` should not pay for h5wasm. */
const COMMANDS: Record<keyof typeof USAGE, () => Promise<Command>> = {
  run: async () => {
    const [{ run }, { startSimulatedRig }] = await Promise.all([
      import("./commands/run.js"),
      import("../sim/simulatedRig.js"),
    ]);
    return (argv) =>
      run(argv, async (config) => {
        const rig = await startSimulatedRig({ alarmEndpoint: config.tap.alarmEndpoint });
        return {
          natnetCommandPort: rig.motive.port,
          tapEndpoint: rig.tap.endpoint,
          close: () => rig.close(),
        };
      });
  },
  sim: async () => (await import("./commands/sim.js")).sim,
  check: async () => (await import("./commands/check.js")).check,
  compress: async () => (await import("./commands/compress.js")).compress,
  process: async () => (await import("./commands/process.js")).processSessions,
  worker: async () => (await import("./commands/queueArgs.js")).workerArgs,
  queue: async () => (await import("./commands/queueArgs.js")).queueArgs,
  detect: async () => (await import("./commands/detect.js")).detect,
  index: async () => (await import("./commands/contactIndex.js")).index,
  previews: async () => (await import("./commands/previews.js")).previews,
  verdict: async () => (await import("./commands/verdict.js")).verdict,
  metadata: async () => (await import("./commands/metadata.js")).metadata,
  preflight: async () => (await import("./commands/preflight.js")).preflight,
  publish: async () => (await import("./commands/publish.js")).publish,
  replay: async () => {
    const [{ replay }, { demoEpisode }] = await Promise.all([
      import("./commands/replay.js"),
      import("./demoEpisode.js"),
    ]);
    return (argv) => replay(argv, () => demoEpisode((line) => console.log(line)));
  },
};

function usage(): string {
  return `rigwatch — watches a capture rig live and curates its recordings\n\n${Object.values(USAGE).join("\n\n")}\n\n${COMMON_FLAGS}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (!(name in COMMANDS)) {
    process.stderr.write(`rigwatch: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = name as keyof typeof USAGE;
  try {
    return await (
      await COMMANDS[command]()
    )(rest);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      process.stderr.write(`rigwatch ${name}: ${(error as Error).message}\n\n${USAGE[command]}\n`);
      return 2;
    }
    // Typed input errors (config, episode files, the hub) carry a message made for people; anything else is a bug.
    if (isUserFacing(error)) {
      process.stderr.write(`rigwatch ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

process.exitCode = await main(process.argv.slice(2));
