import { Publisher } from "zeromq";
import type { Alarm } from "../detectors/alarm.js";
import type { RecorderMessage } from "../hw/tap/protocol.js";

/**
 * The tap's way back: rigwatch binds a ZeroMQ PUB socket the recorder subscribes to, and publishes
 * every alarm (drawn on the recorder's preview), the alarms still raised once a second (so a
 * recorder that restarts or connects late draws the right ones) and the watchdog's stop command.
 * PUB never blocks: a recorder that is gone costs nothing.
 */
export class RecorderLink {
  private sending: Promise<void> = Promise.resolve();
  private failures = 0;

  private constructor(private readonly socket: Publisher) {}

  static async bind(endpoint: string): Promise<RecorderLink> {
    const socket = new Publisher({ linger: 0, sendHighWaterMark: 256 });
    await socket.bind(endpoint);
    return new RecorderLink(socket);
  }

  get endpoint(): string | null {
    return this.socket.lastEndpoint;
  }

  /** Sends that failed (never fatal; counted for the log). */
  get failed(): number {
    return this.failures;
  }

  alarm(alarm: Alarm): void {
    this.send({ topic: "alarm", alarm });
  }

  activeAlarms(active: readonly Alarm[]): void {
    this.send({ topic: "alarms", active });
  }

  stopTake(episode: number, reason: string): void {
    this.send({ topic: "command", command: "stop_take", episode, reason });
  }

  async close(): Promise<void> {
    await this.sending;
    this.socket.close();
  }

  /** zeromq allows one send in flight per socket: sends are chained, in order. */
  private send(message: RecorderMessage): void {
    const { topic, ...body } = message;
    const payload = "alarm" in body ? body.alarm : body;
    const parts = [topic, JSON.stringify(payload)];
    this.sending = this.sending
      .then(() => this.socket.send(parts))
      .catch(() => {
        this.failures++;
      });
  }
}
