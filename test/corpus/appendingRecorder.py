"""A recorder in the middle of a take: opens an episode for writing with h5py (which locks it, as the
rig's recorder does) and appends frames copied from a finished take, one per command.

Usage: /usr/bin/python3 appendingRecorder.py SOURCE.h5 DEST.h5
Commands on stdin, one per line; each answered with one JSON line on stdout:
  append N   appends N more ticks (all streams, the OT up to the last tick, all of it with the last
             tick); {"frames": total}
  close      closes the file (the take ends); {"closed": true}
Starts by writing the layout and the first tick, then answers {"ready": true, "frames": 1}.
"""
import json
import sys

import h5py
import hdf5plugin
import numpy as np

IMAGES = [f"realsense/{c}/{k}" for c in ("cam0", "cam1", "cam2") for k in ("color", "depth")] + [
    f"gelsight/{s}/frames" for s in ("left", "right")
]
BODIES = ("motherboard", "sensor_left", "sensor_right")


def reply(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main(source, dest):
    src = h5py.File(source, "r")
    out = h5py.File(dest, "w")
    meta = out.create_group("metadata")
    for key, value in src["metadata"].attrs.items():
        if isinstance(value, np.ndarray) and value.dtype == object:
            meta.attrs.create(key, [str(v) for v in value], dtype=h5py.string_dtype())
        else:
            meta.attrs[key] = value
    blosc = hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE)
    out.create_dataset("timestamps", shape=(0,), maxshape=(None,), dtype="f8")
    for name in IMAGES:
        frame = src[name].shape[1:]
        out.create_dataset(name, shape=(0, *frame), maxshape=(None, *frame), chunks=(1, *frame), dtype=src[name].dtype, compression=blosc)
    for body in BODIES:
        out.create_dataset(f"optitrack/{body}/timestamps", shape=(0,), maxshape=(None,), dtype="f8")
        out.create_dataset(f"optitrack/{body}/pose", shape=(0, 7), maxshape=(None, 7), dtype="f8")
    frames = 0

    def append(n):
        nonlocal frames
        for _ in range(n):
            k = frames
            for name in ["timestamps", *IMAGES]:
                out[name].resize(k + 1, axis=0)
                out[name][k] = src[name][k]
            frames += 1
        whole = frames == src["timestamps"].shape[0]
        t_end = src["timestamps"][frames - 1]
        for body in BODIES:
            t = src[f"optitrack/{body}/timestamps"][:]
            keep = (t <= t_end) | whole
            for name, data in (("timestamps", t[keep]), ("pose", src[f"optitrack/{body}/pose"][:][keep])):
                ds = out[f"optitrack/{body}/{name}"]
                ds.resize(len(data), axis=0)
                ds[:] = data
        out.flush()

    append(1)
    reply({"ready": True, "frames": frames})
    for line in sys.stdin:
        command = line.split()
        if command[0] == "append":
            append(int(command[1]))
            reply({"frames": frames})
        elif command[0] == "close":
            out.close()
            reply({"closed": True})
            return


if __name__ == "__main__":
    main(*sys.argv[1:])
