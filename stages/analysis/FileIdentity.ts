import { statSync } from "node:fs";

/**
 * Which file an episode's evidence was read from: a file rewritten in place changes its size or
 * mtime, a replaced one (compress's atomic rename) its inode too.
 */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** The file's identity now, or undefined when it is gone. */
export function fileIdentity(path: string): FileIdentity | undefined {
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return (
    a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino
  );
}
