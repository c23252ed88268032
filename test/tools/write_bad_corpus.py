"""Writes the bad-input corpus: damaged recorder episodes, each written (or damaged) with h5py, the rig's
own writing library, so rigwatch is tested against files it did not make.

Usage: /usr/bin/python3 write_bad_corpus.py SOURCE.h5 OUT_DIR

SOURCE is a clean recorder episode (the suite passes its h5py-written BLOSC fixture). Every case is
OUT_DIR/<case>.h5, made from the first TICKS ticks of SOURCE at the rig's full resolution (the
previews need the calibrated 640 x 480 cameras; few ticks keep the corpus small and fast).
OUT_DIR/cases.json lists the cases with what was done to each (for the test's messages). Files are
written under a temporary name and renamed when complete.
"""

import json
import os
import shutil
import sys

import h5py
import hdf5plugin
import numpy as np

TICKS = 10
FLIPPED_FRAME = 5
LZF_CANDIDATES = 40
CAMS = ("cam0", "cam1", "cam2")
SIDES = ("left", "right")
BODIES = ("motherboard", "sensor_left", "sensor_right")


def filter_args(name):
    if name == "blosc":
        return dict(compression=hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))
    if name == "lzf":
        return dict(compression="lzf")
    if name == "gzip":
        return dict(compression="gzip", compression_opts=4, shuffle=True)
    raise SystemExit(f"unknown filter {name!r}")


def crop(frames, height, width):
    h, w = frames.shape[1:3]
    y0, x0 = (h - height) // 2, (w - width) // 2
    return np.ascontiguousarray(frames[:, y0 : y0 + height, x0 : x0 + width])


def load(source):
    """The source's content cut to TICKS ticks, as plain arrays (the corpus is small)."""
    with h5py.File(source, "r") as f:
        ts = f["timestamps"][:TICKS]
        end = ts[-1] + 1.5  # OT beyond the last tick, so the take streams steadily for the trim
        content = {
            "timestamps": ts,
            "meta": {k: f["metadata"].attrs[k] for k in f["metadata"].attrs},
            "images": {},
            "ot": {},
        }
        for cam in CAMS:
            content["images"][f"realsense/{cam}/color"] = f[f"realsense/{cam}/color"][:TICKS]
            content["images"][f"realsense/{cam}/depth"] = f[f"realsense/{cam}/depth"][:TICKS]
        for side in SIDES:
            content["images"][f"gelsight/{side}/frames"] = f[f"gelsight/{side}/frames"][:TICKS]
        for body in BODIES:
            t = f[f"optitrack/{body}/timestamps"][:]
            keep = t <= end
            content["ot"][body] = (t[keep], f[f"optitrack/{body}/pose"][:][keep])
    return content


def write(path, content, filter_name="blosc"):
    """Writes an episode the way the recorder does: chunked one frame per chunk, resizable, appended."""
    filters = filter_args(filter_name)
    partial = f"{path}.partial"
    with h5py.File(partial, "w") as out:
        if content["meta"] is not None:
            meta = out.create_group("metadata")
            for key, value in content["meta"].items():
                if isinstance(value, np.ndarray) and value.dtype == object:
                    meta.attrs.create(key, [str(v) for v in value], dtype=h5py.string_dtype())
                else:
                    meta.attrs[key] = value
        out.create_dataset("timestamps", data=content["timestamps"], maxshape=(None,))
        for body, (t, pose) in content["ot"].items():
            out.create_dataset(f"optitrack/{body}/timestamps", data=t, maxshape=(None,))
            out.create_dataset(f"optitrack/{body}/pose", data=pose, maxshape=(None, *pose.shape[1:]))
        for name, frames in content["images"].items():
            shape = frames.shape
            ds = out.create_dataset(
                name,
                shape=(0, *shape[1:]),
                maxshape=(None, *shape[1:]),
                chunks=(1, *shape[1:]),
                dtype=frames.dtype,
                **filters,
            )
            ds.resize(shape[0], axis=0)
            for k in range(shape[0]):
                ds[k] = frames[k]
    os.replace(partial, path)


def edited(content, **changes):
    copy = {
        "timestamps": content["timestamps"].copy(),
        "meta": dict(content["meta"]),
        "images": dict(content["images"]),
        "ot": {b: (t.copy(), p.copy()) for b, (t, p) in content["ot"].items()},
    }
    copy.update(changes)
    return copy


