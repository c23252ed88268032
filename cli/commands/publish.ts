import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  checkToken,
  hubTarget,
  listDatasetFiles,
  outcomeLine,
  outcomeRecord,
  planLines,
  planPublish,
  planRecords,
  type PublishOutcome,
  PublishError,
  redactor,
  scrubError,
  uploadChanges,
} from "../../stages/publish/index.js";
import { configFlags, configFrom } from "../configFlags.js";
import { NO_PROGRESS, type Progress } from "../ProgressBar.js";
import { UsageError } from "../UsageError.js";

/**
 * `rigwatch publish <dataset-dir>`: plan (local folder against the repo's tree), then one commit of
 * the added and changed files through the hub's client. Every line printed and every error thrown
 * passes through a redactor holding the token, so the token reaches no terminal or log.
 */
export async function publish(argv: readonly string[], progress: Progress = NO_PROGRESS): Promise<number> {
  // Until the config says which variable holds the token, guard the default one.
  let redact = redactor([process.env.HF_TOKEN]);
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        repo: { type: "string" },
        "dry-run": { type: "boolean" },
        public: { type: "boolean" },
        "skip-preflight": { type: "boolean" },
        json: { type: "boolean" },
        ...configFlags,
      },
    });
    if (positionals.length !== 1) throw new UsageError("publish needs exactly one dataset folder");
    const root = resolve(positionals[0] as string);
    const config = configFrom(values);
    const target = hubTarget({ ...config.publish, repo: values.repo ?? config.publish.repo }, process.env);
    redact = redactor([target.token, process.env.HF_TOKEN]);
    const json = values.json ?? false;
    const isPublic = values.public ?? false;
    const print = (line: string) => console.log(redact(line));
    const warn = (line: string) => process.stderr.write(`${redact(line)}\n`);

    // The folder first (no network needed to say it is wrong), then the token, then the repo.
    const listing = await listDatasetFiles(root);
    const owner = await checkToken(target, { forWrite: !(values["dry-run"] ?? false) });
    const plan = await planPublish(root, listing, target, (done, total) =>
      progress.update(done, total, "files compared"),
    );
    progress.stop();
    const report = (outcome: PublishOutcome) =>
      print(json ? JSON.stringify(outcomeRecord(plan, outcome)) : outcomeLine(plan, outcome, isPublic));
    if (json) for (const record of planRecords(plan, owner.name)) print(JSON.stringify(record));
    else for (const line of planLines(plan, owner.name)) print(line);
    if (isPublic && plan.repoExists)
      warn("warning: --public only applies to a new repo; its visibility is unchanged");

    if (values["dry-run"]) {
      report({ status: "dry_run" });
      return 0;
    }
    if (plan.added.length + plan.changed.length === 0) {
      report({ status: "up_to_date" });
      return 0;
    }
    await preflightGate(root, { skip: values["skip-preflight"] ?? false, warn });
    const result = await uploadChanges(plan, target, { public: isPublic, now: new Date() });
    report({ status: "uploaded", ...result });
    return 0;
  } catch (error) {
    throw scrubError(error, redact);
  }
}

// ─── Pre-publish gate ──────────────────────────────────────────────────────────────────────────────
// The single place where the spec §8 checklist (stages/preflight) can stop an upload. It runs after
// the plan, only when something is about to be uploaded: a dry run and an up-to-date repo change
// nothing. Loaded on demand, like the CLI's commands: the checklist reads every episode.
async function preflightGate(
  root: string,
  { skip, warn }: { skip: boolean; warn: (line: string) => void },
): Promise<void> {
  if (skip) {
    warn("warning: --skip-preflight: uploading without the pre-publish checks (spec §8)");
    return;
  }
  const { runPreflight } = await import("../../stages/preflight/index.js");
  const report = await runPreflight(root);
  if (!report.ok) {
    const failed = report.items.filter((item) => !item.ok).map((item) => `\n  - ${item.title}`);
    throw new PublishError(
      "preflight_failed",
      `the pre-publish checks failed for ${root}; nothing was uploaded (\`rigwatch preflight ${root}\` lists the files):${failed.join("")}`,
    );
  }
}
