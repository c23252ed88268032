/** One UDP datagram out of a capture. */
export interface CapturedDatagram {
  /** Capture time, microseconds since the Unix epoch (the capture's resolution is microseconds). */
  readonly timeUs: bigint;
  readonly source: string;
  readonly destination: string;
  readonly payload: Uint8Array;
}

const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 1;
const ENHANCED_PACKET = 6;
const LINKTYPE_ETHERNET = 1;

/**
 * The UDP payloads of a little-endian pcapng capture of Ethernet/IPv4 traffic: just enough of pcapng
 * for the session fixture. Throws on anything it does not handle (other link types, IP fragments, big
 * endian sections, timestamp resolutions other than microseconds) rather than guessing.
 */
export function udpDatagrams(file: Uint8Array): CapturedDatagram[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const linkTypes: number[] = [];
  const datagrams: CapturedDatagram[] = [];
  let offset = 0;
  while (offset < file.byteLength) {
    const type = view.getUint32(offset, true);
    const length = view.getUint32(offset + 4, true);
    if (length < 12 || length % 4 !== 0 || offset + length > file.byteLength) {
      throw new Error(`pcapng: bad block length ${length} at byte ${offset}`);
    }
    if (view.getUint32(offset + length - 4, true) !== length)
      throw new Error(`pcapng: block at ${offset} trailer mismatch`);
    const body = offset + 8;
    if (type === SECTION_HEADER) {
      if (view.getUint32(body, true) !== 0x1a2b3c4d)
        throw new Error("pcapng: only little-endian sections are handled");
      linkTypes.length = 0;
    } else if (type === INTERFACE_DESCRIPTION) {
      linkTypes.push(view.getUint16(body, true));
      checkMicroseconds(view, body + 8, offset + length - 4);
    } else if (type === ENHANCED_PACKET) {
      const linkType = linkTypes[view.getUint32(body, true)];
      if (linkType !== LINKTYPE_ETHERNET) throw new Error(`pcapng: link type ${linkType} not handled`);
      const timeUs = (BigInt(view.getUint32(body + 4, true)) << 32n) | BigInt(view.getUint32(body + 8, true));
      const capturedLength = view.getUint32(body + 12, true);
      const originalLength = view.getUint32(body + 16, true);
      if (capturedLength !== originalLength)
        throw new Error(`pcapng: packet at ${offset} was truncated by the capture`);
      const datagram = udpOfEthernet(file.subarray(body + 20, body + 20 + capturedLength), timeUs);
      if (datagram !== undefined) datagrams.push(datagram);
    }
    offset += length;
  }
  return datagrams;
}

/** if_tsresol (option 9) must be absent (default 10^-6) or 6. */
function checkMicroseconds(view: DataView, start: number, end: number): void {
  let at = start;
  while (at + 4 <= end) {
    const code = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (code === 0) return;
    if (code === 9 && view.getUint8(at + 4) !== 6)
      throw new Error("pcapng: only microsecond timestamps are handled");
    at += 4 + Math.ceil(length / 4) * 4;
  }
}

function udpOfEthernet(frame: Uint8Array, timeUs: bigint): CapturedDatagram | undefined {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let ip = 14;
  let etherType = view.getUint16(12);
  if (etherType === 0x8100) {
    etherType = view.getUint16(16);
    ip = 18;
  }
  if (etherType !== 0x0800) return undefined;
  const headerLength = (view.getUint8(ip) & 0x0f) * 4;
  const totalLength = view.getUint16(ip + 2);
  const fragment = view.getUint16(ip + 6);
  if (view.getUint8(ip + 9) !== 17) return undefined;
  if ((fragment & 0x3fff) !== 0) throw new Error("pcapng: IP fragments are not reassembled");
  const udp = ip + headerLength;
  const udpLength = view.getUint16(udp + 4);
  if (udpLength !== totalLength - headerLength) throw new Error("pcapng: UDP and IP lengths disagree");
  const address = (at: number) => Array.from(frame.subarray(at, at + 4)).join(".");
  return {
    timeUs,
    source: `${address(ip + 12)}:${view.getUint16(udp)}`,
    destination: `${address(ip + 16)}:${view.getUint16(udp + 2)}`,
    payload: frame.slice(udp + 8, udp + udpLength),
  };
}
