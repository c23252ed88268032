import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runDetect } from "../../stages/detect/runDetect.js";
import { type PreflightReport, runPreflight } from "../../stages/preflight/index.js";
import { PROJECT_ROOT, tempDir } from "../helpers/paths.js";
import { bloscCopy, buildCompleteDataset, detect, h5Of } from "./completeDataset.js";

const dir = tempDir("rigwatch-preflight-");
const root = join(dir.path, "dataset");
const BLOSC = join(dir.path, "blosc", "episode_000.h5");
const REPORTS = join(root, "figures", "dataset_figures");
const ITEMS = [
  "has_episodes",
  "pt_current",
  "tasks_metadata",
  "bad_frames_complete",
  "previews_present",
  "breakdown_totals",
  "gzip_compressed",
  "contact_sidecars",
  "reports_present",
  "figures_present",
];

beforeAll(async () => {
  await buildCompleteDataset(root);
  await bloscCopy(BLOSC);
});
afterAll(dir.cleanup);

/** The failed items, each with its offending files and why. */
function failures(report: PreflightReport) {
  return report.items
    .filter((i) => !i.ok)
    .map((i) => ({ id: i.id, offending: i.offending, reasons: i.reasons }));
}

/** Breaks the dataset, runs preflight, puts it back (`breakIt` returns how). */
async function preflightWhile(breakIt: () => (() => void) | Promise<() => void>): Promise<PreflightReport> {
  const restore = await breakIt();
  try {
    return await runPreflight(root);
  } finally {
    restore();
  }
}

const moveAside = (path: string) => {
  renameSync(path, `${path}.aside`);
  return () => renameSync(`${path}.aside`, path);
};
const editFile = (path: string, edit: (text: string) => string) => {
  const original = readFileSync(path);
  writeFileSync(path, edit(original.toString("utf8")));
  return () => writeFileSync(path, original);
};
const setMtime = (path: string, mtimeS: number) => {
  const { atime, mtime } = statSync(path);
  utimesSync(path, atime, mtimeS);
  return () => utimesSync(path, atime, mtime);
};
const all =
  (...restores: (() => void)[]) =>
  () => {
    for (const restore of restores.reverse()) restore();
  };
const pt = (date: string, stem: string, ext = "pt") =>
  join(root, "processed", "contact", "motherboard", date, `${stem}.${ext}`);
const gif = (date: string, stem: string) =>
  join(root, "figures", "episode_previews", "motherboard", date, `${stem}.gif`);

describe("preflight on a complete dataset made by the real stages", () => {
  it("passes every item", async () => {
    const report = await runPreflight(root);
    expect(report.items.map((i) => [i.id, i.ok, i.offending])).toEqual(ITEMS.map((id) => [id, true, []]));
    expect([report.ok, report.root]).toEqual([true, root]);
  });
});

