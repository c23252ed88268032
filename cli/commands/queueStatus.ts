import { queueStatus, retryFailed } from "../../stages/queue/queueStatus.js";

/** `rigwatch queue status --queue URL [--json]`: jobs per state, per stage, per worker, throughput, failures. */
export async function showQueueStatus({ url, json }: { url: string; json: boolean }): Promise<number> {
  const status = await queueStatus(url);
  if (json) {
    console.log(JSON.stringify(status));
    return 0;
  }
  const c = status.counts;
  console.log(
    `jobs: ${c.waiting + c.prioritized} waiting, ${c["waiting-children"]} waiting for earlier stages, ${c.delayed} delayed (retry backoff), ` +
      `${c.active} active, ${c.completed} completed, ${c.failed} failed`,
  );
  for (const [stage, states] of Object.entries(status.stages).sort())
    console.log(
      `  ${stage.padEnd(9)} ${Object.entries(states)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ")}`,
    );
  for (const [name, w] of Object.entries(status.workers).sort())
    console.log(`worker ${name}: ${w.active} active, ${w.completed} completed, ${w.failed} failed`);
  const t = status.throughput;
  console.log(
    `throughput: ${t.lastMinute} jobs in the last minute${t.perMinute === null ? "" : `, ${t.perMinute.toFixed(1)} per minute over the kept jobs`}`,
  );
  for (const f of status.failed)
    console.log(`failed ${f.stage} ${f.subject} after ${f.attempts} attempt(s): ${f.error}`);
  return 0;
}

/** `rigwatch queue retry --queue URL [--json]`: every failed job back in the queue. */
export async function retryQueue({ url, json }: { url: string; json: boolean }): Promise<number> {
  const { retried, refused } = await retryFailed(url);
  if (json) console.log(JSON.stringify({ type: "retry", retried, refused }));
  else {
    console.log(`retried ${retried.length} failed job${retried.length === 1 ? "" : "s"}`);
    for (const r of refused) console.log(`not retried ${r.id}: ${r.error}`);
  }
  return refused.length > 0 ? 1 : 0;
}
