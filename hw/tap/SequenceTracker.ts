/** What one message's sequence number says about the stream. */
export type SequenceVerdict =
  | { readonly kind: "first" }
  | { readonly kind: "next" }
  | { readonly kind: "gap"; readonly lost: number }
  /** A new sender id: the recorder process restarted (its counter starts over, nothing was lost). */
  | { readonly kind: "restarted"; readonly previous: string }
  /** At or below a number already seen: a duplicate or a stray message; it counts for nothing. */
  | { readonly kind: "behind"; readonly expected: number }
  /** Further ahead than the sender could have counted since its last message: not believed. */
  | { readonly kind: "implausible"; readonly jump: number };

/**
 * Per-sender sequence bookkeeping: ZeroMQ PUB/SUB drops silently when a high-water mark is reached
 * (and `conflate` would drop parts), so every header carries `seq` and gaps are counted here. A number
 * that steps back is not a gap (it would count as thousands lost), and neither is a jump larger than
 * `maxGap`: both leave the count and the expected number as they were.
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

  push(sender: string, seq: number, maxGap = Number.POSITIVE_INFINITY): SequenceVerdict {
    const previous = this.sender;
    if (previous === undefined || previous !== sender) {
      this.sender = sender;
      this.expected = seq + 1;
      return previous === undefined ? { kind: "first" } : { kind: "restarted", previous };
    }
    if (seq < this.expected) return { kind: "behind", expected: this.expected };
    const lost = seq - this.expected;
    if (lost > maxGap) return { kind: "implausible", jump: lost };
    this.expected = seq + 1;
    if (lost > 0) {
      this.lostTotal += lost;
      return { kind: "gap", lost };
    }
    return { kind: "next" };
  }
}
