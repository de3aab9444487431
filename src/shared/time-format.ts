/**
 * How greenlight writes dates and durations, the same in every language (the texts in
 * telegram/i18n put them into sentences).
 */

/** "2026-12-01" (UTC): a paid period ends on a date, not at an hour. */
export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A partner account's date (getInstances' expirationDate) as GREEN-API's console shows it: on its
 * billing clock, UTC+3 ("2026-12-01 00:00 UTC+3"), so it matches the console and the 00:00 UTC+3
 * write-off instead of a UTC date that can be a day earlier.
 */
export const billingDate = (ms: number) =>
  `${new Date(ms + 3 * 3_600_000).toISOString().slice(0, 16).replace("T", " ")} UTC+3`;

/** The day alone on that clock ("2026-12-01"), where a line must stay short (a /status page). */
export const billingDay = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 10);

/** "4:05" for a countdown shown to a person. */
export function formatMinutesSeconds(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}
