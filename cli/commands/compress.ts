import { parseArgs } from "node:util";
import { z } from "zod";
import { TaskError, WorkerCrashedError, WorkerPool } from "../../stages/pool/index.js";
import { scanEpisodes } from "../../stages/dataset/index.js";
import { beingWritten } from "../../stages/integrity/writeLock.js";
import { reportSkipped } from "../reportSkipped.js";
import { NO_PROGRESS, type Progress } from "../ProgressBar.js";
import { UsageError } from "../UsageError.js";

/** The task each worker runs; resolved next to this file so it works from dist/ and from sources. */
const COMPRESS_MODULE = new URL("../../stages/compress/compressEpisode.js", import.meta.url).href;

function integerFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be an integer ${min}–${max}, got ${value}`);
  return n;
}

/** compressEpisode's result as it comes back from its worker thread. */
const compressReply = z.object({
  path: z.string(),
  status: z.enum(["compressed", "skipped"]),
  bytesBefore: z.number(),
  bytesAfter: z.number(),
  seconds: z.number(),
  removedLeftover: z.boolean(),
});
type CompressResult = z.infer<typeof compressReply>;

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function resultLine(result: CompressResult, json: boolean): string {
  if (json) return JSON.stringify({ type: "compress", ...result });
  const { path, status, bytesBefore, bytesAfter, seconds } = result;
  if (status === "skipped") return `skipped     ${path} (already GZIP)`;
  const ratio = ((100 * bytesAfter) / bytesBefore).toFixed(0);
  return `compressed  ${path}  ${megabytes(bytesBefore)} → ${megabytes(bytesAfter)} (${ratio} %) in ${seconds.toFixed(1)} s`;
}

/**
 * A file that could not be compressed, or undefined when the error is a bug to let through. A damaged
 * file (`corrupt_chunk`: never recompressed, renamed aside) says `corrupt`, like `rigwatch check`.
 */
function failureLine(path: string, error: unknown, json: boolean): string | undefined {
  const typed = error instanceof TaskError && error.name === "CompressError";
  if (!typed && !(error instanceof WorkerCrashedError)) return undefined;
  const status = typed && error.fields.code === "corrupt_chunk" ? "corrupt" : "failed";
  if (!json) return `${status.padEnd(11)} ${error.message}`;
  const fields = typed ? error.fields : { code: "worker_crashed" };
  return JSON.stringify({ type: "compress", path, status, ...fields, error: error.message });
}

/**
 * `rigwatch compress`: recompresses episode files to GZIP, `--jobs` files at a time on worker threads
 * (each with its own h5wasm). Prints one line per file; exits 1 when any file failed.
 */
export async function compress(argv: readonly string[], progress: Progress = NO_PROGRESS): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      jobs: { type: "string" },
      level: { type: "string" },
      force: { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  if (positionals.length === 0) throw new UsageError("compress needs at least one file or folder");
  const jobs = integerFlag(values.jobs, "--jobs", 1, 64) ?? 1;
  const level = integerFlag(values.level, "--level", 1, 9);
  const json = values.json ?? false;
  const scan = scanEpisodes(positionals);
  let failures = reportSkipped(scan.skipped, json);
  // A file another process still writes is never replaced.
  const paths = scan.episodes.filter((path) => {
    const busy = beingWritten(path);
    if (!busy) return true;
    failures++;
    console.log(
      json
        ? JSON.stringify({ type: "compress", path, status: "failed", code: busy.code, error: busy.message })
        : `failed      ${busy.message}`,
    );
    return false;
  });
  if (paths.length === 0) return failures > 0 ? 1 : 0;
  const pool = new WorkerPool({ size: Math.min(jobs, paths.length) });
  let done = 0;
  try {
    await Promise.all(
      paths.map(async (path) => {
        try {
          const result = await pool.run({
            module: COMPRESS_MODULE,
            fn: "compressEpisode",
            args: [path, { level, force: values.force ?? false }],
            reply: (value) => compressReply.parse(value),
          });
          console.log(resultLine(result, json));
          progress.update(++done, paths.length, "files");
        } catch (error) {
          const line = failureLine(path, error, json);
          if (line === undefined) throw error;
          failures++;
          console.log(line);
          progress.update(++done, paths.length, "files");
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return failures > 0 ? 1 : 0;
}
