import { InlineKeyboard } from "grammy";
import type { FleetPage, FleetRow } from "../../../status/fleet-overview.js";
import { isKnownState } from "../../../status/ports.js";
import { statusCallbacks } from "../../callback-data.js";
import { billingDay } from "../../../shared/time-format.js";
import { bold, type Texts } from "../../i18n/index.js";
import { shortPercentText } from "../../../history/uptime.js";
import { addLinkButtons } from "./keyboard.js";
import { utcMinute } from "./view.js";

/** What /status shows beside each instance's state, all read from Redis or memory (no GREEN-API). */
export interface FleetExtras {
  mutes: ReadonlyMap<string, number>;
  /** When GREEN-API last said the instance's quota is used up (quotaExceeded webhook). */
  quotaAt: ReadonlyMap<string, number>;
  paidUntil: (instance: string) => number | undefined;
  /** Remembered numbers: a "Code to +7 900 ···67" button instead of "Code". */
  known: ReadonlyMap<string, { phone: string }>;
  /** The state watcher is off: nothing keeps the records up to date. */
  watcherOff: boolean;
  /** 7-day uptime of the page's instances (the incident history), where known. */
  uptime: ReadonlyMap<string, number>;
}

/** Page lines are short (20 of them fit 4096 characters): "12-02 14:05". */
const short = (ms: number) => utcMinute(ms).slice(5);

function line(row: FleetRow, t: Texts, extras: FleetExtras): string {
  const f = t.toolkit.status.fleet;
  const { standing } = row;
  const state =
    standing.kind !== "state"
      ? f.states[standing.kind]
      : isKnownState(standing.state)
        ? f.states[standing.state]
        : f.unknownState(standing.state);
  const muted = extras.mutes.get(row.name);
  const quota = extras.quotaAt.get(row.name);
  const paid = extras.paidUntil(row.name);
  const uptime = extras.uptime.get(row.name);
  const details = [
    ...(muted ? [f.muted(short(muted))] : []),
    ...(quota ? [f.quota(short(quota))] : []),
    ...(paid !== undefined ? [t.fleet.paidUntil(billingDay(paid))] : []),
  ];
  // 20 such lines must fit one message: the uptime goes first on the line, in a few characters.
  const stateLine = state + (row.since ? f.since(short(row.since)) : "");
  return (
    t.toolkit.status.line(
      row.name,
      uptime === undefined ? stateLine : f.uptime(shortPercentText(uptime)) + stateLine,
    ) + (details.length ? `\n   ${details.join(" · ")}` : "")
  );
}

/**
 * One page of /status for a fleet: the summary, how old the knowledge is, the page's instances,
 * QR / Code for those the core marked linkable, ◀ 🔄 ▶. Rendering only: fleet-overview.ts decides.
 */
export function renderFleetPage(
  view: FleetPage,
  t: Texts,
  extras: FleetExtras,
): { text: string; keyboard: InlineKeyboard } {
  const f = t.toolkit.status.fleet;
  const number = new Intl.NumberFormat(t.alerts.clockLocale);
  const counts = view.counts.map(({ key, count }) => f.counts[key](number.format(count)));
  const age =
    view.oldestCheck !== undefined && view.newestCheck !== undefined
      ? f.checked(utcMinute(view.oldestCheck), utcMinute(view.newestCheck))
      : f.neverChecked;
  const text = [
    f.summary(number.format(view.total), counts),
    age,
    ...(extras.watcherOff ? [f.watcherOff] : []),
    "",
    ...(view.pages > 1 ? [bold(f.page(view.page + 1, view.pages))] : []),
    ...view.rows.map((row) => line(row, t, extras)),
  ].join("\n");

  const keyboard = new InlineKeyboard();
  for (const row of view.rows) {
    if (!row.linkable) continue;
    addLinkButtons(keyboard, t, row.name, extras.known.get(row.name)?.phone);
  }
  if (view.page > 0) {
    keyboard.text(f.previous, statusCallbacks.encode({ action: "page", page: view.page - 1 }));
  }
  keyboard.text(
    t.toolkit.status.refresh,
    statusCallbacks.encode({ action: "refresh", page: view.page }),
  );
  if (view.page < view.pages - 1) {
    keyboard.text(f.next, statusCallbacks.encode({ action: "page", page: view.page + 1 }));
  }
  return { text, keyboard };
}
