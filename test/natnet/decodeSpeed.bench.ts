/**
 * Decode throughput: `node --import tsx test/natnet/decodeSpeed.bench.ts`. No capture has three rigid
 * bodies, so the 3-body frame is the real 3.0 frame 162734 with its rigid body, labeled and other
 * markers tripled (ids changed), re-encoded: 3 bodies, 18 labeled and 15 other markers, 844 bytes.
 * Prints the median of 7 runs for it (as 3.0 and as 4.1) and for the real 1-body frame.
 */
import { decodePacket, encodeFrame, type FrameOfData, labeledMarkerId } from "../../hw/natnet/index.js";
import { FRAME_162734, NATNET_3_0, readFixture } from "./helpers/fixtures.js";

const RUNS = 7;
const FRAMES_PER_RUN = 200_000;

const real = readFixture(FRAME_162734);
const one = decodePacket(real, NATNET_3_0) as FrameOfData;
const three: FrameOfData = {
  ...one,
  otherMarkers: [0, 1, 2].flatMap(() => one.otherMarkers),
  rigidBodies: [1, 2, 3].map((id) => ({ ...one.rigidBodies[0]!, id })),
  labeledMarkers: [1, 2, 3].flatMap((model) =>
    one.labeledMarkers.map((m) => ({ ...m, id: labeledMarkerId(model, m.markerId), modelId: model })),
  ),
};
const V41 = { major: 4, minor: 1 };

function framesPerSecond(bytes: Uint8Array, version: { major: number; minor: number }): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += (decodePacket(bytes, version) as FrameOfData).frameNumber; // warm-up
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (let i = 0; i < FRAMES_PER_RUN; i++)
      sink += (decodePacket(bytes, version) as FrameOfData).frameNumber;
    rates.push(FRAMES_PER_RUN / ((performance.now() - start) / 1000));
  }
  if (sink === 0) console.log("unreachable");
  return rates.sort((a, b) => a - b)[RUNS >> 1]!;
}

const cases = [
  ["3-body frame, NatNet 3.0", encodeFrame(NATNET_3_0, three), NATNET_3_0],
  ["3-body frame, NatNet 4.1", encodeFrame(V41, three), V41],
  ["real 1-body frame 162734, NatNet 3.0", real, NATNET_3_0],
] as const;
for (const [label, bytes, version] of cases) {
  const fps = framesPerSecond(bytes, version);
  console.log(
    `${label} (${bytes.length} bytes): ${Math.round(fps).toLocaleString("en")} frames/s, ${(1e6 / fps).toFixed(2)} µs/frame`,
  );
}
