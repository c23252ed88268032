import { describe, expect, it } from "vitest";
import { TapFollower } from "../../daemon/TapFollower.js";
import type { TapMessage } from "../../hw/tap/protocol.js";

let seq = 0;
const env = (sender = "rec1") => ({ v: 1, sender, seq: seq++, t: 1000, dropped: 0 });
const rig = {
  streams: [],
  bodies: ["motherboard", "sensor_left", "sensor_right"],
  activeSensors: ["left"],
  fps: 30,
};
const hello = (recording: { episode: number; path: string } | null, sender = "rec1"): TapMessage => ({
  topic: "hello",
  ...env(sender),
  rig,
  recording: recording && { ...recording, startedTs: 990 },
});
const start = (episode: number): TapMessage => ({
  topic: "episode_start",
  ...env(),
  episode,
  path: `/d/episode_00${episode}.h5`,
  ts: 1000 + episode,
});
const end = (episode: number): TapMessage => ({
  topic: "episode_end",
  ...env(),
  episode,
  path: `/d/episode_00${episode}.h5`,
  ts: 1010 + episode,
  framesWritten: 300,
  framesDropped: 1,
});

describe("take lifecycle: idle → take → between takes → session closed", () => {
  it("follows takes and closes the session on the recorder's bye", () => {
    const f = new TapFollower(900, () => new Date(0));
    expect(f.lifecycle.state).toBe("idle");
    f.onReceived({ message: hello(null), rx: 0 });
    const started = f.onReceived({ message: start(1), rx: 1 });
    expect(f.lifecycle.state).toBe("take");
    // The detectors get the take's start with the gate on and the active bodies from the hello.
    expect(started.inputs).toEqual([
      {
        type: "episode_start",
        t: 1001,
        episode: 1,
        path: "/d/episode_001.h5",
        activeBodies: ["motherboard", "sensor_left"],
        gate: true,
      },
    ]);
    expect(f.lifecycle.view(4.25)).toEqual({
      state: "take",
      episode: 1,
      path: "/d/episode_001.h5",
      startedAt: "1970-01-01T00:00:00.000Z",
      elapsedS: 3.3,
    });
    const ended = f.onReceived({ message: end(1), rx: 11 });
    expect(ended.events).toEqual([
      {
        type: "episode_closed",
        episode: 1,
        path: "/d/episode_001.h5",
        framesWritten: 300,
        framesDropped: 1,
        interrupted: false,
      },
    ]);
    expect(f.lifecycle.view(12)).toEqual({
      state: "between",
      episode: 1,
      path: "/d/episode_001.h5",
      framesWritten: 300,
      framesDropped: 1,
    });
    f.onReceived({ message: start(2), rx: 20 });
    f.onReceived({ message: end(2), rx: 30 });
    const bye = f.onReceived({ message: { topic: "bye", ...env() }, rx: 31 });
    expect(f.lifecycle.state).toBe("closed");
    expect(bye.events).toEqual([
      {
        type: "session_closed",
        reason: "recorder_quit",
        episodes: ["/d/episode_001.h5", "/d/episode_002.h5"],
      },
    ]);
    // A new take after the close starts a new session.
    f.onReceived({ message: start(3), rx: 40 });
    f.onReceived({ message: end(3), rx: 50 });
    expect(
      f.onReceived({ message: { topic: "session_end", ...env(), reason: "operator" }, rx: 51 }).events,
    ).toEqual([{ type: "session_closed", reason: "operator", episodes: ["/d/episode_003.h5"] }]);
  });

  it("closes the session after the idle timeout between takes, once", () => {
    const f = new TapFollower(600);
    f.onReceived({ message: start(1), rx: 0 });
    expect(f.onClock(500).events).toEqual([]);
    f.onReceived({ message: end(1), rx: 10 });
    expect(f.onClock(609.9).events).toEqual([]);
    expect(f.onClock(610).events).toEqual([
      { type: "session_closed", reason: "idle_timeout", episodes: ["/d/episode_001.h5"] },
    ]);
    expect(f.onClock(2000).events).toEqual([]);
  });

  it("joins a take already running (the daemon restarted mid-take) without a start gate", () => {
    const f = new TapFollower(900);
    const joined = f.onReceived({ message: hello({ episode: 7, path: "/d/episode_007.h5" }), rx: 5 });
    expect(f.lifecycle.state).toBe("take");
    expect(joined.inputs).toEqual([
      {
        type: "episode_start",
        t: 1000,
        episode: 7,
        path: "/d/episode_007.h5",
        activeBodies: ["motherboard", "sensor_left"],
        gate: false,
      },
    ]);
    // Further hellos of the same take change nothing; its end closes it normally.
    expect(f.onReceived({ message: hello({ episode: 7, path: "/d/episode_007.h5" }), rx: 5.5 }).changed).toBe(
      false,
    );
    expect(f.onReceived({ message: end(7), rx: 9 }).events[0]).toMatchObject({
      episode: 7,
      interrupted: false,
    });
  });

  it("closes a take as interrupted when the recorder comes back recording nothing (it was killed mid-take)", () => {
    const f = new TapFollower(900);
    f.onReceived({ message: start(4), rx: 0 });
    const back = f.onReceived({ message: hello(null, "rec2"), rx: 30 });
    expect(back.events).toEqual([
      {
        type: "episode_closed",
        episode: 4,
        path: "/d/episode_004.h5",
        framesWritten: null,
        framesDropped: null,
        interrupted: true,
      },
    ]);
    // The detectors hear the take's end too, so its guards stop.
    expect(back.inputs).toEqual([
      {
        type: "episode_end",
        t: 1000,
        episode: 4,
        path: "/d/episode_004.h5",
        framesWritten: 0,
        framesDropped: 0,
      },
    ]);
    expect(f.lifecycle.state).toBe("between");
  });

  it("turns the tap's loss and return into source events for the detectors", () => {
    const f = new TapFollower(900);
    expect(f.onNotice({ type: "lost", rx: 3 }, 1795000000).inputs).toEqual([
      { type: "source", source: "tap", state: "lost", t: 1795000000 },
    ]);
    expect(f.onNotice({ type: "gap", rx: 3, lost: 2 }, 1795000000).inputs).toEqual([]);
  });
});
