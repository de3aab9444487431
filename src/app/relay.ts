import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { AlertAudience } from "../alerts/audience.js";
import type { Env } from "../config/index.js";
import type { RelayTarget, StoredTarget } from "../relay/ports.js";
import { RelayIntake } from "../relay/relay-intake.js";
import { RelayStore } from "../relay/relay-store.js";
import { RelayWorker } from "../relay/relay-worker.js";
import { RelayTargets } from "../relay/targets.js";
import { TelegramRelayNotices } from "../telegram/relay-notices.js";
import type { Part, Shared } from "./shared.js";

/** With Sentinel, how long the 200 waits for a replica to hold the notification too. */
const REPLICA_ACK_MS = 500;

export interface RelayParts {
  /** The webhook's way in (any process with HTTP_PORT). */
  intake: RelayIntake;
  /** The forwarding workers (processes with the worker role). */
  worker: Part;
}

function fallbackTarget(env: Env): RelayTarget | undefined {
  if (!env.WEBHOOK_FORWARD_URL) return undefined;
  return {
    url: env.WEBHOOK_FORWARD_URL,
    ...(env.WEBHOOK_FORWARD_TOKEN ? { token: env.WEBHOOK_FORWARD_TOKEN } : {}),
  };
}

/**
 * The webhook relay, or nothing when no instance can have a target (no WEBHOOK_FORWARD_URL, no
 * webhookForwardUrl in the file, no stored targets): then the webhook behaves as before.
 * `storedTarget` is `/webhook on`'s (src/webhook-setup/), connected by whoever adds it.
 */
export function relayParts(
  shared: Shared,
  options: { storedTarget?: StoredTarget } = {},
): RelayParts | undefined {
  const { config, connections, metrics, logger: root } = shared;
  const { env, instances } = config;
  const logger = root.child({ part: "relay" });
  const fallback = fallbackTarget(env);
  const targets = new RelayTargets({
    instances,
    ...(options.storedTarget ? { storedTarget: options.storedTarget } : {}),
    ...(fallback ? { fallback } : {}),
    ...(env.FORWARD_PRIVATE_HOSTS ? { privateHosts: env.FORWARD_PRIVATE_HOSTS } : {}),
  });
  if (targets.none) return undefined;
  const store = new RelayStore(connections.failFast(), env.REDIS_PREFIX, {
    limits: { maxPerInstance: env.FORWARD_QUEUE_MAX, maxBytes: env.FORWARD_QUEUE_MAX_BYTES },
    ...(env.REDIS_SENTINELS ? { replicaAckMs: REPLICA_ACK_MS } : {}),
  });
  metrics.countRelayBacklogWith(() => store.totals());
  const audience = new AlertAudience(instances, shared.access, env.ALERT_CHAT_IDS);
  const forwarding =
    env.ROLE === "bot"
      ? undefined
      : new RelayWorker(
          {
            store,
            targets,
            instances,
            counters: metrics,
            notices: new TelegramRelayNotices({
              api: shared.telegram.alerts(),
              language: shared.alertLanguage,
              chatsFor: (name) => audience.chatsFor(name),
            }),
            logger,
          },
          {
            holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
            concurrency: env.FORWARD_CONCURRENCY,
            timeoutMs: env.FORWARD_TIMEOUT_MS,
            maxAgeMs: env.FORWARD_MAX_AGE_MS,
            alertAfterMs: env.FORWARD_ALERT_AFTER_MS,
          },
        );
  const intake = new RelayIntake({
    store,
    targets,
    counters: metrics,
    logger,
    ...(forwarding ? { wake: () => forwarding.wake() } : {}),
  });
  return {
    intake,
    worker: {
      async start() {
        forwarding?.start();
      },
      async stop() {
        await forwarding?.stop();
      },
    },
  };
}
