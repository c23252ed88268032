import { applyEdits, type Node, parseTree } from "jsonc-parser";
import type { JsonValue } from "./Json.js";
import { renderInline, renderJson } from "./renderJson.js";
import type { TextStyle } from "./textStyle.js";

/*
 * Edits of a JSON text that touch only the bytes they change. jsonc-parser gives the offsets of every
 * node; the inserted text copies its neighbours' layout (the separator between siblings, their
 * indentation, the file's line ending). jsonc-parser's own `modify` with formatting options re-formats
 * every line an edit touches, which would also unfold a person's one-line arrays beside the edit.
 */

/** Sets the value at `path`, creating missing objects on the way. The text must be valid JSON. */
export function setJsonValue(
  text: string,
  path: readonly string[],
  value: JsonValue,
  style: TextStyle,
): string {
  let node = rootOf(text);
  let depth = 0;
  for (; depth < path.length; depth++) {
    const child = memberValue(node, path[depth] as string);
    if (child === undefined) break;
    node = child;
  }
  if (depth === path.length)
    return splice(text, node.offset, node.length, renderNear(text, node.offset, value, style));
  if (node.type !== "object")
    throw new TypeError(`${path.slice(0, depth).join(".") || "root"} is not an object`);
  let nested = value;
  for (let i = path.length - 1; i > depth; i--) nested = { [path[i] as string]: nested };
  return insertItem(
    text,
    node,
    (base) => `${JSON.stringify(path[depth])}:${style.minified ? "" : " "}${base(nested)}`,
    style,
  );
}

/** Inserts `value` into the array at `path` before position `index` (its length: at the end). */
export function insertJsonArrayItem(
  text: string,
  path: readonly string[],
  index: number,
  value: JsonValue,
  style: TextStyle,
): string {
  let node: Node | undefined = rootOf(text);
  for (const key of path) node = node && memberValue(node, key);
  if (node?.type !== "array") throw new TypeError(`${path.join(".")} is not an array`);
  const items = node.children ?? [];
  if (index < items.length) {
    const before = items[index] as Node;
    const separator = siblingSeparator(text, items, style);
    return splice(text, before.offset, 0, renderNear(text, before.offset, value, style) + separator);
  }
  return insertItem(text, node, (base) => base(value), style);
}

/**
 * Appends an item (a member "key": value, or an array element) to an object or array node. After the
 * last sibling with the siblings' separator; into an empty container on a line of its own, one level
 * deeper than the line holding its bracket (inline for files written on one line).
 */
function insertItem(
  text: string,
  container: Node,
  item: (render: (value: JsonValue) => string) => string,
  style: TextStyle,
): string {
  const items = container.children ?? [];
  const last = items[items.length - 1];
  if (last !== undefined) {
    const end = last.offset + last.length;
    const separator = siblingSeparator(text, items, style);
    return splice(text, end, 0, separator + item((v) => renderNear(text, last.offset, v, style)));
  }
  const open = container.offset + 1;
  const close = container.offset + container.length - 1;
  if (style.indent === undefined || isOneLine(text, container.offset))
    return splice(
      text,
      open,
      close - open,
      item((v) => renderInline(v, style)),
    );
  const base = lineIndent(text, container.offset);
  const inner = base + style.indent;
  const body = item((v) => renderJson(v, style, inner));
  return splice(text, open, close - open, `${style.eol}${inner}${body}${style.eol}${base}`);
}

/**
 * What separates siblings here: the text between the last two (a person's "," or ",\n    " kept
 * exactly), else a line break with the sibling's indentation, else ", " on one line.
 */
function siblingSeparator(text: string, items: readonly Node[], style: TextStyle): string {
  const last = items[items.length - 1] as Node;
  const previous = items[items.length - 2];
  if (previous !== undefined) return text.slice(previous.offset + previous.length, last.offset);
  if (startsLine(text, last.offset)) return `,${style.eol}${lineIndent(text, last.offset)}`;
  return style.minified ? "," : ", ";
}

/** A value rendered for a place beside the node at `offset`: its line's indentation, or inline. */
function renderNear(text: string, offset: number, value: JsonValue, style: TextStyle): string {
  return startsLine(text, offset)
    ? renderJson(value, style, lineIndent(text, offset))
    : renderOnLineOf(text, offset, value, style);
}

/** A value after a key on a line that is not its own: multi-line JSON continues that line's indentation. */
function renderOnLineOf(text: string, offset: number, value: JsonValue, style: TextStyle): string {
  return isOneLine(text, offset)
    ? renderInline(value, style)
    : renderJson(value, style, lineIndent(text, offset));
}

/** True when the node at `offset` follows an opening bracket on its line (strings aside): `{"a": [1, 2]}`. */
function isOneLine(text: string, offset: number): boolean {
  const head = text.slice(lineStartOf(text, offset), offset);
  return /[[{]/.test(head.replace(/"(?:[^"\\]|\\.)*"/g, ""));
}

function rootOf(text: string): Node {
  const root = parseTree(text);
  if (root === undefined) throw new TypeError("not JSON");
  return root;
}

/** The value of member `key` of an object node: the last one, as JSON.parse keeps the last duplicate. */
function memberValue(node: Node, key: string): Node | undefined {
  if (node.type !== "object") return undefined;
  let found: Node | undefined;
  for (const member of node.children ?? [])
    if (member.children?.[0]?.value === key) found = member.children[1];
  return found;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Leading whitespace of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? "";
}

/** Only whitespace between the line's start and `offset`. */
function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartOf(text, offset), offset));
}

function splice(text: string, offset: number, length: number, content: string): string {
  return applyEdits(text, [{ offset, length, content }]);
}
