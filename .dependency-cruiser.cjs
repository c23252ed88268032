/**
 * Import rules checked by `npm run lint` (dependency-cruiser): no circle anywhere, and the layers of
 * docs/design.md point one way (config → detectors → hw → sinks → stages → daemon → cli; sim beside hw).
 */
const layer = (from, forbidden) => ({
  name: `${from}-not-up`,
  severity: "error",
  comment: `${from}/ must not import ${forbidden.join(", ")}`,
  from: { path: `^${from}/` },
  to: { path: `^(${forbidden.join("|")})/` },
});

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    layer("config", ["detectors", "hw", "sim", "sinks", "stages", "daemon", "cli", "web"]),
    layer("detectors", ["hw", "sim", "sinks", "stages", "daemon", "cli", "web"]),
    layer("hw", ["sim", "sinks", "stages", "daemon", "cli", "web"]),
    layer("sim", ["sinks", "stages", "daemon", "cli", "web"]),
    layer("sinks", ["stages", "daemon", "cli", "web"]),
    layer("stages", ["daemon", "cli", "web"]),
    layer("daemon", ["cli"]),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.check.json" },
    exclude: { path: "^(dist|node_modules|test/\\.generated)/" },
  },
};
