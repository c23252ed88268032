import type { NatNetVersionLike } from "../../../hw/natnet/index.js";

/** Every NatNet version whose bitstream layout differs, oldest first. */
export const ALL_VERSIONS: readonly NatNetVersionLike[] = [
  [2, 5],
  [2, 6],
  [2, 7],
  [2, 9],
  [3, 0],
  [3, 1],
  [4, 0],
  [4, 1],
  [4, 2],
].map(([major, minor]) => ({ major: major as number, minor: minor as number }));
