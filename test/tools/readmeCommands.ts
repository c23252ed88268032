/**
 * Rewrites README's command list from the CLI's declarations (`npm run readme:commands`); the test
 * test/cli/commands.test.ts fails while they differ.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withCommandList } from "../../cli/commandList.js";
import { COMMANDS } from "../../cli/commandSpecs.js";
import { PROJECT_ROOT } from "../helpers/paths.js";

const readme = join(PROJECT_ROOT, "README.md");
writeFileSync(readme, withCommandList(readFileSync(readme, "utf8"), COMMANDS));
