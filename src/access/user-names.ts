import type { Redis } from "ioredis";

/** Longest first name kept: enough for a person, short enough for an alert line. */
const MAX_NAME_LENGTH = 64;

/**
 * The first names of team members as Telegram last gave them, so that "linked by Ivan" and
 * "Ivan is on it" can name a person, not a user id. One Redis hash; a name is written only
 * when it changed (an in-memory copy saves a write per update).
 */
export class UserNames {
  private readonly key: string;
  private readonly seen = new Map<number, string>();

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:user-names`;
  }

  async remember(userId: number, firstName: string): Promise<void> {
    const name = firstName.trim().slice(0, MAX_NAME_LENGTH);
    if (!name || this.seen.get(userId) === name) return;
    await this.redis.hset(this.key, String(userId), name);
    this.seen.set(userId, name);
  }

  /** The name, or "user 1001" for someone greenlight never heard from. */
  async nameOf(userId: number): Promise<string> {
    return (await this.knownName(userId)) ?? `user ${userId}`;
  }

  /** The name, or undefined for someone greenlight never heard from (the reader words that). */
  async knownName(userId: number): Promise<string | undefined> {
    const name = this.seen.get(userId) ?? (await this.redis.hget(this.key, String(userId)));
    return name || undefined;
  }
}
