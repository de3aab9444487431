// The access rules, checked after every step against the model (model.ts), on what the fakes saw:
// GREEN-API's calls, every version of every message in every chat, callback answers, log lines;
// and at the end of a sequence, /metrics, the audit log and Redis.
import { createHash } from "node:crypto";
import { scanPng } from "../kit/qr-decode.js";
import type { World } from "./harness.js";
import {
  type FuzzInstance,
  INSTANCES,
  isOnTeam,
  may,
  mayOnAny,
  MUTATING,
  PRIVILEGED_SCREENS,
  privateChatMaySee,
  secretMayGoTo,
  STRANGER_IDS,
} from "./model.js";
import type { Played } from "./steps.js";

/** Phone numbers users typed in the generators: never whole in a log line. */
const TYPED_PHONES = ["79007778899", "79005556677", "15550100"];
/** A stranger may cost the bot this many Telegram calls a sequence (a /start reply, a warning…). */
export const STRANGER_CALL_BUDGET = 3;
/** Warnings outsiders may cause in one sequence: a flood of them must not be a log flood. */
export const OUTSIDER_WARN_BUDGET = 2;

/**
 * What the fuzzer reached, over all sequences: a run that never logged anything out or showed a
 * QR would prove nothing about them (access.fuzz.test.ts asserts on it).
 */
export const reached = {
  mutations: {} as Record<string, number>,
  qrCodes: 0,
  pairingCodes: 0,
  refusedUpdates: 0,
  screens: {} as Record<string, number>,
};

/** What a sequence has seen so far: who legitimately spoke in each group, what was checked. */
export class SequenceState {
  /** Instances named in a group by someone who may see them: the bot may name them there too. */
  readonly groupMaySee = new Map<number, Set<string>>();
  readonly checkedVersions = new Map<string, number>();
  readonly strangerCalls = new Map<number, number>();
  outsiderWarnings = 0;
}

const qrCache = new Map<string, string | null>();
async function decode(png: Buffer): Promise<string | null> {
  const key = createHash("sha1").update(png).digest("hex");
  if (!qrCache.has(key)) {
    if (qrCache.size > 5_000) qrCache.clear();
    qrCache.set(key, await scanPng(png));
  }
  return qrCache.get(key) ?? null;
}

const mentions = (text: string, instance: FuzzInstance): string[] => {
  const found: string[] = [];
  if (new RegExp(`(^|[^a-z0-9])${instance.name}([^a-z0-9]|$)`, "i").test(text))
    found.push(instance.name);
  if (text.includes(instance.idInstance)) found.push(instance.idInstance);
  if (text.replace(/[\s()+-]/g, "").includes(instance.phone)) found.push(`phone ${instance.phone}`);
  return found;
};

/** The actor typed or pressed this word: the bot saying it back tells them nothing. */
const echoed = (played: Played, word: string) =>
  played.echo.toLowerCase().includes(word.toLowerCase());

function codesOf(world: World, instance: FuzzInstance): string[] {
  return world.greenApi
    .instance(instance.idInstance)
    .authorizationCodes()
    .flatMap((code) => [code, `${code.slice(0, 4)}-${code.slice(4)}`]);
}

