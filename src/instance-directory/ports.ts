import type { ExpiryStage } from "./expiry.js";

export interface ExpiryNotice {
  instance: string;
  stage: ExpiryStage;
  expiresAt?: number;
}

/** Where the fleet's news goes: the admins' private chats (telegram/fleet-channel.ts). */
export interface FleetChannel {
  /** "2 new instances: shop2, i1103; 1 removed: old": once per change, to every admin. */
  announceChanges(change: { added: readonly string[]; removed: readonly string[] }): Promise<void>;
  /** Ids listed on an instance that are on no team list (they get no access), at start. */
  warnOffTeam(listed: readonly OffTeamListing[]): Promise<void>;
  /** Paid periods ending soon or ended, grouped in one message per admin. */
  warnExpiry(notices: readonly ExpiryNotice[]): Promise<void>;
}

/** A user id an instance lists (admins, operators, viewers) that no global list has. */
export interface OffTeamListing {
  instance: string;
  userId: number;
}
