import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandList } from "../../cli/commandList.js";
import { optionsOf } from "../../cli/CommandSpec.js";
import { COMMANDS } from "../../cli/commandSpecs.js";
import { flagName } from "../../cli/completion.js";
import { CLI, FAULTED_EPISODE, PROJECT_ROOT, tempDir } from "../helpers/paths.js";

function rigwatch(args: readonly string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

/** Each command's body and the module it lives in. */
const MODULES: Record<string, string> = {
  run: "run",
  alarms: "alarms",
  sim: "sim",
  process: "process",
  worker: "workerArgs",
  queue: "queueArgs",
  check: "check",
  compress: "compress",
  index: "contactIndex",
  detect: "detect",
  previews: "previews",
  export: "export",
  verdict: "verdict",
  metadata: "metadata",
  preflight: "preflight",
  publish: "publish",
  replay: "replay",
};

/** The option names a command's own parseArgs call accepts, read from its source. */
function bodyOptions(module: string): string[] {
  const source = readFileSync(join(PROJECT_ROOT, "cli/commands", `${module}.ts`), "utf8");
  const block = /parseArgs\(\{[\s\S]*?options: \{([\s\S]*?)\n?\s*\},?\n?\s*\}\)/.exec(source)?.[1] ?? "";
  const names = [...block.matchAll(/"?([a-z][a-z-]*)"?: \{ type:/g)].map((m) => m[1] as string);
  if (block.includes("...configFlags")) names.push("config", "set");
  return names.sort();
}

describe("the CLI's declarations (commander)", () => {
  it("answers --help with exit 0 for every command, listing each declared option", () => {
    for (const spec of COMMANDS) {
      const run = rigwatch([spec.name, "--help"]);
      expect({ command: spec.name, status: run.status, stderr: run.stderr }).toEqual({
        command: spec.name,
        status: 0,
        stderr: "",
      });
      expect(run.stdout).toContain(
        `Usage: rigwatch ${spec.name} ${spec.args ? `${spec.args} ` : ""}[options]`,
      );
      for (const option of optionsOf(spec)) expect(run.stdout).toContain(flagName(option.flags));
    }
    const top = rigwatch(["--help"]);
    expect(top.status).toBe(0);
    for (const spec of COMMANDS) expect(top.stdout).toContain(`  ${spec.name} `);
    expect(rigwatch(["help", "detect"]).status).toBe(0);
  }, 120_000);

  it("declares exactly the options each command's body parses", () => {
    for (const [name, module] of Object.entries(MODULES)) {
      const spec = COMMANDS.find((c) => c.name === name);
      const declared = optionsOf(
        spec ?? {
          name,
          args: "",
          summary: "",
          description: "",
          options: [],
          load: async () => async () => 0,
        },
      )
        .map((o) => flagName(o.flags).slice(2))
        .sort();
      expect({ name, options: declared }).toEqual({ name, options: bodyOptions(module) });
    }
    expect(COMMANDS.map((c) => c.name).sort()).toEqual([...Object.keys(MODULES), "completion"].sort());
  });

  it("keeps README's command list equal to the declarations (npm run readme:commands rewrites it)", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    const block = /<!-- commands: generated[^\n]*-->\n```\n([\s\S]*?)\n```\n<!-- commands: end -->/.exec(
      readme,
    )?.[1];
    expect(block).toBe(commandList(COMMANDS));
  });

  it("answers an unknown option or command with the closest one, exit 2", () => {
    const option = rigwatch(["detect", "--jsno", "x"]);
    expect(option.status).toBe(2);
    expect(option.stderr).toBe("error: unknown option '--jsno'\n(Did you mean --json?)\n");
    const command = rigwatch(["detct", "x"]);
    expect(command.status).toBe(2);
    expect(command.stderr).toBe("error: unknown command 'detct'\n(Did you mean detect?)\n");
    const none = rigwatch([]);
    expect(none.status).toBe(2);
    expect(none.stdout).toContain("Usage: rigwatch <command> [options]");
  });

  it("keeps a body's usage errors: exit 2, the message, then the command's help", () => {
    const run = rigwatch(["detect"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^rigwatch detect: detect needs a session folder or episode files\n\nUsage: rigwatch detect/,
    );
  });

  it("completes commands and options in bash", () => {
    const dir = tempDir();
    try {
      const script = join(dir.path, "rigwatch.bash");
      const generated = rigwatch(["completion", "bash"]);
      expect(generated.status).toBe(0);
      writeFileSync(script, generated.stdout);
      const complete = (...words: string[]) =>
        spawnSync(
          "bash",
          [
            "-c",
            `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _rigwatch; printf '%s\\n' "\${COMPREPLY[@]}"`,
          ],
          { encoding: "utf8" },
        )
          .stdout.split("\n")
          .filter(Boolean);
      expect(complete("rigwatch", "de")).toEqual(["detect"]);
      expect(complete("rigwatch", "export", "--f")).toEqual(["--from"]);
      expect(complete("rigwatch", "detect", "--")).toEqual([
        "--out",
        "--tasks",
        "--json",
        "--config",
        "--set",
        "--help",
      ]);
      expect(complete("rigwatch", "compress", "--")).toEqual([
        "--jobs",
        "--level",
        "--force",
        "--json",
        "--help",
      ]);
    } finally {
      dir.cleanup();
    }
  });

  it("registers a zsh completion function for rigwatch", () => {
    const dir = tempDir();
    try {
      const script = join(dir.path, "_rigwatch");
      writeFileSync(script, rigwatch(["completion", "zsh"]).stdout);
      expect(spawnSync("zsh", ["-n", script]).status).toBe(0);
      const registered = spawnSync(
        "zsh",
        [
          "-f",
          "-c",
          `autoload -U compinit && compinit -u -D && source ${script} && print -r -- $_comps[rigwatch]`,
        ],
        { encoding: "utf8", env: { ...process.env, HOME: dir.path } },
      );
      expect(registered.stdout.trim()).toBe("_rigwatch");
      expect(rigwatch(["completion", "fish"])).toMatchObject({ status: 2 });
    } finally {
      dir.cleanup();
    }
  });

  it("shows a progress bar with rate and time left on a terminal, and none with --json", () => {
    const dir = tempDir();
    try {
      const dateDir = join(dir.path, "data", "motherboard", "2026-05-31");
      mkdirSync(dateDir, { recursive: true });
      copyFileSync(FAULTED_EPISODE, join(dateDir, "episode_000.h5"));
      // util-linux `script` gives the CLI a real terminal.
      const onTerminal = (args: string) =>
        spawnSync("script", ["-qec", `${process.execPath} ${CLI} ${args}`, "/dev/null"], { encoding: "utf8" })
          .stdout;
      const text = onTerminal(`export ${dateDir} --to 0.5 --out ${join(dir.path, "out")}`);
      expect(text).toMatch(
        /\[#+\.*\] \d+\/15 frames of 2026-05-31\/episode_000 {2}[\d.]+\/s {2}ETA \d+:\d\d/,
      );
      expect(text).toContain("exported  ");
      const json = onTerminal(`export ${dateDir} --to 0.5 --out ${join(dir.path, "out")} --json`);
      expect(json).not.toContain("ETA");
      expect(JSON.parse(json.trim())).toMatchObject({ type: "export", status: "ok", frames: 15 });
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
