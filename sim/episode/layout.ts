/**
 * The recorder's episode layout (curation spec §1), written down independently of the production reader
 * in hw/h5 so that a generated file tests the reader instead of mirroring it.
 */

export const CAMERAS = ["cam0", "cam1", "cam2"] as const;
export type Camera = (typeof CAMERAS)[number];

export const SIDES = ["left", "right"] as const;
export type Side = (typeof SIDES)[number];

export const BODIES = ["motherboard", "sensor_left", "sensor_right"] as const;
export type Body = (typeof BODIES)[number];
export type SensorBody = `sensor_${Side}`;

export const sensorBody = (side: Side): SensorBody => `sensor_${side}`;

/** cam0 = right view, cam1 = left view, cam2 = middle view (spec §1). */
export const REALSENSE_SERIALS = ["143322063538", "104122062574", "217222066989"] as const;
/** GelSight Mini serials of the real fixture, left then right. */
export const GELSIGHT_SERIALS = ["2BGLKZNT", "2BKRDTAD"] as const;

export const colorPath = (cam: Camera) => `realsense/${cam}/color`;
export const depthPath = (cam: Camera) => `realsense/${cam}/depth`;
export const gelPath = (side: Side) => `gelsight/${side}/frames`;
export const otTimesPath = (body: Body) => `optitrack/${body}/timestamps`;
export const otPosePath = (body: Body) => `optitrack/${body}/pose`;

/** Filters on the image datasets: BLOSC is what the recorder writes today; the others are older takes. */
export type Compression = "blosc" | "gzip" | "lzf" | "none";

/** HDF5 filter ids, as they appear in the file. */
export const FILTER_ID: Readonly<Record<Exclude<Compression, "none">, number>> = {
  gzip: 1,
  lzf: 32000,
  blosc: 32001,
};

/**
 * h5py's `guess_chunk`, ported: the fixture's writer let h5py choose the chunks of every dataset that is
 * not an image (resizable OT and timestamp datasets), so the same shapes must give the same chunks.
 */
export function guessChunk(shape: readonly number[], typesize: number): number[] {
  const CHUNK_BASE = 16 * 1024;
  const CHUNK_MIN = 8 * 1024;
  const CHUNK_MAX = 1024 * 1024;
  const chunks = shape.map((x) => (x === 0 ? 1024 : x));
  const product = () => chunks.reduce((a, b) => a * b, 1);
  const datasetSize = product() * typesize;
  let target = CHUNK_BASE * 2 ** Math.log10(datasetSize / (1024 * 1024));
  target = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, target));
  for (let idx = 0; ; idx++) {
    const bytes = product() * typesize;
    if ((bytes < target || Math.abs(bytes - target) / target < 0.5) && bytes < CHUNK_MAX) break;
    if (product() === 1) break;
    const axis = idx % chunks.length;
    chunks[axis] = Math.ceil((chunks[axis] as number) / 2);
  }
  return chunks;
}
