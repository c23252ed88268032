import { checkQueueUrl } from "../../stages/queue/redisConnection.js";
import { UsageError } from "../UsageError.js";

/** The --queue flag of worker and queue: required, and a Redis URL. */
export function queueUrl(value: string | undefined, command: string): string {
  if (value === undefined) throw new UsageError(`${command} needs --queue redis://HOST:PORT`);
  checkQueueUrl(value);
  return value;
}
