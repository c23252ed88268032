import { afterEach, describe, expect, it } from "vitest";
import { Publisher } from "zeromq";
import { encodeTapMessage } from "../../hw/tap/encodeTapMessage.js";
import type { TapMessage } from "../../hw/tap/protocol.js";
import { type TapNotice, TapSubscriber } from "../../hw/tap/TapSubscriber.js";
import { waitFor } from "../helpers/waitFor.js";

const THUMB = new Uint8Array(128 * 128 * 3);
const header = (json: object): Buffer => Buffer.from(JSON.stringify(json));

/**
 * A hostile publisher on the tap's real ZeroMQ socket: every message that does not decode or cannot
 * be believed is counted by reason and dropped, and none of them changes the sender, the loss count,
 * the recorder's drop counter or reaches the detectors (messages$).
 */
describe("the tap under hostile messages", () => {
  let pub: Publisher | undefined;
  let subscriber: TapSubscriber | undefined;
  afterEach(async () => {
    await subscriber?.close();
    pub?.close();
  });

  it("refuses rig-foreign names, absurd counters and times, steps back and a second sender, each counted", async () => {
    pub = new Publisher({ linger: 0 });
    await pub.bind("tcp://127.0.0.1:*");
    subscriber = new TapSubscriber({
      endpoint: pub.lastEndpoint as string,
      silentAfterS: 60,
      clock: () => Date.now() / 1000,
    });
    const received: TapMessage[] = [];
    const notices: TapNotice[] = [];
    subscriber.messages$.subscribe(({ message }) => received.push(message));
    subscriber.notices$.subscribe((n) => notices.push(n));
    subscriber.start();

    let seq = 0;
    const env = (over: object = {}) => ({
      v: 1,
      sender: "rec1",
      seq,
      t: Date.now() / 1000,
      dropped: 0,
      ...over,
    });
    const tick = (over: object = {}): TapMessage => ({
      topic: "tick",
      ...env(),
      frame: seq,
      ts: Date.now() / 1000,
      episode: null,
      streams: [],
      ...over,
    });
    // ZeroMQ drops what is published before the subscription reaches the publisher: say hello until heard.
    while (received.length === 0) {
      await pub.send(encodeTapMessage({ topic: "bye", ...env() }));
      seq++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const greeted = received.length;
    const hostile: Buffer[][] = [
      // Stream names outside the rig (an object's own key, an unknown camera) and a body named __proto__.
      [
        Buffer.from("tick"),
        header({
          ...env(),
          frame: 1,
          ts: Date.now() / 1000,
          episode: null,
          streams: [{ name: "__proto__", hash: "h" }],
        }),
        Buffer.from(THUMB),
      ],
      [
        Buffer.from("tick"),
        header({
          ...env(),
          frame: 1,
          ts: Date.now() / 1000,
          episode: null,
          streams: [{ name: "cam9", hash: "h" }],
        }),
        Buffer.from(THUMB),
      ],
      [
        Buffer.from("hello"),
        header({
          ...env(),
          rig: { streams: [], bodies: ["__proto__"], active_sensors: [], fps: 30 },
          recording: null,
        }),
      ],
      // A counter no double holds exactly.
      [Buffer.from("bye"), header(env({ dropped: 1e300 }))],
      // Believable as JSON, not as a recorder: a tick from a million seconds ahead, a counter leaping, seq stepping back, another sender.
      encodeTapMessage(tick({ ts: Date.now() / 1000 + 1e6 })),
      encodeTapMessage({ topic: "bye", ...env({ dropped: 2 ** 50 }) }),
      encodeTapMessage({ topic: "bye", ...env({ seq: 0 }) }),
      encodeTapMessage({ topic: "bye", ...env({ seq: seq + 10_000_000 }) }),
      encodeTapMessage({ topic: "bye", ...env({ sender: "intruder", seq: 0 }) }),
      encodeTapMessage({ topic: "bye", ...env({ sender: "intruder", seq: 1 }) }),
    ].map((parts) => parts.map((p) => Buffer.from(p)));
    for (const parts of hostile) await pub.send(parts);
    await pub.send(encodeTapMessage(tick({ frame: 777 })));
    await waitFor(
      () => received.some((m) => m.topic === "tick"),
      "the honest tick after the hostile ones",
      5000,
    );

    expect(received.slice(greeted).map((m) => [m.topic, m.sender, m.seq])).toEqual([["tick", "rec1", seq]]);
    const status = subscriber.status;
    expect(status).toMatchObject({
      state: "connected",
      sender: "rec1",
      lost: 0,
      recorderDropped: 0,
      rejected: 10,
    });
    expect(status.rejectedBy).toEqual({
      malformed: 4,
      time: 1,
      counter: 1,
      seq_back: 1,
      seq_jump: 1,
      second_sender: 2,
    });
    // Said once each on notices$ (the daemon logs them at a bounded rate); no restart, no gap.
    expect(notices.filter((n) => n.type !== "rejected").map((n) => n.type)).toEqual(["found"]);
    expect(notices.flatMap((n) => (n.type === "rejected" ? [n.reason] : []))).toEqual([
      "malformed",
      "malformed",
      "malformed",
      "malformed",
      "time",
      "counter",
      "seq_back",
      "seq_jump",
      "second_sender",
      "second_sender",
    ]);
    const names = notices.flatMap((n) => (n.type === "rejected" ? [n.error] : []));
    expect(names[0]).toContain('tap message "tick.streams[0]": name must be one of the rig\'s streams');
    expect(names[2]).toContain(
      'tap message "hello.rig": bodies[0] must be a name of 1–64 printable characters, got "__proto__"',
    );
    expect(names[3]).toContain("dropped must be a non-negative integer below 2^53, got 1e+300");
  }, 15_000);
});
