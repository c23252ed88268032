import { afterEach, describe, expect, it } from "vitest";
import type { FrameOfData, RigidBodyData } from "../../../hw/natnet/index.js";
import {
  flip180,
  type InjectedFault,
  MotiveSimulator,
  type SimClock,
  startSimulator,
} from "../../../sim/motive/index.js";
import { poll, TestClient } from "./udpClient.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setUp(options: ConstructorParameters<typeof MotiveSimulator>[0]) {
  const sim = await startSimulator({ commandPort: 0, ...options });
  open.push(sim);
  const client = await TestClient.open(sim.port);
  open.push(client);
  return { sim, client };
}

function body(frame: FrameOfData, id: number): RigidBodyData {
  const rb = frame.rigidBodies.find((b) => b.id === id);
  if (!rb) throw new Error(`frame ${frame.frameNumber} has no body ${id}`);
  return rb;
}

/**
 * A clock the test moves: the simulator's timer fires only on `advance`, so which frames were due is
 * exact whatever the machine's speed. After each period it lets the sends it queued leave (dgram sends
 * on a later turn: a restart's close in the same turn would drop them), and every 12 periods (and at
 * the end) it waits for `client`'s echo, so what was sent has arrived before more is sent.
 */
function manualClock() {
  let nowMs = 0;
  let periodMs = 1;
  let tick: (() => void) | undefined;
  const clock: SimClock = {
    now: () => nowMs,
    every: (ms, fn) => {
      periodMs = ms;
      tick = fn;
      return () => (tick = undefined);
    },
  };
  return {
    clock,
    now: () => nowMs,
    async advance(seconds: number, client: TestClient): Promise<void> {
      const steps = Math.round((seconds * 1000) / periodMs);
      for (let i = 1; i <= steps; i++) {
        nowMs += periodMs;
        tick?.();
        await new Promise((resolve) => setImmediate(resolve));
        if (i % 12 === 0 || i === steps) await client.barrier();
      }
    },
  };
}

/** Frame numbers from `first` to `last`, both included. */
const range = (first: number, last: number): number[] =>
  Array.from({ length: last - first + 1 }, (_, i) => first + i);

