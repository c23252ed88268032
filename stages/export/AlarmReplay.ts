import { Subject } from "rxjs";
import type { Config } from "../../config/index.js";
import type { AlarmEvent } from "../../detectors/alarm.js";
import { liveAlarms } from "../../detectors/operators/liveAlarms.js";
import type { LiveInput } from "../../detectors/samples.js";

/**
 * The live detectors driven by hand: the export pushes the take's samples and ticks as it reads
 * them (one pass over the file) and takes the alarms they raise, exactly what `rigwatch replay`
 * and the daemon would raise for the same inputs. The operator is synchronous, so the alarms of an
 * input are ready when `push` returns.
 */
export class AlarmReplay {
  readonly #input = new Subject<LiveInput>();
  readonly #pending: AlarmEvent[] = [];
  #error: unknown;

  constructor(config: Pick<Config, "detect" | "live">, fps: number) {
    this.#input.pipe(liveAlarms(config, fps)).subscribe({
      next: (event) => this.#pending.push(event),
      error: (error: unknown) => {
        this.#error = error ?? new Error("the live detectors failed");
      },
    });
  }

  push(input: LiveInput): void {
    this.#input.next(input);
  }

  /** The alarms raised or cleared since the last call, in the order the detectors emitted them. */
  drain(): AlarmEvent[] {
    if (this.#error !== undefined) throw this.#error;
    return this.#pending.splice(0);
  }

  end(): AlarmEvent[] {
    this.#input.complete();
    return this.drain();
  }
}
