"""Writes a recorder-format episode with h5py + hdf5plugin, the rig's own writing library.

Usage: /usr/bin/python3 write_recorder_episode.py SOURCE.h5 DEST.h5 blosc|lzf|gzip-shuffle|none

The pixels, poses and times come from SOURCE (any filter hdf5plugin reads; the tests pass the seeded
generator's output). DEST is written from scratch the way the recorder writes a take (curation spec §1):
metadata attributes as NumPy scalars and variable-length UTF-8 strings, image datasets resizable and
chunked one frame per chunk, OT and timestamp datasets resizable with the chunks h5py chooses. Only
h5py writes DEST, so a test that reads it with rigwatch's reader checks that reader against the tool
the rig uses, not against rigwatch's own writer. Frames are copied one at a time (bounded memory).
DEST is written under a temporary name and renamed when complete.
"""

import os
import sys

import h5py
import hdf5plugin
import numpy as np

IMAGES = [f"realsense/{cam}/{kind}" for cam in ("cam0", "cam1", "cam2") for kind in ("color", "depth")] + [
    f"gelsight/{side}/frames" for side in ("left", "right")
]
BODIES = ("motherboard", "sensor_left", "sensor_right")


def filter_args(name):
    if name == "blosc":  # what the recorder writes today: LZ4, byte shuffle, level 5
        return dict(compression=hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))
    if name == "lzf":  # older recordings
        return dict(compression="lzf")
    if name == "gzip-shuffle":  # what compression with h5py produces
        return dict(compression="gzip", compression_opts=4, shuffle=True)
    if name == "none":
        return {}
    raise SystemExit(f"unknown filter {name!r}: blosc, lzf, gzip-shuffle or none")


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def write_episode(source, dest, filters, frames=None):
    """Writes DEST from SOURCE the recorder's way with the given h5py filter arguments.

    frames, when given, is called once per image dataset, in order, as frames(name, position, frame_shape),
    and returns the function applied to each of its frames before it is written (bench/realisticTake.py
    adds sensor noise this way); the pixels are copied unchanged otherwise."""
    partial = os.path.join(os.path.dirname(dest) or ".", f".{os.path.basename(dest)}.partial")
    with h5py.File(source, "r") as src, h5py.File(partial, "w") as out:
        meta_in = src["metadata"].attrs
        meta = out.create_group("metadata")
        meta.attrs["fps"] = np.int64(meta_in["fps"])
        meta.attrs["task"] = text(meta_in["task"])
        meta.attrs["created_at"] = text(meta_in["created_at"])
        vlen = h5py.string_dtype()
        for key in ("realsense_serials", "gelsight_serials"):
            meta.attrs.create(key, [text(v) for v in meta_in[key]], dtype=vlen)

        out.create_dataset("timestamps", data=src["timestamps"][:], maxshape=(None,))
        for body in BODIES:
            group = src[f"optitrack/{body}"]
            out.create_dataset(f"optitrack/{body}/timestamps", data=group["timestamps"][:], maxshape=(None,))
            out.create_dataset(f"optitrack/{body}/pose", data=group["pose"][:], maxshape=(None, 7))

        for position, name in enumerate(IMAGES):
            ds_in = src[name]
            frame_shape = ds_in.shape[1:]
            edit = frames(name, position, frame_shape) if frames else None
            ds = out.create_dataset(
                name,
                shape=(0, *frame_shape),
                maxshape=(None, *frame_shape),
                chunks=(1, *frame_shape),
                dtype=ds_in.dtype,
                **filters,
            )
            # The recorder appends a frame per camera tick.
            ds.resize(ds_in.shape[0], axis=0)
            for k in range(ds_in.shape[0]):
                ds[k] = edit(ds_in[k]) if edit else ds_in[k]
    os.replace(partial, dest)


def main(source, dest, filter_name):
    write_episode(source, dest, filter_args(filter_name))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
