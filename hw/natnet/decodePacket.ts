import { cachedFeaturesOf } from "./features.js";
import { HEADER_SIZE, MessageId } from "./MessageId.js";
import { NatNetDecodeError, type NatNetDecodeErrorInfo } from "./NatNetDecodeError.js";
import {
  parseEchoRequest,
  parseEchoResponse,
  parseMessageString,
  parseRequest,
  parseResponse,
} from "./parseCommand.js";
import { parseFrame } from "./parseFrame.js";
import { parseModelDef } from "./parseModelDef.js";
import { parseConnect, parseServerInfo } from "./parseSender.js";
import { Reader } from "./Reader.js";
import type { NatNetMessage } from "./types.js";
import { formatVersion, type NatNetVersionLike } from "./version.js";

/**
 * Decodes one NatNet datagram (header and payload, exactly what the socket returned). Pure: no sockets,
 * no clocks, and nothing in the result borrows `datagram`, so the receive buffer can be reused.
 *
 * `version` is the server's NatNet version from `ServerInfo.natnetVersion`; frames and model
 * definitions cannot be decoded without it. Other messages ignore it.
 *
 * Not enough bytes means malformed, never "wait for more": a UDP datagram arrives whole. Anything that
 * does not match the layout throws `NatNetDecodeError`; bytes after the payload the header declares are
 * ignored (some clients pad), and unknown message ids return an `unknown` record.
 */
export function decodePacket(datagram: Uint8Array, version?: NatNetVersionLike): NatNetMessage {
  const length = datagram.byteLength;
  if (length < HEADER_SIZE) {
    throw headerError(version, {
      messageId: undefined,
      offset: 0,
      field: "header",
      expected: "a 4-byte header (uint16 message id, uint16 payload size)",
      needed: HEADER_SIZE,
      available: length,
    });
  }
  const messageId = datagram[0]! | (datagram[1]! << 8);
  const payloadSize = datagram[2]! | (datagram[3]! << 8);
  if (HEADER_SIZE + payloadSize > length) {
    throw headerError(version, {
      messageId,
      offset: HEADER_SIZE,
      field: "payload",
      expected: `the ${payloadSize}-byte payload the header declares`,
      needed: payloadSize,
      available: length - HEADER_SIZE,
    });
  }
  const reader = new Reader(datagram, {
    offset: HEADER_SIZE,
    limit: HEADER_SIZE + payloadSize,
    messageId,
    ...(version === undefined ? {} : { version }),
  });

  switch (messageId) {
    case MessageId.FrameOfData:
      return parseFrame(reader, cachedFeaturesOf(requireVersion(reader, version)));
    case MessageId.ModelDef:
      return parseModelDef(reader, cachedFeaturesOf(requireVersion(reader, version)));
    case MessageId.ServerInfo:
      return parseServerInfo(reader);
    case MessageId.Connect:
      return parseConnect(reader, "connect");
    case MessageId.Discovery:
      return parseConnect(reader, "discovery");
    case MessageId.Request:
      return parseRequest(reader);
    case MessageId.Response:
      return parseResponse(reader);
    case MessageId.MessageString:
      return parseMessageString(reader);
    case MessageId.EchoRequest:
      return parseEchoRequest(reader);
    case MessageId.EchoResponse:
      return parseEchoResponse(reader);
    case MessageId.UnrecognizedRequest:
      return { type: "unrecognizedRequest", payloadSize };
    case MessageId.RequestModelDef:
      return { type: "requestModelDef" };
    case MessageId.RequestFrameOfData:
      return { type: "requestFrameOfData" };
    case MessageId.Disconnect:
      return { type: "disconnect" };
    case MessageId.KeepAlive:
      return { type: "keepAlive" };
    case MessageId.DisconnectByTimeout:
      return { type: "disconnectByTimeout" };
    default:
      return { type: "unknown", messageId, payload: reader.bytesCopy("payload", payloadSize) };
  }
}

function headerError(version: NatNetVersionLike | undefined, info: NatNetDecodeErrorInfo): NatNetDecodeError {
  return new NatNetDecodeError(version === undefined ? info : { ...info, version: formatVersion(version) });
}

function requireVersion(reader: Reader, version: NatNetVersionLike | undefined): NatNetVersionLike {
  if (version === undefined) {
    reader.fail("header.messageId", "a NatNet version to decode this message with (from server info)");
  }
  return version;
}
