import { parseArgs } from "node:util";
import { UsageError } from "../UsageError.js";
import { retryQueue, showQueueStatus } from "./queueStatus.js";
import { queueUrl } from "./queueUrl.js";

/** `rigwatch queue status|retry`'s arguments; the bodies are in queueStatus.ts. */
export async function queueArgs(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { queue: { type: "string" }, json: { type: "boolean" } },
  });
  const [action, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected ${rest.join(" ")}`);
  const url = queueUrl(values.queue, "queue");
  const json = values.json ?? false;
  if (action === "status") return showQueueStatus({ url, json });
  if (action === "retry") return retryQueue({ url, json });
  throw new UsageError(`queue expects status or retry, got ${action ?? "nothing"}`);
}
