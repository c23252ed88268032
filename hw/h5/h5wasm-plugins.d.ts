// h5wasm-plugins ships no types; only the Node-safe installer is used.
declare module "h5wasm-plugins" {
  export const plugin_names: string[];
  export function install_local_plugins(module: unknown): void;
}
