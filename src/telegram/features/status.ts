import { Composer, InlineKeyboard } from "grammy";
import type { Instance, InstanceRegistry } from "../../config/index.js";
import type { GreenApiClient } from "../../green-api/client.js";
import { GreenApiError } from "../../green-api/errors.js";
import type { StateHistory } from "../../green-api/schemas.js";
import { formatPhone, type PhoneVisibility } from "../../pairing/phone.js";
import { ALL_INSTANCES, codeCallbacks, qrCallbacks, statusCallbacks } from "../callback-data.js";
import type { BotContext } from "../context.js";
import type { Texts } from "../i18n/index.js";
import { phoneVisibilityIn } from "../phone-privacy.js";

/** Where muted instances come from (the alerts part); optional so /status works without it. */
export interface MuteSource {
  all(): Promise<Map<string, number>>;
}

export interface StatusFeatureDeps {
  instances: InstanceRegistry;
  greenApi: GreenApiClient;
  mutes?: MuteSource;
  /** Per GREEN-API call; an instance that does not answer in time is shown as unreachable. */
  timeoutMs: number;
}

export type InstanceReport =
  | { name: string; kind: "state"; state: string; phone?: string }
  | { name: string; kind: "unreachable" }
  | { name: string; kind: "rejected" };

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/**
 * One line per instance, in the order of the instances file. Pure, for tests and reuse. Phone
 * numbers are whole only for a private chat (`phones: "full"`), masked anywhere else.
 */
export function formatStatusList(
  reports: InstanceReport[],
  mutes: Map<string, number>,
  checkedAt: number,
  t: Texts,
  phones: PhoneVisibility = "masked",
): string {
  const s = t.toolkit.status;
  const lines = reports.map((report) => {
    const stateLine =
      report.kind === "unreachable"
        ? s.unreachable
        : report.kind === "rejected"
          ? s.rejected
          : `${t.toolkit.states[report.state] ?? report.state}${report.phone ? s.phone(formatPhone(report.phone, phones)) : ""}`;
    const muted = mutes.get(report.name);
    return s.line(report.name, stateLine) + (muted ? `\n   ${s.muted(utc(muted))}` : "");
  });
  return [s.title, "", ...lines, "", s.checkedAt(utc(checkedAt))].join("\n");
}

/** QR and Code for every instance that needs linking (or cannot be reached), then Refresh. */
export function statusKeyboard(
  reports: InstanceReport[],
  t: Texts,
  withRefresh = true,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const report of reports) {
    if (report.kind === "state" && report.state === "authorized") continue;
    if (report.kind === "rejected") continue;
    keyboard
      .text(
        t.toolkit.status.qr(report.name),
        qrCallbacks.encode({ action: "start", instance: report.name }),
      )
      .text(
        t.toolkit.status.code(report.name),
        codeCallbacks.encode({ action: "ask", instance: report.name }),
      )
      .row();
  }
  if (!withRefresh) return keyboard;
  return keyboard.text(
    t.toolkit.status.refresh,
    statusCallbacks.encode({ action: "refresh", instance: ALL_INSTANCES }),
  );
}

/** `/status` (every instance the operator may see) and `/status <instance>` (one, with history). */
export function statusFeature(deps: StatusFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const report = async (instance: Instance): Promise<InstanceReport> => {
    const options = { timeoutMs: deps.timeoutMs };
    try {
      const state = await deps.greenApi.getStateInstance(instance, options);
      if (state !== "authorized") return { name: instance.name, kind: "state", state };
      const phone = await deps.greenApi
        .getWaSettings(instance, options)
        .then((settings) => settings.phone || undefined)
        .catch(() => undefined);
      return { name: instance.name, kind: "state", state, phone };
    } catch (error) {
      if (error instanceof GreenApiError && error.isCredentialsRejected) {
        return { name: instance.name, kind: "rejected" };
      }
      return { name: instance.name, kind: "unreachable" };
    }
  };

  const listFor = async (userId: number, chatId: number, t: Texts) => {
    const visible = deps.instances.visibleTo(userId);
    const [reports, mutes] = await Promise.all([
      Promise.all(visible.map(report)),
      deps.mutes?.all().catch(() => new Map<string, number>()) ?? new Map<string, number>(),
    ]);
    return {
      text: formatStatusList(reports, mutes, Date.now(), t, phoneVisibilityIn(chatId)),
      keyboard: statusKeyboard(reports, t),
    };
  };

  composer.command("status", async (ctx) => {
    const userId = ctx.from?.id ?? 0;
    const argument = ctx.match.trim();
    if (deps.instances.visibleTo(userId).length === 0) return ctx.reply(ctx.t.toolkit.noInstances);
    if (!argument) {
      const { text, keyboard } = await listFor(userId, ctx.chat.id, ctx.t);
      return ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
    }
    const instance = deps.instances.findFor(userId, argument);
    if (!instance) {
      const names = deps.instances.visibleTo(userId).map((i) => i.name);
      return ctx.reply(ctx.t.unknownInstance(argument, names), { parse_mode: "HTML" });
    }
    const [one, history] = await Promise.all([
      report(instance),
      deps.greenApi
        .getStateInstanceHistory(instance, { timeoutMs: deps.timeoutMs })
        .catch(() => [] as StateHistory),
    ]);
    const mutes = (await deps.mutes?.all().catch(() => undefined)) ?? new Map<string, number>();
    const s = ctx.t.toolkit.status;
    const lines = [
      formatStatusList([one], mutes, Date.now(), ctx.t, phoneVisibilityIn(ctx.chat.id)).replace(
        s.title,
        s.detailTitle(instance.name),
      ),
      "",
      history.length ? s.history : s.noHistory,
      ...history
        .slice(0, 8)
        .map(
          (entry) =>
            `• ${utc(entry.timestamp * (entry.timestamp < 1e12 ? 1000 : 1))} — ${ctx.t.toolkit.states[entry.stateInstance] ?? entry.stateInstance}`,
        ),
    ];
    return ctx.reply(lines.join("\n"), {
      parse_mode: "HTML",
      reply_markup: statusKeyboard([one], ctx.t, false),
    });
  });

  composer.callbackQuery(statusCallbacks.pattern, async (ctx) => {
    const callback = statusCallbacks.decode(ctx.callbackQuery.data);
    if (!callback || !ctx.callbackQuery.message) {
      return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
    }
    await ctx.answerCallbackQuery({ text: ctx.t.toolkit.status.refreshed });
    const chatId = ctx.callbackQuery.message.chat.id;
    const { text, keyboard } = await listFor(ctx.from.id, chatId, ctx.t);
    await ctx
      .editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard })
      .catch((error: unknown) => {
        // Nothing changed since the last look: Telegram refuses the identical edit.
        if (!String(error).includes("message is not modified")) throw error;
      });
  });

  return composer;
}
