/**
 * Telegram's flood limits, kept by greenlight itself so that a live QR is never the call that
 * draws a 429 (a retry_after can be a minute in a group; a QR lives ~20 s). Three layers, all in
 * Redis so that every process of the bot shares them:
 *
 * 1. **The bot's one budget and each chat's** (chat-pacer.ts): a grammY transformer on every Api
 *    greenlight sends with (app/telegram-api.ts). Every send and edit waits for its turn: about
 *    28 a second for the bot, 1 a second per private chat, 19 a minute per group.
 * 2. **QR edits take their bot slot ahead** (ChatPacer.takeBotSlot, from the same budget): a
 *    session takes a slot before it renders and uploads a new QR, and skips the edit when none
 *    comes within one poll (the next poll sends whatever QR is newest then) instead of queueing a
 *    stale one. The edit then waits for its chat's turn only (BOT_SLOT_TAKEN). QR_EDITS_PER_SECOND,
 *    the share of the budget QR rotations may use, sizes the number of live sessions
 *    (QR_MAX_SESSIONS) and so bounds their edits.
 * 3. **Live QR sessions per group** (chat-slots.ts): a group keeps only a few QRs fresh at 3
 *    edits a minute each; later sessions wait their turn in that chat, and their message says so.
 *
 * The QR core sees layers 2 and 3 only as ports (qr-session/ports.ts: EditSlots, ChatLine).
 */
export { BOT_SLOT_TAKEN, ChatPacer, paceChats } from "./chat-pacer.js";
export { ChatSlots } from "./chat-slots.js";
