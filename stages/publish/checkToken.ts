import { whoAmI } from "@huggingface/hub";
import { hubCall } from "./hubFailure.js";
import type { HubTarget } from "./HubTarget.js";
import { PublishError } from "./PublishError.js";

/** Who the token belongs to, as the hub says. */
export interface TokenOwner {
  readonly name: string;
  /** The token's role ("read", "write", "fineGrained"), when the hub tells. */
  readonly role: string | undefined;
}

/**
 * Asks the hub who the token is before anything else, so a refused token fails in one request with
 * a message naming its variable, rather than after hashing a few GB. `forWrite` rejects a read-only
 * token up front (fine-grained tokens are left to the hub: their rights are per repo).
 */
export async function checkToken(
  target: HubTarget,
  { forWrite }: { forWrite: boolean },
): Promise<TokenOwner> {
  const me = await hubCall("checking the token", target, () =>
    whoAmI({ hubUrl: target.hubUrl, accessToken: target.token }),
  );
  const role = me.auth.accessToken?.role;
  if (forWrite && role === "read")
    throw new PublishError(
      "bad_token",
      `the token in ${target.tokenEnv} is read-only; publishing needs a write token`,
    );
  return { name: me.name, role };
}
