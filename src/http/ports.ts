import type { RefusalCounter } from "../shared/refusals.js";
import type { IgnoreReason } from "./green-api-webhook.js";
import type { IngestMetrics } from "./webhook-ingest.js";

/**
 * What the HTTP server counts and serves (observability/metrics.ts has all of it; app/ passes it
 * in): the webhook's answers, the requests it refuses, and the registry /metrics exposes.
 */
export interface HttpMetrics extends IngestMetrics, RefusalCounter {
  /** The Prometheus registry behind /metrics. */
  readonly registry: { metrics(): Promise<string>; readonly contentType: string };
  readonly webhooks: { inc(labels: { result: string }): void };
  readonly webhooksIgnored: { inc(labels: { reason: IgnoreReason }): void };
}

/**
 * The relay's answer to one authenticated notification (app/ passes src/relay's intake):
 * "queued" kept in Redis, "not-relayed" no target, "refused" not kept (answer 503).
 */
export type WebhookRelayAnswer =
  { kind: "queued" } | { kind: "not-relayed" } | { kind: "refused"; retryAfterSeconds: number };

export type WebhookRelay = (
  idInstance: string,
  body: Buffer,
  contentType: string,
) => Promise<WebhookRelayAnswer>;
