// Plays one step of a sequence against the world: builds the update (or notification) the step
// describes, posts it where the real sender would, and returns what happened meanwhile.
import type { StoredMessage, Update } from "../fakes/fake-telegram.js";
import type { Entity, ForgedSecret, NotifyToken, Step, TelegramFailure } from "./generators.js";
import {
  derivedFromWebhookSecret,
  perInstanceToken,
  WEBHOOK_SECRET,
  type World,
} from "./harness.js";
import {
  chatOf,
  INSTANCES,
  PEOPLE,
  type Person,
  type Place,
  STRANGER_IDS,
  takeOffTeam,
  teamEnv,
} from "./model.js";
import type { Observed } from "./harness.js";

/** Who really acted (a forger is a stranger, whoever the update claims), where, with what text. */
export interface Played {
  actor: number | undefined;
  chatId: number | undefined;
  /** Words the actor typed or pressed: the bot may say them back (an unknown name, say). */
  echo: string;
  /** The bot may answer this step only with the one answer a button press needs. */
  outsider: boolean;
  /** Posted to /telegram/webhook by someone who is not Telegram. */
  forged?: boolean;
  observed: Observed;
}

export function senderId(who: Person | "same", stranger: number): number {
  if (who === "same") throw new Error("resolve the step first");
  return who === "stranger" ? (STRANGER_IDS[stranger] ?? STRANGER_IDS[0]) : PEOPLE[who];
}

const chatType = (place: Place | "same"): "private" | "group" =>
  place === "private" ? "private" : "group";

function entitiesFor(text: string, list: Entity[]): unknown[] {
  const command = /^\/\S+/.exec(text)?.[0];
  const mention = /@\w+/.exec(text);
  const out: unknown[] = [];
  for (const entity of list) {
    if (entity === "bot_command" && command)
      out.push({ type: "bot_command", offset: 0, length: command.length });
    if (entity === "bold") out.push({ type: "bold", offset: 0, length: text.length });
    if (entity === "italic")
      out.push({ type: "italic", offset: 0, length: Math.min(3, text.length) });
    if (entity === "bold-args" && command && text.length > command.length + 1)
      out.push({
        type: "bold",
        offset: command.length + 1,
        length: text.length - command.length - 1,
      });
    if (entity === "mention" && mention)
      out.push({ type: "mention", offset: mention.index, length: mention[0].length });
  }
  return out;
}

/** The update the fake built, reshaped: other entities, an edit, or a photo's caption. */
function reshape(
  update: Update,
  entities: unknown[],
  carrier: "message" | "edited" | "caption",
): Update {
  const message = { ...(update.message as Record<string, unknown>) };
  delete message.entities;
  if (entities.length) message.entities = entities;
  if (carrier === "caption") {
    message.caption = message.text;
    delete message.text;
    if (entities.length) message.caption_entities = entities;
    delete message.entities;
    message.photo = [{ file_id: "fuzz-photo", file_unique_id: "fuzz", width: 90, height: 90 }];
  }
  if (carrier === "edited") {
    message.edit_date = Number(message.date) + 1;
    return { update_id: update.update_id, edited_message: message };
  }
  return { update_id: update.update_id, message };
}

function taken(world: World): Update {
  const updates = world.telegram.takeQueuedUpdates();
  const update = updates.at(-1);
  if (!update) throw new Error("the fake queued no update");
  return update;
}

function forgedSecret(world: World, secret: ForgedSecret): string | null {
  if (secret === "none") return null;
  if (secret === "wrong") return "0".repeat(64);
  if (secret === "webhook-secret") return WEBHOOK_SECRET;
  return derivedFromWebhookSecret();
}

export function notifyToken(token: NotifyToken, instance: "kiosk" | "helpdesk"): string | null {
  const own = INSTANCES.find((i) => i.name === instance);
  const other = INSTANCES.find((i) => i.name !== instance);
  if (!own || !other) throw new Error("two instances expected");
  switch (token) {
    case "missing":
      return null;
    case "wrong":
      return "Bearer not-the-token-0123456789";
    case "shared-old":
      return `Bearer ${WEBHOOK_SECRET}`;
    case "own":
      return `Bearer ${perInstanceToken(own.idInstance)}`;
    case "other-instance":
      return `Bearer ${perInstanceToken(other.idInstance)}`;
  }
}

const FAILURES: Record<
  TelegramFailure,
  { errorCode: number; description: string; retryAfter?: number }
> = {
  "429": { errorCode: 429, description: "Too Many Requests: retry after 1", retryAfter: 1 },
  "400-not-found": { errorCode: 400, description: "Bad Request: message to edit not found" },
  "403-blocked": { errorCode: 403, description: "Forbidden: bot was blocked by the user" },
  "400-bad": { errorCode: 400, description: "Bad Request: chat not found" },
};

