import type { InlineKeyboard } from "grammy";
import type { Instance, KnownInstance } from "../../../config/index.js";
import type { PhoneVisibility } from "../../../pairing/phone.js";
import type { InstanceWatch } from "../../../alerts/watch-state.js";
import { fleetOverview, STATUS_LIVE_MAX } from "../../../status/fleet-overview.js";
import type { LiveCheck } from "../../../status/live-check.js";
import type { QuotaNotice } from "../../../status/ports.js";
import type { Backlog } from "../../../relay/ports.js";
import type { BotContext } from "../../context.js";
import type { KnownPhoneSource } from "../code/index.js";
import { phoneVisibilityIn } from "../../phone-privacy.js";
import { renderFleetPage } from "./fleet-view.js";
import { liveKeyboard } from "./keyboard.js";
import { detailText, type LiveExtras, liveListText } from "./view.js";

/** Where muted instances come from (alerts/mute-store.ts). */
export interface MuteSource {
  all(): Promise<Map<string, number>>;
}

/** quotaExceeded notifications GREEN-API sent (webhook), per instance. */
export interface QuotaSource {
  many(instances: readonly string[]): Promise<Map<string, QuotaNotice>>;
}

/** The state watcher's records (alerts/alert-store.ts): /status for a fleet reads them. */
export interface WatchSource {
  watches(instances: readonly string[]): Promise<Map<string, InstanceWatch | undefined>>;
}

/** 7-day uptime per instance (history/history-query.ts): shown beside each on the fleet's pages. */
export interface UptimeSource {
  weekUptime(instances: readonly string[]): Promise<Map<string, number>>;
}

export interface StatusScreenDeps {
  live: LiveCheck;
  watches: WatchSource;
  /** STATE_POLL_INTERVAL_MS=0: the fleet view says its records are not kept up to date. */
  watcherOff: boolean;
  /** Remembered numbers: a logged-out instance gets "Code to +7 900 ···67" (one tap). */
  knownPhones: KnownPhoneSource;
  mutes: MuteSource;
  quotas: QuotaSource;
  /** The webhook relay's backlog of an instance (relay/relay-store.ts backlogReader). */
  relayBacklog?: (idInstance: string) => Promise<Backlog>;
  /** Absent: the fleet's pages show no uptime. */
  uptime?: UptimeSource;
}

export type Screen = { text: string; keyboard: InlineKeyboard };

/**
 * The three /status screens for one reader: the live list (up to STATUS_LIVE_MAX instances), a
 * page of the fleet view (above it: the watcher's records, no GREEN-API call), and one instance
 * in detail. What each shows beside the states (mutes, quotas, numbers) is read best effort.
 *
 * Longer than a function should be as a whole: it is three short ones sharing one reader's
 * rights and best-effort reads, which is why they sit together.
 */
