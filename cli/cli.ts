#!/usr/bin/env node
import { CommanderError } from "commander";
import { isUserFacing } from "../config/UserFacingError.js";
import { buildProgram } from "./buildProgram.js";
import { COMMANDS } from "./commandSpecs.js";
import { NO_PROGRESS, ProgressBar } from "./ProgressBar.js";
import { UsageError } from "./UsageError.js";

/**
 * `rigwatch <command> …`: commander (from the declarations in commandSpecs.ts) answers --help, typos
 * and malformed command lines; the command's body runs with the arguments as given. Exit codes: the
 * body's, 2 for a usage error, 1 for an input error made for people (printed without a stack).
 */
async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(COMMANDS, async (spec, command) => {
    const rest = argv.slice(1);
    const progress = spec.progress
      ? ProgressBar.for({ out: process.stderr, lines: process.stdout, json: rest.includes("--json") })
      : NO_PROGRESS;
    try {
      exitCode = await (await spec.load())(rest, progress);
      progress.stop();
    } catch (error) {
      progress.stop();
      if (error instanceof UsageError || isParseArgsError(error)) {
        process.stderr.write(
          `rigwatch ${spec.name}: ${(error as Error).message}\n\n${command.helpInformation()}`,
        );
        exitCode = 2;
        return;
      }
      // Typed input errors (config, episode files, the hub) carry a message made for people; anything else is a bug.
      if (isUserFacing(error)) {
        process.stderr.write(`rigwatch ${spec.name}: ${error.message}\n`);
        exitCode = 1;
        return;
      }
      throw error;
    }
  });
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    // Help (also `rigwatch help`) is an answer; anything else commander refuses is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return exitCode;
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

process.exitCode = await main(process.argv.slice(2));
