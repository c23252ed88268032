import type { NatNetVersion } from "./version.js";

/** Metres, [x, y, z]. Same shape as `PoseSample.position`. */
export type Vec3 = readonly [number, number, number];
/** [qx, qy, qz, qw], scalar last, as NatNet sends it. Same shape as `PoseSample.quaternion`. */
export type Quat = readonly [number, number, number, number];

// Fields that a version does not send are `undefined`, never missing, so every record of a kind has
// the same keys whatever the version (one hidden class on the hot path, and plain equality in tests).

// ---- Command channel (natnet.md §4) ----

/** NAT_CONNECT or NAT_DISCOVERY. Clients send anything from 0 to 273 bytes; the fields are there when the payload is long enough. */
export interface ConnectRequest {
  readonly type: "connect" | "discovery";
  /** Client application name (sSender, payload ≥ 264 bytes). */
  readonly name: string | undefined;
  readonly appVersion: NatNetVersion | undefined;
  readonly natnetVersion: NatNetVersion | undefined;
  /** sConnectionOptions (payload ≥ 269 bytes). */
  readonly subscribedDataOnly: boolean | undefined;
  /** The bitstream version the client asks for; 0.0.0.0 means the server's current one. */
  readonly bitstreamVersion: NatNetVersion | undefined;
}

/** NAT_SERVERINFO: where the NatNet version every later decode depends on comes from. */
export interface ServerInfo {
  readonly type: "serverInfo";
  /** Server application name, e.g. `Motive` (`NatNetLib` for the 2.x sender packet on the data channel). */
  readonly name: string;
  readonly appVersion: NatNetVersion;
  /** The server's current bitstream version: decode everything else with it. */
  readonly natnetVersion: NatNetVersion;
  /** Ticks per second of the server's timestamp clock (NatNet ≥ 3.0). */
  readonly highResClockFrequency: bigint | undefined;
  readonly dataPort: number | undefined;
  readonly multicast: boolean | undefined;
  /** Dotted quad, e.g. `239.255.42.99`. */
  readonly multicastAddress: string | undefined;
}

/** NAT_REQUEST: an ASCII command such as `FrameRate` or `SetRecordTakeName,take1`. */
export interface Request {
  readonly type: "request";
  readonly command: string;
}

/**
 * NAT_RESPONSE. A 4-byte payload is a number whose type the command decides (int status, or float for
 * `FrameRate`), so both readings are given; anything else is a NUL-terminated string.
 */
export interface Response {
  readonly type: "response";
  readonly int32: number | undefined;
  readonly float32: number | undefined;
  readonly text: string | undefined;
}

export interface MessageString {
  readonly type: "messageString";
  readonly text: string;
}

export interface EchoRequest {
  readonly type: "echoRequest";
  /** Chosen by the client (NatNetLib sends its own clock) and echoed back. */
  readonly clientTimestamp: bigint;
}

export interface EchoResponse {
  readonly type: "echoResponse";
  readonly clientTimestamp: bigint;
  /** Server high-resolution ticks when the request arrived. */
  readonly serverReceiveTimestamp: bigint;
}

/** NAT_UNRECOGNIZED_REQUEST. Motive fills its payload with stale buffer bytes, so only the size is kept. */
export interface UnrecognizedRequest {
  readonly type: "unrecognizedRequest";
  readonly payloadSize: number;
}

/** Messages whose payload is empty (clients sometimes pad it with a NUL, which is ignored). */
export interface EmptyMessage {
  readonly type:
    "requestModelDef" | "requestFrameOfData" | "disconnect" | "keepAlive" | "disconnectByTimeout";
}

/** A message id this decoder does not know. Not an error: newer servers may add messages. */
export interface UnknownMessage {
  readonly type: "unknown";
  readonly messageId: number;
  /** A copy: it stays valid when the receive buffer is reused. */
  readonly payload: Uint8Array;
}

// ---- Frame of data (natnet.md §5) ----

export interface MarkerSetData {
  readonly name: string;
  readonly markers: readonly Vec3[];
}

