/**
 * NatNet 3.0 captures (Motive 2.1, mje-nz/python_natnet). Expected values are the fixture README's TEST
 * values (python_natnet's own tests) and DEC values, checked to every printed digit.
 */
import { describe, expect, it } from "vitest";
import { FrameParams, MarkerParams, natnetVersion } from "../../hw/natnet/index.js";
import { decodeAs, decodeFixtureFrame } from "./helpers/decode.js";
import { expectApprox, expectApproxAll, expectPrinted, expectPrintedAll } from "./helpers/expectNumbers.js";
import { FRAME_162734, NATNET_3_0, readFixture } from "./helpers/fixtures.js";

const V3 = natnetVersion(3, 0, 0, 0);

describe("NatNet 3.0 command-channel fixtures", () => {
  it("connect.bin: NatNetLib 3.0.0.0 / 3.0.0.0, the 264-byte sSender with no options", () => {
    expect(decodeAs(readFixture("natnet3.0_motive2.1_connect.bin"), "connect")).toEqual({
      type: "connect",
      name: "NatNetLib",
      appVersion: V3,
      natnetVersion: V3,
      subscribedDataOnly: undefined,
      bitstreamVersion: undefined,
    });
  });

  it("discovery.bin: the same content under message id 14", () => {
    const discovery = decodeAs(readFixture("natnet3.0_motive2.1_discovery.bin"), "discovery");
    expect([discovery.name, discovery.appVersion, discovery.natnetVersion]).toEqual(["NatNetLib", V3, V3]);
  });

  it("serverinfo.bin: Motive 2.1.0.0, NatNet 3.0.0.0, 3312787 Hz, port 1511, multicast 239.255.42.99", () => {
    const bytes = readFixture("natnet3.0_motive2.1_serverinfo.bin");
    // The name field holds garbage after the NUL ("ib\0…"): only "Motive" must come out.
    expect(bytes.subarray(4 + 7, 4 + 9)).toEqual(Uint8Array.from([0x69, 0x62]));
    expect(decodeAs(bytes, "serverInfo")).toEqual({
      type: "serverInfo",
      name: "Motive",
      appVersion: natnetVersion(2, 1, 0, 0),
      natnetVersion: V3,
      highResClockFrequency: 3312787n,
      dataPort: 1511,
      multicast: true,
      multicastAddress: "239.255.42.99",
    });
  });

  it("requestmodeldef.bin: message 4, empty payload", () => {
    expect(decodeAs(readFixture("natnet3.0_motive2.1_requestmodeldef.bin"), "requestModelDef")).toEqual({
      type: "requestModelDef",
    });
  });

  it("echorequest.bin / echoresponse.bin: 278554190 echoed, server receive 1416498545924 ticks", () => {
    expect(decodeAs(readFixture("natnet3.0_motive2.1_echorequest.bin"), "echoRequest")).toEqual({
      type: "echoRequest",
      clientTimestamp: 278554190n,
    });
    expect(decodeAs(readFixture("natnet3.0_motive2.1_echoresponse.bin"), "echoResponse")).toEqual({
      type: "echoResponse",
      clientTimestamp: 278554190n,
      serverReceiveTimestamp: 1416498545924n,
    });
  });
});

describe("NatNet 3.0 model definitions (modeldef.bin)", () => {
  const modelDef = decodeAs(readFixture("natnet3.0_motive2.1_modeldef.bin"), "modelDef", NATNET_3_0);

  it("has the rigid body first, then two marker sets, in server order", () => {
    expect(modelDef.descriptions.map((d) => d.kind)).toEqual(["rigidBody", "markerSet", "markerSet"]);
  });

  it("rigid body RaceQuad (TEST, pytest.approx): id 2, no parent, zero offset, 5 marker offsets, active labels 0", () => {
    const body = modelDef.descriptions[0];
    if (body?.kind !== "rigidBody") throw new Error("expected a rigid body");
    expect([body.name, body.id, body.parentId, body.offset]).toEqual(["RaceQuad", 2, -1, [0, 0, 0]]);
    expect(body.rotationOffset).toBeUndefined(); // 4.2 only
    const offsets = [
      [0.16115899, 0.0350516, -0.0321813],
      [-0.030819, 0.0397819, -0.0219901],
      [0.18753099, -0.0333833, 0.148081],
      [-0.0748715, 6.68607e-5, 0.0329233],
      [-0.0580382, -0.0319419, -0.136807],
    ];
    expect(body.markers).toHaveLength(5);
    body.markers?.forEach((marker, i) => {
      expectApproxAll(marker.offset, offsets[i]!);
      expect(marker.activeLabel).toBe(0);
      expect(marker.name).toBeUndefined(); // 4.0 and later
    });
  });

  it("marker sets RaceQuad (Marker1–5) and all (RaceQuad_1–5)", () => {
    expect(modelDef.descriptions.slice(1)).toEqual([
      {
        kind: "markerSet",
        name: "RaceQuad",
        markerNames: ["Marker1", "Marker2", "Marker3", "Marker4", "Marker5"],
      },
      {
        kind: "markerSet",
        name: "all",
        markerNames: ["RaceQuad_1", "RaceQuad_2", "RaceQuad_3", "RaceQuad_4", "RaceQuad_5"],
      },
    ]);
  });
});

