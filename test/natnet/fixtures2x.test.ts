/**
 * NatNet 2.5–2.9 captures (Motive 1.5–1.9, python-optirx). Expected values are the fixture README's:
 * TEST values (asserted by python-optirx / natnet-decode, with their decimal tolerances) and DEC values
 * (printed float32s, checked to every printed digit).
 */
import { describe, expect, it } from "vitest";
import { readFixture } from "./helpers/fixtures.js";
import { decodeAs, decodeFixtureFrame } from "./helpers/decode.js";
import { expectPrinted, expectPrintedAll } from "./helpers/expectNumbers.js";

const closeAll = (actual: readonly number[] | undefined, expected: readonly number[], decimals: number) => {
  expect(actual?.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual?.[i]).toBeCloseTo(value, decimals));
};

describe("NatNet 2.x sender packets (message 1 on the data channel)", () => {
  for (const [file, minor] of [
    ["natnet2.5_motive1.5.0_serverinfo.bin", 5],
    ["natnet2.6_motive1.6beta2_serverinfo.bin", 6],
    ["natnet2.7_motive1.7.2_serverinfo.bin", 7],
    ["natnet2.9_motive1.9.0_serverinfo.bin", 9],
  ] as const) {
    it(`${file}: NatNetLib, app version = NatNet version = 2.${minor}.0.0, no 3.0 fields`, () => {
      const info = decodeAs(readFixture(file), "serverInfo");
      const version = { major: 2, minor, build: 0, revision: 0 };
      expect(info).toEqual({
        type: "serverInfo",
        name: "NatNetLib",
        appVersion: version,
        natnetVersion: version,
        highResClockFrequency: undefined,
        dataPort: undefined,
        multicast: undefined,
        multicastAddress: undefined,
      });
    });
  }
});

describe("NatNet 2.5 frames (Motive 1.5.0): no timestamp, no params", () => {
  const cases = [
    {
      file: "natnet2.5_motive1.5.0_frame_92881.bin",
      frame: 92881,
      pos: ["-0.263157904", "0.0391267464", "1.12351835"],
      quat: ["0.000297509105", "-0.00147948693", "0.00160548836", "0.999997556"],
      error: "6.56396151e-06",
      latency: "775.300903",
    },
    {
      file: "natnet2.5_motive1.5.0_frame_92882.bin",
      frame: 92882,
      pos: ["-0.263162971", "0.0391349047", "1.12353992"],
      quat: ["0.000254120212", "-0.00167341286", "0.00163791201", "0.999997258"],
      error: "7.47044896e-06",
      latency: "775.309204",
    },
  ];
  for (const c of cases) {
    it(`${c.file}`, () => {
      const f = decodeFixtureFrame(c.file);
      expect(f.frameNumber).toBe(c.frame);
      expect(f.markerSets.map((s) => s.name).sort()).toEqual(["Rigid Body 1", "all"]);
      const set = f.markerSets.find((s) => s.name === "Rigid Body 1");
      closeAll(set?.markers[0], [-0.3015673756599426, 0.08478303998708725, 1.1143304109573364], 4);
      closeAll(set?.markers[1], [-0.23079043626785278, 0.04755447059869766, 1.1353150606155396], 4);
      closeAll(set?.markers[2], [-0.25711703300476074, -0.014958729967474937, 1.1209092140197754], 4);
      expect(f.otherMarkers).toHaveLength(2);
      closeAll(f.otherMarkers[0], [-0.24560749530792236, 0.1687806248664856, 1.2753326892852783], 3);
      closeAll(f.otherMarkers[1], [-0.11109362542629242, 0.1273186355829239, 1.2400494813919067], 3);

      expect(f.rigidBodies).toHaveLength(1);
      const body = f.rigidBodies[0]!;
      expect(body.id).toBe(1);
      expectPrintedAll(body.position, c.pos);
      expectPrintedAll(body.orientation, c.quat);
      expectPrinted(body.meanError, c.error);
      expect(body.params).toBeUndefined();
      expect(body.trackingValid).toBeUndefined();
      expect(body.markers?.map((m) => m.id)).toEqual([1, 2, 3]);
      for (const marker of body.markers ?? []) expectPrinted(marker.size, "0.024");

      expect(f.skeletons).toEqual([]);
      expect(f.labeledMarkers).toHaveLength(3);
      f.labeledMarkers.forEach((marker, i) => {
        expect([marker.modelId, marker.markerId]).toEqual([0, i + 1]);
        expectPrinted(marker.size, "0.024");
        expect(marker.params).toBeUndefined();
        expect(marker.residual).toBeUndefined();
        expect(marker.position).toEqual(set?.markers[i]);
      });
      expect(f.forcePlates).toEqual([]);
      expectPrinted(f.softwareLatency, c.latency);
      expect([f.timecode, f.timecodeSubframe]).toEqual([0, 0]);
      expect(f.timestamp).toBeUndefined();
      expect(f.params).toBeUndefined();
      expect(f.transmitTimestamp).toBeUndefined();
    });
  }

  it("92881's rigid-body markers, to the printed digits", () => {
    const body = decodeFixtureFrame("natnet2.5_motive1.5.0_frame_92881.bin").rigidBodies[0]!;
    expectPrintedAll(body.markers?.[0]?.position, ["-0.301563233", "0.0847831667", "1.11433077"]);
    expectPrintedAll(body.markers?.[1]?.position, ["-0.230787247", "0.0475613214", "1.1353159"]);
    expectPrintedAll(body.markers?.[2]?.position, ["-0.257123202", "-0.0149642564", "1.12090826"]);
  });
});