export async function checkStep(
  world: World,
  played: Played,
  state: SequenceState,
): Promise<string[]> {
  const problems: string[] = [];
  const { actor, observed } = played;
  const byId = (id: string) => INSTANCES.find((i) => i.idInstance === id);

  // Who spoke legitimately in a group makes what they may see fair game there.
  if (actor !== undefined && played.chatId !== undefined && played.chatId < 0 && isOnTeam(actor)) {
    const seen = state.groupMaySee.get(played.chatId) ?? new Set<string>();
    for (const instance of INSTANCES) if (may(actor, "view", instance)) seen.add(instance.name);
    state.groupMaySee.set(played.chatId, seen);
  }

  // 1. No mutating GREEN-API call without the right, at that moment.
  for (const call of observed.greenApi) {
    const need = MUTATING[call.method];
    const instance = byId(call.idInstance);
    if (!need || !instance) continue;
    if (call.status === 200)
      reached.mutations[call.method] = (reached.mutations[call.method] ?? 0) + 1;
    if (actor === undefined || !may(actor, need, instance))
      problems.push(
        `GREEN-API ${call.method} on ${instance.name} though ${actor ?? "nobody"} may not ${need} it`,
      );
  }

  // 2. Screens only the allowed see.
  for (const call of observed.telegram) {
    if (!call.ok || !/^(sendMessage|editMessageText)$/.test(call.method)) continue;
    const text = String(call.params.text ?? "").replace(/<[^>]+>/g, "");
    for (const { command, need, screen } of PRIVILEGED_SCREENS) {
      if (screen.test(text)) reached.screens[command] = (reached.screens[command] ?? 0) + 1;
      if (screen.test(text) && (actor === undefined || !mayOnAny(actor, need)))
        problems.push(
          `the ${command} screen reached chat ${String(call.params.chat_id)} for ${actor ?? "nobody"}, who may not ${need}`,
        );
    }
  }

  // 3 and 4. Every new version of every message: QR codes, pairing codes and instance names.
  for (const chatId of world.telegram.chatIds()) {
    for (const message of world.telegram.messagesIn(chatId)) {
      const key = `${chatId}/${message.messageId}`;
      const from = state.checkedVersions.get(key) ?? 0;
      const versions = message.history.slice(from);
      state.checkedVersions.set(key, message.history.length);
      // What the message said before tells its reader nothing new when an edit says it again
      // (a session they started, ended as "cancelled" after they left the team).
      const before = message.history
        .slice(0, from)
        .map((v) => `${v.text ?? ""}\n${v.caption ?? ""}`)
        .join("\n");
      for (const version of versions) {
        if (version.photo) {
          const payload = await decode(version.photo);
          if (payload !== null) {
            reached.qrCodes += 1;
            const owner = INSTANCES.find((i) =>
              world.greenApi
                .instance(i.idInstance)
                .rotationHistory()
                .some((r) => r.payload === payload),
            );
            if (!owner) problems.push(`a QR of no instance in chat ${chatId}`);
            else if (!secretMayGoTo(chatId, owner))
              problems.push(`a QR of ${owner.name} in chat ${chatId}`);
          }
        }
        const text = `${version.text ?? ""}\n${version.caption ?? ""}`;
        for (const instance of INSTANCES) {
          const coded = codesOf(world, instance).some((code) => text.includes(code));
          if (coded) reached.pairingCodes += 1;
          if (coded && !secretMayGoTo(chatId, instance))
            problems.push(`a pairing code of ${instance.name} in chat ${chatId}`);
          const said = mentions(before, instance);
          const named = mentions(text, instance).filter(
            (m) => !echoed(played, m) && !said.includes(m),
          );
          const allowed =
            chatId > 0
              ? privateChatMaySee(chatId, instance)
              : (state.groupMaySee.get(chatId)?.has(instance.name) ?? false);
          if (named.length && !allowed)
            problems.push(
              `chat ${chatId} was told of ${instance.name} (${named.join(", ")}): ${JSON.stringify(text.slice(0, 120))}`,
            );
        }
      }
    }
  }
  for (const call of observed.telegram) {
    if (call.method !== "answerCallbackQuery" || !call.params.text) continue;
    const text = String(call.params.text);
    for (const instance of INSTANCES) {
      const named = mentions(text, instance).filter((m) => !echoed(played, m));
      if (named.length && (actor === undefined || !privateChatMaySee(actor, instance)))
        problems.push(`a button answer told ${actor} of ${instance.name}: ${JSON.stringify(text)}`);
    }
  }

  // 5. No secret and no whole phone number in a log line.
  problems.push(...leaks(world, observed.logs, "a log line"));

  // 6. Outsiders cost little: Telegram calls per stranger, warnings per sequence, refusals.
  if (played.outsider) {
    const costly = observed.telegram.filter((c) => c.method !== "answerCallbackQuery").length;
    if (actor !== undefined && STRANGER_IDS.some((id) => id === actor)) {
      const total = (state.strangerCalls.get(actor) ?? 0) + costly;
      state.strangerCalls.set(actor, total);
      if (total > STRANGER_CALL_BUDGET)
        problems.push(`stranger ${actor} has cost ${total} Telegram calls in this sequence`);
    }
    state.outsiderWarnings += observed.logs.filter((l) => /"level":(40|50|60)/.test(l)).length;
    if (state.outsiderWarnings > OUTSIDER_WARN_BUDGET)
      problems.push(`outsiders caused ${state.outsiderWarnings} warnings in this sequence`);
  }
  if (played.forged && observed.status === 401) reached.refusedUpdates += 1;
  if (played.forged && observed.status !== 401)
    problems.push(`a forged Telegram update was answered ${observed.status}, not 401`);
  if (
    played.outsider &&
    observed.status !== undefined &&
    played.actor === undefined &&
    observed.status !== 401
  )
    problems.push(
      `a GREEN-API notification with a bad token was answered ${observed.status}, not 401`,
    );
  return problems;
}

/** Secrets and whole phone numbers in some text the world shows (logs, metrics, audit). */
export function leaks(world: World, lines: string[], where: string): string[] {
  const problems: string[] = [];
  const secrets = world.secrets();
  for (const line of lines) {
    const secret = secrets.find((s) => line.includes(s));
    if (secret)
      problems.push(`${where} holds the secret ${secret.slice(0, 4)}…: ${line.slice(0, 200)}`);
    const digits = line.replace(/[\s()+-]/g, "");
    const phone = [...TYPED_PHONES, ...INSTANCES.map((i) => i.phone)].find((p) =>
      digits.includes(p),
    );
    if (phone)
      problems.push(`${where} holds the whole phone number ${phone}: ${line.slice(0, 200)}`);
  }
  return problems;
}

/** End of a sequence: metrics, the audit log and Redis. */
export async function checkSequenceEnd(world: World, metricsToken: string): Promise<string[]> {
  const problems: string[] = [];
  const metrics = await fetch(world.url("/metrics"), {
    headers: { authorization: `Bearer ${metricsToken}` },
  });
  problems.push(...leaks(world, (await metrics.text()).split("\n"), "/metrics"));
  const audit = await world.redis
    .lrange(`${world.prefix}:audit`, 0, -1)
    .catch(() => [] as string[]);
  problems.push(...leaks(world, audit, "the audit log"));
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await world.redis.scan(
      cursor,
      "MATCH",
      `${world.prefix}:*`,
      "COUNT",
      1000,
    );
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  for (const id of STRANGER_IDS) {
    const theirs = keys.filter((k) => k.includes(String(id)));
    if (theirs.length > 0)
      problems.push(
        `Redis keeps ${theirs.length} keys for stranger ${id}: ${theirs.slice(0, 3).join(", ")}`,
      );
  }
  return problems;
}
