import { existsSync, readdirSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { runMetadata, type SessionTarget, sessionTarget } from "../../stages/metadata/index.js";
import { configFlags, configFrom } from "../configFlags.js";
import { UsageError } from "../UsageError.js";

/** `rigwatch metadata`: tasks.json brought up to date for each session folder, from detect's reports. */
export async function metadata(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      tasks: { type: "string" },
      reports: { type: "string" },
      json: { type: "boolean" },
      ...configFlags,
    },
  });
  if (positionals.length === 0) throw new UsageError("metadata needs at least one session folder");
  configFrom(values); // like every command, a bad --config or --set stops it; no threshold is used here
  const json = values.json ?? false;
  // A session folder that cannot be listed is reported; the others are brought up to date.
  const unlisted = positionals.filter((dir) => !listable(dir));
  for (const dir of unlisted) {
    const error = `${dir}: the session folder cannot be listed by this user; its tasks.json entry was left as it was`;
    console.log(
      json ? JSON.stringify({ type: "metadata", session: dir, status: "error", error }) : `error    ${error}`,
    );
  }
  const targets = positionals.filter((dir) => !unlisted.includes(dir)).map((dir) => target(dir, values));
  rejectSharedDates(targets);
  const run = runMetadata(targets);
  for (const s of run.sessions) {
    if (json) {
      console.log(
        JSON.stringify({
          type: "metadata",
          session: s.dateDir,
          task: s.task,
          date: s.date,
          tasks: s.tasksPath,
          status: s.changed.length > 0 ? "updated" : "unchanged",
          changed: s.changed,
          kept: s.kept,
          n_episodes: s.nEpisodes,
          generated_note: s.generatedNote,
        }),
      );
      continue;
    }
    console.log(
      s.changed.length > 0
        ? `updated  ${s.task}/${s.date} in ${s.tasksPath}: ${s.changed.join(", ")}`
        : `ok       ${s.task}/${s.date}: ${s.tasksPath} is up to date`,
    );
    if (s.kept.length > 0) console.log(`         kept as a person wrote them: ${s.kept.join(", ")}`);
    console.log(`         ${s.generatedNote}`);
  }
  return unlisted.length > 0 ? 1 : 0;
}

function listable(dir: string): boolean {
  try {
    if (statSync(dir).isDirectory()) readdirSync(dir);
    return true;
  } catch {
    return !existsSync(dir); // a missing folder is target()'s to report
  }
}

function target(
  dir: string,
  values: { tasks?: string | undefined; reports?: string | undefined },
): SessionTarget {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`no such folder: ${dir}`);
  }
  if (!isDir) throw new UsageError(`${dir} is not a session folder (data/<task>/<date>/)`);
  const found = sessionTarget(dir, {
    ...(values.tasks === undefined ? {} : { tasksPath: values.tasks }),
    ...(values.reports === undefined ? {} : { reportsDir: values.reports }),
  });
  if (found === undefined)
    throw new UsageError(
      `${dir} is not in a dataset's data/<task>/<date>/: give --tasks FILE and --reports DIR`,
    );
  return found;
}

/** per_date_notes is keyed by date alone (spec §8): two tasks' sessions of one date would share a note. */
function rejectSharedDates(targets: readonly SessionTarget[]): void {
  const seen = new Map<string, SessionTarget>();
  for (const t of targets) {
    const key = `${t.tasksPath}\0${t.date}`;
    const other = seen.get(key);
    if (other !== undefined && other.task !== t.task)
      throw new UsageError(
        `${other.dateDir} and ${t.dateDir} share the date ${t.date}, and per_date_notes is keyed by date: update them one at a time`,
      );
    seen.set(key, t);
  }
}
