import { Composer, InlineKeyboard } from "grammy";
import type { Instance, KnownInstance } from "../../config/index.js";
import type { GreenApiClient } from "../../green-api/client.js";
import { endStateOf, GreenApiError } from "../../green-api/errors.js";
import { describeQuota, type QuotaNotice } from "../../green-api/quota-store.js";
import type { StateHistory } from "../../green-api/schemas.js";
import { formatPhone, type PhoneVisibility } from "../../pairing/phone.js";
import { fleetOverview, STATUS_LIVE_MAX } from "../../alerts/fleet-overview.js";
import type { InstanceWatch } from "../../alerts/watch-state.js";
import { statusCallbacks } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { escapeHtml, type Texts } from "../i18n/index.js";
import { missText } from "../instance-replies.js";
import { phoneVisibilityIn } from "../phone-privacy.js";
import type { KnownPhoneSource } from "./code.js";
import { classifyTelegramError } from "../telegram-errors.js";
import { utcDate } from "../i18n/en/fleet.js";
import { addLinkButtons, renderFleetPage, utcMinute as utc } from "../status-view.js";
import { onCommand } from "../commands.js";

/** Where muted instances come from (the alerts part); optional so /status works without it. */
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

export interface StatusFeatureDeps {
  greenApi: GreenApiClient;
  /** Without it /status asks GREEN-API live however many instances there are. */
  watches?: WatchSource;
  /** STATE_POLL_INTERVAL_MS=0: the fleet view says its records are not kept up to date. */
  watcherOff?: boolean;
  /** Remembered numbers: a logged-out instance gets "Code to +7 900 ···67" (one tap). */
  knownPhones?: KnownPhoneSource;
  mutes?: MuteSource;
  quotas?: QuotaSource;
  /** Per GREEN-API call; an instance that does not answer in time is shown as unreachable. */
  timeoutMs: number;
}

export type InstanceReport =
  | { name: string; kind: "state"; state: string; phone?: string }
  | { name: string; kind: "unreachable" }
  /** GREEN-API is busy with other checks of the instance (its rate limit): not unreachable. */
  | { name: string; kind: "busy" }
  | { name: string; kind: "rejected" }
  | { name: string; kind: "forbidden" }
  | { name: string; kind: "quota-exceeded" };

/** Linking (QR, code) cannot fix these: no such buttons for them. */
const NOT_LINKABLE = new Set<InstanceReport["kind"]>(["rejected", "forbidden", "quota-exceeded"]);

/**
 * How long /status waits for an instance's turn under GREEN-API's 1/s when others (sessions,
 * watchers, another /status) are asking too: a few turns. Past it: "busy", never "unreachable".
 */
const STATUS_MAX_TURN_WAIT_MS = 8_000;

function paidLine(expiresAt: number | undefined, t: Texts): string {
  return expiresAt === undefined ? "" : `\n   ${t.fleet.paidUntil(utcDate(expiresAt))}`;
}

/** The paid date of each instance the account told of (KnownInstance.account). */
const paidUntilOf = (instances: readonly KnownInstance[]) => {
  const dates = new Map(instances.map((i) => [i.name, i.account?.expiresAt]));
  return (name: string) => dates.get(name);
};

/**
 * One line per instance, in the order of the instances file. Pure, for tests and reuse. Phone
 * numbers are whole only for a private chat (`phones: "full"`), masked anywhere else.
 */
export function formatStatusList(
  reports: InstanceReport[],
  mutes: Map<string, number>,
  checkedAt: number,
  t: Texts,
  phones: PhoneVisibility | ((instance: string) => PhoneVisibility) = "masked",
  quotas: ReadonlyMap<string, QuotaNotice> = new Map(),
  /** When the instance's paid period ends, as the partner account says (fleet sync). */
  paidUntil: (instance: string) => number | undefined = () => undefined,
): string {
  const s = t.toolkit.status;
  const visibility = (instance: string) =>
    typeof phones === "function" ? phones(instance) : phones;
  const stateLineOf = (report: InstanceReport): string => {
    switch (report.kind) {
      case "unreachable":
        return s.unreachable;
      case "busy":
        return t.greenApi.status.busy;
      case "rejected":
        return s.rejected;
      case "forbidden":
      case "quota-exceeded":
        return t.greenApi.status[report.kind];
      case "state":
        return `${t.toolkit.states[report.state] ?? escapeHtml(report.state)}${report.phone ? s.phone(formatPhone(report.phone, visibility(report.name))) : ""}`;
    }
  };
  const lines = reports.map((report) => {
    const muted = mutes.get(report.name);
    const quota = quotas.get(report.name);
    return (
      s.line(report.name, stateLineOf(report)) +
      (muted ? `\n   ${s.muted(utc(muted))}` : "") +
      (quota ? `\n   ${t.greenApi.quotaNotice(utc(quota.at), describeQuota(quota))}` : "") +
      paidLine(paidUntil(report.name), t)
    );
  });
  return [s.title, "", ...lines, "", s.checkedAt(utc(checkedAt))].join("\n");
}