def with_ot_times(content, body, edit):
    c = edited(content)
    t, pose = c["ot"][body]
    edit(t)
    c["ot"][body] = (t, pose)
    return c


def with_camera_times(content, edit):
    c = edited(content)
    edit(c["timestamps"])
    return c


def flip_byte(path, dataset, frame, fraction):
    """XORs one byte inside one chunk of `dataset` (frame `frame`), `fraction` of the way into it."""
    with h5py.File(path, "r") as f:
        info = f[dataset].id.get_chunk_info(frame)
    offset = info.byte_offset + int(info.size * fraction)
    with open(path, "r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)[0]
        fh.seek(offset)
        fh.write(bytes([byte ^ 0x5A]))
    return offset


def decodes(path, dataset, frame):
    try:
        with h5py.File(path, "r") as f:
            f[dataset][frame]
        return True
    except Exception:  # noqa: BLE001 - any decode failure counts
        return False


def damaged_chunk(out, clean):
    """A copy of `clean` with one byte flipped in the middle of cam0's frame FLIPPED_FRAME chunk; says
    whether h5py still decodes that chunk."""
    shutil.copyfile(clean, f"{out}.partial")
    offset = flip_byte(f"{out}.partial", "realsense/cam0/color", FLIPPED_FRAME, 0.5)
    decoded = decodes(f"{out}.partial", "realsense/cam0/color", FLIPPED_FRAME)
    os.replace(f"{out}.partial", out)
    return offset, decoded


def main(source, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    base = load(source)
    cases = []

    def case(name, what, content=None, filter_name="blosc"):
        if content is not None:
            write(os.path.join(out_dir, f"{name}.h5"), content, filter_name)
        cases.append({"name": name, "what": what})

    for filter_name in ("blosc", "lzf", "gzip"):
        case(f"clean-{filter_name}", f"a clean take, {filter_name}", base, filter_name)
    clean = os.path.join(out_dir, "clean-blosc.h5")

    one = edited(base, timestamps=base["timestamps"][:1], images={k: v[:1] for k, v in base["images"].items()})
    case("one-frame", "a take of one frame", one)
    zero = edited(base, timestamps=base["timestamps"][:0], images={k: v[:0] for k, v in base["images"].items()})
    case("zero-frames", "a take of zero frames (the recorder opened it and wrote nothing)", zero)

    size = os.path.getsize(clean)
    for name, cut in (("1k", 1024), ("quarter", size // 4), ("half", size // 2), ("last-byte", size - 1)):
        data = open(clean, "rb").read()[:cut]
        with open(os.path.join(out_dir, f"truncated-{name}.h5"), "wb") as fh:
            fh.write(data)
        case(f"truncated-{name}", f"clean-blosc cut to its first {cut} of {size} bytes")

    for filter_name in ("blosc", "gzip"):
        target = os.path.join(out_dir, f"flipped-{filter_name}.h5")
        offset, decoded = damaged_chunk(target, os.path.join(out_dir, f"clean-{filter_name}.h5"))
        effect = "h5py decodes it to other bytes" if decoded else "h5py fails to decode it"
        case(f"flipped-{filter_name}", f"one byte flipped at {offset}, inside cam0's frame {FLIPPED_FRAME} chunk; {effect}")
    # LZF has no checksum: what a flipped byte does depends on where it falls (the decoder may read
    # garbage, or stop). The corpus builder picks among these candidates by how rigwatch's reader fares.
    candidates = os.path.join(out_dir, "flipped-lzf-candidates")
    os.makedirs(candidates)
    with h5py.File(os.path.join(out_dir, "clean-lzf.h5"), "r") as f:
        info = f["realsense/cam0/color"].id.get_chunk_info(FLIPPED_FRAME)
    for i in range(1, LZF_CANDIDATES + 1):
        path = os.path.join(candidates, f"{i:02d}.h5")
        shutil.copyfile(os.path.join(out_dir, "clean-lzf.h5"), path)
        flip_byte(path, "realsense/cam0/color", FLIPPED_FRAME, i / (LZF_CANDIDATES + 1))

    # Cases every reader refuses before it reads a frame: small frames (still above the thumbnail) keep
    # compress, which copies them anyway, fast.
    full = base
    base = edited(full, images={k: crop(v, 128, 160) for k, v in full["images"].items()})

    images = dict(base["images"])
    images["realsense/cam1/color"] = np.concatenate([images["realsense/cam1/color"], images["realsense/cam1/color"][..., :1]], axis=3)
    case("shape-image", "cam1 colour frames with 4 channels", edited(base, images=images))
    images = dict(base["images"])
    images["realsense/cam0/color"] = images["realsense/cam0/color"].astype(np.uint16)
    case("dtype-image", "cam0 colour frames stored as uint16", edited(base, images=images))
    c = edited(base)
    t, pose = c["ot"]["sensor_left"]
    c["ot"]["sensor_left"] = (t, pose[:, :6])
    case("shape-ot", "sensor_left poses with 6 columns", c)
    case("dtype-timestamps", "camera timestamps stored as float32", edited(base, timestamps=base["timestamps"].astype(np.float32)))

    images = {k: v for k, v in base["images"].items() if not k.startswith("gelsight/right")}
    case("missing-gel", "no gelsight/right group", edited(base, images=images))
    case("missing-metadata", "no metadata group", edited(base, meta=None))
    case("missing-body", "no optitrack/sensor_right group", edited(base, ot={b: v for b, v in base["ot"].items() if b != "sensor_right"}))
    images = dict(base["images"])
    images["realsense/cam2/color"] = images["realsense/cam2/color"][:-1]
    case("frame-count-mismatch", f"cam2 colour has {TICKS - 1} frames, the others {TICKS}", edited(base, images=images))
    longer = np.concatenate([base["timestamps"], base["timestamps"][-1] + np.arange(1, 4) / 30])
    case("timestamps-longer", f"{TICKS + 3} camera timestamps for {TICKS} frames", edited(base, timestamps=longer))
    small = {k: crop(v, 64, 96) for k, v in full["images"].items()}
    case("small-frames", "64x96 frames, smaller than the 128x128 thumbnail", edited(base, images=small))

    # Takes with bad times, and usable ones: at full size, since the stages read them as far as the times.
    base = full

    def set_at(index, value):
        def edit(t):
            t[index] = value

        return edit

    case("camera-ts-nan", "camera timestamp 7 is NaN", with_camera_times(base, set_at(7, np.nan)))
    case("camera-ts-zero-first", "the first camera timestamp is 0", with_camera_times(base, set_at(0, 0.0)))
    case("camera-ts-inf-last", "the last camera timestamp is +inf", with_camera_times(base, set_at(-1, np.inf)))
    case("camera-ts-duplicate", "camera timestamps 6 and 7 are equal", with_camera_times(base, lambda t: t.__setitem__(7, t[6])))
    case("camera-ts-absurd-last", "the last camera timestamp is 1e300", with_camera_times(base, set_at(-1, 1e300)))
    case("ot-ts-inf", "one sensor_left OT timestamp is +inf", with_ot_times(base, "sensor_left", set_at(20, np.inf)))
    case("ot-ts-nan", "one sensor_left OT timestamp is NaN", with_ot_times(base, "sensor_left", set_at(20, np.nan)))
    case("ot-ts-absurd", "one sensor_left OT timestamp is 1e12 (year 33658)", with_ot_times(base, "sensor_left", set_at(20, 1e12)))
    case("ot-ts-zero", "one sensor_left OT timestamp is 0", with_ot_times(base, "sensor_left", set_at(20, 0.0)))
    case("ot-ts-duplicate", "two sensor_left OT timestamps are equal", with_ot_times(base, "sensor_left", lambda t: t.__setitem__(21, t[20])))

    with open(os.path.join(out_dir, "not-hdf5.h5"), "w") as fh:
        fh.write("these are the operator's notes, not a recording\n")
    case("not-hdf5", "a text file named like an episode")
    open(os.path.join(out_dir, "empty-file.h5"), "wb").close()
    case("empty-file", "a file of zero bytes")

    with open(os.path.join(out_dir, "cases.json.partial"), "w") as fh:
        json.dump(cases, fh, indent=1)
    os.replace(os.path.join(out_dir, "cases.json.partial"), os.path.join(out_dir, "cases.json"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
