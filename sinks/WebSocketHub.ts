import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { HelloMessage } from "./hubMessages.js";

/** One file of the operator page. */
export interface StaticFile {
  readonly contentType: string;
  readonly body: string | Buffer;
}

/** The operator page's files by URL path (`/` is the page itself). */
export interface StaticSite {
  file(path: string): StaticFile | undefined;
}

/**
 * Another WebSocket protocol on its own path of the hub's port (Foxglove's), under the page's access
 * rules: loopback only without a token, the token otherwise.
 */
export interface HubSocket {
  readonly path: string;
  /** Browser origins allowed besides the page's own: a client app served from elsewhere. */
  readonly origins: readonly string[];
  /** Takes over an upgrade the hub has let through. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface HubOptions {
  readonly port: number;
  /** Without a token the hub listens on loopback only; with one, anywhere, and every client must send it. */
  readonly token?: string;
  readonly host?: string;
  /** The operator page: `/` and the script and style files it loads; a bare function serves `/` only (HTML). */
  readonly page: StaticSite | (() => string);
  /** Messages a client gets on connecting, after `hello` and before the live stream. */
  readonly snapshot: () => readonly object[];
  /** A client this far behind is dropped (it reconnects and gets the snapshot) rather than buffered. */
  readonly maxBufferedBytes?: number;
  /** Sent in `hello`; default: the version in rigwatch's package.json. */
  readonly version?: string;
  /** Further WebSocket protocols on their own paths. */
  readonly sockets?: readonly HubSocket[];
  /** Sees every broadcast message (another view of the same stream, e.g. Foxglove's). */
  readonly onBroadcast?: (message: object) => void;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
/** Set when `/` is served with the token: a module's own imports cannot carry `?token=`. */
const TOKEN_COOKIE = "rigwatch_token";
/** Everything the page needs comes from this origin; nothing else may load or connect. */
const PAGE_HEADERS = {
  "cache-control": "no-store",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  // The page's URL carries the token.
  "referrer-policy": "no-referrer",
};

/** NatNet's 64-bit clock fields arrive as bigint, which JSON cannot hold: numbers when exact, else strings. */
export function toJson(message: object): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    typeof value === "bigint" ? (BigInt(Number(value)) === value ? Number(value) : String(value)) : value,
  );
}

/**
 * The daemon's HTTP port: the operator page at `/` and a JSON stream at `/ws`. Every sink message is
 * serialised once and sent to every client; a slow client is cut off instead of growing a buffer.
 * Every client first gets `hello`, then the snapshot, then the live stream.
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
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const other = options.sockets?.find((s) => s.path === path);
      const refusal = hub.refusal(req, { cookie: false }) ?? hub.crossOrigin(req, other?.origins ?? []);
      if (refusal || (!other && path !== "/ws")) {
        socket.end(`HTTP/1.1 ${refusal ?? "404 Not Found"}\r\nConnection: close\r\n\r\n`);
        return;
      }
      if (other) other.accept(req, socket, head);
      else wss.handleUpgrade(req, socket, head, (ws) => hub.welcome(ws));
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
    this.options.onBroadcast?.(message);
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
    const snapshot = this.options.snapshot();
    const hello: HelloMessage = {
      type: "hello",
      version: this.options.version ?? packageVersion(),
      now: new Date().toISOString(),
      tokenRequired: Boolean(this.options.token),
      snapshot: snapshot.length,
    };
    ws.send(toJson(hello));
    for (const message of snapshot) ws.send(toJson(message));
    ws.on("error", () => ws.terminate());
  }

  private serve(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    // The page itself needs the token; the files it loads may use the cookie `/` set.
    const refusal = this.refusal(req, { cookie: path !== "/" });
    if (refusal) {
      res.writeHead(Number(refusal.slice(0, 3)), { "content-type": "text/plain" }).end(`${refusal}\n`);
      return;
    }
    const file = req.method === "GET" || req.method === "HEAD" ? this.pageFile(path) : undefined;
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    const headers: Record<string, string> = { ...PAGE_HEADERS, "content-type": file.contentType };
    if (path === "/" && this.options.token) {
      headers["set-cookie"] =
        `${TOKEN_COOKIE}=${encodeURIComponent(this.options.token)}; Path=/; HttpOnly; SameSite=Strict`;
    }
    res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : file.body);
  }

  private pageFile(path: string): StaticFile | undefined {
    const { page } = this.options;
    if (typeof page !== "function") return page.file(path);
    return path === "/" ? { contentType: "text/html; charset=utf-8", body: page() } : undefined;
  }

  /** Why a request is refused ("401 …", "403 …"), or undefined when it may proceed. */
  private refusal(req: IncomingMessage, accept: { cookie: boolean }): string | undefined {
    const { token } = this.options;
    if (!token) {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) return "403 Forbidden";
      // A loopback-only daemon answers only to loopback names: a rebound DNS name gets nothing.
      return LOOPBACK_HOSTS.has(hostName(req.headers.host)) ? undefined : "403 Forbidden";
    }
    const url = new URL(req.url ?? "/", "http://x");
    const given =
      url.searchParams.get("token") ??
      req.headers.authorization?.replace(/^Bearer /, "") ??
      (accept.cookie ? cookie(req, TOKEN_COOKIE) : undefined) ??
      "";
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b) ? undefined : "401 Unauthorized";
  }

  /**
   * A browser page from another origin may not read the stream (cross-site WebSocket hijacking),
   * unless the path allows that origin by name.
   */
  private crossOrigin(req: IncomingMessage, allowed: readonly string[]): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined || allowed.includes(origin)) return undefined;
    try {
      return new URL(origin).host === req.headers.host ? undefined : "403 Forbidden";
    } catch {
      return "403 Forbidden";
    }
  }
}

function hostName(host: string | undefined): string {
  return (host ?? "").replace(/:\d+$/, "").toLowerCase();
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

let cachedVersion: string | undefined;

/** rigwatch's version, from the package.json above this file (in `dist/sinks/` or `sinks/`). */
function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = "unknown";
  for (const relative of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "rigwatch" && typeof pkg.version === "string") return (cachedVersion = pkg.version);
    } catch {
      // Not there from this layout; try the next.
    }
  }
  return cachedVersion;
}
