import { HubApiError } from "@huggingface/hub";
import type { HubTarget } from "./HubTarget.js";
import { PublishError } from "./PublishError.js";
import { redactor } from "./redact.js";

/**
 * Turns whatever a hub client call threw into a PublishError saying what rigwatch was doing, the
 * status and URL the hub answered with, and the hub's own words, all redacted: the client copies the
 * server's error text and URLs into its messages, and a hostile or echoing server could put the
 * token there. A network failure (fetch's TypeError with a system-error cause) says the hub is
 * unreachable. Nothing of the original error is kept (not even as `cause`), so nothing unredacted
 * can be printed later.
 */
export function hubFailure(doing: string, error: unknown, target: HubTarget): PublishError {
  const redact = redactor([target.token]);
  if (error instanceof HubApiError) {
    const said = redact(error.message);
    const status = error.statusCode;
    if (status === 401)
      return new PublishError(
        "unauthorized",
        `${doing}: the hub refused the token in ${target.tokenEnv} (401): ${said}`,
        status,
      );
    if (status === 403)
      return new PublishError(
        "forbidden",
        `${doing}: the token in ${target.tokenEnv} may not do this (403): ${said}`,
        status,
      );
    return new PublishError("hub_error", `${doing}: the hub answered ${status}: ${said}`, status);
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (error instanceof TypeError && error.message === "fetch failed") {
    const why = typeof cause?.code === "string" ? cause.code : String(cause?.message ?? "network error");
    return new PublishError(
      "unreachable",
      `${doing}: cannot reach the hub at ${redact(target.hubUrl)} (${redact(why)})`,
    );
  }
  // Blobs from fs.openAsBlob refuse to read a file that changed after they were opened.
  if (error instanceof Error && error.name === "NotReadableError")
    return new PublishError(
      "file_changed",
      `${doing}: a file changed or vanished during the upload: ${redact(error.message)}`,
    );
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new PublishError(
    "hub_error",
    `${doing}: unexpected answer from the hub at ${redact(target.hubUrl)}: ${redact(what)}`,
  );
}

/** Runs one hub client call, rethrowing its failure as hubFailure's PublishError. */
export async function hubCall<T>(doing: string, target: HubTarget, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw hubFailure(doing, error, target);
  }
}
