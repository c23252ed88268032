/**
 * JSON Schemas of the health lines sent to Foxglove as they are sent on /ws (sinks/hubMessages.ts),
 * so Foxglove's panels (Raw Messages, Plot, State Transitions) know their fields.
 */
const number = { type: "number" } as const;

const streamEntry = {
  type: "object",
  properties: {
    rateHz: number,
    tickHz: number,
    ageS: number,
    stale: { type: "boolean" },
    dupFraction: number,
    intensity: number,
  },
} as const;

const bodyEntry = {
  type: "object",
  properties: { valid: { type: "boolean" }, ageS: number, rateHz: number },
} as const;

export const LIVE_JSON_SCHEMAS = {
  "/rigwatch/streams": {
    title: "rigwatch.StreamsHealth",
    type: "object",
    properties: {
      type: { type: "string" },
      tap: {
        type: "object",
        properties: { state: { type: "string" }, dropped: number, ageS: number },
      },
      streams: { type: "object", additionalProperties: streamEntry },
    },
  },
  "/rigwatch/bodies": {
    title: "rigwatch.BodiesHealth",
    type: "object",
    properties: {
      type: { type: "string" },
      bodies: { type: "object", additionalProperties: bodyEntry },
    },
  },
} as const;
