import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/freePort.js";
import { tempDir } from "../helpers/paths.js";
import { bytes, LEFTOVERS, PUBLISHED, writeDataset, writeFiles } from "./dataset.js";
import { HubStandIn } from "./hubStandIn.js";
import { jsonLines, type RunResult, runPublish as run1 } from "./runPublish.js";

const TOKEN = "hf_RigwatchTestToken0123456789abcdef";
const ENV = { HF_TOKEN: TOKEN };
const SKIP_WARNING = "warning: --skip-preflight: uploading without the pre-publish checks (spec §8)\n";
const EP1 = "data/pick_cube/2024-05-01/episode_001.h5";
const PUBLISHED_PATHS = Object.keys(PUBLISHED).sort();
const PUBLISHED_BYTES = Object.values(PUBLISHED).reduce((sum, b) => sum + b.length, 0);
/** Every run of this file, so the last test can look for the token in all of their output. */
const RUNS: RunResult[] = [];
const runPublish = async (args: readonly string[], env: Readonly<Record<string, string>>) => {
  const result = await run1(args, env);
  RUNS.push(result);
  return result;
};

/** What the stand-in stores through LFS: the files of at least 10 KiB. */
const LFS_PATHS = [EP1, "processed/contact/pick_cube/2024-05-01/episode_000.pt"];

