import { join, resolve } from "node:path";
import type { Config } from "../config/index.js";
import { userStateDir } from "../config/userStateDir.js";
import { STATE_FOLDER } from "../stages/dataset/index.js";

export const JOURNAL_FILE = "alarms.sqlite";

/**
 * Where the alarm journal lives: `journal.file` when set; else beside the dataset's own state
 * (`<journal.datasetRoot>/.rigwatch/alarms.sqlite`); else the user's state folder.
 */
export function journalFile(config: Pick<Config, "journal">, env: NodeJS.ProcessEnv = process.env): string {
  const { file, datasetRoot } = config.journal;
  if (file) return resolve(file);
  if (datasetRoot) return resolve(datasetRoot, STATE_FOLDER, JOURNAL_FILE);
  return join(userStateDir(env), JOURNAL_FILE);
}
