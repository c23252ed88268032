import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { RejectionLog } from "../../daemon/RejectionLog.js";
import type { RejectedMessage } from "../../daemon/hubMessages.js";
import { PageModel } from "../../web/PageModel.js";

interface Line {
  msg: string;
  rejected: Record<string, unknown>;
}

function memoryLog(): { log: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const log = pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Line);
        done();
      },
    }),
  );
  return { log, lines };
}

describe("RejectionLog: refusals counted, logged at a bounded rate", () => {
  it("a flood of ten thousand refusals in one interval writes one line at once and one summary after", () => {
    const { log, lines } = memoryLog();
    const rejections = new RejectionLog({ log, intervalS: 5 });
    for (let i = 0; i < 10_000; i++)
      rejections.note("tap", i % 4 === 0 ? "time" : "malformed", `message ${i}`, 100 + i * 1e-4);
    rejections.note("natnet", "foreign", "from 127.0.0.1:9", 100.5);
    rejections.flush(104.9); // the interval is not over
    expect(lines.map((l) => l.msg)).toEqual([
      "tap input refused: message 0",
      "natnet input refused: from 127.0.0.1:9",
    ]);
    rejections.flush(105);
    expect(lines.slice(2)).toMatchObject([
      {
        msg: "9999 more tap inputs refused in the last 5.0 s; latest: message 9999",
        rejected: { source: "tap", since: 9999, total: 10_000, byReason: { time: 2500, malformed: 7500 } },
      },
    ]);
    rejections.flush(200); // nothing new: nothing said
    expect(lines).toHaveLength(3);
    // After a quiet interval the next refusal is said at once again.
    rejections.note("tap", "seq_back", "message 10000", 300);
    expect(lines.at(-1)).toMatchObject({
      msg: "tap input refused: message 10000",
      rejected: { source: "tap", reason: "seq_back", total: 10_001 },
    });
    expect(rejections.counts()).toEqual({
      tap: { total: 10_001, byReason: { time: 2500, malformed: 7500, seq_back: 1 } },
      natnet: { total: 1, byReason: { foreign: 1 } },
    });
  });

  it("the page's model keeps the latest counts from /ws", () => {
    const model = new PageModel();
    const message: RejectedMessage = {
      type: "rejected",
      sources: { tap: { total: 3, byReason: { time: 1, malformed: 2 } } },
    };
    model.apply(message, 1000);
    expect(model.rejected).toEqual({ tap: { total: 3, byReason: { time: 1, malformed: 2 } } });
  });
});
