import { formatPhone, type PhoneVisibility } from "../pairing/phone.js";

/**
 * A phone number is shown whole only in a private chat, where the one reader is the operator
 * the bot already checked; in groups (and in logs) it is masked. Telegram gives private chats
 * the user's own id, which is positive, and groups and channels negative ids.
 */
export function phoneVisibilityIn(chatId: number): PhoneVisibility {
  return chatId > 0 ? "full" : "masked";
}

/** `phone` (digits, as GREEN-API has it) as the readers of `chatId` may see it. */
export function phoneForChat(phone: string, chatId: number): string {
  return formatPhone(phone, phoneVisibilityIn(chatId));
}
