import { readFileSync } from "node:fs";
import type { z } from "zod";
import { ConfigError } from "./errors.js";
import { type Config, configSchema } from "./schema.js";

/** Where config comes from, lowest precedence first: defaults ← file ← environment ← flags. */
export interface ConfigSources {
  /** Path of a JSON config file (flag `--config` or env `RIGWATCH_CONFIG`). */
  readonly file?: string;
  /** Usually `process.env`: `RIGWATCH__DETECT__TELEPORT__VELOCITYMPS=4` sets detect.teleport.velocityMps. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `key=value` pairs from repeated `--set` flags: `detect.teleport.velocityMps=4`. */
  readonly sets?: readonly string[];
}

type Tree = { [key: string]: unknown };
const ENV_PREFIX = "RIGWATCH__";

export const defaultConfig = (): Config => configSchema.parse({});

export function loadConfig(sources: ConfigSources = {}): Config {
  const merged: Tree = {};
  const origin = new Map<string, string>();
  const file = sources.file ?? sources.env?.RIGWATCH_CONFIG;
  if (file) mergeTree(merged, readConfigFile(file), `file ${file}`, origin, "");
  for (const [name, raw] of Object.entries(sources.env ?? {})) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = resolveKeyPath(name.slice(ENV_PREFIX.length).split("__"), `env ${name}`);
    setPath(merged, path, coerce(raw, path, `env ${name}`), `env ${name}`, origin);
  }
  for (const assignment of sources.sets ?? []) {
    const eq = assignment.indexOf("=");
    if (eq < 1) throw new ConfigError(assignment, "flag --set", "expected key=value");
    const source = `flag --set ${assignment}`;
    const path = resolveKeyPath(assignment.slice(0, eq).split("."), source);
    setPath(merged, path, coerce(assignment.slice(eq + 1), path, source), source, origin);
  }
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const key = issue.path.join(".") + (issue.code === "unrecognized_keys" ? `.${issue.keys.join(",")}` : "");
  const source = origin.get(issue.path.join(".")) ?? origin.get(key) ?? "config";
  throw new ConfigError(key, source, issue.message);
}

function readConfigFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError("(file)", `file ${file}`, `cannot read: ${(error as Error).message}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    return value as Tree;
  } catch (error) {
    throw new ConfigError("(file)", `file ${file}`, `expected a JSON object: ${(error as Error).message}`);
  }
}

/** Matches env/flag key segments to schema keys case-insensitively, so env names can be upper case. */
function resolveKeyPath(segments: readonly string[], source: string): string[] {
  const path: string[] = [];
  let node: Tree = defaultConfig() as unknown as Tree;
  for (const segment of segments) {
    const key = Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase());
    if (key === undefined) {
      throw new ConfigError(
        [...path, segment].join("."),
        source,
        `unknown key; known: ${Object.keys(node).join(", ")}`,
      );
    }
    path.push(key);
    node = node[key] as Tree;
  }
  if (typeof node === "object" && !Array.isArray(node))
    throw new ConfigError(path.join("."), source, "expected a leaf key, got a section");
  return path;
}

/** Env and flag values arrive as strings; the default's type says what they should be. */
function coerce(raw: string, path: readonly string[], source: string): unknown {
  let node: unknown = defaultConfig();
  for (const key of path) node = (node as Tree)[key];
  if (typeof node === "number") {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value)) {
      throw new ConfigError(path.join("."), source, `expected a number, got "${raw}"`);
    }
    return value;
  }
  if (Array.isArray(node))
    return raw
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  if (typeof node === "boolean") {
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    throw new ConfigError(path.join("."), source, `expected true or false, got "${raw}"`);
  }
  return raw;
}

function setPath(
  tree: Tree,
  path: readonly string[],
  value: unknown,
  source: string,
  origin: Map<string, string>,
) {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1] as string] = value;
  origin.set(path.join("."), source);
}

function mergeTree(into: Tree, from: Tree, source: string, origin: Map<string, string>, prefix: string) {
  for (const [key, value] of Object.entries(from)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      if (typeof into[key] !== "object" || into[key] === null) into[key] = {};
      mergeTree(into[key] as Tree, value as Tree, source, origin, path);
    } else {
      into[key] = value;
    }
    origin.set(path, source);
  }
}
