import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMetadata, type SessionTarget, sessionTarget } from "../../stages/metadata/index.js";
import { tempDir } from "../helpers/paths.js";
import { episodeResult, sessionFolder, writeReports } from "./sessionFixture.js";

const dir = tempDir("rigwatch-tasks-");
afterAll(dir.cleanup);

/** The note of the one clean 300-frame episode every dataset here holds. */
const NOTE = "1 episode, 300 frames after trim (0.2 min). No frames flagged.";
const NOTE_JSON = JSON.stringify(NOTE);

/** A dataset root with one session (motherboard/2026-05-31, one clean episode) and this tasks.json. */
function dataset(name: string, tasksText?: string) {
  const root = join(dir.path, name);
  const dateDir = sessionFolder(root, "motherboard", "2026-05-31", ["episode_000.h5"]);
  writeReports(root, [episodeResult("2026-05-31/episode_000")]);
  const tasksPath = join(root, "tasks.json");
  if (tasksText !== undefined) writeFileSync(tasksPath, tasksText);
  const target = sessionTarget(dateDir) as SessionTarget;
  return {
    root,
    tasksPath,
    run: () => runMetadata([target]),
    text: () => readFileSync(tasksPath, "utf8"),
    mtime: () => statSync(tasksPath, { bigint: true }).mtimeNs,
  };
}

/** Runs again and checks nothing changes: same bytes, no write at all (same mtime). */
function expectSecondRunIdle(d: ReturnType<typeof dataset>) {
  const [bytes, mtime] = [d.text(), d.mtime()];
  const again = d.run();
  expect([again.written, again.sessions[0]?.changed]).toEqual([[], []]);
  expect([d.text(), d.mtime()]).toEqual([bytes, mtime]);
}

