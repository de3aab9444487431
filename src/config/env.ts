import { isIP } from "node:net";
import { z } from "zod";
import { isSupportedCountry } from "libphonenumber-js/max";
import {
  decimalNumber,
  durationList,
  httpUrl,
  milliseconds,
  oneOf,
  redisUrl,
  wholeNumber,
} from "./env-values.js";
import { checkAcrossVariables } from "./env-checks.js";
import { ConfigError, describeZodIssue } from "./errors.js";
import { redisPassword, sentinelList, sentinelName } from "./redis-connection.js";
import { relayEnvFields } from "./relay-env.js";

const telegramIdList = z
  .string()
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^-?\d{1,20}$/, "must be comma-separated numeric Telegram ids")))
  .transform((ids) => ids.map(Number));

const userIdList = telegramIdList.pipe(
  z.array(z.number().positive("user ids are positive")).min(1, "list at least one user id"),
);

/** The environment contract (README "Configuration"); every variable a process reads is here. */
export const envSchema = z.object({
  BOT_TOKEN: z
    .string({ error: "is required (get one from @BotFather)" })
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "does not look like a bot token from @BotFather"),
  /**
   * Operators of every instance that does not list its own (README "Who may do what"). Unset
   * (and no ADMIN_IDS): set-up mode, where the bot only tells people their id (inSetupMode).
   */
  OPERATOR_IDS: userIdList.optional(),
  /** Admins of every instance. Unset: operators may also log out and reboot, as before 0.2. */
  ADMIN_IDS: userIdList.optional(),
  /** Viewers of every instance that does not list its own: /status and alerts only. */
  VIEWER_IDS: userIdList.optional(),
  /**
   * Chats where QR codes and pairing codes may be shown besides the asker's private chat.
   * Unset: the ALERT_CHAT_IDS, since the admin chose those chats.
   */
  SECRET_CHAT_IDS: telegramIdList.optional(),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "use at least 16 characters").max(256).optional(),
  /**
   * `1`: apiUrl, TELEGRAM_API_ROOT, GREEN_API_PARTNER_URL, GREEN_API_URL, WEBHOOK_URL and PUBLIC_URL may be
   * plain http, and WEBHOOK_URL any port (local fakes, a Bot API server on loopback).
   */
  ALLOW_INSECURE_HTTP: oneOf(["0", "1"]).default("0"),
  INSTANCES_FILE: z.string().min(1).default("./instances.json"),
  REDIS_URL: redisUrl.default("redis://127.0.0.1:6379"),
  /** Set: every connection finds the primary through these Sentinels and REDIS_URL is not used. */
  REDIS_SENTINELS: sentinelList.optional(),
  REDIS_SENTINEL_NAME: sentinelName,
  REDIS_SENTINEL_PASSWORD: redisPassword.optional(),
  /** Password of the Redis servers (Sentinel's primary and replicas; a REDIS_URL without one). */
  REDIS_PASSWORD: redisPassword.optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "use letters, digits, _ or - (no ':')")
    .default("greenlight"),
  TELEGRAM_API_ROOT: httpUrl("https://api.telegram.org")
    .default("https://api.telegram.org")
    .transform((url) => url.replace(/\/+$/, "")),
  ALERT_CHAT_IDS: telegramIdList.optional(),
  QR_POLL_INTERVAL_MS: milliseconds(1000, 100, 60_000),
  QR_TIMEOUT_MS: milliseconds(600_000, 5_000, 3_600_000),
  // 0 turns the watcher (alerts) off. Below 1 s only for tests: an instance is still checked at
  // most once a second.
  STATE_POLL_INTERVAL_MS: milliseconds(60_000, 0, 3_600_000).refine(
    (ms) => ms === 0 || ms >= 100,
    "use 0 (off) or at least 100",
  ),
  /**
   * Language of alert messages and the admins' news (they go to chats, not to one person).
   * Unset: the first admin's (or operator's) Telegram language once they write, else English.
   */
  ALERT_LANGUAGE: oneOf(["en", "ru"]).optional(),
  /** The HTTP server (webhooks, /healthz, /metrics); off when unset. 0 picks a free port. */
  HTTP_PORT: wholeNumber(0, 65_535).optional(),
  /** Loopback unless told otherwise: /metrics and the webhooks are not for the whole network. */
  HTTP_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * Turns GREEN-API's webhook on; each instance's webhookUrlToken is derived from it
   * (config/webhook-secrets.ts, `npm run webhook-tokens`). Before 0.3.0 it was the token of every
   * instance: that still works in 0.3.x, with a warning.
   */
  WEBHOOK_SECRET: z.string().min(16, "use at least 16 characters").max(256).optional(),
  /**
   * 1: WEBHOOK_SECRET itself, 0.2.0's one token for every instance, is still accepted (with a
   * warning), so an upgraded deployment keeps its alerts. 0: only each instance's own token; set
   * it once every instance has its own.
   */
  WEBHOOK_ACCEPT_SHARED_SECRET: oneOf(["0", "1"]).default("1"),
  /** Telegram's secret_token in BOT_MODE=webhook. Unset: derived from BOT_TOKEN. */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{16,256}$/,
      "use 16 to 256 characters of A-Z a-z 0-9 _ - (Telegram's rule)",
    )
    .optional(),
  /**
   * GREEN-API notifications held between their 200 and the Redis write; beyond it the webhook
   * answers 503 and GREEN-API sends the notification again (about a minute later).
   */
  WEBHOOK_QUEUE_MAX: wholeNumber(1, 1_000_000).default(10_000),
  /** Notifications handed to Redis at once, behind the 200. */
  WEBHOOK_CONCURRENCY: wholeNumber(1, 256).default(8),
  /** `webhook`: Telegram posts updates to WEBHOOK_URL/telegram/webhook instead of long polling. */
  BOT_MODE: oneOf(["polling", "webhook"]).default("polling"),
  ...relayEnvFields,
  /** Public https base URL of the HTTP server, for BOT_MODE=webhook. */
  WEBHOOK_URL: httpUrl("https://bot.example.com")
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  GREEN_API_TIMEOUT_MS: milliseconds(15_000, 500, 120_000),
  /** How long start-up waits for Telegram (retrying every 5 s) and, up to 15 s, for Redis. */
  STARTUP_TIMEOUT_MS: milliseconds(60_000, 1_000, 600_000),
  /**
   * A QR session's lease (and BullMQ's lock on its job): a dead worker's sessions continue
   * elsewhere within about 1.5 times this plus a poll (docs/reliability.md). It was 30 s before
   * 0.2.0, which kept a crashed session's QR still for over a minute.
   */
  SESSION_LOCK_MS: milliseconds(6_000, 2_000, 600_000),
  /**
   * A GREEN-API partner token: the instances come from the account (getInstances) as well as the
   * instances file, which then becomes optional. A secret like the instance tokens.
   */
  GREEN_API_PARTNER_TOKEN: z
    .string()
    .trim()
    .min(10, "looks too short for a partner token")
    .optional(),
  /** Where the partner API is (the console shows it). */
  GREEN_API_PARTNER_URL: httpUrl("https://api.green-api.com")
    .default("https://api.green-api.com")
    .transform((url) => url.replace(/\/+$/, "")),
  /** apiUrl of instances learned from the partner account (the file may say otherwise). */
  GREEN_API_URL: httpUrl("https://api.greenapi.com")
    .default("https://api.greenapi.com")
    .transform((url) => url.replace(/\/+$/, "")),
  /** How often the partner account is asked for its instances. */
  PARTNER_SYNC_INTERVAL_MS: milliseconds(600_000, 1_000, 86_400_000),
  /**
   * The watcher's state checks per second for the whole fleet, every process together (Redis
   * GCRA), so a fleet never floods GREEN-API from one IP; 0: no fleet cap (per-instance limits
   * still hold).
   */
  GREEN_API_REQUESTS_PER_SECOND: decimalNumber(0, 10_000).default(50),
  /** How long a pairing code works (GREEN-API: about 2.5 minutes). */
  PAIRING_CODE_TTL_MS: milliseconds(150_000, 2_000, 600_000),
  /** At most one pairing-code request per instance this often (repeats can lock an instance). */
  PAIRING_CODE_COOLDOWN_MS: milliseconds(30_000, 0, 600_000),
  /** A /logout or /reboot confirmation does nothing after this. */
  CONFIRM_TTL_MS: milliseconds(60_000, 1_000, 600_000),
  WORKER_CONCURRENCY: wholeNumber(1, 5000).default(600),
  /**
   * `auto`: GREEN-API's scanqrcode socket, checked by a poll once per rotation (a socket that
   * missed a QR is dropped for the session); `websocket`: the socket, polling only when it fails;
   * `poll` (the default): GET qr only.
   */
  // auto stays opt-in until the demo's scan-after-cancel case is understood (docs/benchmarks.md).
  QR_SOURCE: oneOf(["poll", "websocket", "auto"]).default("poll"),
  /**
   * `phase-locked`: learn when each QR rotates and poll at GREEN-API's 3/s only around the next
   * rotation, slower in between (the same calls per rotation); `steady`: every QR_POLL_INTERVAL_MS.
   */
  QR_POLL_SCHEDULE: oneOf(["phase-locked", "steady"]).default("phase-locked"),
  /**
   * The share of the bot's send budget (TELEGRAM_BOT_SENDS_PER_SECOND) that QR rotations may use:
   * it sizes QR_MAX_SESSIONS (one edit per ~20 s rotation per session), which bounds their edits.
   */
  QR_EDITS_PER_SECOND: wholeNumber(1, 28).default(28),
  /**
   * Live QR sessions across all workers; more wait their turn in order, and the operator is told.
   * Unset: 90 % of what the edit budget sustains at one edit per ~20 s QR rotation per session.
   */
  QR_MAX_SESSIONS: wholeNumber(1, 10_000).optional(),
  /**
   * Live QR sessions per group chat; more wait their turn there. A group allows a bot ~20
   * messages a minute and a live QR costs 3 edits a minute, plus the photos and final cards: at
   * 4 the group's line of edits grew long enough in the soak that a QR could expire before its turn.
   */
  QR_MAX_SESSIONS_PER_GROUP: wholeNumber(1, 50).default(3),
  /** Sends and edits per second for the whole bot, all processes together (Telegram: about 30); 0: not paced. */
  TELEGRAM_BOT_SENDS_PER_SECOND: wholeNumber(0, 30).default(28),
  /** Sends and edits per minute in one group (Telegram: about 20); 0: not paced. */
  TELEGRAM_GROUP_SENDS_PER_MINUTE: wholeNumber(0, 60).default(19),
  /** Sends and edits per second in one private chat (Telegram: about 1); 0: not paced. */
  TELEGRAM_PRIVATE_SENDS_PER_SECOND: wholeNumber(0, 30).default(1),
  /**
   * How /code reads a phone number typed without "+" or "00" ("8 900 123-45-67" with RU). Unset:
   * such a number is asked about again, with its country code.
   */
  DEFAULT_PHONE_COUNTRY: z
    .string()
    .trim()
    .toUpperCase()
    .transform((code, ctx) => {
      if (isSupportedCountry(code)) return code;
      ctx.issues.push({
        code: "custom",
        input: code,
        message:
          "must be an ISO 3166 alpha-2 country code with phone numbering rules, e.g. RU, DE or GB",
      });
      return z.NEVER;
    })
    .optional(),
  /** `starting` this long alerts with a Reboot button (GREEN-API: up to 5 minutes is normal). */
  STARTING_TOO_LONG_MS: milliseconds(300_000, 1_000, 3_600_000),
  /** `1`: the watcher reboots an instance stuck starting by itself, once per incident (audited). */
  AUTO_REBOOT_STARTING: oneOf(["0", "1"]).default("0"),
  /**
   * Early warnings, in ms since the phone last sent a message (an outgoingMessageReceived
   * webhook): WhatsApp unlinks after about 14 days offline. Default 10 and 13 days.
   */
  OFFLINE_WARN_AFTER_MS: durationList("864000000,1123200000", 5),
  /** Set with ESCALATION_CHAT_IDS: an incident nobody claimed or fixed this long is re-sent there, once. */
  ESCALATE_AFTER_MS: milliseconds(0, 0, 7 * 86_400_000),
  ESCALATION_CHAT_IDS: telegramIdList.optional(),
  /**
   * An authorized instance whose send queue (showMessagesQueue) stays non-empty and does not move
   * this long alerts, with Reboot. 0: queues are not read. Below 1 s only for tests.
   */
  STUCK_AFTER_MS: milliseconds(900_000, 0, 86_400_000).refine(
    (ms) => ms === 0 || ms >= 100,
    "use 0 (off) or at least 100",
  ),
  /**
   * How often each authorized instance's queue is read (at most once per state check):
   * GREEN-API allows showMessagesQueue once a second per instance.
   */
  QUEUE_CHECK_INTERVAL_MS: milliseconds(60_000, 1_000, 3_600_000),
  /** 1: /metrics gives greenlight_instance_up one series per instance; 0: one fleet count. */
  METRICS_INSTANCE_LABELS: oneOf(["0", "1"]).default("0"),
  /** /history keeps each instance's incidents this many days (and the uptime's watched spans). */
  HISTORY_DAYS: wholeNumber(1, 366).default(90),
  /** Hard cap on the incidents kept per instance, the newest kept: bounds Redis whatever flaps. */
  HISTORY_MAX_INCIDENTS: wholeNumber(10, 100_000).default(1_000),
  LOG_LEVEL: oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `auto`: readable lines on a terminal (pino-pretty), JSON lines otherwise. */
  LOG_FORMAT: oneOf(["auto", "json", "pretty"]).default("auto"),
  ROLE: oneOf(["all", "bot", "worker"]).default("all"),
  /** The link page's public base URL (README "Link without the team"). Unset: /link is off. */
  PUBLIC_URL: httpUrl("https://greenlight.example.com")
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /** How long a /link link lives (at most a day). */
  LINK_TTL_MS: milliseconds(30 * 60_000, 60_000, 86_400_000),
  LINK_MAX_PER_INSTANCE: wholeNumber(1, 20).default(3),
  /** Proxies whose X-Forwarded-For is believed (exact addresses); unset: none is. */
  TRUSTED_PROXIES: z
    .string()
    .transform((text) => text.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z.array(z.string().refine((ip) => isIP(ip) !== 0, "must be comma-separated IP addresses")),
    )
    .optional(),
  /** `1`: the link page's audit entries keep the visitor's IP address. */
  AUDIT_IPS: oneOf(["0", "1"]).default("0"),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty value means "not set", as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    // Name the variable only: "OPERATOR_IDS", not "OPERATOR_IDS[0]" of its parsed list.
    const issue = result.error.issues[0];
    throw new ConfigError(describeZodIssue(issue && { ...issue, path: issue.path.slice(0, 1) }));
  }
  checkAcrossVariables(result.data);
  return result.data;
}

/**
 * Nobody may use the bot yet: a first run, before anyone knows their Telegram id. The bot then
 * answers everyone with their id and the OPERATOR_IDS line for .env, and does nothing else.
 */
export function inSetupMode(env: Env): boolean {
  return !env.OPERATOR_IDS && !env.ADMIN_IDS;
}

/** The user ids of the team; the access model's input (src/access/roles.ts). */
export function teamOf(env: Env) {
  return {
    adminIds: env.ADMIN_IDS ?? [],
    operatorIds: env.OPERATOR_IDS ?? [],
    viewerIds: env.VIEWER_IDS ?? [],
  };
}

/** Chats trusted with QR codes and pairing codes besides private chats (SECRET_CHAT_IDS). */
export function secretChatsOf(env: Env): readonly number[] {
  return env.SECRET_CHAT_IDS ?? env.ALERT_CHAT_IDS ?? [];
}
