"""Independent NumPy check of a contact index (.pt) against its source episode (.h5).

Usage: /usr/bin/python3 check_index.py <episode.pt> <episode.h5> <sidecar.json> <active sides, e.g. left,right>

Loads the .pt with stock PyTorch (torch.load(weights_only=False)), reads the H5 frames one at a time
with h5py + hdf5plugin, recomputes everything of curation spec §2 and §4 the NumPy way, and prints one
JSON object: what the .pt holds (keys, shapes, dtypes, _contact_meta) and how far each value is from
the reference. The formulas are written from the spec, not from the TypeScript:
- thumbnail: centre crop to min(H, W) square, area average via a dense overlap matrix (exact integer
  totals in float64), rounded half up; channel-first in the .pt;
- trim: per active body, valid in-order samples; first run with no gap > 0.5 s lasting >= 1 s; OT
  steady within 0.1 s of the first tick = no trim; else the first tick at or after the steady start;
- poses: nearest sample by np.searchsorted, ties to the earlier sample;
- p01: median (np.median) of round(linspace(0, T-1, min(T, 300))) frames, mean L2 to it per frame,
  centred mean over frames i-15..i+14 clipped at the ends, first argmin; drift = mean L2 first vs ref;
- metrics: d = per-pixel RGB L2 to the reference; mean d, mean(d > tau), mean(d * (d > tau)).
"""

import json
import math
import sys

import h5py
import hdf5plugin  # noqa: F401  (registers the BLOSC / LZF filters)
import numpy as np
import torch

THUMB = 128
TAU = 8.0
MAX_GAP_S, STEADY_S, START_GRACE_S = 0.5, 1.0, 0.1
VIEWS = {"view_left": "realsense/cam1/color", "view_middle": "realsense/cam2/color", "view_right": "realsense/cam0/color"}
GELS = {"left": "gelsight/left/frames", "right": "gelsight/right/frames"}
BODIES = ["sensor_left", "sensor_right", "motherboard"]


def area_matrix(src, dst=THUMB):
    """(dst, src) overlap of output o's interval [o*src/dst, (o+1)*src/dst) with source pixel s, in 1/dst pixels."""
    w = np.zeros((dst, src))
    for o in range(dst):
        lo, hi = o * src, (o + 1) * src
        for s in range(src):
            w[o, s] = max(0, min(hi, (s + 1) * dst) - max(lo, s * dst))
    return w


