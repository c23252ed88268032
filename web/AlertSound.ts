/** How often the alert repeats while a critical alarm is raised and not acknowledged. */
const REPEAT_MS = 1500;

/**
 * The audible alert: two short square-wave beeps, repeated on a timer (not on animation frames,
 * which stop in a background tab) while `shouldSound()` holds and the page is not muted.
 */
export class AlertSound {
  #context: AudioContext | undefined;
  #muted = false;
  #beeps = 0;
  #lastBeepAt = -Infinity;

  constructor(private readonly shouldSound: () => boolean) {}

  start(): void {
    // Browsers start audio only after a gesture: any click or key on the page unlocks it.
    const unlock = () => void this.#audio()?.resume();
    document.addEventListener("pointerdown", unlock);
    document.addEventListener("keydown", unlock);
    setInterval(() => this.#tick(), REPEAT_MS);
  }

  /** Call when an alarm arrives, so the first beep does not wait for the timer. */
  alarmArrived(): void {
    this.#tick();
  }

  get muted(): boolean {
    return this.#muted;
  }

  set muted(muted: boolean) {
    this.#muted = muted;
  }

  /** Beeps played so far (shown on the page's sound line; the browser test reads it). */
  get beeps(): number {
    return this.#beeps;
  }

  /** False until the browser lets the page play sound (no click on the page yet). */
  get allowed(): boolean {
    return this.#context?.state === "running";
  }

  #tick(): void {
    if (this.#muted || !this.shouldSound()) return;
    const now = performance.now();
    if (now - this.#lastBeepAt < REPEAT_MS * 0.9) return;
    const context = this.#audio();
    if (!context) return;
    if (context.state !== "running") void context.resume();
    this.#lastBeepAt = now;
    this.#beeps++;
    const t0 = context.currentTime;
    for (const offset of [0, 0.2]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "square";
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, t0 + offset);
      gain.gain.setValueAtTime(0, t0 + offset + 0.12);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(t0 + offset);
      oscillator.stop(t0 + offset + 0.13);
    }
  }

  #audio(): AudioContext | undefined {
    if (!this.#context && typeof AudioContext === "function") this.#context = new AudioContext();
    return this.#context;
  }
}
