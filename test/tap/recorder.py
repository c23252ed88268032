"""A stand-in for the rig's recorder loop, driven line by line over stdin (JSON commands), using the
real rigwatch_tap module. Each command's answer is one JSON line on stdout.

  {"op": "ticks", "count": N, "fps": 30, "stall": [cams...], "flicker": "left"|null, "drop": [...],
   "continue": true?}  paced at fps and stamped at their capture times (start + i/fps, as cameras
   stamp frames, whatever this process's scheduling); "continue" carries on the previous command's
   schedule, so consecutive commands make one unbroken recording
  {"op": "episode_start", "path": P, "episode": E, "active_bodies": [...]?}
  {"op": "episode_end", "path": P, "episode": E, "written": W, "dropped": D}
  {"op": "ref_reset"} | {"op": "session_end"} | {"op": "alarms"} | {"op": "stop"} | {"op": "stats"}
  {"op": "hold"}: one tick queued and the worker stopped inside it, so the queue fills from empty
  {"op": "release"}: the worker goes on
  {"op": "close"}
Frames are full 480x640x3 uint8 (random noise per frame, made in advance).
"""
import json
import sys
import threading
import time

import numpy as np

sys.path.insert(0, sys.argv[1])
from rigwatch_tap import RigwatchTap  # noqa: E402

publish, alarms = sys.argv[2], sys.argv[3]
rig = {
    "streams": [{"name": f"cam{i}", "kind": "realsense", "order": "BGR"} for i in range(3)]
    + [{"name": f"gel_{s}", "kind": "gelsight", "order": "RGB"} for s in ("left", "right")],
    "bodies": ["motherboard", "sensor_left", "sensor_right"],
    "active_sensors": ["left", "right"],
    "fps": 30,
}
rng = np.random.default_rng(7)
pool = [rng.integers(0, 256, (480, 640, 3), dtype=np.uint8) for _ in range(12)]
gel = np.full((480, 640, 3), 120, dtype=np.uint8)
gels = [np.clip(gel.astype(np.int16) + rng.integers(-2, 3, gel.shape), 0, 255).astype(np.uint8) for _ in range(6)]
flare = np.clip(gels[0].astype(np.int16) + 60, 0, 255).astype(np.uint8)
# The pool's frames are never written after tick(): no copy needed, so a long queue costs no memory.
tap = RigwatchTap(
    rig,
    publish=publish,
    alarms=alarms,
    queue_ticks=int(sys.argv[4]) if len(sys.argv) > 4 else 4,
    copy_frames=False,
)
k = 0
last = {}
next_wall = None  # capture time of the tick after the last "ticks" command's

# A worker that falls behind, on demand: the tick it is sending waits for `release`.
gate = threading.Event()
gate.set()
entered = threading.Event()
send_tick = tap._send_tick


def held_send_tick(*args):
    entered.set()
    gate.wait()
    send_tick(*args)


tap._send_tick = held_send_tick


def reply(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


reply({"ready": True})
for line in sys.stdin:
    cmd = json.loads(line)
    op = cmd["op"]
    if op == "ticks":
        fps = cmd.get("fps", 30)
        start = next_wall if cmd.get("continue") and next_wall is not None else time.time()
        sent = []
        for i in range(cmd["count"]):
            frames = {}
            for c in range(3):
                name = f"cam{c}"
                frames[name] = last[name] if name in cmd.get("stall", []) and name in last else pool[(k + c) % len(pool)]
            for s in ("left", "right"):
                name = f"gel_{s}"
                if name in cmd.get("unplug", []):
                    continue
                frames[name] = flare if cmd.get("flicker") == s and i == cmd.get("flicker_at", 0) else gels[(k // 2) % len(gels)]
            last.update(frames)
            wall = start + i / fps if fps else time.time()
            ok = tap.tick(wall, frames)
            sent.append({"i": i, "wall": wall, "ok": ok})
            k += 1
            if fps:
                time.sleep(max(0, start + (i + 1) / fps - time.time()))
        next_wall = start + cmd["count"] / fps if fps else None
        reply({"sent": sent})
    elif op == "burst":
        # As fast as the loop can call tick(): the queue must drop, never block.
        t0 = time.perf_counter()
        oks = [tap.tick(time.time(), {"cam0": pool[i % 12], "cam1": pool[(i + 1) % 12], "cam2": pool[(i + 2) % 12]}) for i in range(cmd["count"])]
        reply({"accepted": sum(oks), "dropped": len(oks) - sum(oks), "seconds": time.perf_counter() - t0})
    elif op == "hold":
        gate.clear()
        entered.clear()
        tap.tick(time.time(), {"cam0": pool[0], "cam1": pool[1], "cam2": pool[2]})
        entered.wait()
        reply({"held": True})
    elif op == "release":
        gate.set()
        reply({"released": True})
    elif op == "episode_start":
        tap.episode_start(cmd["path"], cmd["episode"], active_bodies=cmd.get("active_bodies"))
        reply({"ok": True})
    elif op == "episode_end":
        tap.episode_end(cmd["path"], cmd["episode"], cmd["written"], cmd["dropped"])
        reply({"ok": True})
    elif op == "ref_reset":
        tap.ref_reset()
        reply({"ok": True})
    elif op == "session_end":
        tap.session_end("operator")
        reply({"ok": True})
    elif op == "alarms":
        reply({"alarms": tap.alarms()})
    elif op == "stop":
        reply({"stop": tap.stop_requested()})
    elif op == "stats":
        reply(tap.stats())
    elif op == "close":
        tap.close()
        reply({"closed": True})
        break
