/**
 * Pure image metrics over typed arrays (no I/O, no clocks), shared by the live path (128×128
 * thumbnails from the recorder) and the offline path (frames read from H5).
 */
export { type ContactMetrics, contactMetrics, DEFAULT_TAU } from "./contact.js";
export { evenlySpaced } from "./evenlySpaced.js";
export { FrameDiffer } from "./FrameDiffer.js";
export { frameHash } from "./frameHash.js";
export { meanL2Distance, meanL2ToImage } from "./l2.js";
export { isBitwiseEqual, meanAbsDiff, pairsEvenlySpread, sumAbsDiff } from "./motion.js";
export { centredMovingAverage } from "./movingAverage.js";
export {
  drift,
  P01_MAX_SAMPLES,
  P01_WINDOW,
  P01Distances,
  type P01Options,
  type P01Pick,
  type P01Result,
  p01SampleIndices,
  referenceP01,
} from "./referenceP01.js";
export { TemporalMedian } from "./temporalMedian.js";
export { THUMB_BYTES, THUMB_SIDE, thumbnail, toChannelFirst } from "./thumbnail.js";
