/**
 * Telegram's flood limits, kept by greenlight itself so that a live QR is never the call that
 * draws a 429 (a retry_after can be a minute in a group; a QR lives ~20 s). Three layers, all in
 * Redis so that every process of the bot shares them:
 *
 * 1. **The bot's one budget and each chat's** (chat-pacer.ts): a grammY transformer on every Api
 *    greenlight sends with (app/telegram-api.ts). Every send and edit waits for its turn: about
 *    28 a second for the bot, 1 a second per private chat, 19 a minute per group.
 * 2. **QR edits are worth making only soon** (WITHIN_MS, from the same budget): a rendered QR
 *    waits for its chat's turn, then for the bot's slot right before the call, and skips the edit
 *    when that slot is further than one poll away (NoTurnError: the next poll sends whatever QR is
 *    newest then) instead of queueing a stale one. QR_EDITS_PER_SECOND,
 *    the share of the budget QR rotations may use, sizes the number of live sessions
 *    (QR_MAX_SESSIONS) and so bounds their edits.
 * 3. **Live QR sessions per group** (chat-slots.ts): a group keeps only a few QRs fresh at 3
 *    edits a minute each; later sessions wait their turn in that chat, and their message says so.
 *
 * The QR core sees layer 2 as the `no-turn` outcome of QrScreen.showQr and layer 3 as a port
 * (qr-session/ports.ts: ChatLine).
 */
export { ChatPacer, NoTurnError, paceChats, WITHIN_MS } from "./chat-pacer.js";
export { ChatSlots } from "./chat-slots.js";
