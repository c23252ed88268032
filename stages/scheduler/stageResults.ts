import { z } from "zod";

const side = z.enum(["left", "right"]);

/**
 * What each stage's worker task returns, by stage name: the schemas check a reply that crossed the
 * thread (and a record read back from stages.json), the types are what the scheduler works with.
 */
export const STAGE_RESULTS = {
  check: z.discriminatedUnion("status", [
    z.object({ status: z.literal("ok"), frames: z.number() }),
    z.object({
      status: z.enum(["corrupt", "unreadable", "busy"]),
      code: z.string(),
      error: z.string(),
      /** Where the corrupt file went; absent when it was not renamed (then `notRenamed` says why). */
      quarantinedAs: z.string().optional(),
      notRenamed: z.string().optional(),
    }),
  ]),
  analyse: z.discriminatedUnion("status", [
    z.object({
      status: z.literal("ok"),
      frames: z.number(),
      /** The evidence was already current: no frame was read. */
      reused: z.boolean(),
      seconds: z.number(),
    }),
    /** A chunk the pass could not decode: the take renamed aside, as check's corrupt files are. */
    z.object({
      status: z.literal("corrupt"),
      code: z.string(),
      error: z.string(),
      quarantinedAs: z.string().optional(),
      notRenamed: z.string().optional(),
    }),
  ]),
  compress: z.discriminatedUnion("status", [
    z.object({
      status: z.enum(["compressed", "skipped"]),
      bytesBefore: z.number(),
      bytesAfter: z.number(),
      seconds: z.number(),
      /** The take's evidence, read from the original, now stands for the verified copy. */
      evidenceCarried: z.boolean(),
    }),
    /**
     * The queue's compress: the copy is whole and verified in `tempPath`, not yet renamed; the job
     * renames it once it has checked it still owns the take (compressAttempt), with `before` (the
     * original's identity) to carry the evidence over.
     */
    z.object({
      status: z.literal("verified"),
      tempPath: z.string(),
      bytesBefore: z.number(),
      bytesAfter: z.number(),
      seconds: z.number(),
      before: z.object({ size: z.number(), mtimeMs: z.number(), ino: z.number() }).nullable(),
    }),
    /** A damaged chunk: never recompressed, the file renamed aside (as check's corrupt files are). */
    z.object({
      status: z.literal("corrupt"),
      code: z.string(),
      error: z.string(),
      quarantinedAs: z.string().optional(),
    }),
  ]),
  settle: z.object({
    /** The active sensors each take's own analysis finds, by episode name. */
    detected: z.record(z.string(), z.array(side)),
  }),
  index: z.object({
    ptPath: z.string(),
    sidecarPath: z.string(),
    ptBytes: z.number(),
    /** The session's active sensors it was made with (null: each take's detected set). */
    activeSensors: z.array(side).nullable(),
  }),
  detect: z.object({
    out: z.string(),
    /** Episodes in the dataset's reports (every session's). */
    episodes: z.number(),
    unreadable: z.array(z.string()),
    /** This session's takes whose content detect found damaged (a chunk that does not decode), by name. */
    damaged: z.array(z.object({ name: z.string(), error: z.string() })),
    /** The active sensors each of this session's takes was analysed with, by episode name. */
    activeSensors: z.record(z.string(), z.array(side)),
  }),
  previews: z.object({
    gifPath: z.string(),
    bytes: z.number(),
    clips: z.array(z.object({ id: z.string(), path: z.string() })),
  }),
} as const;

export type StageName = keyof typeof STAGE_RESULTS;
export type StageResults = { readonly [S in StageName]: z.infer<(typeof STAGE_RESULTS)[S]> };
export type CheckOutcome = StageResults["check"];
export type DetectStageResult = StageResults["detect"];

/** A stage's result as stages.json kept it, when it still reads as one (else undefined: run again). */
export function storedResult<S extends StageName>(stage: S, value: unknown): StageResults[S] | undefined {
  const parsed = STAGE_RESULTS[stage].safeParse(value);
  return parsed.success ? (parsed.data as StageResults[S]) : undefined;
}
