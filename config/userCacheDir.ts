import { homedir } from "node:os";
import { join } from "node:path";

/** rigwatch's folder in the user's cache (`$XDG_CACHE_HOME/rigwatch`, else `~/.cache/rigwatch`): what can be rebuilt. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "rigwatch");
}
