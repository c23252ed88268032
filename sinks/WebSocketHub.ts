import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { HelloMessage } from "./HelloMessage.js";

/** What a route answers (`/healthz`, `/metrics`, …). */
export interface RouteAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** A GET route beside the page, under the page's access rules. */
export type Route = () => RouteAnswer | Promise<RouteAnswer>;

/** Counters of what the port refused or cut off, for /metrics. */
export interface HubCounters {
  /** Requests answered 4xx (refused, malformed, not found). */
  refused: number;
  /** Connections whose bytes were not HTTP (the server's clientError). */
  malformed: number;
  /** WebSocket clients cut off for falling behind or sending what they may not. */
  dropped: number;
}

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

export interface HubOptions<Message extends { readonly type: string }> {
  readonly port: number;
  /** Without a token the hub listens on loopback only; with one, anywhere, and every client must send it. */
  readonly token?: string;
  readonly host?: string;
  /** The operator page: `/` and the script and style files it loads; a bare function serves `/` only (HTML). */
  readonly page: StaticSite | (() => string);
  /** Messages a client gets on connecting, after `hello` and before the live stream. */
  readonly snapshot: () => readonly Message[];
  /** GET routes beside the page (`/healthz`, `/readyz`, `/metrics`), under the same access rules. */
  readonly routes?: Readonly<Record<string, Route>>;
  /** Open connections at most (page, /ws and routes together); more are dropped on arrival. */
  readonly maxConnections?: number;
  /** A client this far behind is dropped (it reconnects and gets the snapshot) rather than buffered. */
  readonly maxBufferedBytes?: number;
  /** Sent in `hello`; default: the version in rigwatch's package.json. */
  readonly version?: string;
  /** Further WebSocket protocols on their own paths. */
  readonly sockets?: readonly HubSocket[];
  /** Sees every broadcast message (another view of the same stream, e.g. Foxglove's). */
  readonly onBroadcast?: (message: Message) => void;
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

/** The port is the network's: nothing a client sends may take longer than this to arrive. */
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Clients send nothing on /ws; a frame bigger than this is an abuse and closes the socket. */
const MAX_CLIENT_FRAME = 4 * 1024;

/**
 * The daemon's HTTP port: the operator page at `/`, a JSON stream at `/ws` and a few GET routes.
 * Every message is serialised once and sent to every client; a slow client is cut off instead of
 * growing a buffer. Every client first gets `hello`, then the snapshot, then the live stream.
 * Whatever a client sends (malformed requests, bad escapes, bad frames, floods, never reading) is
 * answered or cut off on that connection alone: no handler throws into the event loop.
 */
export class WebSocketHub<Message extends { readonly type: string }> {
  readonly counters: HubCounters = { refused: 0, malformed: 0, dropped: 0 };
  readonly #tokenDigest: Buffer | undefined;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly options: HubOptions<Message>,
  ) {
    this.#tokenDigest = options.token ? digest(options.token) : undefined;
  }