describe("NatNet 2.6 frames (Motive 1.6 beta 2): float32 timestamp, params", () => {
  const cases = [
    {
      file: "natnet2.6_motive1.6beta2_frame_23796.bin",
      frame: 23796,
      pos: ["-0.263209879", "0.0392246358", "1.12478793"],
      quat: ["0.000150823063", "0.00144668226", "0.00288098352", "0.999994814"],
      error: "0.00024140875",
    },
    {
      file: "natnet2.6_motive1.6beta2_frame_23797.bin",
      frame: 23797,
      pos: ["-0.263215244", "0.0392250083", "1.12479162"],
      quat: ["0.00021110753", "0.00120349147", "0.00289446511", "0.999995112"],
      error: "0.000247610122",
    },
  ];
  for (const c of cases) {
    it(c.file, () => {
      const f = decodeFixtureFrame(c.file);
      expect(f.frameNumber).toBe(c.frame);
      expect(f.markerSets.map((s) => [s.name, s.markers.length])).toEqual([
        ["Rigid Body 1", 3],
        ["all", 3],
      ]);
      expect(f.otherMarkers).toHaveLength(2);
      const body = f.rigidBodies[0]!;
      expect(f.rigidBodies).toHaveLength(1);
      expect(body.id).toBe(1);
      expectPrintedAll(body.position, c.pos);
      expectPrintedAll(body.orientation, c.quat);
      expectPrinted(body.meanError, c.error);
      expect(body.params).toBe(1);
      expect(body.trackingValid).toBe(true);
      expect(body.markers?.map((m) => m.id)).toEqual([1, 2, 3]);
      for (const marker of body.markers ?? []) expectPrinted(marker.size, "0.024");
      expect(f.labeledMarkers.map((m) => [m.modelId, m.markerId, m.params])).toEqual([
        [0, 1, 2],
        [0, 2, 2],
        [0, 3, 2],
      ]);
      expect(f.labeledMarkers.every((m) => m.residual === undefined)).toBe(true);
      expect([f.timecode, f.timecodeSubframe, f.params]).toEqual([0, 0, 0]);
      expect(f.forcePlates).toEqual([]);
    });
  }

  it("23796: other markers, latency and the float32 timestamp", () => {
    const f = decodeFixtureFrame("natnet2.6_motive1.6beta2_frame_23796.bin");
    expectPrintedAll(f.otherMarkers[0], ["-0.115096986", "0.119456828", "1.23284793"]);
    expectPrintedAll(f.otherMarkers[1], ["-0.251814514", "0.172032565", "1.27734506"]);
    expectPrinted(f.softwareLatency, "199.664871");
    expectPrinted(f.timestamp, "199.664871");
    expect(Math.fround(f.timestamp ?? 0)).toBe(f.timestamp); // a float32 on the wire
  });
});

describe("NatNet 2.7 frames (Motive 1.7.2): float64 timestamp", () => {
  const cases = [
    {
      file: "natnet2.7_motive1.7.2_frame_411213.bin",
      frame: 411213,
      pos: ["0.00601963094", "0.0958075523", "-1.40759718"],
      quat: ["-0.000206473953", "-0.0002336326", "5.61085944e-05", "1.00000000"],
      error: "2.16340031e-05",
      latency: "3426.7749",
      timestamp: "3426.775",
    },
    {
      file: "natnet2.7_motive1.7.2_frame_411214.bin",
      frame: 411214,
      pos: ["0.00602025772", "0.095807299", "-1.40758967"],
      quat: ["-3.36127268e-05", "-9.21583924e-05", "1.59038282e-05", "1.00000000"],
      error: "6.07967377e-06",
      latency: "3426.78345",
      timestamp: "3426.78333",
    },
  ];
  for (const c of cases) {
    it(c.file, () => {
      const f = decodeFixtureFrame(c.file);
      expect(f.frameNumber).toBe(c.frame);
      expect(f.markerSets.map((s) => s.name).sort()).toEqual(["Rigid Body 1", "all"]);
      const set = f.markerSets.find((s) => s.name === "Rigid Body 1");
      closeAll(set?.markers[0], [-0.05369, 0.099419, -1.398518], 4);
      closeAll(set?.markers[1], [0.047905, 0.115714, -1.436263], 4);
      closeAll(set?.markers[2], [0.023839, 0.07229, -1.38807], 4);
      expect(f.otherMarkers).toHaveLength(2);
      closeAll(f.otherMarkers[0], [-0.254053, 0.055445, -1.432309], 3);
      closeAll(f.otherMarkers[1], [-0.281266, 0.04951, -1.421349], 3);
      const body = f.rigidBodies[0]!;
      expect(f.rigidBodies).toHaveLength(1);
      expect(body.id).toBe(1);
      expectPrintedAll(body.position, c.pos);
      expectPrintedAll(body.orientation, c.quat);
      expectPrinted(body.meanError, c.error);
      expect([body.params, body.trackingValid]).toEqual([1, true]);
      expect(body.markers?.map((m) => m.id)).toEqual([1, 2, 3]);
      expect(f.skeletons).toEqual([]);
      expect(f.labeledMarkers).toHaveLength(3);
      expect(f.labeledMarkers.every((m) => m.params === 2)).toBe(true);
      expect(f.forcePlates).toEqual([]);
      expectPrinted(f.softwareLatency, c.latency);
      expectPrinted(f.timestamp, c.timestamp);
      expect(f.params).toBe(0);
    });
  }
});

