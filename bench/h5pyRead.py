"""Reference for bench/detect.bench.ts: how long Debian's h5py (+hdf5plugin) takes to read the same
image datasets frame by frame, as a recorder-side script would. Prints one JSON object."""
import json
import sys
import time

import h5py
import hdf5plugin  # noqa: F401  (registers BLOSC/LZF)

path, streams = sys.argv[1], sys.argv[2].split(",")
names = {"cam0": "realsense/cam0/color", "cam1": "realsense/cam1/color", "cam2": "realsense/cam2/color",
         "gel_left": "gelsight/left/frames", "gel_right": "gelsight/right/frames"}
start = time.perf_counter()
with h5py.File(path, "r") as f:
    datasets = [f[names[s]] for s in streams]
    T = datasets[0].shape[0]
    for k in range(T):
        for d in datasets:
            d[k]
print(json.dumps({"seconds": time.perf_counter() - start, "frames": T}))
