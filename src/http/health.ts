import type { Redis } from "ioredis";

export interface HealthReport {
  status: "ok" | "degraded";
  redis: "up" | "down";
  /** Worker processes connected to the watcher queue (each also runs QR sessions). */
  workers: number | null;
  /** When the state watcher last finished a run (ISO time), null if never. */
  lastWatcherRun: string | null;
  lastWatcherRunAgeMs: number | null;
}

export interface HealthSources {
  redis: Redis;
  workerCount: () => Promise<number>;
  lastWatcherRun: () => Promise<number | undefined>;
  /** A run older than this means the watcher is stuck or gone; undefined: the watcher is off. */
  watcherStaleAfterMs: number | undefined;
  /** When this process started: before the first run is due, "never" is fine. */
  startedAt: number;
}

/** Each probe gets this long: /healthz answers quickly even with Redis gone. */
const PROBE_TIMEOUT_MS = 1_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** Redis reachable, a worker alive, the watcher running: all three, or "degraded" (HTTP 503). */
export async function checkHealth(sources: HealthSources, now = Date.now()): Promise<HealthReport> {
  const pong = await within(sources.redis.ping(), PROBE_TIMEOUT_MS);
  if (pong !== "PONG") {
    return {
      status: "degraded",
      redis: "down",
      workers: null,
      lastWatcherRun: null,
      lastWatcherRunAgeMs: null,
    };
  }
  const [workers, lastRun] = await Promise.all([
    within(sources.workerCount(), PROBE_TIMEOUT_MS),
    within(sources.lastWatcherRun(), PROBE_TIMEOUT_MS),
  ]);
  const age = lastRun === undefined ? undefined : now - lastRun;
  const staleAfter = sources.watcherStaleAfterMs;
  const watcherOk =
    staleAfter === undefined ||
    (age !== undefined ? age <= staleAfter : now - sources.startedAt <= staleAfter);
  return {
    status: watcherOk && (workers ?? 0) > 0 ? "ok" : "degraded",
    redis: "up",
    workers: workers ?? null,
    lastWatcherRun: lastRun === undefined ? null : new Date(lastRun).toISOString(),
    lastWatcherRunAgeMs: age ?? null,
  };
}