describe("NatNet 2.9 frames (Motive 1.9.0): force plates", () => {
  const cases = [
    {
      file: "natnet2.9_motive1.9.0_frame_11823217.bin",
      frame: 11823217,
      pos: ["0.245339304", "0.0169602353", "0.22016038"],
      quat: ["0.00191511004", "-0.0160671212", "-0.000286565424", "-0.999869049"],
      error: "0.00011561811",
      latency: "98526.8047",
      timestamp: "98526.8083",
    },
    {
      file: "natnet2.9_motive1.9.0_frame_11823218.bin",
      frame: 11823218,
      pos: ["0.245347336", "0.0169539843", "0.220149308"],
      quat: ["0.00190449157", "-0.0160316322", "-0.000242683862", "-0.999869645"],
      error: "9.88940374e-05",
      latency: "98526.8203",
      timestamp: "98526.8167",
    },
  ];
  for (const c of cases) {
    it(c.file, () => {
      const f = decodeFixtureFrame(c.file);
      expect(f.frameNumber).toBe(c.frame);
      expect(f.markerSets.map((s) => s.name).sort()).toEqual(["Triangle", "all"]);
      const set = f.markerSets.find((s) => s.name === "Triangle");
      closeAll(set?.markers[0], [0.344206, 0.015133, 0.150544], 4);
      closeAll(set?.markers[1], [0.193836, 0.015162, 0.155252], 4);
      closeAll(set?.markers[2], [0.200077, 0.016285, 0.355402], 4);
      expect(f.otherMarkers).toEqual([]);
      const body = f.rigidBodies[0]!;
      expect(f.rigidBodies).toHaveLength(1);
      expect(body.id).toBe(2);
      expectPrintedAll(body.position, c.pos);
      expectPrintedAll(body.orientation, c.quat);
      expectPrinted(body.meanError, c.error);
      expect([body.params, body.trackingValid]).toEqual([1, true]);
      expect(body.markers?.map((m) => m.id)).toEqual([1, 2, 3]);
      expect(f.skeletons).toEqual([]);
      expect(f.labeledMarkers.map((m) => [m.modelId, m.markerId, m.params])).toEqual([
        [2, 1, 10],
        [2, 2, 10],
        [2, 3, 10],
      ]);
      expect(f.forcePlates).toEqual([]);
      expect(f.devices).toEqual([]);
      expectPrinted(f.softwareLatency, c.latency);
      expectPrinted(f.timestamp, c.timestamp);
      expect(f.params).toBe(0);
    });
  }

  it("natnet2.9_motive1.9.0_frame_9764967.bin (older capture): an unlabeled point-cloud marker", () => {
    const f = decodeFixtureFrame("natnet2.9_motive1.9.0_frame_9764967.bin");
    expect(f.frameNumber).toBe(9764967);
    expect(f.markerSets.map((s) => s.name)).toEqual(["Triangle", "all"]);
    expect(f.otherMarkers).toHaveLength(1);
    expectPrintedAll(f.otherMarkers[0], ["3.14682889", "2.17352867", "0.359759301"]);
    const body = f.rigidBodies[0]!;
    expect(body.id).toBe(1);
    expectPrintedAll(body.position, ["-0.236594796", "0.2806319", "0.227202907"]);
    expectPrintedAll(body.orientation, ["-0.0596988201", "-0.298283726", "0.189820424", "-0.933504701"]);
    expectPrinted(body.meanError, "9.54022034e-05");
    expect(body.trackingValid).toBe(true);
    expect(f.labeledMarkers.map((m) => [m.modelId, m.markerId, m.params])).toEqual([
      [1, 1, 10],
      [1, 2, 10],
      [1, 3, 10],
      [0, 275, 2],
    ]);
    expect(f.forcePlates).toEqual([]);
    expectPrinted(f.softwareLatency, "81374.7266");
    expectPrinted(f.timestamp, "81374.725");
    expect(f.params).toBe(0);
  });
});
