import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Alarm } from "../detectors/alarm.js";
import { UserFacingError } from "../config/UserFacingError.js";

/** The take an alarm happened in, as the daemon's lifecycle knew it when the alarm was stamped. */
export interface JournalTake {
  /** The recorder's episode number (the take). */
  readonly take: number;
  /** The episode file the take writes. */
  readonly episode: string;
}

/** One journal row: the alarm as it was sent, where and in which run of the daemon it happened. */
export interface JournalEntry {
  /** Insertion order, across runs. */
  readonly seq: number;
  /** The daemon run that raised it (alarm ids count from 1 again in every run). */
  readonly run: string;
  readonly take: number | null;
  readonly episode: string | null;
  readonly alarm: Alarm;
}

export interface JournalQuery {
  /** Alarms stamped at or after this time. */
  readonly since?: Date;
  readonly take?: number;
  readonly kind?: string;
  /** The newest `limit` rows (still returned oldest first). */
  readonly limit?: number;
}

export interface AlarmJournalOptions {
  readonly file: string;
  /** Rows older than this are deleted by `prune()`. */
  readonly retentionDays: number;
  /** This daemon run's id; default: the start time and the process id. */
  readonly run?: string;
  /** Open for reading only (`rigwatch alarms`): never creates or changes the file. */
  readonly readonly?: boolean;
}

/** The journal's file cannot be opened or read: names the file and what went wrong. */
export class JournalError extends UserFacingError {
  override readonly name = "JournalError";
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`alarm journal ${file}: ${reason}`);
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alarms (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  run      TEXT NOT NULL,
  id       TEXT NOT NULL,
  state    TEXT NOT NULL CHECK (state IN ('raised', 'cleared')),
  kind     TEXT NOT NULL,
  severity TEXT NOT NULL,
  subject  TEXT NOT NULL,
  at_ms    INTEGER NOT NULL,
  take     INTEGER,
  episode  TEXT,
  alarm    TEXT NOT NULL,
  UNIQUE (run, id, state)
);
CREATE INDEX IF NOT EXISTS alarms_at ON alarms (at_ms);
CREATE INDEX IF NOT EXISTS alarms_take ON alarms (take);
`;

/**
 * Every alarm raised and cleared, in a SQLite file (better-sqlite3, WAL). `record` commits before
 * it returns, so an alarm the daemon has broadcast is in the journal even if the process is killed
 * the next instant; a (run, id, state) is stored once, however often it is recorded. WAL with
 * `synchronous = NORMAL`: a commit survives the process dying (kill -9) without an fsync per alarm;
 * a power cut may lose the last commits.
 */
export class AlarmJournal {
  readonly file: string;
  readonly run: string;
  readonly #db: Database.Database;
  readonly #retentionMs: number;
  readonly #insert: Database.Statement | undefined;

  constructor(options: AlarmJournalOptions) {
    this.file = options.file;
    this.run = options.run ?? `${new Date().toISOString()}#${process.pid}`;
    this.#retentionMs = options.retentionDays * 86_400_000;
    try {
      if (!options.readonly) mkdirSync(dirname(options.file), { recursive: true });
      this.#db = new Database(options.file, {
        readonly: options.readonly ?? false,
        fileMustExist: options.readonly ?? false,
      });
      this.#db.pragma("busy_timeout = 2000");
      if (!options.readonly) {
        this.#db.pragma("journal_mode = WAL");
        this.#db.pragma("synchronous = NORMAL");
        this.#db.exec(SCHEMA);
        this.#insert = this.#db.prepare(
          `INSERT OR IGNORE INTO alarms (run, id, state, kind, severity, subject, at_ms, take, episode, alarm)
           VALUES (@run, @id, @state, @kind, @severity, @subject, @atMs, @take, @episode, @alarm)`,
        );
      }
    } catch (error) {
      throw new JournalError(options.file, (error as Error).message);
    }
  }

  /** Commits one alarm (autocommit: durable when this returns). Throws if the database refuses. */
  record(alarm: Alarm, take: JournalTake | undefined): void {
    if (!this.#insert) throw new JournalError(this.file, "opened read-only");
    this.#insert.run({
      run: this.run,
      id: alarm.id,
      state: alarm.state,
      kind: alarm.kind,
      severity: alarm.severity,
      subject: alarm.subject,
      atMs: Date.parse(alarm.at),
      take: take?.take ?? null,
      episode: take?.episode ?? null,
      alarm: JSON.stringify(alarm),
    });
  }

  /** Alarms matching `query`, oldest first. */
  list(query: JournalQuery = {}): JournalEntry[] {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.since) {
      where.push("at_ms >= @since");
      params.since = query.since.getTime();
    }
    if (query.take !== undefined) {
      where.push("take = @take");
      params.take = query.take;
    }
    if (query.kind !== undefined) {
      where.push("kind = @kind");
      params.kind = query.kind;
    }
    const filter = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    const limit = query.limit === undefined ? "" : `LIMIT ${Math.max(0, Math.floor(query.limit))}`;
    try {
      const rows = this.#db
        .prepare(
          `SELECT * FROM (SELECT seq, run, take, episode, alarm FROM alarms ${filter}
           ORDER BY seq DESC ${limit}) ORDER BY seq`,
        )
        .all(params) as {
        seq: number;
        run: string;
        take: number | null;
        episode: string | null;
        alarm: string;
      }[];
      return rows.map((row) => ({
        seq: row.seq,
        run: row.run,
        take: row.take,
        episode: row.episode,
        alarm: JSON.parse(row.alarm) as Alarm,
      }));
    } catch (error) {
      throw new JournalError(this.file, (error as Error).message);
    }
  }

  /** Deletes rows older than the retention; returns how many. */
  prune(now: Date = new Date()): number {
    return this.#db.prepare("DELETE FROM alarms WHERE at_ms < ?").run(now.getTime() - this.#retentionMs)
      .changes;
  }

  /** Checkpoints the WAL into the main file and closes; idempotent. */
  close(): void {
    if (!this.#db.open) return;
    if (!this.#db.readonly) this.#db.pragma("wal_checkpoint(TRUNCATE)");
    this.#db.close();
  }
}
