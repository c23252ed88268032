import type { Logger } from "pino";

interface SourceLog {
  total: number;
  byReason: Record<string, number>;
  /** Rejections since the last line, and the latest one's words. */
  unsaid: number;
  latest: string;
  lastLineAt: number | undefined;
}

/**
 * Refused inputs (tap messages, NatNet datagrams, paths) are counted and logged at a bounded rate: the
 * first refusal after a quiet interval gets a line at once; the rest of the interval are counted and
 * summed up in one line when it ends. A flood of thousands a second writes two lines per interval and
 * source, never one per message. The counts go to /ws.
 */
export class RejectionLog {
  private readonly sources = new Map<string, SourceLog>();

  constructor(
    private readonly options: {
      readonly log: Logger;
      /** Seconds between two lines of one source. */
      readonly intervalS: number;
    },
  ) {}

  note(source: string, reason: string, message: string, now: number): void {
    let s = this.sources.get(source);
    if (!s) {
      s = { total: 0, byReason: {}, unsaid: 0, latest: "", lastLineAt: undefined };
      this.sources.set(source, s);
    }
    s.total++;
    s.byReason[reason] = (s.byReason[reason] ?? 0) + 1;
    s.latest = message;
    if (s.lastLineAt === undefined || now - s.lastLineAt >= this.options.intervalS) {
      this.options.log.warn(
        { rejected: { source, reason, total: s.total } },
        `${source} input refused: ${message}`,
      );
      s.lastLineAt = now;
      s.unsaid = 0;
    } else s.unsaid++;
  }

  /** Called on a timer: the line summing up an interval's refusals, once it is over. */
  flush(now: number): void {
    for (const [source, s] of this.sources) {
      if (s.unsaid === 0 || s.lastLineAt === undefined || now - s.lastLineAt < this.options.intervalS)
        continue;
      this.options.log.warn(
        { rejected: { source, since: s.unsaid, total: s.total, byReason: { ...s.byReason } } },
        `${s.unsaid} more ${source} inputs refused in the last ${(now - s.lastLineAt).toFixed(1)} s; latest: ${s.latest}`,
      );
      s.lastLineAt = now;
      s.unsaid = 0;
    }
  }

  /** Totals by source and reason, for /ws. */
  counts(): Record<string, { total: number; byReason: Record<string, number> }> {
    return Object.fromEntries(
      [...this.sources].map(([source, s]) => [source, { total: s.total, byReason: { ...s.byReason } }]),
    );
  }
}
