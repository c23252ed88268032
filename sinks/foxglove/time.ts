/** A protobuf google.protobuf.Timestamp. */
export interface ProtoTimestamp {
  readonly seconds: number;
  readonly nanos: number;
}

const NS_PER_S = 1_000_000_000;

/**
 * Unix seconds (float64, as the recorder and Motive stamp them) → seconds + nanos, rounded to the
 * nanosecond. The MCAP log time of the same instant is `toNanoseconds` of the same split, so a
 * message's log time and its header stamp never disagree by a rounding.
 */
export function toProtoTimestamp(unixSeconds: number): ProtoTimestamp {
  let seconds = Math.floor(unixSeconds);
  let nanos = Math.round((unixSeconds - seconds) * NS_PER_S);
  if (nanos >= NS_PER_S) {
    seconds += 1;
    nanos -= NS_PER_S;
  }
  return { seconds, nanos };
}

/** The same instant as MCAP's uint64 nanoseconds. */
export function toNanoseconds(unixSeconds: number): bigint {
  const { seconds, nanos } = toProtoTimestamp(unixSeconds);
  return BigInt(seconds) * BigInt(NS_PER_S) + BigInt(nanos);
}
