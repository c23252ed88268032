import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { ALARM_KINDS } from "../../detectors/alarm.js";
import { journalFile } from "../../daemon/journalFile.js";
import { AlarmJournal, type JournalEntry, JournalError } from "../../sinks/AlarmJournal.js";
import { configFlags, configFrom } from "../configFlags.js";
import { UsageError } from "../UsageError.js";

const CSV_COLUMNS = [
  "at",
  "run",
  "take",
  "episode",
  "id",
  "kind",
  "state",
  "severity",
  "subject",
  "t",
  "frame",
  "detail",
];

/** `rigwatch alarms`: the alarm journal, filtered, as text, CSV or JSON lines. */
export async function alarms(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      since: { type: "string" },
      take: { type: "string" },
      kind: { type: "string" },
      csv: { type: "boolean" },
      json: { type: "boolean" },
      ...configFlags,
    },
  });
  if (positionals.length > 0) throw new UsageError("alarms takes no positional arguments");
  if (values.csv && values.json) throw new UsageError("--csv and --json: choose one");
  const since = values.since === undefined ? undefined : parseSince(values.since, new Date());
  const take = values.take === undefined ? undefined : Number(values.take);
  if (take !== undefined && !(Number.isInteger(take) && take >= 0))
    throw new UsageError(`--take expects an episode number, got "${values.take}"`);
  if (values.kind !== undefined && !(ALARM_KINDS as readonly string[]).includes(values.kind))
    throw new UsageError(`--kind expects one of ${ALARM_KINDS.join(", ")}, got "${values.kind}"`);
  const config = configFrom(values);
  const file = journalFile(config);
  if (!existsSync(file))
    throw new JournalError(file, "no journal here yet (the daemon writes it on its first start)");
  const journal = new AlarmJournal({ file, retentionDays: config.journal.retentionDays, readonly: true });
  let entries: JournalEntry[];
  try {
    entries = journal.list({
      ...(since ? { since } : {}),
      ...(take === undefined ? {} : { take }),
      ...(values.kind === undefined ? {} : { kind: values.kind }),
    });
  } finally {
    journal.close();
  }
  const out = process.stdout;
  if (values.json) {
    for (const e of entries)
      out.write(`${JSON.stringify({ ...e.alarm, run: e.run, take: e.take, episode: e.episode })}\n`);
  } else if (values.csv) {
    out.write(`${CSV_COLUMNS.join(",")}\n`);
    for (const e of entries) {
      const a = e.alarm;
      const row = [
        a.at,
        e.run,
        e.take ?? "",
        e.episode ?? "",
        a.id,
        a.kind,
        a.state,
        a.severity,
        a.subject,
        a.t,
        a.frame ?? "",
        JSON.stringify(a.detail),
      ];
      out.write(`${row.map(csvField).join(",")}\n`);
    }
  } else {
    for (const e of entries) {
      const a = e.alarm;
      const take = e.take === null ? "" : ` take ${e.take}`;
      out.write(
        `${a.at}  ${a.severity.padEnd(8)} ${a.kind} ${a.state} ${a.subject}${take}${a.frame === undefined ? "" : ` frame ${a.frame}`}\n`,
      );
    }
    if (entries.length === 0) process.stderr.write(`rigwatch alarms: none in ${file}\n`);
  }
  return 0;
}

/** `--since`: an ISO time, or a duration back from `now` (`30s`, `15m`, `2h`, `7d`). */
export function parseSince(text: string, now: Date): Date {
  const ago = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (ago) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3 }[ago[2] as "s" | "m" | "h" | "d"];
    return new Date(now.getTime() - Number(ago[1]) * unit);
  }
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(
      `--since expects an ISO time (2026-12-01T09:00) or a duration (30m, 2h, 7d), got "${text}"`,
    );
  return at;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