describe("each item failing on purpose: exactly that item, with exactly the offending files", () => {
  // Every case puts the dataset back; check it really is whole again before the next one.
  afterEach(async () => expect((await runPreflight(root)).ok).toBe(true));

  it("has_episodes: an empty dataset, even with detect's (empty) reports and a tasks.json", async () => {
    const empty = join(dir.path, "empty");
    await runDetect([], { out: join(empty, "figures", "dataset_figures"), detect });
    writeFileSync(join(empty, "tasks.json"), "{}\n");
    expect(failures(await runPreflight(empty))).toEqual([
      { id: "has_episodes", offending: ["data"], reasons: { data: "no data/ folder" } },
    ]);
  });

  it("pt_current: a .pt missing, another older than its recording", async () => {
    const h5 = statSync(h5Of(root, "2026-05-30", "episode_000")).mtimeMs / 1000;
    const report = await preflightWhile(() =>
      all(moveAside(pt("2026-05-31", "episode_001")), setMtime(pt("2026-05-30", "episode_000"), h5 - 3600)),
    );
    expect(failures(report)).toEqual([
      {
        id: "pt_current",
        offending: [
          "processed/contact/motherboard/2026-05-30/episode_000.pt",
          "processed/contact/motherboard/2026-05-31/episode_001.pt",
        ],
        reasons: {
          "processed/contact/motherboard/2026-05-30/episode_000.pt": "older than its recording",
          "processed/contact/motherboard/2026-05-31/episode_001.pt": "missing",
        },
      },
    ]);
  });

  it("tasks_metadata: a date not listed under its task, a note removed and a kind emptied", async () => {
    const report = await preflightWhile(() =>
      editFile(join(root, "tasks.json"), (text) => {
        const tasks = JSON.parse(text);
        tasks.tasks.motherboard.dates = ["2026-05-31"];
        delete tasks.per_date_notes["2026-05-31"].note;
        tasks.per_date_notes["2026-05-31"].kind = " ";
        return JSON.stringify(tasks, null, 2);
      }),
    );
    expect(failures(report)).toEqual([
      {
        id: "tasks_metadata",
        offending: ["data/motherboard/2026-05-30", "data/motherboard/2026-05-31"],
        reasons: {
          "data/motherboard/2026-05-30": "2026-05-30 is not in tasks.motherboard.dates",
          "data/motherboard/2026-05-31":
            "per_date_notes.2026-05-31.kind is empty; per_date_notes.2026-05-31.note is missing",
        },
      },
    ]);
  });

  it("tasks_metadata: tasks.json missing, or not JSON", async () => {
    const tasks = join(root, "tasks.json");
    expect(failures(await preflightWhile(() => moveAside(tasks)))).toEqual([
      { id: "tasks_metadata", offending: ["tasks.json"], reasons: { "tasks.json": "missing" } },
    ]);
    const [item] = failures(await preflightWhile(() => editFile(tasks, (text) => text.slice(0, -3))));
    expect([item?.id, item?.offending]).toEqual(["tasks_metadata", ["tasks.json"]]);
    expect(item?.reasons?.["tasks.json"]).toMatch(/^not valid JSON \(.+\)$/);
  });

  it("bad_frames_complete: a detect run over one session only (not dataset-wide) wrote the dataset's reports", async () => {
    const names = [
      "bad_frames.json",
      "freeze_intervals.json",
      "data_quality_breakdown.json",
      "data_quality_report.csv",
    ];
    const report = await preflightWhile(async () => {
      const saved = names.map((name) => [name, readFileSync(join(REPORTS, name))] as const);
      await runDetect([h5Of(root, "2026-05-31", "episode_000"), h5Of(root, "2026-05-31", "episode_001")], {
        out: REPORTS,
        detect,
      });
      return () => {
        for (const [name, bytes] of saved) writeFileSync(join(REPORTS, name), bytes);
      };
    });
    expect(failures(report)).toEqual([
      {
        id: "bad_frames_complete",
        offending: ["data/motherboard/2026-05-30/episode_000.h5"],
        reasons: { "data/motherboard/2026-05-30/episode_000.h5": "not in bad_frames.json" },
      },
    ]);
  });

  it("bad_frames_complete: it lists an episode that is no longer in data/ (quarantined since)", async () => {
    const h5 = h5Of(root, "2026-05-31", "episode_001");
    const report = await preflightWhile(() => {
      renameSync(h5, `${h5}.corrupt`);
      return () => renameSync(`${h5}.corrupt`, h5);
    });
    expect(failures(report)).toEqual([
      {
        id: "bad_frames_complete",
        offending: ["figures/dataset_figures/bad_frames.json"],
        reasons: {
          "figures/dataset_figures/bad_frames.json":
            "lists episodes that are not in data/: 2026-05-31/episode_001",
        },
      },
    ]);
  });

  it("previews_present: a GIF missing, another that is a PNG", async () => {
    const png = await import("sharp").then(({ default: sharp }) =>
      sharp({ create: { width: 4, height: 4, channels: 3, background: "#000" } })
        .png()
        .toBuffer(),
    );
    const report = await preflightWhile(() =>
      all(
        moveAside(gif("2026-05-31", "episode_000")),
        editFile(gif("2026-05-30", "episode_000"), () => png.toString("latin1")),
      ),
    );
    expect(failures(report)).toEqual([
      {
        id: "previews_present",
        offending: [
          "figures/episode_previews/motherboard/2026-05-30/episode_000.gif",
          "figures/episode_previews/motherboard/2026-05-31/episode_000.gif",
        ],
        reasons: {
          "figures/episode_previews/motherboard/2026-05-30/episode_000.gif":
            "not a GIF (no GIF89a signature)",
          "figures/episode_previews/motherboard/2026-05-31/episode_000.gif": "missing",
        },
      },
    ]);
  });

  it("breakdown_totals: an edited breakdown and an edited bad_frames.json summary", async () => {
    // 90 + 90 + 60 post-trim frames; the flicker's 7 frames are the only flagged ones.
    const report = await preflightWhile(() =>
      all(
        editFile(join(REPORTS, "data_quality_breakdown.json"), (text) => {
          const b = JSON.parse(text);
          b.total_frames += 5;
          b.modes.gelsight_led_flicker.frames += 1;
          b.modes.ot_loss.episodes_affected = 1;
          return JSON.stringify(b);
        }),
        editFile(join(REPORTS, "bad_frames.json"), (text) => {
          const b = JSON.parse(text);
          b.summary.n_episodes = 4;
          return JSON.stringify(b);
        }),
      ),
    );
    expect(failures(report)).toEqual([
      {
        id: "breakdown_totals",
        offending: [
          "figures/dataset_figures/bad_frames.json",
          "figures/dataset_figures/data_quality_breakdown.json",
        ],
        reasons: {
          "figures/dataset_figures/bad_frames.json": "summary.n_episodes is 4, episodes holds 3",
          "figures/dataset_figures/data_quality_breakdown.json":
            "total_frames is 245, bad_frames.json's episodes have 240; " +
            "modes.gelsight_led_flicker.frames is 8, bad_frames.json's lists give 7; " +
            "modes.ot_loss.episodes_affected is 1, bad_frames.json's lists give 0",
        },
      },
    ]);
  });

  it("gzip_compressed: a recording still BLOSC (its .pt and sidecar made after it, so only this fails)", async () => {
    const h5 = h5Of(root, "2026-05-30", "episode_000");
    const later = Date.now() / 1000 + 60;
    const report = await preflightWhile(() => {
      const restoreH5 = moveAside(h5);
      copyFileSync(BLOSC, h5);
      return all(
        restoreH5, // renamed back over the copy
        setMtime(pt("2026-05-30", "episode_000"), later),
        setMtime(pt("2026-05-30", "episode_000", "contact.json"), later),
      );
    });
    expect(failures(report)).toEqual([
      {
        id: "gzip_compressed",
        offending: ["data/motherboard/2026-05-30/episode_000.h5"],
        reasons: {
          "data/motherboard/2026-05-30/episode_000.h5": "needs the HDF5 plugin filter blosc (32001)",
        },
      },
    ]);
  });

  it("contact_sidecars: an index run killed between the .pt and its .contact.json", async () => {
    const report = await preflightWhile(() => moveAside(pt("2026-05-31", "episode_000", "contact.json")));
    expect(failures(report)).toEqual([
      {
        id: "contact_sidecars",
        offending: ["processed/contact/motherboard/2026-05-31/episode_000.contact.json"],
        reasons: { "processed/contact/motherboard/2026-05-31/episode_000.contact.json": "missing" },
      },
    ]);
  });

  it("reports_present: the CSV and freeze_intervals.json missing", async () => {
    const report = await preflightWhile(() =>
      all(
        moveAside(join(REPORTS, "data_quality_report.csv")),
        moveAside(join(REPORTS, "freeze_intervals.json")),
      ),
    );
    expect(failures(report)).toEqual([
      {
        id: "reports_present",
        offending: [
          "figures/dataset_figures/data_quality_report.csv",
          "figures/dataset_figures/freeze_intervals.json",
        ],
        reasons: {
          "figures/dataset_figures/data_quality_report.csv": "missing",
          "figures/dataset_figures/freeze_intervals.json": "missing",
        },
      },
    ]);
  });
});

