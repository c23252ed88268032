import { homedir } from "node:os";
import { join } from "node:path";

/** rigwatch's folder in the user's state (`$XDG_STATE_HOME/rigwatch`, else `~/.local/state/rigwatch`): what must persist. */
export function userStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "rigwatch");
}
