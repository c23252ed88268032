"""The recorder's end of the rigwatch tap (docs/tap-protocol.md).

The recorder owns the cameras and the GelSight devices; it calls this module from its loop:

    tap = RigwatchTap(rig=RIG)                 # once, at start
    tap.tick(ts, {"cam0": bgr0, ..., "gel_left": rgb_l, ...})   # every camera tick
    tap.episode_start(path, episode)           # when a take starts
    tap.episode_end(path, episode, written, dropped)
    if tap.stop_requested(): ...               # the watchdog asks to stop and save
    for alarm in tap.alarms(): ...             # draw on the preview
    tap.close()                                # when the recorder quits

Nothing here blocks the loop: `tick` copies the frames and queues them; a worker thread hashes
them, makes the 128x128 thumbnails and publishes. When the worker falls behind, ticks are dropped
and counted (every header carries the count), never queued without bound. Needs pyzmq and NumPy.
"""

from __future__ import annotations

import collections
import json
import os
import threading
import time
import zlib
from typing import Any, Dict, List, Mapping, Optional

import numpy as np
import zmq

PROTOCOL_VERSION = 1
THUMB_SIDE = 128


def _area_table(src: int, dst: int) -> np.ndarray:
    """OpenCV INTER_AREA weights for src -> dst, as exact integers in units of 1/dst source pixel."""
    table = np.zeros((dst, src), dtype=np.int64)
    for o in range(dst):
        lo, hi = o * src, (o + 1) * src  # output o covers [lo, hi) / dst
        for s in range(lo // dst, min(src, -(-hi // dst))):
            overlap = min(hi, (s + 1) * dst) - max(lo, s * dst)
            if overlap > 0:
                table[o, s] = overlap
    return table // np.gcd.reduce(table[table > 0])


def _area_15_to_4(g: np.ndarray) -> np.ndarray:
    """Area-average 15 source lines (axis 1) into 4, weights x4: [4,4,4,3] [1,4,4,4,2] [2,4,4,4,1] [3,4,4,4]."""
    a = [g[:, i] for i in range(15)]
    return np.stack(
        [
            4 * (a[0] + a[1] + a[2]) + 3 * a[3],
            a[3] + 4 * (a[4] + a[5] + a[6]) + 2 * a[7],
            2 * a[7] + 4 * (a[8] + a[9] + a[10]) + a[11],
            3 * a[11] + 4 * (a[12] + a[13] + a[14]),
        ],
        axis=1,
    )


def thumbnail(frame: np.ndarray) -> np.ndarray:
    """Centre-crop to a square, area-average to 128x128x3 uint8; byte order untouched.

    Exact integer weighted means rounded half up: the same bytes as rigwatch's TypeScript thumbnail
    and cv2.resize(..., INTER_AREA). 480-pixel crops (the rig's 480x640 frames) take a uint16 fast
    path (~0.6 ms); other sizes an exact int64 matrix path.
    """
    h, w = frame.shape[0], frame.shape[1]
    side = min(h, w)
    if frame.ndim != 3 or frame.shape[2] != 3 or side < THUMB_SIDE:
        raise ValueError(f"thumbnail needs an HxWx3 frame with min(H, W) >= 128, got {frame.shape}")
    y0, x0 = (h - side) // 2, (w - side) // 2
    crop = frame[y0 : y0 + side, x0 : x0 + side]
    if side == 480:
        rows = _area_15_to_4(crop.astype(np.uint16).reshape(32, 15, 480 * 3))  # sums <= 15*255
        cols = _area_15_to_4(rows.reshape(128 * 32, 15, 3))  # sums <= 225*255 < 2**16
        return ((cols.reshape(128, 128, 3) + 112) // 225).astype(np.uint8)
    table = _area_table(side, THUMB_SIDE)
    cell = int(table.sum(axis=1)[0])
    summed = np.einsum("os,sxc->oxc", table, crop.astype(np.int64))
    summed = np.einsum("ps,osc->opc", table, summed)
    return ((summed + cell * cell // 2) // (cell * cell)).astype(np.uint8)


def frame_hash(frame: np.ndarray) -> str:
    """CRC-32 of the frame's bytes and its length.

    Equal frames always hash equal; unequal consecutive frames collide with probability 2**-32. A
    collision only adds one false repeat to a stall window that needs 30 % repeats, so the fastest
    hash in the standard library (~0.25 ms for 921,600 bytes) is the right one.
    """
    data = np.ascontiguousarray(frame)
    return f"crc32:{zlib.crc32(data):08x}:{data.nbytes}"


class RigwatchTap:
    """Publishes the recorder's ticks and takes to rigwatch; receives its alarms and commands."""

    def __init__(
        self,
        rig: Mapping[str, Any],
        publish: str = "tcp://127.0.0.1:5560",
        alarms: str = "tcp://127.0.0.1:5561",
        queue_ticks: int = 4,
        copy_frames: bool = True,
        hello_every_s: float = 0.5,
    ) -> None:
        """`rig`: {"streams": [{"name", "kind", "order", "serial"?}], "bodies", "active_sensors", "fps"}.

        `copy_frames=False` is only for a recorder that never reuses a frame's buffer after tick().
        """
        self._rig = dict(rig)
        self._sender = os.urandom(6).hex()
        self._copy = copy_frames
        self._hello_every_s = hello_every_s
        self._max_ticks = queue_ticks
        self._queue: collections.deque = collections.deque()
        self._queued_ticks = 0
        self._wake = threading.Condition()
        self._closed = False
        self._seq = 0
        self._dropped = 0
        self._recording: Optional[Dict[str, Any]] = None
        # What the hellos say is recording: the worker's view, in the order messages leave.
        self._sent_recording: Optional[Dict[str, Any]] = None
        self._frame = 0
        self._active: Dict[str, Dict[str, Any]] = {}
        self._stop: Optional[Dict[str, Any]] = None
        self._work_s = collections.deque(maxlen=300)
        self._context = zmq.Context.instance()
        self._pub = self._context.socket(zmq.PUB)
        self._pub.setsockopt(zmq.LINGER, 1000)
        self._pub.setsockopt(zmq.SNDHWM, 64)
        self._pub.bind(publish)
        self._sub = self._context.socket(zmq.SUB)
        self._sub.setsockopt(zmq.LINGER, 0)
        self._sub.setsockopt(zmq.SUBSCRIBE, b"")
        self._sub.connect(alarms)
        self._worker = threading.Thread(target=self._publish_loop, name="rigwatch-tap-pub", daemon=True)
        self._listener = threading.Thread(target=self._alarm_loop, name="rigwatch-tap-sub", daemon=True)
        self._worker.start()
        self._listener.start()

    # ---- calls from the recorder's loop: none of them blocks ----

    def tick(self, ts: float, frames: Mapping[str, np.ndarray], frame: Optional[int] = None) -> bool:
        """Queue one camera tick. Returns False when the tick was dropped (the worker is behind)."""
        with self._wake:
            if self._queued_ticks >= self._max_ticks:
                self._dropped += 1
                return False
            index = self._frame if frame is None else frame
            self._frame = index + 1
            copied = {name: (np.array(f, copy=True) if self._copy else f) for name, f in frames.items()}
            self._queue.append(("tick", (float(ts), index, copied, self._episode())))
            self._queued_ticks += 1
            self._wake.notify()
        return True

    def episode_start(self, path: str, episode: int, ts: Optional[float] = None, active_bodies: Optional[List[str]] = None) -> None:
        ts = time.time() if ts is None else ts
        self._recording = {"episode": int(episode), "path": str(path), "started_ts": ts}
        self._frame = 0
        self._stop = None
        header: Dict[str, Any] = {"episode": int(episode), "path": str(path), "ts": ts}
        if active_bodies is not None:
            header["active_bodies"] = list(active_bodies)
        self._control("episode_start", header)

    def episode_end(self, path: str, episode: int, frames_written: int, frames_dropped: int, ts: Optional[float] = None) -> None:
        self._recording = None
        self._control(
            "episode_end",
            {
                "episode": int(episode),
                "path": str(path),
                "ts": time.time() if ts is None else ts,
                "frames_written": int(frames_written),
                "frames_dropped": int(frames_dropped),
            },
        )

    def ref_reset(self, ts: Optional[float] = None) -> None:
        """The GelSight reference should be taken again (e.g. the gel was re-seated)."""
        self._control("ref_reset", {"ts": time.time() if ts is None else ts})

    def session_end(self, reason: str = "operator") -> None:
        """The session is over: rigwatch may start the post-session stages."""
        self._control("session_end", {"reason": reason})

    def alarms(self) -> List[Dict[str, Any]]:
        """Alarms rigwatch has raised and not cleared, oldest first."""
        return list(self._active.values())

    def stop_requested(self) -> Optional[Dict[str, Any]]:
        """rigwatch's watchdog asked to stop and save the current take: {"episode", "reason"}."""
        return self._stop

    def stats(self) -> Dict[str, Any]:
        work = sorted(self._work_s)
        return {
            "sent": self._seq,
            "dropped": self._dropped,
            "worker_ms_p50": 1000 * work[len(work) // 2] if work else None,
            "worker_ms_max": 1000 * work[-1] if work else None,
        }

    def close(self, timeout_s: float = 2.0) -> None:
        """Send what is queued and a `bye`, then stop both threads."""
        self._control("bye", {})
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._worker.join(timeout_s)
        self._listener.join(timeout_s)
        self._pub.close()
        self._sub.close()

    def __enter__(self) -> "RigwatchTap":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    # ---- worker side ----

    def _episode(self) -> Optional[int]:
        return None if self._recording is None else self._recording["episode"]

    def _control(self, topic: str, header: Dict[str, Any]) -> None:
        # Take events are never dropped: they decide what rigwatch does after the take.
        with self._wake:
            self._queue.append((topic, header))
            self._wake.notify()

    def _send(self, topic: str, header: Dict[str, Any], parts: List[Any] = ()) -> None:
        envelope = {"v": PROTOCOL_VERSION, "sender": self._sender, "seq": self._seq, "t": time.time(), "dropped": self._dropped}
        envelope.update(header)
        self._seq += 1
        self._pub.send_multipart([topic.encode(), json.dumps(envelope).encode(), *parts], copy=False)

    def _hello(self) -> None:
        self._send("hello", {"rig": self._rig, "recording": self._sent_recording})

    def _publish_loop(self) -> None:
        last_hello = 0.0
        while True:
            with self._wake:
                while not self._queue and not self._closed:
                    wait = self._hello_every_s - (time.monotonic() - last_hello)
                    if wait <= 0:
                        break
                    self._wake.wait(wait)
                item = self._queue.popleft() if self._queue else None
                if item is not None and item[0] == "tick":
                    self._queued_ticks -= 1
                done = self._closed and not self._queue and item is None
            if time.monotonic() - last_hello >= self._hello_every_s:
                self._hello()
                last_hello = time.monotonic()
            if item is not None:
                topic, payload = item
                if topic == "tick":
                    self._send_tick(*payload)
                else:
                    if topic == "episode_start":
                        self._sent_recording = {k: payload[k] for k in ("episode", "path")}
                        self._sent_recording["started_ts"] = payload["ts"]
                    elif topic == "episode_end":
                        self._sent_recording = None
                    self._send(topic, payload)
            if done:
                return

    def _send_tick(self, ts: float, index: int, frames: Mapping[str, np.ndarray], episode: Optional[int]) -> None:
        started = time.perf_counter()
        streams, thumbs = [], []
        for name, frame in frames.items():
            streams.append({"name": name, "hash": frame_hash(frame)})
            thumbs.append(thumbnail(frame))
        self._send("tick", {"frame": index, "ts": ts, "episode": episode, "streams": streams}, thumbs)
        self._work_s.append(time.perf_counter() - started)

    def _alarm_loop(self) -> None:
        poller = zmq.Poller()
        poller.register(self._sub, zmq.POLLIN)
        while not self._closed:
            if not poller.poll(100):
                continue
            topic, body, *_ = self._sub.recv_multipart()
            message = json.loads(body)
            if topic == b"alarm":
                if message.get("state") == "raised":
                    self._active[message["id"]] = message
                else:
                    self._active.pop(message.get("id"), None)
            elif topic == b"alarms":
                self._active = {a["id"]: a for a in message.get("active", [])}
            elif topic == b"command" and message.get("command") == "stop_take":
                if self._recording is not None and message.get("episode") == self._recording["episode"]:
                    self._stop = message
