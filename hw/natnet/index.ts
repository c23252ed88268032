/**
 * NatNet (OptiTrack Motive) wire protocol, 2.5 to 4.2: a pure decoder and its mirror encoder, no
 * sockets and no clocks. Feed `decodePacket` each datagram with the version from `ServerInfo`.
 * Protocol notes: the shared reference natnet.md (§ numbers in comments point into it).
 */
export { decodePacket } from "./decodePacket.js";
export { encodeFrame, encodeModelDef, encodePacket, encodeServerInfo } from "./encodePacket.js";
export { featuresOf, type NatNetFeatures } from "./features.js";
export { labeledMarkerId } from "./labeledMarkerId.js";
export { HEADER_SIZE, MAX_PAYLOAD_SIZE, MessageId } from "./MessageId.js";
export { NatNetDecodeError, type NatNetDecodeErrorInfo } from "./NatNetDecodeError.js";
export { DescriptionType, FrameParams, MarkerParams, RigidBodyParams } from "./params.js";
export { Reader, type ReaderOptions } from "./Reader.js";
export { decodeTimecode, type Timecode } from "./timecode.js";
export type * from "./types.js";
export {
  atLeast,
  formatVersion,
  type NatNetVersion,
  type NatNetVersionLike,
  natnetVersion,
} from "./version.js";
export { Writer } from "./Writer.js";
export { type RigidBodyFrameFields, rigidBodyFrame } from "./rigidBodyFrame.js";
