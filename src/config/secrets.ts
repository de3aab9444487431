import type { Env } from "./env.js";
import { redisSecrets } from "./redis-connection.js";
import { instanceTokenKey, instanceWebhookToken, telegramSecretToken } from "./webhook-secrets.js";

/** What of an instance is secret: its apiTokenInstance and, with WEBHOOK_SECRET, its webhook token. */
export function instanceSecrets(
  env: Pick<Env, "BOT_TOKEN" | "WEBHOOK_SECRET">,
  instance: { idInstance: string; apiTokenInstance: string; webhookForwardToken?: string },
): string[] {
  const { BOT_TOKEN, WEBHOOK_SECRET } = env;
  const own = [
    instance.apiTokenInstance,
    ...(instance.webhookForwardToken ? [instance.webhookForwardToken] : []),
  ];
  if (WEBHOOK_SECRET === undefined) return own;
  const key = instanceTokenKey({ BOT_TOKEN, WEBHOOK_SECRET });
  return [...own, instanceWebhookToken(key, instance.idInstance)];
}

/**
 * Every secret the process holds at start, the derived ones included: what the logger's Redactor
 * masks. Instances learned later (a partner sync) add theirs through instanceSecrets.
 */
export function processSecrets(
  env: Env,
  instances: ReadonlyArray<{
    idInstance: string;
    apiTokenInstance: string;
    webhookForwardToken?: string;
  }>,
): string[] {
  const optional = [
    env.WEBHOOK_SECRET,
    env.TELEGRAM_WEBHOOK_SECRET,
    env.METRICS_TOKEN,
    env.GREEN_API_PARTNER_TOKEN,
    env.WEBHOOK_FORWARD_TOKEN,
  ].filter((secret): secret is string => secret !== undefined);
  return [
    env.BOT_TOKEN,
    telegramSecretToken(env),
    ...(env.WEBHOOK_SECRET
      ? [instanceTokenKey({ BOT_TOKEN: env.BOT_TOKEN, WEBHOOK_SECRET: env.WEBHOOK_SECRET })]
      : []),
    ...optional,
    ...redisSecrets(env),
    ...instances.flatMap((instance) => instanceSecrets(env, instance)),
  ];
}
