/** Rigid-body params bits (NatNet ≥ 2.6). Only bit 0 is documented. */
export const RigidBodyParams = {
  /** Motive tracked the body in this frame; when clear the pose is undefined (natnet.md §11). */
  TrackingValid: 0x01,
} as const;

/** Labeled-marker params bits (NatNetTypes.h sMarker; 0x08 and up from NatNet 3.0). */
export const MarkerParams = {
  Occluded: 0x01,
  PointCloudSolved: 0x02,
  ModelSolved: 0x04,
  HasModel: 0x08,
  Unlabeled: 0x10,
  Active: 0x20,
  Established: 0x40,
  Measurement: 0x80,
} as const;

/**
 * Frame params bits, as NatNetTypes.h defines them. PacketClient's suffix decoder uses 0x04 for the
 * bitstream bit; that contradicts its own `Unpack` and the header (natnet.md §5.4).
 */
export const FrameParams = {
  Recording: 0x01,
  /** The tracked asset list changed: request the model definitions again. */
  ModelListChanged: 0x02,
  /** 0 = live, 1 = edit (playback). */
  EditMode: 0x04,
  /** First frame in a newly requested bitstream version. */
  BitstreamVersionChanged: 0x08,
} as const;

/** Data-description type ids in NAT_MODELDEF (natnet.md §7). */
export const DescriptionType = {
  markerSet: 0,
  rigidBody: 1,
  skeleton: 2,
  forcePlate: 3,
  device: 4,
  camera: 5,
  asset: 6,
} as const;
