import type { CommandSpec } from "./CommandSpec.js";

const WIDTH = 100;
const START = "<!-- commands: generated from cli/commandSpecs.ts by `npm run readme:commands` -->";
const END = "<!-- commands: end -->";

/** One option as a synopsis shows it: `[--out DIR]` (from "--out <DIR>"), `[--json]`. */
function synopsisOption(flags: string): string {
  const [flag, value] = flags.split(" ") as [string, string | undefined];
  return `[${flag}${value ? ` ${value.replace(/^[<[]|[>\]]$/g, "")}` : ""}]`;
}

/**
 * The synopsis of every command (config flags left out: they are the same for all), wrapped at 100
 * columns with continuation lines under the command's arguments: README's command list.
 */
export function commandList(specs: readonly CommandSpec[]): string {
  return specs
    .map((spec) => {
      const head = `rigwatch ${spec.name}`;
      const words = [...(spec.args ? [spec.args] : []), ...spec.options.map((o) => synopsisOption(o.flags))];
      const indent = " ".repeat(head.length + 1);
      const lines = [head];
      for (const word of words) {
        const last = lines.length - 1;
        if ((lines[last] as string).length + 1 + word.length > WIDTH && (lines[last] as string).trim() !== "")
          lines.push(`${indent}${word}`);
        else lines[last] = `${lines[last]} ${word}`;
      }
      return lines.join("\n");
    })
    .join("\n");
}

/** README's text with its command list replaced by the generated one (between the two markers). */
export function withCommandList(readme: string, specs: readonly CommandSpec[]): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README has no command list between "${START}" and "${END}"`);
  return `${readme.slice(0, start)}${START}\n\`\`\`\n${commandList(specs)}\n\`\`\`\n${readme.slice(end)}`;
}
