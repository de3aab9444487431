import type { Transformer } from "grammy";
import type { Access } from "../access/access.js";
import type { ApplyRequests } from "../alerts/apply-requests.js";
import type { Config } from "../config/index.js";
import type { DerivedSettings } from "../config/derived.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Queues } from "../jobs/queues.js";
import type { Metrics } from "../observability/metrics.js";
import type { ChatPacer, ChatSlots } from "../telegram/pacing/index.js";
import type { SessionStore } from "../qr-session/session-store.js";
import type { Logger } from "../shared/logger.js";
import type { Connections } from "./connections.js";
import type { TelegramApiFactory } from "./telegram-api.js";

/** What every part of the process shares, built once in app/index.ts. */
export interface Shared {
  config: Config;
  settings: DerivedSettings;
  logger: Logger;
  connections: Connections;
  access: Access;
  metrics: Metrics;
  greenApi: GreenApiClient;
  /** The bot-wide and per-chat Telegram budgets (telegram/pacing), and the transformer that applies them. */
  pacer: ChatPacer;
  pacing: Transformer;
  telegram: TelegramApiFactory;
  store: SessionStore;
  chatSlots: ChatSlots;
  /** Every BullMQ queue this process adds to, opened once (src/jobs). */
  queues: Queues;
  /** Asks for the watcher's apply runs (shard checks and webhooks alike), a few a second at most. */
  watchApply: ApplyRequests;
}

/** One part of the process: it starts, and it stops (letting work in flight end, or handing it back). */
export interface Part {
  start(): Promise<void>;
  stop(): Promise<void>;
}
