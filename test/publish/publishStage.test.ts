import { createHash } from "node:crypto";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../config/index.js";
import {
  comparePlan,
  exclusionReason,
  formatSize,
  hashFile,
  type HubTarget,
  hubTarget,
  listDatasetFiles,
  PublishError,
  redactor,
  remoteTree,
  scrubError,
} from "../../stages/publish/index.js";
import { tempDir } from "../helpers/paths.js";
import { bytes, LEFTOVERS, PUBLISHED, writeDataset, writeFiles } from "./dataset.js";
import { gitBlobSha1, HubStandIn } from "./hubStandIn.js";

const TOKEN = "hf_StageTestToken0123456789abcdef";
const PUBLISH = { repo: "lab/set", hubUrl: "http://127.0.0.1:9", branch: "main", tokenEnv: "HF_TOKEN" };

describe("redaction", () => {
  it("removes the token (plain and URL-encoded) and anything shaped like a hub token", () => {
    const redact = redactor(["s3cr3t/+x", undefined]);
    expect(redact("a s3cr3t/+x b s3cr3t%2F%2Bx c hf_SomeoneElses0123 d hf_ e")).toBe(
      "a [REDACTED] b [REDACTED] c [REDACTED] d hf_ e",
    );
    // Too short to be a secret: redacting it would shred ordinary words.
    expect(redactor(["ab"])("abc")).toBe("abc");
  });

  it("scrubs an error in place: message, stack, own fields, nested data and causes; class kept", () => {
    const error = new ConfigError("publish.token", `flag --set publish.token=${TOKEN}`, "unknown key");
    Object.assign(error, { data: { error: `echo ${TOKEN}` }, cause: new Error(`inner ${TOKEN}`) });
    const scrubbed = scrubError(error, redactor([TOKEN]));
    expect(scrubbed).toBe(error);
    expect(scrubbed).toBeInstanceOf(ConfigError);
    expect([error.name, error.message, error.source]).toEqual([
      "ConfigError",
      "config publish.token (from flag --set publish.token=[REDACTED]): unknown key",
      "flag --set publish.token=[REDACTED]",
    ]);
    expect((error as unknown as { data: unknown }).data).toEqual({ error: "echo [REDACTED]" });
    expect((error.cause as Error).message).toBe("inner [REDACTED]");
    expect(String(error.stack).includes(TOKEN)).toBe(false);
  });

  it("PublishError scrubs hub-token-shaped text whatever it is given", () => {
    const error = new PublishError("hub_error", `the hub said ${TOKEN}`, 500);
    expect([error.name, error.code, error.status, error.message]).toEqual([
      "PublishError",
      "hub_error",
      500,
      "the hub said [REDACTED]",
    ]);
  });
});

describe("hashFile", () => {
  const dir = tempDir("rigwatch-publish-hash-");
  afterAll(dir.cleanup);

  it("gives git's blob ids and sha256 for known contents", async () => {
    writeFileSync(join(dir.path, "hello"), "hello\n");
    writeFileSync(join(dir.path, "empty"), "");
    expect(await hashFile(join(dir.path, "hello"), 6, "git-sha1")).toBe(
      "ce013625030ba8dba906f756967f9e9ca394464a",
    );
    expect(await hashFile(join(dir.path, "empty"), 0, "git-sha1")).toBe(
      "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
    );
    expect(await hashFile(join(dir.path, "hello"), 6, "sha256")).toBe(
      "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
    );
  });

  it("hashes a file of several read chunks the same as the whole buffer", async () => {
    const content = bytes(2_621_451, "big"); // 2.5 MiB and a few bytes: three 1 MiB reads
    writeFileSync(join(dir.path, "big"), content);
    expect(await hashFile(join(dir.path, "big"), content.length, "git-sha1")).toBe(gitBlobSha1(content));
    expect(await hashFile(join(dir.path, "big"), content.length, "sha256")).toBe(
      createHash("sha256").update(content).digest("hex"),
    );
  });
});