describe("NatNet 3.0 frame 162734", () => {
  const f = decodeFixtureFrame(FRAME_162734);

  it("frame number, empty sections", () => {
    expect(f.frameNumber).toBe(162734);
    expect([f.markerSets, f.skeletons, f.assets, f.forcePlates, f.devices]).toEqual([[], [], [], [], []]);
  });

  it("rigid body 2: the full-precision pose of the serialisation test, tracking valid", () => {
    expect(f.rigidBodies).toEqual([
      {
        id: 2,
        position: [0.17444664239883423, 1.4471313953399658, -0.7343040108680725],
        orientation: [-0.05459423363208771, 0.509948194026947, 0.04370357096195221, -0.8573576807975769],
        markers: undefined,
        meanError: 0.0005152203375473619,
        params: 1,
        trackingValid: true,
      },
    ]);
  });

  it("6 labeled markers: ids, positions, sizes, params and residuals", () => {
    // [0] and [5] are TEST values (pytest.approx); [1]–[4] come from the serialisation test, printed to
    // 8–9 digits (positions), 7 (sizes) and 5 (residuals), and are checked to those digits.
    const expected = [
      [2, 1, ["0.1272162", "1.5050275", "-0.8858284"], "0.02143982", 10, 0.0002074828],
      [2, 2, ["0.20898521", "1.48328066", "-0.71218663"], "0.02088479", 10, "0.00053907"],
      [2, 3, ["-0.04574164", "1.43104291", "-0.83130223"], "0.02080907", 10, "0.00068912"],
      [2, 4, ["0.18133828", "1.43583381", "-0.65359426"], "0.01926951", 10, "0.00038373"],
      [2, 5, ["0.32139891", "1.41465127", "-0.75295377"], "0.02122474", 10, "0.00063574"],
      [0, 50007, ["0.1708117", "1.5076591", "-0.8402346"], "0.02015734", 18, 0.0005593782],
    ] as const;
    expect(f.labeledMarkers).toHaveLength(6);
    f.labeledMarkers.forEach((marker, i) => {
      const [model, id, position, size, params, residual] = expected[i]!;
      expect([marker.modelId, marker.markerId, marker.id]).toEqual([model, id, (model << 16) | id]);
      expectPrintedAll(marker.position, position);
      expectPrinted(marker.size, size);
      expect(marker.params).toBe(params);
      if (typeof residual === "number") expectApprox(marker.residual, residual);
      else expectPrinted(marker.residual, residual);
    });
    // [0]: point-cloud solved + has model; [5]: point-cloud solved + unlabeled.
    expect(f.labeledMarkers[0]?.params).toBe(MarkerParams.PointCloudSolved | MarkerParams.HasModel);
    expect(f.labeledMarkers[5]?.params).toBe(MarkerParams.PointCloudSolved | MarkerParams.Unlabeled);
  });

  it("5 other markers: the positions of labeled markers 0–4, in order", () => {
    expect(f.otherMarkers).toEqual(f.labeledMarkers.slice(0, 5).map((m) => m.position));
  });

  it("suffix: timecode 0, timestamp 162734/120 s, the three tick stamps, params 0; no 2.x/4.1 fields", () => {
    expect([f.timecode, f.timecodeSubframe]).toEqual([0, 0]);
    expect(f.timestamp).toBe(1356.1166666666666);
    expect(f.timestamp).toBe(162734 / 120);
    expect(f.cameraMidExposureTimestamp).toBe(1416497730518n);
    expect(f.cameraDataReceivedTimestamp).toBe(1416497745808n);
    expect(f.transmitTimestamp).toBe(1416497748722n);
    expect(f.params).toBe(0);
    expect(f.softwareLatency).toBeUndefined();
    expect(f.precisionTimestampSeconds).toBeUndefined();
  });

  it("latencies: system (transmit − mid-exposure) 0.005495071 s, software (transmit − received) 0.00088 s", () => {
    const hz = 3312787;
    const system = Number((f.transmitTimestamp ?? 0n) - (f.cameraMidExposureTimestamp ?? 0n)) / hz;
    const software = Number((f.transmitTimestamp ?? 0n) - (f.cameraDataReceivedTimestamp ?? 0n)) / hz;
    expectPrinted(system, "0.005495071");
    expectPrinted(software, "0.00088");
  });
});

