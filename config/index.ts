export { ConfigError } from "./errors.js";
export { type ConfigSources, defaultConfig, loadConfig } from "./load.js";
export { type Config, type ConfigOverrides, configSchema } from "./schema.js";
