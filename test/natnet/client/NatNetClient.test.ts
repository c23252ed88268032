import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import type { PoseSample } from "../../../detectors/samples.js";
import {
  NatNetClient,
  type NatNetClientOptions,
  type NatNetStatus,
} from "../../../hw/natnet/client/index.js";
import {
  encodeFrame,
  encodeServerInfo,
  FrameParams,
  natnetVersion,
  type NatNetVersion,
} from "../../../hw/natnet/index.js";
import { freePort } from "../../helpers/freePort.js";
import { frameOf, rigidBody, TestServer, waitFor } from "./helpers/TestServer.js";

const f32 = (x: number): number => Math.fround(x);

interface Harness {
  server: TestServer;
  client: NatNetClient;
  samples: PoseSample[];
  statuses: NatNetStatus[];
  logs: string[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  version: NatNetVersion,
  options: Partial<NatNetClientOptions> = {},
  bodies = [
    { id: 2, name: "sensor_left" },
    { id: 7, name: "sensor_right" },
  ],
): Promise<Harness> {
  const multicast =
    options.mode === "multicast"
      ? { group: options.multicastGroup ?? "239.255.42.99", port: options.dataPort ?? 1511 }
      : undefined;
  const server = new TestServer(version, bodies, multicast);
  await server.start();
  cleanups.push(() => server.stop());
  let rx = 100;
  const logs: string[] = [];
  const client = new NatNetClient({
    serverAddress: "127.0.0.1",
    commandPort: server.port,
    keepAliveMs: 50,
    // Silence is the subject of a few tests, which set 200 ms; elsewhere a busy machine's pause
    // between two steps must not count as Motive going quiet.
    silenceMs: 10_000,
    reconnectMinMs: 20,
    reconnectMaxMs: 100,
    modelDefMinIntervalMs: 50,
    clock: () => (rx += 0.5),
    log: (message) => logs.push(message),
    ...options,
  });
  cleanups.push(() => client.close());
  const samples: PoseSample[] = [];
  const statuses: NatNetStatus[] = [];
  client.samples$.subscribe((sample) => samples.push(sample));
  client.status$.subscribe((status) => statuses.push(status));
  await client.start();
  await waitFor(
    () => client.bodyNames.size === bodies.length && server.client !== undefined,
    "model definitions",
  );
  return { server, client, samples, statuses, logs };
}

/** The states seen, leaving out "reconnecting": a loaded machine may answer a connect after its retry. */
const states = (statuses: readonly NatNetStatus[]): string[] =>
  statuses.map((s) => s.state).filter((state) => state !== "reconnecting");

describe.each([natnetVersion(3, 0), natnetVersion(4, 1)])("NatNetClient, NatNet %o (unicast)", (version) => {
  it("connects, fetches model definitions and emits exact PoseSamples", async () => {
    const { server, client, samples, statuses } = await setUp(version);
    expect(states(statuses)).toEqual(["connecting", "connected"]);
    const connected = statuses.at(-1);
    expect(connected?.state === "connected" && connected.serverInfo.natnetVersion).toEqual(version);
    expect(server.received[0]).toBe("connect");
    expect(server.received.indexOf("requestModelDef")).toBeGreaterThan(0); // after the ServerInfo

    server.sendFrame(
      frameOf(1000, 12.5, [
        rigidBody(2, [0.1, 1.25, -0.5], [0, 0, 0, 1], true, 0.001),
        rigidBody(7, [-1, 2, 3.5], [0.5, 0.5, 0.5, 0.5], false, 0.25),
      ]),
    );
    await waitFor(() => samples.length === 2, "two samples");
    expect(samples).toEqual([
      {
        body: "sensor_left",
        t: 12.5,
        rx: 100.5,
        position: [f32(0.1), 1.25, -0.5],
        quaternion: [0, 0, 0, 1],
        valid: true,
        meanMarkerError: f32(0.001),
      },
      {
        body: "sensor_right",
        t: 12.5,
        rx: 100.5,
        position: [-1, 2, 3.5],
        quaternion: [0.5, 0.5, 0.5, 0.5],
        valid: false,
        meanMarkerError: 0.25,
      },
    ]);
    expect(client.counters.frames).toBe(1);
    expect(client.counters.garbage).toBe(0);
  });

  it("sends keep-alives while connected", async () => {
    const { server } = await setUp(version);
    await waitFor(() => server.count("keepAlive") >= 2, "two keep-alives");
  });

  it("counts and ignores garbage datagrams, logging at a bounded rate", async () => {
    const { server, client, samples, logs } = await setUp(version);
    server.sendRaw(new Uint8Array([1, 2, 3])); // shorter than a header
    server.sendRaw(new Uint8Array([7, 0, 40, 0, 1, 2, 3, 4])); // frame claiming 40 bytes, has 4
    server.sendRaw(new Uint8Array([7, 0, 4, 0, 1, 0, 0, 0])); // frame number only: truncated
    server.sendFrame(frameOf(1, 1, [rigidBody(2, [1, 2, 3], [0, 0, 0, 1], true)]));
    await waitFor(() => samples.length === 1, "the valid frame after the garbage");
    expect(client.counters.garbage).toBe(3);
    expect(samples[0]?.position).toEqual([1, 2, 3]);
    expect(logs.filter((line) => line.includes("undecodable"))).toHaveLength(1);
    expect(client.currentStatus.state).toBe("connected");
  });

  it("ignores datagrams from any other port: a forged ServerInfo is never taken for Motive", async () => {
    const { server, client, samples, statuses, logs } = await setUp(version, { silenceMs: 10_000 });
    const forger = dgram.createSocket({ type: "udp4" });
    cleanups.push(() => new Promise<void>((resolve) => forger.close(() => resolve())));
    await new Promise<void>((resolve) => forger.bind(0, "127.0.0.1", () => resolve()));
    const target = client.commandSocketPort as number;
    const forged = encodeServerInfo({
      type: "serverInfo",
      name: "Forged",
      appVersion: { major: 9, minor: 9, build: 9, revision: 9 },
      natnetVersion: natnetVersion(2, 5),
      highResClockFrequency: 1n,
      dataPort: 1511,
      multicast: false,
      multicastAddress: "0.0.0.0",
    });
    const seen = statuses.length;
    for (let i = 0; i < 50; i++) forger.send(forged, target, "127.0.0.1");
    forger.send(
      encodeFrame(version, frameOf(1, 1, [rigidBody(2, [9, 9, 9], [0, 0, 0, 1], true)])),
      target,
      "127.0.0.1",
    );
    await waitFor(() => client.counters.foreign === 51, "the forged datagrams");
    server.sendFrame(frameOf(2, 2, [rigidBody(2, [1, 2, 3], [0, 0, 0, 1], true)]));
    await waitFor(() => samples.length === 1, "the server's frame");
    expect(client.counters.foreign).toBe(51);
    expect(samples.map((s) => s.position)).toEqual([[1, 2, 3]]);
    expect(statuses.slice(seen)).toEqual([]);
    const connected = client.currentStatus;
    expect(connected.state === "connected" && connected.serverInfo.name).toBe("Motive");
    expect(logs.filter((line) => line.includes("from elsewhere than the server"))).toHaveLength(1);
  });
});

describe("NatNetClient recovery", () => {
  it("re-requests model definitions for an unknown body id and names it", async () => {
    const { server, client, samples, statuses } = await setUp(natnetVersion(4, 1), { silenceMs: 10_000 });
    const before = server.count("requestModelDef");
    server.bodies = [...server.bodies, { id: 9, name: "gripper" }];
    server.sendFrame(frameOf(5, 2, [rigidBody(9, [0, 0, 1], [0, 0, 0, 1], true)]));
    await waitFor(() => client.bodyNames.get(9) === "gripper", "the new name");
    expect(server.count("requestModelDef")).toBe(before + 1);
    expect(samples).toEqual([]); // the body was unknown when its frame arrived
    expect(client.counters.unnamedBodies).toBe(1);
    server.sendFrame(frameOf(6, 2.01, [rigidBody(9, [0, 0, 1], [0, 0, 0, 1], true)]));
    await waitFor(() => samples.length === 1, "a gripper sample");
    expect(samples[0]?.body).toBe("gripper");
    expect(states(statuses)).toEqual(["connecting", "connected"]); // not recovered through silence
  });

  it("re-requests model definitions when the frame says the model list changed (bounded rate)", async () => {
    const { server, client, statuses } = await setUp(natnetVersion(3, 0), {
      modelDefMinIntervalMs: 10_000,
      silenceMs: 10_000,
    });
    const before = server.count("requestModelDef");
    server.bodies = [{ id: 2, name: "renamed" }];
    for (let i = 0; i < 5; i++) {
      server.sendFrame(
        frameOf(i, i / 120, [rigidBody(2, [0, 0, 0], [0, 0, 0, 1], true)], FrameParams.ModelListChanged),
      );
    }
    await waitFor(() => client.bodyNames.get(2) === "renamed", "the renamed body");
    await waitFor(() => client.counters.frames === 5, "all five frames");
    expect(server.count("requestModelDef")).toBe(before + 1);
    expect(states(statuses)).toEqual(["connecting", "connected"]);
  });

  it("goes silent without frames and keeps re-sending connect", async () => {
    const { server, client, statuses } = await setUp(natnetVersion(3, 0), { silenceMs: 200 });
    const connects = server.count("connect");
    await waitFor(() => client.currentStatus.state === "silent", "status silent");
    await waitFor(() => server.count("connect") >= connects + 2, "re-sent connects");
    expect(states(statuses).slice(0, 3)).toEqual(["connecting", "connected", "silent"]);
    server.sendFrame(frameOf(1, 1, [rigidBody(2, [0, 0, 0], [0, 0, 0, 1], true)]));
    await waitFor(() => client.currentStatus.state === "connected", "connected again on a frame");
  });

  it("recovers when the server restarts on the same port", async () => {
    const { server, client, samples, statuses } = await setUp(natnetVersion(4, 1), { silenceMs: 200 });
    server.sendFrame(frameOf(1, 1, [rigidBody(2, [1, 1, 1], [0, 0, 0, 1], true)]));
    await waitFor(() => samples.length === 1, "a first sample");

    await server.stop();
    await waitFor(() => client.currentStatus.state === "reconnecting", "reconnecting");
    expect(states(statuses)).toContain("silent");

    // Motive comes back with a different model list.
    server.bodies = [{ id: 2, name: "sensor_left_v2" }];
    const modelDefs = client.counters.modelDefs;
    const down = statuses.length;
    await server.start();
    await waitFor(() => server.client !== undefined, "a re-connect");
    await waitFor(() => client.counters.modelDefs > modelDefs, "model definitions fetched again");
    // Connected again (with no frames it may go silent again 200 ms later: only the history is certain).
    expect(states(statuses.slice(down))).toContain("connected");
    server.sendFrame(frameOf(2, 2, [rigidBody(2, [2, 2, 2], [0, 0, 0, 1], true)]));
    await waitFor(() => samples.length === 2, "samples resume");
    expect(samples[1]).toMatchObject({ body: "sensor_left_v2", position: [2, 2, 2], t: 2 });
  });

  it("re-reads the NatNet version when Motive comes back with another one", async () => {
    const { server, client, samples } = await setUp(natnetVersion(3, 0), { silenceMs: 200 });
    const port = server.port;
    await server.stop();
    await waitFor(() => client.currentStatus.state === "reconnecting", "reconnecting");

    const upgraded = new TestServer(natnetVersion(4, 1), [{ id: 2, name: "sensor_left" }]);
    await upgraded.start(port);
    cleanups.push(() => upgraded.stop());
    await waitFor(
      () => client.currentStatus.state === "connected" && client.bodyNames.size === 1,
      "re-connect",
    );
    const status = client.currentStatus;
    expect(status.state === "connected" && status.serverInfo.natnetVersion).toEqual(natnetVersion(4, 1));
    upgraded.sendFrame(frameOf(9, 9, [rigidBody(2, [3, 2, 1], [0, 0, 0, 1], false)]));
    await waitFor(() => samples.length === 1, "a 4.1 sample");
    expect(samples[0]).toMatchObject({ body: "sensor_left", position: [3, 2, 1], valid: false, t: 9 });
    expect(client.counters.garbage).toBe(0);
  });

  it("start() fails cleanly when the data port cannot be joined", async () => {
    const client = new NatNetClient({
      serverAddress: "127.0.0.1",
      mode: "multicast",
      dataPort: await freePort("udp"),
      multicastGroup: "10.0.0.1", // not a multicast address
    });
    await expect(client.start()).rejects.toThrow();
    expect(client.currentStatus.state).toBe("closed");
  });

  it("close() releases the socket and completes the observables", async () => {
    const { client } = await setUp(natnetVersion(3, 0));
    let completed = false;
    client.samples$.subscribe({ complete: () => (completed = true) });
    await client.close();
    expect(completed).toBe(true);
    expect(client.currentStatus.state).toBe("closed");
    expect(client.commandSocketPort).toBeUndefined();
  });
});

// The sandbox kernel delivers multicast over the loopback interface, so this runs on 127.0.0.1 too.
describe("NatNetClient multicast", () => {
  it("joins the group on the chosen interface, reads frames from the data port, commands go unicast", async () => {
    const dataPort = await freePort("udp");
    const { server, client, samples } = await setUp(natnetVersion(4, 1), {
      mode: "multicast",
      dataPort,
      multicastGroup: "239.255.42.99",
      localInterface: "127.0.0.1",
    });
    expect(server.received[0]).toBe("connect");
    expect(server.received.indexOf("requestModelDef")).toBeGreaterThan(0); // after the ServerInfo
    server.sendFrame(frameOf(3, 0.025, [rigidBody(7, [0.25, 0.5, 0.75], [0, 1, 0, 0], true, 0.5)]));
    await waitFor(() => samples.length === 1, "a multicast sample");
    expect(samples[0]).toEqual({
      body: "sensor_right",
      t: 0.025,
      rx: 100.5,
      position: [0.25, 0.5, 0.75],
      quaternion: [0, 1, 0, 0],
      valid: true,
      meanMarkerError: 0.5,
    });
    expect(server.count("keepAlive")).toBe(0); // keep-alives are for unicast only

    await client.close();
    // The data port is free again: a socket without address reuse can bind it.
    const probe = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.bind(dataPort, () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
});
