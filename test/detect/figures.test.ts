import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BREAKDOWN,
  barHeight,
  barX,
  breakdownScale,
  COLOURS,
  drawTimeline,
  type TimelineData,
  TimelineCache,
  timelineGeometry,
  TIMELINE,
} from "../../stages/detect/figures/index.js";
import { CLI, FAULTED_EPISODE, recorderEpisode, tempDir } from "../helpers/paths.js";
import { python } from "../helpers/python.js";

const TASK = "motherboard";
const FAULTED_DATE = "2026-05-31";
const CLEAN_DATE = "2026-06-01";
const LISTS = [
  "intensity_spikes",
  "pose_teleports_L",
  "pose_teleports_R",
  "ot_loss_L",
  "ot_loss_R",
  "pipeline_stall",
] as const;
const MODES = {
  gelsight_led_flicker: ["intensity_spikes"],
  pose_teleport: ["pose_teleports_L", "pose_teleports_R"],
  ot_loss: ["ot_loss_L", "ot_loss_R"],
  pipeline_stall: ["pipeline_stall"],
} as const;

/** The rows of a timeline depend only on its bodies. */
const THREE_BODIES = {
  ot: { motherboard: [], sensor_left: [], sensor_right: [] },
} as unknown as TimelineData;

type BadFrames = {
  episodes: Record<string, Record<string, [number, number][]>>;
  trim_offsets: Record<string, number>;
};

/** A decoded PNG: the RGB hex colour at (x, y). */
async function pixels(path: string) {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    at: (x: number, y: number) => {
      const i = (y * info.width + x) * 3;
      return `#${[data[i], data[i + 1], data[i + 2]].map((v) => (v as number).toString(16).padStart(2, "0")).join("")}`;
    },
  };
}

/** The timeline detect cached for a take (whatever its inputs key). */
function cachedTimeline(h5: string): TimelineData {
  const { key } = JSON.parse(readFileSync(TimelineCache.fileFor(h5), "utf8")) as { key: string };
  return TimelineCache.read(h5, key) as TimelineData;
}

/** Frames covered by a list of inclusive intervals (their union). */
const union = (intervals: readonly [number, number][]) => {
  const frames = new Set<number>();
  for (const [a, b] of intervals) for (let k = a; k <= b; k++) frames.add(k);
  return frames;
};

