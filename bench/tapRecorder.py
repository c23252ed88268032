"""The recorder's side of the tap benchmark: the real rigwatch_tap module publishing the rig's full
rate (3 colour + 2 GelSight frames of 480x640x3 at 30 Hz) for `seconds`, one take, with a pipeline
stall (1.5 s) and an LED flicker every 10 s. Prints one JSON line per fault (wall time its first
frame was handed to tick()) and a summary line with the loop's cost per tick() call.

usage: tapRecorder.py MODULE_DIR PUBLISH ALARMS SECONDS
"""
import json
import sys
import time

import numpy as np

sys.path.insert(0, sys.argv[1])
from rigwatch_tap import RigwatchTap  # noqa: E402

publish, alarms, seconds = sys.argv[2], sys.argv[3], float(sys.argv[4])
fps = 30
rig = {
    "streams": [{"name": f"cam{i}", "kind": "realsense", "order": "BGR"} for i in range(3)]
    + [{"name": f"gel_{s}", "kind": "gelsight", "order": "RGB"} for s in ("left", "right")],
    "bodies": ["motherboard", "sensor_left", "sensor_right"],
    "active_sensors": ["left", "right"],
    "fps": fps,
}
rng = np.random.default_rng(3)
cams = [rng.integers(0, 256, (480, 640, 3), dtype=np.uint8) for _ in range(16)]
gel_base = np.full((480, 640, 3), 120, dtype=np.int16)
gels = [np.clip(gel_base + rng.integers(-2, 3, gel_base.shape), 0, 255).astype(np.uint8) for _ in range(8)]
flare = np.clip(gels[0].astype(np.int16) + 60, 0, 255).astype(np.uint8)

tap = RigwatchTap(rig, publish=publish, alarms=alarms)
time.sleep(1.0)  # let rigwatch subscribe (PUB/SUB slow joiner)
tap.episode_start("bench/episode_000.h5", 0)
loop_costs = []
held = None
start = time.perf_counter()
n = int(seconds * fps)
for k in range(n):
    t_in_cycle = (k % (10 * fps)) / fps
    stalled = 3.0 <= t_in_cycle < 4.5
    flicker = k % (10 * fps) == 8 * fps
    if stalled and held is None:
        held = [cams[(k + c) % 16] for c in range(3)]
    if not stalled:
        held = None
    frames = {f"cam{c}": (held[c] if stalled else cams[(k + c) % 16]) for c in range(3)}
    g = gels[(k * 2 // 3) % 8]  # GelSight at 20 Hz re-sampled onto 30 Hz ticks
    frames["gel_left"] = flare if flicker else g
    frames["gel_right"] = g
    wall = time.time()
    if stalled and t_in_cycle == 3.0:
        print(json.dumps({"fault": "stall", "frame": k, "wall": wall}), flush=True)
    if flicker:
        print(json.dumps({"fault": "flicker", "frame": k, "wall": wall}), flush=True)
    t0 = time.perf_counter()
    tap.tick(wall, frames, frame=k)
    loop_costs.append(time.perf_counter() - t0)
    time.sleep(max(0.0, start + (k + 1) / fps - time.perf_counter()))
tap.episode_end("bench/episode_000.h5", 0, n, tap.stats()["dropped"])
stats = tap.stats()
tap.close()
loop_costs.sort()
print(
    json.dumps(
        {
            "summary": True,
            "ticks": n,
            "dropped": stats["dropped"],
            "loop_ms_p50": 1000 * loop_costs[len(loop_costs) // 2],
            "loop_ms_p99": 1000 * loop_costs[int(len(loop_costs) * 0.99)],
            "worker_ms_p50": stats["worker_ms_p50"],
            "worker_ms_max": stats["worker_ms_max"],
        }
    ),
    flush=True,
)
