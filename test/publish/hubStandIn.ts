import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** The routes of the hub's HTTP API that @huggingface/hub uses for a dataset publish. */
export type HubRoute =
  "whoami" | "repo" | "revision" | "create" | "tree" | "preupload" | "lfs-batch" | "lfs-upload" | "commit";

/** One request as the stand-in saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly route: HubRoute | "unknown";
  /** Path and query as sent. */
  readonly url: string;
  /** Whether it carried the right Bearer token. */
  readonly authorized: boolean;
  /** Parsed JSON body (preupload, LFS batch, create), the NDJSON lines of a commit, else undefined. */
  readonly body: unknown;
}

/** A file of a stand-in repo. */
export interface StoredFile {
  readonly bytes: Buffer;
  /** Stored through LFS (the commit referenced an uploaded object) rather than inline in git. */
  readonly lfs: boolean;
}

export interface StoredCommit {
  readonly oid: string;
  readonly title: string;
  readonly description: string | undefined;
  /** The commit's operations in order: "file", "lfsFile" or "deletedFile" and the path. */
  readonly operations: readonly { readonly key: string; readonly path: string }[];
}

interface Repo {
  readonly private: boolean;
  readonly files: Map<string, StoredFile>;
  readonly commits: StoredCommit[];
  /** The commit main points at: moved by every commit, rigwatch's or someone else's (`seed`). */
  head: string;
}

export interface HubStandInOptions {
  /** The one token the stand-in accepts (Bearer); anything else, or none, gets 401. */
  readonly token: string;
  /** Preupload answers "lfs" for files of at least this many bytes, like the hub's size rule. */
  readonly lfsThreshold?: number;
  /** Tree entries per page; the rest follows through `Link: <…>; rel="next"`. */
  readonly pageSize?: number;
}

/** A failure to answer on one route until cleared, optionally echoing the caller's Authorization. */
export interface InjectedFailure {
  readonly status: number;
  /** Put the request's Authorization header in the error text and the X-Request-Id header. */
  readonly echoAuthorization?: boolean;
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(value));
};
const sha1 = (data: Buffer | string) => createHash("sha1").update(data).digest("hex");
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
/** Git's blob id: what the hub's tree listing gives as `oid`. */
export const gitBlobSha1 = (bytes: Buffer) =>
  createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
/** The LFS pointer git keeps in place of an LFS file. */
export const lfsPointer = (bytes: Buffer) =>
  `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(bytes)}\nsize ${bytes.length}\n`;

/** The .gitattributes the hub puts in a new repo (shortened). */
const GITATTRIBUTES = "*.h5 filter=lfs diff=lfs merge=lfs -text\n*.pt filter=lfs diff=lfs merge=lfs -text\n";

/**
 * A local stand-in of the hub's HTTP API on a loopback port: whoami, repo lookup and creation, the
 * paginated tree listing, preupload (regular vs LFS by size), the LFS batch API (basic transfer, upload
 * hrefs on this server, signed because the client sends no Authorization on the PUT), the PUT itself
 * (checked against its sha256), the revision info (`sha`: the branch's head) and the NDJSON commit,
 * applied atomically and refused with 412 when its `parentCommit` is no longer the head. Repos live in memory, so a
 * later listing returns the oids the real hub would: git blob sha1 for regular files, sha1 of the
 * pointer plus `lfs: {oid: sha256, size}` for LFS files.
 */
export class HubStandIn {
  readonly requests: SeenRequest[] = [];
  readonly #repos = new Map<string, Repo>();
  readonly #lfsObjects = new Map<string, Buffer>();
  readonly #uploadSignatures = new Map<string, string>();
  readonly #failures = new Map<HubRoute, InjectedFailure>();
  readonly #before = new Map<HubRoute, () => void>();
  readonly #token: string;
  readonly #lfsThreshold: number;
  readonly #pageSize: number;
  #server: Server | undefined;
  #url = "";

  private constructor(options: HubStandInOptions) {
    this.#token = options.token;
    this.#lfsThreshold = options.lfsThreshold ?? 10_240;
    this.#pageSize = options.pageSize ?? 50;
  }

  static async start(options: HubStandInOptions): Promise<HubStandIn> {
    const hub = new HubStandIn(options);
    const server = createServer((req, res) => {
      hub.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: `stand-in failure: ${String(error)}` });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hub.#server = server;
    hub.#url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return hub;
  }

  /** Base URL, as `publish.hubUrl`. */
  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes `route` answer `failure.status` until `clearFailures`. */
  failOn(route: HubRoute, failure: InjectedFailure): void {
    this.#failures.set(route, failure);
  }

  clearFailures(): void {
    this.#failures.clear();
  }

