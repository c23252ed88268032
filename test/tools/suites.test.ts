import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import config from "../../vitest.config.js";
import { PROJECT_ROOT } from "../helpers/paths.js";
import { INTEGRATION_INCLUDE, UNIT_TESTS } from "../suites.js";

/** Every test file of the repository, relative to its root. */
function testFiles(): string[] {
  return (
    readdirSync(join(PROJECT_ROOT, "test"), {
      recursive: true,
      withFileTypes: true,
    }) as import("node:fs").Dirent[]
  )
    .filter((d) => d.isFile() && d.name.endsWith(".test.ts"))
    .map((d) => relative(PROJECT_ROOT, join(d.parentPath, d.name)))
    .filter((path) => !path.startsWith("test/.generated/"))
    .sort();
}

interface ProjectConfig {
  test: {
    name: string;
    include: string[];
    exclude?: string[];
    setupFiles?: string[];
    globalSetup?: string[];
  };
}

describe("the suite's two parts", () => {
  const projects = (config as { test: { projects: ProjectConfig[] } }).test.projects;
  const part = (name: string) => projects.find((p) => p.test.name === name)?.test;

  it("are built from test/suites.ts: unit is its list, integration every other test file", () => {
    expect(projects.map((p) => p.test.name)).toEqual(["unit", "integration"]);
    expect(part("unit")?.include).toEqual(UNIT_TESTS);
    expect(part("unit")?.setupFiles).toEqual(["test/setup/inProcessOnly.ts"]);
    expect(part("unit")?.globalSetup).toBeUndefined(); // no h5py before the fast part
    expect(part("integration")?.include).toEqual(["test/**/*.test.ts"]);
    expect(INTEGRATION_INCLUDE).toEqual(["test/**/*.test.ts"]);
    expect(part("integration")?.exclude).toEqual(UNIT_TESTS);
  });

  it("put every test file in exactly one part, and the unit list names only real files, once", () => {
    const files = testFiles();
    expect(new Set(UNIT_TESTS).size).toBe(UNIT_TESTS.length);
    expect(UNIT_TESTS.filter((f) => !files.includes(f))).toEqual([]);
    // Every file is under test/ and ends in .test.ts, so the integration glob matches each of them;
    // its exclude is exactly the unit list: no file in neither part, none in both.
    const unit = files.filter((f) => UNIT_TESTS.includes(f));
    const integration = files.filter((f) => !UNIT_TESTS.includes(f));
    expect(unit.length + integration.length).toBe(files.length);
    expect(unit).toHaveLength(UNIT_TESTS.length);
    expect(integration.length).toBeGreaterThan(0);
  });

  it("keep the unit files off the built CLI and the recorder files h5py writes (integration only)", () => {
    const offLimits = /\b(CLI|RECORDER_FIXTURES|recorderEpisode|FAULTED_EPISODE|FAULTED_TRUTH)\b|dist\/cli/;
    const reaching = UNIT_TESTS.filter(
      (f) => f !== "test/tools/suites.test.ts" && offLimits.test(readFileSync(join(PROJECT_ROOT, f), "utf8")),
    );
    expect(reaching).toEqual([]);
  });
});
