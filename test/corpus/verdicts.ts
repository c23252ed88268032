/**
 * What every command does with every case of the bad-input corpus (docs/detection.md's section "Bad
 * input: errors and documented verdicts" is this table in words). Each entry is the observation the
 * corpus test makes of one command on one case:
 *
 *   check, check --deep   `<status>[:<code>] <fate>`          status ok | corrupt | unreadable | busy | skipped
 *   compress              `<status>[:<code>] <fate>`          status compressed | skipped | failed | skipped
 *   index, detect, previews `ok` | `error:<code>` | `skipped:<reason>`
 *   replay                `exit 0` | `exit 1 <code>`
 *   process               `<episode state>[:<code>] <fate>`   done | quarantined | failed | busy | session-failed | skipped
 *   metadata              `updated` | `unchanged` | `error` (after detect: every session gets its note,
 *                         which counts the takes that could not be used)
 *
 * The fate is what became of the episode file: `kept` (same bytes, same name), `replaced` (compress's
 * verified GZIP copy, every dataset equal to the original as h5py reads it), `quarantined` (renamed
 * `*.h5.corrupt`, same bytes). Nothing else may happen to it.
 */
export interface Verdicts {
  readonly check: string;
  readonly deepCheck: string;
  readonly compress: string;
  readonly index: string;
  readonly detect: string;
  readonly previews: string;
  readonly replay: string;
  readonly process: string;
  readonly metadata: string;
}

const usable = (compress = "compressed replaced", process = "done replaced"): Verdicts => ({
  check: "ok kept",
  deepCheck: "ok kept",
  compress,
  index: "ok",
  detect: "ok",
  previews: "ok",
  replay: "exit 0",
  process,
  metadata: "updated",
});

/** A fault of the file's structure: every reader names it, check quarantines it. */
const structural = (code: string, compress = "compressed replaced"): Verdicts => ({
  check: `corrupt:${code} quarantined`,
  deepCheck: `corrupt:${code} quarantined`,
  compress,
  index: `error:${code}`,
  detect: `error:${code}`,
  previews: `error:${code}`,
  replay: `exit 1 ${code}`,
  process: `quarantined:${code} quarantined`,
  metadata: "updated",
});

/** Not the bytes' fault: reported by every command, never renamed. */
const refused = (code: string, compress: string): Verdicts => ({
  check: `unreadable:${code} kept`,
  deepCheck: `unreadable:${code} kept`,
  compress,
  index: `error:${code}`,
  detect: `error:${code}`,
  previews: `error:${code}`,
  replay: `exit 1 ${code}`,
  process: `failed:${code} kept`,
  metadata: "updated",
});

/** Left out of every dataset command, and said so. */
const skipped = (reason: string, replay: string): Verdicts => ({
  check: `skipped:${reason} kept`,
  deepCheck: `skipped:${reason} kept`,
  compress: `skipped:${reason} kept`,
  index: `skipped:${reason}`,
  detect: `skipped:${reason}`,
  previews: `skipped:${reason}`,
  replay,
  process: `skipped:${reason} kept`,
  metadata: "updated",
});

/** A chunk that does not decode: found by whatever reads it; process finds it before anything is replaced. */
const damagedChunk = (compress: string, process: string): Verdicts => ({
  check: "ok kept", // reads the first and last frame only
  deepCheck: "corrupt:read_failed quarantined",
  compress,
  index: "error:read_failed",
  detect: "error:read_failed",
  previews: "error:read_failed",
  replay: "exit 1 read_failed",
  process,
  metadata: "updated",
});

export const VERDICTS: Readonly<Record<string, Verdicts>> = {
  "clean-blosc": usable(),
  "clean-lzf": usable(),
  "clean-gzip": usable("skipped kept", "done kept"),
  "one-frame": usable(),
  "zero-frames": refused("no_frames", "compressed replaced"),
  "truncated-1k": structural("truncated", "failed:open_failed kept"),
  "truncated-quarter": structural("truncated", "failed:open_failed kept"),
  "truncated-half": structural("truncated", "failed:open_failed kept"),
  "truncated-last-byte": structural("truncated", "failed:open_failed kept"),
  // compress decodes every chunk of the source itself: a damaged one is content, so it quarantines.
  "flipped-blosc": damagedChunk("corrupt:corrupt_chunk quarantined", "quarantined:read_failed quarantined"),
  "flipped-gzip": damagedChunk("skipped kept", "quarantined:read_failed quarantined"),
  "flipped-lzf": damagedChunk("corrupt:corrupt_chunk quarantined", "quarantined:read_failed quarantined"),
  // LZF has no checksum: every decoder (h5py too) reads the same other bytes. Nothing can tell.
  "flipped-lzf-silent": usable(),
  "shape-image": structural("bad_shape"),
  "dtype-image": structural("bad_dtype"),
  "shape-ot": structural("bad_shape"),
  "dtype-timestamps": structural("bad_dtype"),
  "missing-gel": structural("missing_dataset"),
  "missing-metadata": structural("missing_dataset"),
  "missing-body": structural("missing_dataset"),
  "frame-count-mismatch": structural("frame_count_mismatch"),
  "timestamps-longer": structural("frame_count_mismatch"),
  "small-frames": structural("bad_shape"),
  "camera-ts-nan": refused("bad_timestamps", "compressed replaced"),
  "camera-ts-zero-first": refused("bad_timestamps", "compressed replaced"),
  "camera-ts-inf-last": refused("bad_timestamps", "compressed replaced"),
  "camera-ts-duplicate": refused("bad_timestamps", "compressed replaced"),
  "camera-ts-absurd-last": refused("bad_timestamps", "compressed replaced"),
  "ot-ts-inf": usable(),
  "ot-ts-nan": usable(),
  "ot-ts-absurd": usable(),
  "ot-ts-zero": usable(),
  "ot-ts-duplicate": usable(),
  "not-hdf5": structural("open_failed", "failed:open_failed kept"),
  "empty-file": structural("open_failed", "failed:open_failed kept"),
  "unreadable-file": refused("permission_denied", "failed:open_failed kept"),
  "readonly-session": {
    ...usable("failed:write_failed kept", "session-failed kept"),
    metadata: "updated",
  },
  "readonly-corrupt": {
    ...structural("truncated", "failed:open_failed kept"),
    check: "corrupt:truncated kept",
    deepCheck: "corrupt:truncated kept",
    process: "session-failed kept",
  },
  "unreadable-folder": {
    ...skipped("unreadable_folder", "exit 1 permission_denied"),
    metadata: "error",
  },
  "symlinked-episode": skipped("symlink", "exit 0"),
  "folder-named-episode": skipped("not_a_file", "exit 1 not_a_file"),
};

/** detect's warnings for the cases whose file is usable but not clean: one sample, one warning. */
export const DETECT_WARNINGS: Readonly<Record<string, readonly string[]>> = {
  "ot-ts-inf": [
    "sensor_left: 1 OT samples with an impossible time (not finite, or over 60 s outside the take), ignored",
  ],
  "ot-ts-nan": [
    "sensor_left: 1 OT samples with an impossible time (not finite, or over 60 s outside the take), ignored",
  ],
  "ot-ts-absurd": [
    "sensor_left: 1 OT samples with an impossible time (not finite, or over 60 s outside the take), ignored",
  ],
  "ot-ts-zero": [
    "sensor_left: 1 OT samples with an impossible time (not finite, or over 60 s outside the take), ignored",
  ],
  "ot-ts-duplicate": ["sensor_left: 1 OT samples out of time order, ignored"],
};
