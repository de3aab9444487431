import type { Env } from "./env.js";
import { redisSecrets } from "./redis-connection.js";
import { instanceWebhookToken, telegramSecretToken } from "./webhook-secrets.js";

/** What of an instance is secret: its apiTokenInstance and, with WEBHOOK_SECRET, its webhook token. */
export function instanceSecrets(
  env: Pick<Env, "WEBHOOK_SECRET">,
  instance: { idInstance: string; apiTokenInstance: string },
): string[] {
  return [
    instance.apiTokenInstance,
    ...(env.WEBHOOK_SECRET ? [instanceWebhookToken(env.WEBHOOK_SECRET, instance.idInstance)] : []),
  ];
}

/**
 * Every secret the process holds at start, the derived ones included: what the logger's Redactor
 * masks. Instances learned later (a partner sync) add theirs through instanceSecrets.
 */
export function processSecrets(
  env: Env,
  instances: ReadonlyArray<{ idInstance: string; apiTokenInstance: string }>,
): string[] {
  const optional = [
    env.WEBHOOK_SECRET,
    env.TELEGRAM_WEBHOOK_SECRET,
    env.METRICS_TOKEN,
    env.GREEN_API_PARTNER_TOKEN,
  ].filter((secret): secret is string => secret !== undefined);
  return [
    env.BOT_TOKEN,
    telegramSecretToken(env),
    ...optional,
    ...redisSecrets(env),
    ...instances.flatMap((instance) => instanceSecrets(env, instance)),
  ];
}
