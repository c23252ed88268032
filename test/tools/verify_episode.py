"""Independent reading of an episode file with Debian h5py + hdf5plugin (spec §1-§4).

Usage: /usr/bin/python3 verify_episode.py [--layout] EPISODE.h5 [ACTIVE_SIDES]
Prints one JSON object: the file's layout (dtypes, shapes, chunks, filters, attribute types) and the
events, trim, activity and drift derived from the data alone, with the truth-file conventions
(frame k owns (ts[k-1], ts[k]]). It shares no code with the TypeScript generator on purpose.
ACTIVE_SIDES (e.g. "left,right") overrides activity detection when given; --layout prints the layout only.
"""
import json
import sys

import h5py
import hdf5plugin  # noqa: F401  registers the BLOSC / LZF filters
import numpy as np

BODIES = ["motherboard", "sensor_left", "sensor_right"]
SIDES = ["left", "right"]
CAMS = ["cam0", "cam1", "cam2"]


def layout(f):
    datasets, attrs = {}, {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            plist = obj.id.get_create_plist()
            filters = []
            for i in range(plist.get_nfilters()):
                fid, flags, cd, _name = plist.get_filter(i)
                filters.append({"id": int(fid), "flags": int(flags), "cd_values": [int(v) for v in cd]})
            datasets[name] = {
                "dtype": obj.dtype.str,
                "shape": list(obj.shape),
                "maxshape": [None if m is None else int(m) for m in obj.maxshape],
                "chunks": list(obj.chunks) if obj.chunks else None,
                "filters": filters,
            }
        elif isinstance(obj, h5py.Group):
            datasets.setdefault("__groups__", []).append(name)

    f.visititems(visit)
    for key in f["metadata"].attrs:
        aid = f["metadata"].attrs.get_id(key)
        info = h5py.check_string_dtype(aid.dtype)
        value = f["metadata"].attrs[key]
        attrs[key] = {
            "dtype": aid.dtype.str if info is None else "vlen-str",
            "encoding": None if info is None else info.encoding,
            "shape": list(aid.shape),
            "value": value.tolist() if hasattr(value, "tolist") else value,
        }
    return {"datasets": datasets, "attrs": attrs, "groups": sorted(datasets.pop("__groups__", []))}


def runs(mask):
    """[first, last] index pairs of the True runs of a boolean array."""
    out, i, n = [], 0, len(mask)
    while i < n:
        if mask[i]:
            j = i
            while j + 1 < n and mask[j + 1]:
                j += 1
            out.append([i, j])
            i = j + 1
        else:
            i += 1
    return out


def steady_start(t, max_gap=0.5, steady=1.0):
    run = 0
    for i in range(len(t)):
        if i > 0 and t[i] - t[i - 1] > max_gap:
            run = i
        if t[i] - t[run] >= steady:
            return t[run]
    return None


def mean_l2(a, b):
    return float(np.sqrt(((a.astype(np.float32) - b.astype(np.float32)) ** 2).sum(-1)).mean())


def thumb(img):
    h, w = img.shape[:2]
    side = min(h, w)
    y0, x0 = (h - side) // 2, (w - side) // 2
    crop = img[y0:y0 + side, x0:x0 + side].astype(np.float32)
    b = max(1, side // 120)
    n = side // b
    crop = crop[: n * b, : n * b]
    return crop.reshape(n, b, n, b, 3).mean(axis=(1, 3))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0]
    f = h5py.File(path, "r")
    if "--layout" in sys.argv:
        print(json.dumps({"layout": layout(f)}))
        return
    ts = f["timestamps"][:]
    T = len(ts)
    owner = lambda t: int(np.searchsorted(ts, t, side="left"))  # noqa: E731
    after = lambda t: int(np.searchsorted(ts, t, side="right"))  # noqa: E731

    # Cameras: bitwise repeats (stall) and mean absolute difference (motion) of consecutive frames.
    cam_same = np.ones(T, bool)
    cam_motion = np.zeros(T)
    prev = [None] * 3
    for k in range(T):
        for c, cam in enumerate(CAMS):
            cur = f[f"realsense/{cam}/color"][k]
            if prev[c] is None:
                cam_same[k] = False
            else:
                diff = cur != prev[c]
                cam_same[k] &= not diff.any()
                # Mean absolute difference over the whole frame, summed over the differing bytes only.
                mad = np.abs(cur[diff].astype(np.int16) - prev[c][diff]).sum() / cur.size
                cam_motion[k] = max(cam_motion[k], float(mad))
            prev[c] = cur

    # Gels: distance to the first frame, changes between ticks, thumbnails for drift.
    gel = {}
    for side in SIDES:
        ds = f[f"gelsight/{side}/frames"]
        first = ds[0]
        to_first, area, changed, thumbs = np.zeros(T), np.zeros(T), np.zeros(T, bool), []
        last = None
        first32 = first.astype(np.float32)
        for k in range(T):
            cur = ds[k]
            changed[k] = last is not None and not np.array_equal(cur, last)
            if last is None or changed[k]:  # GelSight repeats most ticks: reuse the statistics
                d = np.sqrt(((cur.astype(np.float32) - first32) ** 2).sum(-1))
                stats_k = (d.mean(), (d > 8).mean(), thumb(cur))
            to_first[k], area[k] = stats_k[0], stats_k[1]
            thumbs.append(stats_k[2])
            last = cur
        gel[side] = {"to_first": to_first, "area": area, "changed": changed, "thumbs": np.stack(thumbs)}

    ot = {b: (f[f"optitrack/{b}/timestamps"][:], f[f"optitrack/{b}/pose"][:]) for b in BODIES}

    # Activity (spec §2): contact on the gel, or the body's robust travel above 5 cm.
    active = []
    for side in SIDES:
        g = gel[side]
        flicker = g["to_first"] > 60
        contact = ((g["area"] > 0.005) & (g["area"] < 0.5) & ~flicker).sum()
        t, p = ot[f"sensor_{side}"]
        valid = np.linalg.norm(p[:, 3:], axis=1) >= 0.5 if len(p) else np.zeros(0, bool)
        travel = float(np.linalg.norm(np.percentile(p[valid, :3], 99, 0) - np.percentile(p[valid, :3], 1, 0))) if valid.sum() else 0.0
        if contact >= 5 or travel > 0.05:
            active.append(side)
    if len(args) > 1:
        active = [s for s in args[1].split(",") if s]
    active_bodies = {f"sensor_{s}" for s in active}

    # Trim (spec §2).
    trim = 0
    for b in active_bodies:
        s0 = steady_start(ot[b][0])
        trim = max(trim, T if s0 is None else owner(s0))

    events = []
    for b in BODIES:
        t, p = ot[b]
        if len(t) == 0:
            continue
        s0 = steady_start(t)
        i0 = 0 if s0 is None else int(np.searchsorted(t, s0))
        t, p = t[i0:], p[i0:]
        bad = b in active_bodies
        q = p[:, 3:]
        norm = np.linalg.norm(q, axis=1)
        valid = np.isfinite(p).all(1) & (norm >= 0.5)
        same = np.all(p[1:] == p[:-1], axis=1)
        held_end = set()
        for a, z in runs(same):
            if z - a + 1 < 4:
                continue
            first, last = a + 1, z + 1  # repeated samples
            held_end.add(last)
            k0, k1 = owner(t[first]), owner(t[last])
            moved = last + 1 < len(t) and np.linalg.norm(p[last + 1, :3] - p[last, :3]) > 0.005
            still = not moved and cam_motion[k0 : k1 + 1].max() < 0.03  # only sensor noise changes
            if still:
                events.append({"mode": "real_still", "kind": "held", "body": b, "start": k0, "end": k1, "bad": False})
            else:
                events.append({"mode": "ot_loss", "kind": "held", "body": b, "start": k0, "end": k1, "bad": bad})
        dt = np.diff(t)
        for i in np.where(dt > 0.1)[0]:
            events.append({"mode": "ot_loss", "kind": "gap", "body": b, "start": after(t[i]), "end": owner(t[i + 1]), "bad": bad})
        for a, z in runs(~valid):
            events.append({"mode": "ot_loss", "kind": "invalid", "body": b, "start": owner(t[a]), "end": owner(t[z]), "bad": bad})
        qn = q / np.maximum(norm, 1e-12)[:, None]
        jumps = []
        for i in range(len(t) - 1):
            if not (valid[i] and valid[i + 1]) or dt[i] > 0.1 or i in held_end:
                continue
            v = np.linalg.norm(p[i + 1, :3] - p[i, :3]) / dt[i]
            dot = float(np.dot(qn[i], qn[i + 1]))
            w = 2 * np.arccos(min(1.0, abs(dot))) / dt[i]
            if v > 5 or w > 15:
                jumps.append((i + 1, "translation" if v > 5 else "rotation"))
            elif dot < 0:
                events.append({"mode": "sign_flip", "body": b, "start": owner(t[i + 1]), "end": owner(t[i + 1]), "bad": False})
        group = []
        for j in jumps + [None]:
            if group and (j is None or j[0] - group[-1][0] > 3):
                ks = [owner(t[x[0]]) for x in group]
                events.append({"mode": "teleport", "kind": group[0][1], "body": b, "start": min(ks), "end": max(ks), "bad": bad})
                group = []
            if j is not None:
                group.append(j)

    for side in SIDES:
        for a, z in runs(gel[side]["to_first"] > 60):
            events.append({"mode": "intensity_spike", "side": side, "start": a, "end": z, "bad": True})
    for a, z in runs(cam_same):
        events.append({"mode": "pipeline_stall", "start": a, "end": z, "bad": True})
    events = [e for e in events if e["end"] >= trim]
    events.sort(key=lambda e: (e["start"], e["end"], e["mode"], e.get("body", e.get("side", ""))))

    # Drift (spec §4): first kept frame vs the p01 reference (nearest the median, smoothed over 30).
    drift, drift_value = {}, {}
    for side in SIDES:
        th = gel[side]["thumbs"][trim:]
        idx = np.unique(np.linspace(0, len(th) - 1, min(300, len(th))).round().astype(int))
        med = np.median(th[idx], axis=0)
        dist = np.sqrt(((th - med) ** 2).sum(-1)).mean(axis=(1, 2))
        smooth = np.convolve(np.pad(dist, 15, mode="edge"), np.ones(30) / 30, mode="valid")[: len(dist)]
        ref = int(np.argmin(smooth))
        value = float(np.sqrt(((th[0] - th[ref]) ** 2).sum(-1)).mean())
        drift_value[side] = round(value, 3)
        drift[side] = value > 5

    # Statistics a reviewer wants beside the events.
    stats = {
        "cam_motion_max": float(cam_motion.max()),
        "gel_changed_frames": {s: int(gel[s]["changed"].sum()) for s in SIDES},
        "gel_to_first_max": {s: float(gel[s]["to_first"].max()) for s in SIDES},
        "drift_value": drift_value,
        "ot_samples": {b: int(len(ot[b][0])) for b in BODIES},
        "travel": {},
    }
    for e in events:
        a, z = e["start"], e["end"]
        if e["mode"] == "intensity_spike":
            g = f[f"gelsight/{e['side']}/frames"]
            e["l2_to_prev"] = round(mean_l2(g[a], g[a - 1]), 3)
        if e["mode"] == "real_still":
            e["cam_motion_max"] = round(float(cam_motion[a : z + 1].max()), 4)
            e["gel_changed"] = int(sum(gel[s]["changed"][a : z + 1].sum() for s in SIDES))
    for side in SIDES:
        t, p = ot[f"sensor_{side}"]
        valid = np.linalg.norm(p[:, 3:], axis=1) >= 0.5
        stats["travel"][side] = round(float(np.linalg.norm(np.percentile(p[valid, :3], 99, 0) - np.percentile(p[valid, :3], 1, 0))), 4)

    print(json.dumps({
        "layout": layout(f),
        "derived": {"T": T, "trim_offset": trim, "active_sensors": active, "events": events, "drift": drift},
        "stats": stats,
    }))


main()
