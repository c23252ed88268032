/** NatNet message ids (NatNetTypes.h; natnet.md §3). Decimal: 100 is 0x0064, not 0x100. */
export const MessageId = {
  Connect: 0,
  ServerInfo: 1,
  Request: 2,
  Response: 3,
  RequestModelDef: 4,
  ModelDef: 5,
  RequestFrameOfData: 6,
  FrameOfData: 7,
  MessageString: 8,
  Disconnect: 9,
  KeepAlive: 10,
  DisconnectByTimeout: 11,
  EchoRequest: 12,
  EchoResponse: 13,
  Discovery: 14,
  UnrecognizedRequest: 100,
} as const;

export type MessageId = (typeof MessageId)[keyof typeof MessageId];

/** Size of the header every message starts with: uint16 message id, uint16 payload byte count. */
export const HEADER_SIZE = 4;

/** The largest payload the 16-bit length field and a UDP datagram allow (NatNetTypes.h MAX_PACKETSIZE). */
export const MAX_PAYLOAD_SIZE = 65503;
