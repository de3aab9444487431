import { InlineKeyboard } from "grammy";
import type { AlertItem } from "../alerts/watch-state.js";
import type { Closure } from "../shared/closure.js";
import { buttonPhone } from "../pairing/known-phones.js";
import {
  adminCallbacks,
  alertCallbacks,
  codeCallbacks,
  digestCallbacks,
  qrCallbacks,
} from "./callback-data.js";
import type { Texts } from "./i18n/index.js";

/** Lines one message lists before "…and N more" (Telegram's limit is 4096 characters). */
const MAX_LINES = 40;
/** Instances that get their own QR / Pairing code buttons in one message. */
const MAX_BUTTON_ROWS = 10;
/** Lines on one page of the digest's pager ("Show all"), each with its instance's buttons. */
export const PAGE_LINES = 20;

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

/** The closing lines of a QR session or a code that linked the instance (who, when, backlog). */
export function closureLines(closure: Closure | undefined, t: Texts): string[] {
  if (!closure) return [];
  const c = t.alerts.closure;
  return [
    ...(closure.by
      ? [(closure.via === "link" ? c.byLink : c.by)(closure.by, clock(closure.at, t))]
      : []),
    ...(closure.queued ? [closure.queued.count > 0 ? c.queued(closure.queued.count) : c.none] : []),
  ];
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
  if (item.kind === "offline")
    return a.offline(item.instance, item.offlineForMs ?? 0, clock(item.since, t));
  const notes = [
    ...(item.endedAt === undefined && item.autoRebootAt !== undefined
      ? [
          item.autoRebootFailed
            ? a.autoRebootFailed(clock(item.autoRebootAt, t))
            : a.autoRebooted(clock(item.autoRebootAt, t)),
        ]
      : []),
    ...(item.endedAt === undefined && item.claimedBy ? [a.claimed(item.claimedBy)] : []),
  ];
  const withNotes = (text: string) => [text, ...notes].join("\n");
  if (item.kind === "stuck") {
    return item.endedAt === undefined
      ? withNotes(a.stuck(item.instance, item.queued ?? 0, item.waitedMs ?? 0))
      : a.moving(item.instance, item.endedAt - item.since);
  }
  if (item.kind === "unreachable") {
    return item.endedAt === undefined
      ? withNotes(a.unreachable(item.instance, clock(item.since, t)))
      : a.reachable(item.instance, item.endedAt - item.since);
  }
  if (item.endedAt === undefined) {
    return withNotes(a.down(item.instance, item.state ?? "notAuthorized", clock(item.since, t)));
  }
  return item.linkedBy
    ? a.linked(item.instance, item.linkedBy, clock(item.endedAt, t), item.endedAt - item.since)
    : a.recovered(item.instance, item.endedAt - item.since);
}

/** One short "what to do" per kind of open problem, not per instance. */
function hints(open: readonly AlertItem[], t: Texts): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of open) {
    if (item.kind === "offline") continue; // the warning says what to do itself
    const key = item.kind === "down" ? (item.state ?? "notAuthorized") : item.kind;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      item.kind === "unreachable"
        ? t.alerts.unreachableTodo
        : item.kind === "stuck"
          ? t.alerts.stuckTodo
          : t.alerts.wordsOf(item.state ?? "notAuthorized").todo,
    );
  }
  return out.filter(Boolean);
}

function header(items: readonly AlertItem[], open: number, t: Texts): string | undefined {
  if (items.every((item) => item.initial)) return t.alerts.header.atStart;
  if (items.length === 1) return undefined;
  return open > 0 ? t.alerts.header.attention(open) : t.alerts.header.allRecovered;
}

type Button = ReturnType<typeof InlineKeyboard.text> | ReturnType<typeof InlineKeyboard.url>;

/**
 * The fix of each open problem, one tap away, and nothing where no button helps: logged out →
 * QR and a pairing code (to the remembered number when there is one); stuck starting,
 * yellowCard or a send queue that does not move → Reboot (yellowCard also links GREEN-API's explanation); banned, phone offline,
 * suspended → no button (the text says what to do).
 */
