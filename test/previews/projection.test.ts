import { cpSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ReportFileError } from "../../sinks/reports/index.js";
import { BUILT_IN_CALIBRATION, loadCalibration, projectGelCentre } from "../../stages/previews/index.js";
import { tempDir } from "../helpers/paths.js";
import { numpyProjection, type PoseCase } from "./previewReference.js";

const SERIAL = { cam0: "143322063538", cam1: "104122062574", cam2: "217222066989" } as const;

describe("rig calibration", () => {
  it("maps each calibration file to its H5 camera by serial (spec §1 when the file does not say)", () => {
    const spec = loadCalibration(BUILT_IN_CALIBRATION);
    expect([spec.cameras.cam0.serial, spec.cameras.cam1.serial, spec.cameras.cam2.serial]).toEqual([
      SERIAL.cam0,
      SERIAL.cam1,
      SERIAL.cam2,
    ]);
    expect(spec.cameras.cam1.fx).toBe(608.4557495117188);
    expect(spec.gelCentreMm.left).toEqual([-42.603232962895795, -36.56264317489985, -34.21371780589162]);
    // An episode that lists its cameras in another order is followed.
    const swapped = loadCalibration(BUILT_IN_CALIBRATION, [SERIAL.cam1, SERIAL.cam0, SERIAL.cam2]);
    expect(swapped.cameras.cam0.serial).toBe(SERIAL.cam1);
    expect(swapped.cameras.cam1.serial).toBe(SERIAL.cam0);
  });

  const dir = tempDir("rigwatch-calibration-");
  afterAll(() => dir.cleanup());
  const broken = (name: string, edit: (json: Record<string, unknown>) => void) => {
    const copy = join(dir.path, name);
    cpSync(BUILT_IN_CALIBRATION, copy, { recursive: true });
    const file = join(copy, "T_mocap_to_cam_left.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    edit(json);
    writeFileSync(file, JSON.stringify(json));
    return file;
  };

  it.each([
    [
      "matrix",
      (j: Record<string, unknown>) => (j.T_mocap_to_cam = [[1, 0, 0]]),
      "T_mocap_to_cam must be a 4×4 matrix of numbers",
    ],
    [
      "fx",
      (j: Record<string, unknown>) => ((j.intrinsics as Record<string, unknown>).fx = "608"),
      'intrinsics.fx must be a positive number, found "608"',
    ],
    [
      "serial",
      (j: Record<string, unknown>) => (j.camera_serial = "999"),
      "camera_serial 999 is none of the episode's cameras",
    ],
  ])("names the file and the field of a bad calibration (%s)", (name, edit, message) => {
    const file = broken(name, edit);
    const error = ((): unknown => {
      try {
        loadCalibration(join(dir.path, name));
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ReportFileError);
    expect((error as Error).message).toBe(`${file}: ${message}`);
  });

  it("names a missing calibration file", () => {
    expect(() => loadCalibration(join(dir.path, "nowhere"))).toThrow(
      `${join(dir.path, "nowhere", "T_mocap_to_cam_left.json")}: calibration file not found`,
    );
  });
});

describe("gel-centre projection", () => {
  const calibration = loadCalibration(BUILT_IN_CALIBRATION);
  // The faulted fixture's first sensor_left pose, others around the rig, an unnormalised quaternion,
  // a point 1 m behind the right camera (also behind the middle one, in front of the left one).
  const cases: PoseCase[] = [
    {
      side: "left",
      pose: [0.14512408, 0.00367307, 0.19886043, 0.4696829, -0.09720746, 0.14607482, 0.86522299],
    },
    { side: "right", pose: [0.3, 0.06, 0.15, 0, 0, 0, 1] },
    { side: "left", pose: [0.2, -0.05, 0.25, 0.2, 0.4, -0.1, 0.8] },
    { side: "right", pose: [0.1, 0.1, 0.3, 0.6, 1.2, -0.4, 2.0] },
    { side: "left", pose: [1.5648, 1.3878, -0.2576, 0, 0, 0, 1] },
  ];

  it("lands where NumPy puts it, to 1e-9 px, on all three cameras", () => {
    const expected = numpyProjection(BUILT_IN_CALIBRATION, cases);
    for (const cam of ["cam0", "cam1", "cam2"] as const) {
      const reference = expected[SERIAL[cam]] as ([number, number] | null)[];
      cases.forEach((c, i) => {
        const got = projectGelCentre(c.pose, calibration.gelCentreMm[c.side], calibration.cameras[cam]);
        const want = reference[i];
        if (want === null || want === undefined) {
          expect(got, `${cam} case ${i}`).toBeUndefined();
          return;
        }
        expect(got, `${cam} case ${i}`).toBeDefined();
        expect(Math.abs(((got as number[])[0] as number) - want[0])).toBeLessThan(1e-9);
        expect(Math.abs(((got as number[])[1] as number) - want[1])).toBeLessThan(1e-9);
      });
    }
    // The fixture pose is on the left camera's image (cam1, ~331, 280).
    const onLeft = projectGelCentre(
      cases[0]!.pose,
      calibration.gelCentreMm.left,
      calibration.cameras.cam1,
    ) as number[];
    expect(onLeft.map(Math.round)).toEqual([331, 280]);
    expect(expected[SERIAL.cam0]?.[4]).toBeNull();
    expect(expected[SERIAL.cam2]?.[4]).toBeNull();
    expect(expected[SERIAL.cam1]?.[4]).not.toBeNull();
  });

  it("draws nothing for an unusable pose", () => {
    const cam = calibration.cameras.cam1;
    expect(
      projectGelCentre([Number.NaN, 0, 0, 0, 0, 0, 1], calibration.gelCentreMm.left, cam),
    ).toBeUndefined();
    expect(projectGelCentre([0.1, 0, 0.2, 0, 0, 0, 0], calibration.gelCentreMm.left, cam)).toBeUndefined();
  });
});
