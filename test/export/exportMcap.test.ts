import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import zstd from "@foxglove/wasm-zstd";
import { McapIndexedReader } from "@mcap/core";
import { FileHandleReadable } from "@mcap/nodejs";
import protobuf from "protobufjs";
import "protobufjs/ext/descriptor.js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, FAULTED_EPISODE, PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { python } from "../helpers/python.js";

const TASK = "motherboard";
const DATE = "2026-05-31";
const KEY = `${DATE}/episode_000`;
const CAMS = ["cam0", "cam1", "cam2"] as const;
const BODIES = ["motherboard", "sensor_left", "sensor_right"] as const;

function rigwatch(args: readonly string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

interface Decoded {
  topic: string;
  schema: string;
  logTime: bigint;
  sequence: number;
  message: Record<string, unknown>;
}

/** Reads an MCAP with @mcap/core's indexed reader; each message decoded from the schema stored in the file alone. */
async function readMcap(path: string) {
  await zstd.isLoaded;
  const handle = await open(path, "r");
  try {
    const reader = await McapIndexedReader.Initialize({
      readable: new FileHandleReadable(handle),
      decompressHandlers: { zstd: (data, size) => zstd.decompress(data, Number(size)) },
    });
    const types = new Map<number, protobuf.Type>();
    for (const [id, schema] of reader.schemasById) {
      expect(schema.encoding).toBe("protobuf");
      const root = protobuf.Root.fromDescriptor(schema.data, {
        keepCase: true,
      });
      types.set(id, root.lookupType(schema.name));
    }
    const channels = [...reader.channelsById.values()].map((c) => ({
      topic: c.topic,
      schema: (reader.schemasById.get(c.schemaId) as { name: string }).name,
      encoding: c.messageEncoding,
    }));
    const messages: Decoded[] = [];
    for await (const m of reader.readMessages()) {
      const channel = reader.channelsById.get(m.channelId);
      if (!channel) throw new Error(`message on unknown channel ${m.channelId}`);
      const type = types.get(channel.schemaId) as protobuf.Type;
      messages.push({
        topic: channel.topic,
        schema: type.fullName.slice(1),
        logTime: m.logTime,
        sequence: m.sequence,
        message: type.toObject(type.decode(m.data), {
          longs: Number,
          enums: Number,
          bytes: Buffer,
          defaults: true,
        }),
      });
    }
    const metadata = [];
    for await (const m of reader.readMetadata()) metadata.push(m);
    return { channels, messages, chunks: reader.chunkIndexes, metadata };
  } finally {
    await handle.close();
  }
}

/** What h5py reads from the recorder file: camera times, OT streams, and a few frames to compare. */
function h5pyTruth(path: string) {
  return JSON.parse(
    python(
      `
import sys, json, h5py, hdf5plugin, numpy as np
f = h5py.File(sys.argv[1], "r")
out = {"ts": f["timestamps"][:].tolist(), "ot": {}}
for body in ${JSON.stringify(BODIES)}:
    out["ot"][body] = {"t": f[f"optitrack/{body}/timestamps"][:].tolist(),
                       "pose": [[float(v) if np.isfinite(v) else None for v in row] for row in f[f"optitrack/{body}/pose"][:]]}
out["depth100"] = f["realsense/cam0/depth"][100].astype("<u2").tobytes().hex()
out["colourMean100"] = f["realsense/cam1/color"][100].reshape(-1, 3).mean(axis=0).tolist()
out["gelMean100"] = f["gelsight/left/frames"][100].reshape(-1, 3).mean(axis=0).tolist()
print(json.dumps(out))
`,
      [path],
    ),
  ) as {
    ts: number[];
    ot: Record<string, { t: number[]; pose: (number | null)[][] }>;
    depth100: string;
    colourMean100: number[];
    gelMean100: number[];
  };
}

const seconds = (t: { seconds: number; nanos: number }) => t.seconds + t.nanos / 1e9;
const ns = (t: number) => {
  const s = Math.floor(t);
  return BigInt(s) * 1_000_000_000n + BigInt(Math.round((t - s) * 1e9));
};

describe("rigwatch export (a generated take → MCAP → @mcap/core + protobufjs)", () => {
  const dir = tempDir();
  const dateDir = join(dir.path, "data", TASK, DATE);
  const h5 = join(dateDir, "episode_000.h5");
  const mcap = join(dir.path, "exports", "mcap", TASK, DATE, "episode_000.mcap");
  let file: Awaited<ReturnType<typeof readMcap>>;
  let truth: ReturnType<typeof h5pyTruth>;

  beforeAll(async () => {
    mkdirSync(dateDir, { recursive: true });
    copyFileSync(FAULTED_EPISODE, h5);
    expect(rigwatch(["detect", dateDir]).status).toBe(0);
    const run = rigwatch(["export", dateDir, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ type: "export", status: "ok", out: mcap, frames: 300 });
    file = await readMcap(mcap);
    truth = h5pyTruth(h5);
  }, 240_000);
  afterAll(dir.cleanup);

  const on = (topic: string) => file.messages.filter((m) => m.topic === topic);

  it("lists every stream as a channel with its Foxglove schema, in a chunked, zstd file", () => {
    const expected = [
      ...CAMS.map((c) => ({ topic: `/realsense/${c}/color`, schema: "foxglove.CompressedImage" })),
      ...CAMS.map((c) => ({ topic: `/realsense/${c}/depth`, schema: "foxglove.RawImage" })),
      { topic: "/gelsight/left/frames", schema: "foxglove.CompressedImage" },
      { topic: "/gelsight/right/frames", schema: "foxglove.CompressedImage" },
      ...BODIES.map((b) => ({ topic: `/optitrack/${b}/pose`, schema: "foxglove.PoseInFrame" })),
      { topic: "/tf", schema: "foxglove.FrameTransforms" },
      { topic: "/detect/events", schema: "foxglove.Log" },
      { topic: "/live/alarms", schema: "foxglove.Log" },
    ];
    const byTopic = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);
    expect(file.channels.map(({ topic, schema }) => ({ topic, schema })).sort(byTopic)).toEqual(
      expected.sort(byTopic),
    );
    expect(new Set(file.channels.map((c) => c.encoding))).toEqual(new Set(["protobuf"]));
    expect(file.chunks.length).toBeGreaterThan(1);
    expect(new Set(file.chunks.map((c) => c.compression))).toEqual(new Set(["zstd"]));
    expect(file.metadata).toHaveLength(1);
    expect(Object.fromEntries(file.metadata[0]?.metadata ?? [])).toMatchObject({
      key: KEY,
      fps: "30",
      frames: "300",
      trim_offset: "0",
    });
  });

  it("has one image per camera tick on every image topic, stamped with the recorder's time, in order", () => {
    const expectedTimes = truth.ts.map(ns);
    for (const topic of [
      ...CAMS.map((c) => `/realsense/${c}/color`),
      ...CAMS.map((c) => `/realsense/${c}/depth`),
      "/gelsight/left/frames",
      "/gelsight/right/frames",
    ]) {
      const messages = on(topic);
      expect(messages.map((m) => m.logTime)).toEqual(expectedTimes);
      expect(messages.map((m) => m.sequence)).toEqual(truth.ts.map((_, i) => i));
      for (const m of messages)
        expect(ns(seconds(m.message.timestamp as { seconds: number; nanos: number }))).toBe(m.logTime);
    }
  });

  it("keeps depth bit-exact as 16UC1 and colour as JPEG in RGB order", async () => {
    const depth = on("/realsense/cam0/depth")[100]?.message as Record<string, unknown>;
    expect(depth).toMatchObject({ frame_id: "cam0", width: 640, height: 480, encoding: "16UC1", step: 1280 });
    expect(Buffer.from(depth.data as Uint8Array).toString("hex")).toBe(truth.depth100);

    const colour = on("/realsense/cam1/color")[100]?.message as Record<string, unknown>;
    expect(colour).toMatchObject({ frame_id: "cam1", format: "jpeg" });
    const decoded = await sharp(Buffer.from(colour.data as Uint8Array))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width: 640, height: 480, channels: 3 });
    const means = [0, 1, 2].map((c) => {
      let sum = 0;
      for (let i = c; i < decoded.data.length; i += 3) sum += decoded.data[i] as number;
      return sum / (decoded.data.length / 3);
    });
    // The H5 frame is BGR: the JPEG's red is the file's third channel.
    const [b, g, r] = truth.colourMean100 as [number, number, number];
    for (const [got, want] of [
      [means[0], r],
      [means[1], g],
      [means[2], b],
    ] as const)
      expect(Math.abs((got as number) - want)).toBeLessThan(2);

    const gel = on("/gelsight/left/frames")[100]?.message as Record<string, unknown>;
    expect(gel).toMatchObject({ frame_id: "gel_left", format: "jpeg" });
    const gelPixels = await sharp(Buffer.from(gel.data as Uint8Array))
      .raw()
      .toBuffer();
    const gelRed = gelPixels.reduce((s, v, i) => (i % 3 === 0 ? s + v : s), 0) / (gelPixels.length / 3);
    expect(Math.abs(gelRed - (truth.gelMean100[0] as number))).toBeLessThan(2);
  });

  it("has every OT sample of every body as recorded, at its own time", () => {
    for (const body of BODIES) {
      const messages = on(`/optitrack/${body}/pose`);
      const expected = truth.ot[body] as { t: number[]; pose: (number | null)[][] };
      expect(messages.map((m) => m.logTime)).toEqual(expected.t.map(ns));
      messages.forEach((m, i) => {
        const pose = m.message.pose as {
          position: Record<string, number>;
          orientation: Record<string, number>;
        };
        const row = expected.pose[i] as (number | null)[];
        const got = [
          pose.position.x,
          pose.position.y,
          pose.position.z,
          pose.orientation.x,
          pose.orientation.y,
          pose.orientation.z,
          pose.orientation.w,
        ].map((v) => (Number.isFinite(v) ? v : null));
        expect(got).toEqual(row);
        expect(m.message.frame_id).toBe("mocap");
      });
    }
  });

  it("places every camera and gel in the mocap frame, from the rig's calibration", () => {
    const tf = on("/tf").map(
      (m) =>
        m.message.transforms as {
          parent_frame_id: string;
          child_frame_id: string;
          translation: Record<string, number>;
          rotation: Record<string, number>;
        }[],
    );
    const calibration = tf.filter((t) => t.some((x) => x.child_frame_id === "cam0"));
    // Once a second of the 10 s take (ticks at 30 Hz: frames 0, 30, … 270).
    expect(calibration).toHaveLength(10);
    const frames = calibration[0]?.map((x) => `${x.parent_frame_id}→${x.child_frame_id}`);
    expect(frames).toEqual([
      "mocap→cam0",
      "mocap→cam1",
      "mocap→cam2",
      "sensor_left→gel_left",
      "sensor_right→gel_right",
    ]);
    // cam1 is the left view: its camera pose inverts T_mocap_to_cam_left.json.
    const file = JSON.parse(
      readFileSync(join(PROJECT_ROOT, "config/calibration/T_mocap_to_cam_left.json"), "utf8"),
    ) as { T_mocap_to_cam: number[][] };
    const cam1 = calibration[0]?.[1] as {
      translation: Record<string, number>;
      rotation: Record<string, number>;
    };
    const { x = 0, y = 0, z = 0, w = 0 } = cam1.rotation;
    // Rotating the camera's +z axis into mocap gives the third row of T's rotation.
    const zAxis = [2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)];
    const row2 = (file.T_mocap_to_cam[2] as number[]).slice(0, 3);
    zAxis.forEach((v, i) => expect(v).toBeCloseTo(row2[i] as number, 9));
    // The camera origin maps to (0, 0, 0) through T (mm).
    const origin = [cam1.translation.x ?? 0, cam1.translation.y ?? 0, cam1.translation.z ?? 0].map(
      (v) => v * 1000,
    );
    for (const row of file.T_mocap_to_cam.slice(0, 3))
      expect(row[0]! * origin[0]! + row[1]! * origin[1]! + row[2]! * origin[2]! + row[3]!).toBeCloseTo(0, 6);
    const gel = JSON.parse(
      readFileSync(join(PROJECT_ROOT, "config/calibration/T_gel_to_rigid_left.json"), "utf8"),
    ) as { gel_center_in_rigid_mm: number[] };
    const gelLeft = calibration[0]?.[3] as { translation: Record<string, number> };
    expect([gelLeft.translation.x, gelLeft.translation.y, gelLeft.translation.z]).toEqual(
      gel.gel_center_in_rigid_mm.map((v) => v / 1000),
    );
    // Each valid OT sample also places its body: every sample whose quaternion is usable.
    const bodyFrames = tf.filter((t) => t.length === 1).map((t) => t[0]?.child_frame_id);
    for (const body of BODIES) {
      const valid = (truth.ot[body]?.pose ?? []).filter(
        (row) => row.every((v) => v !== null) && Math.hypot(...(row.slice(3) as number[])) >= 0.5,
      ).length;
      expect(bodyFrames.filter((b) => b === body)).toHaveLength(valid);
    }
  });

  it("logs detect's events at the time of their first frame, one per list interval and freeze", () => {
    const reports = join(dir.path, "figures", "dataset_figures");
    const bad = JSON.parse(readFileSync(join(reports, "bad_frames.json"), "utf8")) as {
      episodes: Record<string, Record<string, [number, number][]>>;
      trim_offsets: Record<string, number>;
    };
    const freezes = (
      JSON.parse(readFileSync(join(reports, "freeze_intervals.json"), "utf8")) as {
        episode: string;
        side: string;
        h5_a: number;
        verdict: string;
      }[]
    ).filter((f) => f.episode === KEY);
    const trim = bad.trim_offsets[KEY] as number;
    const lists = Object.entries(bad.episodes[KEY] ?? {}).filter(([, v]) => Array.isArray(v));
    const expected = [
      ...lists.flatMap(([list, intervals]) =>
        intervals.map(([a]) => ({ name: `detect/${list}`, t: ns(truth.ts[a + trim] as number) })),
      ),
      ...freezes.map((f) => ({ name: "detect/freeze", t: ns(truth.ts[f.h5_a] as number) })),
    ].sort((p, q) => (p.t < q.t ? -1 : p.t > q.t ? 1 : p.name.localeCompare(q.name)));
    expect(expected.length).toBeGreaterThan(4);
    expect(on("/detect/events").map((m) => ({ name: m.message.name, t: m.logTime }))).toEqual(expected);
    const otLoss = on("/detect/events").find((m) => m.message.name === "detect/ot_loss_L");
    expect(otLoss?.message.level).toBe(4);
  });

  it("logs the take's live alarms: the ones rigwatch replay raises and clears, at their source time", () => {
    const replay = rigwatch(["replay", h5, "--json"]);
    expect(replay.status).toBe(0);
    const alarms = replay.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; id: string; kind: string; state: string; t: number })
      .filter((l) => l.type === "alarm");
    expect(alarms.length).toBeGreaterThan(3);
    expect(
      on("/live/alarms").map((m) => ({
        name: m.message.name,
        head: String(m.message.message).split(" ").slice(0, 2).join(" "),
        t: m.logTime,
      })),
    ).toEqual(alarms.map((a) => ({ name: `alarm/${a.kind}`, head: `${a.state} ${a.id}`, t: ns(a.t) })));
  });

  it("exports only the window given by --from/--to, into --out", () => {
    const out = join(dir.path, "window");
    const run = rigwatch(["export", h5, "--from", "2", "--to", "4.5", "--out", out, "--json"]);
    expect(run.status).toBe(0);
    const t0 = truth.ts[0] as number;
    const inWindow = truth.ts.filter((t) => t >= t0 + 2 && t <= t0 + 4.5).length;
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "ok", frames: inWindow });
    expect(existsSync(join(out, DATE, "episode_000.mcap"))).toBe(true);
  }, 120_000);

  it("names a corrupt take, writes nothing for it, and exits 1", () => {
    const badDir = join(dir.path, "data", TASK, "2026-06-01");
    mkdirSync(badDir, { recursive: true });
    copyFileSync(FAULTED_EPISODE, join(badDir, "episode_000.h5"));
    truncateSync(join(badDir, "episode_000.h5"), 4096);
    const out = join(dir.path, "bad-out");
    const run = rigwatch(["export", badDir, "--out", out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^failed {4}.*2026-06-01\/episode_000\.h5: truncated/);
    expect(readdirSync(join(out, "2026-06-01"))).toEqual([]);
  });

  it("refuses a window that ends before it starts (usage error, exit 2)", () => {
    const run = rigwatch(["export", h5, "--from", "5", "--to", "2"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--from 5 is after --to 2");
  });
});
