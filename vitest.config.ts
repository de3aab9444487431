import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Starts a private redis-server (or checks REDIS_URL) once for the whole run.
    globalSetup: ["test/setup/redis.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    fileParallelism: true,
  },
});
