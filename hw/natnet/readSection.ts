import type { NatNetFeatures } from "./features.js";
import type { Reader } from "./Reader.js";

/** Parses one element of a section or list. */
export type ItemParser<T> = (reader: Reader, features: NatNetFeatures) => T;

/**
 * One frame section: an int32 count, from NatNet 4.1 an int32 byte size of the elements, then the
 * elements. With a size, reading is bounded to it and the elements must fill it exactly.
 */
export function readSection<T>(
  reader: Reader,
  features: NatNetFeatures,
  name: string,
  minItemBytes: number,
  parseItem: ItemParser<T>,
): T[] {
  reader.enter(name);
  const countAt = reader.offset;
  const count = reader.int32("count");
  let end = -1;
  let outerLimit = 0;
  if (features.sectionSizes) {
    end = reader.byteSize("byteSize");
    outerLimit = reader.narrowLimit(end);
  }
  reader.checkCount(count, minItemBytes, "count", countAt);
  const items: T[] = [];
  for (let i = 0; i < count; i++) {
    reader.at(i);
    items.push(parseItem(reader, features));
  }
  if (end >= 0) {
    reader.at(-1);
    reader.expectAt(end, "byteSize", "the section");
    reader.restoreLimit(outerLimit);
  }
  reader.leave();
  return items;
}

/** The same for an element's inner list (markers of a rigid body, channels of a plate): never sized. */
export function readList<T>(
  reader: Reader,
  features: NatNetFeatures,
  name: string,
  minItemBytes: number,
  parseItem: ItemParser<T>,
): T[] {
  reader.enter(name);
  const count = reader.count("count", minItemBytes);
  const items: T[] = [];
  for (let i = 0; i < count; i++) {
    reader.at(i);
    items.push(parseItem(reader, features));
  }
  reader.leave();
  return items;
}
