import { isDeepStrictEqual } from "node:util";
import type { Side } from "../../detectors/samples.js";
import type { JsonObject, JsonValue } from "./Json.js";
import { detectedActiveSensors, episodeCount, type SessionFacts } from "./SessionFacts.js";
import { sessionDateChange } from "./sessionDateChange.js";
import { sessionKind } from "./sessionKind.js";
import { sessionNote } from "./sessionNote.js";
import type { TasksChange } from "./TasksChange.js";

export interface SessionPlan {
  readonly changes: readonly TasksChange[];
  /** Fields whose value differs from what rigwatch would write, left as a person wrote them. */
  readonly kept: readonly string[];
  /** The note generated from the facts (in `generated_note`, and in `note` unless a person wrote one). */
  readonly generatedNote: string;
}

/**
 * The changes that bring tasks.json up to date for one session; none when it already is. Types are
 * checked beforehand (sessionEntryProblems).
 * - the date goes into `tasks.<task>.dates` at its sorted place, once; the list is not re-ordered;
 * - `active_sensors` and `kind` are written only when absent: a person's value wins, and detect
 *   reads active_sensors as input;
 * - `note` is replaced only when absent or still equal to `generated_note` (the last generated
 *   text), so a note a person edited or wrote is never clobbered; `generated_note` and `n_episodes`
 *   are rigwatch's and always current.
 */
export function planSessionChanges(data: JsonObject, facts: SessionFacts): SessionPlan {
  const { task, date } = facts;
  const changes: TasksChange[] = [];
  const kept: string[] = [];
  const dateChange = sessionDateChange(data, task, date);
  if (dateChange) changes.push(dateChange);

  const generatedNote = sessionNote(facts);
  const nEpisodes = episodeCount(facts);
  const entryPath = ["per_date_notes", date];
  const entry = (data.per_date_notes as JsonObject | undefined)?.[date] as JsonObject | undefined;
  if (entry === undefined) {
    const active = detectedActiveSensors(facts);
    const value: JsonObject = {
      kind: sessionKind(active),
      active_sensors: active,
      note: generatedNote,
      generated_note: generatedNote,
      n_episodes: nEpisodes,
    };
    changes.push({ op: "set", path: entryPath, value });
    return { changes, kept, generatedNote };
  }
  const set = (field: string, value: JsonValue) =>
    changes.push({ op: "set", path: [...entryPath, field], value });
  const detected = detectedActiveSensors(facts);
  const active = (entry.active_sensors as Side[] | undefined) ?? detected;
  if (entry.kind === undefined) set("kind", sessionKind(active));
  else if (entry.kind !== sessionKind(active)) kept.push("kind");
  if (entry.active_sensors === undefined) set("active_sensors", active);
  else if (!isDeepStrictEqual(entry.active_sensors, detected)) kept.push("active_sensors");
  if (entry.note === undefined || entry.note === entry.generated_note) {
    if (entry.note !== generatedNote) set("note", generatedNote);
  } else kept.push("note");
  if (entry.generated_note !== generatedNote) set("generated_note", generatedNote);
  if (entry.n_episodes !== nEpisodes) set("n_episodes", nEpisodes);
  return { changes, kept, generatedNote };
}