def thumbnails(dataset, first, count):
    """(count, 128, 128, 3) uint8, read in batches of 16 frames.

    The dense (128, side) overlap matrix is block diagonal (g = gcd(side, 128) copies of one (q, p)
    block), so the product A·crop·Aᵀ is applied block-wise, as BLAS matrix products in floating point
    that are exact: every partial sum is an integer, the row pass's below 2^24 (float32), the column
    pass's below 2^53 (float64). Integer einsum gave the same totals several times slower."""
    _, h, w, _ = dataset.shape
    side = min(h, w)
    y0, x0 = (h - side) // 2, (w - side) // 2
    a = area_matrix(side).astype(np.int64)
    g = math.gcd(side, THUMB)
    p, q = side // g, THUMB // g
    blk = a[:q, :p]
    assert np.array_equal(a, np.kron(np.eye(g, dtype=np.int64), blk))
    den = side * side  # every output's weights sum to side, so totals are mean * side^2
    assert 255 * int(blk.sum(axis=1).max()) < 2**24 and 255 * den < 2**53
    blk32, blk64 = blk.astype(np.float32), blk.astype(np.float64)
    out = np.empty((count, THUMB, THUMB, 3), np.uint8)
    for i0 in range(0, count, 16):
        n = min(16, count - i0)
        frames = np.stack([dataset[first + i0 + k] for k in range(n)])
        crop = frames[:, y0 : y0 + side, x0 : x0 + side].astype(np.float32)
        rows = np.matmul(blk32, crop.reshape(n, g, p, side * 3)).reshape(n, THUMB, g, p, 3)
        totals = np.matmul(blk64, rows.astype(np.float64)).reshape(n, THUMB, THUMB, 3).astype(np.int64)
        out[i0 : i0 + n] = ((2 * totals + den) // (2 * den)).astype(np.uint8)
    return out


def steady_start(times):
    run = 0
    for i in range(len(times)):
        if i > 0 and times[i] - times[i - 1] > MAX_GAP_S:
            run = i
        if times[i] - times[run] >= STEADY_S:
            return times[run]
    return None


def valid_times(ts, pose):
    ok = np.isfinite(pose).all(axis=1) & (np.linalg.norm(pose[:, 3:7], axis=1) >= 0.5) if len(pose) else np.zeros(0, bool)
    kept, last = [], -np.inf
    for t, good in zip(ts, ok):
        if good and t > last:
            kept.append(t)
        last = max(last, t)
    return np.array(kept)


def trim_offset(f, ts, sides):
    starts = []
    for side in sides:
        body = f"sensor_{side}"
        s = steady_start(valid_times(f[f"optitrack/{body}/timestamps"][:], f[f"optitrack/{body}/pose"][:]))
        if s is None:
            return len(ts)
        starts.append(s)
    if not starts:
        return 0
    start = max(starts)
    return 0 if start <= ts[0] + START_GRACE_S else int(np.searchsorted(ts, start, "left"))


def nearest_rows(sample_t, pose, ticks):
    out = np.full((len(ticks), 7), np.nan, np.float32)
    if len(sample_t) == 0:
        return out
    j = np.searchsorted(sample_t, ticks, "left")
    lo = np.clip(j - 1, 0, len(sample_t) - 1)
    hi = np.clip(j, 0, len(sample_t) - 1)
    pick = np.where((sample_t[hi] - ticks) < np.abs(ticks - sample_t[lo]), hi, lo)
    return pose[pick].astype(np.float32)


def l2(a, b):
    return np.sqrt(((a.astype(np.float64) - b) ** 2).sum(axis=-1))


def p01(thumbs):
    n = len(thumbs)
    picks = np.unique(np.round(np.linspace(0, n - 1, min(n, 300))).astype(int))
    median = np.median(thumbs[picks], axis=0)
    dist = np.array([l2(t, median).mean() for t in thumbs])
    smooth = np.array([dist[max(0, i - 15) : min(n, i + 15)].mean() for i in range(n)])
    return int(np.argmin(smooth))


def ulps(got, want):
    """Largest distance in float32 ulps (of the reference value) between two float32 arrays."""
    if len(want) == 0:
        return 0.0
    spacing = np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
    return float((np.abs(got.astype(np.float64) - want.astype(np.float64)) / spacing).max())


def describe(v):
    if isinstance(v, torch.Tensor):
        return {"tensor": str(v.dtype).replace("torch.", ""), "shape": list(v.shape)}
    if isinstance(v, float):
        return {"float": v}
    if isinstance(v, bool):
        return v
    return v


def main(pt_path, h5_path, sidecar_path, sides_arg):
    d = torch.load(pt_path, weights_only=False)
    sidecar = json.load(open(sidecar_path))
    meta = d["_contact_meta"]
    report = {
        "keys": list(d.keys()),
        "tensors": {k: describe(v) for k, v in d.items() if isinstance(v, torch.Tensor)},
        "meta": {k: describe(v) for k, v in meta.items()},
        "meta_types": {k: type(v).__name__ for k, v in meta.items()},
    }
    with h5py.File(h5_path, "r") as f:
        ts = f["timestamps"][:]
        sides = [s for s in sides_arg.split(",") if s]
        trim = trim_offset(f, ts, sides)
        count = len(ts) - trim
        report["numpy_trim_offset"] = trim
        report["timestamps_equal"] = bool(np.array_equal(d["timestamps"].numpy(), ts[trim:]))
        for key, path in VIEWS.items():
            want = thumbnails(f[path], trim, count).transpose(0, 3, 1, 2)
            report[f"{key}_mismatched_bytes"] = int((d[key].numpy() != want).sum())
        for body in BODIES:
            want = nearest_rows(f[f"optitrack/{body}/timestamps"][:], f[f"optitrack/{body}/pose"][:], ts[trim:])
            got = d[f"{body}_pose"].numpy()
            report[f"{body}_pose_equal"] = bool(np.array_equal(got, want, equal_nan=True))
        for side, path in GELS.items():
            thumbs = thumbnails(f[path], trim, count)
            got_cf = d[f"tactile_{side}"].numpy()
            report[f"tactile_{side}_mismatched_bytes"] = int((got_cf != thumbs.transpose(0, 3, 1, 2)).sum())
            if count == 0:
                continue
            ref = p01(thumbs)
            report[f"numpy_ref_p01_idx_{side}"] = ref + trim
            report[f"ref_p01_{side}_equal"] = bool(np.array_equal(meta[f"ref_p01_{side}"].numpy(), thumbs[ref].transpose(2, 0, 1)))
            report[f"ref_first_{side}_equal"] = bool(np.array_equal(meta[f"ref_first_{side}"].numpy(), thumbs[0].transpose(2, 0, 1)))
            # Metrics against the .pt's own reference, so a reference mismatch is reported once, above.
            ref_img = thumbs[meta[f"ref_p01_idx_{side}"] - trim]
            dist = np.stack([l2(t, ref_img) for t in thumbs])  # (count, 128, 128)
            above = dist > TAU
            want = {
                "intensity": dist.mean(axis=(1, 2)).astype(np.float32),
                "area": above.mean(axis=(1, 2)).astype(np.float32),
                "mixed": (dist * above).mean(axis=(1, 2)).astype(np.float32),
            }
            for name, w in want.items():
                got = d[f"tactile_{side}_{name}"].numpy()
                report[f"{side}_{name}_max_ulps"] = ulps(got, w)
                report[f"{side}_{name}_exact_frames"] = int((got == w).sum())
                s = sidecar["sides"][side][name]
                g64 = got.astype(np.float64)
                expect = [g64.min(), g64.mean(), np.percentile(g64, 50), np.percentile(g64, 99), g64.max()]
                report[f"{side}_{name}_sidecar_max_abs"] = float(
                    np.abs(np.array([s["min"], s["mean"], s["p50"], s["p99"], s["max"]]) - expect).max()
                )
            report[f"{side}_contact_frames"] = int((d[f"tactile_{side}_mixed"].numpy() > 0.4).sum())
            report[f"drift_{side}_abs_error"] = abs(meta[f"drift_{side}"] - l2(thumbs[0], ref_img).mean())
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:])
