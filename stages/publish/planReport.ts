import type { PublishPlan } from "./planPublish.js";
import type { ExclusionReason } from "./publishedLayout.js";
import type { UploadResult } from "./uploadChanges.js";

/** How a publish ended. */
export type PublishOutcome =
  | { readonly status: "dry_run" }
  | { readonly status: "up_to_date" }
  | ({ readonly status: "uploaded" } & UploadResult);

const REASONS: Record<ExclusionReason, string> = {
  hidden: "hidden (rigwatch state, a temp file or a dotfile)",
  quarantined: "quarantined by the integrity check",
  outside_layout: "not part of the dataset layout",
  not_regular: "not a regular file",
};

/** "412 B", "3.0 KiB", "1.2 GiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const total = (files: readonly { size: number }[]) => files.reduce((sum, file) => sum + file.size, 0);
const uploads = (plan: PublishPlan) => [...plan.added, ...plan.changed];

/** The plan for people: one line per added, changed, remote-only and excluded path; unchanged counted. */
export function planLines(plan: PublishPlan, user: string): string[] {
  const files = (n: number) => `${n} file${n === 1 ? "" : "s"}`;
  return [
    `${plan.root} → dataset ${plan.repo} on ${plan.hubUrl}, branch ${plan.branch}, as ${user}${plan.repoExists ? "" : " (the repo does not exist yet)"}`,
    ...plan.added.map((f) => `added     ${f.path} (${formatSize(f.size)})`),
    ...plan.changed.map((f) => `changed   ${f.path} (${formatSize(f.size)})`),
    ...plan.remoteOnly.map((f) => `remote    ${f.path} (${formatSize(f.size)}): only on the hub, kept`),
    ...plan.excluded.map((e) => `excluded  ${e.path}: ${REASONS[e.reason]}`),
    `unchanged ${files(plan.unchanged.length)} (${formatSize(total(plan.unchanged))})`,
  ];
}

/** The last line for people. */
export function outcomeLine(plan: PublishPlan, outcome: PublishOutcome, isPublic: boolean): string {
  const files = uploads(plan);
  const what = `${files.length} file${files.length === 1 ? "" : "s"} (${formatSize(total(files))})`;
  switch (outcome.status) {
    case "dry_run":
      return files.length === 0
        ? "dry run: nothing to upload; nothing was changed on the hub"
        : `dry run: would upload ${what} in one commit${plan.repoExists ? "" : ` to a new ${isPublic ? "public" : "private"} repo`}; nothing was changed on the hub`;
    case "up_to_date":
      return `up to date: nothing to upload (${plan.unchanged.length} files unchanged)`;
    case "uploaded":
      return `uploaded ${what} in commit ${outcome.commitOid ?? "(no id)"}${outcome.commitUrl === undefined ? "" : `: ${outcome.commitUrl}`}${outcome.createdRepo ? ` (created the ${isPublic ? "public" : "private"} repo)` : ""}`;
  }
}

/** The plan as JSON records, one per line: every file with its status, excluded paths, a summary. */
export function planRecords(plan: PublishPlan, user: string): Record<string, unknown>[] {
  const file = (status: string) => (f: { path: string; size: number }) => ({
    type: "file",
    path: f.path,
    status,
    size: f.size,
  });
  return [
    ...plan.added.map(file("added")),
    ...plan.changed.map(file("changed")),
    ...plan.unchanged.map(file("unchanged")),
    ...plan.remoteOnly.map(file("remote_only")),
    ...plan.excluded.map((e) => ({ type: "excluded", path: e.path, reason: e.reason })),
    {
      type: "plan",
      repo: plan.repo,
      hubUrl: plan.hubUrl,
      branch: plan.branch,
      user,
      repoExists: plan.repoExists,
      added: plan.added.length,
      changed: plan.changed.length,
      unchanged: plan.unchanged.length,
      remoteOnly: plan.remoteOnly.length,
      excluded: plan.excluded.length,
      uploadFiles: uploads(plan).length,
      uploadBytes: total(uploads(plan)),
    },
  ];
}

/** The last JSON record. */
export function outcomeRecord(plan: PublishPlan, outcome: PublishOutcome): Record<string, unknown> {
  const files =
    outcome.status === "uploaded" ? outcome.files : outcome.status === "dry_run" ? uploads(plan).length : 0;
  return {
    type: "publish",
    status: outcome.status,
    files,
    bytes:
      outcome.status === "uploaded" ? outcome.bytes : outcome.status === "dry_run" ? total(uploads(plan)) : 0,
    createdRepo: outcome.status === "uploaded" && outcome.createdRepo,
    commit:
      outcome.status === "uploaded"
        ? { oid: outcome.commitOid ?? null, url: outcome.commitUrl ?? null }
        : null,
  };
}
