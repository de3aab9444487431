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