  /** Runs `action` once, just before the next request on `route` is answered (a race, staged). */
  onceBefore(route: HubRoute, action: () => void): void {
    this.#before.set(route, action);
  }

  /** Whether `name` ("ns/name") exists, and its visibility. */
  repo(name: string): { readonly private: boolean } | undefined {
    const repo = this.#repos.get(name);
    return repo === undefined ? undefined : { private: repo.private };
  }

  /** The files of a repo by path, sorted. */
  files(name: string): ReadonlyMap<string, StoredFile> {
    const files = this.#repos.get(name)?.files ?? new Map<string, StoredFile>();
    return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  commits(name: string): readonly StoredCommit[] {
    return this.#repos.get(name)?.commits ?? [];
  }

  /** Puts a file in a repo as if someone had committed it on the hub (creating the repo if needed). */
  seed(name: string, path: string, bytes: Buffer, { lfs = false }: { lfs?: boolean } = {}): void {
    if (lfs) this.#lfsObjects.set(sha256(bytes), bytes);
    const repo = this.#repoOrCreate(name, true);
    repo.files.set(path, { bytes, lfs });
    repo.head = sha1(`seed:${repo.head}:${path}`);
  }

  /** Requests made since index `from` (`requests.length` taken before a run). */
  since(from: number): SeenRequest[] {
    return this.requests.slice(from);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", this.#url);
    const method = req.method ?? "GET";
    const authorized = req.headers.authorization === `Bearer ${this.#token}`;
    const { route, params } = matchRoute(method, url.pathname);
    const body = parseBody(route, raw);
    this.requests.push({ method, route, url: `${url.pathname}${url.search}`, authorized, body });
    if (route === "unknown") return json(res, 404, { error: `no route for ${method} ${url.pathname}` });

    const before = this.#before.get(route);
    if (before !== undefined) {
      this.#before.delete(route);
      before();
    }
    const failure = this.#failures.get(route);
    if (failure !== undefined) {
      const echo =
        failure.echoAuthorization === true
          ? ` (request had Authorization: ${req.headers.authorization ?? "none"})`
          : "";
      const requestId = failure.echoAuthorization === true ? (req.headers.authorization ?? "none") : "rid-1";
      return json(res, failure.status, { error: `Internal Error${echo}` }, { "X-Request-Id": requestId });
    }
    // The LFS PUT carries no Authorization (the client never sends it there): its href is signed.
    if (route !== "lfs-upload" && !authorized)
      return json(res, 401, { error: "Invalid credentials in Authorization header" });

    switch (route) {
      case "whoami":
        return json(res, 200, {
          type: "user",
          id: "u-1",
          name: "rig-operator",
          fullname: "Rig Operator",
          email: "rig@example.org",
          emailVerified: true,
          isPro: false,
          canPay: false,
          avatarUrl: "",
          periodEnd: null,
          billingMode: "postpaid",
          orgs: [],
          auth: {
            type: "access_token",
            accessToken: { displayName: "rigwatch", role: "write", createdAt: "2024-01-01T00:00:00Z" },
          },
        });
      case "repo":
        return this.#repos.has(params.repo)
          ? json(res, 200, { id: params.repo, private: this.#repos.get(params.repo)?.private })
          : json(res, 404, { error: "Repository not found" });
      case "revision":
        return this.#revision(res, params);
      case "create":
        return this.#create(res, body as Record<string, unknown>);
      case "tree":
        return this.#tree(res, url, params);
      case "preupload":
        return this.#preupload(res, params, body as { files: { path: string; size: number }[] });
      case "lfs-batch":
        return this.#lfsBatch(res, params, body as LfsBatchRequest);
      case "lfs-upload":
        return this.#lfsUpload(res, params.oid, url.searchParams.get("sig"), raw);
      case "commit":
        return this.#commit(res, params, body as CommitLine[]);
    }
  }

  #repoOrCreate(name: string, isPrivate: boolean): Repo {
    let repo = this.#repos.get(name);
    if (repo === undefined) {
      repo = { private: isPrivate, files: new Map(), commits: [], head: sha1(`initial:${name}`) };
      repo.files.set(".gitattributes", { bytes: Buffer.from(GITATTRIBUTES), lfs: false });
      this.#repos.set(name, repo);
    }
    return repo;
  }

  /** The dataset's info at a revision; `sha` is the commit it points at. */
  #revision(res: ServerResponse, params: RouteParams): void {
    const repo = this.#repos.get(params.repo);
    if (repo === undefined) return json(res, 404, { error: "Repository not found" });
    if (params.rev !== "main") return json(res, 404, { error: `Invalid rev id: ${params.rev}` });
    json(res, 200, {
      _id: `id-${params.repo}`,
      id: params.repo,
      private: repo.private,
      sha: repo.head,
      downloads: 0,
      likes: 0,
      gated: false,
      lastModified: "2026-01-01T00:00:00.000Z",
    });
  }

  #create(res: ServerResponse, body: Record<string, unknown>): void {
    const name = `${String(body.organization)}/${String(body.name)}`;
    if (body.type !== "dataset")
      return json(res, 400, { error: `stand-in only has datasets, got ${String(body.type)}` });
    if (this.#repos.has(name)) return json(res, 409, { error: "You already created this dataset repo" });
    this.#repoOrCreate(name, body.visibility === "private");
    json(res, 200, { url: `${this.#url}/datasets/${name}`, id: `id-${name}`, name });
  }

  #tree(res: ServerResponse, url: URL, params: RouteParams): void {
    const repo = this.#repos.get(params.repo);
    if (repo === undefined) return json(res, 404, { error: "Repository not found" });
    if (params.rev !== "main") return json(res, 404, { error: `Invalid rev id: ${params.rev}` });
    const under = params.path === "" ? "" : `${params.path}/`;
    const recursive = url.searchParams.get("recursive") === "true";
    const entries: Record<string, unknown>[] = [];
    const folders = new Set<string>();
    for (const [path, file] of repo.files) {
      if (!path.startsWith(under)) continue;
      const rest = path.slice(under.length).split("/");
      for (let depth = 1; depth < rest.length && (recursive || depth === 1); depth++)
        folders.add(under + rest.slice(0, depth).join("/"));
      if (!recursive && rest.length > 1) continue;
      if (file.lfs) {
        const pointer = lfsPointer(file.bytes);
        entries.push({
          type: "file",
          oid: gitBlobSha1(Buffer.from(pointer)),
          size: file.bytes.length,
          path,
          lfs: { oid: sha256(file.bytes), size: file.bytes.length, pointerSize: pointer.length },
        });
      } else entries.push({ type: "file", oid: gitBlobSha1(file.bytes), size: file.bytes.length, path });
    }
    for (const path of folders) entries.push({ type: "directory", oid: sha1(`tree ${path}`), size: 0, path });
    entries.sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1));
    const cursor = Number(url.searchParams.get("cursor") ?? "0");
    const page = entries.slice(cursor, cursor + this.#pageSize);
    const headers: Record<string, string> = {};
    if (cursor + this.#pageSize < entries.length) {
      const next = new URL(url);
      next.searchParams.set("cursor", String(cursor + this.#pageSize));
      headers.Link = `<${next.href}>; rel="next"`;
    }
    json(res, 200, page, headers);
  }

  #preupload(
    res: ServerResponse,
    params: RouteParams,
    body: { files: { path: string; size: number }[] },
  ): void {
    if (!this.#repos.has(params.repo)) return json(res, 404, { error: "Repository not found" });
    if (params.rev !== "main") return json(res, 404, { error: `Invalid rev id: ${params.rev}` });
    json(res, 200, {
      files: body.files.map((file) => ({
        path: file.path,
        uploadMode: file.size >= this.#lfsThreshold ? "lfs" : "regular",
      })),
      commitOid: "0".repeat(40),
    });
  }

  #lfsBatch(res: ServerResponse, params: RouteParams, body: LfsBatchRequest): void {
    if (!this.#repos.has(params.repo)) return json(res, 404, { message: "Repository not found" });
    if (body.operation !== "upload" || !body.transfers.includes("basic"))
      return json(res, 422, { message: "stand-in speaks basic upload only" });
    json(res, 200, {
      transfer: "basic",
      objects: body.objects.map(({ oid, size }) => {
        // Already stored: no upload action, which tells the client to skip the PUT.
        if (this.#lfsObjects.get(oid)?.length === size) return { oid, size };
        const signature = randomBytes(12).toString("hex");
        this.#uploadSignatures.set(signature, oid);
        return { oid, size, actions: { upload: { href: `${this.#url}/lfs/${oid}?sig=${signature}` } } };
      }),
    });
  }

  #lfsUpload(res: ServerResponse, oid: string, signature: string | null, bytes: Buffer): void {
    if (signature === null || this.#uploadSignatures.get(signature) !== oid)
      return json(res, 403, { error: "bad or missing upload signature" });
    if (sha256(bytes) !== oid) return json(res, 400, { error: `content does not hash to ${oid}` });
    this.#uploadSignatures.delete(signature);
    this.#lfsObjects.set(oid, bytes);
    res.writeHead(200).end();
  }

  #commit(res: ServerResponse, params: RouteParams, lines: CommitLine[]): void {
    const repo = this.#repos.get(params.repo);
    if (repo === undefined) return json(res, 404, { error: "Repository not found" });
    if (params.rev !== "main") return json(res, 404, { error: `Invalid rev id: ${params.rev}` });
    const [header, ...operations] = lines;
    if (header?.key !== "header") return json(res, 400, { error: "first line must be the header" });
    const parent = header.value.parentCommit;
    if (parent !== undefined && parent !== repo.head)
      return json(res, 412, { error: "A commit has happened since. Please refresh and try again." });
    // Validate everything before applying anything: a commit is all or nothing.
    const apply: (() => void)[] = [];
    for (const { key, value } of operations) {
      const path = String(value.path);
      if (key === "file") {
        const bytes = Buffer.from(String(value.content), value.encoding === "base64" ? "base64" : "utf8");
        apply.push(() => repo.files.set(path, { bytes, lfs: false }));
      } else if (key === "lfsFile") {
        const bytes = this.#lfsObjects.get(String(value.oid));
        if (bytes === undefined || bytes.length !== value.size)
          return json(res, 422, { error: `LFS object ${String(value.oid)} for ${path} was never uploaded` });
        apply.push(() => repo.files.set(path, { bytes, lfs: true }));
      } else if (key === "deletedFile") apply.push(() => repo.files.delete(path));
      else return json(res, 400, { error: `unknown operation ${key}` });
    }
    for (const step of apply) step();
    const oid = sha1(`${repo.head}:${JSON.stringify(lines.map((l) => [l.key, l.value.path]))}`);
    repo.head = oid;
    repo.commits.push({
      oid,
      title: String(header.value.summary),
      description: header.value.description === undefined ? undefined : String(header.value.description),
      operations: operations.map(({ key, value }) => ({ key, path: String(value.path) })),
    });
    json(res, 200, {
      success: true,
      commitOid: oid,
      commitUrl: `${this.#url}/datasets/${params.repo}/commit/${oid}`,
    });
  }
}

interface LfsBatchRequest {
  operation: string;
  transfers: string[];
  objects: { oid: string; size: number }[];
}

interface CommitLine {
  key: string;
  value: Record<string, unknown>;
}

const REPO_ROUTE = /^\/api\/datasets\/([^/]+\/[^/]+)\/(tree|preupload|commit)\/([^/]+)(?:\/(.*))?$/;

/** What a route's path names; "" where it names nothing. */
interface RouteParams {
  readonly repo: string;
  readonly rev: string;
  /** The folder of a tree listing. */
  readonly path: string;
  /** The object of an LFS upload. */
  readonly oid: string;
}

function matchRoute(method: string, pathname: string): { route: HubRoute | "unknown"; params: RouteParams } {
  const params = (route: HubRoute | "unknown", named: Partial<RouteParams> = {}) => ({
    route,
    params: { repo: "", rev: "", path: "", oid: "", ...named },
  });
  if (method === "GET" && pathname === "/api/whoami-v2") return params("whoami");
  if (method === "POST" && pathname === "/api/repos/create") return params("create");
  const lfs = /^\/lfs\/([0-9a-f]{64})$/.exec(pathname);
  if (method === "PUT" && lfs !== null) return params("lfs-upload", { oid: lfs[1] });
  const batch = /^\/datasets\/([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(pathname);
  if (method === "POST" && batch !== null) return params("lfs-batch", { repo: batch[1] });
  const repo = REPO_ROUTE.exec(pathname);
  if (repo !== null) {
    const action = repo[2] as "tree" | "preupload" | "commit";
    const rev = repo[3] as string;
    if (method !== (action === "tree" ? "GET" : "POST")) return params("unknown");
    // The client URL-encodes the branch for preupload and commit, not for the tree.
    return params(action, {
      repo: repo[1],
      rev: action === "tree" ? rev : decodeURIComponent(rev),
      path: repo[4] ?? "",
    });
  }
  const revision = /^\/api\/datasets\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(pathname);
  if (method === "GET" && revision !== null)
    return params("revision", { repo: revision[1], rev: decodeURIComponent(revision[2] as string) });
  const info = /^\/api\/datasets\/([^/]+\/[^/]+)$/.exec(pathname);
  if (method === "GET" && info !== null) return params("repo", { repo: info[1] });
  return params("unknown");
}

function parseBody(route: HubRoute | "unknown", raw: Buffer): unknown {
  if (raw.length === 0 || route === "lfs-upload") return undefined;
  const text = raw.toString("utf8");
  if (route === "commit") return text.split("\n").map((line) => JSON.parse(line) as CommitLine);
  return JSON.parse(text) as unknown;
}
