import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { waitFor } from "./helpers/waitFor.js";
import { WebSocketHub } from "../sinks/WebSocketHub.js";

let hub: WebSocketHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

function connect(url: string): Promise<{ ws: WebSocket; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: unknown[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(String(data))));
    ws.once("open", () => resolve({ ws, messages }));
    ws.once("unexpected-response", (_req, res) => reject(new Error(String(res.statusCode))));
    ws.once("error", reject);
  });
}

describe("WebSocketHub", () => {
  it("serves the page at / and streams the snapshot then broadcasts at /ws (loopback)", async () => {
    hub = await WebSocketHub.start({
      port: 0,
      page: () => "<h1>rigwatch</h1>",
      snapshot: () => [{ type: "hello" }],
    });
    const page = await fetch(`http://127.0.0.1:${hub.port}/`);
    expect([page.status, await page.text()]).toEqual([200, "<h1>rigwatch</h1>"]);
    expect((await fetch(`http://127.0.0.1:${hub.port}/nope`)).status).toBe(404);
    const a = await connect(`ws://127.0.0.1:${hub.port}/ws`);
    const b = await connect(`ws://127.0.0.1:${hub.port}/ws`);
    hub.broadcast({ type: "alarm", id: "ot_loss:sensor_left:1", state: "raised" });
    // NatNet's 64-bit clock fields: numbers when exact, strings when not.
    hub.broadcast({ type: "natnet", clock: 10000000n, huge: 2n ** 64n - 1n });
    await waitFor(() => a.messages.length === 3 && b.messages.length === 3, "both clients' messages");
    expect(a.messages).toEqual([
      { type: "hello" },
      { type: "alarm", id: "ot_loss:sensor_left:1", state: "raised" },
      { type: "natnet", clock: 10000000, huge: "18446744073709551615" },
    ]);
    expect(b.messages).toEqual(a.messages);
    a.ws.close();
    b.ws.close();
  });

  it("with a token, refuses clients without it", async () => {
    hub = await WebSocketHub.start({
      port: 0,
      host: "127.0.0.1",
      token: "s3cret",
      page: () => "ok",
      snapshot: () => [],
    });
    expect((await fetch(`http://127.0.0.1:${hub.port}/`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${hub.port}/?token=s3cret`)).status).toBe(200);
    await expect(connect(`ws://127.0.0.1:${hub.port}/ws`)).rejects.toThrow("401");
    await expect(connect(`ws://127.0.0.1:${hub.port}/ws?token=wrong!`)).rejects.toThrow("401");
    const ok = await connect(`ws://127.0.0.1:${hub.port}/ws?token=s3cret`);
    ok.ws.close();
  });

  it("binds to loopback only when no token is configured", async () => {
    hub = await WebSocketHub.start({ port: 0, page: () => "ok", snapshot: () => [] });
    const address = (hub as unknown as { server: { address(): { address: string } } }).server.address();
    expect(address.address).toBe("127.0.0.1");
  });
});
