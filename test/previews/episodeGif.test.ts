import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_CALIBRATION } from "../../stages/previews/index.js";
import { PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { numpyProjection, pillowGif, type SolidEpisode, writeSolidEpisode } from "./previewReference.js";

const CLI = join(PROJECT_ROOT, "dist/cli/cli.js");
const SERIAL = { cam0: "143322063538", cam1: "104122062574", cam2: "217222066989" } as const;
/** Top-left corners of the camera tiles in the panel (left | middle | right = cam1 | cam2 | cam0). */
const CAMERA_TILE = { cam1: [0, 0], cam2: [320, 0], cam0: [640, 0] } as const;
/** The overlay's gel colours as they must come out of the GIF (RGB). */
const GEL_RGB = { left: [0, 230, 255], right: [230, 0, 255] } as const;

/**
 * The GIF palette comes from libimagequant, whose internal precision can move a colour by one level
 * (200 → 201): pixels are compared to within 2 levels per channel. A channel-order mistake moves them
 * by ~190.
 */
function expectRgb(actual: readonly number[] | undefined, expected: readonly number[], what = "pixel") {
  expect(actual, what).toHaveLength(3);
  actual?.forEach((v, c) =>
    expect(Math.abs(v - (expected[c] as number)), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(2),
  );
}

/**
 * Solid frames of known colours written by h5py (BGR as the cameras store them, RGB as GelSight
 * does), a constant pose per body; the preview is decoded by Pillow, not by the library that wrote it.
 */
const SPEC: SolidEpisode = {
  frames: 45,
  fps: 30,
  task: "colours",
  colour: {
    cam1: [10, 20, 200], // BGR of a red
    cam2: [200, 60, 0], // BGR of a blue
    cam0: [0, 160, 60], // BGR of a green
    gel_left: [200, 20, 10], // RGB: the same red, stored the other way round
    gel_right: [30, 90, 220],
  },
  poses: {
    motherboard: [0.25, 0.05, 0.2, 0, 0, 0, 1],
    sensor_left: [0.14512408, 0.00367307, 0.19886043, 0.4696829, -0.09720746, 0.14607482, 0.86522299],
    sensor_right: [0.3, 0.06, 0.15, 0, 0, 0, 1],
  },
};

describe("rigwatch previews: the episode GIF", () => {
  const dir = tempDir("rigwatch-previews-");
  const dateDir = join(dir.path, "data", "colours", "2026-12-01");
  const gifPath = join(dir.path, "figures", "episode_previews", "colours", "2026-12-01", "episode_000.gif");
  let run: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    mkdirSync(dateDir, { recursive: true });
    writeSolidEpisode(join(dateDir, "episode_000.h5"), SPEC, dir.path);
    run = spawnSync(process.execPath, [CLI, "previews", dateDir, "--json"], { encoding: "utf8" });
  });
  afterAll(() => dir.cleanup());

  it("writes one 60-frame 1280×480 GIF per episode under figures/episode_previews/<task>/<date>/", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const line = JSON.parse(String(run.stdout));
    expect(line).toMatchObject({
      type: "preview",
      key: "2026-12-01/episode_000",
      status: "ok",
      gif: { path: gifPath, frames: 60, width: 1280, height: 480, colours: 256 },
      clips: [],
    });
    const gif = pillowGif(gifPath);
    expect(gif.frames).toBe(60);
    expect(gif.size).toEqual([1280, 480]);
    expect(gif.durations).toEqual(new Array(60).fill(100));
    expect(Math.max(...gif.colours)).toBeLessThanOrEqual(256);
    expect(existsSync(join(dir.path, "figures", "episode_previews", "colours", "2026-12-01", "clips"))).toBe(
      false,
    );
  });

  it("shows BGR cameras and RGB gels in their true colours (one conversion each)", () => {
    const points: [number, number][] = [
      [20, 200], // left camera tile (cam1)
      [340, 200], // middle (cam2)
      [660, 200], // right (cam0)
      [120, 300], // GelSight left raw
      [360, 300], // GelSight left diff (constant gel: frame − reference + 128)
      [600, 300], // GelSight right raw
    ];
    const { at } = pillowGif(gifPath, points);
    const expected = [
      [200, 20, 10],
      [0, 60, 200],
      [60, 160, 0],
      [200, 20, 10],
      [128, 128, 128],
      [30, 90, 220],
    ];
    for (const frame of [at[0], at[29], at[59]])
      expected.forEach((rgb, i) => expectRgb(frame?.[i], rgb, `point ${i}`));
  });

  it("draws each gel centre where the calibration puts it, on every camera that sees it", () => {
    const expected = numpyProjection(BUILT_IN_CALIBRATION, [
      { side: "left", pose: SPEC.poses.sensor_left as number[] },
      { side: "right", pose: SPEC.poses.sensor_right as number[] },
    ]);
    const checks: { cam: keyof typeof CAMERA_TILE; side: "left" | "right"; centre: [number, number] }[] = [];
    for (const cam of ["cam0", "cam1", "cam2"] as const) {
      (["left", "right"] as const).forEach((side, i) => {
        const p = expected[SERIAL[cam]]?.[i];
        if (!p || p[0] < 16 || p[0] > 624 || p[1] < 32 || p[1] > 464) return; // off the tile (or under its label)
        const [x0, y0] = CAMERA_TILE[cam];
        checks.push({ cam, side, centre: [x0 + p[0] / 2, y0 + p[1] / 2] });
      });
    }
    // The rig's calibration sees the fixture's left sensor from every camera.
    expect(
      checks
        .filter((c) => c.side === "left")
        .map((c) => c.cam)
        .sort(),
    ).toEqual(["cam0", "cam1", "cam2"]);
    const points = checks.flatMap(({ centre: [x, y] }) => [
      [Math.floor(x), Math.floor(y)] as [number, number],
      [Math.floor(x + 5), Math.floor(y)] as [number, number], // the dark outline 4–6 px out
      [Math.floor(x + 12), Math.floor(y)] as [number, number], // the camera image again
    ]);
    const { at } = pillowGif(gifPath, points);
    const frame = at[30] as [number, number, number][];
    checks.forEach((c, i) => {
      expectRgb(frame[3 * i], GEL_RGB[c.side], `${c.side} gel centre on ${c.cam}`);
      expectRgb(frame[3 * i + 1], [0, 0, 0], `outline on ${c.cam}`);
      expectRgb(
        frame[3 * i + 2],
        { cam1: [200, 20, 10], cam2: [0, 60, 200], cam0: [60, 160, 0] }[c.cam],
        `${c.cam} image`,
      );
    });
  });
});
