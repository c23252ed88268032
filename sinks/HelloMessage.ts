/** First message on every connection. */
export interface HelloMessage {
  readonly type: "hello";
  readonly version: string;
  /** Wall-clock ISO time on the daemon, so the page can show ages against the daemon's clock. */
  readonly now: string;
  /** True when the daemon serves the network and state-changing requests need the token. */
  readonly tokenRequired: boolean;
  /**
   * How many messages of the snapshot follow: once they are in, an alarm the client still shows as
   * raised that the snapshot did not repeat was cleared while the client was away.
   */
  readonly snapshot: number;
}
