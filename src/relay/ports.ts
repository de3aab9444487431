import type { RelayNoticeKind } from "./decisions.js";

/** Where an instance's notifications go: its application's URL and the token it expects. */
export interface RelayTarget {
  url: string;
  /** Sent as `Authorization: Bearer <token>`, the way GREEN-API sends its webhookUrlToken. */
  token?: string;
  /**
   * The URL came from outside (`/webhook on` kept it) and its host is not in FORWARD_PRIVATE_HOSTS:
   * connect only to public addresses, whatever the name resolves to (guarded-connect.ts).
   */
  publicOnly?: boolean;
}

/**
 * A target kept by `/webhook <instance> on` (src/webhook-setup/, another part): read after the
 * instances file and before WEBHOOK_FORWARD_URL. Undefined until that part is connected.
 */
export type StoredTarget = (idInstance: string) => Promise<RelayTarget | undefined>;

/** What the relay counts (observability's Metrics fits it; no per-instance label). */
export interface RelayCounters {
  relayForwarded(delaySeconds: number): void;
  relayFailed(reason: "status" | "timeout" | "network"): void;
  relayDeadLettered(): void;
  relayRefused(reason: "instance-full" | "bytes-full" | "unavailable"): void;
}

/** An application that has failed for FORWARD_ALERT_AFTER_MS, or recovered after that. */
export interface RelayNotice {
  kind: RelayNoticeKind;
  /** The instance's name. */
  instance: string;
  failingSince: number;
  /** The last failure, in a few words: "HTTP 500", "timeout", "network error". No body. */
  lastError?: string;
  /** Notifications waiting for the application. */
  backlog: number;
}

/** Where relay notices are shown (telegram/relay-notices.ts): the instance's alert audience. */
export interface RelayNotices {
  tell(notice: RelayNotice): Promise<void>;
}

/** One instance's backlog, for /status (every number from Redis, all processes together). */
export interface Backlog {
  count: number;
  bytes: number;
  /** When the oldest waiting notification came (ms). */
  oldestAt?: number;
  /** Since when its application has been failing (ms). */
  failingSince?: number;
  deadLettered: number;
}
