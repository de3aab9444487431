/**
 * What status cards draw: the instance's name and, once linked, its number. No words, in any
 * language: the tone's symbol (✓, !, ×, i, …) says how it went, and every word is in the caption,
 * which speaks the reader's language. jimp's bitmap fonts have no Cyrillic, and a font of our own
 * (a BMFont per size, with its licence) would be one more asset to keep for text the caption
 * already carries; a card without words reads the same to every operator.
 */
const nameOnly = (instance: string) => ({ title: instance, lines: [] as string[] });

export const cards = {
  waiting: nameOnly,
  queued: nameOnly,
  moved: nameOnly,
  unanswered: nameOnly,
  /** The number only when the chat may see it whole (digits, + and spaces: no words). */
  authorized: (instance: string, phone?: string) => ({
    title: instance,
    lines: phone ? [phone] : [],
  }),
  alreadyAuthorized: nameOnly,
  needsLogout: nameOnly,
  credentialsRejected: nameOnly,
  forbidden: nameOnly,
  quotaExceeded: nameOnly,
  expired: nameOnly,
  cancelled: nameOnly,
  failed: nameOnly,
  loggingOut: nameOnly,
};
