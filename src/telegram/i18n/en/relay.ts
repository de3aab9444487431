import { bold as b, escapeHtml } from "../html.js";

/** Whole minutes, hours and days, as a person reads how long something has lasted. */
export function ageText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The webhook relay's words: its alert, its recovery, its line in /status <instance>. */
export const relay = {
  failing: (instance: string, forMs: number, lastError: string, backlog: number) =>
    `📮 ${b(instance)}: its application has refused GREEN-API's notifications for ${ageText(forMs)} (last: ${escapeHtml(lastError)}). ` +
    `greenlight keeps them (${backlog} waiting) and retries for up to 24 h. Check the application's URL and logs.`,
  recovered: (instance: string, failedMs: number, backlog: number) =>
    `✅ ${b(instance)}: its application takes notifications again after ${ageText(failedMs)}; ${backlog} still to deliver, in order.`,
  /** A line under /status <instance> while notifications wait. */
  backlog: (count: number, oldestMs: number) =>
    `📮 ${count} notification(s) waiting for the application, the oldest ${ageText(oldestMs)} old`,
  failingSince: (forMs: number) => `📮 The application has been failing for ${ageText(forMs)}`,
  deadLettered: (count: number) =>
    `📮 ${count} notification(s) dead-lettered after 24 h of failures (kept 7 days in Redis)`,
};
