import { type CommandFunction, type CommandSpec, optionsOf } from "./CommandSpec.js";
import { UsageError } from "./UsageError.js";

/** The long flag of an option's flags: "--out <dir>" → "--out". */
export const flagName = (flags: string): string => flags.split(/[ ,]/)[0] as string;

/** Whether an option takes a value ("--out <dir>"), so the word after it completes as a file. */
const takesValue = (flags: string) => /[<[]/.test(flags);

const shellWord = (text: string) => text.replace(/[^A-Za-z0-9_.,:/+ -]/g, "");

/** bash: commands at the first word, then the command's flags (files and folders elsewhere). */
function bash(specs: readonly CommandSpec[]): string {
  const cases = specs
    .map(
      (s) =>
        `    ${s.name}) opts="${[...optionsOf(s).map((o) => flagName(o.flags)), "--help"].join(" ")}" ;;`,
    )
    .join("\n");
  return `# rigwatch completion for bash: source <(rigwatch completion bash)
_rigwatch() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${specs.map((s) => s.name).join(" ")} help" -- "$cur"))
    return
  fi
  case \${COMP_WORDS[1]} in
${cases}
    *) opts="--help" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _rigwatch rigwatch
`;
}

/** zsh: commands with their summaries, then each command's flags with their descriptions. */
function zsh(specs: readonly CommandSpec[]): string {
  const commands = specs.map((s) => `    '${s.name}:${shellWord(s.summary)}'`).join("\n");
  const cases = specs
    .map((s) => {
      const options = optionsOf(s).map((o) => {
        const flag = flagName(o.flags);
        const spec = `${flag}[${shellWord(o.description).replace(/[[\]]/g, "")}]${takesValue(o.flags) ? ":value:_files" : ""}`;
        return `'${o.repeatable ? "*" : ""}${spec}'`;
      });
      return `    ${s.name}) _arguments ${[...options, "'--help[show help]'", "'*:file:_files'"].join(" ")} ;;`;
    })
    .join("\n");
  return `#compdef rigwatch
# rigwatch completion for zsh: rigwatch completion zsh > "\${fpath[1]}/_rigwatch"
_rigwatch() {
  local -a commands
  commands=(
${commands}
  )
  if (( CURRENT == 2 )); then
    _describe 'rigwatch command' commands
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
${cases}
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _rigwatch "$@"
else
  compdef _rigwatch rigwatch
fi
`;
}

export const SHELLS = { bash, zsh } as const;

/** `rigwatch completion bash|zsh`: the script for that shell on stdout. */
export function completionCommand(specs: readonly CommandSpec[]): CommandFunction {
  return async (argv) => {
    const [shell, ...rest] = argv;
    if (shell === undefined || rest.length > 0 || !(shell in SHELLS))
      throw new UsageError(
        `completion takes one shell: bash or zsh${shell === undefined ? "" : `, not "${argv.join(" ")}"`}`,
      );
    process.stdout.write(SHELLS[shell as keyof typeof SHELLS](specs));
    return 0;
  };
}
