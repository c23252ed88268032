import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import { fsyncDirectory, writeFileAtomic } from "../../sinks/atomicWrite.js";
import { analysisCacheDir, datasetRoot } from "../dataset/index.js";
import { EVIDENCE_VERSION, type EvidenceHeader, HEADER_FILE } from "./evidenceLayout.js";
import { type FileIdentity, fileIdentity, sameIdentity } from "./FileIdentity.js";
import type { ScanOptions } from "./scanTake.js";
import { TakeEvidence } from "./TakeEvidence.js";
import { processAlive } from "../../sinks/processAlive.js";

/**
 * Where an episode's evidence lives and when it is current. A dataset's episode keeps it in its
 * session's `.rigwatch/analysis/episode_NNN/`, valid while the file is the one the pass read (same
 * size, mtime and inode) or one a verified rewrite of it left (carryOver); the pass writes a
 * temporary folder and renames it into place, so a killed pass leaves nothing that looks finished. A
 * file outside a dataset gets a temporary folder, removed when the evidence is closed. The cache is
 * never the only copy of anything: whatever is missing, stale or unreadable is read from the frames
 * again.
 */
export const EvidenceCache = {
  /** The current evidence, without reading any frame; undefined when the pass has to run. */
  current(h5Path: string): TakeEvidence | undefined {
    if (datasetRoot(h5Path) === undefined) return undefined;
    const evidence = TakeEvidence.open(h5Path, analysisCacheDir(h5Path));
    if (evidence && sameIdentity(evidence.header.source, fileIdentity(h5Path))) return evidence;
    evidence?.close();
    return undefined;
  },

  /** Whether the kept evidence stands for the file as it is now (reads only the header). */
  isCurrent(h5Path: string): boolean {
    if (datasetRoot(h5Path) === undefined) return false;
    try {
      const header = JSON.parse(
        readFileSync(join(analysisCacheDir(h5Path), HEADER_FILE), "utf8"),
      ) as EvidenceHeader;
      return header.version === EVIDENCE_VERSION && sameIdentity(header.source, fileIdentity(h5Path));
    } catch {
      return false;
    }
  },

  /**
   * The current evidence, or a fresh pass over the frames (kept for a dataset's episode). The pass
   * (and h5wasm with it) is imported only when there is one to make: a re-run from the evidence
   * loads no HDF5 reader.
   */
  async open(h5Path: string, options: ScanOptions = {}): Promise<TakeEvidence> {
    const cached = EvidenceCache.current(h5Path);
    if (cached) return cached;
    if (datasetRoot(h5Path) === undefined) return scanToTemp(h5Path, options);
    const target = analysisCacheDir(h5Path);
    const temp = `${join(dirname(target), `.${basename(target)}`)}.${process.pid}-${threadId}.tmp`;
    try {
      mkdirSync(dirname(target), { recursive: true });
      removeDeadTemps(target);
      rmSync(temp, { recursive: true, force: true });
      mkdirSync(temp);
    } catch (error) {
      // A session folder this user may not write (read-only, another owner): the evidence is made for
      // this run only, in a temporary folder, and nothing is created beside the recording.
      if (!isNotWritable(error)) throw error;
      return scanToTemp(h5Path, options);
    }
    try {
      await (await import("./scanTake.js")).scanTake(h5Path, temp, options);
      replaceDir(temp, target);
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      throw error;
    }
    const evidence = TakeEvidence.open(h5Path, target);
    if (!evidence) throw new Error(`${target}: the evidence just written does not read back`);
    return evidence;
  },

  /**
   * The episode file was rewritten with the same content, verified (compress's bit-exact copy): its
   * evidence, read from the file as it was (`before`), now stands for the file as it is. Returns
   * whether there was such evidence to carry over.
   */
  carryOver(h5Path: string, before: FileIdentity | undefined): boolean {
    const after = fileIdentity(h5Path);
    if (before === undefined || after === undefined || datasetRoot(h5Path) === undefined) return false;
    const file = join(analysisCacheDir(h5Path), HEADER_FILE);
    let header: EvidenceHeader;
    try {
      header = JSON.parse(readFileSync(file, "utf8")) as EvidenceHeader;
    } catch {
      return false;
    }
    if (!sameIdentity(header.source, before)) return false;
    writeFileAtomic(file, `${JSON.stringify({ ...header, source: after })}\n`);
    return true;
  },
};

/** A pass whose evidence lives in a temporary folder, removed when the evidence is closed. */
async function scanToTemp(h5Path: string, options: ScanOptions): Promise<TakeEvidence> {
  const dir = mkdtempSync(join(tmpdir(), "rigwatch-evidence-"));
  try {
    await (await import("./scanTake.js")).scanTake(h5Path, dir, options);
    return TakeEvidence.open(h5Path, dir, { removeOnClose: true }) as TakeEvidence;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function isNotWritable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" || code === "EROFS";
}

/** Moves `temp` to `target`, replacing an older folder there (moved aside first, then removed). */
function replaceDir(temp: string, target: string): void {
  const old = `${temp}.old`;
  try {
    renameSync(target, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  renameSync(temp, target);
  rmSync(old, { recursive: true, force: true });
  fsyncDirectory(dirname(target));
}

/** Temp folders of passes whose process is gone (killed mid-pass). */
function removeDeadTemps(target: string): void {
  const prefix = `.${basename(target)}.`;
  for (const name of readdirSync(dirname(target))) {
    const match = name.startsWith(prefix) ? /^(\d+)-\d+\.tmp(\.old)?$/.exec(name.slice(prefix.length)) : null;
    if (!match || processAlive(Number(match[1]))) continue;
    rmSync(join(dirname(target), name), { recursive: true, force: true });
  }
}
