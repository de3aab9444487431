import { z } from "zod";
import { httpUrl, milliseconds, wholeNumber } from "./env-values.js";

/**
 * The webhook relay's settings (src/relay/, README "Keeping your application's notifications").
 * Part of envSchema; apart only to keep env.ts readable. No WEBHOOK_FORWARD_URL and no instance
 * with its own webhookForwardUrl: nothing is relayed, as before.
 */
export const relayEnvFields = {
  /** Where every instance without its own webhookForwardUrl has its notifications relayed. */
  WEBHOOK_FORWARD_URL: httpUrl("https://crm.example.com/green-api/webhook").optional(),
  /** Sent with WEBHOOK_FORWARD_URL as `Authorization: Bearer <token>`. */
  WEBHOOK_FORWARD_TOKEN: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{1,1024}$/, "use 1 to 1024 visible characters, no spaces (a header value)")
    .optional(),
  /** Notifications kept per instance for its application; beyond it GREEN-API gets a 503. */
  FORWARD_QUEUE_MAX: wholeNumber(1, 10_000_000).default(100_000),
  /** Bytes of notifications kept for every application together (Redis memory); then 503s. */
  FORWARD_QUEUE_MAX_BYTES: wholeNumber(1024 ** 2, 64 * 1024 ** 3).default(256 * 1024 ** 2),
  /** An application failing this long gets an alert; another message when it recovers. */
  FORWARD_ALERT_AFTER_MS: milliseconds(600_000, 0, 7 * 86_400_000),
  /** A notification refused this long after it came is dead-lettered (GREEN-API keeps 24 h). */
  FORWARD_MAX_AGE_MS: milliseconds(86_400_000, 1_000, 7 * 86_400_000),
  /** How long one forward may take before it counts as failed. */
  FORWARD_TIMEOUT_MS: milliseconds(10_000, 100, 120_000),
  /**
   * Private hosts (names or addresses, exactly as in the URL) that a forward target taken from
   * GREEN-API's settings by `/webhook on` may point at. Unset: none (only public ones).
   */
  FORWARD_PRIVATE_HOSTS: z
    .string()
    .transform((text) => text.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z.array(
        z.string().regex(/^[A-Za-z0-9.:_-]{1,253}$/, "must be comma-separated host names or IPs"),
      ),
    )
    .optional(),
  /** Instances forwarded at once per process (each one in order). */
  FORWARD_CONCURRENCY: wholeNumber(1, 1_000).default(128),
};

/** The relay's URLs carry customers' messages (and a token): https unless ALLOW_INSECURE_HTTP=1. */
export const RELAY_HTTPS_ONLY = ["WEBHOOK_FORWARD_URL"] as const;
