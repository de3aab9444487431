import { defineConfig } from "vitest/config";

/**
 * Files that assert on timing against real processes, pacing or rate limits (a QR within 10 s, a
 * takeover within 20 s, calls per second). They run one at a time, after the rest, so that
 * nothing else competes for this 2-core machine's CPU meanwhile.
 */
const timingSensitive = [
  "test/faults/**",
  "test/speed/**",
  "test/startup/**",
  "test/demo/**",
  "test/qr/chat-limits.test.ts",
  "test/qr/crash-resume.test.ts",
  "test/qr/end-states.test.ts",
  "test/qr/faults.test.ts",
  "test/qr/lease.test.ts",
  "test/qr/qr-session.test.ts",
  "test/qr/queue.test.ts",
  "test/alerts/alerts.test.ts",
  "test/alerts/digest.test.ts",
  "test/alerts/digest-pager.test.ts",
  "test/fixes/remembered-phone.test.ts",
  "test/fixes/states.test.ts",
  "test/fidelity/green-api-limits.test.ts",
  "test/fidelity/telegram-gone.test.ts",
  "test/toolkit/access.test.ts",
];

export default defineConfig({
  test: {
    // Starts a private redis-server (or checks REDIS_URL) once for the whole run, and gives the
    // run a folder for its one build of src/ (test/kit/app-build.ts).
    globalSetup: ["test/setup/redis.ts", "test/setup/app-build.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        // Most files wait on the fakes far more than they compute: two at a time.
        test: {
          name: "parallel",
          include: ["test/**/*.test.ts"],
          exclude: timingSensitive,
          maxWorkers: 2,
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
