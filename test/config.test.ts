import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, defaultConfig, loadConfig } from "../config/index.js";
import { tempDir } from "./helpers/paths.js";

const dir = tempDir();
afterAll(dir.cleanup);

describe("config", () => {
  it("has the curation spec's defaults", () => {
    const { detect } = defaultConfig();
    expect(detect.freezeThresholdS).toBe(0.25);
    expect(detect.otGapS).toBe(0.1);
    expect(detect.teleport).toEqual({ velocityMps: 5, angularRadS: 15, combine: "or" });
    expect(detect.spike.tauIntensity).toBe(30);
    expect(detect.spike.percentile).toBe(99.9);
    expect(detect.bufferFrames).toBe(3);
    expect(detect.stall).toEqual({ dupFraction: 0.3, windowS: 1 });
    expect(detect.contact.tau).toBe(8);
    expect(detect.contact.driftWarning).toBe(5);
    expect(detect.trim).toEqual({ maxGapS: 0.5, steadyS: 1, startGraceS: 0.1 });
  });

  it("layers file, environment and flags in that order", () => {
    const file = join(dir.path, "rig.json");
    writeFileSync(file, JSON.stringify({ detect: { otGapS: 0.2, teleport: { velocityMps: 6 } } }));
    const config = loadConfig({
      file,
      env: { RIGWATCH__DETECT__TELEPORT__VELOCITYMPS: "7", RIGWATCH__DETECT__TELEPORT__COMBINE: "and" },
      sets: ["detect.teleport.velocityMps=8"],
    });
    expect(config.detect.otGapS).toBe(0.2);
    expect(config.detect.teleport).toEqual({ velocityMps: 8, angularRadS: 15, combine: "and" });
  });

  it("takes lists as comma-separated values from env and flags", () => {
    expect(loadConfig({ sets: ["live.bodies=sensor_left, sensor_right"] }).live.bodies).toEqual([
      "sensor_left",
      "sensor_right",
    ]);
    expect(loadConfig({ env: { RIGWATCH__LIVE__BODIES: "motherboard" } }).live.bodies).toEqual([
      "motherboard",
    ]);
    expect(defaultConfig().live.bodies).toEqual([]);
  });

  it("reads the file named by RIGWATCH_CONFIG", () => {
    const file = join(dir.path, "env.json");
    writeFileSync(file, JSON.stringify({ detect: { bufferFrames: 5 } }));
    expect(loadConfig({ env: { RIGWATCH_CONFIG: file } }).detect.bufferFrames).toBe(5);
  });

  it.each([
    [
      { sets: ["detect.otGapS=fast"] },
      'config detect.otGapS (from flag --set detect.otGapS=fast): expected a number, got "fast"',
    ],
    [
      { sets: ["detect.otGapS=-1"] },
      "config detect.otGapS (from flag --set detect.otGapS=-1): Too small: expected number to be >0",
    ],
    [
      { sets: ["detect.teleport.combine=xor"] },
      'config detect.teleport.combine (from flag --set detect.teleport.combine=xor): Invalid option: expected one of "or"|"and"',
    ],
    [
      { sets: ["detect.nope=1"] },
      "config detect.nope (from flag --set detect.nope=1): unknown key; known: freezeThresholdS, otGapS, invalidQuatNorm, bufferFrames, teleport, spike, stall, classifier, trim, active, contact",
    ],
    [
      { sets: ["detect.teleport=1"] },
      "config detect.teleport (from flag --set detect.teleport=1): expected a leaf key, got a section",
    ],
    [{ sets: ["novalue"] }, "config novalue (from flag --set): expected key=value"],
    [
      { sets: ["tap.maxAheadS=10"] },
      "config tap.maxAheadS (from flag --set tap.maxAheadS=10): must be less than live.watchdogS",
    ],
    [
      { env: { RIGWATCH__DETECT__BUFFERFRAMES: "2.5" } },
      "config detect.bufferFrames (from env RIGWATCH__DETECT__BUFFERFRAMES): Invalid input: expected int, received number",
    ],
  ])("rejects %j with a message naming the key and the source", (sources, message) => {
    expect(() => loadConfig(sources)).toThrow(ConfigError);
    expect(() => loadConfig(sources)).toThrow(message);
  });

  it("names a misspelt key in a config file", () => {
    const file = join(dir.path, "typo.json");
    writeFileSync(file, JSON.stringify({ detect: { teleport: { velocityMPS: 6 } } }));
    expect(() => loadConfig({ file })).toThrow(`config detect.teleport.velocityMPS (from file ${file})`);
  });

  it("refuses a file that is not a JSON object", () => {
    const file = join(dir.path, "bad.json");
    writeFileSync(file, "[1, 2]");
    expect(() => loadConfig({ file })).toThrow(
      `config (file) (from file ${file}): expected a JSON object: not an object`,
    );
  });
});