describe("rigwatch publish against a stand-in of the hub", () => {
  const REPO = "lab/tactile-pick";
  const dir = tempDir("rigwatch-publish-");
  let hub: HubStandIn;
  // Page size 4: every listing of the published repo takes several pages (Link: rel="next").
  beforeAll(async () => {
    hub = await HubStandIn.start({ token: TOKEN, pageSize: 4 });
    writeDataset(dir.path);
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });
  const flags = (repo = REPO) => ["--repo", repo, "--set", `publish.hubUrl=${hub.url}`, "--skip-preflight"];
  const routes = (from: number) => hub.since(from).map((r) => r.route);

  it("dry-runs a new repo: every file added with its size, leftovers excluded, nothing changed", async () => {
    const from = hub.requests.length;
    const run = await runPublish([dir.path, ...flags(), "--dry-run"], ENV);
    const hidden = "hidden (rigwatch state, a temp file or a dotfile)";
    expect(run.stdout.split("\n")).toEqual([
      `${dir.path} → dataset ${REPO} on ${hub.url}, branch main, as rig-operator (the repo does not exist yet)`,
      "added     README.md (55 B)",
      "added     data/pick_cube/2024-05-01/episode_000.h5 (3.9 KiB)",
      "added     data/pick_cube/2024-05-01/episode_001.h5 (39.1 KiB)",
      "added     figures/dataset_figures/bad_frames.json (29 B)",
      "added     figures/dataset_figures/data_quality_report.csv (33 B)",
      "added     figures/episode_previews/pick_cube/2024-05-01/clips/episode_000_freeze_left.gif (1.5 KiB)",
      "added     figures/episode_previews/pick_cube/2024-05-01/episode_000.gif (2.0 KiB)",
      "added     processed/contact/pick_cube/2024-05-01/episode_000.contact.json (17 B)",
      "added     processed/contact/pick_cube/2024-05-01/episode_000.pt (12.0 KiB)",
      "added     tasks.json (49 B)",
      `excluded  .git/: ${hidden}`,
      `excluded  .rigwatch/: ${hidden}`,
      `excluded  data/pick_cube/2024-05-01/.episode_000.h5.4242.tmp: ${hidden}`,
      `excluded  data/pick_cube/2024-05-01/.episode_001.h5.compress-tmp: ${hidden}`,
      `excluded  data/pick_cube/2024-05-01/.rigwatch/: ${hidden}`,
      "excluded  data/pick_cube/2024-05-01/episode_002.h5.corrupt: quarantined by the integrity check",
      "excluded  data/pick_cube/2024-05-01/episode_003.h5.corrupt.1: quarantined by the integrity check",
      "excluded  notes.txt: not part of the dataset layout",
      "excluded  scratch/: not part of the dataset layout",
      "unchanged 0 files (0 B)",
      "dry run: would upload 10 files (58.6 KiB) in one commit to a new private repo; nothing was changed on the hub",
      "",
    ]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // whoami, the tree (404), the repo lookup that tells a missing repo from a missing branch.
    expect(routes(from)).toEqual(["whoami", "revision", "tree", "repo"]);
    expect(hub.repo(REPO)).toBeUndefined();
  });

  it("first publish: creates a private repo, uploads every file byte for byte, the large ones through LFS", async () => {
    const from = hub.requests.length;
    const run = await runPublish([dir.path, ...flags(), "--json"], ENV);
    expect(run.stderr).toBe(SKIP_WARNING);
    expect(run.status).toBe(0);

    expect(hub.repo(REPO)).toEqual({ private: true });
    const stored = hub.files(REPO);
    expect([...stored.keys()]).toEqual([".gitattributes", ...PUBLISHED_PATHS]);
    for (const path of PUBLISHED_PATHS)
      expect({ path, equal: stored.get(path)?.bytes.equals(PUBLISHED[path] as Buffer) }).toEqual({
        path,
        equal: true,
      });
    expect([...stored].filter(([, file]) => file.lfs).map(([path]) => path)).toEqual(LFS_PATHS);

    const [commit, ...more] = hub.commits(REPO);
    expect(more).toEqual([]);
    expect(commit?.title).toMatch(/^rigwatch publish \d{4}-\d\d-\d\d \d\d:\d\d UTC: 10 added, 0 changed$/);
    expect(commit?.description).toBe("Published with rigwatch. Sessions:\n- pick_cube/2024-05-01");
    expect(routes(from)).toEqual([
      "whoami",
      "revision",
      "tree",
      "repo",
      "create",
      "preupload",
      "lfs-batch",
      "lfs-upload",
      "lfs-upload",
      "commit",
    ]);
    // Xet is off: the batch offers only the plain LFS transfers.
    const batch = hub.since(from).find((r) => r.route === "lfs-batch")?.body as { transfers: string[] };
    expect(batch.transfers).toEqual(["basic", "multipart"]);

    const lines = jsonLines(run.stdout);
    expect(lines.filter((l) => l.type === "file").map((l) => [l.path, l.status, l.size])).toEqual(
      PUBLISHED_PATHS.map((path) => [path, "added", PUBLISHED[path]?.length]),
    );
    expect(lines.at(-1)).toEqual({
      type: "publish",
      status: "uploaded",
      files: 10,
      bytes: PUBLISHED_BYTES,
      createdRepo: true,
      commit: { oid: commit?.oid, url: `${hub.url}/datasets/${REPO}/commit/${commit?.oid}` },
    });
  });

  it("never uploads rigwatch's state, temp leftovers, quarantined files or paths outside the layout", () => {
    const preuploaded = hub.requests
      .filter((r) => r.route === "preupload")
      .flatMap((r) => (r.body as { files: { path: string }[] }).files.map((f) => f.path));
    expect(preuploaded.sort()).toEqual(PUBLISHED_PATHS);
    const stored = [...hub.files(REPO).keys()];
    expect(Object.keys(LEFTOVERS).filter((path) => stored.includes(path))).toEqual([]);
  });

  it("a re-run finds every file unchanged (oids match) and uploads nothing", async () => {
    const from = hub.requests.length;
    const run = await runPublish([dir.path, ...flags()], ENV);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.slice(-2)).toEqual([
      "unchanged 10 files (58.6 KiB)",
      "up to date: nothing to upload (10 files unchanged)",
    ]);
    expect(lines.filter((l) => l.startsWith("added") || l.startsWith("changed"))).toEqual([]);
    // 11 files + 13 folders at 4 entries a page: 6 pages, and no upload route at all.
    expect(routes(from)).toEqual(["whoami", "revision", "tree", "tree", "tree", "tree", "tree", "tree"]);
    expect(hub.commits(REPO)).toHaveLength(1);
  });

  it("after one LFS file changes in place (same size), --dry-run lists exactly it as changed and uploads nothing", async () => {
    writeFileSync(join(dir.path, EP1), bytes(40_000, "episode_001.h5, second take"));
    const from = hub.requests.length;
    const run = await runPublish([dir.path, ...flags(), "--dry-run", "--json"], ENV);
    expect(run.status).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.filter((l) => l.type === "file" && l.status !== "unchanged")).toEqual([
      { type: "file", path: EP1, status: "changed", size: 40_000 },
    ]);
    expect(lines.find((l) => l.type === "plan")).toEqual({
      type: "plan",
      repo: REPO,
      hubUrl: hub.url,
      branch: "main",
      user: "rig-operator",
      repoExists: true,
      added: 0,
      changed: 1,
      unchanged: 9,
      remoteOnly: 0,
      excluded: 9,
      uploadFiles: 1,
      uploadBytes: 40_000,
    });
    expect(lines.at(-1)).toEqual({
      type: "publish",
      status: "dry_run",
      files: 1,
      bytes: 40_000,
      createdRepo: false,
      commit: null,
    });
    expect(routes(from).filter((r) => r !== "tree")).toEqual(["whoami", "revision"]);
    expect(
      hub
        .files(REPO)
        .get(EP1)
        ?.bytes.equals(PUBLISHED[EP1] as Buffer),
    ).toBe(true);
  });

  it("a real run then uploads only that file, in one LFS commit", async () => {
    const from = hub.requests.length;
    const run = await runPublish([dir.path, ...flags()], ENV);
    expect(run.stderr).toBe(SKIP_WARNING);
    expect(run.status).toBe(0);
    const commit = hub.commits(REPO)[1];
    expect(commit?.operations).toEqual([{ key: "lfsFile", path: EP1 }]);
    expect(run.stdout.trimEnd().split("\n").slice(1)).toEqual([
      `changed   ${EP1} (39.1 KiB)`,
      ...run.stdout.split("\n").filter((l) => l.startsWith("excluded")),
      "unchanged 9 files (19.5 KiB)",
      `uploaded 1 file (39.1 KiB) in commit ${commit?.oid}: ${hub.url}/datasets/${REPO}/commit/${commit?.oid}`,
    ]);
    expect(
      hub
        .files(REPO)
        .get(EP1)
        ?.bytes.equals(readFileSync(join(dir.path, EP1))),
    ).toBe(true);
    expect(routes(from).filter((r) => r !== "tree")).toEqual([
      "whoami",
      "revision",
      "preupload",
      "lfs-batch",
      "lfs-upload",
      "commit",
    ]);
  });

  it("finds a regular file changed in place (same size) by its git blob sha1", async () => {
    const original = readFileSync(join(dir.path, "tasks.json"));
    writeFileSync(join(dir.path, "tasks.json"), Buffer.from(original.toString().replace("2024", "2025")));
    try {
      const run = await runPublish([dir.path, ...flags(), "--dry-run", "--json"], ENV);
      expect(run.status).toBe(0);
      expect(jsonLines(run.stdout).filter((l) => l.type === "file" && l.status !== "unchanged")).toEqual([
        { type: "file", path: "tasks.json", status: "changed", size: 49 },
      ]);
    } finally {
      writeFileSync(join(dir.path, "tasks.json"), original);
    }
  });

  it("lists files only the hub has as remote only and keeps them", async () => {
    hub.seed(REPO, "notes/from-the-hub.md", Buffer.from("added on the hub's web page\n"));
    const from = hub.requests.length;
    const run = await runPublish([dir.path, ...flags()], ENV);
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("remote"))).toEqual([
      "remote    notes/from-the-hub.md (28 B): only on the hub, kept",
    ]);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(
      "up to date: nothing to upload (10 files unchanged)",
    );
    expect(hub.files(REPO).has("notes/from-the-hub.md")).toBe(true);
    expect(routes(from).filter((r) => r !== "tree")).toEqual(["whoami", "revision"]);
  });

  it("--public creates a missing repo public", async () => {
    const small = tempDir("rigwatch-publish-public-");
    try {
      writeFiles(small.path, { "tasks.json": PUBLISHED["tasks.json"] as Buffer });
      const run = await runPublish([small.path, ...flags("lab/open-set"), "--public"], ENV);
      expect(run.status).toBe(0);
      expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(
        /^uploaded 1 file \(49 B\) in commit [0-9a-f]{40}: .* \(created the public repo\)$/,
      );
      expect(hub.repo("lab/open-set")).toEqual({ private: false });
      expect([...hub.files("lab/open-set").keys()]).toEqual([".gitattributes", "tasks.json"]);
    } finally {
      small.cleanup();
    }
  });

  it("a commit someone makes between the plan and the upload is never overwritten: 412, nothing committed, run again", async () => {
    const race = tempDir("rigwatch-publish-race-");
    const repo = "lab/raced";
    try {
      writeFiles(race.path, { "tasks.json": PUBLISHED["tasks.json"] as Buffer });
      hub.seed(repo, "README.md", Buffer.from("first card\n"));
      // A person edits tasks.json on the hub after rigwatch listed the tree, before its commit lands.
      const theirs = Buffer.from('{"edited": "on the hub"}\n');
      hub.onceBefore("commit", () => hub.seed(repo, "tasks.json", theirs));
      const from = hub.requests.length;
      const run = await runPublish([race.path, ...flags(repo)], ENV);
      expect([run.status, run.stderr]).toEqual([
        1,
        `${SKIP_WARNING}rigwatch publish: ${repo} (branch main) has a commit made since the plan; nothing was committed, run publish again to compare with it\n`,
      ]);
      expect(routes(from)).toEqual(["whoami", "revision", "tree", "preupload", "commit"]);
      expect(hub.commits(repo)).toEqual([]);
      expect(hub.files(repo).get("tasks.json")?.bytes.equals(theirs)).toBe(true);

      // The next run compares with their commit, sees tasks.json changed, and commits on top of it.
      const again = await runPublish([race.path, ...flags(repo)], ENV);
      expect(again.status).toBe(0);
      expect(hub.commits(repo).map((c) => c.operations)).toEqual([[{ key: "file", path: "tasks.json" }]]);
      expect(
        hub
          .files(repo)
          .get("tasks.json")
          ?.bytes.equals(PUBLISHED["tasks.json"] as Buffer),
      ).toBe(true);
    } finally {
      race.cleanup();
    }
  });
});

