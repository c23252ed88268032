"""Independent checks of rigwatch's previews, with the tools the data team has (NumPy, h5py, Pillow).

  reference.py project CALIB_DIR            stdin: JSON [{"pose": [7], "side": "left"}], stdout: JSON pixels per camera file
  reference.py episode OUT.h5 SPEC.json     writes a recorder-layout episode of solid-colour frames with h5py (GZIP)
  reference.py gif FILE.gif [x,y ...]       stdout: JSON frame count, size, durations, colours per frame, RGB at points
"""
import json
import sys

import numpy as np


def quat_rotate(q, v):
    # Rotation matrix of the normalised quaternion (x, y, z, w), written out independently of rigwatch.
    x, y, z, w = np.asarray(q, dtype=np.float64) / np.linalg.norm(q)
    r = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    return r @ np.asarray(v, dtype=np.float64)


def project(calib_dir):
    poses = json.load(sys.stdin)
    out = {}
    for view in ("left", "middle", "right"):
        cam = json.load(open(f"{calib_dir}/T_mocap_to_cam_{view}.json"))
        t = np.array(cam["T_mocap_to_cam"], dtype=np.float64)
        k = cam["intrinsics"]
        pixels = []
        for p in poses:
            gel = json.load(open(f"{calib_dir}/T_gel_to_rigid_{p['side']}.json"))["gel_center_in_rigid_mm"]
            pose = np.asarray(p["pose"], dtype=np.float64)
            world = quat_rotate(pose[3:7], gel) + pose[:3] * 1000.0
            c = t @ np.append(world, 1.0)
            pixels.append(None if c[2] <= 0 else [k["fx"] * c[0] / c[2] + k["ppx"], k["fy"] * c[1] / c[2] + k["ppy"]])
        out[cam["camera_serial"]] = pixels
    json.dump(out, sys.stdout)


def episode(path, spec_path):
    import h5py

    spec = json.load(open(spec_path))
    t_n, fps = spec["frames"], spec["fps"]
    t0 = 1_780_000_000.0
    with h5py.File(path, "w") as f:
        f["timestamps"] = t0 + np.arange(t_n) / fps
        meta = f.create_group("metadata")
        meta.attrs["fps"] = np.int64(fps)
        meta.attrs["task"] = spec.get("task", "colours")
        meta.attrs["created_at"] = "2026-12-01T12:00:00"
        vlen = h5py.string_dtype()
        meta.attrs.create("realsense_serials", ["143322063538", "104122062574", "217222066989"], dtype=vlen)
        meta.attrs.create("gelsight_serials", ["2BGLKZNT", "2BKRDTAD"], dtype=vlen)

        def images(name, colour, shape=(480, 640, 3), dtype=np.uint8):
            frame = np.empty(shape, dtype=dtype)
            frame[...] = colour
            f.create_dataset(name, data=np.broadcast_to(frame, (t_n, *shape)), chunks=(1, *shape), compression="gzip")

        for cam in ("cam0", "cam1", "cam2"):
            images(f"realsense/{cam}/color", spec["colour"][cam])
            images(f"realsense/{cam}/depth", 1000, (480, 640), np.uint16)
        for side in ("left", "right"):
            images(f"gelsight/{side}/frames", spec["colour"][f"gel_{side}"])
        rate = spec.get("ot_hz", 120)
        n = int((t_n - 1) / fps * rate) + 1
        for body, pose in spec["poses"].items():
            f[f"optitrack/{body}/timestamps"] = t0 + np.arange(n) / rate
            f[f"optitrack/{body}/pose"] = np.tile(np.asarray(pose, dtype=np.float64), (n, 1))


def gif(path, points):
    from PIL import Image

    img = Image.open(path)
    frames, durations, colours, at = [], [], [], []
    for i in range(img.n_frames):
        img.seek(i)
        rgb = np.asarray(img.convert("RGB"))
        durations.append(img.info.get("duration"))
        packed = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]
        colours.append(int(np.unique(packed).size))
        at.append([rgb[y, x].tolist() for x, y in points])
        frames.append(rgb.shape)
    json.dump({"frames": img.n_frames, "size": list(img.size), "durations": durations, "colours": colours, "at": at}, sys.stdout)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "project":
        project(sys.argv[2])
    elif command == "episode":
        episode(sys.argv[2], sys.argv[3])
    elif command == "gif":
        gif(sys.argv[2], [tuple(map(int, p.split(","))) for p in sys.argv[3:]])
    else:
        raise SystemExit(f"unknown command {command}")
