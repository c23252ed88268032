import type { NatNetFeatures } from "./features.js";
import type { Reader } from "./Reader.js";
import { readList } from "./readSection.js";
import type { AnalogData } from "./types.js";

/** A force plate's or device's samples: id, then per channel a sample count and float32 samples. */
export function parseAnalog(reader: Reader, features: NatNetFeatures): AnalogData {
  const id = reader.int32("id");
  return { id, channels: readList(reader, features, "channels", 4, parseChannel) };
}

function parseChannel(reader: Reader): number[] {
  const count = reader.count("sampleCount", 4);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(reader.float32("sample"));
  return samples;
}
