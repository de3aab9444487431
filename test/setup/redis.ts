// vitest globalSetup: gives every test file a real Redis. Prefers a private redis-server on a free
// port (no persistence, stopped at the end); falls back to REDIS_URL; fails saying how to get one.
// Tests read the URL with `redisUrl()` from test/kit/redis.ts.
import type { TestProject } from "vitest/node";
import { startPrivateOrGivenRedis } from "../kit/redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startPrivateOrGivenRedis("tests");
  project.provide("redisUrl", redis.url);
  return redis.stop;
}
