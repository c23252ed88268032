import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** How the hub names a file's content in its tree listing. */
export type OidKind =
  /** A regular (git) file: the git blob sha1, sha1("blob <size>\0" + bytes). */
  | "git-sha1"
  /** An LFS (or Xet-backed) file: the sha256 of the bytes, the tree entry's `lfs.oid`. */
  | "sha256";

/** Chunk size of the streaming read: a few reads per MB, and memory stays flat for a GB file. */
const CHUNK = 1 << 20;

/**
 * The hub oid of a file's content, read as a stream (episodes are GBs; memory stays at one chunk).
 * `size` is the size the git header states: the caller's stat, so a file growing under us hashes to
 * something no remote entry matches and is uploaded again rather than skipped.
 */
export async function hashFile(path: string, size: number, kind: OidKind): Promise<string> {
  const hash = createHash(kind === "git-sha1" ? "sha1" : "sha256");
  if (kind === "git-sha1") hash.update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
