/**
 * Evidence of a fault in source time. `startOpen` spans begin just after `start` (a gap begins after
 * the last sample that arrived); closed spans include it (a held or invalid sample is itself evidence).
 */
export interface TimeSpan {
  readonly start: number;
  readonly startOpen: boolean;
  readonly end: number;
}
