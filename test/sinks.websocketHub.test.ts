import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { waitFor } from "./helpers/waitFor.js";
import { type StaticSite, WebSocketHub } from "../sinks/WebSocketHub.js";

/** Any message with a type: the hub is generic over the daemon's union. */
type Message = { readonly type: string } & Record<string, unknown>;
let hub: WebSocketHub<Message> | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

/** A two-file page: `/` and the script it loads. */
const site: StaticSite = {
  file: (path) =>
    path === "/"
      ? { contentType: "text/html; charset=utf-8", body: "<h1>rigwatch</h1>" }
      : path === "/main.js"
        ? { contentType: "text/javascript; charset=utf-8", body: "export {};" }
        : undefined,
};

function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: unknown[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(String(data))));
    ws.once("open", () => resolve({ ws, messages }));
    ws.once("unexpected-response", (_req, res) => reject(new Error(String(res.statusCode))));
    ws.once("error", reject);
  });
}

/** Status of a GET with exactly these headers (fetch will not send a Host of our choosing). */
function status(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path: "/", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once("error", reject);
  });
}

describe("WebSocketHub", () => {
  it("serves the page at / and sends hello, the snapshot, then broadcasts at /ws (loopback)", async () => {
    hub = await WebSocketHub.start<Message>({
      port: 0,
      page: site,
      version: "9.9.9",
      snapshot: () => [{ type: "health", bodies: {} }],
    });
    const page = await fetch(`http://127.0.0.1:${hub.port}/`);
    expect([page.status, await page.text()]).toEqual([200, "<h1>rigwatch</h1>"]);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("set-cookie")).toBeNull();
    expect((await fetch(`http://127.0.0.1:${hub.port}/main.js`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${hub.port}/nope`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${hub.port}/`, { method: "POST" })).status).toBe(405);
    const connecting = Date.now();
    const a = await connect(`ws://127.0.0.1:${hub.port}/ws`);
    const b = await connect(`ws://127.0.0.1:${hub.port}/ws`);
    hub.broadcast({ type: "alarm", id: "ot_loss:sensor_left:1", state: "raised" });
    // NatNet's 64-bit clock fields: numbers when exact, strings when not.
    hub.broadcast({ type: "natnet", clock: 10000000n, huge: 2n ** 64n - 1n });
    await waitFor(() => a.messages.length === 4 && b.messages.length === 4, "both clients' messages");
    const received = Date.now();
    expect(a.messages).toEqual([
      { type: "hello", version: "9.9.9", now: expect.any(String), tokenRequired: false, snapshot: 1 },
      { type: "health", bodies: {} },
      { type: "alarm", id: "ot_loss:sensor_left:1", state: "raised" },
      { type: "natnet", clock: 10000000, huge: "18446744073709551615" },
    ]);
    // The hub's wall clock when it greeted the client: between asking and hearing, on the same clock.
    const helloAt = Date.parse((a.messages[0] as { now: string }).now);
    expect(helloAt).toBeGreaterThanOrEqual(connecting);
    expect(helloAt).toBeLessThanOrEqual(received);
    expect(b.messages.slice(1)).toEqual(a.messages.slice(1));
    a.ws.close();
    b.ws.close();
  });

  it("says its own version in hello when none is given", async () => {
    hub = await WebSocketHub.start<Message>({ port: 0, page: site, snapshot: () => [] });
    const client = await connect(`ws://127.0.0.1:${hub.port}/ws`);
    await waitFor(() => client.messages.length === 1, "hello");
    expect(client.messages[0]).toMatchObject({ type: "hello", version: "0.1.0", snapshot: 0 });
    client.ws.close();
  });

  it("with a token, refuses clients without it; the page sets a cookie its own files may use, /ws may not", async () => {
    hub = await WebSocketHub.start<Message>({
      port: 0,
      host: "127.0.0.1",
      token: "s3cret",
      page: site,
      snapshot: () => [],
    });
    const base = `http://127.0.0.1:${hub.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/main.js`)).status).toBe(401);
    const page = await fetch(`${base}/?token=s3cret`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get("set-cookie") ?? "";
    expect(cookie).toBe("rigwatch_token=s3cret; Path=/; HttpOnly; SameSite=Strict");
    const jar = cookie.split(";")[0] as string;
    expect((await fetch(`${base}/main.js`, { headers: { cookie: jar } })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: { cookie: jar } })).status).toBe(401);
    expect((await fetch(`${base}/main.js`, { headers: { cookie: "rigwatch_token=wrong!" } })).status).toBe(
      401,
    );
    expect((await fetch(`${base}/`, { headers: { authorization: "Bearer s3cret" } })).status).toBe(200);
    await expect(connect(`ws://127.0.0.1:${hub.port}/ws`)).rejects.toThrow("401");
    await expect(connect(`ws://127.0.0.1:${hub.port}/ws`, { cookie: jar })).rejects.toThrow("401");
    await expect(connect(`ws://127.0.0.1:${hub.port}/ws?token=wrong!`)).rejects.toThrow("401");
    const ok = await connect(`ws://127.0.0.1:${hub.port}/ws?token=s3cret`);
    await waitFor(() => ok.messages.length === 1, "hello");
    expect(ok.messages[0]).toMatchObject({ type: "hello", tokenRequired: true });
    ok.ws.close();
  });

  it("without a token, refuses names other than loopback's (DNS rebinding) and other origins' pages", async () => {
    hub = await WebSocketHub.start<Message>({ port: 0, page: site, snapshot: () => [] });
    const base = `http://127.0.0.1:${hub.port}`;
    expect(await status(hub.port, { host: `rigwatch.evil.example:${hub.port}` })).toBe(403);
    expect(await status(hub.port, { host: `localhost:${hub.port}` })).toBe(200);
    expect(await status(hub.port, { host: `[::1]:${hub.port}` })).toBe(200);
    await expect(connect(`ws://127.0.0.1:${hub.port}/ws`, { origin: "http://evil.example" })).rejects.toThrow(
      "403",
    );
    const same = await connect(`ws://127.0.0.1:${hub.port}/ws`, { origin: base });
    same.ws.close();
  });

  it("binds to loopback only when no token is configured", async () => {
    hub = await WebSocketHub.start<Message>({ port: 0, page: site, snapshot: () => [] });
    const address = (hub as unknown as { server: { address(): { address: string } } }).server.address();
    expect(address.address).toBe("127.0.0.1");
  });
});
