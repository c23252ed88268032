import { type Config, loadConfig } from "../config/index.js";

/** The config flags every command takes (node:util parseArgs option specs). */
export const configFlags = {
  config: { type: "string" },
  set: { type: "string", multiple: true },
} as const;

export function configFrom(values: { config?: string | undefined; set?: string[] | undefined }): Config {
  return loadConfig({
    ...(values.config === undefined ? {} : { file: values.config }),
    env: process.env,
    sets: values.set ?? [],
  });
}
