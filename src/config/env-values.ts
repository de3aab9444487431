// The kinds of value the environment holds, each with one message that says what is allowed:
// an operator reads "use a duration like 5s", never zod's "expected number, received NaN".
import { z } from "zod";

const UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** "500ms", "5s", "2m", "1h", "1.5h", "10d", or a bare number of milliseconds; undefined if neither. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const ms = Number(match[1]) * (UNITS_MS[(match[2] ?? "ms").toLowerCase()] ?? 1);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** 1500 → "1.5s", 60000 → "1m", 0 → "0": how a bound is shown in a message. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ] as const) {
    if (ms >= size && ms % (size / 10) === 0) return `${ms / size}${unit}`;
  }
  return ms === 0 ? "0" : `${ms}ms`;
}

const DURATION_HINT = "use a duration like 500ms, 5s, 2m or 1h (a bare number is milliseconds)";

/** A duration read as milliseconds, between `min` and `max`, with its default. */
export function milliseconds(fallback: number, min: number, max: number) {
  const range = `from ${formatDuration(min)} to ${formatDuration(max)}`;
  return z
    .string()
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.issues.push({ code: "custom", input: text, message: `${DURATION_HINT}, ${range}` });
        return z.NEVER;
      }
      return ms;
    })
    .pipe(z.number().min(min, `must be ${range}`).max(max, `must be ${range}`))
    .default(fallback);
}

/** A list of durations (OFFLINE_WARN_AFTER_MS): "10d,13d" or milliseconds. */
export function durationList(fallback: string, maxItems: number) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const parts = text.split(/[\s,]+/).filter(Boolean);
      const values = parts.map(parseDuration);
      if (values.some((ms) => ms === undefined || ms < 1_000) || values.length > maxItems) {
        ctx.issues.push({
          code: "custom",
          input: text,
          message: `must be up to ${maxItems} comma-separated durations of at least 1s, e.g. 10d,13d (a bare number is milliseconds)`,
        });
        return z.NEVER;
      }
      return values as number[];
    });
}

/** A whole number between `min` and `max`. */
export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\s*-?\d+\s*$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
}

/** A number (decimals allowed) between `min` and `max`. */
export function decimalNumber(min: number, max: number) {
  const message = `must be a number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

/** One of a few words, e.g. `0`/`1` or `en`/`ru`. */
export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, { error: `use one of: ${values.join(", ")}` });
}

/** An http(s) URL; `example` shows its form in the message. */
export function httpUrl(example: string) {
  return z.url({ protocol: /^https?$/, error: `must be a URL like ${example}` });
}

/** REDIS_URL: "localhost:6379" is a common slip; the message shows the form. */
export const redisUrl = z.url({
  protocol: /^rediss?$/,
  error: "use redis://host:port (rediss:// for TLS), e.g. redis://127.0.0.1:6379",
});
