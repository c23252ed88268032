import { defineConfig } from "vitest/config";
import { INTEGRATION_INCLUDE, UNIT_TESTS } from "./test/suites.js";

/**
 * Two parts (test/suites.ts): `npm test` runs both, `npm run test:unit` the pure in-process one,
 * `npm run test:integration` the rest. Per-test timeouts only turn a hang into a failure: a test that
 * needs longer than its part's default says so itself, measured with a margin for a loaded machine.
 */
export default defineConfig({
  test: {
    // h5wasm holds one WebAssembly heap per worker; forks keep them isolated and memory bounded.
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [...UNIT_TESTS],
          setupFiles: ["test/setup/inProcessOnly.ts"],
          testTimeout: 10_000,
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
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
