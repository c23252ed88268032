import dgram from "node:dgram";
import {
  decodePacket,
  encodePacket,
  type FrameOfData,
  type NatNetMessage,
  type NatNetVersion,
  type ServerInfo,
} from "../../../hw/natnet/index.js";

export interface Received {
  readonly bytes: Uint8Array;
  readonly at: number;
}

/** A plain dgram NatNet client for loopback tests: records every datagram it receives. */
export class TestClient {
  readonly received: Received[] = [];
  version: NatNetVersion | undefined;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private echoes = 0n;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly serverPort: number,
    private readonly serverHost: string,
  ) {
    socket.on("message", (msg) => {
      this.received.push({ bytes: new Uint8Array(msg), at: performance.now() });
    });
  }

  static async open(serverPort: number, serverHost = "127.0.0.1"): Promise<TestClient> {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
    return new TestClient(socket, serverPort, serverHost);
  }

  send(message: NatNetMessage): void {
    this.socket.send(encodePacket(message), this.serverPort, this.serverHost);
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.send(bytes, this.serverPort, this.serverHost);
  }

  /** Connects, waits for the server info and keeps sending keep-alives. */
  async connect(timeoutMs = 30_000): Promise<ServerInfo> {
    this.send({
      type: "connect",
      name: "rigwatch-test",
      appVersion: undefined,
      natnetVersion: undefined,
      subscribedDataOnly: undefined,
      bitstreamVersion: undefined,
    });
    const info = await this.waitFor("serverInfo", timeoutMs);
    this.version = info.natnetVersion;
    this.keepAlive = setInterval(() => this.send({ type: "keepAlive" }), 200);
    return info;
  }

  /** Decodes a datagram with the server's version; undefined when it does not decode. */
  decode(bytes: Uint8Array): NatNetMessage | undefined {
    try {
      return decodePacket(bytes, this.version);
    } catch {
      return undefined;
    }
  }

  messages(): NatNetMessage[] {
    return this.received.flatMap((r) => this.decode(r.bytes) ?? []);
  }

  frames(): FrameOfData[] {
    return this.messages().filter((m): m is FrameOfData => m.type === "frameOfData");
  }

  /** Datagrams that fail to decode. */
  undecodable(): Received[] {
    return this.received.filter((r) => this.decode(r.bytes) === undefined);
  }

  async waitFor<T extends NatNetMessage["type"]>(
    type: T,
    timeoutMs = 30_000,
  ): Promise<Extract<NatNetMessage, { type: T }>> {
    let found: NatNetMessage | undefined;
    await poll(() => {
      found = this.messages().find((m) => m.type === type);
      return found !== undefined;
    }, timeoutMs);
    return found as Extract<NatNetMessage, { type: T }>;
  }

  /**
   * Resolves once an echo sent now comes back. The server answers from the socket it streams from, and
   * loopback keeps one socket pair's order, so every datagram it sent before the answer has arrived by
   * then: what has not arrived was not sent. Re-sent every 100 ms while the server's socket is not bound
   * (a restart in progress).
   */
  async barrier(timeoutMs = 30_000): Promise<void> {
    const stamp = ++this.echoes;
    let sentAt = Number.NEGATIVE_INFINITY;
    await poll(
      () => {
        if (this.messages().some((m) => m.type === "echoResponse" && m.clientTimestamp === stamp))
          return true;
        if (performance.now() - sentAt >= 100) {
          this.send({ type: "echoRequest", clientTimestamp: stamp });
          sentAt = performance.now();
        }
        return false;
      },
      timeoutMs,
      "the echo",
    );
  }

  async close(): Promise<void> {
    clearInterval(this.keepAlive);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/** Polls `ready` every 10 ms; rejects after `timeoutMs`. */
export async function poll(ready: () => boolean, timeoutMs: number, what = "condition"): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
