import { loadConfig } from "./config/index.js";
import { exportEpisode } from "./stages/export/exportEpisode.js";
const config = loadConfig({ env: {}, sets: [] });
const c0 = process.cpuUsage();
const r = await exportEpisode(process.argv[2] ?? "test/.generated/recorder/faulted/episode_000.h5", { key: "faulted/episode_000", out: "/tmp/f.mcap", config });
const c = process.cpuUsage(c0);
console.log(r.seconds, r.bytes, "cpu", (c.user + c.system) / 1e6, "rss", process.memoryUsage().rss / 1e6);
