// Preloaded into a benchmarked child process: reports its peak resident set size when it exits.
process.on("exit", () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
