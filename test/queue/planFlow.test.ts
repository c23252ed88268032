import type { FlowJob, FlowJobNode } from "bullmq";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../config/index.js";
import { planFlow } from "../../stages/queue/planFlow.js";

const config = configSchema.parse({});
const jobConfig = { detect: config.detect, previews: config.previews };
const sessions = [
  {
    session: "/d/data/t/2026-05-31",
    paths: ["/d/data/t/2026-05-31/episode_000.h5", "/d/data/t/2026-05-31/episode_001.h5"],
  },
  { session: "/d/data/t/2026-06-01", paths: ["/d/data/t/2026-06-01/episode_000.h5"] },
];

/** The tree as "name id" lines, children indented. */
function outline(job: FlowJob | FlowJobNode, depth = 0): string[] {
  const id = String(job.opts?.jobId).split(".").slice(1).join(".");
  return [
    `${"  ".repeat(depth)}${job.name} ${id}`,
    ...(job.children ?? []).flatMap((c) => outline(c, depth + 1)),
  ];
}

describe("planFlow: a run as one BullMQ flow", () => {
  it("takes' check ← analyse ← compress under their session, sessions in order, the reports last", () => {
    const plan = planFlow(sessions, jobConfig, config.queue);
    expect(outline(plan.flow)).toEqual([
      "reports reports",
      "  session 2026-06-01@6eb8318c.session",
      "    compress 2026-06-01@6eb8318c.episode_000.compress",
      "      analyse 2026-06-01@6eb8318c.episode_000.analyse",
      "        check 2026-06-01@6eb8318c.episode_000.check",
      "    session 2026-05-31@19b59b03.session",
      "      compress 2026-05-31@19b59b03.episode_000.compress",
      "        analyse 2026-05-31@19b59b03.episode_000.analyse",
      "          check 2026-05-31@19b59b03.episode_000.check",
      "      compress 2026-05-31@19b59b03.episode_001.compress",
      "        analyse 2026-05-31@19b59b03.episode_001.analyse",
      "          check 2026-05-31@19b59b03.episode_001.check",
    ]);
    expect(plan.counts).toEqual({
      check: 3,
      analyse: 3,
      compress: 3,
      session: 2,
      reports: 1,
      index: 3,
      previews: 3,
    });
    // A failed child lets its parent go on (the parent leaves the take out); retries with backoff.
    const session = plan.flow.children?.[0];
    expect(session?.opts).toMatchObject({
      ignoreDependencyOnFailure: true,
      attempts: 3,
      backoff: { type: "exponential", delay: 5000 },
    });
  });

  it("the same sessions and config give the same ids in any order; another config or a take more, another run", () => {
    const a = planFlow(sessions, jobConfig, config.queue);
    expect(planFlow([...sessions].reverse(), jobConfig, config.queue).run).toBe(a.run);
    // A session closed again with one take more (the daemon) is new work, not the queued run.
    const [first, second] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
    const more = [first, { ...second, paths: [...second.paths, "/d/data/t/2026-06-01/episode_001.h5"] }];
    expect(planFlow(more, jobConfig, config.queue).run).not.toBe(a.run);
    expect(a.run).toMatch(/^[0-9a-f]{16}$/);
    const other = { ...jobConfig, detect: { ...jobConfig.detect, freezeThresholdS: 0.75 } };
    expect(planFlow(sessions, other, config.queue).run).not.toBe(a.run);
  });
});
