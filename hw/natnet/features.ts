import { atLeast, type NatNetVersionLike } from "./version.js";

/**
 * Which optional fields a NatNet version puts on the wire (natnet.md §5, §7, §9). Every version gate
 * in the decoder and encoder reads one of these, so the version rules live in one place.
 */
export interface NatNetFeatures {
  readonly version: NatNetVersionLike;

  // Frame of data (natnet.md §5)
  /** An int32 byte count after every section's element count (4.1). */
  readonly sectionSizes: boolean;
  readonly skeletons: boolean;
  /** Trained-markerset assets, between skeletons and labeled markers (4.1). */
  readonly assets: boolean;
  readonly labeledMarkers: boolean;
  readonly forcePlates: boolean;
  readonly devices: boolean;
  /** Rigid bodies carry their marker positions (< 3.0). */
  readonly rigidBodyMarkers: boolean;
  /** ...followed by marker ids and sizes (2.0 to 2.x). */
  readonly rigidBodyMarkerIdsAndSizes: boolean;
  readonly meanMarkerError: boolean;
  /** int16 params on rigid bodies and labeled markers, and frame params (2.6). */
  readonly params: boolean;
  readonly markerResidual: boolean;
  readonly softwareLatency: boolean;
  /**
   * `none` before 2.6: the Motive 1.5 captures have no timestamp although PacketClient reads a float
   * (natnet.md §10.1).
   */
  readonly timestamp: "none" | "float32" | "float64";
  /** Camera mid-exposure, data-received and transmit ticks (3.0). */
  readonly cameraTimestamps: boolean;
  readonly precisionTimestamp: boolean;

  // Data descriptions (natnet.md §7)
  /** An int32 byte size after each description's type (4.1). */
  readonly descriptionSizes: boolean;
  readonly rigidBodyName: boolean;
  readonly rigidBodyRotationOffset: boolean;
  readonly rigidBodyMarkerOffsets: boolean;
  readonly rigidBodyMarkerNames: boolean;
  /** Force-plate and device description layouts are known from 3.0 only. */
  readonly analogDescriptions: boolean;
}

export function featuresOf(version: NatNetVersionLike): NatNetFeatures {
  const v = (major: number, minor: number) => atLeast(version, major, minor);
  return {
    version,
    sectionSizes: v(4, 1),
    skeletons: v(2, 1),
    assets: v(4, 1),
    labeledMarkers: v(2, 3),
    forcePlates: v(2, 9),
    devices: v(2, 11),
    rigidBodyMarkers: !v(3, 0),
    rigidBodyMarkerIdsAndSizes: v(2, 0) && !v(3, 0),
    meanMarkerError: v(2, 0),
    params: v(2, 6),
    markerResidual: v(3, 0),
    softwareLatency: !v(3, 0),
    timestamp: v(2, 7) ? "float64" : v(2, 6) ? "float32" : "none",
    cameraTimestamps: v(3, 0),
    precisionTimestamp: v(4, 1),
    descriptionSizes: v(4, 1),
    rigidBodyName: v(2, 0),
    rigidBodyRotationOffset: v(4, 2),
    rigidBodyMarkerOffsets: v(3, 0),
    rigidBodyMarkerNames: v(4, 0),
    analogDescriptions: v(3, 0),
  };
}

let lastVersion: NatNetVersionLike | undefined;
let lastFeatures: NatNetFeatures | undefined;

/** `featuresOf`, remembered for the last version object: a receiver passes the same one every frame. */
export function cachedFeaturesOf(version: NatNetVersionLike): NatNetFeatures {
  if (version !== lastVersion || lastFeatures === undefined) {
    lastFeatures = featuresOf(version);
    lastVersion = version;
  }
  return lastFeatures;
}
