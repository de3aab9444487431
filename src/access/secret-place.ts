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