describe("NatNet 3.0 frame 269007 (occluded marker)", () => {
  const f = decodeFixtureFrame("natnet3.0_motive2.1_frame_269007_occluded.bin");
  const positions = [
    ["-0.168483421", "0.283186644", "0.490805507"],
    ["-0.139901891", "0.473624289", "0.44168669"],
    ["-0.120278075", "0.18182461", "0.462637722"],
    ["-0.241419077", "0.214492083", "0.4675152"],
    ["-0.100575335", "0.261596322", "0.490676284"],
  ];

  it("frame 269007: marker sets FakeTree and all with the same 5 positions, no other markers", () => {
    expect(f.frameNumber).toBe(269007);
    expect(f.markerSets.map((s) => s.name)).toEqual(["FakeTree", "all"]);
    for (const set of f.markerSets) {
      expect(set.markers).toHaveLength(5);
      set.markers.forEach((position, i) => expectPrintedAll(position, positions[i]!));
    }
    expect(f.otherMarkers).toEqual([]);
  });

  it("rigid body 7 is still tracking-valid (params 1): the occlusion is per marker, not per body", () => {
    expect(f.rigidBodies).toHaveLength(1);
    const body = f.rigidBodies[0]!;
    expect(body.id).toBe(7);
    expectPrintedAll(body.position, ["-0.154131562", "0.282944798", "0.470664322"]);
    expectPrintedAll(body.orientation, [
      "-0.000333928881",
      "-0.000148212755",
      "0.00524857594",
      "-0.999986172",
    ]);
    expectPrinted(body.meanError, "6.20881702e-09");
    expect([body.params, body.trackingValid]).toEqual([1, true]);
  });

  it("labeled markers 2–5 of model 7; marker 1 missing; marker 2 flagged occluded (params 11) though seen", () => {
    expect(f.labeledMarkers.map((m) => [m.modelId, m.markerId, m.params])).toEqual([
      [7, 2, 11],
      [7, 3, 10],
      [7, 4, 10],
      [7, 5, 10],
    ]);
    expect(f.labeledMarkers.map((m) => ((m.params ?? 0) & MarkerParams.Occluded) !== 0)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    const residuals = ["5.08858284e-05", "0.000544939772", "0.000144848716", "0.000500721624"];
    const sizes = ["0.0208280422", "0.0234863684", "0.0217074174", "0.0235295761"];
    f.labeledMarkers.forEach((marker, i) => {
      expectPrinted(marker.residual, residuals[i]!);
      expectPrinted(marker.size, sizes[i]!);
      expect(marker.position).toEqual(f.markerSets[0]?.markers[i + 1]);
    });
  });

  it("suffix: timestamp 8966.9, tick stamps, params 0", () => {
    expectPrinted(f.timestamp, "8966.9");
    expect([f.cameraMidExposureTimestamp, f.cameraDataReceivedTimestamp, f.transmitTimestamp]).toEqual([
      8642283567331n,
      8642283582567n,
      8642283586925n,
    ]);
    expect(f.params).toBe(0);
    expect((f.params ?? 0) & FrameParams.Recording).toBe(0);
  });
});

describe("tracking lost: no capture has one, so the real frame 162734 with its rigid body's params cleared", () => {
  it("decodes trackingValid false with the rest of the frame unchanged", () => {
    const bytes = readFixture(FRAME_162734);
    expect([bytes[116], bytes[117]]).toEqual([1, 0]); // params of rigid body 2 (natnet.md §6)
    bytes[116] = 0;
    const lost = decodeAs(bytes, "frameOfData", NATNET_3_0);
    const original = decodeFixtureFrame(FRAME_162734);
    expect(lost.rigidBodies[0]).toEqual({ ...original.rigidBodies[0], params: 0, trackingValid: false });
    expect({ ...lost, rigidBodies: [] }).toEqual({ ...original, rigidBodies: [] });
  });
});
