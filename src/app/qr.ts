import { hostname } from "node:os";
import { EditBudget } from "../telegram/pacing/index.js";
import { createQrSourceFactory, socketOptionsFor } from "../qr-session/qr-source.js";
import { QrWorker } from "../qr-session/qr-worker.js";
import { SessionRunner } from "../qr-session/session-runner.js";
import { SessionScreen } from "../telegram/session-screen.js";
import type { Part, Shared } from "./shared.js";

/** The QR session worker of a process with the worker role: polls GREEN-API, edits the photos. */
export function qrWorkerPart(shared: Shared): Part {
  const { config, settings, connections, store, greenApi, logger } = shared;
  const { env, instances } = config;
  const prefix = env.REDIS_PREFIX;
  const screen = new SessionScreen(shared.telegram.live(), env.QR_TIMEOUT_MS);
  const runner = new SessionRunner(
    {
      store,
      greenApi,
      screen,
      instances,
      logger,
      sources: createQrSourceFactory(
        env.QR_SOURCE,
        greenApi,
        socketOptionsFor(env.QR_TIMEOUT_MS, env.GREEN_API_TIMEOUT_MS),
      ),
      editBudget: new EditBudget(connections.main, {
        prefix,
        perSecond: env.QR_EDITS_PER_SECOND,
        burst: 2,
      }),
      chatSlots: shared.chatSlots,
      counters: shared.metrics,
    },
    {
      pollIntervalMs: env.QR_POLL_INTERVAL_MS,
      leaseMs: settings.leaseMs,
      stateCheckEveryMs: settings.stateCheckEveryMs,
      maxBackoffMs: settings.maxBackoffMs,
    },
  );
  const worker = new QrWorker(
    { runner, store, screen, logger: logger.child({ part: "worker" }) },
    {
      connection: connections.forBullMq(),
      prefix,
      concurrency: env.WORKER_CONCURRENCY,
      lockMs: settings.jobLockMs,
      stalledCheckMs: settings.stalledCheckMs,
    },
  );
  return {
    async start() {
      worker.start();
      await worker.waitUntilReady();
      logger.info({ concurrency: env.WORKER_CONCURRENCY, host: hostname() }, "QR worker started");
    },
    stop: () => worker.stop(),
  };
}
