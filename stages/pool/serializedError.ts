import { UserFacingError } from "../../config/UserFacingError.js";

/** An error as it crosses a thread: its class name, message, stack and its own plain fields. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable fields that survive structured cloning as plain data (`code`, `file`, …). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The error was a UserFacingError: its message is made for a person. */
  readonly userFacing: boolean;
}

const isPlain = (value: unknown) =>
  value === null || ["string", "number", "boolean", "undefined"].includes(typeof value);

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) {
    return { name: "Error", message: String(error), stack: undefined, fields: {}, userFacing: false };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== "name" && key !== "message" && isPlain(value)) fields[key] = value;
  }
  const userFacing = error instanceof UserFacingError;
  return { name: error.name, message: error.message, stack: error.stack, fields, userFacing };
}
