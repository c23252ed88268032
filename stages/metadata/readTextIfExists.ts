import { readFileSync } from "node:fs";

/** A file's text; undefined when there is no such file (any other read error is thrown). */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