  static async start<M extends { readonly type: string }>(options: HubOptions<M>): Promise<WebSocketHub<M>> {
    const host = options.host ?? (options.token ? "0.0.0.0" : "127.0.0.1");
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME });
    const server = createServer({
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Node's own 16 KB header limit stays: a bigger header block is answered 431 by the parser.
    });
    server.maxConnections = options.maxConnections ?? 256;
    server.keepAliveTimeout = 5_000;
    const hub = new WebSocketHub(server, wss, options);
    server.on("request", (req, res) => hub.serve(req, res));
    server.on("upgrade", (req, socket, head) => hub.upgrade(req, socket as Socket, head));
    server.on("clientError", (error: Error & { code?: string }, socket) => {
      hub.counters.malformed++;
      const status =
        error.code === "HPE_HEADER_OVERFLOW"
          ? "431 Request Header Fields Too Large"
          : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
            ? "408 Request Timeout"
            : "400 Bad Request";
      if (socket.writable && !socket.writableEnded)
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return hub;
  }

  /** Errors of the listening socket itself after start (the port's, not a client's). */
  onServerError(listener: (error: Error) => void): void {
    this.server.on("error", listener);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  /** Clients cut off for falling behind. */
  get droppedClients(): number {
    return this.counters.dropped;
  }

  /** Sends one message to every client (and to the other views of the stream). */
  broadcast(message: Message): void {
    this.options.onBroadcast?.(message);
    const text = toJson(message);
    const limit = this.options.maxBufferedBytes ?? 4 * 1024 * 1024;
    for (const client of this.wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > limit) {
        this.counters.dropped++;
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

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    try {
      const path = pathOf(req);
      const other = this.options.sockets?.find((s) => s.path === path);
      const refusal = this.refusal(req, { cookie: false }) ?? this.crossOrigin(req, other?.origins ?? []);
      if (refusal || (!other && path !== "/ws")) {
        this.counters.refused++;
        socket.end(`HTTP/1.1 ${refusal ?? "404 Not Found"}\r\nConnection: close\r\n\r\n`);
        return;
      }
      if (other) other.accept(req, socket, head);
      // ws answers a malformed upgrade (bad version, key, method) with 400 itself.
      else this.wss.handleUpgrade(req, socket, head, (ws) => this.welcome(ws));
    } catch {
      this.counters.refused++;
      socket.destroy();
    }
  }

  private welcome(ws: WebSocket) {
    // A client has nothing to say on /ws: anything it sends beyond control frames closes it.
    ws.on("error", () => ws.terminate());
    ws.on("message", () => {
      this.counters.dropped++;
      ws.close(1008, "clients send nothing");
    });
    let snapshot: readonly Message[];
    try {
      snapshot = this.options.snapshot();
    } catch {
      snapshot = [];
    }
    const hello: HelloMessage = {
      type: "hello",
      version: this.options.version ?? packageVersion(),
      now: new Date().toISOString(),
      tokenRequired: Boolean(this.options.token),
      snapshot: snapshot.length,
    };
    ws.send(toJson(hello));
    for (const message of snapshot) ws.send(toJson(message));
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    res.on("error", () => res.destroy());
    try {
      this.answer(req, res);
    } catch {
      // A request nothing above foresaw (a bad escape, a URL the parser refuses): that client's 400.
      this.reply(res, 400, "400 Bad Request");
    }
  }

  private reply(res: ServerResponse, status: number, text: string): void {
    if (status >= 400) this.counters.refused++;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" })
      .end(`${text}\n`);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req);
    // The page itself needs the token; the files it loads and the routes may use the cookie `/` set.
    const refusal = this.refusal(req, { cookie: path !== "/" });
    if (refusal) {
      this.reply(res, Number(refusal.slice(0, 3)), refusal);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      this.reply(res, 405, "405 Method Not Allowed");
      return;
    }
    const route = this.options.routes?.[path];
    if (route) {
      this.route(route, req, res);
      return;
    }
    const file = this.pageFile(path);
    if (!file) {
      this.reply(res, 404, "404 Not Found");
      return;
    }
    const headers: Record<string, string> = { ...PAGE_HEADERS, "content-type": file.contentType };
    if (path === "/" && this.options.token) {
      headers["set-cookie"] =
        `${TOKEN_COOKIE}=${encodeURIComponent(this.options.token)}; Path=/; HttpOnly; SameSite=Strict`;
    }
    res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : file.body);
  }

  private route(route: Route, req: IncomingMessage, res: ServerResponse): void {
    Promise.resolve()
      .then(route)
      .then(
        (answer) => {
          if (res.destroyed) return;
          res
            .writeHead(answer.status, { "content-type": answer.contentType, "cache-control": "no-store" })
            .end(req.method === "HEAD" ? undefined : answer.body);
        },
        (error: unknown) => this.reply(res, 500, `500 ${(error as Error).message}`),
      )
      .catch(() => res.destroy());
  }

  private pageFile(path: string): StaticFile | undefined {
    const { page } = this.options;
    if (typeof page !== "function") return page.file(path);
    return path === "/" ? { contentType: "text/html; charset=utf-8", body: page() } : undefined;
  }

  /** Why a request is refused ("401 …", "403 …"), or undefined when it may proceed. */
  private refusal(req: IncomingMessage, accept: { cookie: boolean }): string | undefined {
    const expected = this.#tokenDigest;
    if (!expected) {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) return "403 Forbidden";
      // A loopback-only daemon answers only to loopback names: a rebound DNS name gets nothing.
      return LOOPBACK_HOSTS.has(hostName(req.headers.host)) ? undefined : "403 Forbidden";
    }
    const given =
      queryToken(req.url) ??
      req.headers.authorization?.replace(/^Bearer /, "") ??
      (accept.cookie ? cookie(req, TOKEN_COOKIE) : undefined) ??
      "";
    // Digests of equal length whatever was sent: the comparison's time says nothing about the token.
    return timingSafeEqual(digest(given), expected) ? undefined : "401 Unauthorized";
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

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The request's path, or "" when its target does not parse (answered 404 or 400). */
function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://x").pathname;
  } catch {
    return "";
  }
}

/** `?token=` of the request target; undefined when absent or when the query does not parse. */
function queryToken(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? "/", "http://x").searchParams.get("token") ?? undefined;
  } catch {
    return undefined;
  }
}

function hostName(host: string | undefined): string {
  return (host ?? "").replace(/:\d+$/, "").toLowerCase();
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join("="));
    } catch {
      return undefined; // a bad escape is no token
    }
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
