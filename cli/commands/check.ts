import { parseArgs } from "node:util";
import { checkEpisode } from "../../stages/integrity/checkEpisode.js";
import { QuarantineError, quarantine } from "../../stages/integrity/quarantine.js";
import { scanEpisodes } from "../../stages/dataset/index.js";
import { reportSkipped } from "../reportSkipped.js";
import { UsageError } from "../UsageError.js";

/**
 * `rigwatch check`: the integrity of every episode given. A corrupt file is renamed `*.h5.corrupt`
 * (never deleted; not with --dry-run); one that cannot be renamed, or cannot be used for a reason that
 * is not its content's (permission, I/O, being written), is reported and left alone. Exits 1 when any
 * file is not ok or any path was skipped.
 */
export async function check(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { deep: { type: "boolean" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
  });
  if (positionals.length === 0) throw new UsageError("check needs at least one file or folder");
  const json = values.json ?? false;
  const scan = scanEpisodes(positionals);
  let failures = reportSkipped(scan.skipped, json);
  for (const path of scan.episodes) {
    const result = await checkEpisode(path, { deep: values.deep ?? false });
    let quarantinedAs: string | undefined;
    let notRenamed: string | undefined;
    if (result.status === "corrupt" && !values["dry-run"]) {
      try {
        quarantinedAs = quarantine(path);
      } catch (error) {
        if (!(error instanceof QuarantineError)) throw error;
        notRenamed = error.message;
      }
    }
    if (result.status !== "ok") failures++;
    const line =
      result.status === "ok"
        ? { type: "integrity", path, status: "ok", frames: result.frames }
        : {
            type: "integrity",
            path,
            status: result.status,
            code: result.error.code,
            error: result.error.message,
            ...(quarantinedAs ? { quarantinedAs } : {}),
            ...(notRenamed ? { notRenamed } : {}),
          };
    if (json) console.log(JSON.stringify(line));
    else if (result.status === "ok") console.log(`ok       ${path} (${result.frames} frames)`);
    else
      console.log(
        `${result.status.padEnd(8)} ${result.error.message}` +
          `${quarantinedAs ? `\n         renamed to ${quarantinedAs}` : ""}` +
          `${notRenamed ? `\n         ${notRenamed}` : ""}`,
      );
  }
  return failures > 0 ? 1 : 0;
}
