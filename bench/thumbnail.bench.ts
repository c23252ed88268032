/**
 * Thumbnail benchmark: the 480×640 → 128×128 area resize every metric and the `.pt` use, through
 * the WebAssembly SIMD kernel (what runs) against the plain byte loop (areaBytes.ts, the reference
 * it must equal) in the same process, on the same noise frame. Medians of 7 rounds.
 *
 *   node --import tsx bench/thumbnail.bench.ts
 */
import { cpus } from "node:os";
import { resizeBytes } from "../detectors/image/areaBytes.js";
import { areaTable } from "../detectors/image/areaTable.js";
import { THUMB_BYTES, thumbnail, toChannelFirst } from "../detectors/image/index.js";

const [height, width] = [480, 640];
const frame = new Uint8Array(height * width * 3);
let x = 1;
for (let i = 0; i < frame.length; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  frame[i] = x & 0xff;
}
const table = areaTable(480, 128);
const out = new Uint8Array(THUMB_BYTES);
const chw = new Uint8Array(THUMB_BYTES);
const calls = 300;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

function msPerCall(run: () => void): number {
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) run();
    rounds.push((performance.now() - t0) / calls);
  }
  return median(rounds);
}

const bytes = msPerCall(() => resizeBytes(frame, width, 0, 80, table, out));
const simd = msPerCall(() => thumbnail(frame, height, width, out));
const bytesChw = msPerCall(() => {
  resizeBytes(frame, width, 0, 80, table, out);
  toChannelFirst(out, chw);
});
const simdChw = msPerCall(() => thumbnail(frame, height, width, chw, "chw"));

console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, node ${process.version}`);
console.log("480×640 → 128×128        byte loop   SIMD kernel   ratio");
console.log(
  `HWC (metrics)            ${bytes.toFixed(3)} ms    ${simd.toFixed(3)} ms     ${(bytes / simd).toFixed(1)}×`,
);
console.log(
  `CHW (.pt views)          ${bytesChw.toFixed(3)} ms    ${simdChw.toFixed(3)} ms     ${(bytesChw / simdChw).toFixed(1)}×`,
);