/** A rigid body's own marker, sent inside the rigid body before NatNet 3.0. */
export interface RigidBodyMarker {
  readonly position: Vec3;
  /** NatNet ≥ 2.0. */
  readonly id: number | undefined;
  readonly size: number | undefined;
}

export interface RigidBodyData {
  /** Motive's streaming id; matches `RigidBodyDescription.id`. Skeleton bones: (skeletonId << 16) | boneId. */
  readonly id: number;
  readonly position: Vec3;
  readonly orientation: Quat;
  /** NatNet < 3.0 only. */
  readonly markers: readonly RigidBodyMarker[] | undefined;
  /** Mean marker error in metres (NatNet ≥ 2.0). */
  readonly meanError: number | undefined;
  /** Raw params word (NatNet ≥ 2.6). */
  readonly params: number | undefined;
  /** Params bit 0: Motive tracked the body in this frame. Undefined before 2.6, which has no flag. */
  readonly trackingValid: boolean | undefined;
}

export interface SkeletonData {
  readonly id: number;
  readonly bones: readonly RigidBodyData[];
}

export interface AssetRigidBodyData {
  readonly id: number;
  readonly position: Vec3;
  readonly orientation: Quat;
  readonly meanError: number;
  readonly params: number;
}

export interface AssetMarkerData {
  readonly id: number;
  readonly position: Vec3;
  readonly size: number;
  readonly params: number;
  readonly residual: number;
}

/** A trained-markerset asset (NatNet ≥ 4.1). */
export interface AssetData {
  readonly id: number;
  readonly rigidBodies: readonly AssetRigidBodyData[];
  readonly markers: readonly AssetMarkerData[];
}

export interface LabeledMarker {
  /** Raw id, read as uint32. For asset markers: model id in the high 16 bits, marker index in the low 16. */
  readonly id: number;
  readonly modelId: number;
  readonly markerId: number;
  readonly position: Vec3;
  readonly size: number;
  /** NatNet ≥ 2.6; bits in `MarkerParams`. */
  readonly params: number | undefined;
  /** Metres per ray (NatNet ≥ 3.0). */
  readonly residual: number | undefined;
}

/** A force plate's or device's samples for one mocap frame: per channel, the analog samples. */
export interface AnalogData {
  readonly id: number;
  readonly channels: readonly (readonly number[])[];
}

export interface FrameOfData {
  readonly type: "frameOfData";
  readonly frameNumber: number;
  readonly markerSets: readonly MarkerSetData[];
  /** Legacy unlabeled ("other") markers. */
  readonly otherMarkers: readonly Vec3[];
  readonly rigidBodies: readonly RigidBodyData[];
  readonly skeletons: readonly SkeletonData[];
  readonly assets: readonly AssetData[];
  readonly labeledMarkers: readonly LabeledMarker[];
  readonly forcePlates: readonly AnalogData[];
  readonly devices: readonly AnalogData[];
  /** NatNet < 3.0 only. */
  readonly softwareLatency: number | undefined;
  /** SMPTE hh:mm:ss:ff packed in bytes (see `decodeTimecode`); 0 without a timecode source. */
  readonly timecode: number;
  readonly timecodeSubframe: number;
  /** Seconds since Motive started (float32 in 2.6, float64 from 2.7, absent before). */
  readonly timestamp: number | undefined;
  /** Server high-resolution ticks (NatNet ≥ 3.0); divide by `ServerInfo.highResClockFrequency`. */
  readonly cameraMidExposureTimestamp: bigint | undefined;
  readonly cameraDataReceivedTimestamp: bigint | undefined;
  readonly transmitTimestamp: bigint | undefined;
  /** Optional (e.g. PTP) time, 0 when absent (NatNet ≥ 4.1). */
  readonly precisionTimestampSeconds: number | undefined;
  readonly precisionTimestampFractionalSeconds: number | undefined;
  /** Frame params word (NatNet ≥ 2.6); bits in `FrameParams`. */
  readonly params: number | undefined;
}

// ---- Data descriptions (natnet.md §7) ----

