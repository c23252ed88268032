import { cachedFeaturesOf } from "./features.js";
import { HEADER_SIZE, MAX_PAYLOAD_SIZE, MessageId } from "./MessageId.js";
import type { FrameOfData, ModelDef, NatNetMessage, ServerInfo } from "./types.js";
import type { NatNetVersionLike } from "./version.js";
import { writeFrame } from "./writeFrame.js";
import { writeModelDef } from "./writeModelDef.js";
import { writeConnect, writeServerInfo } from "./writeSender.js";
import { Writer } from "./Writer.js";

const EMPTY_MESSAGE_IDS = {
  requestModelDef: MessageId.RequestModelDef,
  requestFrameOfData: MessageId.RequestFrameOfData,
  disconnect: MessageId.Disconnect,
  keepAlive: MessageId.KeepAlive,
  disconnectByTimeout: MessageId.DisconnectByTimeout,
} as const;

/**
 * Encodes a message as one datagram (header and payload), in the layout `decodePacket` reads for
 * `version`: for the Motive simulator and for tests. Frames and model definitions need the version.
 * Throws RangeError for what cannot be sent (a payload over 65503 bytes, a layout the version lacks).
 */
export function encodePacket(message: NatNetMessage, version?: NatNetVersionLike): Uint8Array {
  const writer = new Writer();
  writer.uint16(messageIdOf(message)).uint16(0); // payload size, patched below
  switch (message.type) {
    case "frameOfData":
      writeFrame(writer, cachedFeaturesOf(requireVersion(version, message.type)), message);
      break;
    case "modelDef":
      writeModelDef(writer, cachedFeaturesOf(requireVersion(version, message.type)), message);
      break;
    case "serverInfo":
      writeServerInfo(writer, message);
      break;
    case "connect":
    case "discovery":
      writeConnect(writer, message);
      break;
    case "request":
      writer.cstring(message.command);
      break;
    case "response":
      if (message.int32 !== undefined) writer.int32(message.int32);
      else if (message.float32 !== undefined) writer.float32(message.float32);
      else writer.cstring(message.text ?? "");
      break;
    case "messageString":
      writer.cstring(message.text);
      break;
    case "echoRequest":
      writer.uint64(message.clientTimestamp);
      break;
    case "echoResponse":
      writer.uint64(message.clientTimestamp).uint64(message.serverReceiveTimestamp);
      break;
    case "unrecognizedRequest":
      writer.bytes(new Uint8Array(message.payloadSize));
      break;
    case "unknown":
      writer.bytes(message.payload);
      break;
    default:
      break; // empty messages
  }
  const payloadSize = writer.length - HEADER_SIZE;
  if (payloadSize > MAX_PAYLOAD_SIZE) {
    throw new RangeError(
      `a ${payloadSize}-byte ${message.type} payload exceeds NatNet's ${MAX_PAYLOAD_SIZE} bytes`,
    );
  }
  return writer.patchUint16(2, payloadSize).toBytes();
}

export function encodeFrame(version: NatNetVersionLike, frame: FrameOfData): Uint8Array {
  return encodePacket(frame, version);
}

export function encodeModelDef(version: NatNetVersionLike, modelDef: ModelDef): Uint8Array {
  return encodePacket(modelDef, version);
}

/** The server info's own NatNet version decides its layout. */
export function encodeServerInfo(info: ServerInfo): Uint8Array {
  return encodePacket(info);
}

function messageIdOf(message: NatNetMessage): number {
  switch (message.type) {
    case "connect":
      return MessageId.Connect;
    case "discovery":
      return MessageId.Discovery;
    case "serverInfo":
      return MessageId.ServerInfo;
    case "request":
      return MessageId.Request;
    case "response":
      return MessageId.Response;
    case "modelDef":
      return MessageId.ModelDef;
    case "frameOfData":
      return MessageId.FrameOfData;
    case "messageString":
      return MessageId.MessageString;
    case "echoRequest":
      return MessageId.EchoRequest;
    case "echoResponse":
      return MessageId.EchoResponse;
    case "unrecognizedRequest":
      return MessageId.UnrecognizedRequest;
    case "unknown":
      return message.messageId;
    default:
      return EMPTY_MESSAGE_IDS[message.type];
  }
}

function requireVersion(version: NatNetVersionLike | undefined, what: string): NatNetVersionLike {
  if (version === undefined) throw new RangeError(`encoding a ${what} needs the NatNet version`);
  return version;
}
