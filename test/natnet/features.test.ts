import { describe, expect, it } from "vitest";
import { featuresOf } from "../../hw/natnet/index.js";

describe("featuresOf: the version gates of natnet.md §5, §7 and §10, one row per version", () => {
  // prettier-ignore
  const table = {
    //       rbMarkers params timestamp  residual ticks  devices sections rotation names  analogDesc
    "2.5": [ true,     false, "none",    false,   false, false,  false,   false,   false, false ],
    "2.6": [ true,     true,  "float32", false,   false, false,  false,   false,   false, false ],
    "2.7": [ true,     true,  "float64", false,   false, false,  false,   false,   false, false ],
    "2.9": [ true,     true,  "float64", false,   false, false,  false,   false,   false, false ],
    "2.11":[ true,     true,  "float64", false,   false, true,   false,   false,   false, false ],
    "3.0": [ false,    true,  "float64", true,    true,  true,   false,   false,   false, true  ],
    "3.1": [ false,    true,  "float64", true,    true,  true,   false,   false,   false, true  ],
    "4.0": [ false,    true,  "float64", true,    true,  true,   false,   false,   true,  true  ],
    "4.1": [ false,    true,  "float64", true,    true,  true,   true,    false,   true,  true  ],
    "4.2": [ false,    true,  "float64", true,    true,  true,   true,    true,    true,  true  ],
  } as const;

  for (const [version, expected] of Object.entries(table)) {
    it(version, () => {
      const [major, minor] = version.split(".").map(Number);
      const f = featuresOf({ major: major!, minor: minor! });
      expect([
        f.rigidBodyMarkers,
        f.params,
        f.timestamp,
        f.markerResidual,
        f.cameraTimestamps,
        f.devices,
        f.sectionSizes,
        f.rigidBodyRotationOffset,
        f.rigidBodyMarkerNames,
        f.analogDescriptions,
      ]).toEqual(expected);
      expect(f.softwareLatency).toBe(f.rigidBodyMarkers); // both removed in 3.0
      expect([f.assets, f.precisionTimestamp, f.descriptionSizes]).toEqual([
        f.sectionSizes,
        f.sectionSizes,
        f.sectionSizes,
      ]); // all 4.1
    });
  }
});
