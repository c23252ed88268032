/**
 * Runs `rigwatch compress` from sources, as cli/cli.ts would (which the lead wires up):
 *   node --import tsx test/compress/compressCli.ts [--jobs N] [--json] <files or folders>
 */
import { compress } from "../../cli/commands/compress.js";
import { UsageError } from "../../cli/UsageError.js";

try {
  process.exitCode = await compress(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`rigwatch compress: ${error.message}\n`);
  process.exitCode = 2;
}
