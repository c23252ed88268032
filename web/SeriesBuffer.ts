/** The plot points of one series over a time window; the oldest fall off as new ones arrive. */
export class SeriesBuffer {
  readonly #t: number[] = [];
  readonly #v: number[] = [];

  constructor(private readonly windowS: number) {}

  /** Points must come in time order (the daemon sends them so); a point back in time restarts the series. */
  push(points: readonly (readonly [number, number])[]): void {
    for (const [t, v] of points) {
      const last = this.#t[this.#t.length - 1];
      if (last !== undefined && t < last) this.clear();
      this.#t.push(t);
      this.#v.push(v);
    }
    const latest = this.#t[this.#t.length - 1];
    if (latest === undefined) return;
    let expired = 0;
    while (expired < this.#t.length && (this.#t[expired] as number) < latest - this.windowS) expired++;
    // Splicing in one go: at 10 batches a second the prefix is a few points.
    if (expired > 0) {
      this.#t.splice(0, expired);
      this.#v.splice(0, expired);
    }
  }

  clear(): void {
    this.#t.length = 0;
    this.#v.length = 0;
  }

  get length(): number {
    return this.#t.length;
  }

  get latestT(): number | undefined {
    return this.#t[this.#t.length - 1];
  }

  /** Largest value at or after `from`, for the plot's scale. */
  maxSince(from: number): number {
    let max = -Infinity;
    for (let i = 0; i < this.#t.length; i++)
      if ((this.#t[i] as number) >= from) max = Math.max(max, this.#v[i] as number);
    return max;
  }

  forEach(visit: (t: number, v: number) => void): void {
    for (let i = 0; i < this.#t.length; i++) visit(this.#t[i] as number, this.#v[i] as number);
  }
}
