/**
 * Telegram's flood limits, kept by greenlight itself so that a live QR is never the call that
 * draws a 429 (a retry_after can be a minute in a group; a QR lives ~20 s). Three layers, all in
 * Redis so that every process of the bot shares them:
 *
 * 1. **The bot's budget and each chat's** (chat-pacer.ts): a grammY transformer on every Api
 *    greenlight sends with (app/telegram-api.ts). Every send and edit waits for its turn: about
 *    28 a second for the bot, 1 a second per private chat, 19 a minute per group.
 * 2. **QR edits' share of the bot's budget** (edit-budget.ts): a session takes a slot before it
 *    renders and uploads a new QR, and skips the edit when none comes within one poll (the next
 *    poll sends whatever QR is newest then) instead of queueing a stale one. Its rate also sizes
 *    the number of live sessions (QR_MAX_SESSIONS).
 * 3. **Live QR sessions per group** (chat-slots.ts): a group keeps only a few QRs fresh at 3
 *    edits a minute each; later sessions wait their turn in that chat, and their message says so.
 *
 * The QR core sees layers 2 and 3 only as ports (qr-session/ports.ts: EditSlots, ChatLine).
 */
export { ChatPacer, paceChats } from "./chat-pacer.js";
export { ChatSlots } from "./chat-slots.js";
export { EditBudget } from "./edit-budget.js";
