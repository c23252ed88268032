import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

/** Every daemon a test starts keeps its alarm journal here, not in the user's own state folder. */
const stateHome = mkdtempSync(join(tmpdir(), "rigwatch-test-state-"));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The recorder-format episodes are written once by h5py before the files run.
    globalSetup: ["test/setup/recorderFixtures.ts"],
    // h5wasm holds one WebAssembly heap per worker; forks keep them isolated and memory bounded.
    pool: "forks",
    env: { XDG_STATE_HOME: stateHome },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
