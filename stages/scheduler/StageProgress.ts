/** The stage states a run goes through, per episode (or per session for detect and metadata). */
export type StageState = "queued" | "running" | "paused" | "done" | "failed" | "skipped";

/** Post-session stage progress: what the scheduler reports as it runs, for the CLI and the page. */
export interface StageProgress {
  /** The recorder's episode number; null for a stage of the whole session (detect, metadata). */
  readonly episode: number | null;
  readonly stage: string;
  readonly state: StageState;
  readonly done?: number;
  readonly total?: number;
  readonly error?: string;
}
