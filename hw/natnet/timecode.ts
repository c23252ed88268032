export interface Timecode {
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly frames: number;
  readonly subframe: number;
}

/** Unpacks SMPTE timecode: one byte each for hours, minutes, seconds, frames, high byte first (PacketClient `DecodeTimecode`). */
export function decodeTimecode(timecode: number, subframe: number): Timecode {
  return {
    hours: (timecode >>> 24) & 0xff,
    minutes: (timecode >>> 16) & 0xff,
    seconds: (timecode >>> 8) & 0xff,
    frames: timecode & 0xff,
    subframe,
  };
}
