// Preloaded into a benchmarked child process: reports its peak resident set size when it exits.
process.on("exit", () => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\nBENCH_MAX_RSS_KB=${usage.maxRSS}\nBENCH_CPU_S=${(usage.userCPUTime + usage.systemCPUTime) / 1e6}\n`,
  );
});
