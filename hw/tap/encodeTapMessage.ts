import type { TapMessage } from "./protocol.js";

/**
 * TapMessage → multipart frames, the inverse of decodeTapMessage: what the Python module sends,
 * for the TypeScript tap simulator and the tests.
 */
export function encodeTapMessage(message: TapMessage): Buffer[] {
  const { topic, v, sender, seq, t, dropped } = message;
  const envelope = { v, sender, seq, t, dropped };
  const frames = (header: object, binary: readonly Uint8Array[] = []) => [
    Buffer.from(topic, "latin1"),
    Buffer.from(JSON.stringify({ ...envelope, ...header }), "utf8"),
    ...binary.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  ];
  switch (message.topic) {
    case "hello":
      return frames({
        rig: {
          streams: message.rig.streams,
          bodies: message.rig.bodies,
          active_sensors: message.rig.activeSensors,
          fps: message.rig.fps,
        },
        recording: message.recording && {
          episode: message.recording.episode,
          path: message.recording.path,
          started_ts: message.recording.startedTs,
        },
      });
    case "tick":
      return frames(
        {
          frame: message.frame,
          ts: message.ts,
          episode: message.episode,
          streams: message.streams.map((s) => ({ name: s.name, hash: s.hash })),
        },
        message.streams.map((s) => s.thumb),
      );
    case "episode_start":
      return frames({
        episode: message.episode,
        path: message.path,
        ts: message.ts,
        ...(message.activeBodies ? { active_bodies: message.activeBodies } : {}),
      });
    case "episode_end":
      return frames({
        episode: message.episode,
        path: message.path,
        ts: message.ts,
        frames_written: message.framesWritten,
        frames_dropped: message.framesDropped,
      });
    case "ref_reset":
      return frames({ ts: message.ts });
    case "session_end":
      return frames({ reason: message.reason });
    case "bye":
      return frames({});
  }
}
