import type { Env } from "../config/index.js";
import { instanceTokenKey, instanceWebhookToken } from "../config/webhook-secrets.js";
import { GREEN_API_WEBHOOK_PATH } from "../http/server.js";
import type { Logger } from "../shared/logger.js";
import type { RelayBacklog, WebhookAudit } from "../webhook-setup/ports.js";
import { WebhookSetupStore } from "../webhook-setup/setup-store.js";
import { WebhookSetup } from "../webhook-setup/webhook-setup.js";
import type { Shared } from "./shared.js";

/**
 * greenlight's GREEN-API webhook as /webhook points instances at it, or the settings that are
 * missing for it: WEBHOOK_SECRET (the tokens), WEBHOOK_URL (the public address), HTTP_PORT (the
 * server). All three are read from this process's env, which every process of a deployment shares.
 */
export function greenlightWebhookOf(env: Env) {
  const missing = (["WEBHOOK_SECRET", "WEBHOOK_URL", "HTTP_PORT"] as const).filter(
    (name) => env[name] === undefined,
  );
  if (env.WEBHOOK_SECRET === undefined || env.WEBHOOK_URL === undefined || missing.length > 0)
    return { missing };
  const tokenKey = instanceTokenKey({
    BOT_TOKEN: env.BOT_TOKEN,
    WEBHOOK_SECRET: env.WEBHOOK_SECRET,
  });
  return {
    missing,
    greenlight: {
      url: `${env.WEBHOOK_URL}${GREEN_API_WEBHOOK_PATH}`,
      tokenOf: (idInstance: string) => instanceWebhookToken(tokenKey, idInstance),
    },
  };
}

/** The store of /webhook's records: the bot's commands and the HTTP server's notes share it. */
export function webhookSetupStore(shared: Shared): WebhookSetupStore {
  return new WebhookSetupStore(shared.connections.main, shared.config.env.REDIS_PREFIX);
}

/**
 * /webhook's core. `backlog`: the relay's reader of its queues, connected when the relay is
 * there (absent: /webhook shows no backlog).
 */
export function webhookSetup(
  shared: Shared,
  deps: { audit: WebhookAudit; logger: Logger; backlog?: RelayBacklog },
): WebhookSetup {
  return new WebhookSetup({
    calls: shared.greenApi,
    store: webhookSetupStore(shared),
    audit: deps.audit,
    logger: deps.logger,
    ...greenlightWebhookOf(shared.config.env),
    ...(deps.backlog ? { backlog: deps.backlog } : {}),
    ...(shared.config.env.FORWARD_PRIVATE_HOSTS
      ? { privateHosts: shared.config.env.FORWARD_PRIVATE_HOSTS }
      : {}),
  });
}
