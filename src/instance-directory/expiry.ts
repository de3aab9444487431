/**
 * When to warn that an instance's paid period ends (pure; test/unit/instance-directory/merge.test.ts): 3 days
 * before, 1 day before, and once it has ended. Each stage is told once per expiration date (a
 * renewal moves the date, and the stages start over).
 */
export type ExpiryStage = "3d" | "1d" | "ended";

const DAY_MS = 24 * 3_600_000;

export function expiryStage(
  now: number,
  facts: { expiresAt?: number; isExpired?: boolean },
): ExpiryStage | undefined {
  if (facts.isExpired) return "ended";
  if (facts.expiresAt === undefined) return undefined;
  const left = facts.expiresAt - now;
  if (left <= 0) return "ended";
  if (left <= DAY_MS) return "1d";
  if (left <= 3 * DAY_MS) return "3d";
  return undefined;
}
