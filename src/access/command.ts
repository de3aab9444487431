/**
 * The one reading of "which command is this message": the access guard checks its right and the
 * routing (telegram/commands.ts) runs its handler from the same answer, so the two can never
 * disagree about a message. A command is the `bot_command` entity at offset 0, wherever it
 * stands in the list of entities (formatting may come first), in a text or a caption.
 */
export interface MessageEntityLike {
  type: string;
  offset: number;
  length: number;
}

export interface MessageLike {
  text?: string;
  caption?: string;
  entities?: readonly MessageEntityLike[];
  caption_entities?: readonly MessageEntityLike[];
}

export interface ParsedCommand {
  /** Lower case, without the slash and the @mention: `/QR@greenlight_bot shop` → "qr". */
  name: string;
  /** False for `/qr@other_bot`: a command for another bot in the same group. */
  toUs: boolean;
  /** `/qr@greenlight_bot`: written to this bot by name (in a group, surely for us). */
  mentioned: boolean;
  /** What follows the command, trimmed: "shop". */
  args: string;
}

export function parseCommand(
  message: MessageLike | undefined,
  botUsername: string,
): ParsedCommand | undefined {
  if (!message) return undefined;
  const inText = message.text !== undefined;
  const text = inText ? message.text : message.caption;
  const entities = inText ? message.entities : message.caption_entities;
  if (!text?.startsWith("/")) return undefined;
  const entity = entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!entity || entity.length < 2) return undefined;
  const [name = "", mention] = text.slice(1, entity.length).toLowerCase().split("@");
  return {
    name,
    toUs: mention === undefined || mention === botUsername.toLowerCase(),
    mentioned: mention !== undefined && mention === botUsername.toLowerCase(),
    args: text.slice(entity.length).trim(),
  };
}