describe("tasks.json round trip: only the keys rigwatch writes change, byte for byte", () => {
  it("two-space file with unknown fields at every level: date inserted in order, entry completed", () => {
    const d = dataset(
      "two-space",
      `{
  "schema": "react-v1",
  "tasks": {
    "cable_routing": {
      "dates": [
        "2026-05-20"
      ],
      "description": "route the cable"
    },
    "motherboard": {
      "description": "insert the RAM",
      "dates": [
        "2026-05-30",
        "2026-06-02"
      ],
      "objects": {"ram": 2, "board": 1}
    }
  },
  "per_date_notes": {
    "2026-05-30": {
      "kind": "bimanual",
      "active_sensors": ["left", "right"],
      "note": "first session",
      "operator": "ana"
    },
    "2026-05-31": {
      "operator": "ben",
      "lighting": {"lux": 400}
    }
  },
  "license": "CC-BY-4.0"
}
`,
    );
    const run = d.run();
    expect(d.text()).toBe(`{
  "schema": "react-v1",
  "tasks": {
    "cable_routing": {
      "dates": [
        "2026-05-20"
      ],
      "description": "route the cable"
    },
    "motherboard": {
      "description": "insert the RAM",
      "dates": [
        "2026-05-30",
        "2026-05-31",
        "2026-06-02"
      ],
      "objects": {"ram": 2, "board": 1}
    }
  },
  "per_date_notes": {
    "2026-05-30": {
      "kind": "bimanual",
      "active_sensors": ["left", "right"],
      "note": "first session",
      "operator": "ana"
    },
    "2026-05-31": {
      "operator": "ben",
      "lighting": {"lux": 400},
      "kind": "bimanual",
      "active_sensors": [
        "left",
        "right"
      ],
      "note": ${NOTE_JSON},
      "generated_note": ${NOTE_JSON},
      "n_episodes": 1
    }
  },
  "license": "CC-BY-4.0"
}
`);
    expect(run.written).toEqual([d.tasksPath]);
    expect(run.sessions.map((s) => [s.changed, s.kept, s.nEpisodes])).toEqual([
      [
        [
          "tasks.motherboard.dates",
          "per_date_notes.2026-05-31.kind",
          "per_date_notes.2026-05-31.active_sensors",
          "per_date_notes.2026-05-31.note",
          "per_date_notes.2026-05-31.generated_note",
          "per_date_notes.2026-05-31.n_episodes",
        ],
        [],
        1,
      ],
    ]);
    expectSecondRunIdle(d);
  });

  it("four-space file (Python's json.dump indent=4): a new task and a new date entry at that indentation", () => {
    const before = `{
    "tasks": {
        "cable_routing": {
            "dates": [
                "2026-05-20"
            ]
        }
    },
    "per_date_notes": {
        "2026-05-20": {
            "kind": "right_hand",
            "active_sensors": [
                "right"
            ],
            "note": "cable only"
        }
    },
    "version": 2
}`;
    const d = dataset("four-space", before);
    d.run();
    expect(d.text()).toBe(`{
    "tasks": {
        "cable_routing": {
            "dates": [
                "2026-05-20"
            ]
        },
        "motherboard": {
            "dates": [
                "2026-05-31"
            ]
        }
    },
    "per_date_notes": {
        "2026-05-20": {
            "kind": "right_hand",
            "active_sensors": [
                "right"
            ],
            "note": "cable only"
        },
        "2026-05-31": {
            "kind": "bimanual",
            "active_sensors": [
                "left",
                "right"
            ],
            "note": ${NOTE_JSON},
            "generated_note": ${NOTE_JSON},
            "n_episodes": 1
        }
    },
    "version": 2
}`);
    expectSecondRunIdle(d);
  });

  it("tab-indented CRLF file: a person's kind, active_sensors and note are kept; CRLF and tabs stay", () => {
    const entry = [
      "{",
      '\t"tasks": {',
      '\t\t"motherboard": {',
      '\t\t\t"dates": [',
      '\t\t\t\t"2026-05-31"',
      "\t\t\t]",
      "\t\t}",
      "\t},",
      '\t"per_date_notes": {',
      '\t\t"2026-05-31": {',
      '\t\t\t"kind": "pick_and_place",',
      '\t\t\t"active_sensors": [',
      '\t\t\t\t"left"',
      "\t\t\t],",
      '\t\t\t"note": "Operator: Ana. Lights flickered at 10:40.",',
      '\t\t\t"camera_rig": "v2"',
    ];
    const tail = ["\t\t}", "\t}", "}", ""];
    const d = dataset("tabs-crlf", [...entry, ...tail].join("\r\n"));
    const run = d.run();
    expect(d.text()).toBe(
      [
        ...entry.slice(0, -1),
        '\t\t\t"camera_rig": "v2",',
        `\t\t\t"generated_note": ${NOTE_JSON},`,
        '\t\t\t"n_episodes": 1',
        ...tail,
      ].join("\r\n"),
    );
    expect(run.sessions[0]?.kept).toEqual(["kind", "active_sensors", "note"]);
    expectSecondRunIdle(d);
  });

  it("a file written on one line (json.dumps) stays on one line; the date goes first", () => {
    const d = dataset(
      "one-line",
      '{"tasks": {"motherboard": {"dates": ["2026-06-01"], "owner": "ana"}}, "per_date_notes": {}, "x": [1, 2]}\n',
    );
    d.run();
    expect(d.text()).toBe(
      '{"tasks": {"motherboard": {"dates": ["2026-05-31", "2026-06-01"], "owner": "ana"}}, ' +
        `"per_date_notes": {"2026-05-31": {"kind": "bimanual", "active_sensors": ["left", "right"], "note": ${NOTE_JSON}, "generated_note": ${NOTE_JSON}, "n_episodes": 1}}, "x": [1, 2]}\n`,
    );
    expectSecondRunIdle(d);
  });

  it("a minified file stays minified", () => {
    const d = dataset("minified", '{"tasks":{"motherboard":{"dates":[]}},"per_date_notes":{}}');
    d.run();
    expect(d.text()).toBe(
      `{"tasks":{"motherboard":{"dates":["2026-05-31"]}},"per_date_notes":{"2026-05-31":{"kind":"bimanual","active_sensors":["left","right"],"note":${NOTE_JSON},"generated_note":${NOTE_JSON},"n_episodes":1}}}`,
    );
    expectSecondRunIdle(d);
  });

  it("creates a missing tasks.json with two-space indentation and a final newline", () => {
    const d = dataset("created");
    expect(existsSync(d.tasksPath)).toBe(false);
    d.run();
    expect(d.text()).toBe(
      `${JSON.stringify(
        {
          tasks: { motherboard: { dates: ["2026-05-31"] } },
          per_date_notes: {
            "2026-05-31": {
              kind: "bimanual",
              active_sensors: ["left", "right"],
              note: NOTE,
              generated_note: NOTE,
              n_episodes: 1,
            },
          },
        },
        null,
        2,
      )}\n`,
    );
    expectSecondRunIdle(d);
  });
});

