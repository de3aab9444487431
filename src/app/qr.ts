import { hostname } from "node:os";
import { GREEN_API_RATE_LIMITS } from "../green-api/rate-limiter.js";
import { createQrSourceFactory, socketOptionsFor } from "../qr-session/qr-source.js";
import { QrWorker } from "../qr-session/qr-worker.js";
import { SessionRunner } from "../qr-session/session-runner.js";
import { SessionScreen } from "../telegram/session-screen.js";
import { type LinkPageParts, miniAppUrlOf } from "./link-page.js";
import { linking } from "./linking.js";
import { secretRights } from "./secret-rights.js";
import type { Part, Shared } from "./shared.js";

/** The QR session worker of a process with the worker role: polls GREEN-API, edits the photos. */
export function qrWorkerPart(shared: Shared, linkPage?: LinkPageParts): Part {
  const { config, settings, connections, store, greenApi, logger } = shared;
  const { env, instances } = config;
  const prefix = env.REDIS_PREFIX;
  const { onLinkedVia } = linking(shared);
  // A rendered QR waits for its chat's turn, then for the bot's slot right before the call, and
  // skips the edit when that slot is more than a poll away (the next poll sends the newest QR).
  const screen = new SessionScreen(
    shared.telegram.live(),
    env.QR_TIMEOUT_MS,
    env.QR_POLL_INTERVAL_MS,
    miniAppUrlOf(env.PUBLIC_URL),
  );
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
      chatSlots: shared.chatSlots,
      counters: shared.metrics,
      // A linking an opened /link page saw is credited to it: "through the link".
      onLinked: async (instance, userId, phone) => {
        const viaLink = await linkPage?.service
          .instanceLinked(instance.name, phone)
          .catch(() => false);
        return onLinkedVia(viaLink ? "link" : "qr")(instance, userId, phone);
      },
      ...(linkPage ? { broadcast: linkPage.channel } : {}),
      rights: secretRights(shared),
    },
    {
      pollIntervalMs: env.QR_POLL_INTERVAL_MS,
      phaseLocked: env.QR_POLL_SCHEDULE === "phase-locked",
      fastPollMs: GREEN_API_RATE_LIMITS.qr?.intervalMs ?? 400,
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
