import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

export interface HubOptions {
  readonly port: number;
  /** Without a token the hub listens on loopback only; with one, anywhere, and every client must send it. */
  readonly token?: string;
  readonly host?: string;
  /** The operator page served at `/`. */
  readonly page: () => string;
  /** Messages a client gets on connecting, before the live stream (raised alarms, health, take state). */
  readonly snapshot: () => readonly object[];
  /** A client this far behind is dropped (it reconnects and gets the snapshot) rather than buffered. */
  readonly maxBufferedBytes?: number;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** NatNet's 64-bit clock fields arrive as bigint, which JSON cannot hold: numbers when exact, else strings. */
export function toJson(message: object): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    typeof value === "bigint" ? (BigInt(Number(value)) === value ? Number(value) : String(value)) : value,
  );
}

/**
 * The daemon's HTTP port: the operator page at `/` and a JSON stream at `/ws`. Every sink message is
 * serialised once and sent to every client; a slow client is cut off instead of growing a buffer.
 */
export class WebSocketHub {
  private dropped = 0;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly options: HubOptions,
  ) {}

  static async start(options: HubOptions): Promise<WebSocketHub> {
    const host = options.host ?? (options.token ? "0.0.0.0" : "127.0.0.1");
    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    const server = createServer();
    const hub = new WebSocketHub(server, wss, options);
    server.on("request", (req, res) => hub.serve(req, res));
    server.on("upgrade", (req, socket, head) => {
      const refusal = hub.refusal(req);
      if (refusal || new URL(req.url ?? "/", "http://x").pathname !== "/ws") {
        socket.end(`HTTP/1.1 ${refusal ?? "404 Not Found"}\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => hub.welcome(ws));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, host, () => resolve());
    });
    return hub;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  /** Clients cut off for falling behind. */
  get droppedClients(): number {
    return this.dropped;
  }

  broadcast(message: object): void {
    const text = toJson(message);
    const limit = this.options.maxBufferedBytes ?? 4 * 1024 * 1024;
    for (const client of this.wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > limit) {
        this.dropped++;
        client.terminate();
        continue;
      }
      client.send(text);
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.close(1001, "rigwatch is stopping");
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private welcome(ws: WebSocket) {
    for (const message of this.options.snapshot()) ws.send(toJson(message));
    ws.on("error", () => ws.terminate());
  }

  private serve(req: IncomingMessage, res: ServerResponse) {
    const refusal = this.refusal(req);
    if (refusal) {
      res.writeHead(Number(refusal.slice(0, 3))).end(`${refusal}\n`);
      return;
    }
    if (req.method !== "GET" || new URL(req.url ?? "/", "http://x").pathname !== "/") {
      res.writeHead(404).end("not found\n");
      return;
    }
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      .end(this.options.page());
  }

  /** Why a request is refused ("401 …", "403 …"), or undefined when it may proceed. */
  private refusal(req: IncomingMessage): string | undefined {
    const { token } = this.options;
    if (!token) return LOOPBACK.has(req.socket.remoteAddress ?? "") ? undefined : "403 Forbidden";
    const url = new URL(req.url ?? "/", "http://x");
    const given = url.searchParams.get("token") ?? req.headers.authorization?.replace(/^Bearer /, "") ?? "";
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b) ? undefined : "401 Unauthorized";
  }
}
