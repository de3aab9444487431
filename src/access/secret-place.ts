/**
 * Where a QR code or a pairing code may be shown. Either is the key to a WhatsApp account: whoever
 * scans or types it links their own phone. So it appears only in the asker's private chat, or in
 * a chat the admin named as trusted (SECRET_CHAT_IDS, by default the alert chats), never in any
 * group an operator happens to type `/qr@bot` in.
 */
export type SecretPlace = "here" | "privately";

export interface AskedIn {
  chatId: number;
  chatType: string;
  userId: number;
}

export function secretPlace(asked: AskedIn, trustedChatIds: readonly number[]): SecretPlace {
  if (asked.chatType === "private" && asked.chatId === asked.userId) return "here";
  return trustedChatIds.includes(asked.chatId) ? "here" : "privately";
}

/** What a running secret (a QR session) remembers of where it was asked. */
export interface ShownTo {
  startedBy: number;
  chatId: number;
}

/**
 * May a secret already on its way keep being shown? Only while its asker still may operate the
 * instance, and only where it may be shown now: the asker's private chat (its id is theirs) or a
 * chat still trusted. Asked whenever a QR session starts or resumes, so that taking someone off
 * the team, or a group out of SECRET_CHAT_IDS, ends what they started.
 */
export function mayKeepShowing(
  shown: ShownTo,
  askerMayOperate: boolean,
  trustedChatIds: readonly number[],
): boolean {
  if (!askerMayOperate) return false;
  return shown.chatId === shown.startedBy || trustedChatIds.includes(shown.chatId);
}

/**
 * The port a QR session or a pairing-code watch asks when it starts or resumes (app/ wires it to
 * the access model and mayKeepShowing), and through which it audits an end for want of a right.
 */
export interface SecretRights {
  mayContinue(shown: ShownTo, instance: string): boolean;
  revoked(shown: ShownTo, instance: string, what: "qr" | "code"): Promise<void>;
}
