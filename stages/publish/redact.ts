/** What any hub token looks like (`hf_` + letters and digits); caught even when it is not ours. */
const HUB_TOKEN = /hf_[A-Za-z0-9]{6,}/g;

export const REDACTED = "[REDACTED]";

/** Replaces anything shaped like a hub token. */
export function redactTokens(text: string): string {
  return text.replace(HUB_TOKEN, REDACTED);
}

/**
 * A function that removes `secrets` (as given and URL-encoded) and any hub-token-shaped string from
 * a text. Every line `rigwatch publish` prints goes through one: the hub's error text, URLs and a
 * misconfigured key can all carry a token back to us.
 */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const exact = [
    ...new Set(
      secrets
        // A very short "secret" would shred ordinary words; the token pattern still applies.
        .filter((s): s is string => s !== undefined && s.length >= 4)
        .flatMap((s) => [s, encodeURIComponent(s)]),
    ),
  ].sort((a, b) => b.length - a.length);
  return (text) => redactTokens(exact.reduce((out, secret) => out.split(secret).join(REDACTED), text));
}
