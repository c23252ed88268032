import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { sessionPreviewsDir } from "../../dataset/index.js";
import type { DatasetContents } from "../DatasetContents.js";
import { type PreflightItem, preflightItem } from "../PreflightReport.js";

const GIF_SIGNATURE = "GIF89a";

/** `figures/episode_previews/<task>/<date>/episode_NNN.gif` (spec §1, §6). */
export function previewPath(root: string, task: string, date: string, stem: string): string {
  return join(sessionPreviewsDir(root, task, date), `${stem}.gif`);
}

/** Spec §8: every episode has a preview GIF. Only the file's signature is read. */
export function checkPreviewsPresent(dataset: DatasetContents): PreflightItem {
  const problems = new Map<string, string>();
  for (const episode of dataset.episodes) {
    const gif = previewPath(dataset.root, episode.task, episode.date, episode.stem);
    const head = readHead(gif, GIF_SIGNATURE.length);
    if (head === undefined) problems.set(dataset.rel(gif), "missing");
    else if (head.toString("latin1") !== GIF_SIGNATURE)
      problems.set(dataset.rel(gif), "not a GIF (no GIF89a signature)");
  }
  return preflightItem(
    "previews_present",
    "every recording has a preview GIF (figures/episode_previews/<task>/<date>/episode_NNN.gif)",
    problems,
    "run `rigwatch previews <date-dir>` for those sessions",
  );
}

function readHead(path: string, bytes: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(bytes);
    return head.subarray(0, readSync(fd, head, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
