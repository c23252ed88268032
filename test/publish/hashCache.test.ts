import { createHash } from "node:crypto";
import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashCache } from "../../stages/publish/HashCache.js";
import type { LocalFile } from "../../stages/publish/listDatasetFiles.js";
import { tempDir } from "../helpers/paths.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const gitSha1 = (bytes: Buffer) =>
  createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

describe("publish's hash cache", () => {
  let dataset: ReturnType<typeof tempDir>;
  let cache: ReturnType<typeof tempDir>;
  let file: LocalFile;
  const content = Buffer.from("episode bytes, version 1\n");
  beforeEach(() => {
    dataset = tempDir("rigwatch-hash-dataset-");
    cache = tempDir("rigwatch-hash-cache-");
    const absPath = join(dataset.path, "episode_000.h5");
    writeFileSync(absPath, content);
    file = { path: "data/t/d/episode_000.h5", absPath, size: content.length };
  });
  afterEach(() => {
    dataset.cleanup();
    cache.cleanup();
  });
  const load = (root = dataset.path) => HashCache.forDataset(root, cache.path);
  const cacheFile = () => load().path;
  /** Puts `oid` in the saved cache for the file, keeping its stamp: only a cache read can return it. */
  const plant = (kind: "sha256" | "git-sha1", oid: string) => {
    const saved = JSON.parse(readFileSync(cacheFile(), "utf8"));
    saved.files[file.path].oids[kind] = oid;
    writeFileSync(cacheFile(), JSON.stringify(saved));
  };

  it("hashes a file the first time, both oid kinds, and saves them", async () => {
    const hashes = load();
    expect(await hashes.oid(file, "sha256")).toBe(sha256(content));
    expect(await hashes.oid(file, "git-sha1")).toBe(gitSha1(content));
    hashes.save(new Set([file.path]));
    expect(dirname(hashes.path)).toBe(join(cache.path, "publish"));
    const saved = JSON.parse(readFileSync(cacheFile(), "utf8"));
    const { size, mtimeMs, ctimeMs, ino } = statSync(file.absPath);
    expect(saved).toEqual({
      root: dataset.path,
      files: {
        [file.path]: {
          size,
          mtimeMs,
          ctimeMs,
          ino,
          oids: { sha256: sha256(content), "git-sha1": gitSha1(content) },
        },
      },
    });
  });

  it("answers from the cache while the file's stamp is unchanged (a planted oid comes back)", async () => {
    const first = load();
    await first.oid(file, "sha256");
    first.save(new Set([file.path]));
    plant("sha256", "f".repeat(64));
    expect(await load().oid(file, "sha256")).toBe("f".repeat(64));
  });

  it("hashes again after a same-size rewrite, even with the old mtime put back", async () => {
    const first = load();
    await first.oid(file, "sha256");
    first.save(new Set([file.path]));
    plant("sha256", "f".repeat(64));
    const { atime, mtime } = statSync(file.absPath);
    const rewritten = Buffer.from("episode bytes, version 2\n");
    writeFileSync(file.absPath, rewritten);
    utimesSync(file.absPath, atime, mtime); // ctime still moves: the cache is not fooled
    expect(await load().oid(file, "sha256")).toBe(sha256(rewritten));
  });

  it("is per dataset root, forgets files gone from the dataset, and survives a damaged file", async () => {
    const first = load();
    await first.oid(file, "sha256");
    first.save(new Set([file.path]));
    plant("sha256", "f".repeat(64));
    // Another root never sees this root's entries.
    expect(await HashCache.forDataset(join(dataset.path, "other"), cache.path).oid(file, "sha256")).toBe(
      sha256(content),
    );
    // Saved without the file: its entry is dropped.
    load().save(new Set());
    expect(JSON.parse(readFileSync(cacheFile(), "utf8")).files).toEqual({});
    // Damaged: treated as empty.
    writeFileSync(cacheFile(), "{not json");
    expect(await load().oid(file, "sha256")).toBe(sha256(content));
  });
});
