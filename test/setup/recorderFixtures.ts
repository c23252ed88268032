import { ensureRecorderFixtures } from "../tools/recorderFixtures.js";

/** vitest globalSetup: the recorder-format episodes exist before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureRecorderFixtures();
}
