"""Reference for bench/export.bench.ts: the same reads and JPEGs in Python (Debian's h5py + hdf5plugin
reading the 5 image and 3 depth datasets frame by frame, Pillow encoding the 5 image streams as JPEG
at the same quality), no MCAP. Prints one JSON object."""
import io
import json
import sys
import time

import h5py
import hdf5plugin  # noqa: F401  (registers BLOSC/LZF)
from PIL import Image

path, quality = sys.argv[1], int(sys.argv[2])
images = ["realsense/cam0/color", "realsense/cam1/color", "realsense/cam2/color",
          "gelsight/left/frames", "gelsight/right/frames"]
depths = ["realsense/cam0/depth", "realsense/cam1/depth", "realsense/cam2/depth"]
start = time.perf_counter()
with h5py.File(path, "r") as f:
    T = f["timestamps"].shape[0]
    for k in range(T):
        for i, name in enumerate(images):
            frame = f[name][k]
            if i < 3:
                frame = frame[:, :, ::-1]  # BGR → RGB
            Image.fromarray(frame).save(io.BytesIO(), format="JPEG", quality=quality)
        for name in depths:
            f[name][k]
print(json.dumps({"seconds": time.perf_counter() - start, "frames": T}))
