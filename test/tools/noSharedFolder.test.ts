import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/paths.js";

describe("the repository stands alone", () => {
  it("no tracked file reaches the team's folder beside the checkout", () => {
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter((f) => f !== "" && !f.endsWith(".bin") && !f.endsWith(".pcapng"));
    // Spelled in two parts so that this file does not name it either.
    const outside = ["..", "shared"].join("/");
    const offenders = files.filter((f) => {
      try {
        return readFileSync(join(PROJECT_ROOT, f), "utf8").includes(outside);
      } catch {
        return false; // deleted in the work tree
      }
    });
    expect(offenders).toEqual([]);
  });
});
