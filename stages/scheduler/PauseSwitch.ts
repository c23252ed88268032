/**
 * A pause flag shared with worker threads (SharedArrayBuffer): the daemon sets it while a take is
 * recording and heavy stages block on it between slices of work, so they never compete with a take.
 * Blocking is Atomics.wait in the worker, woken at once by `resume()`.
 */
export class PauseSwitch {
  readonly flag: Int32Array;

  constructor(flag?: Int32Array) {
    this.flag = flag ?? new Int32Array(new SharedArrayBuffer(4));
  }

  get paused(): boolean {
    return Atomics.load(this.flag, 0) === 1;
  }

  pause(): void {
    Atomics.store(this.flag, 0, 1);
  }

  resume(): void {
    Atomics.store(this.flag, 0, 0);
    Atomics.notify(this.flag, 0);
  }
}

/** In a worker, between slices of work: returns when not paused (at once if it never was). */
export function waitWhilePaused(flag: Int32Array | undefined): void {
  if (!flag) return;
  while (Atomics.load(flag, 0) === 1) Atomics.wait(flag, 0, 1, 1000);
}
