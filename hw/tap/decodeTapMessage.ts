import { HeaderFields } from "./HeaderFields.js";
import {
  type RigStream,
  TAP_PROTOCOL_VERSION,
  TAP_TOPICS,
  type TapEnvelope,
  type TapMessage,
  type TapTopic,
  THUMB_SHAPE,
  type TickStream,
} from "./protocol.js";
import { TapDecodeError } from "./TapDecodeError.js";
import { CAMERA_STREAMS, TACTILE_SIDES } from "../../detectors/samples.js";

/** The rig's image streams by their H5 names: a tick naming anything else is refused. */
const RIG_STREAMS: ReadonlySet<string> = new Set([
  ...CAMERA_STREAMS,
  ...TACTILE_SIDES.map((s) => `gel_${s}`),
]);
const THUMB_BYTES = THUMB_SHAPE[0] * THUMB_SHAPE[1] * THUMB_SHAPE[2];

/**
 * One ZeroMQ multipart message from the recorder → a typed TapMessage. Strict: unknown topics, a
 * newer protocol version, missing fields, counters a double cannot hold exactly, names that are not
 * names, tick streams outside the rig's five and binary parts that do not match the header all throw
 * TapDecodeError. Thumbnails are views into the received buffers (no copy). Whether the times and
 * sequence numbers make sense is TapGuard's to judge.
 */
export function decodeTapMessage(parts: readonly Uint8Array[]): TapMessage {
  const [topicBytes, headerBytes, ...binary] = parts;
  if (!topicBytes || !headerBytes)
    throw new TapDecodeError("?", "message", `needs ≥ 2 parts, got ${parts.length}`);
  const topic = Buffer.from(topicBytes).toString("latin1");
  if (!(TAP_TOPICS as readonly string[]).includes(topic))
    throw new TapDecodeError(topic.slice(0, 32), "topic", `is not one of ${TAP_TOPICS.join(", ")}`);
  const h = HeaderFields.parse(topic, headerBytes);
  const v = h.count("v");
  if (v !== TAP_PROTOCOL_VERSION)
    throw new TapDecodeError(topic, "v", `is ${v}; this rigwatch speaks version ${TAP_PROTOCOL_VERSION}`);
  const envelope: TapEnvelope = {
    v,
    sender: h.name("sender"),
    seq: h.count("seq"),
    t: h.number("t"),
    dropped: h.count("dropped"),
  };
  const noBinary = () => {
    if (binary.length > 0)
      throw new TapDecodeError(topic, "message", `has ${binary.length} unexpected binary parts`);
  };
  switch (topic as TapTopic) {
    case "hello": {
      noBinary();
      const rig = h.object("rig");
      const streams = rig.objects("streams").map((s): RigStream => {
        const kind = s.string("kind");
        const order = s.string("order");
        if (kind !== "realsense" && kind !== "gelsight")
          throw new TapDecodeError(s.topic, "kind", `must be "realsense" or "gelsight", got "${kind}"`);
        if (order !== "BGR" && order !== "RGB")
          throw new TapDecodeError(s.topic, "order", `must be "BGR" or "RGB", got "${order}"`);
        return {
          name: s.name("name"),
          kind,
          order,
          ...(s.has("serial") ? { serial: s.string("serial") } : {}),
        };
      });
      const recording = h.has("recording") ? h.object("recording") : undefined;
      return {
        topic: "hello",
        ...envelope,
        rig: {
          streams,
          bodies: rig.names("bodies"),
          activeSensors: rig.names("active_sensors"),
          fps: rig.number("fps"),
        },
        recording: recording
          ? {
              episode: recording.count("episode"),
              path: recording.string("path"),
              startedTs: recording.number("started_ts"),
            }
          : null,
      };
    }
    case "tick": {
      const listed = h.objects("streams");
      if (binary.length !== listed.length)
        throw new TapDecodeError(
          topic,
          "streams",
          `lists ${listed.length} streams but ${binary.length} thumbnails follow`,
        );
      const seen = new Set<string>();
      const streams = listed.map((s, i): TickStream => {
        const name = s.string("name", 64);
        if (!RIG_STREAMS.has(name) || seen.has(name))
          throw new TapDecodeError(
            s.topic,
            "name",
            `must be one of the rig's streams (${[...RIG_STREAMS].join(", ")}), once per tick, got ${JSON.stringify(name)}`,
          );
        seen.add(name);
        const thumb = binary[i] as Uint8Array;
        if (thumb.byteLength !== THUMB_BYTES)
          throw new TapDecodeError(
            s.topic,
            "thumbnail",
            `must be ${THUMB_SHAPE.join("×")} = ${THUMB_BYTES} bytes, got ${thumb.byteLength}`,
          );
        // A plain Uint8Array view (not a Buffer): the detectors' type, still without a copy.
        return {
          name,
          hash: s.string("hash", 64),
          thumb: new Uint8Array(thumb.buffer, thumb.byteOffset, thumb.byteLength),
        };
      });
      return {
        topic: "tick",
        ...envelope,
        frame: h.count("frame"),
        ts: h.number("ts"),
        episode: h.has("episode") ? h.count("episode") : null,
        streams,
      };
    }
    case "episode_start":
      noBinary();
      return {
        topic: "episode_start",
        ...envelope,
        episode: h.count("episode"),
        path: h.string("path"),
        ts: h.number("ts"),
        ...(h.has("active_bodies") ? { activeBodies: h.names("active_bodies") } : {}),
      };
    case "episode_end":
      noBinary();
      return {
        topic: "episode_end",
        ...envelope,
        episode: h.count("episode"),
        path: h.string("path"),
        ts: h.number("ts"),
        framesWritten: h.count("frames_written"),
        framesDropped: h.count("frames_dropped"),
      };
    case "ref_reset":
      noBinary();
      return { topic: "ref_reset", ...envelope, ts: h.number("ts") };
    case "session_end":
      noBinary();
      return { topic: "session_end", ...envelope, reason: h.string("reason", 256) };
    case "bye":
      noBinary();
      return { topic: "bye", ...envelope };
  }
}
