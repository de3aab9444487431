// The worker under test, in its own process so that its CPU and memory are its own: the real app
// with ROLE=worker, configured by the environment the bench passes. Answers "stats" over IPC.
import { createGreenlight } from "../src/app/index.js";
import { loadConfig } from "../src/config/index.js";
import { createLogger } from "../src/shared/logger.js";
import { Redactor } from "../src/shared/redact.js";

export interface WorkerStats {
  /** CPU time used so far, user + system, in ms. */
  cpuMs: number;
  /** Peak resident set size so far, in bytes. */
  maxRssBytes: number;
  /** process.memoryUsage() when the RSS was highest of the samples (every 2 s): where it went. */
  atPeak: NodeJS.MemoryUsage;
}

// Sampled, so the bench can say which part (JS heap, buffers, the rest) made the peak.
let atPeak = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > atPeak.rss) atPeak = now;
}, 2_000);
sampler.unref();

const config = loadConfig();
const logger = createLogger({
  level: config.env.LOG_LEVEL,
  redactor: new Redactor([config.env.BOT_TOKEN, ...config.instances.tokens()]),
  destination: process.stderr,
});
const app = createGreenlight(config, logger);

process.on("message", (message: unknown) => {
  if (message === "stats") {
    const cpu = process.cpuUsage();
    const stats: WorkerStats = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      atPeak,
    };
    process.send?.({ stats });
  } else if (message === "stop") {
    const forced = setTimeout(() => process.exit(1), 10_000);
    void app.stop().finally(() => {
      clearTimeout(forced);
      process.exit(0);
    });
  }
});

await app.start();
process.send?.({ ready: true });