function rowsFor(item: AlertItem, single: boolean, t: Texts): Button[][] {
  const b = t.alerts.buttons;
  const { instance } = item;
  const reboot = () =>
    InlineKeyboard.text(
      single ? b.reboot : b.rebootFor(instance),
      adminCallbacks.encode({ action: "reboot-ask", instance }),
    );
  // Authorized but its queue does not move: GREEN-API's advice for a stuck instance, a reboot.
  if (item.kind === "stuck") return [[reboot()]];
  if (item.kind !== "down") return [];
  switch (item.state ?? "notAuthorized") {
    case "notAuthorized": {
      const qr = InlineKeyboard.text(
        single ? b.qr : b.qrFor(instance),
        qrCallbacks.encode({ action: "start", instance }),
      );
      if (!item.phone) {
        return [
          [
            qr,
            InlineKeyboard.text(
              single ? b.code : b.codeFor(instance),
              codeCallbacks.encode({ action: "ask", instance }),
            ),
          ],
        ];
      }
      // Masked on the button whatever the chat: buttons are read by everyone in a group.
      const phone = buttonPhone(item.phone);
      const known = InlineKeyboard.text(
        single ? b.codeTo(phone) : b.codeToFor(instance, phone),
        codeCallbacks.encode({ action: "known", instance }),
      );
      const another = InlineKeyboard.text(
        b.anotherNumber,
        codeCallbacks.encode({ action: "ask", instance }),
      );
      return single ? [[qr, known], [another]] : [[qr, known]];
    }
    case "starting":
    case "yellowCard":
      return item.state === "yellowCard"
        ? [[reboot(), InlineKeyboard.url(b.yellowCard, t.alerts.yellowCardLink)]]
        : [[reboot()]];
    default:
      return [];
  }
}

/** "I'm on it" for an open incident nobody has claimed (group chats: several people read it). */
function claimRow(item: AlertItem, single: boolean, t: Texts): Button[][] {
  if (item.kind === "offline" || item.claimedBy) return [];
  const b = t.alerts.buttons;
  return [
    [
      InlineKeyboard.text(
        single ? b.claim : b.claimFor(item.instance),
        alertCallbacks.encode({ action: "claim", instance: item.instance }),
      ),
    ],
  ];
}

function keyboard(
  open: readonly AlertItem[],
  single: boolean,
  t: Texts,
  actionable: (instance: string) => boolean,
  claimable: boolean,
): { keyboard: InlineKeyboard; cut: boolean } {
  const all = open
    .filter((item) => actionable(item.instance))
    .map((item) => [...rowsFor(item, single, t), ...(claimable ? claimRow(item, single, t) : [])])
    .filter((rows) => rows.length > 0);
  return {
    keyboard: new InlineKeyboard(all.slice(0, MAX_BUTTON_ROWS).flat()),
    cut: all.length > MAX_BUTTON_ROWS,
  };
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
  /** A group: several people read the alert, so it offers "I'm on it". */
  options: { claimable?: boolean } = {},
): AlertView {
  const sorted = ordered(items);
  const open = sorted.filter((item) => item.endedAt === undefined);
  const shown = sorted.slice(0, MAX_LINES).map((item) => line(item, t));
  if (sorted.length > MAX_LINES) shown.push(t.alerts.more(sorted.length - MAX_LINES));
  const top = header(sorted, open.length, t);
  const blocks = [top ? [top, ...shown].join("\n") : shown.join("\n"), ...hints(open, t)];
  const drawn = keyboard(
    open.filter((item) => item.kind !== "offline"),
    sorted.length === 1,
    t,
    actionable,
    options.claimable === true,
  );
  // More lines or buttons than one message shows: "Show all" pages through the rest (a viewer
  // too: paging links nothing).
  if (sorted.length > MAX_LINES || drawn.cut) {
    drawn.keyboard.row().text(t.alerts.buttons.showAll, digestCallbacks.encode({ action: "all" }));
  }
  return { text: blocks.join("\n\n"), keyboard: drawn.keyboard };
}

export interface DigestPage extends AlertView {
  /** The page shown (0-based, clamped to the list). */
  page: number;
  pages: number;
}

/**
 * One page of a digest's items for the pager: PAGE_LINES lines in the alert's own order, with the
 * buttons of the instances on the page that the reader may link (`operable`), and ◀ ▶.
 * `items` are those the reader may see; `digestId` is the digest's message, which ◀ ▶ name.
 */
export function renderDigestPage(
  items: readonly AlertItem[],
  page: number,
  t: Texts,
  operable: (instance: string) => boolean,
  digestId: number,
): DigestPage {
  const sorted = ordered(items);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_LINES));
  const at = Math.min(Math.max(0, page), pages - 1);
  const shown = sorted.slice(at * PAGE_LINES, (at + 1) * PAGE_LINES);
  const text =
    sorted.length === 0
      ? t.alerts.pager.empty
      : [t.alerts.pager.title(at + 1, pages, sorted.length), ...shown.map((i) => line(i, t))].join(
          "\n",
        );
  const rows = shown
    .filter((item) => item.endedAt === undefined && operable(item.instance))
    .flatMap((item) => rowsFor(item, false, t));
  const keyboard = new InlineKeyboard(rows);
  const b = t.alerts.buttons;
  const nav = [
    ...(at > 0
      ? [
          InlineKeyboard.text(
            b.previous,
            digestCallbacks.encode({ action: "page", digest: digestId, page: at - 1 }),
          ),
        ]
      : []),
    ...(at < pages - 1
      ? [
          InlineKeyboard.text(
            b.next,
            digestCallbacks.encode({ action: "page", digest: digestId, page: at + 1 }),
          ),
        ]
      : []),
  ];
  if (nav.length > 0) keyboard.row(...nav);
  return { text, keyboard, page: at, pages };
}