export function statusScreens(deps: StatusScreenDeps, ctx: BotContext) {
  const linkable = new Set(ctx.access.names("operate"));
  const mayLink = (instance: string) => linkable.has(instance);
  const mutes = () => deps.mutes.all().catch(() => new Map<string, number>());
  const quotas = (names: string[]) =>
    deps.quotas.many(names).catch(() => new Map<string, QuotaNotice>());
  const known = (names: string[]) =>
    deps.knownPhones.many(names).catch(() => new Map<string, { phone: string }>());

  /** Whole numbers only in the private chat of someone who may link that instance (#17). */
  const phonesIn = (chatId: number) => {
    const privately = phoneVisibilityIn(chatId) === "full" && chatId === ctx.from?.id;
    return (instance: string): PhoneVisibility =>
      privately && mayLink(instance) ? "full" : "masked";
  };

  const extrasOf = async (visible: Instance[], chatId: number) => {
    const names = visible.map((instance) => instance.name);
    const [muted, quota, numbers] = await Promise.all([mutes(), quotas(names), known(names)]);
    const extras: LiveExtras = {
      mutes: muted,
      quotas: quota,
      paidUntil: paidUntilOf(visible),
      phones: phonesIn(chatId),
    };
    return { extras, known: numbers };
  };

  return {
    /** Whether `visible` is a fleet: paged from the watcher's records. */
    isFleet: (visible: readonly Instance[]) => visible.length > STATUS_LIVE_MAX,

    async live(visible: Instance[], chatId: number): Promise<Screen> {
      const [reports, { extras, known: numbers }] = await Promise.all([
        Promise.all(visible.map((instance) => deps.live.report(instance))),
        extrasOf(visible, chatId),
      ]);
      return {
        text: liveListText(reports, Date.now(), ctx.t, extras),
        keyboard: liveKeyboard(reports, ctx.t, mayLink, { withRefresh: true, known: numbers }),
      };
    },

    async detail(instance: Instance, chatId: number): Promise<Screen> {
      const [report, history, { extras, known: numbers }, watches, backlog] = await Promise.all([
        deps.live.report(instance),
        deps.live.history(instance),
        extrasOf([instance], chatId),
        deps.watches.watches([instance.name]).catch(() => new Map<string, undefined>()),
        deps.relayBacklog?.(instance.idInstance).catch(() => undefined),
      ]);
      const phoneSeenAt = watches.get(instance.name)?.phoneSeenAt;
      const now = Date.now();
      return {
        text:
          detailText(report, history, now, ctx.t, {
            ...extras,
            apiUrl: instance.apiUrl,
            ...(phoneSeenAt !== undefined ? { phoneSeenAt } : {}),
          }) + relayLines(backlog, now, ctx.t),
        keyboard: liveKeyboard([report], ctx.t, mayLink, { withRefresh: false, known: numbers }),
      };
    },

    /** One page of the fleet view; undefined: that page is not theirs (stale). */
    async fleetPage(visible: Instance[], page: { at: number; exact: boolean }) {
      const names = visible.map((instance) => instance.name);
      const view = fleetOverview({
        names,
        watches: await deps.watches.watches(names),
        page: page.at,
        exact: page.exact,
        mayLink,
      });
      if (view.kind === "stale") return undefined;
      const shown = view.rows.map((row) => row.name);
      const [muted, quota, numbers, uptime] = await Promise.all([
        mutes(),
        quotas(shown),
        known(view.rows.filter((row) => row.linkable).map((row) => row.name)),
        (deps.uptime?.weekUptime(shown) ?? Promise.resolve(new Map<string, number>())).catch(
          () => new Map<string, number>(),
        ),
      ]);
      const rendered = renderFleetPage(view, ctx.t, {
        mutes: muted,
        quotaAt: new Map([...quota].map(([name, notice]) => [name, notice.at])),
        paidUntil: paidUntilOf(visible),
        known: numbers,
        watcherOff: deps.watcherOff,
        uptime,
      });
      return { ...rendered, page: view.page, pages: view.pages };
    },
  };
}

/** The relay's lines under /status <instance>: nothing while its backlog is empty. */
export function relayLines(backlog: Backlog | undefined, now: number, t: BotContext["t"]): string {
  if (!backlog) return "";
  const lines = [
    backlog.count > 0 ? t.relay.backlog(backlog.count, now - (backlog.oldestAt ?? now)) : "",
    backlog.failingSince !== undefined ? t.relay.failingSince(now - backlog.failingSince) : "",
    backlog.deadLettered > 0 ? t.relay.deadLettered(backlog.deadLettered) : "",
  ].filter(Boolean);
  return lines.length ? `\n\n${lines.join("\n")}` : "";
}

/** The paid date of each instance the account told of (KnownInstance.account). */
function paidUntilOf(instances: readonly KnownInstance[]) {
  const dates = new Map(instances.map((i) => [i.name, i.account?.expiresAt]));
  return (name: string) => dates.get(name);
}