describe("detect draws the dataset's figures (PNG from SVG through sharp, read back pixel by pixel)", () => {
  const dir = tempDir();
  const reports = join(dir.path, "figures", "dataset_figures");
  const faulted = join(dir.path, "data", TASK, FAULTED_DATE, "episode_000.h5");
  let bad: BadFrames;
  let firstBytes: Record<string, Buffer>;

  beforeAll(() => {
    for (const [date, source] of [
      [FAULTED_DATE, FAULTED_EPISODE],
      [CLEAN_DATE, recorderEpisode("blosc")],
    ] as const) {
      mkdirSync(join(dir.path, "data", TASK, date), { recursive: true });
      copyFileSync(source, join(dir.path, "data", TASK, date, "episode_000.h5"));
    }
    const run = spawnSync(process.execPath, [CLI, "detect", join(dir.path, "data", TASK, FAULTED_DATE)], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    bad = JSON.parse(readFileSync(join(reports, "bad_frames.json"), "utf8")) as BadFrames;
    firstBytes = Object.fromEntries(
      ["quality_breakdown.png", `timelines/${FAULTED_DATE}/episode_000.png`].map((f) => [
        f,
        readFileSync(join(reports, f)),
      ]),
    );
  }, 180_000);
  afterAll(dir.cleanup);

  it("draws every event of the lists where its frames are on the take's timeline, and nothing else", async () => {
    const key = `${FAULTED_DATE}/episode_000`;
    const png = await pixels(join(reports, "timelines", FAULTED_DATE, "episode_000.png"));
    const timeline = cachedTimeline(faulted);
    const geometry = timelineGeometry(timeline);
    expect([png.width, png.height]).toEqual([geometry.width, geometry.height]);
    // 300 frames on 1,200 columns: frame k is columns 4k … 4k+3.
    expect(timeline.frames).toBe(300);
    expect(TIMELINE.plotWidth / timeline.frames).toBe(4);
    const trim = bad.trim_offsets[key] as number;
    let drawn = 0;
    for (const list of LISTS) {
      const frames = union((bad.episodes[key]?.[list] ?? []).map(([a, b]) => [a + trim, b + trim]));
      const lane = geometry.rows[`list/${list}`] as { y: number; h: number };
      for (const y of [lane.y, lane.y + lane.h / 2, lane.y + lane.h - 1]) {
        const coloured = [];
        for (let c = 0; c < TIMELINE.plotWidth; c++)
          if (png.at(geometry.plotX + c, y) === COLOURS.lists[list]) coloured.push(c);
        expect(coloured).toEqual(
          [...frames].sort((a, b) => a - b).flatMap((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]),
        );
      }
      drawn += frames.size;
    }
    expect(drawn).toBeGreaterThan(50);
  });

  it("shows OT validity per body: red exactly where a body sent nothing for ≥ 0.1 s (h5py's timestamps)", async () => {
    const png = await pixels(join(reports, "timelines", FAULTED_DATE, "episode_000.png"));
    const truth = JSON.parse(
      python(
        `
import sys, json, h5py, hdf5plugin
f = h5py.File(sys.argv[1], "r")
print(json.dumps({"ts": f["timestamps"][:].tolist(), "ot": {b: f[f"optitrack/{b}/timestamps"][:].tolist() for b in ["motherboard", "sensor_left", "sensor_right"]}}))
`,
        [faulted],
      ),
    ) as { ts: number[]; ot: Record<string, number[]> };
    const rows = timelineGeometry(THREE_BODIES).rows;
    for (const [body, times] of Object.entries(truth.ot)) {
      // Frame k holds the time (ts[k-1], ts[k]]; a silence (p, n) of ≥ 0.1 s shows on the frames it overlaps.
      const silences = [truth.ts[0] as number, ...times, truth.ts.at(-1) as number]
        .map((t, i, all) => [all[i - 1] as number, t] as const)
        .slice(1)
        .filter(([p, n]) => n - p >= 0.1);
      const lost = truth.ts
        .map((_, k) => k)
        .filter((k) =>
          silences.some(
            ([p, n]) => (truth.ts[k] as number) > p && (k === 0 || (truth.ts[k - 1] as number) < n),
          ),
        );
      const lane = rows[`ot/${body}`] as { y: number; h: number };
      const red = [];
      for (let c = 0; c < TIMELINE.plotWidth; c++) {
        const colour = png.at(TIMELINE.plotX + c, lane.y + 7);
        expect([COLOURS.otValid, COLOURS.otInvalid, COLOURS.otLost]).toContain(colour);
        if (colour === COLOURS.otLost) red.push(c);
      }
      expect(red).toEqual(lost.flatMap((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]));
      if (body === "sensor_right") expect(lost.length).toBeGreaterThan(15);
    }
  });

  it("draws the tactile intensity above its spike threshold only on the flicker's frames", async () => {
    const key = `${FAULTED_DATE}/episode_000`;
    const png = await pixels(join(reports, "timelines", FAULTED_DATE, "episode_000.png"));
    const band = timelineGeometry(THREE_BODIES).rows["intensity/left"] as { y: number; h: number };
    // The threshold is the dashed red line across the plot: find its row where the line is drawn.
    const thresholdRow = [...Array(band.h).keys()]
      .map((i) => band.y + i)
      .find((y) => png.at(TIMELINE.plotX + 2, y) === COLOURS.threshold) as number;
    expect(thresholdRow).toBeGreaterThan(band.y);
    const spikeFrames = union(bad.episodes[key]?.intensity_spikes ?? []);
    const above = new Set<number>();
    for (let c = 0; c < TIMELINE.plotWidth; c++)
      for (let y = band.y + 1; y < thresholdRow - 1; y++)
        if (
          png.at(TIMELINE.plotX + c, y) !== COLOURS.background &&
          png.at(TIMELINE.plotX + c, y) !== COLOURS.grid
        )
          above.add(Math.floor(c / 4));
    expect(above.size).toBeGreaterThan(0);
    // The published spike is the flicker padded by 3 frames: every frame above the line is in it.
    for (const k of above) expect(spikeFrames.has(k)).toBe(true);
  });

  it("draws the breakdown: one bar per failure mode per session, as tall as its frames", async () => {
    const png = await pixels(join(reports, "quality_breakdown.png"));
    const sessions = [FAULTED_DATE, CLEAN_DATE];
    const frames = sessions.map((date) =>
      Object.fromEntries(
        Object.entries(MODES).map(([mode, lists]) => [
          mode,
          Object.entries(bad.episodes)
            .filter(([key]) => key.startsWith(`${date}/`))
            .reduce((n, [, e]) => n + union(lists.flatMap((l) => e[l] ?? [])).size, 0),
        ]),
      ),
    );
    const top = breakdownScale(Math.max(...frames.flatMap((f) => Object.values(f))));
    expect(frames[0]?.ot_loss).toBeGreaterThan(0);
    expect(Object.values(frames[1] ?? {})).toEqual([0, 0, 0, 0]);
    const base = BREAKDOWN.plotY + BREAKDOWN.plotHeight;
    sessions.forEach((_, i) => {
      for (const mode of Object.keys(MODES) as (keyof typeof MODES)[]) {
        const x = barX(i, mode) + BREAKDOWN.barWidth / 2;
        let h = 0;
        while (png.at(x, base - 1 - h) === COLOURS.modes[mode]) h++;
        expect({ session: sessions[i], mode, h }).toEqual({
          session: sessions[i],
          mode,
          h: barHeight(frames[i]?.[mode] as number, top),
        });
      }
    });
  });

  it("draws text with no font: the SVG has no <text>, so librsvg needs none installed", () => {
    expect(drawTimeline(cachedTimeline(faulted))).not.toContain("<text");
  });

  it("draws the same bytes again from the cached analysis, and keeps the reports byte-identical", () => {
    const before = readFileSync(join(reports, "bad_frames.json"));
    const run = spawnSync(process.execPath, [CLI, "detect", join(dir.path, "data", TASK, FAULTED_DATE)], {
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(readFileSync(join(reports, "bad_frames.json")).equals(before)).toBe(true);
    for (const [file, bytes] of Object.entries(firstBytes))
      expect(readFileSync(join(reports, file)).equals(bytes)).toBe(true);
  }, 120_000);
});
