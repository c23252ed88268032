import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { INTEGRATION_INCLUDE, UNIT_TESTS } from "./test/suites.js";

/**
 * Two parts (test/suites.ts): `npm test` runs both, `npm run test:unit` the pure in-process one,
 * `npm run test:integration` the rest. Timeouts only turn a hang into a failure: each is about three
 * times what the test took on the shared 2-core machine at a load average of ~12, checked at ~25; a
 * test that needs longer than its part's default says so itself.
 */

/** Every daemon a test starts keeps its alarm journal here, not in the user's own state folder. */
const stateHome = mkdtempSync(join(tmpdir(), "rigwatch-test-state-"));

export default defineConfig({
  test: {
    // h5wasm holds one WebAssembly heap per worker; forks keep them isolated and memory bounded.
    pool: "forks",
    env: { XDG_STATE_HOME: stateHome },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [...UNIT_TESTS],
          setupFiles: ["test/setup/inProcessOnly.ts"],
          // Pure work slows with the load: the heaviest test (200 random scenarios) and setup (two takes
          // generated and detected) took 16 s and 21 s at a load average of 30.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION_INCLUDE,
          exclude: [...UNIT_TESTS],
          // The recorder-format episodes are written once by h5py before the files run.
          globalSetup: ["test/setup/recorderFixtures.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
