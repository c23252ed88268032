import { Command, Option } from "commander";
import { type CommandSpec, optionsOf } from "./CommandSpec.js";

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/**
 * The commander program of the declarations: every command with its arguments, options and help.
 * commander parses for the help, the typo suggestions and the usage errors; the command's body then
 * gets the same arguments as given (`run` with the spec and the arguments after the command name).
 */
export function buildProgram(
  specs: readonly CommandSpec[],
  run: (spec: CommandSpec, command: Command) => Promise<void>,
): Command {
  const program = new Command("rigwatch")
    .description("watches a multimodal capture rig live and curates its recordings")
    .usage("<command> [options]")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ subcommandTerm: (cmd) => `${cmd.name()} ${cmd.usage()}` })
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      "after",
      `
Every command but sim, check, compress and completion takes --config FILE (JSON) and --set key=value
(repeatable); environment variables RIGWATCH__SECTION__KEY=value and RIGWATCH_CONFIG=FILE do the
same. Defaults: the curation spec's. \`rigwatch <command> --help\` for a command's options.`,
    );
  for (const spec of specs) {
    const command = program
      .command(spec.name)
      .summary(spec.summary)
      .description(paragraphs(spec.description))
      .usage(`${spec.args ? `${spec.args} ` : ""}[options]`)
      .helpOption("-h, --help", "show this help");
    // The body checks its own positionals (its messages name what is missing); commander only passes them.
    if (spec.args) command.argument("[args...]");
    for (const o of optionsOf(spec)) {
      const option = new Option(o.flags, o.description);
      command.addOption(o.repeatable ? option.argParser(collect) : option);
    }
    command.action(async (...args: unknown[]) => run(spec, args.at(-1) as Command));
  }
  return program;
}

/** The declarations' text is wrapped at 100 columns; commander wraps to the terminal, so join the lines of a paragraph (indented lines stay). */
export function paragraphs(text: string): string {
  return text.replace(/\n(?![\n ])/g, " ");
}
