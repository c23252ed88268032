import { statSync } from "node:fs";
import type { File as H5File } from "h5wasm/node";
import { type H5, loadH5 } from "../../hw/h5/runtime.js";
import { CompressError, type CompressErrorCode, type CompressStep } from "./CompressError.js";
import { type DatasetPlan, planDataset, UnsupportedDatasetError } from "./datasetPlan.js";
import { fsyncPath } from "./durable.js";
import { type EpisodeTree, readTree, UnsupportedObjectError } from "./episodeTree.js";
import { SourceReadError } from "./fromSource.js";
import { describeH5Failure } from "./h5Failure.js";
import { isGzipped } from "./isGzipped.js";
import type { CompressProgress } from "./progress.js";
import { type CompressAttempt, discardTemp, newAttempt, removeDeadTemps, tempPathFor } from "./tempFile.js";
import { placeVerifiedCopy } from "./placeVerifiedCopy.js";
import { UnsupportedAttributeError } from "./attributes.js";
import { CopyFailure, writeCopy } from "./writeCopy.js";
import { verifyCopy } from "./verifyCopy.js";
import { isDamagedChunk, wasmAbort } from "./damagedChunk.js";
import { discardVerifierH5 } from "./verifierH5.js";
import { quarantine } from "../integrity/quarantine.js";

/**
 * Deflate level of the output. Measured on a 30 s full-resolution take against h5repack SHUF+GZIP=4
 * (53.0 MB): levels 1–3 give 86.5/83.7/79.8 MB (zlib's fast strategy), 4 gives 53.2 MB (1.003×),
 * 5 51.4 MB, 6 43.3 MB at more time. 4 is the fastest level within the 1.05× size target.
 */
export const DEFAULT_GZIP_LEVEL = 4;

export interface CompressOptions {
  /** Deflate level 1–9 (default DEFAULT_GZIP_LEVEL). */
  readonly level?: number;
  /** Recompress a file that is already deflated (default: skip it). */
  readonly force?: boolean;
  /** Whose temporary file it writes (default: a new attempt of this process). */
  readonly attempt?: CompressAttempt;
  /**
   * Leave the verified copy in its temporary file (status "verified", `tempPath`) instead of renaming
   * it over the original: the caller renames it (placeVerifiedCopy) once it has checked that it still
   * owns the take, or removes it (the queue: a worker paused past its job's lock).
   */
  readonly keepCopy?: boolean;
  /** Called after each step (not across worker threads: functions do not cross them). */
  readonly onProgress?: (event: CompressProgress) => void;
}

export interface CompressResult {
  readonly path: string;
  /** verified: the copy is whole and checked, in `tempPath`, not renamed yet (keepCopy). */
  readonly status: "compressed" | "skipped" | "verified";
  /** The verified copy, with keepCopy. */
  readonly tempPath?: string;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly seconds: number;
  /** A temporary file left by a killed run (of this machine) was removed first. */
  readonly removedLeftover: boolean;
}

/**
 * Recompresses one episode file to deflate (GZIP), which every HDF5 reader decodes without plugins.
 * The copy goes to a temporary file in the same folder, is closed, fsynced, reopened and verified
 * bit-exact against a second, independent decode of the source, then renamed over the original and
 * the folder fsynced. The original is only ever opened read-only, so a kill at any moment leaves it
 * intact (or already replaced by the verified copy); any failure removes the temporary file and
 * throws a CompressError. A damaged chunk (its filter refuses it, or it decodes differently twice)
 * is never recompressed: the file is renamed `*.h5.corrupt`, its bytes untouched (`corrupt_chunk`).
 */
export async function compressEpisode(path: string, options: CompressOptions = {}): Promise<CompressResult> {
  const started = performance.now();
  const level = options.level ?? DEFAULT_GZIP_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 9)
    throw new RangeError(`gzip level ${level} is not 1–9`);
  const onProgress = options.onProgress ?? (() => {});
  const h5 = await loadH5();
  const tempPath = tempPathFor(path, options.attempt ?? newAttempt());
  // A killed run's copy; a live attempt's (another thread, process or machine) is never touched.
  const removedLeftover = removeDeadTemps(path).length > 0;

  let bytesBefore: number;
  let src: H5File;
  try {
    bytesBefore = statSync(path).size;
    src = new h5.File(path, "r");
  } catch (error) {
    throw new CompressError("open_failed", path, "open", undefined, describeH5Failure(error).detail, {
      cause: error,
    });
  }
  const result = (status: CompressResult["status"]): CompressResult => ({
    path,
    status,
    bytesBefore,
    bytesAfter: statSync(status === "verified" ? tempPath : path).size,
    ...(status === "verified" ? { tempPath } : {}),
    seconds: (performance.now() - started) / 1000,
    removedLeftover,
  });
  try {
    try {
      const tree = inspect(path, src);
      if (!options.force && isGzipped(tree)) return result("skipped");
      const plans = plan(path, tree);
      await replaceWithCopy(h5, path, src, tree, plans, tempPath, level, onProgress, !options.keepCopy);
      return result(options.keepCopy ? "verified" : "compressed");
    } finally {
      try {
        src.close();
      } catch {
        // Opened read-only: nothing to flush. After a wasm abort every call throws; keep the first error.
      }
    }
  } catch (error) {
    if (error instanceof CompressError && error.code === "corrupt_chunk") throw quarantined(error);
    throw error;
  }
}

