import type { ProgressMessage } from "./hubMessages.js";

/** Episodes whose stage progress a page that connects late still gets; older ones drop out first. */
const KEPT_EPISODES = 50;

/**
 * The latest stage progress of each episode and stage: what a page that connects now must show under
 * "Stage progress", since the stages report once, when something changes.
 */
export class ProgressBoard {
  readonly #latest = new Map<string, ProgressMessage>();

  apply(message: ProgressMessage): void {
    const key = `${message.episode}\u0000${message.stage}`;
    this.#latest.delete(key); // re-inserted last: the map's order is the order of the latest change
    this.#latest.set(key, message);
    const episodes = [...new Set([...this.#latest.values()].map((m) => m.episode))];
    for (const old of episodes.slice(0, Math.max(0, episodes.length - KEPT_EPISODES))) {
      for (const [k, m] of this.#latest) if (m.episode === old) this.#latest.delete(k);
    }
  }

  snapshot(): ProgressMessage[] {
    return [...this.#latest.values()];
  }
}
