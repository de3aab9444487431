import { INSTANCE_NAME_PATTERN, type KnownInstance } from "../config/instances.js";
import type { AccountInstance } from "../green-api/partner.js";

/**
 * The instances file and the partner account, merged (pure; table-tested in
 * test/unit/instance-directory/merge.test.ts). The file wins for whatever it says about an instance (name, apiUrl,
 * operators…); the account adds the WhatsApp instances it has that are not deleted, named after
 * their GREEN-API name made into a handle, or `i<idInstance>` when that is empty or taken.
 */

/** "Shop #2 (Moscow)" → "shop-2-moscow": a-z, 0-9, _ and -, at most 32. */
export function handleOf(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, 32)
    .replace(/[-_]+$/g, "");
}

export function isWatchable(entry: AccountInstance): boolean {
  return !entry.deleted && (entry.typeInstance ?? "whatsapp") === "whatsapp";
}

export function mergeInstances(
  file: readonly KnownInstance[],
  account: readonly AccountInstance[],
  greenApiUrl: string,
): KnownInstance[] {
  const facts = new Map(
    account.map((entry) => [
      entry.idInstance,
      { expiresAt: entry.expiresAt, isExpired: entry.isExpired },
    ]),
  );
  const merged: KnownInstance[] = file.map((instance) => {
    const known = facts.get(instance.idInstance);
    return { ...instance, source: "file", ...(known ? { account: clean(known) } : {}) };
  });
  const taken = new Set(merged.map((instance) => instance.name));
  const fileIds = new Set(merged.map((instance) => instance.idInstance));
  // Sorted by id so that two processes (and two syncs) name clashing instances alike.
  const fresh = account
    .filter((entry) => isWatchable(entry) && !fileIds.has(entry.idInstance))
    .sort((a, b) => a.idInstance.localeCompare(b.idInstance));
  for (const entry of fresh) {
    const wanted = handleOf(entry.name);
    const byId = `i${entry.idInstance}`;
    const name = wanted && INSTANCE_NAME_PATTERN.test(wanted) && !taken.has(wanted) ? wanted : byId;
    if (taken.has(name)) continue; // i<id> taken by a hand-written name: the file wins
    taken.add(name);
    merged.push({
      name,
      idInstance: entry.idInstance,
      apiTokenInstance: entry.apiTokenInstance,
      // Its own host when the account named one; else GREEN_API_URL (the universal host by default).
      apiUrl: entry.apiUrl ?? greenApiUrl,
      source: "account",
      account: clean({ expiresAt: entry.expiresAt, isExpired: entry.isExpired }),
    });
  }
  return merged;
}

function clean(facts: { expiresAt: number | undefined; isExpired: boolean }) {
  return facts.expiresAt === undefined ? { isExpired: facts.isExpired } : facts;
}

/** What changed between two lists, by name: for the one announcement to the admins. */
export function changes(
  before: ReadonlyArray<{ name: string }>,
  after: ReadonlyArray<{ name: string }>,
): { added: string[]; removed: string[] } {
  const had = new Set(before.map((instance) => instance.name));
  const has = new Set(after.map((instance) => instance.name));
  return {
    added: [...has].filter((name) => !had.has(name)),
    removed: [...had].filter((name) => !has.has(name)),
  };
}
