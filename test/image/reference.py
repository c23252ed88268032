"""NumPy reference implementations for test/image/*.test.ts.

Usage: /usr/bin/python3 reference.py <command> <dir>

Each command generates its inputs (fixture frames read with h5py + hdf5plugin, seeded random data),
computes the reference results with NumPy, writes raw little-endian buffers to <dir>/<name>.bin and a
manifest to <dir>/out.json. The formulas are written the NumPy way, independently of the TypeScript
(weights from a dense overlap matrix, np.median, np.unique(np.round(np.linspace)), per-pixel norms
over whole arrays); only the frame hash is a line-by-line transcription, since it is a definition.
"""

import json
import math
import os
import sys
from pathlib import Path

import numpy as np

# The faulted take h5py wrote before the suite ran (test/tools/recorderFixtures.ts); python.ts names it.
FIXTURE = os.environ.get("RIGWATCH_FAULTED_EPISODE", "")
THUMB = 128


class Out:
    def __init__(self, root):
        self.root = Path(root)
        self.manifest = {}

    def bin(self, name, array):
        np.ascontiguousarray(array).tofile(self.root / f"{name}.bin")
        return name

    def done(self):
        (self.root / "out.json").write_text(json.dumps(self.manifest))


def fixture(dataset, frames=None):
    import h5py
    import hdf5plugin  # noqa: F401  (registers the BLOSC/LZ4 filter the recorder uses)

    with h5py.File(FIXTURE, "r") as f:
        d = f[dataset]
        return d[:] if frames is None else d[sorted(frames)]


# ---- thumbnail --------------------------------------------------------------------------------

