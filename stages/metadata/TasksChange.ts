import { isJsonObject, type JsonObject, type JsonValue } from "./Json.js";
import { insertJsonArrayItem, setJsonValue } from "./jsonTextEdit.js";
import type { TextStyle } from "./textStyle.js";

/** One edit of tasks.json: set a value (creating objects on the way) or insert into an array. */
export type TasksChange =
  | { readonly op: "set"; readonly path: readonly string[]; readonly value: JsonValue }
  | {
      readonly op: "insert";
      readonly path: readonly string[];
      readonly index: number;
      readonly value: JsonValue;
    };

/** The change applied to the file's text, touching only the bytes it changes. */
export function applyToText(text: string, change: TasksChange, style: TextStyle): string {
  return change.op === "set"
    ? setJsonValue(text, change.path, change.value, style)
    : insertJsonArrayItem(text, change.path, change.index, change.value, style);
}

/** The change applied to the parsed value (in place): what the edited text must read back as. */
export function applyToValue(data: JsonObject, change: TasksChange): void {
  let node = data;
  for (const key of change.path.slice(0, -1)) {
    if (!isJsonObject(node[key])) node[key] = {}; // as the text edit creates missing objects
    node = node[key] as JsonObject;
  }
  const key = change.path[change.path.length - 1] as string;
  if (change.op === "set") node[key] = change.value;
  else (node[key] as JsonValue[]).splice(change.index, 0, change.value);
}

/** Every change applied, in order, to the text and (in place) to the parsed value; returns the new text. */
export function applyChanges(
  text: string,
  data: JsonObject,
  changes: readonly TasksChange[],
  style: TextStyle,
): string {
  let edited = text;
  for (const change of changes) {
    edited = applyToText(edited, change, style);
    applyToValue(data, change);
  }
  return edited;
}