describe("the note: regenerated while untouched, a person's never clobbered", () => {
  it("follows new reports until a person edits it, then only generated_note moves", () => {
    const d = dataset("note-lifecycle");
    d.run();
    const flagged =
      "1 episode, 300 frames after trim (0.2 min). 7 frames flagged (2.333 %) in 1 episode: LED flicker 7 frames in 1 episode.";
    writeReports(d.root, [
      episodeResult("2026-05-31/episode_000", { lists: { intensity_spikes: [[10, 16]] } }),
    ]);
    expect(d.run().sessions[0]?.changed).toEqual([
      "per_date_notes.2026-05-31.note",
      "per_date_notes.2026-05-31.generated_note",
    ]);
    const entry = () => JSON.parse(d.text()).per_date_notes["2026-05-31"];
    expect([entry().note, entry().generated_note]).toEqual([flagged, flagged]);

    writeFileSync(
      d.tasksPath,
      d.text().replace(`"note": ${JSON.stringify(flagged)}`, '"note": "Flicker was the lamp."'),
    );
    writeReports(d.root, [episodeResult("2026-05-31/episode_000", { lists: { pipeline_stall: [[0, 29]] } })]);
    const run = d.run();
    expect([run.sessions[0]?.changed, run.sessions[0]?.kept]).toEqual([
      ["per_date_notes.2026-05-31.generated_note"],
      ["note"],
    ]);
    expect([entry().note, entry().generated_note]).toEqual([
      "Flicker was the lamp.",
      "1 episode, 300 frames after trim (0.2 min). 30 frames flagged (10.000 %) in 1 episode: pipeline stall 30 frames in 1 episode.",
    ]);
  });
});

describe("a tasks.json rigwatch cannot use: a typed error naming the file and the key, nothing written", () => {
  const cases: [string, string, string | RegExp][] = [
    ["not JSON", '{"tasks": {,}}', /: not valid JSON \(.+\); nothing was written$/],
    [
      "a top-level array",
      "[]",
      "expected a JSON object at the top level, found an array; nothing was written",
    ],
    ["tasks as an array", '{"tasks": []}', "tasks must be an object, found an array; nothing was written"],
    [
      "per_date_notes as a string",
      '{"per_date_notes": "none"}',
      'per_date_notes must be an object, found a string ("none"); nothing was written',
    ],
    [
      "dates as a string",
      '{"tasks": {"motherboard": {"dates": "2026-05-31"}}}',
      'tasks.motherboard.dates must be an array of dates, found a string ("2026-05-31"); nothing was written',
    ],
    [
      "a date that is a number",
      '{"tasks": {"motherboard": {"dates": ["2026-05-30", 20260531]}}}',
      "tasks.motherboard.dates[1] must be a date string, found a number (20260531); nothing was written",
    ],
    [
      "a task that is not an object",
      '{"tasks": {"motherboard": true}}',
      "tasks.motherboard must be an object, found a boolean (true); nothing was written",
    ],
    [
      "a date entry that is a string",
      '{"per_date_notes": {"2026-05-31": "good day"}}',
      'per_date_notes.2026-05-31 must be an object, found a string ("good day"); nothing was written',
    ],
    [
      "active_sensors naming no side",
      '{"per_date_notes": {"2026-05-31": {"active_sensors": ["up"]}}}',
      'per_date_notes.2026-05-31.active_sensors must list "left" and/or "right", found ["up"]; nothing was written',
    ],
    [
      "a note that is a number",
      '{"per_date_notes": {"2026-05-31": {"note": 3}}}',
      "per_date_notes.2026-05-31.note must be a string, found a number (3); nothing was written",
    ],
  ];
  it.each(cases)("%s", (name, text, message) => {
    const d = dataset(`bad-${name.replaceAll(" ", "-")}`, text);
    const mtime = d.mtime();
    let error: unknown;
    try {
      d.run();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: "ReportFileError", file: d.tasksPath });
    if (typeof message === "string") expect((error as Error).message).toBe(`${d.tasksPath}: ${message}`);
    else expect((error as Error).message).toMatch(message);
    expect([d.text(), d.mtime()]).toEqual([text, mtime]);
    expect(readdirSync(d.root).sort()).toEqual(["data", "figures", "tasks.json"]);
  });
});
