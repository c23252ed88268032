import { createHash } from "node:crypto";
import {
  EpisodeError,
  EpisodeReader,
  IMAGE_STREAMS,
  imagePath,
  requireCameraTimes,
} from "../../hw/h5/index.js";
import { beingWritten } from "./writeLock.js";

/**
 * `corrupt`: the file's content is damaged (quarantine, spec §1). `unreadable`: it cannot be used for a
 * reason that is not its bytes' fault (permission, I/O, no frames, bad camera times, a missing
 * decoder): reported, left where it is. `busy`: a process still holds it open for writing.
 */
export type IntegrityResult =
  | { readonly path: string; readonly status: "ok"; readonly frames: number }
  | {
      readonly path: string;
      readonly status: "corrupt" | "unreadable" | "busy";
      readonly error: EpisodeError;
    };

/** HDF5's built-in filters (deflate, shuffle, fletcher32, szip, nbit, scaleoffset): compress keeps such a file. */
const PORTABLE_FILTERS = new Set([1, 2, 3, 4, 5, 6]);

/**
 * Integrity of one episode file: opens and validates the layout, then reads frames through every
 * filter. `deep` reads every frame of every image stream twice, in two passes, and compares them: a
 * damaged chunk either fails to decode or (some LZF damage) decodes to different bytes each time; the
 * passes are a whole stream apart, so the second does not come from HDF5's chunk cache. Otherwise the
 * first and last frame of each stream, which is where a truncated or half-flushed recording shows.
 */
export async function checkEpisode(
  path: string,
  options: { deep?: boolean | "if-recompressed" } = {},
): Promise<IntegrityResult> {
  const busy = beingWritten(path);
  if (busy) return { path, status: "busy", error: busy };
  let reader: EpisodeReader | undefined;
  try {
    reader = await EpisodeReader.open(path);
    const expected = reader.height * reader.width * 3;
    // Before compress replaces a file, every chunk it holds has decoded, twice alike.
    const deep =
      options.deep === "if-recompressed"
        ? reader.imageFilters().some((id) => !PORTABLE_FILTERS.has(id))
        : (options.deep ?? false);
    for (const stream of IMAGE_STREAMS) {
      const last = reader.frameCount - 1;
      const indices = deep ? Array.from({ length: reader.frameCount }, (_, i) => i) : [...new Set([0, last])];
      const digests = indices.map((i) => digest(reader as EpisodeReader, stream, i, expected));
      if (!deep) continue;
      indices.forEach((i) => {
        if (digest(reader as EpisodeReader, stream, i, expected) !== digests[i])
          throw new EpisodeError(
            "read_failed",
            path,
            imagePath(stream),
            `frame ${i} decodes to different bytes on a second read: a damaged chunk`,
          );
      });
    }
    requireCameraTimes(path, reader.timestamps());
    return { path, status: "ok", frames: reader.frameCount };
  } catch (error) {
    if (!(error instanceof EpisodeError)) throw error;
    return { path, status: error.corrupt ? "corrupt" : "unreadable", error };
  } finally {
    reader?.close();
  }
}

function digest(
  reader: EpisodeReader,
  stream: (typeof IMAGE_STREAMS)[number],
  i: number,
  expected: number,
): string {
  const frame = reader.frameView(stream, i);
  if (frame.length !== expected)
    throw new EpisodeError(
      "read_failed",
      reader.path,
      imagePath(stream),
      `frame ${i} has ${frame.length} bytes, expected ${expected}`,
    );
  return createHash("sha1").update(frame).digest("hex");
}