function buttonDataOf(message: StoredMessage): string[] {
  const markup = message.replyMarkup as
    { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined;
  return (markup?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

/** The bot's messages in the chat that are still there, newest first. */
function liveBotMessages(world: World, chatId: number) {
  return world.telegram
    .messagesIn(chatId)
    .filter((m) => !m.deleted)
    .reverse();
}

const nobody = { actor: undefined, chatId: undefined, echo: "", outsider: false };

/** Who spoke last and where: what a "same" in a press or a reply means. */
export interface Last {
  who: Person;
  stranger: number;
  place: Place;
}

/** The step with "same" replaced by the last speaker and place (remembered for the next). */
function resolve(step: Step, last: Last): Step {
  if (step.kind !== "say" && step.kind !== "reply" && step.kind !== "press") return step;
  const who = step.who === "same" ? last.who : step.who;
  const stranger = step.who === "same" ? last.stranger : step.stranger;
  const place = step.place === "same" ? last.place : step.place;
  Object.assign(last, { who, stranger, place });
  return { ...step, who, stranger, place } as Step;
}

export async function playStep(world: World, original: Step, last: Last): Promise<Played> {
  const step = resolve(original, last);
  const from = {
    telegram: world.telegram.calls.length,
    greenApi: world.greenApi.calls.length,
    logs: world.logLines.length,
  };
  const played = await play(world, step);
  await world.settle();
  return {
    ...played,
    observed: {
      telegram: world.telegram.calls.slice(from.telegram),
      greenApi: world.greenApi.calls.slice(from.greenApi),
      logs: world.logLines.slice(from.logs),
      status: played.status,
    },
  };
}

async function play(
  world: World,
  step: Step,
): Promise<Omit<Played, "observed"> & { status?: number }> {
  const { telegram } = world;
  switch (step.kind) {
    case "say": {
      const actor = senderId(step.who, step.stranger);
      const chatId = chatOf(step.place, actor);
      telegram.userSends({
        chatId,
        fromId: actor,
        chatType: chatType(step.place),
        text: step.text,
      });
      const update = reshape(taken(world), entitiesFor(step.text, step.entities), step.carrier);
      const status = await world.postUpdate(update);
      return { actor, chatId, echo: step.text, outsider: step.who === "stranger", status };
    }
    case "reply": {
      const actor = senderId(step.who, step.stranger);
      const chatId = chatOf(step.place, actor);
      const targets = liveBotMessages(world, chatId);
      const target = targets[step.pick % Math.max(1, targets.length)];
      telegram.userSends({
        chatId,
        fromId: actor,
        chatType: chatType(step.place),
        text: step.text,
        replyToMessageId: target?.messageId,
      });
      const status = await world.postUpdate(taken(world));
      return { actor, chatId, echo: step.text, outsider: step.who === "stranger", status };
    }
    case "press": {
      const actor = senderId(step.who, step.stranger);
      const chatId = chatOf(step.place, actor);
      const targets = liveBotMessages(world, chatId);
      const target = targets[step.pick % Math.max(1, targets.length)];
      if (!target) return { actor, chatId, echo: "", outsider: step.who === "stranger" };
      let data: string;
      if (step.data.from === "forged") data = step.data.text;
      else {
        const pool =
          step.data.from === "own"
            ? buttonDataOf(target)
            : telegram.chatIds().flatMap((id) => liveBotMessages(world, id).flatMap(buttonDataOf));
        data = pool[step.data.index % Math.max(1, pool.length)] ?? "x";
      }
      telegram.userPresses({
        chatId,
        fromId: actor,
        messageId: target.messageId,
        data,
        ageMs: step.late ? 120_000 : 0,
      });
      const status = await world.postUpdate(taken(world));
      return { actor, chatId, echo: data, outsider: step.who === "stranger", status };
    }
    case "forge": {
      const actor = senderId("stranger", step.stranger);
      const chatId = chatOf(step.place, actor);
      const data = /^press (.+)$/.exec(step.text)?.[1];
      const target = liveBotMessages(world, chatId)[0];
      if (data && target)
        telegram.userPresses({
          chatId,
          fromId: PEOPLE[step.as],
          messageId: target.messageId,
          data,
        });
      else
        telegram.userSends({
          chatId,
          fromId: PEOPLE[step.as],
          chatType: chatType(step.place),
          text: step.text,
        });
      const status = await world.postUpdate(taken(world), forgedSecret(world, step.secret));
      return { actor, chatId, echo: step.text, outsider: true, forged: true, status };
    }
    case "notify": {
      const instance = INSTANCES.find((i) => i.name === step.instance);
      const authorization = notifyToken(step.token, step.instance);
      const response = await fetch(world.url("/green-api/webhook"), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({
          typeWebhook: "stateInstanceChanged",
          instanceData: {
            idInstance: Number(instance?.idInstance),
            wid: `${instance?.phone}@c.us`,
            typeInstance: "whatsapp",
          },
          timestamp: Math.floor(Date.now() / 1000),
          stateInstance: step.state,
        }),
      });
      await response.arrayBuffer();
      const trusted = step.token === "own" || step.token === "shared-old";
      return {
        actor: undefined,
        chatId: undefined,
        echo: "",
        outsider: !trusted,
        status: response.status,
      };
    }
    case "fail":
      telegram.failNext(step.method, FAILURES[step.error]);
      return nobody;
    case "restart":
      takeOffTeam(PEOPLE[step.without]);
      await world.restart(teamEnv());
      return nobody;
    case "rotate": {
      const instance = INSTANCES.find((i) => i.name === step.instance);
      world.greenApi.instance(instance?.idInstance ?? "").rotateQr();
      return nobody;
    }
    case "wait":
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      return nobody;
  }
}
