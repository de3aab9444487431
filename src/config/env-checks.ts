import { ConfigError } from "./errors.js";
import { RELAY_HTTPS_ONLY } from "./relay-env.js";

/** The variables these rules read (env.ts's Env has them all; no import back, no cycle). */
type Env = {
  ALLOW_INSECURE_HTTP: "0" | "1";
  BOT_MODE: "polling" | "webhook";
  HTTP_PORT?: number | undefined;
  TELEGRAM_WEBHOOK_SECRET?: string | undefined;
  WEBHOOK_SECRET?: string | undefined;
} & { [Name in (typeof HTTPS_ONLY)[number]]?: string | undefined };

/** The rules that involve more than one variable, after each has parsed on its own. */
export function checkAcrossVariables(env: Env): void {
  checkHttps(env);
  checkWebhookMode(env);
  checkTelegramSecretApart(env);
  checkTelegramWebhookPort(env);
}

/**
 * Tokens travel in URL paths: the bot token in every Bot API URL, the partner token and every
 * instance token in GREEN-API's. Plain http would show them to the network.
 */
const HTTPS_ONLY = [
  "TELEGRAM_API_ROOT",
  "GREEN_API_PARTNER_URL",
  "GREEN_API_URL",
  "WEBHOOK_URL",
  ...RELAY_HTTPS_ONLY,
  "PUBLIC_URL",
] as const;

function checkHttps(env: Env): void {
  if (env.ALLOW_INSECURE_HTTP === "1") return;
  for (const name of HTTPS_ONLY) {
    const url = env[name];
    if (url !== undefined && !url.startsWith("https://"))
      throw new ConfigError(
        `${name}: must be https (ALLOW_INSECURE_HTTP=1 allows http, for a server on loopback)`,
      );
  }
}

/**
 * WEBHOOK_SECRET is readable by GREEN-API and by anyone holding an instance token (0.2's shared
 * webhookUrlToken, getSettings): Telegram's secret set to the same value would let them post
 * updates "from" an admin again (issue #22, hole 1).
 */
function checkTelegramSecretApart(env: Env): void {
  const telegram = env.TELEGRAM_WEBHOOK_SECRET;
  if (telegram !== undefined && telegram === env.WEBHOOK_SECRET)
    throw new ConfigError(
      "TELEGRAM_WEBHOOK_SECRET: must differ from WEBHOOK_SECRET, which GREEN-API can read; choose another value, or unset it to derive one from BOT_TOKEN",
    );
}

/** Telegram delivers webhooks only to these ports (core.telegram.org/bots/api#setwebhook). */
export const TELEGRAM_WEBHOOK_PORTS: readonly number[] = [443, 80, 88, 8443];

/**
 * The port of WEBHOOK_URL as Telegram would call it. A local Bot API server (ALLOW_INSECURE_HTTP=1)
 * accepts any port, so the rule is Telegram's own, checked only without that switch.
 */
function checkTelegramWebhookPort(env: Env): void {
  if (env.BOT_MODE !== "webhook" || env.WEBHOOK_URL === undefined) return;
  if (env.ALLOW_INSECURE_HTTP === "1") return;
  const url = new URL(env.WEBHOOK_URL);
  const port = url.port === "" ? 443 : Number(url.port);
  if (!TELEGRAM_WEBHOOK_PORTS.includes(port))
    throw new ConfigError(
      `WEBHOOK_URL: Telegram sends webhooks only to port 443, 80, 88 or 8443 (not ${port}); forward one of them to HTTP_PORT`,
    );
}

/**
 * BOT_MODE=webhook needs the server and its public URL. Telegram's secret no longer comes from
 * WEBHOOK_SECRET (it was readable by GREEN-API), so that one is GREEN-API's alone.
 */
function checkWebhookMode(env: Env): void {
  if (env.BOT_MODE !== "webhook") return;
  for (const name of ["HTTP_PORT", "WEBHOOK_URL"] as const) {
    if (env[name] === undefined)
      throw new ConfigError(`${name}: is required with BOT_MODE=webhook`);
  }
}