describe("MotiveSimulator on loopback UDP", () => {
  it.each(["3.0", "4.1"] as const)(
    "NatNet %s: server info, model definitions, echo, requests",
    async (version) => {
      const { sim, client } = await setUp({ version, rateHz: 120 });
      const info = await client.connect();
      expect(info.name).toBe("Motive");
      expect(`${info.natnetVersion.major}.${info.natnetVersion.minor}`).toBe(version);
      expect(info.highResClockFrequency).toBe(10_000_000n);
      expect(info.multicast).toBe(false);

      client.send({ type: "requestModelDef" });
      const modelDef = await client.waitFor("modelDef");
      expect(modelDef.descriptions.map((d) => (d.kind === "rigidBody" ? [d.id, d.name] : d.kind))).toEqual([
        [1, "motherboard"],
        [2, "sensor_left"],
        [3, "sensor_right"],
      ]);

      client.send({ type: "echoRequest", clientTimestamp: 123456789n });
      const echo = await client.waitFor("echoResponse");
      expect(echo.clientTimestamp).toBe(123456789n);
      expect(echo.serverReceiveTimestamp > 0n).toBe(true);

      client.send({ type: "request", command: "FrameRate" });
      const response = await client.waitFor("response");
      expect(response.float32).toBe(120);
      expect(sim.clientCount).toBe(1);
    },
  );

  it.each([120, 240])(
    "streams frames at %i Hz of its clock with increasing numbers and timestamps",
    async (rateHz) => {
      const time = manualClock();
      const { sim, client } = await setUp({ version: "4.1", rateHz, clock: time.clock });
      await client.connect();
      await time.advance(0.5, client);
      const frames = client.frames();
      // Frame 1 at t = 0, then one every 1/rateHz: half a second holds rateHz / 2 more.
      expect(frames.map((f) => f.frameNumber)).toEqual(range(1, 1 + rateHz / 2));
      for (const f of frames) {
        expect(f.timestamp).toBeCloseTo(sim.timeOfFrame(f.frameNumber), 9);
        expect(f.rigidBodies.map((b) => b.id)).toEqual([1, 2, 3]);
        expect(f.rigidBodies.every((b) => b.trackingValid)).toBe(true);
        // clean poses match the simulator's ground truth (float32 on the wire)
        const truth = sim.poseAt(1, f.frameNumber);
        body(f, 1).position.forEach((v, k) => expect(v).toBeCloseTo(truth.position[k]!, 5));
      }
      // smooth: consecutive frames move by millimetres at most
      for (let i = 1; i < frames.length; i++) {
        const a = body(frames[i - 1]!, 1).position;
        const b = body(frames[i]!, 1).position;
        expect(Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2])).toBeLessThan(0.01);
      }
    },
  );

  it("streams only to connected clients, stops on disconnect and ignores junk", async () => {
    const time = manualClock();
    const { sim, client } = await setUp({ rateHz: 240, clock: time.clock });
    const bystander = await TestClient.open(sim.port);
    open.push(bystander);
    bystander.sendRaw(new Uint8Array([7, 0, 200, 0, 1, 2, 3])); // junk to the command port
    await client.connect();
    await time.advance(0.1, client);
    expect(client.frames().map((f) => f.frameNumber)).toEqual(range(1, 25));
    await bystander.barrier();
    expect(bystander.messages().map((m) => m.type)).toEqual(["echoResponse"]);
    client.send({ type: "disconnect" });
    await poll(() => sim.clientCount === 0, 30_000, "disconnect");
    const count = client.received.length;
    await time.advance(0.1, client); // 24 more frames made, none sent to a client that left
    expect(sim.framesSent).toBe(49);
    expect(
      client
        .messages()
        .slice(count)
        .map((m) => m.type),
    ).toEqual(Array<string>(client.received.length - count).fill("echoResponse"));
  });

  it("rejects bad fault schedules", () => {
    expect(() => new MotiveSimulator({ faults: [{ at: 1, fault: "teleport", body: 9 }] })).toThrow(
      RangeError,
    );
    expect(() => new MotiveSimulator({ faults: [{ at: -1, fault: "silence" }] })).toThrow(RangeError);
    expect(() => new MotiveSimulator({ faults: [{ at: 1, fault: "silence", durationS: 0 }] })).toThrow(
      RangeError,
    );
  });

  it("is deterministic for a seed", () => {
    const a = new MotiveSimulator({ seed: 7 });
    const b = new MotiveSimulator({ seed: 7 });
    const c = new MotiveSimulator({ seed: 8 });
    expect(a.poseAt(2, 500)).toEqual(b.poseAt(2, 500));
    expect(a.poseAt(2, 500)).not.toEqual(c.poseAt(2, 500));
  });

  it("injects every scripted fault, visible exactly in the decoded frames", async () => {
    const rateHz = 120;
    const time = manualClock();
    const { sim, client } = await setUp({
      version: "4.1",
      rateHz,
      clock: time.clock,
      faults: [
        { at: 0.3, fault: "trackingLost", body: 2, durationS: 0.2 },
        { at: 0.3, fault: "heldPose", body: 3, durationS: 0.2 },
        { at: 0.6, fault: "teleport", body: 1 },
        { at: 0.8, fault: "rotationFlip", body: 2 },
        { at: 1.0, fault: "silence", durationS: 0.3 },
        { at: 1.35, fault: "rest", body: 3, durationS: 0.1 },
        { at: 1.5, fault: "garbage", count: 3 },
        { at: 1.7, fault: "serverRestart", durationS: 0.3 },
      ],
    });
    await client.connect();
    await time.advance(2.5, client); // frames 1 to 301

    const frames = client.frames();
    const byNumber = new Map(frames.map((f) => [f.frameNumber, f]));
    const at = (n: number): FrameOfData => {
      const f = byNumber.get(n);
      if (!f) throw new Error(`frame ${n} not received`);
      return f;
    };
    const truth = (fault: string): InjectedFault => {
      const t = sim.injected.find((i) => i.fault === fault);
      if (!t) throw new Error(`${fault} not recorded`);
      return t;
    };
    expect(sim.injected.map((i) => i.fault)).toEqual([
      "trackingLost",
      "heldPose",
      "teleport",
      "rotationFlip",
      "silence",
      "rest",
      "garbage",
      "serverRestart",
    ]);
    for (const i of sim.injected) {
      expect(i.startTimeS).toBeCloseTo(sim.timeOfFrame(i.startFrame), 9);
      expect(i.wallSentAt).toBeGreaterThan(0);
    }
    const dur = (s: number) => Math.round(s * rateHz);

    // tracking lost: valid bit cleared, pose stays at the last tracked value
    const lost = truth("trackingLost");
    expect(lost.body).toBe(2);
    expect(lost.startFrame).toBe(1 + Math.ceil(0.3 * rateHz));
    const before = body(at(lost.startFrame - 1), 2);
    expect(before.trackingValid).toBe(true);
    for (let n = lost.startFrame; n < lost.startFrame + dur(0.2); n++) {
      const rb = body(at(n), 2);
      expect(rb.trackingValid).toBe(false);
      expect(rb.params! & 1).toBe(0);
      expect(rb.position).toEqual(before.position);
      expect(rb.orientation).toEqual(before.orientation);
    }
    expect(body(at(lost.startFrame + dur(0.2)), 2).trackingValid).toBe(true);

    // held pose: valid bit set, pose bitwise frozen, moving again afterwards
    const held = truth("heldPose");
    const heldRef = body(at(held.startFrame - 1), 3);
    for (let n = held.startFrame; n < held.startFrame + dur(0.2); n++) {
      const rb = body(at(n), 3);
      expect(rb.trackingValid).toBe(true);
      expect(rb.position).toEqual(heldRef.position);
      expect(rb.orientation).toEqual(heldRef.orientation);
    }
    expect(body(at(held.startFrame + dur(0.2)), 3).position).not.toEqual(heldRef.position);

    // rest: the body stops where the frame before left it (bitwise), then moves on from there
    const rest = truth("rest");
    const restRef = body(at(rest.startFrame - 1), 3);
    for (let n = rest.startFrame; n < rest.startFrame + dur(0.1); n++) {
      expect(body(at(n), 3).position).toEqual(restRef.position);
      expect(body(at(n), 3).orientation).toEqual(restRef.orientation);
    }
    const resumed3 = body(at(rest.startFrame + dur(0.1)), 3).position;
    const next = sim.poseAt(3, rest.startFrame).position; // one frame on from where it stopped
    resumed3.forEach((v, k) => expect(v).toBeCloseTo(next[k]!, 5));

    // teleport: a 0.3 m jump for exactly 2 frames
    const tp = truth("teleport");
    for (const n of [tp.startFrame, tp.startFrame + 1]) {
      const p = body(at(n), 1).position;
      const clean = sim.poseAt(1, n).position;
      expect(p[0] - clean[0]).toBeCloseTo(0.3, 5);
      expect(p[1] - clean[1]).toBeCloseTo(0, 5);
      expect(p[2] - clean[2]).toBeCloseTo(0, 5);
    }
    for (const n of [tp.startFrame - 1, tp.startFrame + 2]) {
      expect(body(at(n), 1).position[0]).toBeCloseTo(sim.poseAt(1, n).position[0], 5);
    }

    // rotation flip: 180° about the body's z axis for 2 frames
    const flip = truth("rotationFlip");
    for (const n of [flip.startFrame, flip.startFrame + 1]) {
      const q = body(at(n), 2).orientation;
      const expected = flip180(sim.poseAt(2, n).orientation);
      q.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 5));
      const clean = sim.poseAt(2, n).orientation;
      const dot = q.reduce((acc, v, k) => acc + v * clean[k]!, 0);
      expect(Math.abs(dot)).toBeLessThan(0.5); // far from the true rotation
    }
    const after = body(at(flip.startFrame + 2), 2).orientation;
    after.forEach((v, k) => expect(v).toBeCloseTo(sim.poseAt(2, flip.startFrame + 2).orientation[k]!, 5));

    // silence: no frames at all for 0.3 s, then frames again
    const silence = truth("silence");
    const silent = frames.filter(
      (f) => f.frameNumber >= silence.startFrame && f.frameNumber < silence.startFrame + dur(0.3),
    );
    expect(silent).toEqual([]);
    expect(byNumber.has(silence.startFrame - 1)).toBe(true);
    expect(byNumber.has(silence.startFrame + dur(0.3))).toBe(true);

    // garbage: the random datagrams do not decode
    expect(client.undecodable().length).toBe(3);

    // restart: no frames while down, frames resume with continuing numbers
    const restart = truth("serverRestart");
    const down = frames.filter(
      (f) => f.frameNumber >= restart.startFrame && f.frameNumber < restart.startFrame + dur(0.3),
    );
    expect(down).toEqual([]);
    const resumed = frames.filter((f) => f.frameNumber >= restart.startFrame + dur(0.3));
    expect(resumed.map((f) => f.frameNumber)).toEqual(range(restart.startFrame + dur(0.3), 301));

    // Every frame due was received but those of the silence and the restart.
    const missing = (n: number) =>
      (n >= silence.startFrame && n < silence.startFrame + dur(0.3)) ||
      (n >= restart.startFrame && n < restart.startFrame + dur(0.3));
    expect(frames.map((f) => f.frameNumber)).toEqual(range(1, 301).filter((n) => !missing(n)));
  });

  it("streams to a multicast group", async () => {
    const dgram = await import("node:dgram");
    const port = 40000 + Math.floor(Math.random() * 20000);
    const group = "239.255.42.99";
    const listener = dgram.createSocket({ type: "udp4", reuseAddr: true });
    const got: Buffer[] = [];
    listener.on("message", (m) => got.push(m));
    await new Promise<void>((resolve) => listener.bind(port, () => resolve()));
    listener.addMembership(group, "127.0.0.1");
    open.push({ close: () => new Promise<void>((resolve) => listener.close(() => resolve())) });
    const sim = await startSimulator({
      commandPort: 0,
      rateHz: 120,
      multicast: { group, port, interface: "127.0.0.1" },
    });
    open.push(sim);
    expect(sim.serverInfo().multicast).toBe(true);
    await poll(() => got.length >= 10, 30_000, "multicast frames");
  });

  it("holds a fault from the next frame until told to end it", async () => {
    const time = manualClock();
    const { sim, client } = await setUp({ version: "4.1", rateHz: 120, clock: time.clock });
    await client.connect();
    await time.advance(0.1, client); // frames 1 to 13
    const endLoss = sim.hold("trackingLost", 2);
    await time.advance(0.1, client); // 14 to 25: sensor_left lost
    endLoss();
    const endSilence = sim.hold("silence");
    await time.advance(0.1, client); // 26 to 37: nothing sent
    endSilence();
    await time.advance(0.1, client); // 38 to 49
    const frames = client.frames();
    expect(frames.map((f) => f.frameNumber)).toEqual([...range(1, 25), ...range(38, 49)]);
    expect(frames.filter((f) => !body(f, 2).trackingValid).map((f) => f.frameNumber)).toEqual(range(14, 25));
    expect(sim.injected.map((i) => [i.fault, i.body, i.startFrame])).toEqual([
      ["trackingLost", 2, 14],
      ["silence", undefined, 26],
    ]);
    expect(() => sim.hold("heldPose", 9)).toThrow(RangeError);
  });

  it("runs on an injected clock", async () => {
    let nowMs = 0;
    let tick: (() => void) | undefined;
    const clock: SimClock = {
      now: () => nowMs,
      every: (_ms, fn) => {
        tick = fn;
        return () => (tick = undefined);
      },
    };
    const sim = await startSimulator({
      commandPort: 0,
      rateHz: 240,
      clock,
      faults: [{ at: 0.1, fault: "silence", durationS: 0.1 }],
    });
    open.push(sim);
    expect(sim.framesSent).toBe(0);
    nowMs = 0;
    tick?.();
    expect(sim.framesSent).toBe(1); // frame 1 at t = 0
    for (let i = 1; i <= 240; i++) {
      nowMs = (i * 1000) / 240;
      tick?.();
    }
    // 241 frames due in [0, 1 s], 24 of them silenced
    expect(sim.framesSent).toBe(241 - 24);
    expect(sim.injected).toEqual([
      expect.objectContaining({ fault: "silence", startFrame: 25, startTimeS: 0.1 }),
    ]);
  });
});
