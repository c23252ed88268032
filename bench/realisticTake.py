"""Writes a take with the noise of real sensors, as the recorder writes it (h5py + hdf5plugin, BLOSC).

Usage: /usr/bin/python3 realisticTake.py SOURCE.h5 DEST.h5 SEED

The generator's clean frames (flat backgrounds and moving squares) shrink about 10x under BLOSC; real
takes shrink 1.5-2.5x, because every pixel of a camera jitters. This keeps SOURCE's content and
layout (written by test/tools/write_recorder_episode.py: recorder attributes, one frame per chunk,
resizable datasets, LZ4 BLOSC with byte shuffle) and adds to every frame, from a NumPy generator
seeded by SEED:
  colour     a smooth static shading of +-25 levels, Gaussian read noise of sigma 1 on every pixel,
             and the top 30 % of rows clipped to black (a dark table edge: no noise where the
             sensor saturates);
  depth      +-40 mm shading, sigma 3 mm noise, 3 % speckle holes (0) and the same clipped band;
  GelSight   +-12 levels of elastomer shading and sigma 0.7 noise.
Measured on these: BLOSC about 1.5x (colour), 2.5x (depth), 1.2x (GelSight), 1.6-1.7x for the take.
Frames are written one at a time (bounded memory), under a temporary name renamed when complete.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "tools"))
from write_recorder_episode import filter_args, write_episode  # noqa: E402  the recorder's way of writing

COLOUR_NOISE, DEPTH_NOISE, GEL_NOISE = 1.0, 3.0, 0.7
SHADING = {"color": 25.0, "depth": 40.0, "frames": 12.0}
CLIPPED_ROWS = 0.3
HOLES = 0.03


def shading(shape, amplitude, phase):
    h, w = shape[:2]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    field = amplitude * np.sin(6.1 * x + 2.3 * y + phase) * np.cos(4.7 * y - 1.1 * x)
    return field[..., None] if len(shape) == 3 else field


def noisy(name, frame, field, rng):
    kind = name.rsplit("/", 1)[1]
    rows = int(frame.shape[0] * CLIPPED_ROWS)
    a = frame.astype(np.float32) + field
    if kind == "color":
        a += rng.normal(0, COLOUR_NOISE, size=a.shape).astype(np.float32)
        a[:rows] = 0
        return np.clip(np.rint(a), 0, 255).astype(np.uint8)
    if kind == "depth":
        a += rng.normal(0, DEPTH_NOISE, size=a.shape).astype(np.float32)
        out = np.clip(np.rint(a), 0, 65535).astype(np.uint16)
        out[rng.random(out.shape) < HOLES] = 0
        out[:rows] = 0
        return out
    a += rng.normal(0, GEL_NOISE, size=a.shape).astype(np.float32)
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def main(source, dest, seed):
    rng = np.random.default_rng(int(seed))

    def add_noise(name, position, frame_shape):
        field = shading(frame_shape, SHADING[name.rsplit("/", 1)[1]], phase=0.7 * position)
        return lambda frame: noisy(name, frame, field, rng)

    write_episode(source, dest, filter_args("blosc"), frames=add_noise)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