/**
 * QR and Code for every instance that needs linking (or cannot be reached) and that the reader
 * may link (`mayLink`: a viewer gets no button they could not use), then Refresh.
 */
export function statusKeyboard(
  reports: InstanceReport[],
  t: Texts,
  mayLink: (instance: string) => boolean,
  withRefresh = true,
  /** Remembered numbers of logged-out instances: their Code button needs no typing. */
  known: ReadonlyMap<string, { phone: string }> = new Map(),
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const report of reports) {
    if (report.kind === "state" && report.state === "authorized") continue;
    if (NOT_LINKABLE.has(report.kind) || !mayLink(report.name)) continue;
    const phone = report.kind === "state" ? known.get(report.name)?.phone : undefined;
    addLinkButtons(keyboard, t, report.name, phone);
  }
  if (!withRefresh) return keyboard;
  return keyboard.text(
    t.toolkit.status.refresh,
    statusCallbacks.encode({ action: "refresh", page: 0 }),
  );
}

/**
 * `/status` (every instance the operator may see) and `/status <instance>` (one, with history).
 * Up to STATUS_LIVE_MAX instances the list asks GREEN-API live; above it, it is the state
 * watcher's records, a summary and pages (alerts/fleet-overview.ts), with no GREEN-API call.
 */
export function statusFeature(deps: StatusFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const report = async (instance: Instance): Promise<InstanceReport> => {
    // Other callers (sessions, watchers) share the instance's 1/s: wait for a turn, bounded.
    const options = { timeoutMs: deps.timeoutMs, maxWaitMs: STATUS_MAX_TURN_WAIT_MS };
    try {
      const state = await deps.greenApi.getStateInstance(instance, options);
      if (state !== "authorized") return { name: instance.name, kind: "state", state };
      const phone = await deps.greenApi
        .getWaSettings(instance, options)
        .then((settings) => settings.phone || undefined)
        .catch(() => undefined);
      return { name: instance.name, kind: "state", state, phone };
    } catch (error) {
      const end = endStateOf(error);
      if (end === "credentials-rejected") return { name: instance.name, kind: "rejected" };
      if (end) return { name: instance.name, kind: end };
      if (error instanceof GreenApiError && error.failure === "rate-limited") {
        return { name: instance.name, kind: "busy" };
      }
      return { name: instance.name, kind: "unreachable" };
    }
  };

  const mayLinkFor = (ctx: BotContext) => {
    const linkable = new Set(ctx.access.names("operate"));
    return (instance: string) => linkable.has(instance);
  };

  /** Whole numbers only in the private chat of someone who may link that instance (#17). */
  const phonesFor = (ctx: BotContext, chatId: number) => {
    const mayLink = mayLinkFor(ctx);
    const privately = phoneVisibilityIn(chatId) === "full" && chatId === ctx.from?.id;
    return (instance: string): PhoneVisibility =>
      privately && mayLink(instance) ? "full" : "masked";
  };

  const quotasOf = async (names: string[]) =>
    (await deps.quotas?.many(names).catch(() => undefined)) ?? new Map<string, QuotaNotice>();

  const knownOf = async (names: string[]) =>
    (await deps.knownPhones?.many(names).catch(() => undefined)) ??
    new Map<string, { phone: string }>();

  const listFor = async (visible: Instance[], t: Texts, ctx: BotContext, chatId: number) => {
    const names = visible.map((instance) => instance.name);
    const [reports, mutes, quotas, known] = await Promise.all([
      Promise.all(visible.map(report)),
      deps.mutes?.all().catch(() => new Map<string, number>()) ?? new Map<string, number>(),
      quotasOf(names),
      knownOf(names),
    ]);
    return {
      text: formatStatusList(
        reports,
        mutes,
        Date.now(),
        t,
        phonesFor(ctx, chatId),
        quotas,
        paidUntilOf(visible),
      ),
      keyboard: statusKeyboard(reports, t, mayLinkFor(ctx), true, known),
    };
  };

  const fleetWatches = (visible: readonly Instance[]) =>
    visible.length > STATUS_LIVE_MAX ? deps.watches : undefined;

  /** One page of the fleet view for this reader; undefined: that page is not theirs (stale). */
  const fleetPageFor = async (
    watches: WatchSource,
    visible: Instance[],
    ctx: BotContext,
    page: { at: number; exact: boolean },
  ) => {
    const names = visible.map((instance) => instance.name);
    const view = fleetOverview({
      names,
      watches: await watches.watches(names),
      page: page.at,
      exact: page.exact,
      mayLink: mayLinkFor(ctx),
    });
    if (view.kind === "stale") return undefined;
    const shown = view.rows.map((row) => row.name);
    const [mutes, quotas, known] = await Promise.all([
      deps.mutes?.all().catch(() => new Map<string, number>()) ?? new Map<string, number>(),
      quotasOf(shown),
      knownOf(shown.filter((_, index) => view.rows[index]?.linkable)),
    ]);
    const rendered = renderFleetPage(view, ctx.t, {
      mutes,
      quotaAt: new Map([...quotas].map(([name, notice]) => [name, notice.at])),
      paidUntil: paidUntilOf(visible),
      known,
      watcherOff: deps.watcherOff ?? false,
    });
    return { ...rendered, page: view.page, pages: view.pages };
  };

  onCommand(composer, "status", async (ctx) => {
    const argument = ctx.match.trim();
    const visible = ctx.access.instances();
    if (visible.length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
    if (!argument) {
      const watches = fleetWatches(visible);
      // The first page is never stale (only a ◀ ▶ press can ask for a page that is gone).
      const { text, keyboard } =
        (watches && (await fleetPageFor(watches, visible, ctx, { at: 0, exact: false }))) ??
        (await listFor(visible, ctx.t, ctx, ctx.chat.id));
      return ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
    }
    const found = ctx.access.lookup(argument);
    if (!found.found) return ctx.reply(missText(ctx, found, argument), { parse_mode: "HTML" });
    const instance = found.instance;
    const [one, history, quotas, known] = await Promise.all([
      report(instance),
      deps.greenApi
        .getStateInstanceHistory(instance, { timeoutMs: deps.timeoutMs })
        .catch(() => [] as StateHistory),
      quotasOf([instance.name]),
      knownOf([instance.name]),
    ]);
    const mutes = (await deps.mutes?.all().catch(() => undefined)) ?? new Map<string, number>();
    const s = ctx.t.toolkit.status;
    const lines = [
      formatStatusList(
        [one],
        mutes,
        Date.now(),
        ctx.t,
        phonesFor(ctx, ctx.chat.id),
        quotas,
        paidUntilOf([instance]),
      ).replace(s.title, s.detailTitle(instance.name)),
      "",
      history.length ? s.history : s.noHistory,
      ...history
        .slice(0, 8)
        .map(
          (entry) =>
            `• ${utc(entry.timestamp * (entry.timestamp < 1e12 ? 1000 : 1))} — ${ctx.t.toolkit.states[entry.stateInstance] ?? escapeHtml(entry.stateInstance)}`,
        ),
    ];
    return ctx.reply(lines.join("\n"), {
      parse_mode: "HTML",
      reply_markup: statusKeyboard([one], ctx.t, mayLinkFor(ctx), false, known),
    });
  });

  composer.callbackQuery(statusCallbacks.pattern, async (ctx) => {
    const callback = statusCallbacks.decode(ctx.callbackQuery.data);
    if (!callback || !ctx.callbackQuery.message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    const chatId = ctx.callbackQuery.message.chat.id;
    // The presser's own instances, by their rights now: the button only says which page.
    const visible = ctx.access.instances();
    const watches = fleetWatches(visible);
    const fleet = ctx.t.toolkit.status.fleet;
    let shown: { text: string; keyboard: InlineKeyboard };
    if (watches) {
      const exact = callback.action === "page";
      const view = await fleetPageFor(watches, visible, ctx, { at: callback.page, exact });
      if (!view) return ctx.answerCallbackQuery({ text: fleet.stale });
      await ctx.answerCallbackQuery({
        text: exact ? fleet.pageAnswer(view.page + 1, view.pages) : ctx.t.toolkit.status.refreshed,
      });
      shown = view;
    } else {
      // ◀ ▶ of a fleet's list, pressed by someone who now sees only a few instances.
      if (callback.action === "page") return ctx.answerCallbackQuery({ text: fleet.stale });
      await ctx.answerCallbackQuery({ text: ctx.t.toolkit.status.refreshed });
      shown = await listFor(visible, ctx.t, ctx, chatId);
    }
    await ctx
      .editMessageText(shown.text, { parse_mode: "HTML", reply_markup: shown.keyboard })
      .catch((error: unknown) => {
        // Nothing changed since the last look (Telegram refuses the identical edit), or the list
        // is gone for good: nothing to do either way.
        const outcome = classifyTelegramError(error);
        if (outcome.kind !== "done" && outcome.kind !== "gone") throw error;
      });
  });

  return composer;
}
