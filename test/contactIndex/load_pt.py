"""Loads a .pt with stock PyTorch and prints it as exact, typed JSON, for the writer tests.

Usage: /usr/bin/python3 load_pt.py <file.pt> [--zipinfo]

int → {"int": "<decimal>"}, float → {"float": "<IEEE-754 double bits, big-endian hex>"} (bit exact, NaN/inf/-0 included),
str/bool/None as JSON, list → [...], tuple → {"tuple": [...]}, dict → {"dict": [[key, value], ...]}
in insertion order, tensor → {"tensor": dtype, "shape": [...], "values": [...]} with the values
flattened and typed the same way. --zipinfo adds the zip listing (name, header offset, data offset,
size, extra fields) and zipfile.testzip()'s verdict (CRC of every entry).
"""

import json
import struct
import sys
import zipfile

import torch


def typed(v):
    if isinstance(v, torch.Tensor):
        flat = v.reshape(-1).tolist()
        return {"tensor": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "values": [typed(x) for x in flat]}
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": struct.pack(">d", v).hex()}
    if isinstance(v, list):
        return [typed(x) for x in v]
    if isinstance(v, tuple):
        return {"tuple": [typed(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[k, typed(x)] for k, x in v.items()]}
    raise TypeError(f"unexpected {type(v).__name__}")


def zipinfo(path):
    z = zipfile.ZipFile(path)
    entries = []
    with open(path, "rb") as f:
        for i in z.infolist():
            f.seek(i.header_offset)
            header = f.read(30)
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            f.seek(i.header_offset + 30 + name_len)
            extra = f.read(extra_len)
            ids = []
            k = 0
            while k + 4 <= len(extra):
                tag, size = struct.unpack("<HH", extra[k : k + 4])
                ids.append(tag)
                k += 4 + size
            entries.append(
                {
                    "name": i.filename,
                    "size": i.file_size,
                    "data_offset": i.header_offset + 30 + name_len + extra_len,
                    "local_extra_ids": ids,
                    "central_zip64": i.extra[:2] == b"\x01\x00",
                }
            )
    return {"testzip": z.testzip(), "entries": entries}


if __name__ == "__main__":
    out = {"value": typed(torch.load(sys.argv[1], weights_only=False))}
    if "--zipinfo" in sys.argv:
        out["zip"] = zipinfo(sys.argv[1])
    print(json.dumps(out))
