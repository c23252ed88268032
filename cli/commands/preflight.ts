import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import { type PreflightReport, runPreflight } from "../../stages/preflight/index.js";
import { configFlags, configFrom } from "../configFlags.js";
import { UsageError } from "../UsageError.js";

/** `rigwatch preflight`: the pre-publish checklist; exit 1 when any item fails. */
export async function preflight(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { mode: { type: "string" }, json: { type: "boolean" }, ...configFlags },
  });
  if (positionals.length !== 1) throw new UsageError("preflight needs exactly one dataset folder");
  configFrom(values); // like every command, a bad --config or --set stops it; no threshold is used here
  const root = positionals[0] as string;
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`no such folder: ${root}`);
  }
  if (!isDir)
    throw new UsageError(`${root} is not a folder: give the dataset root (the folder holding data/)`);
  const report = await runPreflight(root, values.mode === undefined ? {} : { mode: values.mode });
  if (values.json) console.log(JSON.stringify({ type: "preflight", ...report }));
  else for (const line of checklist(report)) console.log(line);
  return report.ok ? 0 : 1;
}

/** ✓/✗ per item, then each offending file and why, indented, and what to do. */
export function checklist(report: PreflightReport): string[] {
  const width = Math.max(...report.items.map((item) => item.id.length));
  const lines = [`preflight ${report.root}`];
  for (const item of report.items) {
    lines.push(`${item.ok ? "✓" : "✗"} ${item.id.padEnd(width)}  ${item.title}`);
    for (const path of item.offending) lines.push(`    ${path}: ${item.reasons?.[path] ?? "fails"}`);
    if (!item.ok && item.detail !== undefined) lines.push(`    → ${item.detail}`);
  }
  const failed = report.items.filter((item) => !item.ok).length;
  lines.push(
    failed === 0
      ? `all ${report.items.length} checks passed`
      : `${failed} of ${report.items.length} checks failed: not ready to publish`,
  );
  return lines;
}
