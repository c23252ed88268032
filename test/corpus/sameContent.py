"""Compares two episode files as h5py reads them (Debian h5py + hdf5plugin): every dataset's dtype,
shape and values (NaN equal to NaN: a NaN timestamp copied is the same timestamp) and every attribute.

Usage: /usr/bin/python3 sameContent.py A.h5 B.h5 [A2.h5 B2.h5 ...]
Prints one JSON object a pair, a line each: {"differ": [names of datasets, groups or attributes that
differ]}. Several pairs in one call pay Python's and h5py's start-up once.
"""
import json
import sys

import h5py
import hdf5plugin  # noqa: F401  registers the BLOSC / LZF filters
import numpy as np


def items(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj))
    return out


def same_values(a, b):
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    for start in range(0, a.shape[0] if a.shape else 1, 16):
        x = a[start : start + 16] if a.shape else a[()]
        y = b[start : start + 16] if b.shape else b[()]
        if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
            return False
    return True


def attrs(obj):
    return {k: np.asarray(v).tolist() for k, v in obj.attrs.items()}


def compare(a_path, b_path):
    differ = []
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        ia, ib = items(a), items(b)
        for name in sorted(set(ia) | set(ib)):
            x, y = ia.get(name), ib.get(name)
            if x is None or y is None or type(x) is not type(y):
                differ.append(name)
            elif isinstance(x, h5py.Dataset) and not same_values(x, y):
                differ.append(name)
            elif attrs(x) != attrs(y):
                differ.append(f"{name}@")
        if attrs(a) != attrs(b):
            differ.append("/@")
    return {"differ": differ}


def main(paths):
    if len(paths) == 0 or len(paths) % 2 != 0:
        raise SystemExit("usage: sameContent.py A.h5 B.h5 [A2.h5 B2.h5 ...]")
    for a_path, b_path in zip(paths[0::2], paths[1::2]):
        print(json.dumps(compare(a_path, b_path)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
