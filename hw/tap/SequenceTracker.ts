/** What one message's sequence number says about the stream. */
export type SequenceVerdict =
  | { readonly kind: "first" }
  | { readonly kind: "next" }
  | { readonly kind: "gap"; readonly lost: number }
  /** A new sender id: the recorder process restarted (its counter starts over, nothing was lost). */
  | { readonly kind: "restarted"; readonly previous: string };

/**
 * Per-sender sequence bookkeeping: ZeroMQ PUB/SUB drops silently when a high-water mark is reached
 * (and `conflate` would drop parts), so every header carries `seq` and gaps are counted here.
 */
export class SequenceTracker {
  private sender: string | undefined;
  private expected = 0;
  private lostTotal = 0;

  get lost(): number {
    return this.lostTotal;
  }

  get currentSender(): string | undefined {
    return this.sender;
  }

  push(sender: string, seq: number): SequenceVerdict {
    const previous = this.sender;
    this.sender = sender;
    if (previous === undefined) {
      this.expected = seq + 1;
      return { kind: "first" };
    }
    if (previous !== sender) {
      this.expected = seq + 1;
      return { kind: "restarted", previous };
    }
    const lost = seq - this.expected;
    this.expected = seq + 1;
    if (lost > 0) {
      this.lostTotal += lost;
      return { kind: "gap", lost };
    }
    return { kind: "next" };
  }
}
