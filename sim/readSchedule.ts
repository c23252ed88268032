import { readFileSync } from "node:fs";
import { z } from "zod";
import { UserFacingError } from "../config/UserFacingError.js";
import type { DemoSchedule } from "./simulatedRig.js";

/** A schedule file that cannot be used: it names the file and what is wrong where. */
export class ScheduleFileError extends UserFacingError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`simulated rig schedule ${path}: ${reason}`);
    this.name = "ScheduleFileError";
  }
}

const at = z.number().min(0);
const durationS = z.number().positive();
const side = z.enum(["left", "right"]);

const motiveFault = z.strictObject({
  at,
  fault: z.enum([
    "trackingLost",
    "heldPose",
    "rest",
    "silence",
    "teleport",
    "rotationFlip",
    "serverRestart",
    "garbage",
  ]),
  body: z.number().int().min(1).optional(),
  durationS: durationS.optional(),
  offset: z.tuple([z.number(), z.number(), z.number()]).optional(),
  count: z.number().int().min(1).optional(),
});

const tapFault = z.discriminatedUnion("fault", [
  z.strictObject({ fault: z.literal("camerasStalled"), at, durationS }),
  z.strictObject({ fault: z.literal("sceneStill"), at, durationS }),
  z.strictObject({
    fault: z.literal("cameraFrozen"),
    at,
    durationS,
    stream: z.enum(["cam0", "cam1", "cam2"]),
  }),
  z.strictObject({ fault: z.literal("ledFlicker"), at, side }),
  z.strictObject({ fault: z.literal("gelUnplugged"), at, durationS, side }),
]);

const scheduleSchema = z.strictObject({
  motive: z.array(motiveFault).default([]),
  tap: z.array(tapFault).default([]),
  takes: z.array(z.strictObject({ at, durationS, episode: z.number().int().min(0) })).default([]),
});

/**
 * The simulated rig's schedule from a JSON file (`rigwatch run --sim --sim-schedule FILE`): Motive's
 * faults, the recorder's faults and its takes, times in seconds from the start. Instead of the
 * two-minute demo cycle, a demo (or a test) plays exactly these, once.
 */
export function readSchedule(path: string): DemoSchedule {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ScheduleFileError(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScheduleFileError(path, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = scheduleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const where = issue.path.length > 0 ? issue.path.join(".") : "the file";
    throw new ScheduleFileError(path, `${where}: ${issue.message}`);
  }
  return parsed.data;
}
