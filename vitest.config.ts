import { defineConfig } from "vitest/config";

/**
 * Files whose assertions have an upper bound in time that CPU contention could break: a takeover
 * or a restart within 20 s, an exit within 10 s of SIGTERM, calls per second under a rate limit or
 * a pacing, "stops within one poll interval". They run one at a time, after the rest, so that
 * nothing else competes for this 2-core machine's CPU meanwhile. A file that only waits (a fixed
 * outage, the watcher's checks, a Telegram retry_after) and whose bounds are lower bounds or
 * generous timeouts is not here: a loaded machine makes it slower, never wrong.
 */
const timingSensitive = [
  // real processes: takeover / restart / exit budgets, two pollers never at once
  "test/faults/crashes.test.ts",
  "test/faults/shared-checks.test.ts",
  "test/faults/shutdown.test.ts",
  "test/faults/takeover.test.ts",
  "test/e2e/qr/crash-resume.test.ts",
  "test/e2e/startup/npm-start.test.ts",
  // Redis failover and read-only recovery within a bound
  "test/faults/redis-failover.test.ts",
  "test/faults/redis-planned-failover.test.ts",
  "test/faults/redis-readonly.test.ts",
  // pacing and rate limits: at most so many calls in a window
  "test/speed/**",
  "test/e2e/qr/chat-limits.test.ts",
  "test/fidelity/green-api-limits.test.ts",
  // polling stops within one poll interval; leases expire on the clock
  "test/e2e/qr/cancel-timing.test.ts",
  "test/unit/qr-session/lease.test.ts",
  // the watcher's checks of an instance arrive at least 1 s apart (in parallel under load, two
  // arrived 18 ms closer), and an alert's QR is caught before the fake rotates it (1.5 s)
  "test/e2e/alerts/alerts.test.ts",
  // 200 instances under Telegram's flood limits; the digest must be edited as more join (in
  // parallel with other files all 200 can land in one run: no edit, a false failure)
  "test/e2e/alerts/digest.test.ts",
  "test/e2e/alerts/digest-pager.test.ts",
  // a headless browser beside the bot
  "test/e2e/demo/**",
];

export default defineConfig({
  test: {
    // Starts a private redis-server (or checks REDIS_URL) once for the whole run, and gives the
    // run a folder for its one build of src/ (test/kit/app-build.ts).
    globalSetup: ["test/setup/redis.ts", "test/setup/app-build.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // A worker process runs file after file with the modules it has loaded: each file no longer
    // loads the app, grammY, BullMQ and jimp again (about half the CPU of a file that starts the
    // app, and more wall time than its tests on a loaded machine). Safe because no test changes
    // module state: no vi.mock/spyOn/stubEnv/stubGlobal, fake timers are put back in afterEach,
    // every harness and server is closed in afterEach/afterAll, and each app has its own
    // Redis prefix and metrics registry.
    isolate: false,
    projects: [
      {
        extends: true,
        // Most files wait on the fakes far more than they compute: three at a time on two cores
        // (their bounds are lower bounds or generous timeouts: load makes them slower, never wrong).
        test: {
          name: "parallel",
          include: ["test/**/*.test.ts"],
          exclude: timingSensitive,
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "one-at-a-time",
          include: timingSensitive.map((glob) =>
            glob.endsWith("**") ? `${glob}/*.test.ts` : glob,
          ),
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
