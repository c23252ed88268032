/** A tap message that does not follow docs/tap-protocol.md: names the topic and the field. */
export class TapDecodeError extends Error {
  override readonly name = "TapDecodeError";

  constructor(
    readonly topic: string,
    readonly field: string,
    readonly expected: string,
  ) {
    super(`tap message "${topic}": ${field} ${expected}`);
  }
}
