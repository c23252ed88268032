import { describe, expect, it } from "vitest";
import { ThumbnailStore } from "../../stages/detect/ThumbnailStore.js";

describe("ThumbnailStore", () => {
  it("keeps the first thumbnails in memory and spills the rest to disk, reading both back exactly", () => {
    const store = new ThumbnailStore(4, 8); // two in memory, the rest spilled
    const thumbs = [0, 1, 2, 3, 4].map((i) => Uint8Array.of(i, i + 10, i + 20, 255 - i));
    expect(thumbs.map((t) => store.append(t))).toEqual([0, 1, 2, 3, 4]);
    thumbs[0]?.fill(9); // the store keeps a copy
    expect([4, 0, 3, 1, 2].map((slot) => Array.from(store.read(slot)))).toEqual([
      [4, 14, 24, 251],
      [0, 10, 20, 255],
      [3, 13, 23, 252],
      [1, 11, 21, 254],
      [2, 12, 22, 253],
    ]);
    store.close();
  });

  it("refuses a wrong-size thumbnail and an unknown slot", () => {
    const store = new ThumbnailStore(4, 8);
    expect(() => store.append(new Uint8Array(3))).toThrow("thumbnail of 3 bytes, expected 4");
    expect(() => store.read(0)).toThrow("thumbnail slot 0 outside 0..-1");
    store.close();
  });
});
