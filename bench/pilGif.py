"""Reference GIF writer for bench/previews.bench.ts: Pillow, as a data-team script would write a preview.

  pilGif.py STRIP.raw WIDTH HEIGHT FRAMES OUT.gif   → one JSON line: seconds, cpu (seconds), bytes

The same RGB panels rigwatch encodes, quantised to 256 colours per frame (Pillow's default median
cut for RGB, no dithering, like rigwatch) and saved as one animated GIF, duplicates kept.
"""
import json
import sys
import time

from PIL import Image

strip, width, height, frames, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
data = open(strip, "rb").read()
start = time.perf_counter()
cpu = time.process_time()
size = width * height * 3
images = [
    Image.frombytes("RGB", (width, height), data[i * size : (i + 1) * size]).quantize(256, dither=Image.Dither.NONE)
    for i in range(frames)
]
images[0].save(out, save_all=True, append_images=images[1:], duration=100, loop=0, optimize=False, disposal=1)
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu
with open(out, "rb") as f:
    print(json.dumps({"seconds": seconds, "cpu": cpu, "bytes": len(f.read())}))
