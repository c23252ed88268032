/**
 * Child process of the kill tests: compresses one file and SIGKILLs itself (a real kill, no cleanup
 * runs) when the named step is reached:
 *   node --import tsx test/compress/killAt.ts <file> <copied|written|verified|replacing> [index]
 */
import { type CompressProgress, compressEpisode } from "../../stages/compress/index.js";

const [path, step, index] = process.argv.slice(2) as [string, CompressProgress["step"], string | undefined];
await compressEpisode(path, {
  onProgress: (event) => {
    const at = "index" in event ? event.index : undefined;
    if (event.step === step && (index === undefined || Number(index) === at))
      process.kill(process.pid, "SIGKILL");
  },
});
console.log("finished without reaching the kill point");
