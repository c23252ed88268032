import { readFileSync } from "node:fs";
import { makeOutputDir } from "../../sinks/OutputWriteError.js";
import { dirname } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import { ReportFileError } from "../../sinks/reports/index.js";
import type { JsonObject } from "./Json.js";
import { planSessionChanges } from "./planSessionChanges.js";
import { readSessionFacts } from "./readSessionFacts.js";
import { episodeCount, type SessionFacts } from "./SessionFacts.js";
import { sessionEntryProblems } from "./sessionEntryProblems.js";
import type { SessionTarget } from "./SessionTarget.js";
import { applyChanges } from "./TasksChange.js";
import { readTasksFile } from "./tasksFile.js";
import { NEW_FILE_STYLE } from "./textStyle.js";

export interface SessionUpdate {
  readonly dateDir: string;
  readonly task: string;
  readonly date: string;
  readonly tasksPath: string;
  readonly nEpisodes: number;
  /** Dotted keys written (`per_date_notes.2026-05-31.note`); empty when tasks.json was up to date. */
  readonly changed: readonly string[];
  /** Fields left as a person wrote them, though rigwatch would write something else. */
  readonly kept: readonly string[];
  readonly generatedNote: string;
}

export interface MetadataRun {
  readonly sessions: readonly SessionUpdate[];
  /** tasks.json files written (only those whose text changed). */
  readonly written: readonly string[];
}

/**
 * `rigwatch metadata`: brings tasks.json up to date for each session (spec §8's keys, plus
 * `generated_note` and `n_episodes`). Everything is read and checked before anything is written: a
 * report or tasks.json rigwatch cannot use stops the run with a ReportFileError and no file changes.
 * Edits touch only the bytes they change; an up-to-date file is not rewritten.
 */
export function runMetadata(targets: readonly SessionTarget[]): MetadataRun {
  const unique = [...new Map(targets.map((t) => [t.dateDir, t])).values()];
  const facts = unique.map((target) => ({ target, facts: readSessionFacts(target) }));
  const byFile = new Map<string, typeof facts>();
  for (const f of facts) byFile.set(f.target.tasksPath, [...(byFile.get(f.target.tasksPath) ?? []), f]);

  const sessions: SessionUpdate[] = [];
  const pending: { path: string; original: string | undefined; text: string }[] = [];
  for (const [path, group] of byFile) {
    const file = readTasksOrStop(path);
    const style = file?.style ?? NEW_FILE_STYLE;
    const data: JsonObject = structuredClone(file?.data ?? {});
    let text = file?.text ?? "{}\n";
    for (const { target, facts: session } of group) {
      const problems = sessionEntryProblems(data, session.task, session.date);
      if (problems.length > 0) throw new ReportFileError(path, `${problems.join("; ")}; nothing was written`);
      const plan = planSessionChanges(data, session);
      text = applyChanges(text, data, plan.changes, style);
      sessions.push(sessionUpdate(target, session, plan));
    }
    // The edited text must read back as the old value plus exactly these changes: nothing of the
    // person's lost or altered by a text edit.
    if (!isDeepStrictEqual(JSON.parse(text), data))
      throw new Error(`${path}: the edited text does not read back as intended; nothing was written`);
    if (text !== file?.text) pending.push({ path, original: file?.text, text });
  }

  for (const { path, original, text } of pending) {
    if (currentText(path) !== original)
      throw new ReportFileError(path, "changed while rigwatch was updating it; run metadata again");
    makeOutputDir(dirname(path));
    writeFileAtomic(path, text);
  }
  return { sessions, written: pending.map((p) => p.path) };
}

function sessionUpdate(
  target: SessionTarget,
  facts: SessionFacts,
  plan: ReturnType<typeof planSessionChanges>,
): SessionUpdate {
  return {
    dateDir: target.dateDir,
    task: facts.task,
    date: facts.date,
    tasksPath: target.tasksPath,
    nEpisodes: episodeCount(facts),
    changed: plan.changes.map((c) => c.path.join(".")),
    kept: plan.kept,
    generatedNote: plan.generatedNote,
  };
}

/** readTasksFile, its errors saying that the run stopped before writing anything. */
function readTasksOrStop(path: string): ReturnType<typeof readTasksFile> {
  try {
    return readTasksFile(path);
  } catch (error) {
    if (!(error instanceof ReportFileError)) throw error;
    throw new ReportFileError(path, `${error.message.slice(`${path}: `.length)}; nothing was written`);
  }
}

function currentText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