def area_matrix(src, dst=THUMB):
    """Dense (dst, src) INTER_AREA weights in units of 1/dst source pixel: rows sum to src."""
    w = np.zeros((dst, src), np.int64)
    for o in range(dst):
        lo, hi = o * src, (o + 1) * src
        for s in range(lo // dst, -(-hi // dst)):
            w[o, s] = min(hi, (s + 1) * dst) - max(lo, s * dst)
    assert (w.sum(axis=1) == src).all()
    return w


def crop(frame):
    h, w, _ = frame.shape
    s = min(h, w)
    y0, x0 = (h - s) // 2, (w - s) // 2
    return frame[y0 : y0 + s, x0 : x0 + s]


def area_totals(frames):
    """Σ wy·wx·pixel over each output's footprint with weights reduced to sum to p = S/g per output
    (g = gcd(S, 128)): (N, H, W, 3) uint8 → (N, 128, 128, 3) int64, the exact mean times p².

    The dense (128, S) weight matrix is block diagonal: every q = 128/g outputs cover exactly p
    inputs, with the same (q, p) block each time, and every weight is a multiple of g. The block's
    non-zero entries are applied as integer multiply-adds on strided views."""
    s = min(frames.shape[1], frames.shape[2])
    g = math.gcd(s, THUMB)
    p, q = s // g, THUMB // g
    a = area_matrix(s)
    blk = a[:q, :p]
    assert np.array_equal(a, np.kron(np.eye(g, dtype=np.int64), blk)) and not (blk % g).any()
    blk = blk // g
    taps = [[(k, int(blk[i, k])) for k in np.flatnonzero(blk[i])] for i in range(q)]
    out = np.empty((len(frames), THUMB, THUMB, 3), np.int64)
    for i0 in range(0, len(frames), 16):
        c = np.stack([crop(f) for f in frames[i0 : i0 + 16]]).astype(np.int32)  # (n, y, x, ch)
        n = len(c)
        rows = c.reshape(n, g, p, s, 3)
        v = np.stack([sum(w * rows[:, :, k] for k, w in taps[i]) for i in range(q)], axis=2)  # (n, g, q, x, ch)
        cols = v.reshape(n, THUMB, g, p, 3)
        t = np.stack([sum(w * cols[:, :, :, k] for k, w in taps[i]) for i in range(q)], axis=3)  # (n, 128, g, q, ch)
        out[i0 : i0 + n] = t.reshape(n, THUMB, THUMB, 3)
    return out, p * p


def thumb_exact(frames):
    """Exact area mean rounded half up: floor((2·total + p²) / (2·p²)). (N, H, W, 3) → (N, 128, 128, 3) uint8."""
    tot, den = area_totals(frames)
    return ((2 * tot + den) // (2 * den)).astype(np.uint8)


def near_tie(frame, tol=1e-4):
    """1 where the exact mean is within tol of a .5 rounding boundary (where rounding conventions and
    float32 error can disagree), else 0."""
    tot, den = area_totals(frame[None])
    off = np.abs((2 * tot[0]) % (2 * den) - den)  # |2·frac − 1|·den: 0 on a tie
    return (off <= 2 * tol * den).astype(np.uint8)


def thumb_dense(frame):
    """thumb_exact through the full dense product A·crop·Aᵀ in float64 (exact: integers < 2^53)."""
    s = min(frame.shape[:2])
    a = area_matrix(s).astype(np.float64)
    tot = np.rint(a @ crop(frame).astype(np.float64).transpose(2, 0, 1) @ a.T).astype(np.int64)
    return ((2 * tot + s * s) // (2 * s * s)).astype(np.uint8).transpose(1, 2, 0)


def thumb_cv2_like(frame):
    """OpenCV resizeArea_ emulated: float32 weights alpha = overlap/scale, float32 sums, cvRound (half to even)."""
    s = min(frame.shape[:2])
    a = (area_matrix(s) / s).astype(np.float32)  # = (overlap in source pixels) / scale
    v = a @ crop(frame).astype(np.float32).transpose(2, 0, 1) @ a.T  # (3, 128, 128), float32 throughout
    return np.clip(np.rint(v), 0, 255).astype(np.uint8).transpose(1, 2, 0)


def cmd_thumbnail(out):
    rng = np.random.default_rng(20240501)
    cases = []
    for stream in ("gelsight/left/frames", "realsense/cam0/color"):
        picks = [0, 150, 299]
        for i, f in zip(picks, fixture(stream, picks)):
            cases.append((f"{stream}#{i}", f))
    for h, w in [(480, 640), (640, 480), (481, 643), (256, 256), (128, 128), (300, 200), (720, 1280), (129, 130)]:
        cases.append((f"noise {h}x{w}", rng.integers(0, 256, (h, w, 3), dtype=np.uint8)))
    # Smooth gradient: means spread over the whole fractional range, many close to a rounding boundary.
    yy, xx = np.mgrid[0:480, 0:640]
    grad = np.stack([(xx * 255) // 639, (yy * 255) // 479, ((xx + yy) * 7) % 256], axis=-1).astype(np.uint8)
    cases.append(("gradient 480x640", grad))

    try:
        import cv2  # not installed here (and not to be installed); compared only when present

        have_cv2 = True
    except ImportError:
        have_cv2 = False

    items = []
    for k, (name, f) in enumerate(cases):
        item = {"name": name, "height": int(f.shape[0]), "width": int(f.shape[1])}
        item["frame"] = out.bin(f"frame{k}", f)
        exact = thumb_exact(f[None])[0]
        if k in (0, 8):  # self-check of the block decomposition on a 480 and a 481 crop
            assert np.array_equal(exact, thumb_dense(f)), name
        item["exact"] = out.bin(f"exact{k}", exact)
        item["cv2like"] = out.bin(f"cv2like{k}", thumb_cv2_like(f))
        item["nearTie"] = out.bin(f"near{k}", near_tie(f))
        if have_cv2:
            item["cv2"] = out.bin(f"cv2_{k}", cv2.resize(crop(f), (THUMB, THUMB), interpolation=cv2.INTER_AREA))
        items.append(item)
    out.manifest = {"cases": items, "cv2": have_cv2}


# ---- contact ----------------------------------------------------------------------------------

def pixel_l2(a, b):
    return np.sqrt(((a.astype(np.float64) - b.astype(np.float64)) ** 2).sum(axis=-1))


def contact(thumb, ref, tau):
    d = pixel_l2(thumb, ref)
    on = d > tau
    return {
        "intensity": float(np.float32(d.mean())),
        "area": float(np.float32(on.mean())),
        "mixed": float(np.float32((d * on).mean())),
    }


def cmd_contact(out):
    rng = np.random.default_rng(7)
    picks = [0, 31, 60, 150, 200, 299]  # 31 is the fixture's LED-flicker frame
    gel = thumb_exact(fixture("gelsight/left/frames", picks))
    noise = rng.integers(0, 256, (2, THUMB, THUMB, 3), dtype=np.uint8)
    near = np.clip(gel[0].astype(int) + rng.integers(-9, 10, gel[0].shape), 0, 255).astype(np.uint8)
    thumbs = np.concatenate([gel, noise, near[None]])
    refs = np.stack([gel[0], gel[3]])
    out.bin("thumbs", thumbs)
    out.bin("refs", refs)
    taus = [8.0, 0.0, 3.5, 20.0]
    results = []
    for t in range(len(thumbs)):
        for r in range(len(refs)):
            for tau in taus:
                results.append({"thumb": t, "ref": r, "tau": tau, **contact(thumbs[t], refs[r], tau)})
    drifts = [
        {"a": t, "b": r, "drift": float(pixel_l2(thumbs[t], refs[r]).mean())}
        for t in range(len(thumbs))
        for r in range(len(refs))
    ]
    out.manifest = {"count": len(thumbs), "results": results, "drifts": drifts}


# ---- p01 --------------------------------------------------------------------------------------

def sample_indices(t, max_samples=300):
    return np.unique(np.round(np.linspace(0, t - 1, min(t, max_samples))).astype(np.int64))


def smooth(x, window=30):
    """pandas Series.rolling(window, center=True, min_periods=1).mean()."""
    back, ahead = window // 2, window - window // 2 - 1
    n = len(x)
    return np.array([x[max(0, i - back) : min(n, i + ahead + 1)].mean() for i in range(n)])


def p01(thumbs, max_samples=300, window=30):
    idx = sample_indices(len(thumbs), max_samples)
    median = np.median(thumbs[idx], axis=0)  # uint8 in, float64 out: the mean of the middle pair
    dist = np.concatenate([pixel_l2(thumbs[i : i + 64], median).mean(axis=(1, 2)) for i in range(0, len(thumbs), 64)])
    sm = smooth(dist, window)
    return idx, median, dist, sm, int(np.argmin(sm))


def synthetic_sequence(rng, t, quiet):
    """A still gel (base) plus per-frame noise whose amplitude dips to 0 on the `quiet` frames."""
    base = rng.integers(60, 200, (THUMB, THUMB, 3))
    amp = np.full(t, 12.0)
    amp[quiet] = 0.0
    noise = rng.integers(-1, 2, (t, THUMB, THUMB, 3), dtype=np.int16) * amp.astype(np.int16)[:, None, None, None]
    return np.clip(base.astype(np.int16)[None] + noise, 0, 255).astype(np.uint8)


def cmd_p01(out):
    rng = np.random.default_rng(11)
    seqs = {
        "gel left": thumb_exact(fixture("gelsight/left/frames")),
        "synthetic 450": synthetic_sequence(rng, 450, slice(250, 310)),
        "synthetic 37": synthetic_sequence(rng, 37, slice(30, 37)),
        "single": synthetic_sequence(rng, 1, slice(0, 0)),
    }
    items = []
    for k, (name, seq) in enumerate(seqs.items()):
        idx, median, dist, sm, index = p01(seq)
        items.append(
            {
                "name": name,
                "frames": len(seq),
                "thumbs": out.bin(f"thumbs{k}", seq),
                "samples": idx.tolist(),
                "median": out.bin(f"median{k}", median.astype(np.float64)),
                "distances": out.bin(f"dist{k}", dist),
                "smoothed": out.bin(f"smooth{k}", sm),
                "index": index,
                "drift": float(pixel_l2(seq[0], seq[index]).mean()),
            }
        )
    lengths = [1, 2, 3, 37, 299, 300, 301, 450, 599, 700, 1000, 2429, 9719, 19228]
    out.manifest = {
        "sequences": items,
        "sampleIndices": [{"frames": t, "indices": sample_indices(t).tolist()} for t in lengths],
    }


# ---- motion and hashing -----------------------------------------------------------------------

P1, P2, P3, P4, P5 = 0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1
M1, M2 = 0x85EBCA6B, 0xC2B2AE35
MASK = 0xFFFFFFFF


def rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & MASK


def fmix(h):
    h = ((h ^ (h >> 16)) * M1) & MASK
    h = ((h ^ (h >> 13)) * M2) & MASK
    return h ^ (h >> 16)


def frame_hash(data: bytes):
    """frameHash.ts in plain Python integers: XXH32 stripes (seed 0), zero-padded tail stripe, two finalisers."""
    n = len(data)
    padded = data + bytes(-n % 16)
    words = np.frombuffer(padded, "<u4").reshape(-1, 4).tolist()
    acc = [(P1 + P2) & MASK, P2, 0, (-P1) & MASK]
    for stripe in words:
        for k in range(4):
            acc[k] = (rotl((acc[k] + stripe[k] * P2) & MASK, 13) * P1) & MASK
    a, b, c, d = acc
    lo, hi = n & MASK, (n >> 32) & MASK
    h = (rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + lo) & MASK
    h = ((h ^ hi) * P5) & MASK
    h = ((h ^ (h >> 15)) * P2) & MASK
    h = ((h ^ (h >> 13)) * P3) & MASK
    h ^= h >> 16
    g = fmix(lo ^ P4)
    for x in (hi, a, b, c, d):
        g = fmix(g ^ x)
    return f"{h:08x}{g:08x}"


def cmd_motion(out):
    rng = np.random.default_rng(3)
    cam = fixture("realsense/cam0/color", [10, 11])
    gel = fixture("gelsight/left/frames", [0, 1, 30, 31])  # 0 == 1 bitwise; 31 is the LED flicker
    noise = rng.integers(0, 256, (2, 480, 640, 3), dtype=np.uint8)
    near = np.clip(noise[0].astype(int) + rng.integers(-3, 4, noise[0].shape), 0, 255).astype(np.uint8)
    frames = np.concatenate([cam, gel, noise, near[None]])
    out.bin("frames", frames)
    n = len(frames)
    mad = [[float(np.abs(frames[i].astype(np.int16) - frames[j]).mean()) for j in range(n)] for i in range(n)]
    equal = [[bool(np.array_equal(frames[i], frames[j])) for j in range(n)] for i in range(n)]

    spans = [(0, 5), (0, 100), (10, 11), (3, 3), (7, 2), (100, 132), (100, 133), (0, 64), (5, 1000)]
    pairs = []
    for a, b in spans:
        if b <= a:
            pairs.append([])
            continue
        i = np.unique(np.round(np.linspace(a, b - 1, min(b - a, 32))).astype(int))
        pairs.append([[int(x), int(x) + 1] for x in i])

    blobs = [bytes(rng.integers(0, 256, k, dtype=np.uint8)) for k in (0, 1, 3, 15, 16, 17, 31, 1000, 4099)]
    out.bin("blobs", np.frombuffer(b"".join(blobs), np.uint8))
    hashes = [frame_hash(frames[3].tobytes())] + [frame_hash(b) for b in blobs]
    out.manifest = {
        "count": n,
        "mad": mad,
        "equal": equal,
        "spans": spans,
        "pairs": pairs,
        "blobLengths": [len(b) for b in blobs],
        "frameHash": hashes[0],
        "blobHashes": hashes[1:],
    }


if __name__ == "__main__":
    command, root = sys.argv[1], sys.argv[2]
    o = Out(root)
    {"thumbnail": cmd_thumbnail, "contact": cmd_contact, "p01": cmd_p01, "motion": cmd_motion}[command](o)
    o.done()
