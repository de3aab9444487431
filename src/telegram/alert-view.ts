import { InlineKeyboard } from "grammy";
import type { AlertItem } from "../alerts/watch-state.js";
import { codeCallbacks, qrCallbacks } from "./callback-data.js";
import type { Texts } from "./i18n/index.js";

/** Lines one message lists before "…and N more" (Telegram's limit is 4096 characters). */
const MAX_LINES = 40;
/** Instances that get their own QR / Pairing code buttons in one message. */
const MAX_BUTTON_ROWS = 10;

export interface AlertView {
  text: string;
  keyboard: InlineKeyboard;
}

/** "14:05 UTC" in the process's time zone (TZ). */
export function clock(ms: number, t: Texts): string {
  return new Intl.DateTimeFormat(t.alerts.clockLocale, {
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(ms);
}

/** Open problems first, in a stable order, so an edited message keeps its shape. */
function ordered(items: readonly AlertItem[]): AlertItem[] {
  return [...items].sort(
    (a, b) =>
      Number(a.endedAt !== undefined) - Number(b.endedAt !== undefined) ||
      a.instance.localeCompare(b.instance),
  );
}

function line(item: AlertItem, t: Texts): string {
  const a = t.alerts;
  if (item.kind === "unreachable") {
    return item.endedAt === undefined
      ? a.unreachable(item.instance, clock(item.since, t))
      : a.reachable(item.instance, item.endedAt - item.since);
  }
  return item.endedAt === undefined
    ? a.down(item.instance, item.state ?? "notAuthorized", clock(item.since, t))
    : a.recovered(item.instance, item.endedAt - item.since);
}

/** One short "what to do" per kind of open problem, not per instance. */
function hints(open: readonly AlertItem[], t: Texts): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of open) {
    const key = item.kind === "unreachable" ? "unreachable" : (item.state ?? "notAuthorized");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      item.kind === "unreachable"
        ? t.alerts.unreachableTodo
        : t.alerts.states[item.state ?? "notAuthorized"].todo,
    );
  }
  return out.filter(Boolean);
}

function header(items: readonly AlertItem[], open: number, t: Texts): string | undefined {
  if (items.every((item) => item.initial)) return t.alerts.header.atStart;
  if (items.length === 1) return undefined;
  return open > 0 ? t.alerts.header.attention(open) : t.alerts.header.allRecovered;
}

/** Buttons only where linking again is the fix: a logged-out instance. */
function keyboard(
  open: readonly AlertItem[],
  single: boolean,
  t: Texts,
  actionable: (instance: string) => boolean,
): InlineKeyboard {
  const b = t.alerts.buttons;
  const rows = open
    .filter((item) => item.kind === "down" && item.state === "notAuthorized")
    .filter((item) => actionable(item.instance))
    .slice(0, MAX_BUTTON_ROWS)
    .map(({ instance }) => [
      InlineKeyboard.text(
        single ? b.qr : b.qrFor(instance),
        qrCallbacks.encode({ action: "start", instance }),
      ),
      InlineKeyboard.text(
        single ? b.code : b.codeFor(instance),
        codeCallbacks.encode({ action: "ask", instance }),
      ),
    ]);
  return new InlineKeyboard(rows);
}

/**
 * The text and buttons of an alert message from its items as they stand now: the same function
 * renders the first send and every later edit (recovered, state changed), so they never disagree.
 */
export function renderAlert(
  items: readonly AlertItem[],
  t: Texts,
  /** Instances whose buttons this chat's readers may use (a viewer's private chat: none). */
  actionable: (instance: string) => boolean = () => true,
): AlertView {
  const sorted = ordered(items);
  const open = sorted.filter((item) => item.endedAt === undefined);
  const shown = sorted.slice(0, MAX_LINES).map((item) => line(item, t));
  if (sorted.length > MAX_LINES) shown.push(t.alerts.more(sorted.length - MAX_LINES));
  const top = header(sorted, open.length, t);
  const blocks = [top ? [top, ...shown].join("\n") : shown.join("\n"), ...hints(open, t)];
  return {
    text: blocks.join("\n\n"),
    keyboard: keyboard(open, sorted.length === 1, t, actionable),
  };
}
