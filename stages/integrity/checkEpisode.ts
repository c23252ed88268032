import { EpisodeError, EpisodeReader, IMAGE_STREAMS, imagePath } from "../../hw/h5/index.js";

export type IntegrityResult =
  | { readonly path: string; readonly status: "ok"; readonly frames: number }
  | { readonly path: string; readonly status: "corrupt" | "unreadable"; readonly error: EpisodeError };

/**
 * Integrity of one episode file: opens and validates the layout, then reads frames through every
 * filter. `deep` reads every frame of every image stream; otherwise the first and last of each,
 * which is where a truncated or half-flushed recording shows.
 */
export async function checkEpisode(path: string, options: { deep?: boolean } = {}): Promise<IntegrityResult> {
  let reader: EpisodeReader | undefined;
  try {
    reader = await EpisodeReader.open(path);
    const last = reader.frameCount - 1;
    for (const stream of IMAGE_STREAMS) {
      const indices = options.deep ? Array.from({ length: reader.frameCount }, (_, i) => i) : [0, last];
      for (const i of indices) {
        if (i < 0) continue;
        const frame = reader.frame(stream, i);
        const expected = reader.height * reader.width * 3;
        if (frame.length !== expected) {
          throw new EpisodeError(
            "read_failed",
            path,
            imagePath(stream),
            `frame ${i} has ${frame.length} bytes, expected ${expected}`,
          );
        }
      }
    }
    const timestamps = reader.timestamps();
    for (let i = 1; i < timestamps.length; i++) {
      if (!((timestamps[i] as number) > (timestamps[i - 1] as number))) {
        throw new EpisodeError("bad_timestamps", path, "timestamps", `not increasing at frame ${i}`);
      }
    }
    return { path, status: "ok", frames: reader.frameCount };
  } catch (error) {
    if (!(error instanceof EpisodeError)) throw error;
    return { path, status: error.corrupt ? "corrupt" : "unreadable", error };
  } finally {
    reader?.close();
  }
}
