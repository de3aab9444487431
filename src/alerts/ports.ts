import type { MessageRef, ScreenOutcome } from "../shared/screen.js";
import type { AlertItem } from "./watch-state.js";

export type { MessageRef, ScreenOutcome } from "../shared/screen.js";

/**
 * Where alerts are shown: one message per chat listing its items, re-drawn from the items on
 * every edit (telegram/alert-channel.ts). `actionable` says which instances' fix buttons the
 * chat's readers may use.
 */
export interface AlertChannel {
  send(
    chatId: number,
    items: readonly AlertItem[],
    actionable: (instance: string) => boolean,
  ): Promise<{ kind: "sent"; ref: MessageRef } | Exclude<ScreenOutcome, { kind: "done" }>>;
  edit(
    ref: MessageRef,
    items: readonly AlertItem[],
    actionable: (instance: string) => boolean,
  ): Promise<ScreenOutcome>;
}

/** What the alerter counts (observability/metrics.ts implements it). */
export interface AlertCounters {
  alertSent(kind: AlertItem["kind"]): void;
}
