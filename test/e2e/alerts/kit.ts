// Helpers for the alert tests: a harness with the watcher on, waiting on the watcher's own
// GREEN-API checks (never on the clock), and the alert messages as an operator sees them.
import { Redis } from "ioredis";
import type { StoredMessage } from "../../fakes/fake-telegram.js";
import {
  type Harness,
  type HarnessOptions,
  OPERATOR,
  startHarness,
  type TestInstance,
} from "../../kit/app-harness.js";
import { textMessages } from "../../kit/chat.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";

export const WEBHOOK_SECRET = "webhook-secret-0123456789abcdef";

/** The real app with the state watcher polling every 300 ms and the HTTP server on a free port. */
export async function startWatching(
  options: HarnessOptions & { authorized?: boolean } = {},
): Promise<Harness> {
  const h = await startHarness({
    ...options,
    start: false,
    env: {
      STATE_POLL_INTERVAL_MS: "300",
      HTTP_PORT: "0",
      HTTP_HOST: "127.0.0.1",
      WEBHOOK_SECRET,
      ...options.env,
    },
  });
  if (options.authorized !== false) {
    for (const instance of h.config.instances.all()) {
      h.greenApi.instance(instance.idInstance).state = "authorized";
    }
  }
  await h.app.start();
  return h;
}

/** Waits until the watcher has checked each instance `count` more times (answered checks). */
export async function checksPass(
  h: Harness,
  instances: TestInstance | TestInstance[],
  count = 1,
): Promise<void> {
  const list = Array.isArray(instances) ? instances : [instances];
  const answered = (instance: TestInstance) =>
    h.greenApi.callsOf("getStateInstance", instance.idInstance).filter((c) => c.status !== 0)
      .length;
  const targets = list.map((instance) => [instance, answered(instance) + count] as const);
  await eventually(
    () => targets.every(([instance, target]) => answered(instance) >= target),
    `${count} more state checks of ${list.map((i) => i.name).join(", ")}`,
    15_000,
  );
}

/**
 * Waits until the watcher's first run has checked every instance (however early it ran) and
 * taken in what it saw (the checks run in shard jobs; a watch job applies their observations).
 */
export async function firstRunDone(h: Harness): Promise<void> {
  await eventually(
    () =>
      h.config.instances
        .all()
        .every((i) =>
          h.greenApi.callsOf("getStateInstance", i.idInstance).some((c) => c.status !== 0),
        ),
    "the watcher's first run",
  );
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  try {
    const lastRun = `${h.config.env.REDIS_PREFIX}:alerts:last-run`;
    await eventually(async () => (await redis.exists(lastRun)) === 1, "the first run applied");
  } finally {
    redis.disconnect();
  }
}

/** Messages greenlight sent in a chat that are alerts (text messages, not command replies). */
export function alertsIn(h: Harness, chatId = OPERATOR): StoredMessage[] {
  return textMessages(h, chatId).filter((message) =>
    /🔴|📡|🔎|✅ .* (recovered|linked by)|✅ GREEN-API answers/u.test(message.text ?? ""),
  );
}

export function httpUrl(h: Harness, path: string): string {
  const port = h.app.httpPort();
  if (port === undefined) throw new Error("the HTTP server is not running");
  return `http://127.0.0.1:${port}${path}`;
}

export function stateNotification(idInstance: string | number, stateInstance: string) {
  return {
    typeWebhook: "stateInstanceChanged",
    instanceData: {
      idInstance: Number(idInstance),
      wid: "79001234567@c.us",
      typeInstance: "whatsapp",
    },
    timestamp: Math.floor(Date.now() / 1000),
    stateInstance,
  };
}

export function postWebhook(
  h: Harness,
  body: unknown,
  /** null: no Authorization header at all. */
  authorization: string | null = `Bearer ${WEBHOOK_SECRET}`,
): Promise<Response> {
  return fetch(httpUrl(h, "/green-api/webhook"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization === null ? {} : { authorization }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * Waits until the watcher has remembered the numbers of `count` instances (it asks getWaSettings
 * after a run that saw them authorized): alerts sent after that offer "Code to +7 900 ···67".
 */
export async function phonesRemembered(h: Harness, count = 1): Promise<void> {
  await eventually(
    () => h.logLines.filter((line) => line.includes("phone number remembered")).length >= count,
    `${count} remembered phone number(s)`,
  );
}
