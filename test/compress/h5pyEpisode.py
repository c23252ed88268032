"""Independent reader for the compress tests (Debian h5py).

  compare ORIG COPY  -> JSON: object names of both, per dataset of COPY its layout and whether its
                        dtype and data equal ORIG's (read 16 rows at a time), and every attribute
                        of both files as plain values.
  read FILE          -> JSON: per dataset its filters, after reading all of its data (fails when a
                        filter is missing, e.g. with HDF5_PLUGIN_PATH pointing at an empty folder).
"""
import json
import sys

import h5py
import numpy as np


def plain(value):
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def objects(f):
    names = []
    f.visit(names.append)
    return sorted(names)


def attributes(f):
    out = {"/": {k: plain(v) for k, v in f.attrs.items()}}
    for name in objects(f):
        out[name] = {k: plain(v) for k, v in f[name].attrs.items()}
    return out


def datasets(f):
    return [n for n in objects(f) if isinstance(f[n], h5py.Dataset)]


def layout(d):
    return {
        "dtype": d.dtype.str,
        "shape": list(d.shape),
        "maxshape": [m if m is not None else None for m in d.maxshape],
        "chunks": list(d.chunks) if d.chunks else None,
        "compression": d.compression,
        "compression_opts": d.compression_opts,
        "shuffle": d.shuffle,
    }


def equal(a, b):
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.shape == () or a.shape[0] == 0:
        return bool(np.array_equal(a[()], b[()]))
    for i in range(0, a.shape[0], 16):
        if not np.array_equal(a[i : i + 16], b[i : i + 16]):
            return False
    return True


mode = sys.argv[1]
if mode == "compare":
    with h5py.File(sys.argv[2], "r") as orig, h5py.File(sys.argv[3], "r") as copy:
        report = {
            "names": {"orig": objects(orig), "copy": objects(copy)},
            "datasets": {n: {**layout(copy[n]), "equal": equal(orig[n], copy[n])} for n in datasets(copy)},
            "source_chunks": {n: list(orig[n].chunks) if orig[n].chunks else None for n in datasets(orig)},
            "attributes": {"orig": attributes(orig), "copy": attributes(copy)},
        }
elif mode == "read":
    with h5py.File(sys.argv[2], "r") as f:
        report = {}
        for n in datasets(f):
            f[n][()]
            report[n] = {"compression": f[n].compression, "compression_opts": f[n].compression_opts, "shuffle": f[n].shuffle}
else:
    raise SystemExit(f"unknown mode {mode}")
print(json.dumps(report))
