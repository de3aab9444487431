/** Captions and replies are HTML (parse_mode "HTML"): every value from outside goes through these. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** What we echo of a user's input: short, one line, safe. */
export function quoteInput(text: string, max = 32): string {
  // Control and format characters (bidi overrides, zero-width) would garble the reply.
  const oneLine = text.replace(/[\p{Cc}\p{Cf}]/gu, " ").trim();
  const short = oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
  return escapeHtml(short);
}

export const bold = (text: string) => `<b>${escapeHtml(text)}</b>`;
export const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
export const codeList = (names: readonly string[]) => names.map(code).join(", ");
