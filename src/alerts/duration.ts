/** The longest mute: planned work, not a way to forget an instance. */
export const MAX_MUTE_MS = 7 * 24 * 3_600_000;

const MINUTE_MS = 60_000;
const UNIT_MS: Record<string, number> = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: 1440 * MINUTE_MS };

/**
 * "30m", "2h", "1d", "1h30m" (a bare number is minutes) to milliseconds; undefined for anything
 * else, zero, or more than MAX_MUTE_MS.
 */
export function parseDuration(text: string): number | undefined {
  const input = text.trim().toLowerCase();
  if (/^\d{1,5}$/.test(input)) return bounded(Number(input) * MINUTE_MS);
  if (!/^(\d{1,5}[mhd])+$/.test(input)) return undefined;
  let total = 0;
  for (const [, amount, unit] of input.matchAll(/(\d{1,5})([mhd])/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  }
  return bounded(total);
}

function bounded(ms: number): number | undefined {
  return ms > 0 && ms <= MAX_MUTE_MS ? ms : undefined;
}