describe("rigwatch publish keeps the token to itself", () => {
  const dir = tempDir("rigwatch-publish-token-");
  let hub: HubStandIn;
  beforeAll(async () => {
    hub = await HubStandIn.start({ token: TOKEN });
    writeDataset(dir.path);
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });
  const flags = (repo: string) => [
    dir.path,
    "--repo",
    repo,
    "--set",
    `publish.hubUrl=${hub.url}`,
    "--skip-preflight",
  ];
  const leaked = (run: { stdout: string; stderr: string }, secret = TOKEN) =>
    run.stdout.includes(secret) || run.stderr.includes(secret);

  it("without --skip-preflight, failing pre-publish checks stop the upload before anything is sent", async () => {
    // The test dataset's episodes are not HDF5 and it has no reports: the checklist cannot pass.
    const from = hub.requests.length;
    const run = await runPublish(
      [dir.path, "--repo", "lab/gated", "--set", `publish.hubUrl=${hub.url}`],
      ENV,
    );
    expect(run.status).toBe(1);
    // The first line is ours; the items are the checklist's own titles, one a line.
    const [first, ...items] = run.stderr.trimEnd().split("\n");
    expect(first).toBe(
      `rigwatch publish: the pre-publish checks failed for ${dir.path}; nothing was uploaded (\`rigwatch preflight ${dir.path}\` lists the files):`,
    );
    expect(items.length).toBeGreaterThan(0);
    expect(items.filter((line) => !line.startsWith("  - "))).toEqual([]);
    expect(hub.since(from).map((r) => r.route)).toEqual(["whoami", "revision", "tree", "repo"]);
    expect(hub.repo("lab/gated")).toBeUndefined();
  });

  it("without a token: exit 1, names the variable, asks the hub nothing", async () => {
    const from = hub.requests.length;
    const run = await runPublish(flags("lab/a"), {});
    expect([run.status, run.stdout, run.stderr]).toEqual([
      1,
      "",
      "rigwatch publish: no hub token: set the environment variable HF_TOKEN to a write token (publish.tokenEnv names the variable)\n",
    ]);
    const other = await runPublish([...flags("lab/a"), "--set", "publish.tokenEnv=RIG_HUB_TOKEN"], ENV);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("set the environment variable RIG_HUB_TOKEN");
    expect(hub.since(from)).toEqual([]);
  });

  it("a wrong token: the hub's 401 is reported clearly, exit 1, the token not printed", async () => {
    const wrong = "hf_WrongToken9876543210zyxwvu";
    const run = await runPublish(flags("lab/a"), { HF_TOKEN: wrong });
    expect([run.status, run.stdout, run.stderr]).toEqual([
      1,
      "",
      `rigwatch publish: checking the token: the hub refused the token in HF_TOKEN (401): Invalid credentials in Authorization header. URL: ${hub.url}/api/whoami-v2\n`,
    ]);
    expect(leaked(run, wrong)).toBe(false);
  });

  it("a token that is not a hub token is refused before any request, and not printed", async () => {
    const from = hub.requests.length;
    const run = await runPublish(flags("lab/a"), { HF_TOKEN: "ghp_notAHubTokenButSecret" });
    expect([run.status, run.stderr]).toEqual([
      1,
      "rigwatch publish: the token in HF_TOKEN is not a hub access token (they start with hf_)\n",
    ]);
    expect(hub.since(from)).toEqual([]);
    expect(leaked(run, "ghp_notAHubTokenButSecret")).toBe(false);
  });

  it("a hub that echoes the token in a 500 (error text and request id) gets it redacted, human and --json", async () => {
    hub.failOn("preupload", { status: 500, echoAuthorization: true });
    try {
      // The stand-in really does put the token in its answer.
      const echoed = await fetch(`${hub.url}/api/datasets/lab/x/preupload/main`, {
        method: "POST",
        headers: { Authorization: `Bearer ${TOKEN}` },
        body: "{}",
      });
      expect([echoed.headers.get("x-request-id"), (await echoed.text()).includes(TOKEN)]).toEqual([
        `Bearer ${TOKEN}`,
        true,
      ]);

      for (const extra of [[], ["--json"]]) {
        const run = await runPublish([...flags("lab/echo"), ...extra], ENV);
        expect(run.status).toBe(1);
        expect(run.stderr.split("\n").slice(-2)).toEqual([
          `rigwatch publish: uploading 10 files to lab/echo: the hub answered 500: Internal Error (request had Authorization: Bearer [REDACTED]). URL: ${hub.url}/api/datasets/lab/echo/preupload/main. Request ID: Bearer [REDACTED]`,
          "",
        ]);
        expect(leaked(run)).toBe(false);
      }
    } finally {
      hub.clearFailures();
    }
  });

  it("an echoing 500 on the tree listing of a dry run is redacted too", async () => {
    hub.failOn("tree", { status: 500, echoAuthorization: true });
    try {
      const run = await runPublish([...flags("lab/echo"), "--dry-run", "--json"], ENV);
      expect([run.status, run.stdout]).toEqual([1, ""]);
      expect(run.stderr).toBe(
        `rigwatch publish: listing lab/echo (branch main): the hub answered 500: Internal Error (request had Authorization: Bearer [REDACTED]). URL: ${hub.url}/api/datasets/lab/echo/tree/main?recursive=true&expand=false. Request ID: Bearer [REDACTED]\n`,
      );
    } finally {
      hub.clearFailures();
    }
  });

  it("a token pasted into a --set is redacted from the config error", async () => {
    const run = await runPublish([...flags("lab/a"), "--set", `publish.token=${TOKEN}`], ENV);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^rigwatch publish: config publish\.token \(from flag --set publish\.token=\[REDACTED\]\)/,
    );
    expect(leaked(run)).toBe(false);
  });

  it("no repo configured: exit 1 naming --repo and publish.repo", async () => {
    const run = await runPublish([dir.path, "--set", `publish.hubUrl=${hub.url}`], ENV);
    expect([run.status, run.stderr]).toEqual([
      1,
      "rigwatch publish: no dataset repo configured: pass --repo NS/NAME or set publish.repo\n",
    ]);
  });

  it("an unreachable hub: exit 1 saying so", async () => {
    const port = await freePort();
    const run = await runPublish(
      [dir.path, "--repo", "lab/a", "--set", `publish.hubUrl=http://127.0.0.1:${port}`],
      ENV,
    );
    expect([run.status, run.stderr]).toEqual([
      1,
      `rigwatch publish: checking the token: cannot reach the hub at http://127.0.0.1:${port} (ECONNREFUSED)\n`,
    ]);
  });

  it("no run of this file printed the token, on stdout or stderr", () => {
    expect(RUNS.length).toBeGreaterThan(15);
    expect(RUNS.filter((run) => leaked(run))).toEqual([]);
  });
});
