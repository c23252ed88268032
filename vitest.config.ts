import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The recorder-format episodes are written once by h5py before the files run.
    globalSetup: ["test/setup/recorderFixtures.ts"],
    // h5wasm holds one WebAssembly heap per worker; forks keep them isolated and memory bounded.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
