import { type DestinationStream, type Logger, pino } from "pino";

/**
 * The daemon's structured log: JSON lines on stderr (stdout carries `--json` alarms), one `alarm`
 * field per alarm so a log shipper can index them. A stream can be given for tests.
 */
export function createLog(level = "info", destination?: DestinationStream): Logger {
  return pino(
    { level, base: { app: "rigwatch" } },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