describe("rigwatch preflight as a child process", () => {
  const rigwatch = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "cli/cli.ts", "preflight", ...args], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });

  it("prints the checklist, every item ✓, and exits 0", () => {
    const run = rigwatch([root]);
    expect([run.status, run.stderr]).toEqual([0, ""]);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(`preflight ${root}`);
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual(ITEMS.map((id) => ["✓", id]));
    expect(lines.at(-1)).toBe("all 10 checks passed");
  });

  it("exits 1 on a failed item, with the offending file indented (human) and in one JSON object (--json)", () => {
    const restore = moveAside(gif("2026-05-31", "episode_001"));
    try {
      const human = rigwatch([root]);
      expect(human.status).toBe(1);
      const lines = human.stdout.trim().split("\n");
      const at = lines.findIndex((l) => l.startsWith("✗"));
      expect(lines.slice(at, at + 3)).toEqual([
        "✗ previews_present     every recording has a preview GIF (figures/episode_previews/<task>/<date>/episode_NNN.gif)",
        "    figures/episode_previews/motherboard/2026-05-31/episode_001.gif: missing",
        "    → run `rigwatch previews <date-dir>` for those sessions",
      ]);
      expect(lines.at(-1)).toBe("1 of 10 checks failed: not ready to publish");

      const json = rigwatch([root, "--json"]);
      expect(json.status).toBe(1);
      const report = JSON.parse(json.stdout);
      expect([report.type, report.ok, failures(report)]).toEqual([
        "preflight",
        false,
        [
          {
            id: "previews_present",
            offending: ["figures/episode_previews/motherboard/2026-05-31/episode_001.gif"],
            reasons: { "figures/episode_previews/motherboard/2026-05-31/episode_001.gif": "missing" },
          },
        ],
      ]);
    } finally {
      restore();
    }
  });

  it("a folder that does not exist is a usage error (exit 2, with the usage)", () => {
    const run = rigwatch([join(dir.path, "nowhere")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no such folder: ${join(dir.path, "nowhere")}`);
  });

  it("figures_present: a timeline and the breakdown missing", async () => {
    const report = await preflightWhile(() =>
      all(
        moveAside(join(REPORTS, "timelines", "2026-05-31", "episode_001.png")),
        moveAside(join(REPORTS, "quality_breakdown.png")),
      ),
    );
    expect(failures(report)).toEqual([
      {
        id: "figures_present",
        offending: [
          "figures/dataset_figures/quality_breakdown.png",
          "figures/dataset_figures/timelines/2026-05-31/episode_001.png",
        ],
        reasons: {
          "figures/dataset_figures/quality_breakdown.png": "missing",
          "figures/dataset_figures/timelines/2026-05-31/episode_001.png": "missing",
        },
      },
    ]);
  });
});
