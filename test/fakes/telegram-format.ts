// parse_mode handling for the fake Bot API: Telegram rejects malformed markup with 400 "can't parse
// entities", and stores the text without the markup. Modelled on tdlib's parsers (error wording
// included), simplified: no entities are produced, only the plain text and the errors.

/** Thrown with Telegram's wording; the caller prefixes "Bad Request: can't parse entities: ". */
export class MarkupError extends Error {}

/** The text Telegram would store for `text` sent with `parseMode`; throws MarkupError. */
export function plainText(text: string, parseMode: unknown): string {
  if (parseMode === undefined || parseMode === null || parseMode === "") return text;
  switch (String(parseMode).toLowerCase()) {
    case "html":
      return parseHtml(text);
    case "markdownv2":
      return parseMarkdownV2(text);
    case "markdown":
      return parseMarkdown(text);
    default:
      throw new UnsupportedParseMode();
  }
}

export class UnsupportedParseMode extends Error {}

const byteOffset = (text: string, index: number) => Buffer.byteLength(text.slice(0, index));

const HTML_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function parseHtml(src: string): string {
  let out = "";
  const open: Array<{ name: string; at: number }> = [];
  let i = 0;
  while (i < src.length) {
    const ch = src.charAt(i);
    if (ch === "&") {
      // Known entities are decoded; a lone "&" stays as it is (tdlib does the same).
      const match = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(src.slice(i, i + 12));
      const decoded = match?.[1] && decodeEntity(match[1]);
      if (match && decoded !== undefined) {
        out += decoded;
        i += match[0].length;
      } else {
        out += ch;
        i += 1;
      }
      continue;
    }
    if (ch !== "<") {
      out += ch;
      i += 1;
      continue;
    }
    // Same order of checks as tdlib: the name first, then the closing ">".
    const at = byteOffset(src, i);
    if (src.charAt(i + 1) === "/") {
      const close = src.indexOf(">", i);
      if (close === -1) throw new MarkupError(`Unclosed end tag at byte offset ${at}`);
      const name = src
        .slice(i + 2, close)
        .trim()
        .toLowerCase();
      const top = open.pop();
      if (!top) throw new MarkupError(`Unexpected end tag at byte offset ${at}`);
      if (name !== top.name) {
        throw new MarkupError(
          `Unmatched end tag at byte offset ${at}, expected "</${top.name}>", found "</${name}>"`,
        );
      }
      i = close + 1;
      continue;
    }
    const nameEnd = src.slice(i + 1).search(/[\s>]/);
    if (nameEnd === -1) throw new MarkupError(`Unclosed start tag at byte offset ${at}`);
    const name = src.slice(i + 1, i + 1 + nameEnd).toLowerCase();
    if (!HTML_TAGS.has(name)) {
      throw new MarkupError(`Unsupported start tag "${name}" at byte offset ${at}`);
    }
    const close = src.indexOf(">", i);
    if (close === -1) throw new MarkupError(`Unclosed start tag at byte offset ${at}`);
    if (name === "span" && !/class\s*=\s*["']?tg-spoiler/i.test(src.slice(i, close))) {
      throw new MarkupError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    }
    open.push({ name, at });
    i = close + 1;
  }
  const unclosed = open.at(-1);
  if (unclosed) {
    throw new MarkupError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  }
  return out;
}

function decodeEntity(name: string): string | undefined {
  if (!name.startsWith("#")) return NAMED_ENTITIES[name.toLowerCase()];
  const hex = name[1] === "x" || name[1] === "X";
  const code = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

const MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!";
const V2_NAMES: Record<string, string> = {
  "*": "Bold",
  _: "Italic",
  __: "Underline",
  "~": "Strikethrough",
  "||": "Spoiler",
  "`": "Code",
  "```": "Pre",
  "[": "TextUrl",
};

function parseMarkdownV2(src: string): string {
  let out = "";
  const open: Array<{ token: string; at: number }> = [];
  const toggle = (token: string, at: number) => {
    if (open.at(-1)?.token === token) open.pop();
    else open.push({ token, at });
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src.charAt(i);
    const top = open.at(-1)?.token;
    if (ch === "\\") {
      const next = src.charAt(i + 1);
      if (next && next.charCodeAt(0) > 0 && next.charCodeAt(0) < 127) {
        out += next;
        i += 1;
        continue;
      }
    }
    // Inside code only the closing backticks are markup.
    if (top === "```") {
      if (src.startsWith("```", i)) {
        open.pop();
        i += 2;
      } else out += ch;
      continue;
    }
    if (top === "`") {
      if (ch === "`") open.pop();
      else out += ch;
      continue;
    }
    const at = byteOffset(src, i);
    if (src.startsWith("```", i)) {
      open.push({ token: "```", at });
      i += 2;
      // An optional language name on the opening line is not part of the text.
      const newline = src.indexOf("\n", i + 1);
      if (newline !== -1 && /^[\w+-]*$/.test(src.slice(i + 1, newline))) i = newline;
      continue;
    }
    if (ch === "`") open.push({ token: "`", at });
    else if (ch === "*" || ch === "~") toggle(ch, at);
    else if (ch === "_") {
      const token = src.charAt(i + 1) === "_" ? "__" : "_";
      toggle(token, at);
      i += token.length - 1;
    } else if (ch === "|" && src.charAt(i + 1) === "|") {
      toggle("||", at);
      i += 1;
    } else if (ch === "[") open.push({ token: "[", at });
    else if (ch === "]" && top === "[") {
      open.pop();
      // "[text](url)": the url is not part of the text.
      if (src.charAt(i + 1) === "(") {
        const end = src.indexOf(")", i + 2);
        if (end === -1) throw new MarkupError(`Can't find end of a URL at byte offset ${at}`);
        i = end;
      }
    } else if (ch === ">" && (i === 0 || src.charAt(i - 1) === "\n")) {
      // Blockquote marker at a line start.
    } else if (MARKDOWN_V2_RESERVED.includes(ch)) {
      throw new MarkupError(
        `Character '${ch}' is reserved and must be escaped with the preceding '\\'`,
      );
    } else out += ch;
  }
  const unclosed = open.at(-1);
  if (unclosed) {
    throw new MarkupError(
      `Can't find end of ${V2_NAMES[unclosed.token]} entity at byte offset ${unclosed.at}`,
    );
  }
  return out;
}

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
function parseMarkdown(src: string): string {
  let out = "";
  let open: { token: string; at: number } | undefined;
  for (let i = 0; i < src.length; i++) {
    const ch = src.charAt(i);
    if (!open && ch === "\\" && "*_`[".includes(src.charAt(i + 1))) {
      out += src.charAt(i + 1);
      i += 1;
      continue;
    }
    const token = src.startsWith("```", i) ? "```" : ch;
    if (open) {
      if (open.token === "[" && ch === "]") {
        open = undefined;
        if (src.charAt(i + 1) === "(") {
          const end = src.indexOf(")", i + 2);
          if (end !== -1) i = end;
        }
      } else if (token === open.token) {
        open = undefined;
        i += token.length - 1;
      } else out += ch;
      continue;
    }
    if (token === "```" || "*_`[".includes(ch)) {
      open = { token, at: byteOffset(src, i) };
      i += token.length - 1;
    } else out += ch;
  }
  if (open)
    throw new MarkupError(`Can't find end of the entity starting at byte offset ${open.at}`);
  return out;
}
