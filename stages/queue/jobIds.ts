import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import type { JobConfig } from "./stageJob.js";

/**
 * A run is its sessions (absolute, sorted), each with its takes, and its config: two `process
 * --queue` of the same sessions with the same config are the same run, and its jobs get the same ids,
 * so BullMQ adds them once (the second enqueue finds every id taken). The takes are part of it: a
 * session enqueued again with a take more (the daemon's session closed again) is a new run, not
 * one already queued that would leave the new take out.
 */
export function runId(
  sessions: readonly { readonly session: string; readonly paths: readonly string[] }[],
  config: JobConfig,
): string {
  const key = JSON.stringify({
    sessions: sessions
      .map((s) => ({ session: resolve(s.session), paths: s.paths.map((p) => resolve(p)).sort() }))
      .sort((a, b) => (a.session < b.session ? -1 : a.session > b.session ? 1 : 0)),
    config,
  });
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/** A job's id in a run: readable parts, and a hash of the session path (BullMQ ids must not hold ':'). */
export function jobId(run: string, session: string, ...parts: string[]): string {
  const where = createHash("sha256").update(resolve(session)).digest("hex").slice(0, 8);
  return [run, `${basename(session)}@${where}`, ...parts].join(".");
}

export const reportsJobId = (run: string): string => `${run}.reports`;
