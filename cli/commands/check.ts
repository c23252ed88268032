import { parseArgs } from "node:util";
import { checkEpisode } from "../../stages/integrity/checkEpisode.js";
import { quarantine } from "../../stages/integrity/quarantine.js";
import { findEpisodes } from "../../stages/dataset/index.js";
import { UsageError } from "../UsageError.js";

export async function check(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { deep: { type: "boolean" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
  });
  if (positionals.length === 0) throw new UsageError("check needs at least one file or folder");
  let failures = 0;
  for (const path of findEpisodes(positionals)) {
    const result = await checkEpisode(path, { deep: values.deep ?? false });
    let quarantinedAs: string | undefined;
    if (result.status === "corrupt" && !values["dry-run"]) quarantinedAs = quarantine(path);
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
            quarantinedAs,
          };
    if (values.json) console.log(JSON.stringify(line));
    else if (result.status === "ok") console.log(`ok       ${path} (${result.frames} frames)`);
    else
      console.log(
        `${result.status.padEnd(8)} ${result.error.message}${quarantinedAs ? `\n         renamed to ${quarantinedAs}` : ""}`,
      );
  }
  return failures > 0 ? 1 : 0;
}
