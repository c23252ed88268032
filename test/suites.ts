/**
 * The suite's two parts (vitest projects, vitest.config.ts):
 *
 * - unit: pure and in-process, the developer's fast default (`npm run test:unit`, under a minute): no
 *   child process, no socket, no worker thread, no browser, no Python, no recorder files written by h5py.
 *   test/setup/inProcessOnly.ts makes any of those throw inside these files.
 * - integration: everything else (`npm run test:integration`): the built CLI as a process, real UDP,
 *   ZeroMQ, WebSocket and HTTP sockets, worker pools, Chromium, h5py/NumPy/PyTorch/Pillow readers; and
 *   the NatNet decoder's million-packet fuzz (test/natnet/robustness.test.ts, half a minute of CPU).
 *
 * Integration is every test file that is not listed here, so each file is in exactly one part;
 * test/tools/suites.test.ts checks that the list names real files and that the config is built from it.
 */
export const UNIT_TESTS: readonly string[] = [
  "test/config.test.ts",
  "test/daemon/SeriesAggregator.test.ts",
  "test/daemon/takeLifecycle.test.ts",
  "test/detect/figureLayout.test.ts",
  "test/detect/tornCache.test.ts",
  "test/detectors/componentGuard.test.ts",
  "test/detectors/frameDetectors.test.ts",
  "test/detectors/heldPose.test.ts",
  "test/detectors/otDetectors.test.ts",
  "test/detectors/otPrefix.test.ts",
  "test/detectors/hypot.test.ts",
  "test/detectors/poseHistory.test.ts",
  "test/detectors/runningMedian.test.ts",
  "test/detectors/tapDetectors.test.ts",
  "test/detectors/withSourceClock.test.ts",
  "test/h5/sampleMerge.test.ts",
  "test/metadata/metadataCommand.test.ts",
  "test/metadata/reportInputs.test.ts",
  "test/metadata/sessionNote.test.ts",
  "test/metadata/tasksFormat.test.ts",
  "test/natnet/Reader.test.ts",
  "test/natnet/encode.test.ts",
  "test/natnet/features.test.ts",
  "test/natnet/fixtures2x.test.ts",
  "test/natnet/fixtures30.test.ts",
  "test/natnet/handBuilt.test.ts",
  "test/natnet/session.test.ts",
  "test/publish/hashCache.test.ts",
  "test/queue/planFlow.test.ts",
  "test/sim/episode/randomScenario.test.ts",
  "test/sinks/atomicWrite.test.ts",
  "test/tap/codec.test.ts",
  "test/tools/suites.test.ts",
  "test/web/alarmReason.test.ts",
];

/** Every test file of the integration part: the rest. */
export const INTEGRATION_INCLUDE = ["test/**/*.test.ts"];
