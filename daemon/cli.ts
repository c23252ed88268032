#!/usr/bin/env node
import { ConfigError } from "../config/index.js";
import { EpisodeError } from "../hw/h5/index.js";
import { check, checkUsage } from "./commands/check.js";
import { detect, detectUsage } from "./commands/detect.js";
import { replay, replayUsage } from "./commands/replay.js";
import { demoEpisode } from "./demoEpisode.js";
import { UsageError } from "./UsageError.js";

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  check: { run: check, usage: checkUsage },
  detect: { run: detect, usage: detectUsage },
  replay: { run: (argv) => replay(argv, () => demoEpisode((line) => console.log(line))), usage: replayUsage },
};

function usage(): string {
  return `rigwatch — watches a capture rig live and curates its recordings\n\n${Object.values(COMMANDS)
    .map((c) => c.usage)
    .join("\n\n")}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`rigwatch: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      process.stderr.write(`rigwatch ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof EpisodeError) {
      process.stderr.write(`rigwatch ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
