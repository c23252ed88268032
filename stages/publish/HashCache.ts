import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { userCacheDir } from "../../config/userCacheDir.js";
import { writeFileAtomic } from "../../sinks/atomicWrite.js";
import { hashFile, type OidKind } from "./hashFile.js";
import type { LocalFile } from "./listDatasetFiles.js";

/** What a file looked like when it was hashed; any difference means hash it again. */
interface Stamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

interface Entry extends Stamp {
  readonly oids: Partial<Record<OidKind, string>>;
}

function stampOf(absPath: string): Stamp {
  const { size, mtimeMs, ctimeMs, ino } = statSync(absPath);
  return { size, mtimeMs, ctimeMs, ino };
}

const sameStamp = (a: Stamp, b: Stamp) =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/**
 * The hub oids of a dataset's files, remembered between publishes so a re-run does not read every
 * GB episode again. An oid is reused only while the file's size, mtime, ctime and inode are what they
 * were when it was hashed (a write, a touch, a copy over it or a chmod changes one of them). It lives
 * in the user's cache, one file per dataset root, never in the dataset itself; a missing or damaged
 * cache only means hashing everything again.
 */
export class HashCache {
  private readonly entries: Map<string, Entry>;
  private changed = false;

  private constructor(
    private readonly root: string,
    /** Where the cache is kept. */
    readonly path: string,
    entries: Map<string, Entry>,
  ) {
    this.entries = entries;
  }

  /** The cache of the dataset at `root` (absolute), empty when there is none yet or it is unreadable. */
  static forDataset(root: string, cacheDir = userCacheDir()): HashCache {
    const name = createHash("sha256").update(root).digest("hex").slice(0, 32);
    const path = join(cacheDir, "publish", `${name}.json`);
    let entries = new Map<string, Entry>();
    try {
      const saved = JSON.parse(readFileSync(path, "utf8")) as {
        root?: unknown;
        files?: Record<string, Entry>;
      };
      if (saved.root === root && saved.files !== undefined) entries = new Map(Object.entries(saved.files));
    } catch {
      // None yet, or damaged: start empty.
    }
    return new HashCache(root, path, entries);
  }

  /** The file's oid of `kind`: remembered when its stamp is unchanged, else hashed (and remembered). */
  async oid(file: LocalFile, kind: OidKind): Promise<string> {
    const before = stampOf(file.absPath);
    const entry = this.entries.get(file.path);
    const known = entry !== undefined && sameStamp(entry, before) ? entry.oids[kind] : undefined;
    if (known !== undefined) return known;
    const oid = await hashFile(file.absPath, file.size, kind);
    // Remembered only if nothing touched the file while it was read.
    if (sameStamp(stampOf(file.absPath), before)) {
      const oids = entry !== undefined && sameStamp(entry, before) ? entry.oids : {};
      this.entries.set(file.path, { ...before, oids: { ...oids, [kind]: oid } });
      this.changed = true;
    }
    return oid;
  }

  /**
   * Writes the cache if anything changed, keeping only the files still in the dataset (`paths`). A
   * cache that cannot be written is only a lost speed-up.
   */
  save(paths: ReadonlySet<string>): void {
    for (const path of this.entries.keys())
      if (!paths.has(path)) {
        this.entries.delete(path);
        this.changed = true;
      }
    if (!this.changed) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileAtomic(
        this.path,
        JSON.stringify({ root: this.root, files: Object.fromEntries(this.entries) }),
      );
      this.changed = false;
    } catch {
      // Read-only or full cache folder: the next publish hashes again.
    }
  }
}
