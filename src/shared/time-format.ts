/**
 * How greenlight writes dates and durations, the same in every language (the texts in
 * telegram/i18n put them into sentences).
 */

/** "2026-12-01" (UTC): a paid period ends on a date, not at an hour. */
export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "4:05" for a countdown shown to a person. */
export function formatMinutesSeconds(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}
