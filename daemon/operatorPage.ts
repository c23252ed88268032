import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StaticFile, StaticSite } from "../sinks/WebSocketHub.js";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/**
 * The built page (`npm run build` puts it in `dist/web/`): from `dist/daemon/` that is `../web/`;
 * from the sources (tsx) it is `../dist/web/`.
 */
function builtPageDir(): string {
  const candidates = ["../web/", "../dist/web/"].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, "main.js"))) ?? (candidates[0] as string);
}

/**
 * Reads every page file of `dir` once (a few tens of KB) and serves them by name: `/` is
 * `index.html`. Only names read from the folder are served, so no path can reach outside it.
 */
export function directorySite(dir: string): StaticSite {
  let files: Map<string, StaticFile> | undefined;
  const load = () => {
    const map = new Map<string, StaticFile>();
    for (const name of readdirSync(dir)) {
      const contentType = CONTENT_TYPES[extname(name)];
      if (contentType) map.set(`/${name}`, { contentType, body: readFileSync(join(dir, name)) });
    }
    const index = map.get("/index.html");
    if (index) map.set("/", index);
    return map;
  };
  return {
    file(path) {
      files ??= existsSync(dir) ? load() : new Map();
      return files.get(path) ?? (path === "/" ? missingBuild(dir) : undefined);
    },
  };
}

function missingBuild(dir: string): StaticFile {
  return {
    contentType: "text/plain; charset=utf-8",
    body: `rigwatch: the operator page is not built (no ${dir}); run npm run build\n`,
  };
}

/** The operator page served at `/`, fed by `/ws`. */
export const operatorPage: StaticSite = directorySite(builtPageDir());
