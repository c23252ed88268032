import { PublishError } from "./PublishError.js";

/** Where a publish goes and with what credentials. Never printed whole: it holds the token. */
export interface HubTarget {
  /** "namespace/name" of the dataset repo. */
  readonly repo: string;
  /** The hub's base URL, without a trailing "/" (the client concatenates paths onto it). */
  readonly hubUrl: string;
  readonly branch: string;
  readonly token: string;
  /** The environment variable the token came from, for messages. */
  readonly tokenEnv: string;
}

const REPO_NAME = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

/**
 * Builds the target from config (and `--repo`), reading the token from the environment. Errors name
 * the setting or the variable, never the token's value.
 */
export function hubTarget(
  publish: {
    readonly repo: string;
    readonly hubUrl: string;
    readonly branch: string;
    readonly tokenEnv: string;
  },
  env: Readonly<Record<string, string | undefined>>,
): HubTarget {
  const { repo, branch, tokenEnv } = publish;
  if (repo === "")
    throw new PublishError("no_repo", "no dataset repo configured: pass --repo NS/NAME or set publish.repo");
  if (!REPO_NAME.test(repo))
    throw new PublishError("no_repo", `repo "${repo}" is not of the form namespace/name`);
  let url: URL;
  try {
    url = new URL(publish.hubUrl);
  } catch {
    throw new PublishError("bad_hub_url", `publish.hubUrl "${publish.hubUrl}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new PublishError("bad_hub_url", `publish.hubUrl "${publish.hubUrl}" is not an http(s) URL`);
  // A pasted token often carries a newline; the hub would refuse it as a different token.
  const token = (env[tokenEnv] ?? "").trim();
  if (token === "")
    throw new PublishError(
      "no_token",
      `no hub token: set the environment variable ${tokenEnv} to a write token (publish.tokenEnv names the variable)`,
    );
  // The client refuses anything else with a TypeError; say which variable to fix instead.
  if (!token.startsWith("hf_"))
    throw new PublishError(
      "bad_token",
      `the token in ${tokenEnv} is not a hub access token (they start with hf_)`,
    );
  return { repo, hubUrl: publish.hubUrl.replace(/\/+$/, ""), branch, token, tokenEnv };
}