/** Renames a file with a damaged chunk out of every later stage (never deleted, bytes untouched). */
function quarantined(error: CompressError): CompressError {
  const { code, file, step, dataset, detail } = error;
  try {
    const quarantinedAs = quarantine(file);
    return new CompressError(code, file, step, dataset, detail, { cause: error.cause, quarantinedAs });
  } catch (renameError) {
    const why = renameError instanceof Error ? renameError.message : String(renameError);
    return new CompressError(code, file, step, dataset, `${detail}; not renamed: ${why}`, {
      cause: error.cause,
    });
  }
}

function inspect(path: string, src: H5File): EpisodeTree {
  try {
    return readTree(src);
  } catch (error) {
    if (error instanceof UnsupportedObjectError)
      throw new CompressError("unsupported", path, "inspect", error.path, error.message);
    throw new CompressError("read_failed", path, "inspect", undefined, describeH5Failure(error).detail, {
      cause: error,
    });
  }
}

function plan(path: string, tree: EpisodeTree): DatasetPlan[] {
  return tree.datasets.map((entry) => {
    try {
      return planDataset(entry);
    } catch (error) {
      if (!(error instanceof UnsupportedDatasetError)) throw error;
      throw new CompressError("unsupported", path, "inspect", entry.path, error.message);
    }
  });
}

async function replaceWithCopy(
  h5: H5,
  path: string,
  src: H5File,
  tree: EpisodeTree,
  plans: readonly DatasetPlan[],
  tempPath: string,
  level: number,
  onProgress: (event: CompressProgress) => void,
  rename: boolean,
): Promise<void> {
  let step: CompressStep = "copy";
  let dataset: string | undefined;
  try {
    try {
      await writeCopy(h5, src, tree, plans, tempPath, level, onProgress);
    } catch (error) {
      if (!(error instanceof CopyFailure)) throw error;
      dataset = error.dataset;
      if (error.closing) step = "close";
      throw error.cause;
    }
    step = "fsync";
    fsyncPath(tempPath);
    onProgress({ step: "written" });
    step = "verify";
    const mismatch = await verifyCopy(h5, src, tree, plans, tempPath, level, onProgress);
    if (mismatch !== undefined) {
      const code = mismatch.kind === "corrupt" ? "corrupt_chunk" : "verify_failed";
      throw new CompressError(code, path, "verify", mismatch.dataset, mismatch.detail);
    }
    if (!rename) return;
    step = "rename";
    onProgress({ step: "replacing" });
    placeVerifiedCopy(tempPath, path);
  } catch (error) {
    discardTemp(tempPath);
    throw asCompressError(error, path, step, dataset);
  }
}

function asCompressError(
  error: unknown,
  path: string,
  step: CompressStep,
  dataset: string | undefined,
): CompressError {
  if (error instanceof CompressError) return error;
  if (error instanceof SourceReadError) {
    const damaged = isDamagedChunk(error.cause);
    if (damaged && step === "verify") discardVerifierH5(); // it may have aborted on the chunk
    const detail =
      wasmAbort(error.cause) === undefined
        ? describeH5Failure(error.cause).detail
        : "its filter aborted on it";
    return new CompressError(
      damaged ? "corrupt_chunk" : "read_failed",
      path,
      step,
      error.dataset,
      damaged ? `${error.where}: ${detail}` : detail,
      { cause: error.cause },
    );
  }
  if (error instanceof UnsupportedAttributeError || error instanceof UnsupportedDatasetError) {
    return new CompressError("unsupported", path, step, dataset, error.message);
  }
  const failure = describeH5Failure(error);
  const code: CompressErrorCode = failure.diskFull
    ? "disk_full"
    : step === "verify"
      ? "verify_failed"
      : step === "fsync" || step === "rename"
        ? "replace_failed"
        : "write_failed";
  return new CompressError(code, path, step, dataset, failure.detail, { cause: error });
}