describe("what a dataset folder publishes", () => {
  it("decides by path: the layout's top level, nothing hidden, no quarantined episode", () => {
    const cases: [string, boolean][] = [
      ["data/t/d/episode_000.h5", false],
      ["data/t/d/.rigwatch", true],
      ["data/t/d/.episode_000.h5.77.tmp", false],
      ["data/t/d/episode_000.h5.corrupt", false],
      ["data/t/d/episode_000.h5.corrupt.2", false],
      ["data/t/d/episode_000.h5.corrupted-notes.txt", false],
      ["tasks.json", false],
      ["data", false],
      ["data", true],
      ["scratch", true],
      [".git", true],
      ["figures/dataset_figures/bad_frames.json", false],
    ];
    expect(cases.map(([path, isFolder]) => [path, exclusionReason(path, isFolder) ?? "published"])).toEqual([
      ["data/t/d/episode_000.h5", "published"],
      ["data/t/d/.rigwatch", "hidden"],
      ["data/t/d/.episode_000.h5.77.tmp", "hidden"],
      ["data/t/d/episode_000.h5.corrupt", "quarantined"],
      ["data/t/d/episode_000.h5.corrupt.2", "quarantined"],
      ["data/t/d/episode_000.h5.corrupted-notes.txt", "published"],
      ["tasks.json", "published"],
      ["data", "outside_layout"],
      ["data", "published"],
      ["scratch", "outside_layout"],
      [".git", "hidden"],
      ["figures/dataset_figures/bad_frames.json", "published"],
    ]);
  });

  it("lists the published files sorted with their sizes, and each excluded path once", async () => {
    const dir = tempDir("rigwatch-publish-list-");
    try {
      writeDataset(dir.path);
      symlinkSync(join(dir.path, "tasks.json"), join(dir.path, "data/pick_cube/2024-05-01/link.json"));
      const listing = await listDatasetFiles(dir.path);
      expect(listing.files.map((f) => [f.path, f.size, f.absPath])).toEqual(
        Object.keys(PUBLISHED)
          .sort()
          .map((path) => [path, PUBLISHED[path]?.length, join(dir.path, path)]),
      );
      expect(listing.excluded).toEqual([
        { path: ".git/", reason: "hidden" },
        { path: ".rigwatch/", reason: "hidden" },
        { path: "data/pick_cube/2024-05-01/.episode_000.h5.4242.tmp", reason: "hidden" },
        { path: "data/pick_cube/2024-05-01/.episode_001.h5.compress-tmp", reason: "hidden" },
        { path: "data/pick_cube/2024-05-01/.rigwatch/", reason: "hidden" },
        { path: "data/pick_cube/2024-05-01/episode_002.h5.corrupt", reason: "quarantined" },
        { path: "data/pick_cube/2024-05-01/episode_003.h5.corrupt.1", reason: "quarantined" },
        { path: "data/pick_cube/2024-05-01/link.json", reason: "not_regular" },
        { path: "notes.txt", reason: "outside_layout" },
        { path: "scratch/", reason: "outside_layout" },
      ]);
      expect(Object.keys(LEFTOVERS).filter((p) => listing.files.some((f) => f.path === p))).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });

  it("refuses a missing folder and one with nothing to publish", async () => {
    const dir = tempDir("rigwatch-publish-empty-");
    try {
      writeFiles(dir.path, { "notes.txt": Buffer.from("x"), ".rigwatch/state.json": Buffer.from("{}") });
      mkdirSync(join(dir.path, "data"));
      await expect(listDatasetFiles(join(dir.path, "nope"))).rejects.toMatchObject({
        name: "PublishError",
        code: "bad_dataset",
        message: `dataset folder ${join(dir.path, "nope")} does not exist or is not a folder`,
      });
      await expect(listDatasetFiles(dir.path)).rejects.toMatchObject({
        name: "PublishError",
        code: "bad_dataset",
        message: `nothing to publish in ${dir.path}: no files under data/, processed/ or figures/, no tasks.json or README.md`,
      });
    } finally {
      dir.cleanup();
    }
  });
});

describe("hubTarget", () => {
  it("takes the token from the named variable (trimmed) and strips the hub URL's trailing slash", () => {
    expect(
      hubTarget(
        { ...PUBLISH, hubUrl: "https://hub.example.org/", tokenEnv: "RIG_TOKEN" },
        { RIG_TOKEN: `${TOKEN}\n` },
      ),
    ).toEqual({
      repo: "lab/set",
      hubUrl: "https://hub.example.org",
      branch: "main",
      token: TOKEN,
      tokenEnv: "RIG_TOKEN",
    });
  });

  it("names what is wrong, never the token", () => {
    const attempt = (publish: Partial<typeof PUBLISH>, env: Record<string, string>) => {
      try {
        hubTarget({ ...PUBLISH, ...publish }, env);
        return "no error";
      } catch (error) {
        return `${(error as PublishError).code}: ${(error as PublishError).message}`;
      }
    };
    expect([
      attempt({ repo: "" }, { HF_TOKEN: TOKEN }),
      attempt({ repo: "just-a-name" }, { HF_TOKEN: TOKEN }),
      attempt({ hubUrl: "ftp://hub" }, { HF_TOKEN: TOKEN }),
      attempt({}, { HF_TOKEN: "  " }),
      attempt({}, { HF_TOKEN: "glpat-0123456789" }),
    ]).toEqual([
      "no_repo: no dataset repo configured: pass --repo NS/NAME or set publish.repo",
      'no_repo: repo "just-a-name" is not of the form namespace/name',
      'bad_hub_url: publish.hubUrl "ftp://hub" is not an http(s) URL',
      "no_token: no hub token: set the environment variable HF_TOKEN to a write token (publish.tokenEnv names the variable)",
      "bad_token: the token in HF_TOKEN is not a hub access token (they start with hf_)",
    ]);
  });
});

describe("the plan against the stand-in's tree", () => {
  let hub: HubStandIn;
  const dir = tempDir("rigwatch-publish-plan-");
  const target = (repo: string, branch = "main"): HubTarget => ({
    repo,
    hubUrl: hub.url,
    branch,
    token: TOKEN,
    tokenEnv: "HF_TOKEN",
  });
  beforeAll(async () => {
    // Two entries a page: every listing below follows several Link headers.
    hub = await HubStandIn.start({ token: TOKEN, pageSize: 2 });
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });

  it("compares by oid: git sha1 for regular files, sha256 for LFS, size first; remote-only kept apart", async () => {
    const local = {
      "tasks.json": Buffer.from('{"a":1}\n'),
      "README.md": Buffer.from("same size, other bytes\n"),
      "data/t/d/episode_000.h5": bytes(20_000, "lfs same"),
      "data/t/d/episode_001.h5": bytes(20_000, "lfs new"),
      "data/t/d/episode_002.h5": bytes(20_001, "lfs longer"),
      "figures/new.gif": bytes(10, "new"),
    };
    writeFiles(dir.path, local);
    hub.seed("lab/plan", "tasks.json", local["tasks.json"]);
    hub.seed("lab/plan", "README.md", Buffer.from("SAME SIZE, OTHER BYTES\n"));
    hub.seed("lab/plan", "data/t/d/episode_000.h5", local["data/t/d/episode_000.h5"], { lfs: true });
    hub.seed("lab/plan", "data/t/d/episode_001.h5", bytes(20_000, "lfs old"), { lfs: true });
    hub.seed("lab/plan", "data/t/d/episode_002.h5", bytes(20_000, "lfs shorter"), { lfs: true });
    hub.seed("lab/plan", "data/t/d/episode_009.h5", bytes(100, "only remote"));

    const remote = await remoteTree(target("lab/plan"));
    expect(remote?.get("data/t/d/episode_000.h5")).toEqual({
      path: "data/t/d/episode_000.h5",
      size: 20_000,
      oid: gitBlobSha1(
        Buffer.from(
          `version https://git-lfs.github.com/spec/v1\noid sha256:${createHash("sha256").update(local["data/t/d/episode_000.h5"]).digest("hex")}\nsize 20000\n`,
        ),
      ),
      lfs: { oid: createHash("sha256").update(local["data/t/d/episode_000.h5"]).digest("hex"), size: 20_000 },
    });
    const plan = await comparePlan(dir.path, target("lab/plan"), await listDatasetFiles(dir.path), remote);
    const paths = (files: readonly { path: string }[]) => files.map((f) => f.path);
    expect({
      repoExists: plan.repoExists,
      added: paths(plan.added),
      changed: paths(plan.changed),
      unchanged: paths(plan.unchanged),
      remoteOnly: paths(plan.remoteOnly),
    }).toEqual({
      repoExists: true,
      added: ["figures/new.gif"],
      changed: ["README.md", "data/t/d/episode_001.h5", "data/t/d/episode_002.h5"],
      unchanged: ["data/t/d/episode_000.h5", "tasks.json"],
      // The hub's own .gitattributes is hidden, so not reported.
      remoteOnly: ["data/t/d/episode_009.h5"],
    });
  });

  it("a missing repo is undefined (everything added); a missing branch of an existing repo is an error", async () => {
    expect(await remoteTree(target("lab/nowhere"))).toBeUndefined();
    await expect(remoteTree(target("lab/plan", "dev"))).rejects.toMatchObject({
      name: "PublishError",
      code: "no_branch",
      message: "branch dev does not exist in dataset lab/plan; create it on the hub first",
    });
  });
});

describe("formatSize", () => {
  it("prints bytes, then binary units with one decimal", () => {
    expect([0, 1023, 1024, 40_000, 5 * 1024 ** 2, 3.25 * 1024 ** 3].map(formatSize)).toEqual([
      "0 B",
      "1023 B",
      "1.0 KiB",
      "39.1 KiB",
      "5.0 MiB",
      "3.3 GiB",
    ]);
  });
});
