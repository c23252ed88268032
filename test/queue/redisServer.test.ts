import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisServer } from "../helpers/RedisServer.js";

describe("RedisServer (the queue tests' real Redis)", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => server?.stop());

  it("answers on its port, and a restart on the same port drops the data (no persistence)", async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    try {
      await client.set("k", "v");
      expect(await client.get("k")).toBe("v");
      await server.restart();
      expect(await client.get("k")).toBeNull(); // reconnected to the new server, which starts empty
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
    }
  });
});
