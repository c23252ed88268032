/** The shape of a command declaration (cli/commandSpecs.ts), apart so its readers import no command. */

import type { Progress } from "./ProgressBar.js";

/** A command's body: the arguments after its name (and a progress bar for long ones) → exit code. */
export type CommandFunction = (argv: readonly string[], progress: Progress) => Promise<number>;

export interface OptionSpec {
  /** commander's flags: "--out <dir>" takes a value, "--json" does not. */
  readonly flags: string;
  readonly description: string;
  /** May be given more than once. */
  readonly repeatable?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** Positional arguments as the usage line shows them ("" for none). */
  readonly args: string;
  /** One line for the command list. */
  readonly summary: string;
  /** What the command does, for its --help. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** Takes --config FILE and --set key=value (default true). */
  readonly configFlags?: boolean;
  /** Long-running: shows a progress bar on a terminal. */
  readonly progress?: boolean;
  readonly load: () => Promise<CommandFunction>;
}

export const CONFIG_OPTIONS: readonly OptionSpec[] = [
  { flags: "--config <FILE>", description: "a JSON config file (default: $RIGWATCH_CONFIG)" },
  {
    flags: "--set <key=value>",
    description:
      "one setting, e.g. detect.otGapS=0.12 (repeatable; RIGWATCH__SECTION__KEY=value does the same)",
    repeatable: true,
  },
];

/** A command's options as commander and the completions see them: its own, then the config flags. */
export function optionsOf(spec: CommandSpec): readonly OptionSpec[] {
  return spec.configFlags === false ? spec.options : [...spec.options, ...CONFIG_OPTIONS];
}