export interface MarkerSetDescription {
  readonly kind: "markerSet";
  readonly name: string;
  readonly markerNames: readonly string[];
}

export interface RigidBodyMarkerDescription {
  /** Offset from the rigid body's origin, metres. */
  readonly offset: Vec3;
  /** Required active label; 0 = unspecified. */
  readonly activeLabel: number;
  /** NatNet ≥ 4.0. */
  readonly name: string | undefined;
}

export interface RigidBodyDescription {
  readonly kind: "rigidBody";
  /** NatNet ≥ 2.0 (always, for the versions seen in practice). */
  readonly name: string | undefined;
  readonly id: number;
  /** -1 = no parent. */
  readonly parentId: number;
  readonly offset: Vec3;
  /** NatNet ≥ 4.2. */
  readonly rotationOffset: Quat | undefined;
  /** NatNet ≥ 3.0. */
  readonly markers: readonly RigidBodyMarkerDescription[] | undefined;
}

export interface SkeletonDescription {
  readonly kind: "skeleton";
  readonly name: string;
  readonly id: number;
  readonly bones: readonly RigidBodyDescription[];
}

export interface ForcePlateDescription {
  readonly kind: "forcePlate";
  readonly id: number;
  readonly serialNumber: string;
  readonly width: number;
  readonly length: number;
  readonly origin: Vec3;
  /** 12 rows of 12. */
  readonly calibrationMatrix: readonly (readonly number[])[];
  /** 4 corners. */
  readonly corners: readonly Vec3[];
  readonly plateType: number;
  readonly channelDataType: number;
  readonly channelNames: readonly string[];
}

export interface DeviceDescription {
  readonly kind: "device";
  readonly id: number;
  readonly name: string;
  readonly serialNumber: string;
  readonly deviceType: number;
  readonly channelDataType: number;
  readonly channelNames: readonly string[];
}

export interface CameraDescription {
  readonly kind: "camera";
  readonly name: string;
  readonly position: Vec3;
  readonly orientation: Quat;
}

export interface AssetMarkerDescription {
  readonly name: string;
  readonly id: number;
  readonly position: Vec3;
  readonly size: number;
  readonly params: number;
}

export interface AssetDescription {
  readonly kind: "asset";
  readonly name: string;
  /** 1 = trained markerset. */
  readonly assetType: number;
  readonly id: number;
  readonly rigidBodies: readonly RigidBodyDescription[];
  readonly markers: readonly AssetMarkerDescription[];
}

/** A description type this decoder does not know; only skippable where sizes are sent (NatNet ≥ 4.1). */
export interface UnknownDescription {
  readonly kind: "unknown";
  readonly typeId: number;
  readonly payload: Uint8Array;
}

export type DataDescription =
  | MarkerSetDescription
  | RigidBodyDescription
  | SkeletonDescription
  | ForcePlateDescription
  | DeviceDescription
  | CameraDescription
  | AssetDescription
  | UnknownDescription;

/** NAT_MODELDEF, in server order. */
export interface ModelDef {
  readonly type: "modelDef";
  readonly descriptions: readonly DataDescription[];
}

/** Every decoded message by its `type`. */
export interface NatNetMessages {
  connect: ConnectRequest;
  serverInfo: ServerInfo;
  request: Request;
  response: Response;
  modelDef: ModelDef;
  frameOfData: FrameOfData;
  messageString: MessageString;
  echoRequest: EchoRequest;
  echoResponse: EchoResponse;
  unrecognizedRequest: UnrecognizedRequest;
  empty: EmptyMessage;
  unknown: UnknownMessage;
}

export type NatNetMessage = NatNetMessages[keyof NatNetMessages];
export type NatNetMessageType = NatNetMessage["type"];

/** The message shape for one `type` tag, e.g. `NatNetMessageOf<"discovery">` is `ConnectRequest`. */
export type NatNetMessageOf<K extends NatNetMessageType> = NatNetMessage extends infer M
  ? M extends { readonly type: infer T }
    ? K extends T
      ? M
      : never
    : never
  : never;
