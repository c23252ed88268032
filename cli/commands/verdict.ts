import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { datasetRootOfPreview, reportsDir } from "../../stages/dataset/index.js";
import type { ManualVerdict } from "../../sinks/reports/index.js";
import { REPORT_FILES } from "../../stages/detect/runDetect.js";
import { setManualVerdict } from "../../stages/detect/setManualVerdict.js";
import { configFlags } from "../configFlags.js";
import { UsageError } from "../UsageError.js";

const VERDICTS: Readonly<Record<string, ManualVerdict | null>> = {
  keep: "keep",
  cut: "cut",
  merge: "merge",
  clear: null,
};
const EVENT_ID =
  /^(?<episode>[^:]+\/episode_\d+):(?<kind>freeze|spike|teleport):(?<side>left|right):(?<a>\d+)-(?<b>\d+)$/;
const CLIP_NAME =
  /^(?<stem>episode_\d+)\.(?<kind>freeze|spike|teleport)\.(?<side>left|right)\.(?<a>\d+)-(?<b>\d+)\.gif$/;

/**
 * `rigwatch verdict <event> keep|cut|merge|clear`: a person's call on a borderline freeze, by its event
 * id (`<date>/episode_NNN:freeze:<side>:<a>-<b>`, as `previews` lists it) or by its clip's path.
 */
export async function verdict(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { reports: { type: "string" }, json: { type: "boolean" }, ...configFlags },
  });
  const [event, call] = positionals;
  if (event === undefined || call === undefined || positionals.length > 2)
    throw new UsageError("verdict needs an event (id or clip path) and keep, cut, merge or clear");
  if (!(call in VERDICTS)) throw new UsageError(`verdict must be keep, cut, merge or clear, not "${call}"`);
  const parsed = parseEvent(event);
  if (parsed.kind !== "freeze")
    throw new UsageError(
      `${event}: only freezes take a verdict (freeze_intervals.json); a ${parsed.kind} is decided by its threshold in the config`,
    );
  const reports = values.reports ?? parsed.reportsDir ?? reportsDir(process.cwd());
  const file = join(reports, REPORT_FILES.freezes);
  if (!existsSync(file))
    throw new UsageError(`${file} not found: give --reports DIR (detect's report folder)`);
  const { record, previous } = setManualVerdict(file, parsed, VERDICTS[call] as ManualVerdict | null);
  if (values.json)
    console.log(
      JSON.stringify({
        type: "verdict",
        file,
        episode: record.episode,
        side: record.side,
        h5_a: record.h5_a,
        h5_b: record.h5_b,
        verdict: record.verdict,
        manual_verdict: record.manual_verdict,
        previous,
      }),
    );
  else
    console.log(
      `${record.episode} ${record.side} ${record.h5_a}-${record.h5_b} (${record.verdict}): manual_verdict ${JSON.stringify(record.manual_verdict)} (was ${JSON.stringify(previous)}) in ${file}; the next detect applies it`,
    );
  return 0;
}

interface ParsedEvent {
  readonly episode: string;
  readonly kind: string;
  readonly side: string;
  readonly h5: readonly [number, number];
  /** Found from a clip's place in the dataset layout. */
  readonly reportsDir?: string;
}

function parseEvent(event: string): ParsedEvent {
  const id = EVENT_ID.exec(event)?.groups;
  if (id)
    return {
      episode: id.episode as string,
      kind: id.kind as string,
      side: id.side as string,
      h5: [Number(id.a), Number(id.b)],
    };
  const clip = CLIP_NAME.exec(basename(event))?.groups;
  if (!clip)
    throw new UsageError(
      `"${event}" is neither an event id (<date>/episode_NNN:freeze:<side>:<a>-<b>) nor a clip`,
    );
  // <root>/figures/episode_previews/<task>/<date>/clips/<clip>
  const path = resolve(event);
  const dateDir = dirname(dirname(path));
  const root = datasetRootOfPreview(path);
  return {
    episode: `${basename(dateDir)}/${clip.stem}`,
    kind: clip.kind as string,
    side: clip.side as string,
    h5: [Number(clip.a), Number(clip.b)],
    ...(root === undefined ? {} : { reportsDir: reportsDir(root) }),
  };
}
