import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { UserFacingError } from "../../config/UserFacingError.js";
import { removeAtomicLeftovers, writeFileAtomic } from "../../sinks/atomicWrite.js";
import { sessionStateDir } from "../dataset/index.js";

/**
 * Per take as soon as it is closed: check, the one analysis pass, compress. Then, once the session's
 * active sensors are settled (from every take's evidence), per take the contact index; the session's
 * detect reports; per take the previews (they draw detect's lists).
 */
export const EPISODE_STAGES = ["check", "analyse", "compress"] as const;
export const SETTLED_STAGES = ["index"] as const;
export const AFTER_DETECT_STAGES = ["previews"] as const;
export const SESSION_STAGES = ["settle", "detect"] as const;
export type EpisodeStage =
  (typeof EPISODE_STAGES)[number] | (typeof SETTLED_STAGES)[number] | (typeof AFTER_DETECT_STAGES)[number];
export type SessionStage = (typeof SESSION_STAGES)[number];

/** What a file was when a stage finished with it: a later change (re-recorded, edited) redoes the stages. */
export interface Fingerprint {
  readonly size: number;
  readonly mtimeMs: number;
}

export interface StageRecord {
  readonly state: "running" | "done" | "failed" | "quarantined";
  readonly at: string;
  /** The episode file after the stage (done), so a later change is seen. */
  readonly file?: Fingerprint;
  readonly result?: unknown;
  readonly error?: string;
  /** The previews: when the detect run they drew from finished (a new one, new verdicts: draw again). */
  readonly detectAt?: string;
}

/** A session stage: the episode files it ran on, the people's verdicts and the active sensors it honoured. */
export interface SessionRecord extends StageRecord {
  readonly inputs?: Record<string, Fingerprint>;
  readonly verdicts?: string;
  /** tasks.json's active sensors for the session when the stage ran (null: none declared). */
  readonly sensors?: readonly string[] | null;
}

interface StateFile {
  readonly version: 1;
  episodes: Record<string, Partial<Record<EpisodeStage, StageRecord>>>;
  session: Partial<Record<SessionStage, SessionRecord>>;
}

export function fingerprint(path: string): Fingerprint | undefined {
  if (!existsSync(path)) return undefined;
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

export function sameFingerprint(a: Fingerprint | undefined, b: Fingerprint | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** The session's state cannot be kept (its folder may not be written): no stage runs for it. */
export class SessionStateError extends UserFacingError {
  override readonly name = "SessionStateError";
  constructor(
    readonly sessionDir: string,
    readonly code: string,
  ) {
    super(
      `${sessionDir}: cannot keep the stage state in ${STATE_NAME} (${code}); no stage runs for this session, nothing in it was changed`,
    );
  }
}

const STATE_NAME = ".rigwatch/stages.json";

/**
 * The stage state of one session folder, persisted next to the data (`<date>/.rigwatch/stages.json`,
 * written atomically after every change) so a re-run skips finished work and a killed run resumes.
 * It is a cache of work done, never the only copy of anything: an unreadable file means starting over.
 */
export class SessionState {
  private readonly file: StateFile;
  readonly path: string;
  /** Why the previous state was dropped, when it was. */
  readonly discarded: string | undefined;

  constructor(readonly sessionDir: string) {
    this.path = join(sessionStateDir(sessionDir), "stages.json");
    removeAtomicLeftovers(this.path); // a run killed while saving
    const { file, discarded } = load(this.path);
    this.file = file;
    this.discarded = discarded;
  }

  episode(name: string): Partial<Record<EpisodeStage, StageRecord>> {
    return this.file.episodes[name] ?? {};
  }

  session(stage: SessionStage): SessionRecord | undefined {
    return this.file.session[stage];
  }

  setEpisode(episodePath: string, stage: EpisodeStage, record: StageRecord): void {
    const name = basename(episodePath, ".h5");
    this.file.episodes[name] = { ...this.file.episodes[name], [stage]: record };
    this.save();
  }

  /** Forgets an episode's stages (its file changed since they ran). */
  resetEpisode(episodePath: string): void {
    delete this.file.episodes[basename(episodePath, ".h5")];
    this.save();
  }

  /** Forgets one stage of an episode, so it runs again. */
  resetStage(name: string, stage: EpisodeStage): void {
    const records = this.file.episodes[name];
    if (records) delete records[stage];
    this.save();
  }

  clearSession(stage: SessionStage): void {
    delete this.file.session[stage];
    this.save();
  }

  setSession(stage: SessionStage, record: SessionRecord): void {
    this.file.session[stage] = record;
    this.save();
  }

  /** Throws SessionStateError unless the state can be written (checked before any stage runs). */
  requireWritable(): void {
    const dir = sessionStateDir(this.sessionDir);
    try {
      accessSync(existsSync(dir) ? dir : this.sessionDir, constants.W_OK);
    } catch (error) {
      throw new SessionStateError(this.sessionDir, (error as NodeJS.ErrnoException).code ?? String(error));
    }
  }

  private save(): void {
    try {
      mkdirSync(sessionStateDir(this.sessionDir), { recursive: true });
      writeFileAtomic(this.path, `${JSON.stringify(this.file, null, 2)}\n`);
    } catch (error) {
      throw new SessionStateError(this.sessionDir, (error as NodeJS.ErrnoException).code ?? String(error));
    }
  }
}

function load(path: string): { file: StateFile; discarded: string | undefined } {
  const empty = (): StateFile => ({ version: 1, episodes: {}, session: {} });
  if (!existsSync(path)) return { file: empty(), discarded: undefined };
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as StateFile;
    if (value?.version !== 1 || typeof value.episodes !== "object" || typeof value.session !== "object")
      return { file: empty(), discarded: `${path} is not a version 1 stage state` };
    return { file: value, discarded: undefined };
  } catch (error) {
    return { file: empty(), discarded: `${path} is unreadable (${(error as Error).message})` };
  }
}
