import type { Reader } from "./Reader.js";
import type { EchoRequest, EchoResponse, MessageString, Request, Response } from "./types.js";

/** NAT_REQUEST: the command up to its NUL (clients differ on whether the NUL is counted; natnet.md §2). */
export function parseRequest(reader: Reader): Request {
  return { type: "request", command: reader.text() };
}

/** NAT_RESPONSE: 4 bytes are a number, anything else a string (PacketClient; natnet.md §4.3). */
export function parseResponse(reader: Reader): Response {
  if (reader.bytesRemaining() === 4) {
    const at = reader.offset;
    const int32 = reader.int32("value");
    reader.offset = at;
    return { type: "response", int32, float32: reader.float32("value"), text: undefined };
  }
  return { type: "response", int32: undefined, float32: undefined, text: reader.text() };
}

export function parseMessageString(reader: Reader): MessageString {
  return { type: "messageString", text: reader.text() };
}

/** NAT_ECHOREQUEST: exactly one uint64. */
export function parseEchoRequest(reader: Reader): EchoRequest {
  const clientTimestamp = reader.uint64("clientTimestamp");
  reader.expectAt(reader.limit, "clientTimestamp", "an 8-byte echo request");
  return { type: "echoRequest", clientTimestamp };
}

/** NAT_ECHORESPONSE: exactly two uint64s. */
export function parseEchoResponse(reader: Reader): EchoResponse {
  const clientTimestamp = reader.uint64("clientTimestamp");
  const serverReceiveTimestamp = reader.uint64("serverReceiveTimestamp");
  reader.expectAt(reader.limit, "serverReceiveTimestamp", "a 16-byte echo response");
  return { type: "echoResponse", clientTimestamp, serverReceiveTimestamp };
}
