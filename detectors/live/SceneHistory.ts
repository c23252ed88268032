import { meanAbsDiff } from "../image/index.js";
import type { StreamName, TickSample } from "../samples.js";

/** Ticks further apart than this are not consecutive frames of a stream (the tap was lost meanwhile). */
const MAX_PAIR_GAP_S = 0.5;

/** How one image stream changed over a span of ticks: the freeze diagnosis' scene evidence (spec §3). */
export interface StreamActivity {
  /** Consecutive tick pairs of the stream whose later tick lies in the span. */
  readonly pairs: number;
  /** Share of those pairs whose frames are bitwise equal (equal content hashes). */
  readonly dupFraction: number;
  /**
   * Mean absolute difference of the pairs' 128×128 thumbnails, duplicates counting 0; NaN when no pair
   * of the span carried both thumbnails (motion unknown).
   */
  readonly motion: number;
}

/** One consecutive pair of a stream, stamped with its later tick's time. */
interface Pair {
  readonly t: number;
  readonly dup: boolean;
  /** NaN when a thumbnail was missing. */
  readonly motion: number;
}

interface StreamState {
  readonly pairs: Pair[];
  /** Index of the oldest pair still kept (pairs before it are dropped in batches). */
  head: number;
  last: { readonly t: number; readonly hash: string; readonly thumb: Uint8Array | undefined } | undefined;
}

export interface SceneHistoryOptions {
  /** Pairs older than this (seconds of source time before the newest tick) are forgotten. */
  readonly keepS: number;
}

/**
 * The recent past of every camera and GelSight stream as the tap delivers it: for each pair of
 * consecutive ticks, whether the frame repeated bitwise and how much its thumbnail moved. The live
 * freeze diagnosis asks it about the last second and about a hold's own frames. Pure: times come with
 * the ticks. Keeps the previous tick's thumbnails by reference (sources hand over a fresh array per tick).
 */
export class SceneHistory {
  readonly #streams = new Map<string, StreamState>();
  readonly #keepS: number;

  constructor(options: SceneHistoryOptions) {
    this.#keepS = options.keepS;
  }

  /** Forgets every stream's past (after a fault in pushing a tick: what it kept may be inconsistent). */
  clear(): void {
    this.#streams.clear();
  }

  /**
   * One camera tick: pairs each stream it carries with that stream's previous frame. Motion costs a
   * pass over both thumbnails of every stream; `motion: false` records the pair's duplicate flag only
   * (its motion unknown), for ticks no judgement will ask about.
   */
  push(tick: TickSample, options: { readonly motion?: boolean } = {}): void {
    const withMotion = options.motion ?? true;
    for (const [name, frame] of Object.entries(tick.streams)) {
      if (!frame) continue;
      let state = this.#streams.get(name);
      if (!state) this.#streams.set(name, (state = { pairs: [], head: 0, last: undefined }));
      const last = state.last;
      if (last && tick.t > last.t && tick.t - last.t <= MAX_PAIR_GAP_S) {
        const dup = frame.hash === last.hash;
        const motion = dup
          ? 0
          : withMotion && frame.thumb && last.thumb
            ? meanAbsDiff(frame.thumb, last.thumb)
            : Number.NaN;
        state.pairs.push({ t: tick.t, dup, motion });
      }
      state.last = { t: tick.t, hash: frame.hash, thumb: frame.thumb };
      forget(state, tick.t - this.#keepS);
    }
  }

  /** The stream's pairs whose later tick lies in (from, to]. */
  activity(stream: StreamName, from: number, to: number): StreamActivity {
    const state = this.#streams.get(stream);
    let pairs = 0;
    let dups = 0;
    let known = 0;
    let motion = 0;
    if (state) {
      for (let i = state.pairs.length - 1; i >= state.head; i--) {
        const p = state.pairs[i] as Pair;
        if (p.t <= from) break;
        if (p.t > to) continue;
        pairs++;
        if (p.dup) dups++;
        if (!Number.isNaN(p.motion)) {
          known++;
          motion += p.motion;
        }
      }
    }
    return {
      pairs,
      dupFraction: pairs > 0 ? dups / pairs : 0,
      motion: known > 0 ? motion / known : Number.NaN,
    };
  }
}

function forget(state: StreamState, before: number): void {
  while (state.head < state.pairs.length && (state.pairs[state.head] as Pair).t < before) state.head++;
  // Drop forgotten pairs in batches, so the array does not shift on every tick.
  if (state.head > 256 && state.head * 2 > state.pairs.length) {
    state.pairs.splice(0, state.head);
    state.head = 0;
  }
}
